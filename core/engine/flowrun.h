#pragma once

// One run of a flow: the state machine of its task runs (Pending -> Scheduled -> Running ->
// Completed, with Retrying, Failed, TimedOut, Cancelled and Skipped), driven from pool threads,
// the timer thread and the engine's thread under one mutex. Publishes every transition through
// its Host while holding that mutex, so that the events of a run keep their order.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include <QVariant>
#include <QVariantMap>

#include "engine/cancellationtoken.h"
#include "engine/executor.h"
#include "engine/flow.h"
#include "engine/message.h"
#include "engine/runevents.h"
#include "engine/runoptions.h"

namespace Sluice {

class FlowRun : public std::enable_shared_from_this<FlowRun>
{
public:
    // What a run needs from the engine that owns it. Called with the run's mutex held: an
    // implementation must not call back into the run.
    class Host
    {
    public:
        virtual ~Host() = default;
        virtual void publish(RunEvent &&event) = 0;
        virtual void runEnded(qint64 runId) = 0;
    };

    // ticket: what Engine::start() returned; id: the run's id in the run history.
    // options: its parameters resolved, its time set (Engine::start() does both).
    FlowRun(Host &host, Executor &executor, std::shared_ptr<const Flow> flow, qint64 ticket,
        qint64 id, RunOptions options);

    qint64 id() const { return m_id; }
    const Flow &flow() const { return *m_flow; }
    const QVariantMap &parameters() const { return m_options.parameters; }
    // The logical time (UTC) and the schedule's fire before it (invalid without a schedule).
    const QDateTime &time() const { return m_options.time; }
    const QDateTime &previousTime() const { return m_options.previousTime; }

    // Publishes runStarted and hands the tasks without upstream to the executor.
    void begin();
    // Cancels the run: every task's token is set, tasks not running end Cancelled at once, the
    // run ends when its running tasks have returned (or after a grace period). False when the
    // run already ended or is already being cancelled.
    bool cancel(const Message &reason);
    // Ends the run now: tasks still running end Cancelled and their results are discarded.
    void forceFinish(const Message &reason);
    // The engine is going away: publish nothing more.
    void detach() { m_host.store(nullptr); }
    bool isFinished() const;

    // On a pool thread: one attempt of a task, from Running to its outcome.
    void execute(int task, int attempt);

    // For TaskContext: the result of a task that completed (or was reused).
    QVariant result(int task) const
    {
        std::lock_guard lock(m_mutex);
        return m_tasks[std::size_t(task)].result;
    }
    void publishLog(int task, int attempt, LogLevel level, const QString &text);
    void publishProgress(int task, int attempt, qint64 done, qint64 total);
    // The task's current attempt, when it returns a value, ends Skipped with reason instead
    // of Completed (TaskContext::skip()).
    void requestSkip(int task, int attempt, const QString &reason);
    // Rows a task stored in a warehouse table, told in RunFinishedEvent::storedRows.
    void noteStored(const QString &table, qint64 rows);

    static constexpr int CancelGraceMs = 3000;

private:
    struct TaskRun
    {
        RunState state = RunState::Pending;
        int attempt = 0; // of the latest Scheduled/Running attempt
        int waitingFor = 0; // upstream tasks not completed yet
        quint64 timer = 0; // the timeout of a Running attempt or the delay of a Retrying one
        qint64 startedMs = 0;
        QVariant result;
        QString skipReason; // set by requestSkip() for the running attempt
        std::atomic<bool> cancelled{ false };
        std::atomic<int> liveAttempt{ 0 }; // the attempt whose log lines are still published
    };

    using Jobs = std::vector<Executor::Job>;

    // A task whose upstream completed (or whose retry is due) waits here for a free place
    // under the flow's max-parallel; dispatch() schedules the waiting ones in file order.
    void enqueue(int task, Jobs &jobs);
    void dispatch(Jobs &jobs);
    void schedule(int task, Jobs &jobs);
    void setState(
        int task, RunState state, const Message &message, qint64 now, const QString &output = {});
    void finishTask(int task, RunState state, const Message &message, qint64 now);
    void skipDownstream(int task, const Message &reason, qint64 now);
    void stopRunning(RunState state, const Message &message, qint64 now);
    // A line in the task's log from the engine itself (a failed attempt, a retry, the final
    // error), published whatever the attempt's liveness.
    void logTask(int task, LogLevel level, const Message &text, qint64 now);
    void finishIfDone(qint64 now);
    void onTaskTimeout(int task, int attempt);
    void onRetryDue(int task, int attempt);
    void onFlowTimeout();
    void cancelTimer(quint64 &timer);
    void publish(RunEvent &&event);
    CancellationToken token(int task);

    std::atomic<Host *> m_host;
    Executor &m_executor;
    const std::shared_ptr<const Flow> m_flow;
    const qint64 m_ticket;
    const qint64 m_id;
    const RunOptions m_options;

    mutable std::mutex m_mutex; // guards everything below and TaskRun members but the atomics
    std::vector<TaskRun> m_tasks;
    int m_open = 0; // tasks not in a final state
    int m_running = 0; // tasks in state Running
    int m_active = 0; // tasks in state Scheduled or Running (Flow::maxParallel())
    std::set<int> m_ready; // tasks waiting for a place, by index (file order)
    bool m_finished = false;
    std::optional<RunState> m_forced; // Cancelled or TimedOut: the run was stopped as a whole
    Message m_forcedReason;
    RunState m_failure = RunState::Completed; // Failed or TimedOut once a task ended so
    QString m_failedTask;
    Message m_failedMessage;
    Message m_skipReason; // of the first task that skipped itself; the run ends Skipped
    QMap<QString, qint64> m_storedRows; // table -> rows stored, -1 once a count is unknown
    quint64 m_flowTimer = 0;
    quint64 m_graceTimer = 0;
    qint64 m_startedMs = 0;
};

} // namespace Sluice
