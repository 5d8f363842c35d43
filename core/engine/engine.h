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

namespace Sluice {

class Executor;
class FlowRegistry;
class RunRecorder;
class RunStore;

class Engine : public QObject, private FlowRun::Host
{
    Q_OBJECT

public:
    // The registry must outlive the engine.
    explicit Engine(const FlowRegistry &registry, QObject *parent = nullptr);
    // Cancels the runs, waits for their tasks a few seconds and writes the last events.
    ~Engine() override;

    const FlowRegistry &registry() const { return m_registry; }

    // Records every run in the SQLite file at runsPath (runs.sqlite): opens it (runs left
    // Running by a dead process become Crashed), prunes history older than retentionDays and
    // starts the writer thread. Call before the first start().
    Result<void> enablePersistence(const QString &runsPath, int retentionDays);
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

    // Waits until every event published so far is in the run store; the error of the last
    // failed write, if any. Blocks: for the CLI, tests and shutdown.
    Result<void> flush();

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
