#include "engine/runstore.h"

#include <algorithm>

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

#include "engine/message.h"
#include "engine/processidentity.h"
#include "storage/schemamigration.h"

namespace Sluice {

namespace {

    // Step i takes the schema from version i to i + 1. Times are milliseconds since the epoch
    // (UTC); states and log levels are stored by name.
    const QList<QStringList> &migrations()
    {
        static const QList<QStringList> steps = {
            {
                QStringLiteral("CREATE TABLE flow_runs ("
                               " id INTEGER PRIMARY KEY,"
                               " flow TEXT NOT NULL,"
                               " state TEXT NOT NULL,"
                               " trigger TEXT NOT NULL,"
                               " parameters TEXT NOT NULL," // a JSON object
                               " created_ms INTEGER NOT NULL,"
                               " started_ms INTEGER,"
                               " finished_ms INTEGER,"
                               " failed_task TEXT NOT NULL DEFAULT '',"
                               " message TEXT NOT NULL DEFAULT '',"
                               " owner TEXT NOT NULL)"), // the process that runs it
                QStringLiteral("CREATE INDEX flow_runs_by_flow ON flow_runs (flow, id)"),
                QStringLiteral("CREATE INDEX flow_runs_by_state ON flow_runs (state)"),
                QStringLiteral("CREATE TABLE task_runs ("
                               " run_id INTEGER NOT NULL,"
                               " position INTEGER NOT NULL,"
                               " task TEXT NOT NULL,"
                               " upstream TEXT NOT NULL," // a JSON array of task names
                               " state TEXT NOT NULL,"
                               " attempts INTEGER NOT NULL DEFAULT 0,"
                               " started_ms INTEGER,"
                               " finished_ms INTEGER,"
                               " progress_done INTEGER,"
                               " progress_total INTEGER,"
                               " message TEXT NOT NULL DEFAULT '',"
                               " PRIMARY KEY (run_id, position)"
                               ") WITHOUT ROWID"),
                QStringLiteral("CREATE TABLE transitions ("
                               " run_id INTEGER NOT NULL,"
                               " task TEXT," // NULL: the flow run itself
                               " state TEXT NOT NULL,"
                               " attempt INTEGER NOT NULL,"
                               " at_ms INTEGER NOT NULL,"
                               " message TEXT NOT NULL DEFAULT '')"),
                QStringLiteral("CREATE INDEX transitions_by_run ON transitions (run_id)"),
                QStringLiteral("CREATE TABLE log_lines ("
                               " run_id INTEGER NOT NULL,"
                               " task TEXT NOT NULL,"
                               " attempt INTEGER NOT NULL,"
                               " level TEXT NOT NULL,"
                               " at_ms INTEGER NOT NULL,"
                               " text TEXT NOT NULL)"),
                QStringLiteral("CREATE INDEX log_lines_by_run ON log_lines (run_id)"),
            },
            {
                // The logical time (${run.time}); the creation time for the runs before it.
                QStringLiteral("ALTER TABLE flow_runs ADD COLUMN time INTEGER"),
                QStringLiteral("UPDATE flow_runs SET time = created_ms"),
                // A file flow's exact YAML, once per run, and its SHA-256 in hex; NULL for a
                // built-in flow.
                QStringLiteral("ALTER TABLE flow_runs ADD COLUMN definition BLOB"),
                QStringLiteral("ALTER TABLE flow_runs ADD COLUMN definition_sha256 TEXT"),
                QStringLiteral("ALTER TABLE flow_runs ADD COLUMN source_path TEXT"),
                // A retry: the run whose completed tasks it reused.
                QStringLiteral("ALTER TABLE flow_runs ADD COLUMN reused_from INTEGER"),
                // A Completed task's result as text (outputText()), NULL when it has none.
                QStringLiteral("ALTER TABLE task_runs ADD COLUMN output TEXT"),
            },
            {
                // Beside each message (in English), its Message::key() when it has one: the
                // views show it in the language of the moment. NULL: show the text as it is.
                QStringLiteral("ALTER TABLE flow_runs ADD COLUMN message_key TEXT"),
                QStringLiteral("ALTER TABLE task_runs ADD COLUMN message_key TEXT"),
                QStringLiteral("ALTER TABLE transitions ADD COLUMN message_key TEXT"),
                QStringLiteral("ALTER TABLE log_lines ADD COLUMN text_key TEXT"),
            },
        };
        return steps;
    }

