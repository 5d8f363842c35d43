#include "store/pgrunqueue.h"

#include <QSqlError>
#include <QSqlQuery>

#include "engine/runstate.h"
#include "store/pgconnection.h"

namespace Sluice {

namespace {

    QVariant nullableMs(const std::optional<qint64> &ms)
    {
        return ms ? QVariant(qlonglong(*ms)) : QVariant(QMetaType::fromType<qlonglong>());
    }

    QString queued()
    {
        return stateName(RunState::Scheduled);
    }

    QString running()
    {
        return stateName(RunState::Running);
    }

} // namespace

// Tells listeners (the window) that runs changed. A lost notice costs only freshness: the
// window also reads the runs every few seconds, so a failure here is not an error of the caller.
void PgRunQueue::notify(const QString &channel, const QString &payload) const
{
    Result<QSqlQuery> sent =
        m_connection.exec(QStringLiteral("SELECT pg_notify(?, ?)"), { channel, payload });
    if (!sent)
        qWarning("%s", qPrintable(sent.error().message()));
}

Result<qint64> PgRunQueue::registerWorker(const QString &host, qint64 pid, int slots, qint64 nowMs)
{
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral("INSERT INTO workers (host, pid, slots, started_ms, beat_ms)"
                       " VALUES (?, ?, ?, ?, ?) RETURNING id"),
        { host, qlonglong(pid), slots, qlonglong(nowMs), qlonglong(nowMs) });
    if (!query)
        return query.error();
    if (!query->next())
        return Error{ tr("the server returned no worker id"), m_connection.url().redacted() };
    return query->value(0).toLongLong();
}

Result<bool> PgRunQueue::beat(qint64 workerId, qint64 nowMs)
{
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral("UPDATE workers SET beat_ms = ? WHERE id = ? AND stopped_ms IS NULL"),
        { qlonglong(nowMs), qlonglong(workerId) });
    if (!query)
        return query.error();
    return query->numRowsAffected() == 1;
}

Result<void> PgRunQueue::retire(qint64 workerId, qint64 nowMs)
{
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral("UPDATE workers SET stopped_ms = ? WHERE id = ? AND stopped_ms IS NULL"),
        { qlonglong(nowMs), qlonglong(workerId) });
    if (!query)
        return query.error();
    return {};
}

Result<QList<PgRunQueue::WorkerInfo>> PgRunQueue::workers() const
{
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral("SELECT w.id, w.host, w.pid, w.slots, w.started_ms, w.beat_ms,"
                       " coalesce(w.stopped_ms, 0),"
                       " (SELECT count(*) FROM flow_runs r WHERE r.worker_id = w.id"
                       "  AND r.state = ?)"
                       " FROM workers w ORDER BY w.id"),
        { running() });
    if (!query)
        return query.error();
    QList<WorkerInfo> found;
    while (query->next()) {
        WorkerInfo worker;
        worker.id = query->value(0).toLongLong();
        worker.host = query->value(1).toString();
        worker.pid = query->value(2).toLongLong();
        worker.slots = query->value(3).toInt();
        worker.startedMs = query->value(4).toLongLong();
        worker.beatMs = query->value(5).toLongLong();
        worker.stoppedMs = query->value(6).toLongLong();
        worker.running = query->value(7).toInt();
        found.append(worker);
    }
    return found;
}

namespace {

    constexpr int EnqueueColumns = 11;

    // One run's values in the order of enqueueSql()'s columns.
    void appendValues(QVariantList &values, const PgRunQueue::NewRun &run, qint64 nowMs)
    {
        values << run.flow << stateName(RunState::Scheduled) << run.trigger
               << QString::fromUtf8(run.parameters) << qlonglong(nowMs)
               << qlonglong(run.timeMs > 0 ? run.timeMs : nowMs) << nullableMs(run.fireMs)
               << nullableMs(run.previousMs)
               << (run.definition.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>())
                                            : QVariant(run.definition))
               << (run.sourcePath.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                            : QVariant(run.sourcePath))
               << run.onCrash;
    }

    // An insert of rows runs that skips fire times queued already, and tells listeners of
    // each new run in the same statement.
    QString enqueueSql(int rows)
    {
        QStringList tuples;
        const QString tuple = QStringLiteral("(?, ?, ?, ?, ?::bigint, ?::bigint, ?::bigint,"
                                             " ?::bigint, ?::bytea, ?, ?)");
        for (int i = 0; i < rows; ++i)
            tuples.append(tuple);
        return QStringLiteral("WITH added AS (INSERT INTO flow_runs (flow, state, trigger,"
                              " parameters, created_ms, time_ms, fire_ms, prev_ms, definition,"
                              " source_path, on_crash) VALUES %1"
                              " ON CONFLICT (flow, fire_ms) WHERE fire_ms IS NOT NULL DO NOTHING"
                              " RETURNING id)"
                              " SELECT id, pg_notify('%2', id::text) FROM added")
            .arg(tuples.join(QStringLiteral(", ")), QLatin1String(PgRunQueue::RunsChannel));
    }

} // namespace

