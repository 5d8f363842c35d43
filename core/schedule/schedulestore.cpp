#include "schedule/schedulestore.h"

#include <QCoreApplication>
#include <QDir>

#include "settings/datafolder.h"
#include "settings/inifile.h"

namespace Sluice {

namespace {

    const QString group = QStringLiteral("schedules");

    Result<void> finish(IniFile &file, const QString &path)
    {
        switch (file.sync()) {
        case IniFile::Status::Ok:
            return {};
        case IniFile::Status::AccessError:
            return Error{ QCoreApplication::translate("Sluice::ScheduleStore",
                              "could not write the file (no permission, or the disk is full)"),
                QDir::toNativeSeparators(path) };
        case IniFile::Status::FormatError:
            return Error{ QCoreApplication::translate(
                              "Sluice::ScheduleStore", "the file is not a valid INI file"),
                QDir::toNativeSeparators(path) };
        }
        return {};
    }

} // namespace

QString ScheduleStore::defaultPath(const DataFolder &folder)
{
    return folder.schedulesPath();
}

Result<void> ScheduleStore::checkFlowName(const QString &flowName)
{
    const QString where = QStringLiteral("flow");
    if (flowName.isEmpty())
        return Error{ QCoreApplication::translate("Sluice::ScheduleStore", "no flow name given"),
            where };
    if (flowName.size() > 200)
        return Error{ QCoreApplication::translate(
                          "Sluice::ScheduleStore", "the flow name is longer than 200 characters"),
            where };
    if (flowName.trimmed() != flowName)
        return Error{ QCoreApplication::translate(
                          "Sluice::ScheduleStore", "\"%1\" starts or ends with white space")
                          .arg(flowName),
            where };
    for (QChar c : flowName) {
        if (c == u'/' || c == u'\\' || c.category() == QChar::Other_Control)
            return Error{ QCoreApplication::translate("Sluice::ScheduleStore",
                              "\"%1\" contains '/', '\\' or a control character")
                              .arg(flowName),
                where };
    }
    return {};
}

ScheduleStore::ScheduleStore(const QString &path)
    : m_path(path)
{ }

Error ScheduleStore::noSchedule(const QString &flowName) const
{
    return Error{ QCoreApplication::translate(
                      "Sluice::ScheduleStore", "the flow \"%1\" has no schedule")
                      .arg(flowName),
        QDir::toNativeSeparators(m_path) };
}

QMap<QString, Schedule> ScheduleStore::load(QList<Error> *problems) const
{
    QMap<QString, Schedule> schedules;
    const IniFile file(m_path);
    for (const QString &flowName : file.keys(group)) {
        Result<Schedule> schedule = Schedule::fromText(file.value(group, flowName).toString());
        if (schedule) {
            schedules.insert(flowName, *schedule);
        } else if (problems) {
            problems->append(Error{ schedule.error().message(),
                QStringLiteral("%1 [%2] %3")
                    .arg(QDir::toNativeSeparators(m_path), group, flowName) });
        }
    }
    return schedules;
}

bool ScheduleStore::contains(const QString &flowName) const
{
    return checkFlowName(flowName) && IniFile(m_path).contains(group, flowName);
}

Result<Schedule> ScheduleStore::schedule(const QString &flowName) const
{
    if (Result<void> name = checkFlowName(flowName); !name)
        return name.error();
    const IniFile file(m_path);
    if (!file.contains(group, flowName))
        return noSchedule(flowName);
    Result<Schedule> schedule = Schedule::fromText(file.value(group, flowName).toString());
    if (!schedule)
        return Error{ schedule.error().message(),
            QStringLiteral("%1 [%2] %3").arg(QDir::toNativeSeparators(m_path), group, flowName) };
    return schedule;
}

Result<void> ScheduleStore::setSchedule(const QString &flowName, const Schedule &schedule)
{
    if (Result<void> name = checkFlowName(flowName); !name)
        return name.error();
    if (!schedule.isValid())
        return Error{ QCoreApplication::translate(
                          "Sluice::ScheduleStore", "no schedule to store for \"%1\"")
                          .arg(flowName),
            QDir::toNativeSeparators(m_path) };
    IniFile file(m_path);
    file.setValue(group, flowName, schedule.toText());
    return finish(file, m_path);
}

Result<void> ScheduleStore::setPaused(const QString &flowName, bool paused)
{
    Result<Schedule> stored = schedule(flowName);
    if (!stored)
        return stored.error();
    stored->setPaused(paused);
    return setSchedule(flowName, *stored);
}

Result<void> ScheduleStore::remove(const QString &flowName)
{
    if (Result<void> name = checkFlowName(flowName); !name)
        return name.error();
    IniFile file(m_path);
    if (!file.contains(group, flowName))
        return noSchedule(flowName);
    file.remove(group, flowName);
    return finish(file, m_path);
}

} // namespace Sluice