    Error queryError(const QSqlQuery &query, const QString &path)
    {
        return Error{ QCoreApplication::translate("Sluice::RunStore", "SQLite error in \"%1\": %2")
                          .arg(query.lastQuery().simplified().left(80), query.lastError().text()),
            path };
    }

    // A short transaction that rolls back unless committed.
    class Transaction
    {
    public:
        explicit Transaction(const SqliteConnection &connection)
            : m_connection(connection)
        { }
        ~Transaction()
        {
            if (m_open)
                (void)m_connection.exec(QStringLiteral("ROLLBACK"));
        }
        Result<void> begin()
        {
            Result<void> ok = m_connection.exec(QStringLiteral("BEGIN IMMEDIATE"));
            m_open = ok.hasValue();
            return ok;
        }
        Result<void> commit()
        {
            Result<void> ok = m_connection.exec(QStringLiteral("COMMIT"));
            m_open = !ok.hasValue();
            return ok;
        }

    private:
        const SqliteConnection &m_connection;
        bool m_open = false;
    };

} // namespace

Result<void> RunStore::migrate(const SqliteConnection &connection)
{
    return migrateSchema(connection, migrations(), [&](int version) {
        return Error{ QCoreApplication::translate("Sluice::RunStore",
                          "the run history has schema version %1, newer than this Sluice "
                          "understands (%2); use a newer Sluice or another data folder")
                          .arg(version)
                          .arg(SchemaVersion),
            connection.path() };
    });
}

Result<std::unique_ptr<RunStore>> RunStore::open(const QString &path)
{
    Result<SqliteConnection> connection = SqliteConnection::open(path, QStringLiteral("runs"));
    if (!connection)
        return connection.error();
    if (Result<void> ok = migrate(*connection); !ok)
        return ok.error();
    std::unique_ptr<RunStore> store(new RunStore(std::move(*connection)));
    Result<int> crashed = store->markCrashed();
    if (!crashed)
        return crashed.error();
    store->m_crashedOnOpen = *crashed;
    return store;
}

Result<RunStore::CreatedRun> RunStore::createRun(
    const QString &flow, const QVariantMap &parameters, const QString &trigger, bool checkOverlap)
{
    return createRun(NewRun{ flow, parameters, trigger }, checkOverlap);
}

Result<RunStore::CreatedRun> RunStore::createRun(const NewRun &run, bool checkOverlap)
{
    const QString &flow = run.flow;
    Transaction transaction(m_connection);
    if (Result<void> ok = transaction.begin(); !ok)
        return ok.error();
    CreatedRun created;
    QSqlQuery query(m_connection.database());
    const QString self = ProcessIdentity::current();
    if (checkOverlap) {
        query.prepare(QStringLiteral("SELECT id, owner FROM flow_runs WHERE flow = ?"
                                     " AND state IN ('Scheduled', 'Running') ORDER BY id"));
        query.addBindValue(flow);
        if (!query.exec())
            return queryError(query, path());
        while (query.next() && created.runningElsewhere == 0) {
            const QString owner = query.value(1).toString();
            if (owner != self && ProcessIdentity::isAlive(owner))
                created.runningElsewhere = query.value(0).toLongLong();
        }
        query.finish();
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    query.prepare(QStringLiteral(
        "INSERT INTO flow_runs (flow, state, trigger, parameters, created_ms, owner, time,"
        " definition, definition_sha256, source_path, reused_from)"
        " VALUES (?, 'Scheduled', ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(flow);
    query.addBindValue(run.trigger);
    query.addBindValue(QString::fromUtf8(
        QJsonDocument(QJsonObject::fromVariantMap(run.parameters)).toJson(QJsonDocument::Compact)));
    query.addBindValue(now);
    query.addBindValue(self);
    query.addBindValue(run.timeMs != 0 ? run.timeMs : now);
    const bool file = !run.definition.isEmpty();
    query.addBindValue(
        file ? QVariant(run.definition) : QVariant(QMetaType::fromType<QByteArray>()));
    query.addBindValue(file
            ? QVariant(QString::fromLatin1(
                QCryptographicHash::hash(run.definition, QCryptographicHash::Sha256).toHex()))
            : QVariant(QMetaType::fromType<QString>()));
    query.addBindValue(run.sourcePath.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                : QVariant(run.sourcePath));
    query.addBindValue(
        run.reusedFrom != 0 ? QVariant(run.reusedFrom) : QVariant(QMetaType::fromType<qint64>()));
    if (!query.exec())
        return queryError(query, path());
    created.id = query.lastInsertId().toLongLong();
    query.prepare(QStringLiteral("INSERT INTO transitions (run_id, task, state, attempt, at_ms)"
                                 " VALUES (?, NULL, 'Scheduled', 0, ?)"));
    query.addBindValue(created.id);
    query.addBindValue(now);
    if (!query.exec())
        return queryError(query, path());
    if (Result<void> ok = transaction.commit(); !ok)
        return ok.error();
    return created;
}

Result<void> RunStore::setBusyTimeout(int ms)
{
    return m_connection.exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(std::max(0, ms)));
}

Result<int> RunStore::markCrashed()
{
    Transaction transaction(m_connection);
    if (Result<void> ok = transaction.begin(); !ok)
        return ok.error();
    QSqlQuery query(m_connection.database());
    if (!query.exec(QStringLiteral(
            "SELECT id, owner FROM flow_runs WHERE state IN ('Scheduled', 'Running')")))
        return queryError(query, path());
    QList<qint64> dead;
    while (query.next()) {
        if (!ProcessIdentity::isAlive(query.value(1).toString()))
            dead << query.value(0).toLongLong();
    }
    query.finish();
    if (dead.isEmpty())
        return 0;

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Stored in English with their keys: the views translate them.
    const Message runMessage("Sluice::RunStore",
        QT_TRANSLATE_NOOP(
            "Sluice::RunStore", "the process running it ended before the run finished"));
    const Message taskMessage("Sluice::RunStore",
        QT_TRANSLATE_NOOP(
            "Sluice::RunStore", "the process running the flow ended before the task finished"));
    const Message notRun("Sluice::RunStore",
        QT_TRANSLATE_NOOP("Sluice::RunStore", "not run: the process running the flow ended first"));
    // Each statement binds the run id last. The run ended at its last recorded sign of life,
    // not when the crash was noticed, so its row is updated before any transition is added;
    // the tasks' transitions are written from their states before the change.
    const QList<QPair<QString, QList<QVariant>>> statements = {
        { QStringLiteral("UPDATE flow_runs SET state = 'Crashed', message = ?, message_key = ?,"
                         " finished_ms = COALESCE((SELECT MAX(at_ms) FROM transitions"
                         "   WHERE run_id = flow_runs.id), created_ms)"
                         " WHERE id = ?"),
            { runMessage.english(), runMessage.key() } },
        { QStringLiteral("INSERT INTO transitions"
                         " (at_ms, message, message_key, run_id, task, state, attempt)"
                         " VALUES (?, ?, ?, ?, NULL, 'Crashed', 0)"),
            { now, runMessage.english(), runMessage.key() } },
        { QStringLiteral("INSERT INTO transitions"
                         " (run_id, task, state, attempt, at_ms, message, message_key)"
                         " SELECT run_id, task, 'Crashed', attempts, ?, ?, ? FROM task_runs"
                         " WHERE state IN ('Running', 'Retrying') AND run_id = ?"),
            { now, taskMessage.english(), taskMessage.key() } },
        { QStringLiteral("INSERT INTO transitions"
                         " (run_id, task, state, attempt, at_ms, message, message_key)"
                         " SELECT run_id, task, 'Cancelled', attempts, ?, ?, ? FROM task_runs"
                         " WHERE state IN ('Pending', 'Scheduled') AND run_id = ?"),
            { now, notRun.english(), notRun.key() } },
        { QStringLiteral("UPDATE task_runs SET state = 'Crashed', finished_ms = ?, message = ?,"
                         " message_key = ? WHERE state IN ('Running', 'Retrying') AND run_id = ?"),
            { now, taskMessage.english(), taskMessage.key() } },
        { QStringLiteral("UPDATE task_runs SET state = 'Cancelled', finished_ms = ?, message = ?,"
                         " message_key = ? WHERE state IN ('Pending', 'Scheduled') AND run_id = ?"),
            { now, notRun.english(), notRun.key() } },
    };
    for (qint64 id : dead) {
        for (const auto &[sql, values] : statements) {
            query.prepare(sql);
            for (const QVariant &value : values)
                query.addBindValue(value);
            query.addBindValue(id);
            if (!query.exec())
                return queryError(query, path());
        }
    }
    if (Result<void> ok = transaction.commit(); !ok)
        return ok.error();
    return int(dead.size());
}

Result<int> RunStore::prune(int days, qint64 nowMs)
{
    if (days <= 0)
        return 0;
    if (nowMs == 0)
        nowMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 cutoff = nowMs - qint64(days) * 24 * 3600 * 1000;
    Transaction transaction(m_connection);
    if (Result<void> ok = transaction.begin(); !ok)
        return ok.error();
    // Only finished runs have a finished_ms; a run in progress is never old enough.
    const QString old =
        QStringLiteral("SELECT id FROM flow_runs WHERE finished_ms IS NOT NULL"
                       " AND finished_ms < ? AND state NOT IN ('Scheduled', 'Running')");
    QSqlQuery query(m_connection.database());
    int pruned = 0;
    for (const char *table : { "transitions", "log_lines", "task_runs", "flow_runs" }) {
        const bool runs = qstrcmp(table, "flow_runs") == 0;
        query.prepare(QStringLiteral("DELETE FROM %1 WHERE %2 IN (%3)")
                          .arg(QLatin1String(table), QLatin1String(runs ? "id" : "run_id"), old));
        query.addBindValue(cutoff);
        if (!query.exec())
            return queryError(query, path());
        if (runs)
            pruned = query.numRowsAffected();
    }
    if (Result<void> ok = transaction.commit(); !ok)
        return ok.error();
    return pruned;
}

RunHistoryReader RunStore::reader() const
{
    return RunHistoryReader(m_connection.database(), RunHistoryReader::Dialect::Sqlite, path());
}

Result<QList<FlowRunRecord>> RunStore::runs(const RunQuery &query) const
{
    return reader().runs(query);
}

Result<std::optional<FlowRunRecord>> RunStore::run(qint64 id) const
{
    return reader().run(id);
}

Result<QList<TaskRunRecord>> RunStore::tasks(qint64 runId) const
{
    return reader().tasks(runId);
}

Result<QList<TransitionRecord>> RunStore::transitions(qint64 runId) const
{
    return reader().transitions(runId);
}

Result<QList<LogRecord>> RunStore::logLines(qint64 runId, int limit) const
{
    return reader().logLines(runId, limit);
}

Result<QHash<QString, FlowRunRecord>> RunStore::lastRuns() const
{
    return reader().lastRuns();
}

} // namespace Sluice
