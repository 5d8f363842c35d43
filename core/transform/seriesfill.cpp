#include "transform/seriesfill.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <QCoreApplication>
#include <QDateTime>

namespace Sluice::SeriesFill {

namespace {

    QString slotText(qint64 slot)
    {
        return QStringLiteral("%1 (%2)")
            .arg(QDateTime::fromSecsSinceEpoch(slot, Qt::UTC).toString(Qt::ISODate))
            .arg(slot);
    }

    Error startMissed(const QString &series, qint64 firstSlot)
    {
        return Error{ QCoreApplication::translate("Sluice::SeriesFill",
                          "data quality too low: starting point missed: no sample at or before "
                          "the first slot %1")
                          .arg(slotText(firstSlot)),
            series };
    }

    Error endMissed(const QString &series, qint64 lastSlot)
    {
        return Error{ QCoreApplication::translate("Sluice::SeriesFill",
                          "data quality too low: end point missed: no sample at or after the "
                          "last slot %1")
                          .arg(slotText(lastSlot)),
            series };
    }

    QString hashRateSeries()
    {
        return QCoreApplication::translate("Sluice::SeriesFill", "hash rate series");
    }

    template <typename Sample> void sortKeepingLast(std::vector<Sample> &samples)
    {
        const auto earlier = [](const Sample &a, const Sample &b) {
            return a.timestamp < b.timestamp;
        };
        // Strictly increasing already: nothing to do.
        if (std::adjacent_find(samples.begin(), samples.end(), std::not_fn(earlier))
            == samples.end())
            return;
        std::stable_sort(samples.begin(), samples.end(), earlier);
        // Stable: within a run of one timestamp the input order holds, so keep the run's last.
        auto out = samples.begin();
        for (auto run = samples.begin(); run != samples.end();) {
            auto next = run + 1;
            while (next != samples.end() && next->timestamp == run->timestamp)
                ++next;
            *out++ = *(next - 1);
            run = next;
        }
        samples.erase(out, samples.end());
    }

    // Slots k0, k0 + step, ... (n of them, all below dx) of one segment, written to out:
    // y0 + floor(dy * k / dx). With dy = a * dx + b (0 <= b < dx) that is
    // y0 + a * k + floor(b * k / dx), whose products fit in 128 bits; from one slot to the next
    // the quotient grows by floor(dy * step / dx) and the remainder by its remainder, carrying
    // one when the remainder reaches dx. Exact: the same numbers as one division a slot.
    template <typename Out, typename Convert>
    void fillSegment(Out *out, qint64 n, Int128 y0, Int128 dy, qint64 dx, qint64 k0, qint64 step,
        Convert convert)
    {
        const quint64 divisor = quint64(dx);
        const Int128 a = ExactInteger::floorDiv(dy, dx);
        const UInt128 b = UInt128(dy - a * dx);
        const UInt128 bk = b * quint64(k0);
        Int128 value = y0 + a * k0 + Int128(bk / divisor);
        quint64 remainder = quint64(bk % divisor);
        out[0] = convert(value);
        if (n == 1)
            return;
        // Here step < dx, so a * step stays as small as dy.
        const UInt128 bs = b * quint64(step);
        const Int128 increment = a * step + Int128(bs / divisor);
        const quint64 incrementRemainder = quint64(bs % divisor);
        for (qint64 i = 1; i < n; ++i) {
            value += increment;
            remainder += incrementRemainder; // both below dx < 2^63: no overflow
            if (remainder >= divisor) {
                remainder -= divisor;
                ++value;
            }
            out[i] = convert(value);
        }
    }

    // The index of the last sample at or before t; the caller knows one exists.
    template <typename Sample>
    std::size_t lastAtOrBefore(const std::vector<Sample> &samples, qint64 t)
    {
        const auto after = std::upper_bound(samples.begin(), samples.end(), t,
            [](qint64 time, const Sample &sample) { return time < sample.timestamp; });
        return std::size_t(after - samples.begin()) - 1;
    }