Result<std::optional<qint64>> PgRunQueue::enqueue(const NewRun &run, qint64 nowMs)
{
    QVariantList values;
    appendValues(values, run, nowMs);
    Result<QSqlQuery> query = m_connection.exec(enqueueSql(1), values);
    if (!query)
        return query.error();
    if (!query->next())
        return std::optional<qint64>();
    return std::optional<qint64>(query->value(0).toLongLong());
}

Result<int> PgRunQueue::enqueueAll(const QList<NewRun> &runs, qint64 nowMs)
{
    // In statements of up to 200 rows, in one transaction: all are queued or none.
    constexpr int Chunk = 200;
    static_assert(Chunk * EnqueueColumns < 65535, "PostgreSQL's limit of bound values");
    QSqlDatabase db = m_connection.database();
    if (!db.transaction())
        return Error{ tr("cannot begin a transaction: %1").arg(db.lastError().text()),
            m_connection.url().redacted(), ErrorCode::Transient };
    int added = 0;
    for (qsizetype first = 0; first < runs.size(); first += Chunk) {
        const qsizetype count = std::min<qsizetype>(Chunk, runs.size() - first);
        QVariantList values;
        values.reserve(count * EnqueueColumns);
        for (qsizetype i = first; i < first + count; ++i)
            appendValues(values, runs.at(i), nowMs);
        Result<QSqlQuery> query = m_connection.exec(enqueueSql(int(count)), values);
        if (!query) {
            db.rollback();
            return query.error();
        }
        while (query->next())
            ++added;
    }
    if (!db.commit())
        return Error{ tr("cannot commit: %1").arg(db.lastError().text()),
            m_connection.url().redacted(), ErrorCode::Transient };
    return added;
}

Result<QList<PgRunQueue::ClaimedRun>> PgRunQueue::claim(qint64 workerId, int max, qint64 nowMs)
{
    if (max <= 0)
        return QList<ClaimedRun>();
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral("WITH claimed AS (UPDATE flow_runs r SET state = ?, worker_id = ?,"
                       " claimed_ms = ?, started_ms = ?"
                       " FROM (SELECT id FROM flow_runs WHERE state = ? ORDER BY id LIMIT ?"
                       "       FOR UPDATE SKIP LOCKED) c"
                       " WHERE r.id = c.id"
                       " RETURNING r.id, r.flow, r.parameters, r.trigger, r.time_ms, r.fire_ms,"
                       " r.definition, r.source_path, r.attempt, r.prev_ms)"
                       " SELECT *, pg_notify('%1', id::text) FROM claimed ORDER BY id")
            .arg(QLatin1String(RunsChannel)),
        { running(), qlonglong(workerId), qlonglong(nowMs), qlonglong(nowMs), queued(), max });
    if (!query)
        return query.error();
    QList<ClaimedRun> claimed;
    while (query->next()) {
        ClaimedRun run;
        run.id = query->value(0).toLongLong();
        run.flow = query->value(1).toString();
        run.parameters = query->value(2).toString().toUtf8();
        run.trigger = query->value(3).toString();
        run.timeMs = query->value(4).toLongLong();
        if (!query->value(5).isNull())
            run.fireMs = query->value(5).toLongLong();
        run.definition = query->value(6).toByteArray();
        run.sourcePath = query->value(7).toString();
        run.attempt = query->value(8).toInt();
        if (!query->value(9).isNull())
            run.previousMs = query->value(9).toLongLong();
        claimed.append(run);
    }
    return claimed;
}

