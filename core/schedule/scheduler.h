#pragma once

// Decides when flows are due: for each flow's Schedule it emits fireDue() at its fire times,
// recomputing from the clock at every check (no intervals are added up, so nothing drifts),
// and applies the schedule's misfire policy to slots missed while the process slept or was
// not running. It starts nothing itself. Lives on the thread that created it (the GUI or the
// `serve` main thread); its timer runs there.

#include <QDateTime>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include "schedule/schedule.h"

namespace Sluice {

class Clock;

class Scheduler : public QObject
{
    Q_OBJECT

public:
    // RunOnce fires a missed slot only if it is at most this old.
    static constexpr qint64 DefaultGraceSeconds = 24 * 3600;
    // CatchUp fires at most this many missed slots, the latest ones, and none older than
    // DefaultCatchUpSeconds.
    static constexpr int DefaultCatchUpLimit = 100;
    static constexpr qint64 DefaultCatchUpSeconds = 7 * 24 * 3600;
    // A slot checked at most this late is on time, not missed: it fires under every policy.
    static constexpr qint64 OnTimeSeconds = 60;
    // A clock set back by at most this much does not run the repeated slots again; set back
    // further, the schedule goes on from the new time.
    static constexpr qint64 SetBackSeconds = 3600;
    // The timer never sleeps longer than this, so a changed system clock or a resume from
    // suspend is noticed within that time.
    static constexpr int MaximumWaitMs = 15000;

    // clock: not owned, must outlive the scheduler; null means the system clock.
    explicit Scheduler(const Clock *clock = nullptr, QObject *parent = nullptr);
    ~Scheduler() override;

    // Adds or replaces a flow's schedule. handledUntil: the instant up to which the flow's
    // slots were already dealt with, e.g. when the previous process last checked (from the
    // run history); slots after it and before now are misfires. Invalid: keep the instant of
    // a flow already known, else now (a new schedule misses nothing). Resuming a paused
    // schedule starts from now.
    void setSchedule(const QString &flowName, const Schedule &schedule,
        const QDateTime &handledUntil = QDateTime());
    // Makes the set of schedules exactly these (e.g. after ScheduleStore::load()).
    void setSchedules(const QMap<QString, Schedule> &schedules);
    void removeSchedule(const QString &flowName);

    QStringList flowNames() const { return m_entries.keys(); }
    Schedule schedule(const QString &flowName) const;
    QDateTime handledUntil(const QString &flowName) const;
    // The next slot still to fire; invalid for a paused or unknown flow.
    QDateTime nextFireTime(const QString &flowName) const;

    void setGraceSeconds(qint64 seconds) { m_graceSeconds = seconds; }
    qint64 graceSeconds() const { return m_graceSeconds; }
    void setCatchUpLimit(int runs) { m_catchUpLimit = qMax(1, runs); }
    int catchUpLimit() const { return m_catchUpLimit; }
    void setCatchUpSeconds(qint64 seconds) { m_catchUpSeconds = seconds; }

    // Checks now and then whenever the next slot is due (timer on this thread).
    void start();
    void stop();
    bool isActive() const { return m_active; }

public Q_SLOTS:
    // Emits fireDue() for every slot due since the last check, by the misfire policies.
    // Idempotent: a second check at the same clock time fires nothing.
    void check();

Q_SIGNALS:
    // A flow is due to run for the slot `scheduledTime` (in the schedule's time zone).
    void fireDue(const QString &flowName, const QDateTime &scheduledTime);
    // Slots of the flow due after `since` and before `until` were not run: the process was
    // not running or asleep, and the schedule's misfire policy said not to run them.
    void slotsMissed(const QString &flowName, const QDateTime &since, const QDateTime &until);

private:
    struct Entry
    {
        Schedule schedule;
        QDateTime handledUntil; // UTC
    };

    QDateTime now() const;
    void checkEntry(const QString &flowName, Entry &entry, const QDateTime &now);
    void arm();

    const Clock *m_clock;
    QMap<QString, Entry> m_entries;
    QTimer m_timer;
    bool m_active = false;
    qint64 m_graceSeconds = DefaultGraceSeconds;
    int m_catchUpLimit = DefaultCatchUpLimit;
    qint64 m_catchUpSeconds = DefaultCatchUpSeconds;
};

} // namespace Sluice
