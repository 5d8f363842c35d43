// gaps_bench: the time GapMap::compute takes for a 10M-slot clean table with holes planted at
// random (seeded): cold (no gap cache), read with the default threads (one a core) and with 1,
// 2 and 4, each line naming the threads and bands used, and warm (a gap cache made, then an
// hour of slots appended before each compute, on a copy of the table);
// checks the gaps found against the holes planted and the table's row count.
// Usage: gaps_bench [SLOTS] [SEED] [HOLES]   (prints figures; no pass/fail on time)
// The table is kept in /tmp/gaps_bench-SLOTS-SEED-HOLES.sqlite for the next run; the warm runs
// use /tmp/gaps_bench-warm.sqlite, copied from it and removed at the end.

#include <algorithm>
#include <cstdio>
#include <random>

#include <sys/resource.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QThread>

#include <sqlite3.h>

#include "storage/gapcache.h"
#include "storage/gapmap.h"
#include "storage/gapreading.h"
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

// Stores the slots [from, from + count * Step) in the copy at path.
bool append(const QString &path, qint64 from, qint64 count)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
        return false;
    sqlite3_stmt *insert = nullptr;
    sqlite3_prepare_v2(db,
        "INSERT INTO btc_usd_price_with_net_stat VALUES ('5m', ?, 50000.25, 6.5e20, 9.1e13)", -1,
        &insert, nullptr);
    bool ok = sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK;
    for (qint64 i = 0; ok && i < count; ++i) {
        sqlite3_bind_int64(insert, 1, from + i * Step);
        ok = sqlite3_step(insert) == SQLITE_DONE;
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    ok = ok && sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

// CPU time of the whole process (every thread) so far, in ms: what a run costs apart from
// waiting for a core on a loaded machine.
double cpuMs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
        + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
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
    std::printf("%d cores (QThread::idealThreadCount)\n", QThread::idealThreadCount());
    for (int threads : { 0, 1, 2, 4 }) {
        GapRequest request{ path, QStringLiteral("btc_usd_price_with_net_stat") };
        request.threads = threads;
        request.useCache = false;
        const int used = threads > 0 ? threads : QThread::idealThreadCount();
        const int bands = GapReading::bandCount(request, slots);
        QList<double> times;
        QList<double> cpu;
        for (int run = 0; run < Runs; ++run) {
            QElapsedTimer timer;
            timer.start();
            const double cpuBefore = cpuMs();
            Result<QList<GapSeries>> series = GapMap::compute(request);
            times << timer.nsecsElapsed() / 1e6;
            cpu << cpuMs() - cpuBefore;
            if (!series) {
                std::fprintf(stderr, "%s\n", qPrintable(series.error().message()));
                return 1;
            }
            const bool same = series->size() == 1 && series->first().gaps == planted
                && series->first().missingSlots() == plantedSlots;
            if (!same) {
                std::printf("MISMATCH with %d bands: %lld gaps found, %lld planted\n", bands,
                    series->isEmpty() ? 0 : qint64(series->first().gaps.size()),
                    qint64(planted.size()));
                correct = false;
            }
        }
        std::sort(times.begin(), times.end());
        std::sort(cpu.begin(), cpu.end());
        std::printf("cold, %s%d threads, %d bands: best %.0f ms, median %.0f ms, worst %.0f ms"
                    " (%d runs); CPU median %.0f ms\n",
            threads > 0 ? "" : "default, ", used, bands, times.first(), times.at(Runs / 2),
            times.last(), Runs, cpu.at(Runs / 2));
    }
    // Warm: a copy of the table, its map computed once (the cache made), then each run after
    // an hour (12 slots) appended after the last slot.
    const QString copy = QStringLiteral("/tmp/gaps_bench-warm.sqlite");
    for (const QString &file : { copy, copy + QStringLiteral("-wal"), copy + QStringLiteral("-shm"),
             GapCache::pathFor(copy) })
        QFile::remove(file);
    if (!QFile::copy(path, copy)) {
        std::fprintf(stderr, "cannot copy %s to %s\n", qPrintable(path), qPrintable(copy));
        return 1;
    }
    GapRequest request{ copy, QStringLiteral("btc_usd_price_with_net_stat") };
    QElapsedTimer making;
    making.start();
    Result<QList<GapSeries>> first = GapMap::compute(request);
    if (!first) {
        std::fprintf(stderr, "%s\n", qPrintable(first.error().message()));
        return 1;
    }
    std::printf("cache made in %.0f ms (a cold compute that stores its map)\n",
        making.nsecsElapsed() / 1e6);
    QList<double> warm;
    QList<double> unchanged;
    QList<double> warmCpu;
    QList<double> unchangedCpu;
    qint64 end = Base + slots * Step;
    for (int run = 0; run < Runs; ++run) {
        if (!append(copy, end, 12)) {
            std::fprintf(stderr, "cannot append to %s\n", qPrintable(copy));
            return 1;
        }
        end += 12 * Step;
        for (QList<double> *times : { &warm, &unchanged }) {
            QElapsedTimer timer;
            timer.start();
            const double cpuBefore = cpuMs();
            Result<QList<GapSeries>> series = GapMap::compute(request);
            *times << timer.nsecsElapsed() / 1e6;
            (times == &warm ? warmCpu : unchangedCpu) << cpuMs() - cpuBefore;
            if (!series) {
                std::fprintf(stderr, "%s\n", qPrintable(series.error().message()));
                return 1;
            }
            const bool same = series->size() == 1 && series->first().gaps == planted
                && series->first().to == end && series->first().from == Base;
            if (!same) {
                std::printf("MISMATCH warm, run %d: %lld gaps found, %lld planted\n", run,
                    series->isEmpty() ? 0 : qint64(series->first().gaps.size()),
                    qint64(planted.size()));
                correct = false;
            }
        }
    }
    for (QList<double> *times : { &warm, &unchanged }) {
        QList<double> &cpu = times == &warm ? warmCpu : unchangedCpu;
        std::sort(times->begin(), times->end());
        std::sort(cpu.begin(), cpu.end());
        std::printf("warm, %s: best %.0f ms, median %.0f ms, worst %.0f ms (%d runs);"
                    " CPU median %.0f ms\n",
            times == &warm ? "after an append" : "nothing new", times->first(), times->at(Runs / 2),
            times->last(), Runs, cpu.at(Runs / 2));
    }
    for (const QString &file : { copy, copy + QStringLiteral("-wal"), copy + QStringLiteral("-shm"),
             GapCache::pathFor(copy) })
        QFile::remove(file);

    std::printf("answer %s\n", correct ? "matches the planted holes and count(*)" : "WRONG");
    return correct ? 0 : 1;
}
