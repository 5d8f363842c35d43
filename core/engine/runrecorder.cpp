#include "engine/runrecorder.h"

#include <algorithm>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDriver>

#include <sqlite3.h>

#include "engine/runbacklog.h"
#include "engine/taskupdates.h"
#include "storage/sqliteconnection.h"

namespace Sluice {

namespace {

    // A prepared statement of the SQLite C API: QSqlQuery costs several microseconds a row in
    // binding alone, the C API a fraction of one. Bound strings must live until step().
    class Statement
    {
    public:
        Statement() = default;
        Statement(const Statement &) = delete;
        Statement &operator=(const Statement &) = delete;
        ~Statement() { sqlite3_finalize(m_statement); }

        bool prepare(sqlite3 *db, const char *sql)
        {
            return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr)
                == SQLITE_OK;
        }
        Statement &bind(int index, qint64 value)
        {
            sqlite3_bind_int64(m_statement, index, value);
            return *this;
        }
        Statement &bindNull(int index)
        {
            sqlite3_bind_null(m_statement, index);
            return *this;
        }
        // A null QString binds as NULL only when nullable; else as ''.
        Statement &bind(int index, const QString &text, bool nullable = false)
        {
            if (text.isNull() && nullable)
                sqlite3_bind_null(m_statement, index);
            else
                sqlite3_bind_text16(m_statement, index,
                    text.isEmpty() ? static_cast<const void *>(u"") : text.constData(),
                    int(text.size() * 2), SQLITE_STATIC);
            return *this;
        }
        Statement &bind(int index, const char *utf8)
        {
            sqlite3_bind_text(m_statement, index, utf8, -1, SQLITE_STATIC);
            return *this;
        }
        // Runs the statement once and makes it ready for the next bindings.
        bool step()
        {
            const int rc = sqlite3_step(m_statement);
            sqlite3_reset(m_statement);
            sqlite3_clear_bindings(m_statement);
            return rc == SQLITE_DONE;
        }

    private:
        sqlite3_stmt *m_statement = nullptr;
    };

} // namespace

// The writer of runs.sqlite: its statements, prepared once on the writer thread, the writing of
// one batch, and the run store that adds the runs' rows.
class RunRecorder::SqliteWriter : public RunHistoryWriter
{
public:
    static Result<std::unique_ptr<SqliteWriter>> create(
        SqliteConnection connection, std::unique_ptr<RunStore> store);
    void setBusyTimeout(int ms) override
    {
        sqlite3_busy_timeout(m_db, std::max(0, ms));
        m_busyMs = ms;
    }
    Result<void> write(const RunBacklog &backlog) override;
    Result<RunStore::CreatedRun> createRun(const RunStore::NewRun &run, bool checkOverlap) override
    {
        if (Result<void> ready = m_store->setBusyTimeout(m_busyMs); !ready)
            return ready.error();
        return m_store->createRun(run, checkOverlap);
    }

private:
    SqliteWriter(SqliteConnection connection, std::unique_ptr<RunStore> store, sqlite3 *db)
        : m_connection(std::move(connection))
        , m_store(std::move(store))
        , m_db(db)
    { }
    Error error() const;
    Result<void> step(Statement &statement);
    Result<void> execute(const char *sql);
    Result<void> writeEvent(const RunEvent &event);
    Result<void> insertTransition(qint64 runId, const QString &task, RunState state, int attempt,
        qint64 atMs, const QString &message, const QString &messageKey = {});
    Result<void> writeTaskUpdates();

    SqliteConnection m_connection; // outlives the statements
    std::unique_ptr<RunStore> m_store;
    sqlite3 *m_db = nullptr;
    int m_busyMs = SqliteConnection::BusyTimeoutMs;
    Statement m_runStarted;
    Statement m_runFinished;
    Statement m_transition;
    Statement m_taskInsert;
    Statement m_taskUpdate;
    Statement m_log;
    TaskUpdates m_updates; // of the batch being written
};

