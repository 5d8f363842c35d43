#pragma once

// The gap map of a slotted table (one with `timeframe` TEXT and `start_timestamp` INTEGER
// columns): per series (the key columns before timeframe, e.g. coin and currency) and per
// timeframe, the slot ranges missing between the first and last stored slot, or within a
// window. Reads the table's key index in order on read-only connections of its own, in bands
// on several threads, and keeps whole maps in a GapCache beside the warehouse so that the next
// compute reads only what is new; callable from any thread but the GUI's (it reads millions of
// keys).

#include <atomic>
#include <optional>

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "engine/result.h"

namespace Sluice {

// Missing slots [start, end): start is the first missing slot, end the first slot after the
// gap (half-open), both seconds since the epoch on the series' grid.
struct SlotGap
{
    qint64 start = 0;
    qint64 end = 0;

    friend bool operator==(const SlotGap &, const SlotGap &) = default;
};

// One series of one timeframe and its gaps.
struct GapSeries
{
    QStringList keyColumns; // "coin", "currency"; empty for a table of one series
    QVariantList keyValues; // "BTC", "USDT"
    QString timeframe; // "5m"
    qint64 step = 0; // seconds of the timeframe
    // The slots looked at, [from, to): the first stored slot (or the window's first slot) to
    // the slot after the last stored one (or the window's end). Empty when from >= to.
    qint64 from = 0;
    qint64 to = 0;
    QList<SlotGap> gaps; // in order, none adjoining

    // "BTC/USDT 5m", "bitcoin 1h", "5m": how lists and the strip name the series.
    QString label() const;
    qint64 slotCount() const { return to > from ? (to - from) / step : 0; }
    qint64 missingSlots() const;
    // The fraction of present slots in each of `buckets` equal parts of [begin, end), from the
    // gap list: -1 for a part that holds none of [from, to) (before the first slot, after the
    // last). buckets >= 1, begin < end.
    QList<double> presentFractions(qint64 begin, qint64 end, int buckets) const;
    // The gap that holds time t, or nullopt.
    std::optional<SlotGap> gapAt(qint64 t) const;
};

struct GapRequest
{
    QString warehousePath;
    QString table;
    // Seconds since the epoch; a gap is clipped to [from, to). Without from, a series starts at
    // its first stored slot; without to, it ends after its last one.
    std::optional<qint64> from = std::nullopt;
    std::optional<qint64> to = std::nullopt;
    int threads = 0; // bands read at once for a long series; 0: one a core
    qint64 minBandSlots = 250000; // below this many slots a band is not split: a thread costs more
    const std::atomic_bool *cancelled = nullptr; // checked between bands and every 64k keys
    // Whether a request without a window starts from the cached map (core/storage/gapcache.h)
    // and stores what it computed; false reads the whole table.
    bool useCache = true;
};

class GapMap
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::GapMap)

public:
    // The tables of the warehouse that have timeframe and start_timestamp columns, by name.
    // A warehouse that does not exist yet has none.
    static Result<QStringList> slottedTables(const QString &warehousePath);

    // The series of request.table and their gaps, series and timeframes in key order. The
    // table must be one of slottedTables(); a timeframe that is no label ("1M") is skipped.
    static Result<QList<GapSeries>> compute(const GapRequest &request);

    // "12 slots, 1 h": a gap's length as the strip's tooltip and `sluice gaps` say it.
    static QString lengthText(qint64 slots, qint64 seconds);
    // "1 h", "2 d 3 h", "5 min", "45 s": a duration, its two largest units.
    static QString durationText(qint64 seconds);
};

} // namespace Sluice
