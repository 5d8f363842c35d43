#pragma once

// When a flow runs by itself: a cron expression or an interval, the time zone it is read in,
// what to do about slots missed while Sluice was not running, and whether it is paused.
// A plain value; safe to copy to any thread.

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

#include "engine/result.h"
#include "schedule/cronexpression.h"
#include "schedule/intervalschedule.h"

namespace Sluice {

class Schedule
{
public:
    enum class Kind { None, Cron, Interval };
    // After downtime: Skip runs none of the missed slots, RunOnce runs the latest one once
    // (within the scheduler's grace window), CatchUp runs every missed slot (bounded).
    enum class MisfirePolicy { Skip, RunOnce, CatchUp };

    // timeZoneId: an IANA id such as "Europe/Berlin"; empty means UTC.
    static Result<Schedule> fromCron(const QString &expression, const QString &timeZoneId = {});
    // "90s", "5m", "2h"; the anchor defaults to 1970-01-01T00:00Z.
    static Result<Schedule> fromInterval(
        const QString &interval, const QDateTime &anchor = {}, const QString &timeZoneId = {});
    // Reads the text of toText(); errors name the part that is wrong.
    static Result<Schedule> fromText(const QString &text);

    static Result<QTimeZone> parseTimeZone(const QString &ianaId);
    static Result<MisfirePolicy> parseMisfirePolicy(const QString &text);
    static QString misfirePolicyName(MisfirePolicy policy); // "skip", "run-once", "catch-up"
    // ISO 8601 with the offset of the time's own zone, always as +hh:mm:
    // "2024-03-08T17:00:00+00:00", "2024-03-31T03:00:00+02:00".
    static QString formatTime(const QDateTime &time);

    Schedule() = default; // Kind::None: never fires

    bool isValid() const { return m_kind != Kind::None; }
    Kind kind() const { return m_kind; }
    const CronExpression &cron() const { return m_cron; }
    const IntervalSchedule &interval() const { return m_interval; }

    QString timeZoneId() const { return QString::fromUtf8(m_zone.id()); }
    QTimeZone timeZone() const { return m_zone; }
    Result<void> setTimeZone(const QString &ianaId);

    MisfirePolicy misfirePolicy() const { return m_misfirePolicy; }
    void setMisfirePolicy(MisfirePolicy policy) { m_misfirePolicy = policy; }

    bool isPaused() const { return m_paused; }
    void setPaused(bool paused) { m_paused = paused; }

    // The first fire time strictly after `after`, in the schedule's time zone. A paused
    // schedule still answers: pausing is the scheduler's business.
    Result<QDateTime> nextFireTime(const QDateTime &after) const;
    // The next `count` fire times after `from`, in order.
    Result<QList<QDateTime>> nextFireTimes(const QDateTime &from, int count) const;

    // The cron expression or the interval as a user writes it: "*/5 * * * *", "5m".
    QString expressionText() const;
    // "every 15 minutes", "at 00:01 every day (Europe/Berlin)", translated.
    QString describe() const;

    // One line for persistence, e.g.
    // "cron=*/15 9-17 * * MON-FRI; tz=Europe/Berlin; misfire=run-once; paused=false".
    QString toText() const;

    bool operator==(const Schedule &other) const;
    bool operator!=(const Schedule &other) const { return !(*this == other); }

private:
    Kind m_kind = Kind::None;
    CronExpression m_cron;
    IntervalSchedule m_interval;
    QTimeZone m_zone = QTimeZone::utc();
    MisfirePolicy m_misfirePolicy = MisfirePolicy::RunOnce;
    bool m_paused = false;
};

} // namespace Sluice
