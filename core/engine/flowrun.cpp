#include "engine/flowrun.h"

#include <QCoreApplication>
#include <QDateTime>

#include "engine/taskcontext.h"

namespace Sluice {

namespace {

    qint64 nowMs()
    {
        return QDateTime::currentMSecsSinceEpoch();
    }

    // A message of this class, kept language-neutral; source is marked with QT_TRANSLATE_NOOP.
    Message text(const char *source)
    {
        return Message("Sluice::FlowRun", source);
    }

    // The delay before a retry in seconds, as short as exact: "4", "0.25".
    QString secondsText(int ms)
    {
        return QString::number(ms / 1000.0, 'g', 10);
    }

} // namespace

FlowRun::FlowRun(Host &host, Executor &executor, std::shared_ptr<const Flow> flow, qint64 ticket,
    qint64 id, RunOptions options)
    : m_host(&host)
    , m_executor(executor)
    , m_flow(std::move(flow))
    , m_ticket(ticket)
    , m_id(id)
    , m_options(std::move(options))
    , m_tasks(std::size_t(m_flow->taskCount()))
{ }

bool FlowRun::isFinished() const
{
    std::lock_guard lock(m_mutex);
    return m_finished;
}

void FlowRun::publish(RunEvent &&event)
{
    if (Host *host = m_host.load())
        host->publish(std::move(event));
}

CancellationToken FlowRun::token(int task)
{
    // Aliases the run: the token keeps the run (and so its flag) alive.
    return CancellationToken(std::shared_ptr<std::atomic<bool>>(
        shared_from_this(), &m_tasks[std::size_t(task)].cancelled));
}

void FlowRun::begin()
{
    Jobs jobs;
    {
        std::lock_guard lock(m_mutex);
        const qint64 now = nowMs();
        m_startedMs = now;
        RunStartedEvent started{ m_id, m_flow->name(), m_options.trigger, now, m_options.parameters,
            {}, {}, m_ticket, m_options.time.toMSecsSinceEpoch(), m_flow->sourcePath(),
            m_flow->sourceSha256(), m_options.reusedFrom };
        started.tasks.reserve(m_flow->taskCount());
        started.upstream.reserve(m_flow->taskCount());
        for (const TaskSpec &spec : m_flow->tasks()) {
            started.tasks << spec.name;
            started.upstream << spec.upstream;
        }
        publish(std::move(started));

        m_open = m_flow->taskCount();
        for (int i = 0; i < m_flow->taskCount(); ++i)
            m_tasks[std::size_t(i)].waitingFor = int(m_flow->upstreamOf(i).size());
        // A retry: the tasks it reuses complete at once, in graph order (a task before the
        // tasks downstream of it), so that what they unblock starts below.
        if (!m_options.reusedOutputs.isEmpty()) {
            const Message reused = text(QT_TRANSLATE_NOOP("Sluice::FlowRun", "reused from run %1"))
                                       .arg(m_options.reusedFrom);
            bool progressed = true;
            while (progressed) {
                progressed = false;
                for (int i = 0; i < m_flow->taskCount(); ++i) {
                    TaskRun &task = m_tasks[std::size_t(i)];
                    const auto output = m_options.reusedOutputs.constFind(m_flow->task(i).name);
                    if (task.state != RunState::Pending || task.waitingFor != 0
                        || output == m_options.reusedOutputs.cend())
                        continue;
                    task.result = *output;
                    task.startedMs = now;
                    finishTask(i, RunState::Completed, reused, now);
                    for (int next : m_flow->downstreamOf(i))
                        --m_tasks[std::size_t(next)].waitingFor;
                    progressed = true;
                }
            }
        }
        for (int i = 0; i < m_flow->taskCount(); ++i) {
            if (m_tasks[std::size_t(i)].state == RunState::Pending
                && m_tasks[std::size_t(i)].waitingFor == 0)
                enqueue(i, jobs);
        }
        finishIfDone(now); // every task was reused
        if (m_flow->timeoutMs() > 0 && !m_finished) {
            m_flowTimer =
                m_executor.timers().scheduleAfter(m_flow->timeoutMs(), [weak = weak_from_this()] {
                    if (auto run = weak.lock())
                        run->onFlowTimeout();
                });
        }
    }
    m_executor.submit(std::move(jobs));
}

void FlowRun::enqueue(int index, Jobs &jobs)
{
    m_ready.insert(index);
    dispatch(jobs);
}

void FlowRun::dispatch(Jobs &jobs)
{
    const int limit = m_flow->maxParallel();
    while (!m_ready.empty() && (limit <= 0 || m_active < limit)) {
        const int index = *m_ready.begin();
        m_ready.erase(m_ready.begin());
        const RunState state = m_tasks[std::size_t(index)].state;
        if (state == RunState::Pending || state == RunState::Retrying) // else cancelled meanwhile
            schedule(index, jobs);
    }
}

void FlowRun::schedule(int index, Jobs &jobs)
{
    TaskRun &task = m_tasks[std::size_t(index)];
    ++task.attempt;
    setState(index, RunState::Scheduled, {}, nowMs());
    jobs.push_back({ shared_from_this(), index, task.attempt });
}

void FlowRun::setState(
    int index, RunState state, const Message &message, qint64 now, const QString &output)
{
    TaskRun &task = m_tasks[std::size_t(index)];
    const auto active = [](RunState s) {
        return s == RunState::Scheduled || s == RunState::Running;
    };
    if (active(task.state) != active(state))
        m_active += active(state) ? 1 : -1;
    task.state = state;
    publish(TaskStateEvent{ m_id, m_flow->name(), m_flow->task(index).name, index, state,
        task.attempt, now, message.english(), output, message.key() });
}

void FlowRun::logTask(int index, LogLevel level, const Message &text, qint64 now)
{
    const TaskRun &task = m_tasks[std::size_t(index)];
    publish(LogEvent{ m_id, m_flow->name(), m_flow->task(index).name, index, task.attempt, level,
        now, text.english(), text.key() });
}

void FlowRun::finishTask(int index, RunState state, const Message &message, qint64 now)
{
    TaskRun &task = m_tasks[std::size_t(index)];
    // The end of a task that ran goes to its log too, where "Errors only" finds it.
    if (state == RunState::Failed) {
        logTask(index, LogLevel::Error,
            task.attempt > 1
                ? text(QT_TRANSLATE_NOOP("Sluice::FlowRun", "Failed after %1 attempts: %2"))
                      .arg(task.attempt)
                      .arg(message)
                : text(QT_TRANSLATE_NOOP("Sluice::FlowRun", "Failed: %1")).arg(message),
            now);
    } else if (state == RunState::TimedOut) {
        logTask(index, LogLevel::Error,
            text(QT_TRANSLATE_NOOP("Sluice::FlowRun", "Timed out: %1")).arg(message), now);
    } else if (state == RunState::Cancelled
        && (task.state == RunState::Running || task.state == RunState::Retrying)) {
        logTask(index, LogLevel::Warning,
            text(QT_TRANSLATE_NOOP("Sluice::FlowRun", "Cancelled: %1")).arg(message), now);
    }
    if (task.state == RunState::Running)
        --m_running;
    task.liveAttempt.store(0);
    cancelTimer(task.timer);
    --m_open;
    if ((state == RunState::Failed || state == RunState::TimedOut)
        && m_failure == RunState::Completed) {
        m_failure = state;
        m_failedTask = m_flow->task(index).name;
        m_failedMessage = message;
    } else if (state == RunState::Failed && m_failure == RunState::TimedOut) {
        m_failure = RunState::Failed; // a failure outranks a timeout in the run's state
    }
    setState(index, state, message, now,
        state == RunState::Completed ? outputText(task.result) : QString());
}

void FlowRun::skipDownstream(int index, const Message &reason, qint64 now)
{
    std::vector<int> next(m_flow->downstreamOf(index).cbegin(), m_flow->downstreamOf(index).cend());
    while (!next.empty()) {
        const int task = next.back();
        next.pop_back();
        if (m_tasks[std::size_t(task)].state != RunState::Pending)
            continue;
        finishTask(task, RunState::Skipped, reason, now);
        next.insert(
            next.end(), m_flow->downstreamOf(task).cbegin(), m_flow->downstreamOf(task).cend());
    }
}

void FlowRun::cancelTimer(quint64 &timer)
{
    if (timer) {
        m_executor.timers().cancel(timer);
        timer = 0;
    }
}

void FlowRun::execute(int index, int attempt)
{
    TaskRun &task = m_tasks[std::size_t(index)];
    {
        std::lock_guard lock(m_mutex);
        if (m_finished || task.state != RunState::Scheduled || task.attempt != attempt)
            return; // cancelled while it waited in the queue
        const qint64 now = nowMs();
        if (task.startedMs == 0)
            task.startedMs = now;
        ++m_running;
        task.skipReason.clear();
        task.liveAttempt.store(attempt);
        setState(index, RunState::Running, {}, now);
        if (const int timeout = m_flow->timeoutOf(index); timeout > 0) {
            task.timer = m_executor.timers().scheduleAfter(
                timeout, [weak = weak_from_this(), index, attempt] {
                    if (auto run = weak.lock())
                        run->onTaskTimeout(index, attempt);
                });
        }
    }

    // The task boundary: nothing thrown inside a task goes further.
    Result<QVariant> result = Error{};
    try {
        TaskContext context(*this, index, attempt, token(index));
        result = m_flow->task(index).function(context);
        context.flushProgress();
    } catch (const std::exception &e) {
        result =
            Error{ QCoreApplication::translate("Sluice::FlowRun", "the task threw an exception: %1")
                       .arg(QString::fromLocal8Bit(e.what())),
                {} };
    } catch (...) {
        result = Error{ QCoreApplication::translate(
                            "Sluice::FlowRun", "the task threw an exception of an unknown type"),
            {} };
    }

    Jobs jobs;
    {
        std::lock_guard lock(m_mutex);
        // Timed out, cancelled past the grace period, or the run ended: the result is discarded.
        if (task.state != RunState::Running || task.attempt != attempt)
            return;
        const qint64 now = nowMs();
        if (result && !task.skipReason.isEmpty()) {
            const Message reason = Message::plain(task.skipReason);
            if (m_skipReason.isEmpty())
                m_skipReason = reason;
            finishTask(index, RunState::Skipped, reason, now);
            skipDownstream(index,
                text(QT_TRANSLATE_NOOP("Sluice::FlowRun", "upstream task \"%1\" was skipped"))
                    .arg(m_flow->task(index).name),
                now);
        } else if (result) {
            task.result = std::move(result).value();
            finishTask(index, RunState::Completed, {}, now);
            for (int next : m_flow->downstreamOf(index)) {
                TaskRun &downstream = m_tasks[std::size_t(next)];
                if (--downstream.waitingFor == 0 && downstream.state == RunState::Pending)
                    enqueue(next, jobs);
            }
        } else if (m_forced) {
            finishTask(index, RunState::Cancelled, Message::plain(result.error().message()), now);
        } else if (const RetryPolicy policy = m_flow->retryPolicyOf(index);
                   policy.allowsAttemptAfter(attempt) && result.error().isRetryable()) {
            --m_running;
            task.liveAttempt.store(0);
            cancelTimer(task.timer);
            const int delay = policy.delayBeforeAttempt(attempt + 1);
            const Message error = Message::plain(result.error().message());
            // Each failed attempt that is retried is a warning in the task's log.
            logTask(index, LogLevel::Warning,
                delay > 0 ? text(
                    QT_TRANSLATE_NOOP("Sluice::FlowRun", "Retrying in %1 s (attempt %2 of %3): %4"))
                                .arg(secondsText(delay))
                                .arg(attempt + 1)
                                .arg(policy.retries + 1)
                                .arg(error)
                          : text(QT_TRANSLATE_NOOP(
                                     "Sluice::FlowRun", "Retrying now (attempt %1 of %2): %3"))
                                .arg(attempt + 1)
                                .arg(policy.retries + 1)
                                .arg(error),
                now);
            setState(index, RunState::Retrying,
                text(QT_TRANSLATE_NOOP("Sluice::FlowRun", "%1 (attempt %2 follows in %3 ms)"))
                    .arg(error)
                    .arg(attempt + 1)
                    .arg(delay),
                now);
            if (delay == 0) {
                enqueue(index, jobs);
            } else {
                task.timer = m_executor.timers().scheduleAfter(
                    delay, [weak = weak_from_this(), index, attempt] {
                        if (auto run = weak.lock())
                            run->onRetryDue(index, attempt);
                    });
            }
        } else {
            const QString name = m_flow->task(index).name;
            Message message = Message::plain(result.error().message());
            // Say why a task with retries left was not retried.
            if (result.error().code == ErrorCode::Permanent
                && m_flow->retryPolicyOf(index).allowsAttemptAfter(attempt)) {
                message = text(QT_TRANSLATE_NOOP("Sluice::FlowRun",
                                   "%1; not retried: trying again would fail the same way"))
                              .arg(message);
            }
            finishTask(index, RunState::Failed, message, now);
            skipDownstream(index,
                text(QT_TRANSLATE_NOOP("Sluice::FlowRun", "upstream task \"%1\" failed")).arg(name),
                now);
        }
        dispatch(jobs); // the place this task held
        finishIfDone(now);
    }
    m_executor.submit(std::move(jobs));
}

void FlowRun::onTaskTimeout(int index, int attempt)
{
    Jobs jobs;
    {
        std::lock_guard lock(m_mutex);
        TaskRun &task = m_tasks[std::size_t(index)];
        if (m_finished || task.state != RunState::Running || task.attempt != attempt)
            return;
        task.timer = 0;
        task.cancelled.store(true);
        const qint64 now = nowMs();
        const QString name = m_flow->task(index).name;
        finishTask(index, RunState::TimedOut,
            text(QT_TRANSLATE_NOOP("Sluice::FlowRun",
                     "no result after %1 ms; the task was told to stop and its result will be "
                     "discarded"))
                .arg(m_flow->timeoutOf(index)),
            now);
        skipDownstream(index,
            text(QT_TRANSLATE_NOOP("Sluice::FlowRun", "upstream task \"%1\" timed out")).arg(name),
            now);
        dispatch(jobs); // the place this task held
        finishIfDone(now);
    }
    m_executor.submit(std::move(jobs));
}

void FlowRun::onRetryDue(int index, int failedAttempt)
{
    Jobs jobs;
    {
        std::lock_guard lock(m_mutex);
        TaskRun &task = m_tasks[std::size_t(index)];
        if (m_finished || task.state != RunState::Retrying || task.attempt != failedAttempt)
            return;
        task.timer = 0;
        enqueue(index, jobs);
    }
    m_executor.submit(std::move(jobs));
}

bool FlowRun::cancel(const Message &reason)
{
    std::lock_guard lock(m_mutex);
    if (m_finished || m_forced)
        return false;
    m_forced = RunState::Cancelled;
    m_forcedReason = reason;
    const qint64 now = nowMs();
    for (int i = 0; i < int(m_tasks.size()); ++i) {
        TaskRun &task = m_tasks[std::size_t(i)];
        task.cancelled.store(true);
        if (!isFinal(task.state) && task.state != RunState::Running)
            finishTask(i, RunState::Cancelled, reason, now);
    }
    if (m_running > 0) {
        m_graceTimer = m_executor.timers().scheduleAfter(CancelGraceMs, [weak = weak_from_this()] {
            if (auto run = weak.lock()) {
                run->forceFinish(
                    text(QT_TRANSLATE_NOOP("Sluice::FlowRun",
                             "the task did not stop within %1 s of the cancel; its result "
                             "will be discarded"))
                        .arg(CancelGraceMs / 1000));
            }
        });
    }
    finishIfDone(now);
    return true;
}

void FlowRun::forceFinish(const Message &reason)
{
    std::lock_guard lock(m_mutex);
    if (m_finished)
        return;
    if (!m_forced) {
        m_forced = RunState::Cancelled;
        m_forcedReason = reason;
    }
    const qint64 now = nowMs();
    stopRunning(RunState::Cancelled, reason, now);
    for (int i = 0; i < int(m_tasks.size()); ++i) {
        if (!isFinal(m_tasks[std::size_t(i)].state))
            finishTask(i, RunState::Cancelled, reason, now);
    }
    finishIfDone(now);
}

void FlowRun::onFlowTimeout()
{
    std::lock_guard lock(m_mutex);
    m_flowTimer = 0;
    if (m_finished || m_forced)
        return;
    m_forced = RunState::TimedOut;
    m_forcedReason =
        text(QT_TRANSLATE_NOOP("Sluice::FlowRun", "the flow did not finish within %1 ms"))
            .arg(m_flow->timeoutMs());
    const qint64 now = nowMs();
    stopRunning(RunState::TimedOut, m_forcedReason, now);
    for (int i = 0; i < int(m_tasks.size()); ++i) {
        if (!isFinal(m_tasks[std::size_t(i)].state))
            finishTask(i, RunState::Cancelled, m_forcedReason, now);
    }
    finishIfDone(now);
}

// Running tasks end in state at once; their threads go on until the tasks return, and what
// they return is discarded.
void FlowRun::stopRunning(RunState state, const Message &message, qint64 now)
{
    for (int i = 0; i < int(m_tasks.size()); ++i) {
        TaskRun &task = m_tasks[std::size_t(i)];
        task.cancelled.store(true);
        if (task.state == RunState::Running)
            finishTask(i, state, message, now);
    }
}

void FlowRun::finishIfDone(qint64 now)
{
    if (m_finished || m_open > 0)
        return;
    m_finished = true;
    cancelTimer(m_flowTimer);
    cancelTimer(m_graceTimer);
    RunFinishedEvent finished{ m_id, m_flow->name(), RunState::Completed, m_startedMs, now, {}, {},
        m_ticket };
    Message reason;
    if (m_forced) {
        finished.state = *m_forced;
        reason = m_forcedReason;
    } else if (m_failure == RunState::Completed && !m_skipReason.isEmpty()) {
        finished.state = RunState::Skipped;
        reason = m_skipReason;
    } else {
        finished.state = m_failure;
    }
    if (m_failure != RunState::Completed) {
        finished.failedTask = m_failedTask;
        if (!m_forced)
            reason = m_failedMessage;
    }
    finished.message = reason.english();
    finished.messageKey = reason.key();
    finished.storedRows = m_storedRows;
    // Leave the engine's runs before anyone can see the event: a backfill or a retry that
    // starts the flow again on it must not find this run still in progress (the next fire time
    // was then Skipped as overlapping when this thread lost the CPU in between).
    const std::shared_ptr<FlowRun> self = shared_from_this();
    if (Host *host = m_host.load())
        host->runEnded(m_id);
    publish(std::move(finished));
}

void FlowRun::publishLog(int task, int attempt, LogLevel level, const QString &text)
{
    if (m_tasks[std::size_t(task)].liveAttempt.load() != attempt)
        return; // the attempt was timed out or abandoned: the run has moved on
    publish(LogEvent{
        m_id, m_flow->name(), m_flow->task(task).name, task, attempt, level, nowMs(), text });
}

void FlowRun::noteStored(const QString &table, qint64 rows)
{
    std::lock_guard lock(m_mutex);
    qint64 &stored = m_storedRows[table];
    stored = stored < 0 || rows < 0 ? -1 : stored + rows;
}

void FlowRun::requestSkip(int task, int attempt, const QString &reason)
{
    std::lock_guard lock(m_mutex);
    TaskRun &run = m_tasks[std::size_t(task)];
    if (run.attempt == attempt && run.state == RunState::Running)
        run.skipReason = reason;
}

void FlowRun::publishProgress(int task, int attempt, qint64 done, qint64 total)
{
    if (m_tasks[std::size_t(task)].liveAttempt.load() != attempt)
        return;
    publish(ProgressEvent{ m_id, m_flow->name(), m_flow->task(task).name, task, done, total });
}

} // namespace Sluice
