#pragma once

// A classic five-field cron expression (minute hour day-of-month month day-of-week) and the
// search for its next fire time in a time zone. A plain value; safe to copy to any thread.

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include "engine/result.h"

namespace Sluice {

class CronExpression
{
public:
    enum class Field { Minute, Hour, DayOfMonth, Month, DayOfWeek };

    // Parses `*`, lists, ranges, steps (`*/5`, `10-50/7`, `5/15` = 5-max/15), month names
    // JAN-DEC and weekday names SUN-SAT (any case), Sunday as 0 or 7 and the macros @yearly
    // @annually @monthly @weekly @daily @midnight @hourly. The day fields combine as crontab(5)
    // says: when neither day-of-month nor day-of-week starts with `*`, a day matches if either
    // matches; otherwise it must match both. The error's `where` is the field name ("hour")
    // and `what` says which text is wrong and why. An expression that can never fire
    // (`0 0 30 2 *`) is an error too.
    static Result<CronExpression> parse(const QString &text);
    // "minute", "hour", "day-of-month", "month", "day-of-week": the names used in errors.
    static QString fieldName(Field field);

    CronExpression() = default; // fires never; only parse() makes a usable expression

    bool isValid() const { return m_minutes != 0; }
    // The expression as given, with runs of white space made single spaces.
    QString text() const { return m_text; }

    // The first fire time strictly after `after`, evaluated on the wall clock of `zone`, and
    // returned in that zone. A wall time that does not exist (spring-forward gap) fires at the
    // first valid instant after it; a wall time that occurs twice fires at its first
    // occurrence only. Fails only for invalid arguments or when nothing fires in 40 years.
    Result<QDateTime> nextFireTime(
        const QDateTime &after, const QTimeZone &zone = QTimeZone::utc()) const;

    // Whether a wall-clock date and time (seconds ignored) is one of the expression's times.
    bool matches(const QDate &date, const QTime &time) const;

    // Short English words where easy ("every 15 minutes", "at 00:01 every day"), translated;
    // otherwise the expression itself.
    QString describe() const;

    bool operator==(const CronExpression &other) const;

private:
    struct WallTime
    {
        int year;
        int month;
        int day;
        int hour;
        int minute;
    };

    bool dayMatches(int year, int month, int day) const;
    // The first matching wall time at or after `from`, or false when none is found up to
    // the end of `lastYear`.
    bool nextWallTime(WallTime &from, int lastYear) const;

    QString m_text;
    quint64 m_minutes = 0; // bit n: minute n
    quint32 m_hours = 0; // bit n: hour n
    quint32 m_days = 0; // bit n: day of month n (1-31)
    quint32 m_months = 0; // bit n: month n (1-12)
    quint32 m_weekdays = 0; // bit n: weekday n (0 = Sunday .. 6)
    // crontab(5): neither day field starts with `*`, so a day matching either matches. Kept
    // false when either field allows every day (then every day matches, and both masks are
    // made full), so that equal times give equal values.
    bool m_eitherDay = false;
};

} // namespace Sluice
