// The BTC pipeline's data core: slots/s of the transform (hash rate, difficulty and price
// fills, merge) over 1M slots, and rows/s of loading a year of 5-minute slots into the four
// tables of a file-backed warehouse, first write wins. Prints figures; asserts nothing.
// Targets (issue 6): transform over 20M slots/s; load over 1,000,000 rows/s.

#include <algorithm>
#include <functional>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>

#include "storage/warehouse.h"
#include "storage/warehousewriter.h"
#include "transform/seriesfill.h"
#include "transform/seriesmerge.h"

using namespace Sluice;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

// The best of `rounds` runs, in seconds: the least disturbed by the other work on the machine.
double bestSeconds(int rounds, const std::function<void()> &run)
{
    double best = 1e300;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer timer;
        timer.start();
        run();
        best = std::min(best, double(timer.nsecsElapsed()) / 1e9);
    }
    return best;
}

void report(const char *what, qint64 units, const char *unit, double seconds)
{
    out() << QStringLiteral("%1 %2 %3 in %4 ms: %5 M %3/s")
                 .arg(QLatin1String(what), -34)
                 .arg(units)
                 .arg(QLatin1String(unit))
                 .arg(seconds * 1e3, 0, 'f', 2)
                 .arg(double(units) / seconds / 1e6, 0, 'f', 1)
          << Qt::endl;
}

struct Sources
{
    std::vector<HashRateSample> hashRates;
    std::vector<DifficultySample> difficulties;
    std::vector<PriceSample> klines;
};

// What the APIs would give for `range`: a daily hash rate near 7e20 that rises and falls plus
// the live value, an adjustment every two weeks from before the range, a kline a slot with one
// in a thousand missing.
Sources sources(const SlotRange &range)
{
    QRandomGenerator random(2024);
    Sources s;
    Int128 hashRate = *ExactInteger::parse(QStringView(u"736575040256689000000"));
    const qint64 firstDay = TimeGrid::slotStart(range.first, 86400);
    for (qint64 day = firstDay; day <= range.last; day += 86400) {
        s.hashRates.push_back({ day, hashRate });
        hashRate += Int128(random.bounded(-40000000, 50000000)) * 1000000000000LL;
    }
    SeriesFill::appendCurrent(s.hashRates, range.last, hashRate);
    double difficulty = 5e13;
    for (qint64 t = range.first - 10 * 86400; t <= range.last; t += 14 * 86400) {
        s.difficulties.push_back({ t, difficulty });
        difficulty *= 1.0 + (random.bounded(200) - 80) / 1000.0;
    }
    s.klines.reserve(std::size_t(range.count));
    double price = 30000;
    for (qint64 i = 0; i < range.count; ++i) {
        price += random.bounded(200) / 10.0 - 9.95;
        if (i == 0 || i == range.count - 1 || random.bounded(1000) != 0)
            s.klines.push_back({ range.slotAt(i), price });
    }
    return s;
}

SlotRows transform(const Sources &s, const SlotRange &range)
{
    const Result<FilledSeries> hash = SeriesFill::hashRate(s.hashRates, range);
    const Result<FilledSeries> difficulty = SeriesFill::difficulty(s.difficulties, range);
    const Result<GappedSeries> price = SeriesFill::price(s.klines, range);
    if (!hash || !difficulty || !price)
        qFatal("the benchmark's data does not cover its range");
    Result<SlotRows> rows = SeriesMerge::rows(*price, *hash, *difficulty);
    return std::move(*rows);
}

