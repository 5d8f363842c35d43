#pragma once

// Test payloads for the BTC flows, generated around a given "now" in the real APIs' formats and
// served by an HttpFixture: Binance klines (KlineArchive, paged like Binance), mempool.space daily
// hash rates (plain integer digits, rising and falling) with a current value, and difficulty
// adjustments every two weeks and an hour (newest first, as mempool.space sends them). Also an
// independent oracle of the values the warehouse must hold, in plain __int128 arithmetic.

#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QSet>
#include <QString>

#include "httpfixture.h"
#include "klinearchive.h"
#include "transform/exactinteger.h"

namespace BtcTest {

using Sluice::Int128;

inline constexpr qint64 Slot = 300;
inline constexpr qint64 Day = 86400;

inline const QString klinesPath = QStringLiteral("/api/v3/klines");
inline const QString hashratePath = QStringLiteral("/api/v1/mining/hashrate/");
inline const QString adjustmentsPath = QStringLiteral("/api/v1/mining/difficulty-adjustments/");
inline const QStringList periods = { "1m", "3m", "6m", "1y", "2y", "3y" };

inline qint64 floorTo(qint64 value, qint64 step)
{
    return value - ((value % step) + step) % step;
}

// floor(a / b) for b > 0, whatever the sign of a.
inline Int128 floorDiv(Int128 a, Int128 b)
{
    Int128 q = a / b;
    if (a % b != 0 && a < 0)
        --q;
    return q;
}

struct Payloads
{
    qint64 now = 0;
    qint64 klineStart = 0; // the open time of klines.kline(0)
    KlineArchive klines;
    QList<QPair<qint64, Int128>> hashrates; // daily, ascending
    Int128 current = 0;
    QList<QPair<qint64, double>> adjustments; // ascending

    // Payloads covering `days` days (plus the margins the flows ask for) before now.
    static Payloads generate(qint64 now, int days, const QSet<qint64> &missingKlines = {})
    {
        Payloads p;
        p.now = now;
        const qint64 today = floorTo(now, Day);
        p.klineStart = floorTo(now, Slot) - qint64(days + 2) * Day;
        const int count = int((floorTo(now, Slot) - p.klineStart) / Slot) + 1 + 12;
        p.klines = KlineArchive::generate(p.klineStart, count);
        if (!missingKlines.isEmpty()) {
            QJsonArray kept;
            for (int i = 0; i < p.klines.size(); ++i) {
                if (!missingKlines.contains(p.klines.openTimeMs(i) / 1000))
                    kept.append(p.klines.kline(i));
            }
            p.klines = KlineArchive::fromJson(QJsonDocument(kept).toJson(QJsonDocument::Compact));
        }
        const int hashDays = days + 40;
        for (int d = 0; d <= hashDays; ++d) {
            const Int128 value = Int128(650) * 1000000000000000000LL
                + Int128((d * 7919) % 101) * 1000000000000000000LL + d * 12345;
            p.hashrates.append({ today - qint64(hashDays - d) * Day, value });
        }
        p.current = Int128(760) * 1000000000000000000LL + 123;
        const qint64 firstAdjustment = today - qint64(days + 60) * Day + 4321;
        for (int k = 0;; ++k) {
            const qint64 at = firstAdjustment + k * (14 * Day + 3701);
            if (at > now)
                break;
            p.adjustments.append({ at, 80e12 + (k % 3) * 1.5e12 + k * 1e11 });
        }
        return p;
    }

    QByteArray hashratePayload() const
    {
        QList<QByteArray> parts;
        for (const auto &[timestamp, value] : hashrates) {
            parts << "{\"timestamp\":" + QByteArray::number(timestamp)
                    + ",\"avgHashrate\":" + Sluice::ExactInteger::toString(value).toLatin1() + "}";
        }
        return "{\"hashrates\":[" + parts.join(',') + "],\"difficulty\":[],\"currentHashrate\":"
            + Sluice::ExactInteger::toString(current).toLatin1()
            + ",\"currentDifficulty\":88404191961276.9}";
    }

    QByteArray adjustmentsPayload() const
    {
        QList<QByteArray> parts;
        for (qsizetype k = adjustments.size() - 1; k >= 0; --k) {
            parts << "[" + QByteArray::number(adjustments[k].first) + ","
                    + QByteArray::number(800000 + 2016 * k) + ","
                    + QByteArray::number(adjustments[k].second, 'f', 0) + ",1.01]";
        }
        return "[" + parts.join(',') + "]";
    }

    void serve(HttpFixture &server) const
    {
        server.route(klinesPath, klines.handler());
        for (const QString &period : periods) {
            server.route(hashratePath + period, HttpFixture::Response::json(hashratePayload()));
            server.route(
                adjustmentsPath + period, HttpFixture::Response::json(adjustmentsPayload()));
        }
    }

    // The open price of the kline at slot, as its text says.
    double priceAt(qint64 slot) const
    {
        return klines.openText(int((slot - klineStart) / Slot)).toDouble();
    }

    // y0 + floor((y1 - y0) * (t - x0) / (x1 - x0)) between the daily samples around slot,
    // the current value appended at the current slot; as the nearest double.
    double hashRateAt(qint64 slot) const
    {
        QList<QPair<qint64, Int128>> samples;
        const qint64 currentSlot = floorTo(now, Slot);
        for (const auto &sample : hashrates) {
            if (sample.first != currentSlot)
                samples << sample;
        }
        samples << qMakePair(currentSlot, current);
        for (qsizetype i = 0; i + 1 < samples.size(); ++i) {
            const auto [x0, y0] = samples[i];
            const auto [x1, y1] = samples[i + 1];
            if (x0 <= slot && slot < x1)
                return double(y0 + floorDiv((y1 - y0) * (slot - x0), x1 - x0));
        }
        return slot == currentSlot ? double(current) : -1;
    }

    double difficultyAt(qint64 slot) const
    {
        double value = -1;
        for (const auto &[at, difficulty] : adjustments) {
            if (at <= slot)
                value = difficulty;
        }
        return value;
    }
};

} // namespace BtcTest
