#pragma once

// The slot grid every series is aligned to (README, "BTC metrics"): slot starts, the slots of
// a half-open range, and timeframe labels ("5m"). Pure functions, callable from any thread.
// Timestamps are seconds since the Unix epoch and must lie within +-2^62.

#include <QString>
#include <QtGlobal>

#include "engine/result.h"

namespace Sluice {

inline constexpr qint64 DefaultSlotSeconds = 300;

// The slots of [start, end) on a grid of `step` seconds: slot i starts at first + i * step.
// When count is 0, first (the first slot at or after start) lies past last (the last slot
// strictly before end); only count says whether the range holds slots.
struct SlotRange
{
    qint64 first = 0;
    qint64 last = -DefaultSlotSeconds;
    qint64 count = 0;
    qint64 step = DefaultSlotSeconds;

    bool isEmpty() const { return count == 0; }
    qint64 slotAt(qint64 index) const { return first + index * step; }
    // Whether `slot` is one of the range's slots (on the grid, first <= slot <= last).
    bool contains(qint64 slot) const
    {
        return count > 0 && slot >= first && slot <= last && (slot - first) % step == 0;
    }
    // The index of a slot the range contains.
    qint64 indexOf(qint64 slot) const { return (slot - first) / step; }

    friend bool operator==(const SlotRange &, const SlotRange &) = default;
};

namespace TimeGrid {

    // floor(timestamp / step) * step, also for negative timestamps (-1 is in slot -step).
    // step > 0.
    inline qint64 slotStart(qint64 timestamp, qint64 step = DefaultSlotSeconds)
    {
        qint64 remainder = timestamp % step;
        if (remainder < 0)
            remainder += step;
        return timestamp - remainder;
    }

    // The first slot at or after `timestamp`.
    inline qint64 slotCeil(qint64 timestamp, qint64 step = DefaultSlotSeconds)
    {
        const qint64 floor = slotStart(timestamp, step);
        return floor == timestamp ? floor : floor + step;
    }

    // The slots of the half-open interval [start, end): start == end and start > end are
    // empty; an end exactly on a slot excludes that slot.
    SlotRange range(qint64 start, qint64 end, qint64 step = DefaultSlotSeconds);

    // The range of `count` slots beginning with the slot that holds `timestamp`.
    SlotRange countedRange(qint64 timestamp, qint64 count, qint64 step = DefaultSlotSeconds);

    // "5m" for 300, "1h" for 3600, "1d", "1w", and "90s" for what no larger unit divides:
    // the labels Binance intervals and the warehouse's timeframe column use.
    QString timeframeLabel(qint64 step);

    // The seconds of a label: a positive count and one of s, m, h, d, w ("5m" is 300).
    // Months ("1M") have no fixed length and are refused, as is anything else.
    Result<qint64> timeframeSeconds(const QString &label);

} // namespace TimeGrid
} // namespace Sluice