Result<std::unique_ptr<RunRecorder::SqliteWriter>> RunRecorder::SqliteWriter::create(
    SqliteConnection connection, std::unique_ptr<RunStore> store)
{
    const QVariant handle = connection.database().driver()->handle();
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0
        || !*static_cast<sqlite3 *const *>(handle.constData()))
        return Error{ QCoreApplication::translate(
                          "Sluice::RunRecorder", "the Qt SQLite driver gives no SQLite handle"),
            connection.path() };
    sqlite3 *db = *static_cast<sqlite3 *const *>(handle.constData());
    std::unique_ptr<SqliteWriter> writer(
        new SqliteWriter(std::move(connection), std::move(store), db));
    const std::pair<Statement *, const char *> statements[] = {
        { &writer->m_runStarted,
            "UPDATE flow_runs SET state = 'Running', started_ms = ?1 WHERE id = ?2" },
        { &writer->m_runFinished,
            "UPDATE flow_runs SET state = ?1, started_ms = COALESCE(started_ms, ?2),"
            " finished_ms = ?3, failed_task = ?4, message = ?5, message_key = ?7 WHERE id = ?6" },
        { &writer->m_transition,
            "INSERT INTO transitions (run_id, task, state, attempt, at_ms, message, message_key)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)" },
        { &writer->m_taskInsert,
            "INSERT OR REPLACE INTO task_runs (run_id, position, task, upstream, state)"
            " VALUES (?1, ?2, ?3, ?4, 'Pending')" },
        { &writer->m_taskUpdate,
            "UPDATE task_runs SET state = COALESCE(?1, state), attempts = MAX(attempts, ?2),"
            " started_ms = COALESCE(started_ms, ?3), finished_ms = COALESCE(?4, finished_ms),"
            " message = COALESCE(?5, message), progress_done = COALESCE(?6, progress_done),"
            " progress_total = COALESCE(?7, progress_total), output = COALESCE(?10, output),"
            " message_key = CASE WHEN ?5 IS NULL THEN message_key ELSE ?11 END"
            " WHERE run_id = ?8 AND position = ?9" },
        { &writer->m_log,
            "INSERT INTO log_lines (run_id, task, attempt, level, at_ms, text, text_key)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)" },
    };
    for (const auto &[statement, sql] : statements) {
        if (!statement->prepare(db, sql))
            return writer->error();
    }
    return writer;
}

Error RunRecorder::SqliteWriter::error() const
{
    return Error{ QCoreApplication::translate(
                      "Sluice::RunRecorder", "cannot record the run history: %1")
                      .arg(QString::fromUtf8(sqlite3_errmsg(m_db))),
        m_connection.path() };
}

Result<void> RunRecorder::SqliteWriter::step(Statement &statement)
{
    if (statement.step())
        return {};
    return error();
}

Result<void> RunRecorder::SqliteWriter::execute(const char *sql)
{
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) == SQLITE_OK)
        return {};
    return error();
}

Result<void> RunRecorder::SqliteWriter::write(const RunBacklog &backlog)
{
    if (Result<void> ok = execute("BEGIN IMMEDIATE"); !ok)
        return ok;
    m_updates.clear();
    Result<void> ok = backlog.forEach([this](const RunEvent &event) { return writeEvent(event); });
    if (ok)
        ok = writeTaskUpdates();
    if (ok)
        ok = execute("COMMIT");
    if (!ok)
        (void)execute("ROLLBACK");
    return ok;
}

Result<void> RunRecorder::SqliteWriter::insertTransition(qint64 runId, const QString &task,
    RunState state, int attempt, qint64 atMs, const QString &message, const QString &messageKey)
{
    m_transition.bind(1, runId).bind(2, task, true).bind(3, stateNameUtf8(state)).bind(4, attempt);
    m_transition.bind(5, atMs).bind(6, message).bind(7, messageKey, true);
    return step(m_transition);
}

