#include "schedule/scheduler.h"

#include "schedule/clock.h"

namespace Sluice {

namespace {

    const Clock &systemClock()
    {
        static const SystemClock clock;
        return clock;
    }

    // A guard against endless scans; the horizons keep real scans far below it (a week of
    // minutes is 10080 slots).
    constexpr int MaximumScan = 1000000;

} // namespace

Scheduler::Scheduler(const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock ? clock : &systemClock())
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::check);
}

Scheduler::~Scheduler() = default;

QDateTime Scheduler::now() const
{
    return m_clock->now().toUTC();
}

void Scheduler::setSchedule(
    const QString &flowName, const Schedule &schedule, const QDateTime &handledUntil)
{
    QDateTime from = handledUntil.toUTC();
    if (!from.isValid()) {
        const auto known = m_entries.constFind(flowName);
        const bool resumed =
            known != m_entries.cend() && known->schedule.isPaused() && !schedule.isPaused();
        from = known != m_entries.cend() && !resumed ? known->handledUntil : now();
    }
    m_entries.insert(flowName, Entry{ schedule, from });
    arm();
}

void Scheduler::setSchedules(const QMap<QString, Schedule> &schedules)
{
    for (const QString &flowName : m_entries.keys()) {
        if (!schedules.contains(flowName))
            m_entries.remove(flowName);
    }
    for (auto it = schedules.cbegin(); it != schedules.cend(); ++it) {
        const auto known = m_entries.constFind(it.key());
        if (known == m_entries.cend() || known->schedule != it.value())
            setSchedule(it.key(), it.value());
    }
    arm();
}

void Scheduler::removeSchedule(const QString &flowName)
{
    m_entries.remove(flowName);
    arm();
}

Schedule Scheduler::schedule(const QString &flowName) const
{
    return m_entries.value(flowName).schedule;
}

QDateTime Scheduler::handledUntil(const QString &flowName) const
{
    return m_entries.value(flowName).handledUntil;
}

QDateTime Scheduler::nextFireTime(const QString &flowName) const
{
    const auto entry = m_entries.constFind(flowName);
    if (entry == m_entries.cend() || entry->schedule.isPaused())
        return QDateTime();
    Result<QDateTime> next = entry->schedule.nextFireTime(entry->handledUntil);
    return next ? *next : QDateTime();
}

void Scheduler::start()
{
    m_active = true;
    check();
}

void Scheduler::stop()
{
    m_active = false;
    m_timer.stop();
}

void Scheduler::check()
{
    struct Due
    {
        QString flowName;
        QList<QDateTime> fire;
        QDateTime missedSince; // when missed: slots in (missedSince, missedUntil) did not run
        QDateTime missedUntil;
        bool missed = false;
    };
    const QDateTime current = now();
    QList<Due> due;

    // Decide everything first and emit afterwards: a receiver may change the schedules.
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        Entry &entry = it.value();
        // A clock set far back (a wrong clock corrected) would silence the flow until it
        // catches up again: start over from the new time instead.
        if (entry.handledUntil.secsTo(current) < -SetBackSeconds)
            entry.handledUntil = current;
        if (!entry.schedule.isValid() || current <= entry.handledUntil)
            continue; // nothing new, or the clock was set back a little: already handled
        const QDateTime since = entry.handledUntil;
        entry.handledUntil = current;
        if (entry.schedule.isPaused())
            continue;
        Result<QDateTime> first = entry.schedule.nextFireTime(since);
        if (!first || *first > current)
            continue;

        // Only the slots that the policy may still run are looked at: the latest one if on
        // time (skip) or within the grace window (run-once), or the latest few within the
        // catch-up horizon.
        const Schedule::MisfirePolicy policy = entry.schedule.misfirePolicy();
        const bool catchUp = policy == Schedule::MisfirePolicy::CatchUp;
        const qint64 horizon = catchUp                ? m_catchUpSeconds
            : policy == Schedule::MisfirePolicy::Skip ? OnTimeSeconds
                                                      : qMax(m_graceSeconds, OnTimeSeconds);
        const int keep = catchUp ? m_catchUpLimit : 1;
        QDateTime scanFrom = qMax(since, current.addSecs(-horizon));
        if (entry.schedule.kind() == Schedule::Kind::Interval)
            scanFrom = qMax(scanFrom, current.addSecs(-keep * entry.schedule.interval().seconds()));
        QList<QDateTime> recent;
        QDateTime t = scanFrom;
        for (int scanned = 0; scanned < MaximumScan; ++scanned) {
            Result<QDateTime> next = entry.schedule.nextFireTime(t);
            if (!next || *next > current)
                break;
            recent.append(*next);
            if (recent.size() > keep)
                recent.removeFirst();
            t = *next;
        }

        Due item{ it.key(), {}, since, current };
        if (!recent.isEmpty()) {
            const bool onTime = recent.last().secsTo(current) <= OnTimeSeconds;
            if (catchUp)
                item.fire = recent;
            else if (onTime || policy == Schedule::MisfirePolicy::RunOnce)
                item.fire.append(recent.last());
        }
        if (!item.fire.isEmpty())
            item.missedUntil = item.fire.first();
        item.missed = *first < item.missedUntil;
        if (item.missed || !item.fire.isEmpty())
            due.append(item);
    }

    for (const Due &item : std::as_const(due)) {
        if (item.missed)
            Q_EMIT slotsMissed(item.flowName, item.missedSince, item.missedUntil);
        for (const QDateTime &slot : item.fire)
            Q_EMIT fireDue(item.flowName, slot);
    }
    arm();
}

void Scheduler::arm()
{
    if (!m_active)
        return;
    const QDateTime current = now();
    qint64 wait = MaximumWaitMs;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        const QDateTime next = nextFireTime(it.key());
        if (next.isValid())
            wait = qBound(qint64(0), current.msecsTo(next), wait);
    }
    m_timer.start(int(wait));
}

} // namespace Sluice
