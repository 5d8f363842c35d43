#pragma once

// Maps wall-clock times of a time zone to instants, deciding DST gaps and overlaps the way
// schedules need: a wall time in a gap maps to the first instant after the gap, a wall time
// that occurs twice maps to its first occurrence. Stateless; usable from any thread.

#include <QtGlobal>

class QDate;
class QTime;
class QTimeZone;

namespace Sluice {

class WallClock
{
public:
    // Seconds the zone's wall clock is ahead of UTC at the instant `utcSeconds` (since epoch).
    static int offsetAt(const QTimeZone &zone, qint64 utcSeconds);

    // `wallSeconds` counts wall-clock seconds since 1970-01-01T00:00 as if the zone were UTC.
    // Returns the instant (UTC seconds since epoch) of its first occurrence, or of the end of
    // the gap it falls in.
    static qint64 firstInstant(const QTimeZone &zone, qint64 wallSeconds);

    static qint64 wallSeconds(const QDate &date, const QTime &time);
};

} // namespace Sluice
