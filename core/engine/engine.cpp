#include "engine/engine.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>

#include "engine/executor.h"
#include "engine/flowregistry.h"
#include "engine/parameters.h"
#include "engine/runstore.h"

namespace Sluice {

namespace {
    // How long the destructor waits for tasks after the cancel: the grace period and a margin.
    constexpr int ShutdownWaitMs = FlowRun::CancelGraceMs + 2000;
} // namespace

Engine::Engine(const FlowRegistry &registry, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_executor(std::make_unique<Executor>())
{
    registerRunEventTypes();
}

Engine::~Engine()
{
    shutDown();
}

void Engine::shutDown(int limitMs)
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    QElapsedTimer elapsed;
    elapsed.start();
    if (m_recorder) {
        // Runs whose row is written meanwhile end Cancelled below; the others never start.
        m_recorder->stopCreating();
        deliverCreated();
    }
    cancelAll(
        Message("Sluice::Engine", QT_TRANSLATE_NOOP("Sluice::Engine", "Sluice is shutting down")));
    if (m_executor->waitForDone(limitMs < 0 ? ShutdownWaitMs : std::min(limitMs, ShutdownWaitMs))) {
        m_executor.reset();
    } else {
        // A task that never returns keeps its thread: let the pool go rather than hang the
        // exit, and make sure nothing publishes into this dying engine.
        QList<std::shared_ptr<FlowRun>> runs;
        {
            std::lock_guard lock(m_runsMutex);
            runs = m_runs.values();
        }
        for (const auto &run : std::as_const(runs)) {
            run->forceFinish(Message("Sluice::Engine",
                QT_TRANSLATE_NOOP(
                    "Sluice::Engine", "Sluice shut down while the task was running")));
            run->detach();
        }
        qWarning("sluice: a task did not stop at shutdown; leaving its thread behind");
        (void)m_executor.release();
    }
    if (m_recorder) {
        if (limitMs >= 0)
            m_recorder->setStopWait(std::max<int>(0, limitMs - int(elapsed.elapsed())));
        m_recorder.reset(); // writes the rest, or says what it could not
    }
}

Result<void> Engine::enablePersistence(
    const QString &runsPath, int retentionDays, const RunRecorder::Options &options)
{
    Result<std::unique_ptr<RunStore>> store = RunStore::open(runsPath);
    if (!store)
        return store.error();
    if (Result<int> pruned = (*store)->prune(retentionDays); !pruned)
        return pruned.error();
    // Called on the recorder's thread: the outcomes are taken on this one.
    Result<std::unique_ptr<RunRecorder>> recorder = RunRecorder::start(runsPath, options,
        [this] { QMetaObject::invokeMethod(this, &Engine::deliverCreated, Qt::QueuedConnection); });
    if (!recorder)
        return recorder.error();
    m_recorder = std::move(*recorder);
    return {};
}

Result<void> Engine::enablePersistence(
    RunRecorder::Opener opener, const QString &where, const RunRecorder::Options &options)
{
    Result<std::unique_ptr<RunRecorder>> recorder = RunRecorder::start(std::move(opener), where,
        options,
        [this] { QMetaObject::invokeMethod(this, &Engine::deliverCreated, Qt::QueuedConnection); });
    if (!recorder)
        return recorder.error();
    m_recorder = std::move(*recorder);
    return {};
}

void Engine::setMaxThreads(int count)
{
    m_executor->setMaxThreads(count);
}

Result<qint64> Engine::start(
    const QString &flowName, const QVariantMap &given, const QString &trigger)
{
    RunOptions options;
    options.parameters = given;
    options.trigger = trigger;
    return start(flowName, std::move(options));
}

Result<qint64> Engine::start(const QString &flowName, RunOptions options)
{
    if (m_shutDown)
        return Error{ tr("Sluice is shutting down"), {}, ErrorCode::Cancelled };
    const std::shared_ptr<const FlowRegistry::Snapshot> flows = m_registry.snapshot();
    std::shared_ptr<const Flow> flow = flows->flow(flowName);
    QString failure;
    const std::optional<BrokenFlow> broken = flow ? std::nullopt : flows->brokenFlow(flowName);
    if (broken) {
        // Recorded like any run, so that the history and the alerts tell: a stand-in with
        // the name and no task, and no parameters to resolve.
        flow = std::make_shared<const Flow>(flowName, QString());
        failure = broken->error.message();
        options.parameters.clear();
    }
    if (!flow) {
        const QStringList names = m_registry.names();
        return Error{ names.isEmpty()
                ? tr("unknown flow \"%1\"; no flow is registered").arg(flowName)
                : tr("unknown flow \"%1\"; the flows are %2")
                      .arg(flowName, names.join(QStringLiteral(", "))),
            {} };
    }
    if (!options.time.isValid()) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        options.time = QDateTime::fromMSecsSinceEpoch(now - now % 1000, Qt::UTC);
    }
    options.time = options.time.toUTC();
    if (options.previousTime.isValid())
        options.previousTime = options.previousTime.toUTC();
    Result<QVariantMap> parameters = Parameters::resolve(
        flow->parameters(), options.parameters, flowName, options.time, options.previousTime);
    if (!parameters)
        return parameters.error();
    options.parameters = std::move(*parameters);

