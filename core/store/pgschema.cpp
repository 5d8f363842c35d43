#include "store/pgschema.h"

#include <QSqlError>
#include <QSqlQuery>

#include "store/pgconnection.h"

namespace Sluice {

namespace {

    // Step i takes the schema from version i to i + 1. Times are milliseconds since the epoch
    // (UTC); states are stored by name, as in runs.sqlite. Parameters are JSON text, not jsonb,
    // so that a run's parameters read back in the order they were written.
    const QList<QStringList> &migrations()
    {
        static const QList<QStringList> steps = {
            {
                QStringLiteral("CREATE TABLE workers ("
                               " id bigserial PRIMARY KEY,"
                               " host text NOT NULL,"
                               " pid integer NOT NULL,"
                               " slots integer NOT NULL,"
                               " started_ms bigint NOT NULL,"
                               " beat_ms bigint NOT NULL,"
                               " stopped_ms bigint)"), // NULL: alive as far as anyone knows
                QStringLiteral("CREATE TABLE flow_runs ("
                               " id bigserial PRIMARY KEY,"
                               " flow text NOT NULL,"
                               " state text NOT NULL,"
                               " trigger text NOT NULL,"
                               " parameters text NOT NULL DEFAULT '{}',"
                               " created_ms bigint NOT NULL,"
                               " time_ms bigint NOT NULL,"
                               // the schedule's fire time; NULL for a run started by hand
                               " fire_ms bigint,"
                               // the schedule's fire before it (${run.prev-time}); NULL: none
                               " prev_ms bigint,"
                               " started_ms bigint,"
                               " finished_ms bigint,"
                               " failed_task text NOT NULL DEFAULT '',"
                               " message text NOT NULL DEFAULT '',"
                               " message_key text,"
                               " definition bytea,"
                               " definition_sha256 text,"
                               " source_path text,"
                               " reused_from bigint,"
                               " on_crash text NOT NULL DEFAULT 'fail',"
                               " attempt integer NOT NULL DEFAULT 1,"
                               " worker_id bigint REFERENCES workers (id) ON DELETE SET NULL,"
                               " claimed_ms bigint,"
                               " cancel_requested boolean NOT NULL DEFAULT false)"),
                // One run per fire time of a flow, whoever inserts it.
                QStringLiteral("CREATE UNIQUE INDEX flow_runs_fire ON flow_runs (flow, fire_ms)"
                               " WHERE fire_ms IS NOT NULL"),
                QStringLiteral("CREATE INDEX flow_runs_by_flow ON flow_runs (flow, id)"),
                QStringLiteral("CREATE INDEX flow_runs_pending ON flow_runs (id)"
                               " WHERE state = 'Pending'"),
                QStringLiteral("CREATE INDEX flow_runs_running ON flow_runs (worker_id)"
                               " WHERE state = 'Running'"),
                QStringLiteral(
                    "CREATE TABLE task_runs ("
                    " run_id bigint NOT NULL REFERENCES flow_runs (id) ON DELETE CASCADE,"
                    " position integer NOT NULL,"
                    " task text NOT NULL,"
                    " upstream text NOT NULL,"
                    " state text NOT NULL,"
                    " attempts integer NOT NULL DEFAULT 0,"
                    " started_ms bigint,"
                    " finished_ms bigint,"
                    " progress_done bigint,"
                    " progress_total bigint,"
                    " message text NOT NULL DEFAULT '',"
                    " message_key text,"
                    " output text,"
                    " PRIMARY KEY (run_id, position))"),
                QStringLiteral(
                    "CREATE TABLE transitions ("
                    " id bigserial PRIMARY KEY," // the order they were recorded in
                    " run_id bigint NOT NULL REFERENCES flow_runs (id) ON DELETE CASCADE,"
                    " task text,"
                    " state text NOT NULL,"
                    " attempt integer NOT NULL,"
                    " at_ms bigint NOT NULL,"
                    " message text NOT NULL DEFAULT '',"
                    " message_key text)"),
                QStringLiteral("CREATE INDEX transitions_by_run ON transitions (run_id)"),
                QStringLiteral(
                    "CREATE TABLE log_lines ("
                    " id bigserial PRIMARY KEY,"
                    " run_id bigint NOT NULL REFERENCES flow_runs (id) ON DELETE CASCADE,"
                    " task text NOT NULL,"
                    " attempt integer NOT NULL,"
                    " level text NOT NULL,"
                    " at_ms bigint NOT NULL,"
                    " text text NOT NULL,"
                    " text_key text)"),
                QStringLiteral("CREATE INDEX log_lines_by_run ON log_lines (run_id)"),
            },
        };
        return steps;
    }

    Result<int> readVersion(const PgConnection &connection)
    {
        Result<QSqlQuery> exists =
            connection.exec(QStringLiteral("SELECT to_regclass('sluice_schema') IS NOT NULL"));
        if (!exists)
            return exists.error();
        if (!exists->next() || !exists->value(0).toBool())
            return 0;
        Result<QSqlQuery> query =
            connection.exec(QStringLiteral("SELECT max(version) FROM sluice_schema"));
        if (!query)
            return query.error();
        return query->next() ? query->value(0).toInt() : 0;
    }

} // namespace

static_assert(PgSchema::Version == 1, "add the migration step to migrations()");

Result<int> PgSchema::version(const PgConnection &connection)
{
    return readVersion(connection);
}

Result<int> PgSchema::ensure(const PgConnection &connection)
{
    QSqlDatabase db = connection.database();
    if (!db.transaction()) {
        return Error{ tr("cannot begin a transaction: %1").arg(db.lastError().text()),
            connection.url().redacted(), ErrorCode::Transient };
    }
    const auto rollback = [&db](const Error &error) {
        db.rollback();
        return error;
    };
    Result<QSqlQuery> locked =
        connection.exec(QStringLiteral("SELECT pg_advisory_xact_lock(?)"), { QVariant(LockKey) });
    if (!locked)
        return rollback(locked.error());
    Result<int> found = readVersion(connection);
    if (!found)
        return rollback(found.error());
    if (*found > Version) {
        return rollback(Error{ tr("the store's schema is version %1, newer than this Sluice "
                                  "knows (%2): update Sluice on this machine")
                                   .arg(*found)
                                   .arg(Version),
            connection.url().redacted(), ErrorCode::Permanent });
    }
    if (*found == 0) {
        Result<void> created = connection.execAll({ QStringLiteral(
            "CREATE TABLE IF NOT EXISTS sluice_schema (version integer NOT NULL)") });
        if (!created)
            return rollback(created.error());
    }
    for (int step = *found; step < Version; ++step) {
        Result<void> done = connection.execAll(migrations().at(step));
        if (!done)
            return rollback(done.error());
    }
    if (*found < Version) {
        Result<void> noted = connection.execAll({ QStringLiteral("DELETE FROM sluice_schema"),
            QStringLiteral("INSERT INTO sluice_schema (version) VALUES (%1)").arg(Version) });
        if (!noted)
            return rollback(noted.error());
    }
    if (!db.commit()) {
        return Error{ tr("cannot commit the schema: %1").arg(db.lastError().text()),
            connection.url().redacted(), ErrorCode::Transient };
    }
    return *found;
}

} // namespace Sluice
