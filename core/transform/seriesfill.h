#pragma once

// Fills the slots of a range from a source's samples (README, "BTC metrics"): hash
// rate by exact linear interpolation, difficulty as a step function, price by slot with gaps
// kept. A series that does not reach the range's first or last slot is an Error, never
// extrapolated. Pure functions, callable from any thread.

#include <optional>
#include <vector>

#include <QString>
#include <QtGlobal>

#include "engine/result.h"
#include "transform/exactinteger.h"
#include "transform/timegrid.h"

namespace Sluice {

// mempool.space /mining/hashrate: {"timestamp": s, "avgHashrate": n}, and the live value.
struct HashRateSample
{
    qint64 timestamp = 0; // seconds
    Int128 hashRate = 0; // exact: read with ExactInteger::parse
};

// mempool.space /mining/difficulty-adjustments: [timestamp s, height, difficulty, change].
struct DifficultySample
{
    qint64 timestamp = 0; // seconds
    double difficulty = 0;
};

// Binance kline: open time (converted to seconds) and its open price.
struct PriceSample
{
    qint64 openTime = 0; // seconds, not milliseconds
    double price = 0;
};

// A value for every slot: values[i] belongs to range.slotAt(i).
struct FilledSeries
{
    SlotRange range;
    std::vector<double> values;
};

// A value or a gap (std::nullopt) for every slot: values[i] belongs to range.slotAt(i).
struct GappedSeries
{
    SlotRange range;
    std::vector<std::optional<double>> values;
};

namespace SeriesFill {

    // Hash rates must lie within +-2^125 so that differences and products of the exact
    // interpolation stay inside 128 bits (real ones are near 2^70).
    inline constexpr Int128 MaxHashRate = Int128(1) << 125;

    // Input may be unsorted and hold several samples with one timestamp. These sort by
    // timestamp and, of samples sharing a timestamp, keep the one that came LAST in the input:
    // the newest word wins, so a live value appended after the history replaces a history
    // sample of the same second. Already sorted, unique input is left as is (one pass).
    void normalize(std::vector<HashRateSample> &samples);
    void normalize(std::vector<DifficultySample> &samples);

    // Appends the live "currentHashrate" at the slot that holds `now`; being last, it replaces
    // a history sample at that slot (see normalize).
    void appendCurrent(std::vector<HashRateSample> &samples, qint64 now, Int128 currentHashRate,
        qint64 step = DefaultSlotSeconds);

    // Slot t between samples (x0, y0) and (x1, y1), x0 <= t < x1, holds
    //   y0 + floor((y1 - y0) * (t - x0) / (x1 - x0))
    // in exact 128-bit arithmetic with floor division (also when the rate falls), converted to
    // the nearest double; a slot on a sample holds that sample. Samples need not lie on slots.
    // Errors: no sample at or before the first slot ("starting point missed"), none at or after
    // the last slot ("end point missed"), a value beyond MaxHashRate. An empty range gives an
    // empty series whatever the samples.
    Result<FilledSeries> hashRate(std::vector<HashRateSample> samples, const SlotRange &range);
    // The same walk, keeping each slot's exact integer: values[i] belongs to range.slotAt(i).
    Result<std::vector<Int128>> hashRateExact(
        std::vector<HashRateSample> samples, const SlotRange &range);

    // Each slot holds the difficulty of the latest adjustment at or before it. The last
    // adjustment stays in effect until the next one, so only the start can be missed: no
    // adjustment at or before the first slot is "starting point missed". A non-finite
    // difficulty is an Error.
    Result<FilledSeries> difficulty(std::vector<DifficultySample> samples, const SlotRange &range);

    // Each slot holds the price of the kline that opens exactly at it; a slot without one is a
    // gap. Klines that open off the grid are ignored; klines outside the range only count for
    // coverage. Errors: no kline on the grid at or before the first slot ("starting point
    // missed"), none at or after the last slot ("end point missed"), a non-finite price.
    // Of two klines with one open time the later in the input wins.
    Result<GappedSeries> price(const std::vector<PriceSample> &klines, const SlotRange &range);

} // namespace SeriesFill
} // namespace Sluice