    const qint64 ticket = ++m_lastTicket;
    const QString trigger = options.trigger;
    const PendingRun pending{ flow, std::move(options), {}, failure };
    if (m_recorder) {
        // The outcome comes back through deliverCreated(), never before this returns.
        m_pending.insert(ticket, pending);
        // The definition goes to the run's row once, not with every event.
        RunStore::NewRun run{ flowName, pending.options.parameters, trigger,
            pending.options.time.toMSecsSinceEpoch(), flow->source(), flow->sourcePath(),
            pending.options.reusedFrom, pending.options.claimedRunId,
            pending.options.claimedAttempt };
        m_recorder->createRun(RunRequest{ ticket, std::move(run),
            failure.isEmpty() && flow->overlap() == Overlap::Skip
                && !pending.options.allowOverlap });
    }
    Q_EMIT runQueued(
        RunQueuedEvent{ ticket, flowName, trigger, QDateTime::currentMSecsSinceEpoch() });
    if (!m_recorder) {
        // Nothing to wait for: without a run store the engine names its runs by their tickets.
        beginRun(ticket, pending, ticket, 0);
    }
    return ticket;
}

void Engine::deliverCreated()
{
    if (!m_recorder)
        return;
    for (RunCreation &creation : m_recorder->takeCreated())
        onRunCreated(std::move(creation));
}

void Engine::onRunCreated(RunCreation &&creation)
{
    const auto it = m_pending.constFind(creation.ticket);
    if (it == m_pending.cend())
        return;
    const PendingRun pending = *it;
    m_pending.erase(it);
    const QString &flowName = pending.flow->name();
    if (!creation.created) {
        if (m_shutDown)
            return; // no one listens any more
        Error error = creation.created.error();
        error.what = tr("run of flow \"%1\" not started: it could not be recorded: %2")
                         .arg(flowName, error.what);
        Q_EMIT runStartFailed(
            RunStartFailedEvent{ creation.ticket, flowName, pending.options.trigger, error });
        return;
    }
    const qint64 id = creation.created->id;
    const Message cancelled = m_shutDown
        ? Message("Sluice::Engine", QT_TRANSLATE_NOOP("Sluice::Engine", "Sluice is shutting down"))
        : pending.cancelReason;
    if (!cancelled.isEmpty()) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        publish(RunFinishedEvent{ id, flowName, RunState::Cancelled, now, now, {},
            cancelled.english(), creation.ticket, cancelled.key() });
        return;
    }
    beginRun(creation.ticket, pending, id, creation.created->runningElsewhere);
}

// The run has its row (or needs none): it starts, or ends Skipped when the flow's concurrency
// policy refuses it.
void Engine::beginRun(qint64 ticket, const PendingRun &pending, qint64 id, qint64 runningElsewhere)
{
    const QString &flowName = pending.flow->name();
    if (!pending.failure.isEmpty()) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        publish(RunFinishedEvent{
            id, flowName, RunState::Failed, now, now, {}, pending.failure, ticket });
        return;
    }
    qint64 overlapping = 0;
    if (pending.flow->overlap() == Overlap::Skip && !pending.options.allowOverlap) {
        std::lock_guard lock(m_runsMutex);
        for (const auto &run : std::as_const(m_runs)) {
            if (run->flow().name() == flowName && (overlapping == 0 || run->id() < overlapping))
                overlapping = run->id();
        }
    }
    if (overlapping == 0)
        overlapping = runningElsewhere;
    if (overlapping != 0) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const Message reason = Message("Sluice::Engine",
            QT_TRANSLATE_NOOP("Sluice::Engine", "flow \"%1\" is already running (run %2)"))
                                   .arg(flowName)
                                   .arg(overlapping);
        publish(RunFinishedEvent{ id, flowName, RunState::Skipped, now, now, {}, reason.english(),
            ticket, reason.key() });
        return;
    }
    FlowRun::Host &host = *this;
    auto run =
        std::make_shared<FlowRun>(host, *m_executor, pending.flow, ticket, id, pending.options);
    {
        std::lock_guard lock(m_runsMutex);
        m_runs.insert(id, run);
    }
    run->begin();
}

