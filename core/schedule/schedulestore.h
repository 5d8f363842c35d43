#pragma once

// The flows' schedules of one data folder, persisted in schedules.ini (an IniFile):
// one key per flow in the [schedules] group, its value Schedule::toText(). Every call reads
// or writes the file, so processes sharing the folder see each other's edits (the file is
// locked while written). Use from one thread at a time.

#include <QList>
#include <QMap>
#include <QString>

#include "engine/result.h"
#include "schedule/schedule.h"

namespace Sluice {

class DataFolder;

class ScheduleStore
{
public:
    // <data folder>/schedules.ini
    static QString defaultPath(const DataFolder &folder);
    // A flow name as a key: not empty, at most 200 characters, no '/', '\', control
    // characters or white space at either end.
    static Result<void> checkFlowName(const QString &flowName);

    explicit ScheduleStore(const QString &path);

    QString path() const { return m_path; }

    // Every readable schedule by flow name; entries that do not read are left out and, when
    // `problems` is given, reported there (`where` names the file and the flow).
    QMap<QString, Schedule> load(QList<Error> *problems = nullptr) const;
    bool contains(const QString &flowName) const;
    // The flow's schedule; an error when it has none or it does not read.
    Result<Schedule> schedule(const QString &flowName) const;

    Result<void> setSchedule(const QString &flowName, const Schedule &schedule);
    Result<void> setPaused(const QString &flowName, bool paused);
    // An error when the flow has no schedule.
    Result<void> remove(const QString &flowName);

private:
    Error noSchedule(const QString &flowName) const;

    QString m_path;
};

} // namespace Sluice
