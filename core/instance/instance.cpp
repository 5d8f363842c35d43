#include "instance/instance.h"

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/historypruner.h"
#include "flows/builtinflows.h"
#include "instance/flowfiles.h"
#include "notify/alertnotifier.h"
#include "schedule/schedulerlock.h"
#include "schedule/schedulerunner.h"
#include "schedule/schedulestore.h"
#include "settings/settings.h"

namespace Sluice {

Result<std::unique_ptr<Instance>> Instance::open(const QString &path)
{
    Result<DataFolder> folder = DataFolder::open(path);
    if (!folder)
        return folder.error();
    return std::unique_ptr<Instance>(new Instance(*folder));
}

Instance::Instance(const DataFolder &folder)
    : m_folder(folder)
    , m_settings(std::make_unique<Settings>(folder.settingsPath()))
{ }

// The members end in the reverse order of their declaration: the scheduler before the engine
// it fires on, the engine (which waits for its tasks) before the flows and the settings that
// those tasks read.
Instance::~Instance() = default;

Result<void> Instance::loadFlows()
{
    if (m_flows)
        return {};
    auto flows = std::make_unique<FlowRegistry>();
    if (Result<void> ok = registerBuiltinFlows(*flows, m_folder, *m_settings); !ok)
        return ok;
    m_flows = std::move(flows);
    m_flowFiles = std::make_unique<FlowFiles>(*m_flows, m_folder, *m_settings);
    m_flowFiles->load();
    return {};
}

void Instance::watchFlowFiles()
{
    Q_ASSERT(m_flowFiles);
    m_flowFiles->watch();
}

Result<void> Instance::startEngine()
{
    if (m_engine)
        return {};
    if (Result<void> ok = loadFlows(); !ok)
        return ok;
    auto engine = std::make_unique<Engine>(*m_flows);
    if (Result<void> ok =
            engine->enablePersistence(m_folder.runsPath(), m_settings->retentionDays());
        !ok)
        return ok;
    m_engine = std::move(engine);
    QObject::connect(m_settings.get(), &Settings::changed, m_engine.get(),
        [this](const QString &key) { onSettingChanged(key); });
    return {};
}

Result<void> Instance::startEngine(RunRecorder::Opener opener, const QString &where)
{
    if (m_engine)
        return {};
    if (Result<void> ok = loadFlows(); !ok)
        return ok;
    auto engine = std::make_unique<Engine>(*m_flows);
    if (Result<void> ok = engine->enablePersistence(std::move(opener), where); !ok)
        return ok;
    m_engine = std::move(engine);
    return {};
}

void Instance::onSettingChanged(const QString &key)
{
    if (key != SettingKey::RetentionDays)
        return;
    if (!m_pruner)
        m_pruner = std::make_unique<HistoryPruner>(m_folder.runsPath());
    m_pruner->prune(m_settings->retentionDays());
}

AlertNotifier &Instance::startAlerts()
{
    Q_ASSERT(m_engine);
    if (!m_alerts) {
        m_alerts = std::make_unique<AlertNotifier>(m_folder.path(), *m_settings);
        m_alerts->watch(*m_engine);
    }
    return *m_alerts;
}

Result<void> Instance::lockScheduler()
{
    if (!m_lock)
        m_lock = std::make_unique<SchedulerLock>(m_folder.lockPath());
    if (m_lock->isLocked())
        return {};
    return m_lock->tryLock();
}

Result<void> Instance::makeScheduler(bool takeLock)
{
    Q_ASSERT(m_engine);
    if (m_scheduler)
        return {};
    if (takeLock) {
        if (Result<void> locked = lockScheduler(); !locked)
            return locked;
    }
    m_scheduler = std::make_unique<ScheduleRunner>(
        *m_engine, ScheduleStore::defaultPath(m_folder), m_folder.runsPath());
    m_scheduler->setFileSchedules(m_flowFiles->schedules());
    ScheduleRunner *scheduler = m_scheduler.get();
    QObject::connect(m_flowFiles.get(), &FlowFiles::flowsChanged, scheduler, [this, scheduler] {
        scheduler->setFileSchedules(m_flowFiles->schedules());
        if (scheduler->isActive())
            scheduler->reload();
    });
    return {};
}

} // namespace Sluice
