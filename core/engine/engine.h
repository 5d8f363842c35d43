#pragma once

// Runs flows: starts runs of registered flows on a thread pool, cancels them, persists every
// event to the run store (when enabled) and publishes it as a signal. Lives on the thread that
// created it (the GUI or the CLI's main thread); its signals are emitted there, in order per
// run, and reach receivers on other threads queued. Call its methods from that thread.

#include <memory>
#include <mutex>
#include <vector>

#include <QHash>
#include <QObject>
#include <QVariantMap>

#include "engine/flowrun.h"
#include "engine/result.h"
#include "engine/runevents.h"
#include "engine/runrecorder.h"

namespace Sluice {

class Executor;
class FlowRegistry;
class RunStore;

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
    // starts the writer thread. Call before the first start(). options: for tests (a short
    // busy timeout, a small log backlog).
    Result<void> enablePersistence(const QString &runsPath, int retentionDays,
        const RunRecorder::Options &options = RunRecorder::Options());
    bool hasPersistence() const { return m_recorder != nullptr; }
    // Threads for tasks, all runs together; <= 0: the default.
    void setMaxThreads(int count);

    // Starts a run of flow now and returns its id. parameters may hold typed values or text;
    // the error names an unknown flow or a bad parameter. A trigger that the flow's
    // concurrency policy refuses is recorded as a run that ends Skipped at once (runFinished).
    Result<qint64> start(const QString &flow, const QVariantMap &parameters = {},
        const QString &trigger = QStringLiteral("manual"));
    // False when the run is not active (or already being cancelled).
    bool cancel(qint64 runId, const QString &reason = {});
    void cancelAll(const QString &reason = {});
    bool isRunning(const QString &flow) const;
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
    void runStarted(const Sluice::RunStartedEvent &event);
    void taskStateChanged(const Sluice::TaskStateEvent &event);
    void logLine(const Sluice::LogEvent &event);
    void progressed(const Sluice::ProgressEvent &event);
    void runFinished(const Sluice::RunFinishedEvent &event);

private:
    void publish(RunEvent &&event) override;
    void runEnded(qint64 runId) override;
    void deliverEvents();
    void emitEvent(const RunEvent &event);
    QString defaultCancelReason() const;

    const FlowRegistry &m_registry;
    bool m_shutDown = false;
    std::unique_ptr<Executor> m_executor;
    std::unique_ptr<RunStore> m_store; // on this thread: creates the runs' rows
    std::unique_ptr<RunRecorder> m_recorder;

    mutable std::mutex m_runsMutex; // guards m_runs and m_nextLocalId
    QHash<qint64, std::shared_ptr<FlowRun>> m_runs;
    qint64 m_nextLocalId = 0;

    std::mutex m_eventsMutex; // guards m_events and m_deliveryPosted
    std::vector<RunEvent> m_events;
    bool m_deliveryPosted = false;
    std::vector<RunEvent> m_spareEvents; // this thread's only: capacity kept for the next delivery
};

} // namespace Sluice
