#include "schedule/defaultschedules.h"

#include <QDir>

#include "schedule/schedulestore.h"
#include "settings/inifile.h"

namespace Sluice {

namespace {

    const QString clearedGroup = QStringLiteral("cleared-defaults");

} // namespace

QMap<QString, Schedule> DefaultSchedules::builtIn()
{
    QMap<QString, Schedule> schedules;
    if (Result<Schedule> update = Schedule::fromCron(QStringLiteral("* * * * *")))
        schedules.insert(QStringLiteral("btc-update"), *update);
    if (Result<Schedule> report = Schedule::fromCron(QStringLiteral("1 0 * * *")))
        schedules.insert(QStringLiteral("daily-report"), *report);
    return schedules;
}

QMap<QString, Schedule> DefaultSchedules::effective(
    const ScheduleStore &store, const QStringList &flows, QList<Error> *problems)
{
    return effective(store, flows, {}, problems);
}

QMap<QString, Schedule> DefaultSchedules::effective(const ScheduleStore &store,
    const QStringList &flows, const QMap<QString, Schedule> &fileDefaults, QList<Error> *problems)
{
    QMap<QString, Schedule> schedules = store.load(problems);
    QMap<QString, Schedule> defaults = builtIn();
    for (auto it = fileDefaults.cbegin(); it != fileDefaults.cend(); ++it)
        defaults.insert(it.key(), it.value());
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it) {
        if (flows.contains(it.key()) && !schedules.contains(it.key()) && !store.contains(it.key())
            && !isCleared(store, it.key()))
            schedules.insert(it.key(), it.value());
    }
    return schedules;
}

Result<void> DefaultSchedules::clear(
    ScheduleStore &store, const QString &flowName, const QMap<QString, Schedule> &fileDefaults)
{
    const bool stored = store.contains(flowName);
    const bool hasDefault =
        DefaultSchedules::hasDefault(flowName) || fileDefaults.contains(flowName);
    const bool defaultInForce = !stored && hasDefault && !isCleared(store, flowName);
    if (!stored && !defaultInForce)
        return store.remove(flowName); // the store's error: the flow has no schedule
    if (hasDefault) {
        if (Result<void> ok = setCleared(store, flowName, true); !ok)
            return ok;
    }
    return stored ? store.remove(flowName) : Result<void>();
}

bool DefaultSchedules::isCleared(const ScheduleStore &store, const QString &flowName)
{
    return IniFile(store.path()).value(clearedGroup, flowName, false).toBool();
}

Result<void> DefaultSchedules::setCleared(
    const ScheduleStore &store, const QString &flowName, bool cleared)
{
    IniFile file(store.path());
    if (cleared)
        file.setValue(clearedGroup, flowName, true);
    else
        file.remove(clearedGroup, flowName);
    if (file.sync() != IniFile::Status::Ok)
        return Error{ tr("could not write the schedules file"),
            QDir::toNativeSeparators(store.path()) };
    return {};
}

} // namespace Sluice