Result<void> RunRecorder::SqliteWriter::writeEvent(const RunEvent &event)
{
    if (const auto *started = std::get_if<RunStartedEvent>(&event)) {
        m_runStarted.bind(1, started->startedMs).bind(2, started->runId);
        if (Result<void> ok = step(m_runStarted); !ok)
            return ok;
        if (Result<void> ok =
                insertTransition(started->runId, {}, RunState::Running, 0, started->startedMs, {});
            !ok)
            return ok;
        for (int i = 0; i < started->tasks.size(); ++i) {
            const QString upstream = upstreamText(started->upstream.value(i));
            m_taskInsert.bind(1, started->runId)
                .bind(2, i)
                .bind(3, started->tasks.at(i))
                .bind(4, upstream);
            if (Result<void> ok = step(m_taskInsert); !ok)
                return ok;
            if (Result<void> ok = insertTransition(started->runId, started->tasks.at(i),
                    RunState::Pending, 0, started->startedMs, {});
                !ok)
                return ok;
        }
    } else if (const auto *task = std::get_if<TaskStateEvent>(&event)) {
        m_updates.add(*task);
        return insertTransition(task->runId, task->task, task->state, task->attempt, task->atMs,
            task->message, task->messageKey);
    } else if (const auto *line = std::get_if<LogEvent>(&event)) {
        m_log.bind(1, line->runId)
            .bind(2, line->task)
            .bind(3, line->attempt)
            .bind(4, levelNameUtf8(line->level));
        m_log.bind(5, line->atMs).bind(6, line->text).bind(7, line->textKey, true);
        return step(m_log);
    } else if (const auto *progress = std::get_if<ProgressEvent>(&event)) {
        m_updates.add(*progress);
    } else if (const auto *finished = std::get_if<RunFinishedEvent>(&event)) {
        // Task updates of this batch go first: the run's row ends last.
        if (Result<void> ok = writeTaskUpdates(); !ok)
            return ok;
        m_runFinished.bind(1, stateNameUtf8(finished->state)).bind(2, finished->startedMs);
        m_runFinished.bind(3, finished->finishedMs)
            .bind(4, finished->failedTask)
            .bind(5, finished->message);
        m_runFinished.bind(6, finished->runId).bind(7, finished->messageKey, true);
        if (Result<void> ok = step(m_runFinished); !ok)
            return ok;
        return insertTransition(finished->runId, {}, finished->state, 0, finished->finishedMs,
            finished->message, finished->messageKey);
    }
    return {};
}

Result<void> RunRecorder::SqliteWriter::writeTaskUpdates()
{
    for (auto it = m_updates.all().cbegin(); it != m_updates.all().cend(); ++it) {
        const TaskUpdate &update = it.value();
        if (update.hasState)
            m_taskUpdate.bind(1, stateNameUtf8(update.state)).bind(5, update.message);
        else
            m_taskUpdate.bindNull(1).bindNull(5);
        m_taskUpdate.bind(2, update.attempt);
        update.startedMs ? m_taskUpdate.bind(3, update.startedMs) : m_taskUpdate.bindNull(3);
        update.finishedMs ? m_taskUpdate.bind(4, update.finishedMs) : m_taskUpdate.bindNull(4);
        update.done >= 0 ? m_taskUpdate.bind(6, update.done) : m_taskUpdate.bindNull(6);
        update.total >= 0 ? m_taskUpdate.bind(7, update.total) : m_taskUpdate.bindNull(7);
        m_taskUpdate.bind(8, it.key().first).bind(9, it.key().second);
        m_taskUpdate.bind(10, update.output, true).bind(11, update.messageKey, true);
        if (Result<void> ok = step(m_taskUpdate); !ok)
            return ok;
    }
    m_updates.clear();
    return {};
}

RunRecorder::RunRecorder(
    const QString &where, Opener opener, const Options &options, std::function<void()> createdReady)
    : m_path(where)
    , m_opener(std::move(opener))
    , m_options(options)
    , m_createdReady(std::move(createdReady))
    , m_stopWaitMs(options.stopWaitMs)
{ }

Result<std::unique_ptr<RunRecorder>> RunRecorder::start(
    const QString &path, const Options &options, std::function<void()> createdReady)
{
    Opener opener = [path]() -> Result<std::unique_ptr<RunHistoryWriter>> {
        Result<std::unique_ptr<RunStore>> store = RunStore::open(path);
        if (!store)
            return store.error();
        Result<SqliteConnection> connection =
            SqliteConnection::open(path, QStringLiteral("recorder"));
        if (!connection)
            return connection.error();
        Result<std::unique_ptr<SqliteWriter>> writer =
            SqliteWriter::create(std::move(*connection), std::move(*store));
        if (!writer)
            return writer.error();
        return std::unique_ptr<RunHistoryWriter>(std::move(*writer));
    };
    return start(std::move(opener), path, options, std::move(createdReady));
}

Result<std::unique_ptr<RunRecorder>> RunRecorder::start(
    Opener opener, const QString &where, const Options &options, std::function<void()> createdReady)
{
    std::unique_ptr<RunRecorder> recorder(
        new RunRecorder(where, std::move(opener), options, std::move(createdReady)));
    RunRecorder *self = recorder.get();
    recorder->m_thread = startThread(QStringLiteral("runs"), [self] { self->loop(); });
    std::unique_lock lock(recorder->m_mutex);
    recorder->m_written.wait(lock, [self] { return self->m_opened || self->m_openError; });
    if (recorder->m_openError) {
        const Error error = *recorder->m_openError;
        lock.unlock();
        recorder->m_thread.reset();
        return error;
    }
    return recorder;
}

