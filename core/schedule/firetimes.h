#pragma once

// The fire times of a schedule around a logical time: the fire before a time (${run.prev-time})
// and every fire in a range (`sluice backfill`). Pure functions; any thread.

#include <QDateTime>
#include <QList>

#include "engine/result.h"
#include "schedule/schedule.h"

namespace Sluice::FireTimes {

// The schedule's last fire strictly before time; invalid when there is none in five years.
QDateTime before(const Schedule &schedule, const QDateTime &time);

// Every fire in [from, to), in order. More than limit fires is an error saying how many at
// least, so that `every: 1s` over a year is refused rather than started.
Result<QList<QDateTime>> between(
    const Schedule &schedule, const QDateTime &from, const QDateTime &to, int limit);

} // namespace Sluice::FireTimes
