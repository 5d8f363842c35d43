// gaps_bench: the time GapMap::compute takes for a 10M-slot clean table with holes planted at
// random (seeded), read with 1, 2 and 4 bands at once; checks the gaps found against the holes
// planted and the table's row count.
// Usage: gaps_bench [SLOTS] [SEED] [HOLES]   (prints figures; no pass/fail on time)
// The table is kept in /tmp/gaps_bench-SLOTS-SEED-HOLES.sqlite for the next run.

#include <algorithm>
#include <cstdio>
#include <random>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QList>

#include <sqlite3.h>

#include "storage/gapmap.h"
#include "storage/warehouse.h"

using namespace Sluice;

namespace {

constexpr qint64 Base = 1'500'000'000 - 1'500'000'000 % 300;
constexpr qint64 Step = 300;
constexpr int Runs = 5;

// Holes of 1 to 500 slots at random places, never the first or the last slot, merged where
// they touch: the gaps the computation must find.
QList<SlotGap> plantHoles(qint64 slots, quint64 seed, int holes)
{
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<qint64> place(1, slots - 2);
    std::geometric_distribution<qint64> length(0.01);
    QList<QPair<qint64, qint64>> spans; // slot indexes, half-open
    for (int i = 0; i < holes; ++i) {
        const qint64 start = place(random);
        const qint64 end = std::min(slots - 1, start + 1 + std::min<qint64>(length(random), 499));
        spans.append({ start, end });
    }
    std::sort(spans.begin(), spans.end());
    QList<SlotGap> gaps;
    for (const auto &span : spans) {
        const qint64 start = Base + span.first * Step;
        const qint64 end = Base + span.second * Step;
        if (!gaps.isEmpty() && gaps.last().end >= start)
            gaps.last().end = std::max(gaps.last().end, end);
        else
            gaps.append({ start, end });
    }
    return gaps;
}

bool fill(const QString &path, qint64 slots, const QList<SlotGap> &gaps)
{
    if (!Warehouse::initialize(path))
        return false;
    sqlite3 *db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
        return false;
    sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt *insert = nullptr;
    sqlite3_prepare_v2(db,
        "INSERT INTO btc_usd_price_with_net_stat VALUES ('5m', ?, 50000.25, 6.5e20, 9.1e13)", -1,
        &insert, nullptr);
    int next = 0;
    for (qint64 i = 0; i < slots; ++i) {
        const qint64 slot = Base + i * Step;
        while (next < gaps.size() && gaps.at(next).end <= slot)
            ++next;
        if (next < gaps.size() && gaps.at(next).start <= slot)
            continue;
        sqlite3_bind_int64(insert, 1, slot);
        if (sqlite3_step(insert) != SQLITE_DONE)
            return false;
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    const bool ok = sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

qint64 rowCount(const QString &path)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *count = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM btc_usd_price_with_net_stat", -1, &count, nullptr);
    const qint64 rows = sqlite3_step(count) == SQLITE_ROW ? sqlite3_column_int64(count, 0) : -1;
    sqlite3_finalize(count);
    sqlite3_close(db);
    return rows;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qint64 slots = args.size() > 1 ? args.at(1).toLongLong() : 10'000'000;
    const quint64 seed = args.size() > 2 ? args.at(2).toULongLong() : 18;
    const int holes = args.size() > 3 ? args.at(3).toInt() : 1000;
    if (slots < 10 || holes < 0) {
        std::fprintf(stderr, "usage: gaps_bench [SLOTS >= 10] [SEED] [HOLES]\n");
        return 2;
    }
    const QList<SlotGap> planted = plantHoles(slots, seed, holes);
    qint64 plantedSlots = 0;
    for (const SlotGap &gap : planted)
        plantedSlots += (gap.end - gap.start) / Step;

    const QString path =
        QStringLiteral("/tmp/gaps_bench-%1-%2-%3.sqlite").arg(slots).arg(seed).arg(holes);
    if (!QFile::exists(path)) {
        QElapsedTimer filling;
        filling.start();
        if (!fill(path, slots, planted)) {
            std::fprintf(stderr, "cannot fill %s\n", qPrintable(path));
            QFile::remove(path);
            return 1;
        }
        std::printf("filled %s in %.1f s\n", qPrintable(path), filling.elapsed() / 1000.0);
    }
    const qint64 rows = rowCount(path);
    std::printf("%lld slots, %lld rows, %lld gaps planted (%lld slots); seed %llu\n", slots, rows,
        qint64(planted.size()), plantedSlots, seed);

    bool correct = rows == slots - plantedSlots;
    for (int threads : { 1, 2, 4 }) {
        GapRequest request{ path, QStringLiteral("btc_usd_price_with_net_stat") };
        request.threads = threads;
        QList<double> times;
        for (int run = 0; run < Runs; ++run) {
            QElapsedTimer timer;
            timer.start();
            Result<QList<GapSeries>> series = GapMap::compute(request);
            times << timer.nsecsElapsed() / 1e6;
            if (!series) {
                std::fprintf(stderr, "%s\n", qPrintable(series.error().message()));
                return 1;
            }
            const bool same = series->size() == 1 && series->first().gaps == planted
                && series->first().missingSlots() == plantedSlots;
            if (!same) {
                std::printf("MISMATCH with %d bands: %lld gaps found, %lld planted\n", threads,
                    series->isEmpty() ? 0 : qint64(series->first().gaps.size()),
                    qint64(planted.size()));
                correct = false;
            }
        }
        std::sort(times.begin(), times.end());
        std::printf("bands %d: best %.0f ms, median %.0f ms, worst %.0f ms (%d runs)\n", threads,
            times.first(), times.at(Runs / 2), times.last(), Runs);
    }
    std::printf("answer %s\n", correct ? "matches the planted holes and count(*)" : "WRONG");
    return correct ? 0 : 1;
}