RunRecorder::~RunRecorder()
{
    stopCreating();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_stopDeadline = SteadyClock::now() + std::chrono::milliseconds(std::max(0, m_stopWaitMs));
    }
    m_wake.notify_all();
    m_thread.reset();
}

void RunRecorder::setStopWait(int ms)
{
    std::lock_guard lock(m_mutex);
    m_stopWaitMs = ms;
}

void RunRecorder::append(const RunEvent &event)
{
    bool wasEmpty = false;
    {
        std::lock_guard lock(m_mutex);
        wasEmpty = m_queue.empty();
        m_queue.push_back(event);
        ++m_appendedCount;
    }
    if (wasEmpty)
        m_wake.notify_one();
}

void RunRecorder::createRun(RunRequest request)
{
    bool refused = false;
    {
        std::lock_guard lock(m_mutex);
        refused = m_creationStopped || !m_opened;
        ++m_requestedCount;
        if (refused) {
            m_created.push_back({ request.ticket,
                Error{
                    QCoreApplication::translate("Sluice::RunRecorder", "Sluice is shutting down"),
                    m_path, ErrorCode::Cancelled } });
            ++m_handledCount;
        } else {
            m_requests.push_back(std::move(request));
        }
    }
    if (refused) {
        if (m_createdReady)
            m_createdReady();
    } else {
        m_wake.notify_one();
    }
}

std::vector<RunCreation> RunRecorder::takeCreated()
{
    std::lock_guard lock(m_mutex);
    std::vector<RunCreation> created;
    created.swap(m_created);
    return created;
}

void RunRecorder::stopCreating()
{
    std::unique_lock lock(m_mutex);
    if (m_creationStopped)
        return;
    m_creationStopped = true;
    const qsizetype refused = qsizetype(m_requests.size());
    for (RunRequest &request : m_requests) {
        m_created.push_back({ request.ticket,
            Error{ QCoreApplication::translate("Sluice::RunRecorder", "Sluice is shutting down"),
                m_path, ErrorCode::Cancelled } });
    }
    m_requests.clear();
    m_handledCount += quint64(refused);
    m_written.wait(lock, [this] { return !m_creating; });
}

Result<void> RunRecorder::flush(int timeoutMs)
{
    std::unique_lock lock(m_mutex);
    const quint64 target = m_appendedCount;
    const quint64 requested = m_requestedCount;
    const auto done = [&] {
        return (m_writtenCount >= target && m_handledCount >= requested) || !m_opened;
    };
    if (timeoutMs < 0)
        m_written.wait(lock, done);
    else
        m_written.wait_for(lock, std::chrono::milliseconds(timeoutMs), done);
    if (m_writtenCount >= target && m_handledCount >= requested)
        return {};
    const qsizetype waiting =
        m_held + qsizetype(m_queue.size()) + qsizetype(m_requestedCount - m_handledCount);
    return unwrittenError(waiting, m_heldRuns,
        m_failure ? *m_failure
                  : Error{ QCoreApplication::translate("Sluice::RunRecorder", "still writing"),
                      m_path, ErrorCode::Transient });
}

Error RunRecorder::unwrittenError(
    qsizetype events, const QList<qint64> &runs, const Error &cause) const
{
    QStringList ids;
    for (qint64 id : runs)
        ids << QString::number(id);
    const QString what = ids.isEmpty()
        ? QCoreApplication::translate("Sluice::RunRecorder",
            "%n event(s) of the run history are not written yet: %1", nullptr, int(events))
              .arg(cause.what)
        : QCoreApplication::translate("Sluice::RunRecorder",
            "%n event(s) of run(s) %1 are not written yet: %2", nullptr, int(events))
              .arg(ids.join(QStringLiteral(", ")), cause.what);
    return Error{ what, m_path, ErrorCode::Transient };
}

// Adds the rows of the runs requested, one transaction each, and says so; the lock is held
// on entry and on return, not while writing.
void RunRecorder::createRequested(
    std::unique_lock<std::mutex> &lock, RunHistoryWriter &writer, int busyMs)
{
    while (!m_requests.empty() && !m_creationStopped) {
        RunRequest request = std::move(m_requests.front());
        m_requests.pop_front();
        m_creating = true;
        lock.unlock();
        writer.setBusyTimeout(busyMs);
        Result<RunStore::CreatedRun> created = writer.createRun(request.run, request.checkOverlap);
        lock.lock();
        m_created.push_back({ request.ticket, std::move(created) });
        ++m_handledCount;
        if (m_createdReady) {
            // Still creating: stopCreating() waits, so the receiver is alive.
            lock.unlock();
            m_createdReady();
            lock.lock();
        }
        m_creating = false;
        m_written.notify_all();
    }
}

