#include "transform/seriesmerge.h"

#include <algorithm>

#include <QCoreApplication>

namespace Sluice::SeriesMerge {

namespace {

    QString rangeText(const SlotRange &range)
    {
        return QStringLiteral("[%1, +%2 x %3 s)").arg(range.first).arg(range.count).arg(range.step);
    }

    // The three series must describe the same slots, value for value.
    Result<void> checkAligned(
        const GappedSeries &price, const FilledSeries &hashRate, const FilledSeries &difficulty)
    {
        const qint64 count = price.range.count;
        if (price.range != hashRate.range || price.range != difficulty.range
            || qint64(price.values.size()) != count || qint64(hashRate.values.size()) != count
            || qint64(difficulty.values.size()) != count) {
            return Error{ QCoreApplication::translate("Sluice::SeriesMerge",
                              "cannot merge series of different slot ranges: price %1, hash rate "
                              "%2, difficulty %3")
                              .arg(rangeText(price.range), rangeText(hashRate.range),
                                  rangeText(difficulty.range)),
                QCoreApplication::translate("Sluice::SeriesMerge", "merge") };
        }
        return {};
    }

    // Sorted by slot, one row a slot: the last of the input's rows for that slot.
    void sortKeepingLast(std::vector<SlotValue> &rows)
    {
        // Rows read back from the warehouse come sorted and unique: nothing to do.
        const auto notAfter = [](const SlotValue &a, const SlotValue &b) {
            return a.startTimestamp >= b.startTimestamp;
        };
        if (std::adjacent_find(rows.begin(), rows.end(), notAfter) == rows.end())
            return;
        std::stable_sort(rows.begin(), rows.end(), [](const SlotValue &a, const SlotValue &b) {
            return a.startTimestamp < b.startTimestamp;
        });
        auto out = rows.begin();
        for (auto run = rows.begin(); run != rows.end();) {
            auto next = run + 1;
            while (next != rows.end() && next->startTimestamp == run->startTimestamp)
                ++next;
            *out++ = *(next - 1);
            run = next;
        }
        rows.erase(out, rows.end());
    }

} // namespace

Result<std::vector<CleanRow>> cleanRows(
    const GappedSeries &price, const FilledSeries &hashRate, const FilledSeries &difficulty)
{
    if (Result<void> aligned = checkAligned(price, hashRate, difficulty); !aligned)
        return aligned.error();
    std::vector<CleanRow> clean;
    clean.reserve(price.values.size());
    const SlotRange &range = price.range;
    for (std::size_t i = 0; i < price.values.size(); ++i) {
        if (price.values[i])
            clean.push_back({ range.slotAt(qint64(i)), *price.values[i], hashRate.values[i],
                difficulty.values[i] });
    }
    return clean;
}

Result<SlotRows> rows(const GappedSeries &price, const FilledSeries &hashRate,
    const FilledSeries &difficulty, const SeriesKey &key)
{
    if (Result<void> aligned = checkAligned(price, hashRate, difficulty); !aligned)
        return aligned.error();
    SlotRows rows;
    rows.key = key;
    const SlotRange &range = price.range;
    const std::size_t count = price.values.size();
    rows.prices.reserve(count);
    rows.hashRates.reserve(count);
    rows.difficulties.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const qint64 slot = range.slotAt(qint64(i));
        if (price.values[i])
            rows.prices.push_back({ slot, *price.values[i] });
        rows.hashRates.push_back({ slot, hashRate.values[i] });
        rows.difficulties.push_back({ slot, difficulty.values[i] });
    }
    return rows;
}

std::vector<CleanRow> cleanRows(std::vector<SlotValue> prices, std::vector<SlotValue> hashRates,
    std::vector<SlotValue> difficulties)
{
    sortKeepingLast(prices);
    sortKeepingLast(hashRates);
    sortKeepingLast(difficulties);
    std::vector<CleanRow> clean;
    auto p = prices.cbegin();
    auto h = hashRates.cbegin();
    auto d = difficulties.cbegin();
    // Advance whichever lags behind the largest of the three slots until all three agree.
    while (p != prices.cend() && h != hashRates.cend() && d != difficulties.cend()) {
        const qint64 slot = std::max({ p->startTimestamp, h->startTimestamp, d->startTimestamp });
        if (p->startTimestamp < slot) {
            ++p;
        } else if (h->startTimestamp < slot) {
            ++h;
        } else if (d->startTimestamp < slot) {
            ++d;
        } else {
            clean.push_back({ slot, p->value, h->value, d->value });
            ++p, ++h, ++d;
        }
    }
    return clean;
}

} // namespace Sluice::SeriesMerge