void benchTransform()
{
    const SlotRange range = TimeGrid::countedRange(1420070400, 1000000); // from 2015-01-01
    const Sources s = sources(range);
    out() << QStringLiteral("transform: %1 slots, %2 hash rate samples, %3 adjustments, %4 "
                            "klines")
                 .arg(range.count)
                 .arg(s.hashRates.size())
                 .arg(s.difficulties.size())
                 .arg(s.klines.size())
          << Qt::endl;

    double checksum = 0;
    Result<FilledSeries> hash = Error{};
    Result<FilledSeries> difficulty = Error{};
    Result<GappedSeries> price = Error{};
    report("hash rate fill (walk, to double)", range.count, "slots", bestSeconds(5, [&] {
        hash = SeriesFill::hashRate(s.hashRates, range);
        checksum += hash->values.back();
    }));
    report("hash rate fill (walk, exact)", range.count, "slots", bestSeconds(5, [&] {
        const Result<std::vector<Int128>> exact = SeriesFill::hashRateExact(s.hashRates, range);
        checksum += double(exact->back() & 1);
    }));
    report("hash rate, one division a slot", range.count, "slots", bestSeconds(5, [&] {
        // The straightforward way, for comparison: find the segment, divide.
        std::vector<double> values(std::size_t(range.count));
        std::size_t j = 0;
        for (qint64 i = 0; i < range.count; ++i) {
            const qint64 t = range.slotAt(i);
            while (j + 2 < s.hashRates.size() && s.hashRates[j + 1].timestamp <= t)
                ++j;
            const HashRateSample &a = s.hashRates[j];
            const HashRateSample &b = s.hashRates[j + 1];
            values[std::size_t(i)] = double(a.hashRate
                + ExactInteger::floorDiv(
                    (b.hashRate - a.hashRate) * (t - a.timestamp), b.timestamp - a.timestamp));
        }
        checksum += values.back();
    }));
    report("difficulty fill", range.count, "slots", bestSeconds(5, [&] {
        difficulty = SeriesFill::difficulty(s.difficulties, range);
        checksum += difficulty->values.back();
    }));
    report("price fill", range.count, "slots", bestSeconds(5, [&] {
        price = SeriesFill::price(s.klines, range);
        checksum += *price->values.front();
    }));
    report("merge, clean rows", range.count, "slots", bestSeconds(5, [&] {
        const Result<std::vector<CleanRow>> clean =
            SeriesMerge::cleanRows(*price, *hash, *difficulty);
        checksum += clean->back().price;
    }));
    report("merge, rows of the raw tables", range.count, "slots", bestSeconds(5, [&] {
        const Result<SlotRows> rows = SeriesMerge::rows(*price, *hash, *difficulty);
        checksum += rows->prices.back().value;
    }));
    report("all: three fills, raw rows", range.count, "slots",
        bestSeconds(5, [&] { checksum += transform(s, range).prices.back().value; }));
    // The size a backfill transforms: one year.
    const SlotRange year = TimeGrid::range(1704067200, 1704067200 + 365 * 86400);
    const Sources yearSources = sources(year);
    report("all, one year", year.count, "slots",
        bestSeconds(5, [&] { checksum += transform(yearSources, year).prices.back().value; }));
    out() << QStringLiteral("(checksum %1)").arg(checksum, 0, 'g', 6) << Qt::endl;
}

void benchLoad()
{
    const SlotRange year = TimeGrid::range(1704067200, 1704067200 + 365 * 86400);
    const SlotRows rows = transform(sources(year), year);
    // The clean rows are joined in the warehouse from the raw ones.
    const qint64 cleanCount =
        qint64(SeriesMerge::cleanRows(rows.prices, rows.hashRates, rows.difficulties).size());
    const qint64 rowCount = qint64(rows.prices.size() + rows.hashRates.size()
        + rows.difficulties.size() + std::size_t(cleanCount));
    out() << QStringLiteral("load: one year, %1 slots, %2 rows into four tables (file-backed, "
                            "WAL, synchronous=NORMAL)")
                 .arg(year.count)
                 .arg(rowCount)
          << Qt::endl;

    QTemporaryDir dir;
    int file = 0;
    for (const qint64 batchSlots : { qint64(105120), qint64(20000), qint64(5000), qint64(1000) }) {
        double fresh = 1e300;
        double again = 1e300;
        for (int round = 0; round < 3; ++round) {
            const QString path = dir.filePath(QStringLiteral("warehouse-%1.sqlite").arg(++file));
            if (Result<void> ok = Warehouse::initialize(path); !ok)
                qFatal("%s", qPrintable(ok.error().message()));
            Result<WarehouseWriter> writer = WarehouseWriter::open(path);
            if (!writer)
                qFatal("%s", qPrintable(writer.error().message()));
            WarehouseWriter::LoadOptions options;
            options.batchSlots = batchSlots;
            Result<WarehouseWriter::Counts> counts = Error{};
            fresh = std::min(fresh, bestSeconds(1, [&] { counts = writer->load(rows, options); }));
            if (!counts || counts->total() != rowCount)
                qFatal("the load failed or inserted too little");
            again = std::min(again, bestSeconds(1, [&] { counts = writer->load(rows, options); }));
            if (!counts || counts->total() != 0)
                qFatal("the re-load inserted rows");
        }
        const QString label = QStringLiteral("batches of %1 slots").arg(batchSlots);
        out() << QStringLiteral("%1: fresh file %2 rows/s (%3 slots/s), %4 ms; re-load (all "
                                "ignored) %5 rows/s, %6 ms")
                     .arg(label, -26)
                     .arg(double(rowCount) / fresh, 0, 'f', 0)
                     .arg(double(year.count) / fresh, 0, 'f', 0)
                     .arg(fresh * 1e3, 0, 'f', 1)
                     .arg(double(rowCount) / again, 0, 'f', 0)
                     .arg(again * 1e3, 0, 'f', 1)
              << Qt::endl;
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    benchTransform();
    benchLoad();
    return 0;
}