void RunRecorder::loop()
{
    Result<std::unique_ptr<RunHistoryWriter>> writer = m_opener();
    {
        std::lock_guard lock(m_mutex);
        if (!writer)
            m_openError = writer.error();
        else
            m_opened = true;
    }
    m_written.notify_all();
    if (!writer)
        return;

    // Events taken from the queue stay in the backlog until a write of all of them succeeds;
    // the events appended meanwhile join it before the next try.
    RunBacklog backlog(m_options.logLineLimit);
    std::vector<RunEvent> incoming;
    quint64 upTo = 0; // appended events that are in the backlog or written
    int pauseMs = 0; // after a failed write: before the next try
    QElapsedTimer failingFor; // since the first failure of a series
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (backlog.isEmpty()) {
            m_wake.wait(
                lock, [this] { return !m_queue.empty() || !m_requests.empty() || m_stopping; });
            if (m_queue.empty() && m_requests.empty())
                break; // stopping with everything written
        } else {
            // Paused after a failure. A stop ends the pause: the rest is tried at once, and
            // given up when the stop's time is up.
            const bool wasStopping = m_stopping;
            auto resume = SteadyClock::now() + std::chrono::milliseconds(pauseMs);
            if (wasStopping)
                resume = std::min(resume, m_stopDeadline);
            m_wake.wait_until(
                lock, resume, [&] { return m_stopping != wasStopping || !m_requests.empty(); });
            if (m_stopping && SteadyClock::now() >= m_stopDeadline) {
                QStringList ids;
                for (qint64 id : backlog.runs())
                    ids << QString::number(id);
                qWarning("sluice: %s",
                    qPrintable(QCoreApplication::translate("Sluice::RunRecorder",
                        "%1: %n event(s) of run(s) %2 could not be written before the end (%3); "
                        "runs left in progress show as Crashed at the next start",
                        nullptr, int(backlog.size() + qsizetype(m_queue.size())))
                                   .arg(m_path, ids.join(QStringLiteral(", ")),
                                       m_failure ? m_failure->what : QString())));
                break;
            }
        }
        int busyMs = m_options.busyTimeoutMs;
        if (m_stopping) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                m_stopDeadline - SteadyClock::now());
            busyMs = int(std::clamp<qint64>(left.count(), 0, busyMs));
        }
        // A run's row goes before the batch: its events can only follow it.
        createRequested(lock, **writer, busyMs);
        if (m_queue.empty() && backlog.isEmpty())
            continue;
        incoming.swap(m_queue);
        upTo = m_appendedCount;
        lock.unlock();

        for (RunEvent &event : incoming)
            backlog.add(std::move(event));
        incoming.clear();
        (*writer)->setBusyTimeout(busyMs);
        const Result<void> ok = (*writer)->write(backlog);
        if (ok) {
            if (failingFor.isValid()) {
                qWarning("sluice: %s",
                    qPrintable(QCoreApplication::translate("Sluice::RunRecorder",
                        "the run history is written again; it could not be for %1 s")
                                   .arg(double(failingFor.elapsed()) / 1000.0, 0, 'f', 1)));
                failingFor.invalidate();
            }
            backlog.clear();
            pauseMs = 0;
        } else {
            if (!failingFor.isValid()) {
                failingFor.start();
                qWarning("sluice: %s",
                    qPrintable(QCoreApplication::translate("Sluice::RunRecorder",
                        "%1; keeping %n event(s) in memory and trying again", nullptr,
                        int(backlog.size()))
                                   .arg(ok.error().message())));
            }
            pauseMs =
                pauseMs == 0 ? m_options.retryFirstMs : std::min(pauseMs * 2, m_options.retryMaxMs);
        }

        lock.lock();
        if (ok) {
            m_writtenCount = upTo;
            m_failure.reset();
            m_held = 0;
            m_heldRuns.clear();
        } else {
            m_failure = ok.error();
            m_held = backlog.size();
            m_heldRuns = backlog.runs();
        }
        m_written.notify_all();
    }
    m_opened = false;
    m_written.notify_all();
    lock.unlock();
    writer = Error{}; // statements and connections close on this thread
}

} // namespace Sluice
