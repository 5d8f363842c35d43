#include "schedule/schedulerunner.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QFileSystemWatcher>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "schedule/defaultschedules.h"
#include "schedule/firetimes.h"
#include "schedule/schedulestore.h"

namespace Sluice {

namespace {

    constexpr int ReloadDelayMs = 200;
    constexpr int HistoryDepth = 500;

} // namespace

ScheduleRunner::ScheduleRunner(Engine &engine, const QString &schedulesPath,
    const QString &runsPath, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_schedulesPath(schedulesPath)
    , m_runsPath(runsPath)
    , m_scheduler(clock)
{
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(ReloadDelayMs);
    connect(&m_reloadTimer, &QTimer::timeout, this, &ScheduleRunner::reload);
    connect(&m_scheduler, &Scheduler::fireDue, this, &ScheduleRunner::onFireDue);
    connect(&m_scheduler, &Scheduler::slotsMissed, this, &ScheduleRunner::slotsMissed);
    connect(&m_engine, &Engine::runStarted, this,
        [this](const RunStartedEvent &event) { onRunCreated(event.ticket, event.runId); });
    connect(&m_engine, &Engine::runFinished, this,
        [this](const RunFinishedEvent &event) { onRunCreated(event.ticket, event.runId); });
    connect(&m_engine, &Engine::runStartFailed, this, &ScheduleRunner::onRunStartFailed);
}

ScheduleRunner::~ScheduleRunner() = default;

QDateTime ScheduleRunner::lastScheduledRun(const QString &runsPath, const QString &flowName)
{
    Result<std::unique_ptr<RunStore>> store = RunStore::open(runsPath);
    if (!store)
        return {};
    RunQuery query;
    query.flow = flowName;
    query.limit = HistoryDepth;
    Result<QList<FlowRunRecord>> runs = (*store)->runs(query);
    if (!runs)
        return {};
    for (const FlowRunRecord &run : std::as_const(*runs)) {
        if (run.trigger == QLatin1String(Trigger))
            return QDateTime::fromMSecsSinceEpoch(run.createdMs, Qt::UTC);
    }
    return {};
}

void ScheduleRunner::start()
{
    reload();
    watch();
    m_scheduler.start();
}

void ScheduleRunner::stop()
{
    m_scheduler.stop();
    m_reloadTimer.stop();
    delete m_watcher;
    m_watcher = nullptr;
}

void ScheduleRunner::watch()
{
    if (!m_watcher) {
        m_watcher = new QFileSystemWatcher(this);
        // Saving replaces the file (IniFile writes a new one and renames it): watch the
        // folder too, and the file again whenever it is back.
        const auto changed = [this] { m_reloadTimer.start(); };
        connect(m_watcher, &QFileSystemWatcher::fileChanged, this, changed);
        connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, changed);
        m_watcher->addPath(QFileInfo(m_schedulesPath).absolutePath());
    }
    if (QFileInfo::exists(m_schedulesPath) && !m_watcher->files().contains(m_schedulesPath))
        m_watcher->addPath(m_schedulesPath);
}

void ScheduleRunner::reload()
{
    const ScheduleStore store(m_schedulesPath);
    // A flow file that became invalid keeps its schedule: its fires are recorded Failed.
    const std::shared_ptr<const FlowRegistry::Snapshot> registry = m_engine.registry().snapshot();
    QStringList flows = registry->names();
    for (const BrokenFlow &broken : std::as_const(registry->broken))
        flows << broken.name;
    QList<Error> errors;
    const QMap<QString, Schedule> loaded =
        DefaultSchedules::effective(store, flows, m_fileSchedules, &errors);
    QStringList problems;
    for (const Error &error : std::as_const(errors))
        problems << error.message();

    QMap<QString, Schedule> schedules;
    for (auto it = loaded.cbegin(); it != loaded.cend(); ++it) {
        if (flows.contains(it.key()))
            schedules.insert(it.key(), it.value());
        else
            problems << QCoreApplication::translate(
                "Sluice::ScheduleRunner", "the schedule of \"%1\" is ignored: no such flow")
                            .arg(it.key());
    }
    for (const QString &flowName : m_scheduler.flowNames()) {
        if (!schedules.contains(flowName))
            m_scheduler.removeSchedule(flowName);
    }
    for (auto it = schedules.cbegin(); it != schedules.cend(); ++it) {
        const bool known = m_scheduler.flowNames().contains(it.key());
        if (!known) {
            // First sight of the flow in this process: what happened while no scheduler ran
            // is in the run history. An interval's grid has no slot before its anchor that
            // anyone missed: a file's `every:` starts when this process loaded it, and its
            // first fire is one interval later, not at once for a "missed" slot of a grid
            // that did not exist (which also fell in the second of the last fire of the
            // process before, giving two runs the same run.time).
            QDateTime handled = m_lastScheduled ? m_lastScheduled(it.key())
                                                : lastScheduledRun(m_runsPath, it.key());
            if (it.value().kind() == Schedule::Kind::Interval && handled.isValid())
                handled = qMax(handled, it.value().interval().anchor().toUTC());
            m_scheduler.setSchedule(it.key(), it.value(), handled);
        } else if (m_scheduler.schedule(it.key()) != it.value()) {
            m_scheduler.setSchedule(it.key(), it.value());
        }
    }
    if (m_watcher)
        watch();
    Q_EMIT schedulesLoaded(schedules.keys(), problems);
    if (m_scheduler.isActive())
        m_scheduler.check();
}

void ScheduleRunner::onFireDue(const QString &flowName, const QDateTime &scheduledTime)
{
    // The run's logical time is its fire (README, "Your own flows": ${run.time}), so a fire
    // caught up late still runs for its own slot.
    RunOptions options;
    options.trigger = QLatin1String(Trigger);
    options.time = scheduledTime;
    options.previousTime = FireTimes::before(m_scheduler.schedule(flowName), scheduledTime);
    if (m_fireHandler) {
        Result<qint64> queued = m_fireHandler(flowName, options);
        if (queued)
            Q_EMIT fired(flowName, scheduledTime, *queued);
        else
            Q_EMIT fireFailed(flowName, scheduledTime, queued.error().message());
        return;
    }
    Result<qint64> ticket = m_engine.start(flowName, std::move(options));
    if (ticket)
        m_fires.insert(*ticket, Fire{ flowName, scheduledTime });
    else
        Q_EMIT fireFailed(flowName, scheduledTime, ticket.error().message());
}

void ScheduleRunner::onRunCreated(qint64 ticket, qint64 runId)
{
    const auto it = m_fires.constFind(ticket);
    if (it == m_fires.cend())
        return;
    const Fire fire = *it;
    m_fires.erase(it);
    Q_EMIT fired(fire.flowName, fire.scheduledTime, runId);
}

void ScheduleRunner::onRunStartFailed(const RunStartFailedEvent &event)
{
    const auto it = m_fires.constFind(event.ticket);
    if (it == m_fires.cend())
        return;
    const Fire fire = *it;
    m_fires.erase(it);
    Q_EMIT fireFailed(fire.flowName, fire.scheduledTime, event.error.message());
}

} // namespace Sluice
