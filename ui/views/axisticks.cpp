#include "views/axisticks.h"

#include <algorithm>
#include <cmath>

#include <QDateTime>

namespace Sluice {

namespace {

    constexpr qint64 Minute = 60'000;
    constexpr qint64 Hour = 60 * Minute;
    constexpr qint64 Day = 24 * Hour;

    // The first multiple of step at or after ms, counted on the local clock.
    qint64 roundUp(qint64 ms, qint64 step)
    {
        const qint64 offset = qint64(QDateTime::fromMSecsSinceEpoch(ms).offsetFromUtc()) * 1000;
        const qint64 local = ms + offset;
        qint64 floor = local - ((local % step) + step) % step;
        if (floor < local)
            floor += step;
        return floor - offset;
    }

} // namespace

AxisTicks::Values AxisTicks::values(double low, double high, int targetTicks)
{
    Values result;
    if (!std::isfinite(low) || !std::isfinite(high))
        return result;
    if (low > high)
        std::swap(low, high);
    const bool positive = low >= 0;
    // A spread within rounding of the values themselves (5e20 + 1 is 5e20) is no spread: ticks
    // that small could not be added to the values, nor told apart.
    if (high - low <= std::max(std::abs(low), std::abs(high)) * 1e-9) {
        low = high = (low + high) / 2;
    }
    if (high == low) {
        const double pad = low == 0 ? 1 : std::abs(low) * 0.05;
        low -= pad;
        high += pad;
    } else {
        // A little air so that the highest and lowest points do not touch the frame.
        const double pad = (high - low) * 0.02;
        low -= pad;
        high += pad;
    }
    if (positive)
        low = std::max(low, 0.0);
    const double rough = (high - low) / std::max(1, targetTicks);
    const int exponent = int(std::floor(std::log10(rough)));
    const double magnitude = std::pow(10.0, exponent);
    const double fraction = rough / magnitude;
    double mantissa = 10;
    for (const double candidate : { 1.0, 2.0, 2.5, 5.0, 10.0 }) {
        if (fraction <= candidate * 1.0000001) {
            mantissa = candidate;
            break;
        }
    }
    result.step = mantissa * magnitude;
    result.min = std::floor(low / result.step) * result.step;
    result.max = std::ceil(high / result.step) * result.step;
    if (positive)
        result.min = std::max(result.min, 0.0);
    const int stepExponent = mantissa == 10 ? exponent + 1 : exponent;
    result.decimals = std::max(0, -stepExponent + (mantissa == 2.5 ? 1 : 0));
    return result;
}

AxisTicks::Times AxisTicks::times(qint64 fromMs, qint64 toMs, int targetTicks)
{
    Times result;
    if (toMs <= fromMs)
        return result;
    static constexpr qint64 Steps[] = { Minute, 2 * Minute, 5 * Minute, 10 * Minute, 15 * Minute,
        30 * Minute, Hour, 2 * Hour, 3 * Hour, 6 * Hour, 12 * Hour, Day, 2 * Day, 7 * Day, 14 * Day,
        28 * Day, 56 * Day, 91 * Day, 182 * Day, 364 * Day };
    const qint64 rough = (toMs - fromMs) / std::max(1, targetTicks);
    result.step = Steps[std::size(Steps) - 1];
    for (const qint64 step : Steps) {
        if (step >= rough) {
            result.step = step;
            break;
        }
    }
    if (result.step < Day) {
        const bool oneDay = QDateTime::fromMSecsSinceEpoch(fromMs).date()
            == QDateTime::fromMSecsSinceEpoch(toMs).date();
        result.format = oneDay ? QStringLiteral("HH:mm") : QStringLiteral("MM-dd HH:mm");
    } else {
        result.format = QStringLiteral("yyyy-MM-dd");
    }
    // Each next tick is the next round time of the local clock, also across a DST change.
    for (qint64 tick = roundUp(fromMs, result.step); tick <= toMs;
         tick = roundUp(tick + 1, result.step))
        result.ticks << tick;
    return result;
}

} // namespace Sluice
