#pragma once

// Writes the engine's events to runs.sqlite on its own thread ("sluice-runs") with its own
// connection. Events queue in memory and are written in batches, one short transaction a
// batch, so that persistence costs the tasks almost nothing; a killed process loses at most
// the batch in memory and never leaves half of one. A batch that cannot be written (another
// process holds the file locked, a full disk) is never dropped: it is kept, in bounded memory
// (RunBacklog), and tried again with a growing pause until it is written. append() and
// flush() may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <QList>
#include <QString>

#include "engine/ownedthread.h"
#include "engine/result.h"
#include "engine/runevents.h"

namespace Sluice {

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

    // Starts the writer on a file whose schema RunStore::open() created.
    static Result<std::unique_ptr<RunRecorder>> start(
        const QString &path, const Options &options = Options());
    // Writes what is queued, trying for at most the stop wait, then stops the thread; what
    // could not be written is said on stderr.
    ~RunRecorder();
    RunRecorder(const RunRecorder &) = delete;
    RunRecorder &operator=(const RunRecorder &) = delete;

    void append(const RunEvent &event);
    // Waits until every event appended before the call is written, at most timeoutMs (< 0: no
    // limit). The error says how many events are still waiting and why.
    Result<void> flush(int timeoutMs = -1);
    // Changes the destructor's limit, e.g. for a process that must end soon.
    void setStopWait(int ms);

private:
    class Writer;
    using SteadyClock = std::chrono::steady_clock;

    RunRecorder(const QString &path, const Options &options);
    void loop();
    Error unwrittenError(qsizetype events, const QList<qint64> &runs, const Error &cause) const;

    const QString m_path;
    const Options m_options;
    std::mutex m_mutex; // guards everything below
    std::condition_variable m_wake; // the writer waits for events, or pauses after a failure
    std::condition_variable m_written; // flush() waits for the writer
    std::vector<RunEvent> m_queue;
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
