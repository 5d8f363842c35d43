#pragma once

// Runs flows: starts runs of registered flows on a thread pool, cancels them, persists every
// event to the run store (when enabled) and publishes it as a signal. Lives on the thread that
// created it (the GUI or the CLI's main thread); its signals are emitted there, in order per
// run, and reach receivers on other threads queued. Call its methods from that thread; none
// of them waits on the run store but flush() and shutDown().

#include <memory>
#include <mutex>
#include <vector>

#include <QHash>
#include <QObject>
#include <QVariantMap>

#include "engine/flowrun.h"
#include "engine/result.h"
#include "engine/runevents.h"
#include "engine/runoptions.h"
#include "engine/runrecorder.h"

namespace Sluice {

class Executor;
class FlowRegistry;

class Engine : public QObject, private FlowRun::Host
{
    Q_OBJECT

public:
    // The registry must outlive the engine.
    explicit Engine(const FlowRegistry &registry, QObject *parent = nullptr);
    // shutDown() with the default limits, unless it was called.
    ~Engine() override;

    const FlowRegistry &registry() const { return m_registry; }

    // Records every run in the SQLite file at runsPath (runs.sqlite): opens it (runs left
    // Running by a dead process become Crashed), prunes history older than retentionDays and
    // starts the writer thread, which also adds the runs' rows. Call before the first start().
    // options: for tests (a short busy timeout, a small log backlog).
    Result<void> enablePersistence(const QString &runsPath, int retentionDays,
        const RunRecorder::Options &options = RunRecorder::Options());
    // Records every run through a writer of another kind (a fleet's PostgreSQL store, whose
    // workers' reaper marks dead runs): no opening check and no pruning here. where names the
    // store in messages.
    Result<void> enablePersistence(RunRecorder::Opener opener, const QString &where,
        const RunRecorder::Options &options = RunRecorder::Options());
    bool hasPersistence() const { return m_recorder != nullptr; }
    // Threads for tasks, all runs together; <= 0: the default.
    void setMaxThreads(int count);

    // Starts a run of flow and returns its ticket at once; runQueued is emitted before it
    // returns. parameters may hold typed values or text; the error names an unknown flow or a
    // bad parameter. The run's id is the run store's: the recorder's thread adds its row (and
    // looks for a run of the flow in another process in the same transaction) while the run
    // waits; then runStarted, or runFinished Skipped when the flow's concurrency policy refuses
    // the trigger, carries the ticket and the id. When the row cannot be written (the file
    // stays locked past the busy timeout), runStartFailed carries the ticket and the error.
    // Without persistence the run starts before start() returns and its id is the ticket.
    Result<qint64> start(const QString &flow, const QVariantMap &parameters = {},
        const QString &trigger = QStringLiteral("manual"));
    // The same with a logical time (and, for a retry, the tasks to reuse). A flow file that
    // cannot run (FlowRegistry::brokenFlow()) gets a run recorded Failed at once, naming the
    // error: runQueued, then runFinished, with no task.
    Result<qint64> start(const QString &flow, RunOptions options);
    // False when the run is not active (or already being cancelled). An empty reason: "cancelled
    // by the user". A Message is stored language-neutral; a QString is plain text.
    bool cancel(qint64 runId, const Message &reason = {});
    bool cancel(qint64 runId, const QString &reason);
    // Also the runs still waiting for their row: they end Cancelled once it is written.
    void cancelAll(const Message &reason = {});
    void cancelAll(const QString &reason);
    // Whether a run of flow is active or waits for its row.
    bool isRunning(const QString &flow) const;
    // The ids of the runs that started and have not finished.
    QList<qint64> activeRuns() const;

    // Waits until every event published so far is in the run store, at most timeoutMs (< 0:
    // no limit); the error says what is not written yet and why (e.g. another process holds
    // runs.sqlite locked). Blocks: for the CLI, tests and shutdown.
    static constexpr int FlushWaitMs = 30000;
    Result<void> flush(int timeoutMs = FlushWaitMs);

    // The end: cancels the runs, waits for their tasks, then for the run store to write the
    // last events, all within limitMs (< 0: a few seconds for the tasks and the recorder's
    // stop wait for the rest); what could not be written is said on stderr. Nothing may be
    // started afterwards. Called by the destructor when not before.
    void shutDown(int limitMs = -1);

Q_SIGNALS:
    void runQueued(const Sluice::RunQueuedEvent &event);
    void runStartFailed(const Sluice::RunStartFailedEvent &event);
    void runStarted(const Sluice::RunStartedEvent &event);
    void taskStateChanged(const Sluice::TaskStateEvent &event);
    void logLine(const Sluice::LogEvent &event);
    void progressed(const Sluice::ProgressEvent &event);
    void runFinished(const Sluice::RunFinishedEvent &event);

private:
    // A ticket whose run waits for its row (this thread only).
    struct PendingRun
    {
        std::shared_ptr<const Flow> flow;
        RunOptions options; // parameters resolved, time set
        Message cancelReason; // set by cancelAll(): the run ends Cancelled once it has a row
        QString failure; // a run that failed before it started: it ends Failed with this
    };

    void deliverCreated();
    void onRunCreated(RunCreation &&creation);
    void beginRun(qint64 ticket, const PendingRun &pending, qint64 id, qint64 runningElsewhere);
    void publish(RunEvent &&event) override;
    void runEnded(qint64 runId) override;
    void deliverEvents();
    void emitEvent(const RunEvent &event);
    static Message defaultCancelReason();

    const FlowRegistry &m_registry;
    bool m_shutDown = false;
    std::unique_ptr<Executor> m_executor;
    std::unique_ptr<RunRecorder> m_recorder;
    qint64 m_lastTicket = 0;
    QHash<qint64, PendingRun> m_pending; // by ticket

    mutable std::mutex m_runsMutex; // guards m_runs
    QHash<qint64, std::shared_ptr<FlowRun>> m_runs;

    std::mutex m_eventsMutex; // guards m_events and m_deliveryPosted
    std::vector<RunEvent> m_events;
    bool m_deliveryPosted = false;
    std::vector<RunEvent> m_spareEvents; // this thread's only: capacity kept for the next delivery
};

} // namespace Sluice