Message Engine::defaultCancelReason()
{
    return Message("Sluice::Engine", QT_TRANSLATE_NOOP("Sluice::Engine", "cancelled by the user"));
}

bool Engine::cancel(qint64 runId, const QString &reason)
{
    return cancel(runId, reason.isEmpty() ? Message() : Message::plain(reason));
}

void Engine::cancelAll(const QString &reason)
{
    cancelAll(reason.isEmpty() ? Message() : Message::plain(reason));
}

bool Engine::cancel(qint64 runId, const Message &reason)
{
    std::shared_ptr<FlowRun> run;
    {
        std::lock_guard lock(m_runsMutex);
        run = m_runs.value(runId);
    }
    return run && run->cancel(reason.isEmpty() ? defaultCancelReason() : reason);
}

void Engine::cancelAll(const Message &reason)
{
    for (PendingRun &pending : m_pending)
        pending.cancelReason = reason.isEmpty() ? defaultCancelReason() : reason;
    for (qint64 id : activeRuns())
        cancel(id, reason);
}

bool Engine::isRunning(const QString &flow) const
{
    for (const PendingRun &pending : m_pending) {
        if (pending.flow->name() == flow)
            return true;
    }
    std::lock_guard lock(m_runsMutex);
    for (const auto &run : m_runs) {
        if (run->flow().name() == flow)
            return true;
    }
    return false;
}

QList<qint64> Engine::activeRuns() const
{
    std::lock_guard lock(m_runsMutex);
    return m_runs.keys();
}

Result<void> Engine::flush(int timeoutMs)
{
    return m_recorder ? m_recorder->flush(timeoutMs) : Result<void>();
}

// Any thread, usually with a run's mutex held: queue the event for the run store and for
// delivery on this object's thread; one posted call delivers everything queued meanwhile.
void Engine::publish(RunEvent &&event)
{
    if (m_recorder)
        m_recorder->append(event);
    bool post = false;
    {
        std::lock_guard lock(m_eventsMutex);
        m_events.push_back(std::move(event));
        post = !m_deliveryPosted;
        m_deliveryPosted = true;
    }
    if (post)
        QMetaObject::invokeMethod(this, &Engine::deliverEvents, Qt::QueuedConnection);
}

// Called by the run itself, which holds a reference to itself meanwhile.
void Engine::runEnded(qint64 runId)
{
    std::lock_guard lock(m_runsMutex);
    m_runs.remove(runId);
}

void Engine::deliverEvents()
{
    // Vectors trade places so that none allocates again once grown. A local one is iterated:
    // a slot that runs a nested event loop may deliver the next events meanwhile.
    std::vector<RunEvent> events;
    events.swap(m_spareEvents);
    {
        std::lock_guard lock(m_eventsMutex);
        events.swap(m_events);
        m_deliveryPosted = false;
    }
    for (const RunEvent &event : events)
        emitEvent(event);
    events.clear();
    if (events.capacity() > m_spareEvents.capacity())
        m_spareEvents.swap(events);
}

void Engine::emitEvent(const RunEvent &event)
{
    if (const auto *started = std::get_if<RunStartedEvent>(&event))
        Q_EMIT runStarted(*started);
    else if (const auto *task = std::get_if<TaskStateEvent>(&event))
        Q_EMIT taskStateChanged(*task);
    else if (const auto *line = std::get_if<LogEvent>(&event))
        Q_EMIT logLine(*line);
    else if (const auto *progress = std::get_if<ProgressEvent>(&event))
        Q_EMIT progressed(*progress);
    else if (const auto *finished = std::get_if<RunFinishedEvent>(&event))
        Q_EMIT runFinished(*finished);
}

} // namespace Sluice
