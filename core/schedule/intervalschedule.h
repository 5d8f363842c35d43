#pragma once

// Every N seconds, minutes or hours: fire times are anchor + k * interval for whole k,
// computed from the time asked about, never by adding intervals up. A plain value; safe to
// copy to any thread.

#include <QDateTime>
#include <QString>

#include "engine/result.h"

namespace Sluice {

class IntervalSchedule
{
public:
    static constexpr qint64 MaximumSeconds = 366 * 86400;

    // "90s", "5m", "2h": a whole number from 1 and a unit (s, m or h), at most 366 days.
    // The anchor puts the grid in time; the default, 1970-01-01T00:00Z, makes "5m" fire on
    // the clock's five-minute marks. The error's `where` is "interval".
    static Result<IntervalSchedule> parse(const QString &text, const QDateTime &anchor = {});
    static QDateTime defaultAnchor();

    IntervalSchedule() = default; // not valid; only parse() makes a usable schedule

    bool isValid() const { return m_seconds > 0; }
    qint64 seconds() const { return m_seconds; }
    QDateTime anchor() const { return m_anchor; }
    // The canonical text: the largest unit that divides the interval ("120s" -> "2m").
    QString text() const;
    // "every 90 seconds", "every 5 minutes", "every 2 hours", translated.
    QString describe() const;

    // The first grid time strictly after `after` (in UTC); invalid for an invalid `after`.
    QDateTime nextFireTime(const QDateTime &after) const;

    bool operator==(const IntervalSchedule &other) const
    {
        return m_seconds == other.m_seconds && m_anchor == other.m_anchor;
    }

private:
    qint64 m_seconds = 0;
    QDateTime m_anchor;
};

} // namespace Sluice
