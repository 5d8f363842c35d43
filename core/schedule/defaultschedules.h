#pragma once

// The built-in schedules (README, "Schedules"; btc-update every minute, daily-report at 00:01 UTC)
// and how they and the flow files' own schedules combine with schedules.ini: a default applies to a
// flow that exists and that the user has neither scheduled nor cleared. A cleared default is
// remembered in the [cleared-defaults] group of schedules.ini. Stateless; use from one thread at a
// time.

#include <QCoreApplication>
#include <QMap>
#include <QString>
#include <QStringList>

#include "engine/result.h"
#include "schedule/schedule.h"

namespace Sluice {

class ScheduleStore;

class DefaultSchedules
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::DefaultSchedules)

public:
    // Every built-in default by flow name, whether or not the flow exists.
    static QMap<QString, Schedule> builtIn();
    static bool hasDefault(const QString &flowName) { return builtIn().contains(flowName); }

    // The schedules in force: the store's, plus the default of each flow of `flows` that has
    // none there and whose default was not cleared.
    static QMap<QString, Schedule> effective(
        const ScheduleStore &store, const QStringList &flows, QList<Error> *problems = nullptr);
    // The same where the flow files' own schedules (FlowFiles::schedules()) are defaults too,
    // as the built-in ones are.
    static QMap<QString, Schedule> effective(const ScheduleStore &store, const QStringList &flows,
        const QMap<QString, Schedule> &fileDefaults, QList<Error> *problems = nullptr);

    // Clears the flow's schedule: removes it from the store and, when the flow has a default
    // (built-in or in `fileDefaults`), remembers that the default was cleared. An error when
    // the flow has no schedule in force to clear.
    static Result<void> clear(
        ScheduleStore &store, const QString &flowName, const QMap<QString, Schedule> &fileDefaults);

    static bool isCleared(const ScheduleStore &store, const QString &flowName);
    // Remembers (or forgets) that the user cleared the flow's default schedule.
    static Result<void> setCleared(
        const ScheduleStore &store, const QString &flowName, bool cleared);
};

} // namespace Sluice
