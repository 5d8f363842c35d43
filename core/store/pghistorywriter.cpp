#include "store/pghistorywriter.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>

#include "engine/runbacklog.h"
#include "store/pgrunqueue.h"

namespace Sluice {

namespace {

    // A text that binds as NULL when it is null: QVariant(QString()) is not null in Qt 6.
    QVariant nullable(const QString &text)
    {
        return text.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
    }

    QVariant nullableMs(qint64 ms)
    {
        return ms != 0 ? QVariant(qlonglong(ms)) : QVariant(QMetaType::fromType<qlonglong>());
    }

    QVariant nullableCount(qint64 count)
    {
        return count >= 0 ? QVariant(qlonglong(count)) : QVariant(QMetaType::fromType<qlonglong>());
    }

    qint64 runOf(const RunEvent &event)
    {
        return std::visit([](const auto &e) { return e.runId; }, event);
    }

} // namespace

Result<std::unique_ptr<RunHistoryWriter>> PgHistoryWriter::open(
    const StoreUrl &url, std::shared_ptr<const std::atomic<qint64>> workerId)
{
    std::unique_ptr<PgHistoryWriter> writer(new PgHistoryWriter(url, std::move(workerId)));
    if (Result<void> ok = writer->connect(); !ok)
        return ok.error();
    return std::unique_ptr<RunHistoryWriter>(std::move(writer));
}

RunRecorder::Opener PgHistoryWriter::opener(
    const StoreUrl &url, std::shared_ptr<const std::atomic<qint64>> workerId)
{
    return [url, workerId] { return open(url, workerId); };
}

Result<void> PgHistoryWriter::connect()
{
    m_connection = PgConnection();
    Result<PgConnection> connection = PgConnection::open(m_url, QStringLiteral("history"));
    if (!connection)
        return connection.error();
    m_connection = std::move(*connection);
    m_lockTimeoutMs = -1; // a new session has the server's default
    m_broken = false;
    return {};
}

void PgHistoryWriter::setBusyTimeout(int ms)
{
    // The only lock a write waits for is a run's row, held by a reaper for one statement. The
    // recorder sets it before every batch: a round trip only when it changes.
    if (!m_connection.isOpen() || ms == m_lockTimeoutMs)
        return;
    if (m_connection.exec(
            QStringLiteral("SELECT set_config('lock_timeout', ?, false)"), { QString::number(ms) }))
        m_lockTimeoutMs = ms;
}

Result<RunStore::CreatedRun> PgHistoryWriter::createRun(
    const RunStore::NewRun &run, bool checkOverlap)
{
    if (m_broken) {
        if (Result<void> ok = connect(); !ok)
            return ok.error();
    }
    const qint64 workerId = m_workerId->load();
    RunStore::CreatedRun created;
    if (run.claimedId != 0) {
        created.id = run.claimedId;
        m_owners.insert(run.claimedId, Owner{ workerId, run.attempt });
    } else {
        // A run started on this worker without the queue: its row is added as this worker's.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QByteArray parameters = QJsonDocument(QJsonObject::fromVariantMap(run.parameters))
                                          .toJson(QJsonDocument::Compact);
        Result<QSqlQuery> inserted = m_connection.exec(
            QStringLiteral("INSERT INTO flow_runs (flow, state, trigger, parameters, created_ms,"
                           " time_ms, started_ms, definition, source_path, reused_from,"
                           " worker_id, claimed_ms)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
            { run.flow, stateName(RunState::Running), run.trigger, QString::fromUtf8(parameters),
                qlonglong(now), qlonglong(run.timeMs ? run.timeMs : now), qlonglong(now),
                run.definition.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>())
                                         : QVariant(run.definition),
                nullable(run.sourcePath),
                run.reusedFrom ? QVariant(qlonglong(run.reusedFrom))
                               : QVariant(QMetaType::fromType<qlonglong>()),
                qlonglong(workerId), qlonglong(now) });
        if (!inserted) {
            m_broken = !m_connection.database().isOpen();
            return inserted.error();
        }
        if (!inserted->next())
            return Error{ tr("the server returned no run id"), m_url.redacted() };
        created.id = inserted->value(0).toLongLong();
        m_owners.insert(created.id, Owner{ workerId, 1 });
    }
    if (checkOverlap) {
        // The older of two runs of the flow goes on: each worker looks only below its own id.
        Result<QSqlQuery> other = m_connection.exec(
            QStringLiteral("SELECT min(id) FROM flow_runs WHERE flow = ? AND state = ?"
                           " AND id < ?"),
            { run.flow, stateName(RunState::Running), qlonglong(created.id) });
        if (other && other->next() && !other->value(0).isNull())
            created.runningElsewhere = other->value(0).toLongLong();
    }
    return created;
}

Result<void> PgHistoryWriter::write(const RunBacklog &backlog)
{
    if (m_broken) {
        if (Result<void> ok = connect(); !ok)
            return ok.error();
    }
    QSqlDatabase db = m_connection.database();
    if (!db.transaction()) {
        m_broken = true;
        return Error{ tr("cannot record the run history: the store does not answer"),
            m_url.redacted(), ErrorCode::Transient };
    }
    m_held.clear();
    m_lostNow.clear();
    m_updates.clear();
    Result<void> ok = backlog.forEach([this](const RunEvent &event) { return writeEvent(event); });
    if (ok)
        ok = writeTaskUpdates();
    if (ok && !db.commit())
        ok = Error{ tr("cannot record the run history: the commit failed"), m_url.redacted(),
            ErrorCode::Transient };
    if (!ok) {
        db.rollback();
        // A connection that died is opened anew before the next try; an error of a statement
        // on a live connection also costs only a reconnect.
        m_broken = true;
        return ok;
    }
    for (qint64 runId : std::as_const(m_lostNow)) {
        // Said once; the run's events are dropped from now on.
        m_owners.remove(runId);
        qWarning("sluice: %s",
            qPrintable(tr("run %1 is no longer this worker's (it was presumed dead and the run "
                          "handed on): its events are not recorded")
                           .arg(runId)));
    }
    return {};
}

Result<bool> PgHistoryWriter::holds(qint64 runId)
{
    if (const auto found = m_held.constFind(runId); found != m_held.cend())
        return *found;
    const auto owner = m_owners.constFind(runId);
    bool held = false;
    if (owner != m_owners.cend()) {
        Result<QSqlQuery> query = m_connection.exec(
            QStringLiteral("SELECT 1 FROM flow_runs WHERE id = ? AND worker_id = ?"
                           " AND attempt = ? AND state = ? FOR UPDATE"),
            { qlonglong(runId), qlonglong(owner->workerId), owner->attempt,
                stateName(RunState::Running) });
        if (!query)
            return query.error();
        held = query->next();
        if (!held)
            m_lostNow.append(runId);
    }
    m_held.insert(runId, held);
    return held;
}

Result<void> PgHistoryWriter::insertTransition(qint64 runId, const QString &task, RunState state,
    int attempt, qint64 atMs, const QString &message, const QString &messageKey)
{
    Result<QSqlQuery> done = m_connection.exec(
        QStringLiteral("INSERT INTO transitions (run_id, task, state, attempt, at_ms, message,"
                       " message_key) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        { qlonglong(runId), nullable(task), stateName(state), attempt, qlonglong(atMs),
            message.isNull() ? QStringLiteral("") : message, nullable(messageKey) });
    if (!done)
        return done.error();
    return {};
}

Result<void> PgHistoryWriter::writeEvent(const RunEvent &event)
{
    const qint64 runId = runOf(event);
    Result<bool> held = holds(runId);
    if (!held)
        return held.error();
    if (!*held)
        return {};
    if (const auto *started = std::get_if<RunStartedEvent>(&event)) {
        Result<QSqlQuery> updated = m_connection.exec(
            QStringLiteral("UPDATE flow_runs SET started_ms = ?, definition_sha256 = ?"
                           " WHERE id = ?"),
            { qlonglong(started->startedMs), nullable(started->definitionSha256),
                qlonglong(runId) });
        if (!updated)
            return updated.error();
        if (Result<void> ok =
                insertTransition(runId, {}, RunState::Running, 0, started->startedMs, {});
            !ok)
            return ok;
        // A run claimed again after a crash starts its tasks afresh.
        for (int i = 0; i < started->tasks.size(); ++i) {
            Result<QSqlQuery> task = m_connection.exec(
                QStringLiteral(
                    "INSERT INTO task_runs (run_id, position, task, upstream, state)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, position) DO UPDATE SET"
                    " task = EXCLUDED.task, upstream = EXCLUDED.upstream, state = EXCLUDED.state,"
                    " attempts = 0, started_ms = NULL, finished_ms = NULL, progress_done = NULL,"
                    " progress_total = NULL, message = '', message_key = NULL, output = NULL"),
                { qlonglong(runId), i, started->tasks.at(i),
                    upstreamText(started->upstream.value(i)), stateName(RunState::Pending) });
            if (!task)
                return task.error();
            if (Result<void> ok = insertTransition(
                    runId, started->tasks.at(i), RunState::Pending, 0, started->startedMs, {});
                !ok)
                return ok;
        }
        (void)m_connection.exec(QStringLiteral("SELECT pg_notify(?, ?)"),
            { QString::fromLatin1(PgRunQueue::RunsChannel), QString::number(runId) });
    } else if (const auto *task = std::get_if<TaskStateEvent>(&event)) {
        m_updates.add(*task);
        return insertTransition(runId, task->task, task->state, task->attempt, task->atMs,
            task->message, task->messageKey);
    } else if (const auto *line = std::get_if<LogEvent>(&event)) {
        Result<QSqlQuery> done = m_connection.exec(
            QStringLiteral("INSERT INTO log_lines (run_id, task, attempt, level, at_ms, text,"
                           " text_key) VALUES (?, ?, ?, ?, ?, ?, ?)"),
            { qlonglong(runId), line->task.isNull() ? QStringLiteral("") : line->task,
                line->attempt, levelName(line->level), qlonglong(line->atMs),
                line->text.isNull() ? QStringLiteral("") : line->text, nullable(line->textKey) });
        if (!done)
            return done.error();
    } else if (const auto *progress = std::get_if<ProgressEvent>(&event)) {
        m_updates.add(*progress);
    } else if (const auto *finished = std::get_if<RunFinishedEvent>(&event)) {
        // Task updates of this batch go first: the run's row ends last.
        if (Result<void> ok = writeTaskUpdates(); !ok)
            return ok;
        Result<QSqlQuery> ended = m_connection.exec(
            QStringLiteral("UPDATE flow_runs SET state = ?, started_ms = COALESCE(started_ms, ?),"
                           " finished_ms = ?, failed_task = ?, message = ?, message_key = ?"
                           " WHERE id = ?"),
            { stateName(finished->state), qlonglong(finished->startedMs),
                qlonglong(finished->finishedMs),
                finished->failedTask.isNull() ? QStringLiteral("") : finished->failedTask,
                finished->message.isNull() ? QStringLiteral("") : finished->message,
                nullable(finished->messageKey), qlonglong(runId) });
        if (!ended)
            return ended.error();
        if (Result<void> ok = insertTransition(runId, {}, finished->state, 0, finished->finishedMs,
                finished->message, finished->messageKey);
            !ok)
            return ok;
        (void)m_connection.exec(QStringLiteral("SELECT pg_notify(?, ?)"),
            { QString::fromLatin1(PgRunQueue::RunsChannel), QString::number(runId) });
        // Written: the row is not this worker's to touch again (the next batch holds no lock).
        m_held.insert(runId, false);
        m_owners.remove(runId);
    }
    return {};
}

Result<void> PgHistoryWriter::writeTaskUpdates()
{
    const QHash<TaskUpdates::Key, TaskUpdate> &updates = m_updates.all();
    for (auto it = updates.cbegin(); it != updates.cend(); ++it) {
        const TaskUpdate &update = it.value();
        const QVariant noText(QMetaType::fromType<QString>());
        Result<QSqlQuery> done = m_connection.exec(
            QStringLiteral(
                "UPDATE task_runs SET state = COALESCE(?, state),"
                " attempts = GREATEST(attempts, ?), started_ms = COALESCE(started_ms, ?),"
                " finished_ms = COALESCE(?, finished_ms), message = COALESCE(?, message),"
                " progress_done = COALESCE(?, progress_done),"
                " progress_total = COALESCE(?, progress_total), output = COALESCE(?, output),"
                " message_key = CASE WHEN ?::text IS NULL THEN message_key ELSE ? END"
                " WHERE run_id = ? AND position = ?"),
            { update.hasState ? QVariant(stateName(update.state)) : noText, update.attempt,
                nullableMs(update.startedMs), nullableMs(update.finishedMs),
                update.hasState
                    ? QVariant(update.message.isNull() ? QStringLiteral("") : update.message)
                    : noText,
                nullableCount(update.done), nullableCount(update.total), nullable(update.output),
                update.hasState ? QVariant(QStringLiteral("set")) : noText,
                nullable(update.messageKey), qlonglong(it.key().first), it.key().second });
        if (!done)
            return done.error();
    }
    m_updates.clear();
    return {};
}

} // namespace Sluice
