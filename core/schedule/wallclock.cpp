#include "schedule/wallclock.h"

#include <QDateTime>
#include <QTimeZone>

namespace Sluice {

namespace {

    // Far enough on either side of a wall time to see the offsets before and after a transition
    // near it (offsets are within ±14 h, transitions of real zones are months apart).
    constexpr qint64 TwoDays = 2 * 86400;

} // namespace

int WallClock::offsetAt(const QTimeZone &zone, qint64 utcSeconds)
{
    return zone.offsetFromUtc(QDateTime::fromSecsSinceEpoch(utcSeconds, Qt::UTC));
}

qint64 WallClock::firstInstant(const QTimeZone &zone, qint64 wallSeconds)
{
    if (!zone.hasTransitions())
        return wallSeconds - offsetAt(zone, wallSeconds);

    const int before = offsetAt(zone, wallSeconds - TwoDays);
    const int after = offsetAt(zone, wallSeconds + TwoDays);
    const qint64 early = wallSeconds - qMax(before, after);
    const qint64 late = wallSeconds - qMin(before, after);
    const bool earlyValid = early + offsetAt(zone, early) == wallSeconds;
    const bool lateValid = late + offsetAt(zone, late) == wallSeconds;
    if (earlyValid)
        return early; // the first of two occurrences when both are valid
    if (lateValid)
        return late;
    if (before == after) // no transition near: cannot happen with real zones
        return wallSeconds - before;

    // In a gap: the clock jumps forward at an instant in (early, late]. The first valid
    // instant after the wall time is that transition; find it to the second.
    qint64 low = early; // offset here is still the one before the gap
    qint64 high = late; // offset here is the one after the gap
    const int lowOffset = offsetAt(zone, low);
    while (high - low > 1) {
        const qint64 middle = low + (high - low) / 2;
        if (offsetAt(zone, middle) == lowOffset)
            low = middle;
        else
            high = middle;
    }
    return high;
}

qint64 WallClock::wallSeconds(const QDate &date, const QTime &time)
{
    return QDateTime(date, time, Qt::UTC).toSecsSinceEpoch();
}

} // namespace Sluice
