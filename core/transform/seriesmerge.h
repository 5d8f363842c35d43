#pragma once

// Merges the three filled series into the warehouse's rows (README, "BTC metrics", the clean
// table): a clean row exists only where price, hash rate and difficulty all have the slot. Pure
// functions, callable from any thread.

#include <vector>

#include "engine/result.h"
#include "transform/seriesfill.h"
#include "transform/slotrows.h"

namespace Sluice::SeriesMerge {

// The clean rows of the range, in slot order: every slot where the price is not a gap (hash
// rate and difficulty fill every slot). The three series must share one range, else Error.
Result<std::vector<CleanRow>> cleanRows(
    const GappedSeries &price, const FilledSeries &hashRate, const FilledSeries &difficulty);

// The raw rows for the range: each series where it has a value (price gaps stay out of
// coin_price), in slot order, under `key`. The warehouse joins the clean rows from them (and
// from what it stored before), so that the clean table always equals the join of the raw ones.
// The three series must share one range, else Error.
Result<SlotRows> rows(const GappedSeries &price, const FilledSeries &hashRate,
    const FilledSeries &difficulty, const SeriesKey &key = {});

// The clean rows of sparse raw rows (such as rows read back from the warehouse): the slots
// present in all three, in slot order. Input may be unsorted; of rows sharing a slot within
// one series the last in the input wins, as in SeriesFill::normalize.
std::vector<CleanRow> cleanRows(std::vector<SlotValue> prices, std::vector<SlotValue> hashRates,
    std::vector<SlotValue> difficulties);

} // namespace Sluice::SeriesMerge
