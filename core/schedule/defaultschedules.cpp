#include "schedule/defaultschedules.h"

#include <QDir>
#include <QSettings>

#include "schedule/schedulestore.h"

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
    QMap<QString, Schedule> schedules = store.load(problems);
    const QMap<QString, Schedule> defaults = builtIn();
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it) {
        if (flows.contains(it.key()) && !schedules.contains(it.key()) && !store.contains(it.key())
            && !isCleared(store, it.key()))
            schedules.insert(it.key(), it.value());
    }
    return schedules;
}

bool DefaultSchedules::isCleared(const ScheduleStore &store, const QString &flowName)
{
    QSettings settings(store.path(), QSettings::IniFormat);
    settings.beginGroup(clearedGroup);
    return settings.value(flowName, false).toBool();
}

Result<void> DefaultSchedules::setCleared(
    const ScheduleStore &store, const QString &flowName, bool cleared)
{
    QSettings settings(store.path(), QSettings::IniFormat);
    settings.beginGroup(clearedGroup);
    if (cleared)
        settings.setValue(flowName, true);
    else
        settings.remove(flowName);
    settings.endGroup();
    settings.sync();
    if (settings.status() != QSettings::NoError)
        return Error{ tr("could not write the schedules file"),
            QDir::toNativeSeparators(store.path()) };
    return {};
}

} // namespace Sluice
