#pragma once

// Drives the flows' schedules for the process that holds the scheduler lock: loads the
// schedules in force (schedules.ini plus the defaults of the built-in flows and of the flow
// files), runs a Scheduler on them and starts an engine run (trigger "schedule") for every
// slot it fires (the engine records the run of a flow file that cannot run as Failed). Slots
// missed while no process scheduled the folder are found from the run history (the last
// scheduled run of each flow) and follow the misfire policies. Reloads when schedules.ini
// changes. Lives on the engine's thread (the GUI or the `serve` main thread).

#include <functional>

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include "engine/result.h"
#include "engine/runevents.h"
#include "engine/runoptions.h"
#include "schedule/scheduler.h"

class QFileSystemWatcher;

namespace Sluice {

class Clock;
class Engine;

class ScheduleRunner : public QObject
{
    Q_OBJECT

public:
    static constexpr const char *Trigger = "schedule";

    // schedulesPath: schedules.ini; runsPath: runs.sqlite, read for the last scheduled runs.
    // clock: not owned, must outlive the runner; null means the system clock.
    ScheduleRunner(Engine &engine, const QString &schedulesPath, const QString &runsPath,
        const Clock *clock = nullptr, QObject *parent = nullptr);
    ~ScheduleRunner() override;

    // Loads the schedules, starts the scheduler (which fires what is due at once) and watches
    // schedules.ini.
    void start();
    void stop();
    bool isActive() const { return m_scheduler.isActive(); }

    // Reads schedules.ini again and applies what changed.
    void reload();
    // The flow files' own schedules, defaults like the built-in ones (FlowFiles::schedules());
    // applied by the next reload().
    void setFileSchedules(const QMap<QString, Schedule> &schedules) { m_fileSchedules = schedules; }
    QMap<QString, Schedule> fileSchedules() const { return m_fileSchedules; }

    // Where fires go instead of the engine: a fleet's leader queues them in the store, for any
    // worker to run. Returns the run's id, or 0 when the fire was queued already (by another
    // leader); an error is said by fireFailed. Set before start().
    using FireHandler =
        std::function<Result<qint64>(const QString &flowName, const RunOptions &options)>;
    void setFireHandler(FireHandler handler) { m_fireHandler = std::move(handler); }
    // Where the last scheduled slot of a flow is read instead of runs.sqlite (lastScheduledRun).
    using LastScheduledLookup = std::function<QDateTime(const QString &flowName)>;
    void setLastScheduledLookup(LastScheduledLookup lookup) { m_lastScheduled = std::move(lookup); }

    const Scheduler &scheduler() const { return m_scheduler; }
    Scheduler &scheduler() { return m_scheduler; }

    // When the flow's slots were last handled by a scheduler, as the run history says: the
    // creation time of its newest run triggered by a schedule; invalid when there is none.
    static QDateTime lastScheduledRun(const QString &runsPath, const QString &flowName);

Q_SIGNALS:
    // A slot fired and the run runId started (or was recorded Skipped by the engine): once the
    // run has its row in the run history. fireFailed when it cannot have one.
    void fired(const QString &flowName, const QDateTime &scheduledTime, qint64 runId);
    void fireFailed(const QString &flowName, const QDateTime &scheduledTime, const QString &error);
    void slotsMissed(const QString &flowName, const QDateTime &since, const QDateTime &until);
    // After each (re)load: the scheduled flows, and what could not be used.
    void schedulesLoaded(const QStringList &flowNames, const QStringList &problems);

private:
    struct Fire
    {
        QString flowName;
        QDateTime scheduledTime;
    };

    void onFireDue(const QString &flowName, const QDateTime &scheduledTime);
    void onRunCreated(qint64 ticket, qint64 runId);
    void onRunStartFailed(const RunStartFailedEvent &event);
    void watch();

    Engine &m_engine;
    QString m_schedulesPath;
    QString m_runsPath;
    Scheduler m_scheduler;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer m_reloadTimer; // coalesces the bursts of change notifications of one save
    QMap<QString, Schedule> m_fileSchedules;
    QHash<qint64, Fire> m_fires; // started runs waiting for their id, by ticket
    FireHandler m_fireHandler;
    LastScheduledLookup m_lastScheduled;
};

} // namespace Sluice