Result<bool> PgRunQueue::finish(qint64 runId, qint64 workerId, int attempt, const QString &state,
    const QString &message, qint64 nowMs)
{
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral("WITH ended AS (UPDATE flow_runs SET state = ?, message = ?,"
                       " finished_ms = ?"
                       " WHERE id = ? AND worker_id = ? AND attempt = ? AND state = ?"
                       " RETURNING id)"
                       " SELECT id, pg_notify('%1', id::text) FROM ended")
            .arg(QLatin1String(RunsChannel)),
        { state, message.isNull() ? QStringLiteral("") : message, qlonglong(nowMs),
            qlonglong(runId), qlonglong(workerId), attempt, running() });
    if (!query)
        return query.error();
    return query->next();
}

Result<int> PgRunQueue::reap(qint64 nowMs, qint64 staleAfterMs)
{
    // The workers' update and the runs' update in one statement: a worker found silent here
    // has its runs handed on in the same snapshot. A worker whose beat lands first is not
    // touched (READ COMMITTED rechecks beat_ms after the row lock).
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral(
            "WITH dead AS (UPDATE workers SET stopped_ms = ?"
            "  WHERE stopped_ms IS NULL AND beat_ms < ? RETURNING id),"
            " gone AS (SELECT id FROM dead UNION SELECT id FROM workers"
            "  WHERE stopped_ms IS NOT NULL)"
            " UPDATE flow_runs SET"
            "  state = CASE WHEN on_crash = 'retry' THEN ? ELSE ? END,"
            "  attempt = attempt + CASE WHEN on_crash = 'retry' THEN 1 ELSE 0 END,"
            "  worker_id = CASE WHEN on_crash = 'retry' THEN NULL ELSE worker_id END,"
            "  finished_ms = CASE WHEN on_crash = 'retry' THEN NULL ELSE ?::bigint END,"
            "  message = 'the worker running it stopped beating'"
            " WHERE state = ? AND (worker_id IN (SELECT id FROM gone) OR worker_id IS NULL)"
            " RETURNING id"),
        { qlonglong(nowMs), qlonglong(nowMs - staleAfterMs), queued(), stateName(RunState::Crashed),
            qlonglong(nowMs), running() });
    if (!query)
        return query.error();
    QStringList ids;
    while (query->next())
        ids.append(query->value(0).toString());
    if (!ids.isEmpty()) {
        notify(QString::fromLatin1(RunsChannel), ids.join(QLatin1Char(',')));
    }
    return int(ids.size());
}

Result<bool> PgRunQueue::requestCancel(qint64 runId, qint64 nowMs)
{
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral("UPDATE flow_runs SET cancel_requested = true,"
                       " state = CASE WHEN state = ? THEN ? ELSE state END,"
                       " finished_ms = CASE WHEN state = ? THEN ?::bigint ELSE finished_ms END"
                       " WHERE id = ? AND state IN (?, ?) RETURNING id"),
        { queued(), stateName(RunState::Cancelled), queued(), qlonglong(nowMs), qlonglong(runId),
            queued(), running() });
    if (!query)
        return query.error();
    if (!query->next())
        return false;
    notify(QString::fromLatin1(CancelChannel), QString::number(runId));
    notify(QString::fromLatin1(RunsChannel), QString::number(runId));
    return true;
}

Result<QList<qint64>> PgRunQueue::cancelRequests(qint64 workerId) const
{
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral("SELECT id FROM flow_runs WHERE worker_id = ? AND state = ?"
                       " AND cancel_requested ORDER BY id"),
        { qlonglong(workerId), running() });
    if (!query)
        return query.error();
    QList<qint64> ids;
    while (query->next())
        ids.append(query->value(0).toLongLong());
    return ids;
}

Result<QHash<QString, qint64>> PgRunQueue::countByState() const
{
    Result<QSqlQuery> query =
        m_connection.exec(QStringLiteral("SELECT state, count(*) FROM flow_runs GROUP BY state"));
    if (!query)
        return query.error();
    QHash<QString, qint64> counts;
    while (query->next())
        counts.insert(query->value(0).toString(), query->value(1).toLongLong());
    return counts;
}

Result<bool> PgLeaderLock::tryAcquire()
{
    if (m_held)
        return true;
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral("SELECT pg_try_advisory_lock(?)"), { QVariant(qlonglong(Key)) });
    if (!query)
        return query.error();
    m_held = query->next() && query->value(0).toBool();
    return m_held;
}

Result<void> PgLeaderLock::release()
{
    if (!m_held)
        return {};
    Result<QSqlQuery> query = m_connection.exec(
        QStringLiteral("SELECT pg_advisory_unlock(?)"), { QVariant(qlonglong(Key)) });
    m_held = false;
    if (!query)
        return query.error();
    return {};
}

} // namespace Sluice
