#pragma once

// Writes the engine's events to runs.sqlite on its own thread ("sluice-runs") with its own
// connection. Events queue in memory and are written in batches, one short transaction a
// batch, so that persistence costs the tasks almost nothing; a killed process loses at most
// the batch in memory and never leaves half of one. A batch that cannot be written (another
// process holds the file locked, a full disk) is never dropped: it is kept, in bounded memory
// (RunBacklog), and tried again with a growing pause until it is written. It also adds the
// runs' rows (createRun), so that no thread that starts a run waits on the file. append(),
// createRun(), takeCreated() and flush() may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <QList>
#include <QString>

#include "engine/ownedthread.h"
#include "engine/result.h"
#include "engine/runevents.h"
#include "engine/runstore.h"

namespace Sluice {

class RunBacklog;

// Where a RunRecorder writes: runs.sqlite (the default), or a fleet's PostgreSQL store
// (store/pghistorywriter). Made, used and destroyed on the recorder's thread only.
class RunHistoryWriter
{
public:
    virtual ~RunHistoryWriter() = default;
    // How long the next statements may wait for another connection's lock.
    virtual void setBusyTimeout(int ms) = 0;
    // All of the backlog in one transaction, or nothing.
    virtual Result<void> write(const RunBacklog &backlog) = 0;
    // Adds a run's row (RunStore::createRun), or adopts one that exists (NewRun::claimedId).
    virtual Result<RunStore::CreatedRun> createRun(
        const RunStore::NewRun &run, bool checkOverlap) = 0;
};

// A run to add to the run history (RunStore::createRun).
struct RunRequest
{
    qint64 ticket = 0; // the caller's name for it until it has an id
    RunStore::NewRun run; // flow, parameters, trigger, time, definition, ...
    bool checkOverlap = false; // look for a run of the flow in another process
};

// What became of a RunRequest: the run's id, or why it has none.
struct RunCreation
{
    qint64 ticket = 0;
    Result<RunStore::CreatedRun> created = Error{};
};

// How a RunRecorder writes; the defaults are for use, tests make the waits short.
struct RunRecorderOptions
{
    int busyTimeoutMs = 5000; // how long one write waits for another connection's lock
    int retryFirstMs = 100; // the pause after a failed write, doubling each time ...
    int retryMaxMs = 2000; // ... up to this
    int logLineLimit = 10000; // log lines kept while writes fail (see RunBacklog)
    int stopWaitMs = 30000; // how long the destructor goes on trying to write the rest
};

class RunRecorder
{
public:
    using Options = RunRecorderOptions;
    // Opens the writer; called once, on the recorder's thread.
    using Opener = std::function<Result<std::unique_ptr<RunHistoryWriter>>()>;

    // Starts the writer on a file whose schema RunStore::open() created. createdReady is
    // called on the writer's thread whenever takeCreated() has something new.
    static Result<std::unique_ptr<RunRecorder>> start(const QString &path,
        const Options &options = Options(), std::function<void()> createdReady = {});
    // The same on any writer; where names the history in messages (a path, a redacted URL).
    static Result<std::unique_ptr<RunRecorder>> start(Opener opener, const QString &where,
        const Options &options = Options(), std::function<void()> createdReady = {});
    // Writes what is queued, trying for at most the stop wait, then stops the thread; what
    // could not be written is said on stderr.
    ~RunRecorder();
    RunRecorder(const RunRecorder &) = delete;
    RunRecorder &operator=(const RunRecorder &) = delete;

    void append(const RunEvent &event);
    // Queues the run's row: the writer adds it before its next batch of events, the check for
    // a run of the flow in another process and the insert in one transaction, trying once and
    // waiting at most the busy timeout for another process's lock.
    void createRun(RunRequest request);
    // The outcomes of the requests handled since the last call, in the order requested.
    std::vector<RunCreation> takeCreated();
    // Creates no run from now on: the requests still queued end failed (Cancelled). Waits
    // for a row being written, at most the busy timeout. For shutdown.
    void stopCreating();
    // Waits until every event appended before the call is written, at most timeoutMs (< 0: no
    // limit). The error says how many events are still waiting and why.
    Result<void> flush(int timeoutMs = -1);
    // Changes the destructor's limit, e.g. for a process that must end soon.
    void setStopWait(int ms);

private:
    class SqliteWriter;
    using SteadyClock = std::chrono::steady_clock;

    RunRecorder(const QString &where, Opener opener, const Options &options,
        std::function<void()> createdReady);
    void loop();
    void createRequested(std::unique_lock<std::mutex> &lock, RunHistoryWriter &writer, int busyMs);
    Error unwrittenError(qsizetype events, const QList<qint64> &runs, const Error &cause) const;

    const QString m_path; // where, for messages
    Opener m_opener;
    const Options m_options;
    const std::function<void()> m_createdReady;
    std::mutex m_mutex; // guards everything below
    std::condition_variable m_wake; // the writer waits for events, or pauses after a failure
    std::condition_variable m_written; // flush() waits for the writer
    std::vector<RunEvent> m_queue;
    std::deque<RunRequest> m_requests;
    std::vector<RunCreation> m_created;
    quint64 m_requestedCount = 0;
    quint64 m_handledCount = 0; // requests whose outcome is in m_created or taken
    bool m_creating = false; // the writer is adding a row
    bool m_creationStopped = false;
    quint64 m_appendedCount = 0;
    quint64 m_writtenCount = 0;
    bool m_stopping = false;
    SteadyClock::time_point m_stopDeadline;
    int m_stopWaitMs;
    std::optional<Error> m_openError;
    bool m_opened = false;
    std::optional<Error> m_failure; // why the events held are not written yet
    qsizetype m_held = 0; // events held by the writer after a failed write
    QList<qint64> m_heldRuns; // their runs
    OwnedThread m_thread;
};

} // namespace Sluice