    // The hash rate walk, writing each slot's exact value through `convert`.
    template <typename Out, typename Convert>
    Result<std::vector<Out>> interpolate(
        std::vector<HashRateSample> samples, const SlotRange &range, Convert convert)
    {
        std::vector<Out> values;
        if (range.isEmpty())
            return values;
        normalize(samples);
        if (samples.empty() || samples.front().timestamp > range.first)
            return startMissed(hashRateSeries(), range.first);
        if (samples.back().timestamp < range.last)
            return endMissed(hashRateSeries(), range.last);
        for (const HashRateSample &sample : samples) {
            if (sample.hashRate > MaxHashRate || sample.hashRate < -MaxHashRate) {
                return Error{ QCoreApplication::translate("Sluice::SeriesFill",
                                  "the hash rate %1 at %2 is beyond the supported range (2^125)")
                                  .arg(ExactInteger::toString(sample.hashRate),
                                      slotText(sample.timestamp)),
                    hashRateSeries() };
            }
        }

        values.resize(std::size_t(range.count));
        Out *out = values.data();
        std::size_t j = lastAtOrBefore(samples, range.first);
        qint64 done = 0;
        qint64 slot = range.first;
        while (done < range.count) {
            while (j + 1 < samples.size() && samples[j + 1].timestamp <= slot)
                ++j;
            if (j + 1 == samples.size()) {
                // At or past the last sample: coverage put it at or after the last slot, so
                // this slot is that sample.
                out[done++] = convert(samples[j].hashRate);
                slot += range.step;
                continue;
            }
            const HashRateSample &left = samples[j];
            const HashRateSample &right = samples[j + 1];
            const qint64 inSegment =
                std::min(range.count - done, (right.timestamp - slot - 1) / range.step + 1);
            fillSegment(out + done, inSegment, left.hashRate, right.hashRate - left.hashRate,
                right.timestamp - left.timestamp, slot - left.timestamp, range.step, convert);
            done += inSegment;
            slot += inSegment * range.step;
        }
        return values;
    }

} // namespace

void normalize(std::vector<HashRateSample> &samples)
{
    sortKeepingLast(samples);
}

void normalize(std::vector<DifficultySample> &samples)
{
    sortKeepingLast(samples);
}

void appendCurrent(
    std::vector<HashRateSample> &samples, qint64 now, Int128 currentHashRate, qint64 step)
{
    samples.push_back({ TimeGrid::slotStart(now, step), currentHashRate });
}

Result<FilledSeries> hashRate(std::vector<HashRateSample> samples, const SlotRange &range)
{
    Result<std::vector<double>> values = interpolate<double>(
        std::move(samples), range, [](Int128 value) { return ExactInteger::toDouble(value); });
    if (!values)
        return values.error();
    return FilledSeries{ range, std::move(*values) };
}

Result<std::vector<Int128>> hashRateExact(
    std::vector<HashRateSample> samples, const SlotRange &range)
{
    return interpolate<Int128>(std::move(samples), range, [](Int128 value) { return value; });
}

Result<FilledSeries> difficulty(std::vector<DifficultySample> samples, const SlotRange &range)
{
    const QString series = QCoreApplication::translate("Sluice::SeriesFill", "difficulty series");
    FilledSeries filled{ range, {} };
    if (range.isEmpty())
        return filled;
    normalize(samples);
    if (samples.empty() || samples.front().timestamp > range.first)
        return startMissed(series, range.first);
    for (const DifficultySample &sample : samples) {
        if (!std::isfinite(sample.difficulty)) {
            return Error{ QCoreApplication::translate(
                              "Sluice::SeriesFill", "the difficulty at %1 is not a finite number")
                              .arg(slotText(sample.timestamp)),
                series };
        }
    }

    filled.values.resize(std::size_t(range.count));
    double *out = filled.values.data();
    std::size_t j = lastAtOrBefore(samples, range.first);
    qint64 done = 0;
    qint64 slot = range.first;
    while (done < range.count) {
        while (j + 1 < samples.size() && samples[j + 1].timestamp <= slot)
            ++j;
        // Every slot before the next adjustment (or all the rest) holds this difficulty.
        qint64 run = range.count - done;
        if (j + 1 < samples.size())
            run = std::min(run, (samples[j + 1].timestamp - slot - 1) / range.step + 1);
        std::fill_n(out + done, run, samples[j].difficulty);
        done += run;
        slot += run * range.step;
    }
    return filled;
}

Result<GappedSeries> price(const std::vector<PriceSample> &klines, const SlotRange &range)
{
    const QString series = QCoreApplication::translate("Sluice::SeriesFill", "price series");
    GappedSeries filled{ range, {} };
    if (range.isEmpty())
        return filled;
    filled.values.resize(std::size_t(range.count));
    bool startCovered = false;
    bool endCovered = false;
    for (const PriceSample &kline : klines) {
        if (!std::isfinite(kline.price)) {
            return Error{ QCoreApplication::translate(
                              "Sluice::SeriesFill", "the price at %1 is not a finite number")
                              .arg(slotText(kline.openTime)),
                series };
        }
        if ((kline.openTime - range.first) % range.step != 0)
            continue;
        startCovered = startCovered || kline.openTime <= range.first;
        endCovered = endCovered || kline.openTime >= range.last;
        if (kline.openTime >= range.first && kline.openTime <= range.last)
            filled.values[std::size_t(range.indexOf(kline.openTime))] = kline.price;
    }
    if (!startCovered)
        return startMissed(series, range.first);
    if (!endCovered)
        return endMissed(series, range.last);
    return filled;
}

} // namespace Sluice::SeriesFill
