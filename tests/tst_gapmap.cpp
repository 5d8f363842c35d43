// GapMap (core/storage/gapmap.h) on real warehouse files with holes planted: none, one slot,
// at the edges of a window, long runs, several series and timeframes, bands read at once (gaps
// on their seams, a table read from its start, a cancel while they run); and its GapCache
// (core/storage/gapcache.h) against rows stored and deleted after it was made, a table re-created,
// new series, and a damaged or foreign cache file.

#include <atomic>
#include <optional>
#include <thread>

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include "storage/gapcache.h"
#include "storage/gapmap.h"
#include "storage/gapreading.h"
#include "storage/sqliteconnection.h"
#include "storage/warehouse.h"

using namespace Sluice;

Q_DECLARE_METATYPE(QList<SlotGap>)

namespace {

using Holes = QList<QPair<qint64, qint64>>;

constexpr qint64 Base = 1'700'000'000 - 1'700'000'000 % 3600;

// Inserts the slots [0, count) of a series, Base + i * step, leaving out those in `holes`
// (slot indexes, half-open).
QString fillSeries(const QString &path, const QString &table, const QString &series,
    const QString &timeframe, qint64 step, qint64 count, const Holes &holes)
{
    auto connection = SqliteConnection::open(path, QStringLiteral("fixture"));
    if (!connection)
        return connection.error().message();
    QStringList excluded;
    for (const auto &hole : holes)
        excluded << QStringLiteral("(i >= %1 AND i < %2)").arg(hole.first).arg(hole.second);
    const QString values = table == u"coin_price"
        ? QStringLiteral("%1, '%2', %3 + i * %4, 1.5").arg(series, timeframe).arg(Base).arg(step)
        : table == u"btc_usd_price_with_net_stat"
        ? QStringLiteral("'%1', %2 + i * %3, 1.5, 2.5, 3.5").arg(timeframe).arg(Base).arg(step)
        : QStringLiteral("%1, '%2', %3 + i * %4, 1.5").arg(series, timeframe).arg(Base).arg(step);
    const QString sql =
        QStringLiteral("INSERT INTO %1 WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 "
                       "FROM n WHERE i < %2) SELECT %3 FROM n%4")
            .arg(table)
            .arg(count - 1)
            .arg(values,
                excluded.isEmpty()
                    ? QString()
                    : QStringLiteral(" WHERE NOT (%1)").arg(excluded.join(QStringLiteral(" OR "))));
    if (Result<void> done = connection->exec(sql); !done)
        return done.error().message();
    return QString();
}

QList<SlotGap> gapsOf(qint64 step, const QList<QPair<qint64, qint64>> &slots)
{
    QList<SlotGap> gaps;
    for (const auto &span : slots)
        gaps.append({ Base + span.first * step, Base + span.second * step });
    return gaps;
}

QString execSql(const QString &path, const QString &sql)
{
    auto connection = SqliteConnection::open(path, QStringLiteral("fixture"));
    if (!connection)
        return connection.error().message();
    const Result<void> done = connection->exec(sql);
    return done ? QString() : done.error().message();
}

// The start of 5-minute slot i of the series the cache tests plant.
qint64 slotAt(qint64 i)
{
    return Base + i * 300;
}

// "BTC/USDT 5m: [a, b) [c, d)" for every series of a map: what two maps are compared by.
QStringList described(const QList<GapSeries> &map)
{
    QStringList lines;
    for (const GapSeries &series : map) {
        QStringList gaps;
        for (const SlotGap &gap : series.gaps)
            gaps << QStringLiteral("[%1, %2)").arg(gap.start).arg(gap.end);
        lines << QStringLiteral("%1 %2-%3: %4")
                     .arg(series.label())
                     .arg(series.from)
                     .arg(series.to)
                     .arg(gaps.join(QLatin1Char(' ')));
    }
    return lines;
}

// The bytes this process has read so far (rchar of /proc/self/io), or -1.
qint64 bytesRead()
{
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("rchar: "))
            return line.mid(7).toLongLong();
    }
    return -1;
}

// The seam between the two bands of a walk over slots [0, count) of a series that is its
// table's first, as GapReading splits it.
qint64 seamSlot(qint64 count)
{
    const QList<qint64> edges =
        GapReading::bandEdges(Base, Base + count * 300, 300, 2, /*fromTableStart=*/true);
    return (edges.at(1) - Base) / 300;
}

} // namespace

class TestGapMap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("warehouse-%1.sqlite").arg(++m_count));
        QVERIFY(Warehouse::initialize(m_path));
    }

    void cleanTable_data()
    {
        QTest::addColumn<qint64>("slotCount");
        QTest::addColumn<Holes>("holes");
        QTest::addColumn<QList<SlotGap>>("gaps");
        QTest::addColumn<int>("threads");
        QTest::newRow("none") << qint64(100) << Holes{} << QList<SlotGap>{} << 1;
        QTest::newRow("one slot") << qint64(100) << Holes{ { 40, 41 } }
                                  << gapsOf(300, { { 40, 41 } }) << 1;
        QTest::newRow("next to the first and last slot")
            << qint64(100) << Holes{ { 1, 3 }, { 97, 99 } } << gapsOf(300, { { 1, 3 }, { 97, 99 } })
            << 1;
        QTest::newRow("long runs") << qint64(50000) << Holes{ { 10, 20000 }, { 20001, 49990 } }
                                   << gapsOf(300, { { 10, 20000 }, { 20001, 49990 } }) << 1;
        // Four bands of 2500 slots: gaps across their borders are joined.
        QTest::newRow("bands") << qint64(10000)
                               << Holes{ { 2000, 3000 }, { 4999, 5001 }, { 7499, 7500 } }
                               << gapsOf(300, { { 2000, 3000 }, { 4999, 5001 }, { 7499, 7500 } })
                               << 4;
    }

    void cleanTable()
    {
        QFETCH(qint64, slotCount);
        QFETCH(Holes, holes);
        QFETCH(QList<SlotGap>, gaps);
        QFETCH(int, threads);
        QCOMPARE(fillSeries(m_path, QStringLiteral("btc_usd_price_with_net_stat"), {},
                     QStringLiteral("5m"), 300, slotCount, holes),
            QString());
        GapRequest request{ m_path, QStringLiteral("btc_usd_price_with_net_stat") };
        request.threads = threads;
        request.minBandSlots = 100;
        const Result<QList<GapSeries>> series = GapMap::compute(request);
        QVERIFY2(series, qPrintable(series ? QString() : series.error().message()));
        QCOMPARE(series->size(), 1);
        const GapSeries &one = series->first();
        QCOMPARE(one.label(), QStringLiteral("5m"));
        QCOMPARE(one.from, Base);
        QCOMPARE(one.to, Base + slotCount * 300);
        QCOMPARE(one.gaps, gaps);
        qint64 missing = 0;
        for (const auto &hole : holes)
            missing += hole.second - hole.first;
        QCOMPARE(one.missingSlots(), missing);
    }

    void severalSeriesAndTimeframes()
    {
        const QString table = QStringLiteral("coin_price");
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'BTC', 'USDT'"), QStringLiteral("5m"),
                     300, 200, { { 10, 12 } }),
            QString());
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'BTC', 'USDT'"), QStringLiteral("1h"),
                     3600, 50, { { 30, 31 } }),
            QString());
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'ETH', 'USDT'"), QStringLiteral("5m"),
                     300, 100, {}),
            QString());
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'BTC', 'EUR'"), QStringLiteral("5m"),
                     300, 100, { { 1, 99 } }),
            QString());
        const Result<QList<GapSeries>> series = GapMap::compute({ m_path, table });
        QVERIFY2(series, qPrintable(series ? QString() : series.error().message()));
        QStringList labels;
        for (const GapSeries &one : *series)
            labels << one.label();
        QCOMPARE(labels,
            QStringList({ QStringLiteral("BTC/EUR 5m"), QStringLiteral("BTC/USDT 1h"),
                QStringLiteral("BTC/USDT 5m"), QStringLiteral("ETH/USDT 5m") }));
        QCOMPARE(series->at(0).keyColumns,
            QStringList({ QStringLiteral("coin"), QStringLiteral("currency") }));
        QCOMPARE(series->at(0).gaps, gapsOf(300, { { 1, 99 } }));
        QCOMPARE(series->at(1).gaps, gapsOf(3600, { { 30, 31 } }));
        QCOMPARE(series->at(1).step, qint64(3600));
        QCOMPARE(series->at(2).gaps, gapsOf(300, { { 10, 12 } }));
        QVERIFY(series->at(3).gaps.isEmpty());
    }

    void windowCutsGaps()
    {
        QCOMPARE(
            fillSeries(m_path, QStringLiteral("network_hash_rate"), QStringLiteral("'bitcoin'"),
                QStringLiteral("5m"), 300, 100, { { 20, 40 }, { 60, 70 } }),
            QString());
        GapRequest request{ m_path, QStringLiteral("network_hash_rate") };
        // From inside the first gap (between two slots: the next slot counts) to inside the
        // second; before the first stored slot and after the last are missing too.
        request.from = Base + 30 * 300 - 10;
        request.to = Base + 65 * 300;
        Result<QList<GapSeries>> series = GapMap::compute(request);
        QVERIFY(series);
        QCOMPARE(series->size(), 1);
        QCOMPARE(series->first().label(), QStringLiteral("bitcoin 5m"));
        QCOMPARE(series->first().gaps, gapsOf(300, { { 30, 40 }, { 60, 65 } }));

        request.from = Base - 3 * 300;
        request.to = Base + 103 * 300;
        series = GapMap::compute(request);
        QVERIFY(series);
        QCOMPARE(
            series->first().gaps, gapsOf(300, { { -3, 0 }, { 20, 40 }, { 60, 70 }, { 100, 103 } }));

        // A window after the last slot: all of it is missing.
        request.from = Base + 200 * 300;
        request.to = Base + 210 * 300;
        series = GapMap::compute(request);
        QVERIFY(series);
        QCOMPARE(series->first().gaps, gapsOf(300, { { 200, 210 } }));
    }

    void slottedTablesAndRefusals()
    {
        auto connection = SqliteConnection::open(m_path, QStringLiteral("fixture"));
        QVERIFY(connection);
        QVERIFY(connection->exec(QStringLiteral("CREATE TABLE notes (id INTEGER, text TEXT)")));
        const Result<QStringList> tables = GapMap::slottedTables(m_path);
        QVERIFY(tables);
        QCOMPARE(*tables,
            QStringList(
                { QStringLiteral("btc_usd_price_with_net_stat"), QStringLiteral("coin_price"),
                    QStringLiteral("network_difficulty"), QStringLiteral("network_hash_rate") }));
        const Result<QList<GapSeries>> refused =
            GapMap::compute({ m_path, QStringLiteral("notes") });
        QVERIFY(!refused);
        QVERIFY(refused.error().what.contains(QStringLiteral("notes")));
        const Result<QStringList> none =
            GapMap::slottedTables(m_dir.filePath(QStringLiteral("missing.sqlite")));
        QVERIFY(none);
        QVERIFY(none->isEmpty());
    }

    void cancelled()
    {
        QCOMPARE(fillSeries(m_path, QStringLiteral("btc_usd_price_with_net_stat"), {},
                     QStringLiteral("5m"), 300, 10, {}),
            QString());
        std::atomic_bool cancel = true;
        GapRequest request{ m_path, QStringLiteral("btc_usd_price_with_net_stat") };
        request.cancelled = &cancel;
        const Result<QList<GapSeries>> series = GapMap::compute(request);
        QVERIFY(!series);
        QCOMPARE(series.error().code, ErrorCode::Cancelled);
    }

    // Two bands read at once, the first from the table's start: a gap on the seam between them
    // is found whole, as one read finds it.
    void gapOnSeam_data()
    {
        QTest::addColumn<qint64>("fromSeam"); // the hole, relative to the seam slot
        QTest::addColumn<qint64>("toSeam");
        QTest::newRow("ends on the seam") << qint64(-3) << qint64(0);
        QTest::newRow("starts on the seam") << qint64(0) << qint64(3);
        QTest::newRow("across the seam") << qint64(-2) << qint64(2);
        QTest::newRow("the slot before the seam") << qint64(-1) << qint64(0);
        QTest::newRow("the slot on the seam") << qint64(0) << qint64(1);
    }

    void gapOnSeam()
    {
        QFETCH(qint64, fromSeam);
        QFETCH(qint64, toSeam);
        constexpr qint64 Count = 10000;
        const qint64 seam = seamSlot(Count);
        // The first band, read without a bound, is the longer one.
        QVERIFY(seam > Count / 2 && seam < Count - 100);
        const Holes holes{ { 100, 101 }, { seam + fromSeam, seam + toSeam }, { 9990, 9991 } };
        const QString table = QStringLiteral("btc_usd_price_with_net_stat");
        QCOMPARE(fillSeries(m_path, table, {}, QStringLiteral("5m"), 300, Count, holes), QString());
        auto connection = GapReading::ReaderConnection::open(m_path);
        QVERIFY(connection);
        const auto shape = GapReading::tableShape(connection->handle(), table, m_path);
        QVERIFY(shape);
        QVERIFY(shape->ordered);
        for (int threads : { 2, 1 }) {
            GapRequest request{ m_path, table };
            request.threads = threads;
            request.minBandSlots = 1000;
            request.useCache = false;
            QCOMPARE(GapReading::bandCount(request, Count), threads);
            const Result<QList<GapSeries>> series = GapMap::compute(request);
            QVERIFY2(series, qPrintable(series ? QString() : series.error().message()));
            QCOMPARE(series->size(), 1);
            QCOMPARE(series->first().gaps, gapsOf(300, holes));
            QCOMPARE(series->first().from, Base);
            QCOMPARE(series->first().to, Base + Count * 300);
        }
    }

    // Below twice the shortest band a series is read in one band, whatever the threads.
    void smallerThanTheSplit()
    {
        const QString table = QStringLiteral("btc_usd_price_with_net_stat");
        QCOMPARE(fillSeries(m_path, table, {}, QStringLiteral("5m"), 300, 1999, { { 999, 1001 } }),
            QString());
        GapRequest request{ m_path, table };
        request.threads = 4;
        request.minBandSlots = 1000;
        request.useCache = false;
        QCOMPARE(GapReading::bandCount(request, 1999), 1);
        QCOMPARE(GapReading::bandCount(request, 2000), 2);
        const Result<QList<GapSeries>> series = GapMap::compute(request);
        QVERIFY2(series, qPrintable(series ? QString() : series.error().message()));
        QCOMPARE(series->first().gaps, gapsOf(300, { { 999, 1001 } }));
        QCOMPARE(series->first().to, Base + 1999 * 300);
    }

    // Holes at the very start and end of the slots planted, in a window wider than the series
    // on both sides, and in windows that begin or end inside them: in two bands as in one.
    void holesAtTheEnds_data()
    {
        QTest::addColumn<qint64>("from"); // slot indexes of the window
        QTest::addColumn<qint64>("to");
        QTest::addColumn<QList<SlotGap>>("gaps");
        const QList<SlotGap> middle = gapsOf(300, { { 2000, 2001 } });
        QTest::newRow("wider") << qint64(-10) << qint64(4010)
                               << gapsOf(300, { { -10, 3 }, { 2000, 2001 }, { 3996, 4010 } });
        QTest::newRow("all planted") << qint64(0) << qint64(4000)
                                     << gapsOf(300, { { 0, 3 }, { 2000, 2001 }, { 3996, 4000 } });
        QTest::newRow("in holes") << qint64(1) << qint64(3999)
                                  << gapsOf(300, { { 1, 3 }, { 2000, 2001 }, { 3996, 3999 } });
        QTest::newRow("all stored") << qint64(3) << qint64(3996) << middle;
        QTest::newRow("inside the stored") << qint64(4) << qint64(3995) << middle;
    }

    void holesAtTheEnds()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(QList<SlotGap>, gaps);
        const QString table = QStringLiteral("btc_usd_price_with_net_stat");
        QCOMPARE(fillSeries(m_path, table, {}, QStringLiteral("5m"), 300, 4000,
                     { { 0, 3 }, { 2000, 2001 }, { 3996, 4000 } }),
            QString());
        for (int threads : { 1, 2, 3 }) {
            GapRequest request{ m_path, table };
            request.from = Base + from * 300;
            request.to = Base + to * 300;
            request.threads = threads;
            request.minBandSlots = 100;
            const Result<QList<GapSeries>> series = GapMap::compute(request);
            QVERIFY2(series, qPrintable(series ? QString() : series.error().message()));
            QCOMPARE(series->first().gaps, gaps);
        }
        // Unwindowed, the series runs from its first stored slot to after its last.
        GapRequest request{ m_path, table };
        request.threads = 2;
        request.minBandSlots = 100;
        request.useCache = false;
        const Result<QList<GapSeries>> series = GapMap::compute(request);
        QVERIFY(series);
        QCOMPARE(series->first().from, Base + 3 * 300);
        QCOMPARE(series->first().to, Base + 3996 * 300);
        QCOMPARE(series->first().gaps, gapsOf(300, { { 2000, 2001 } }));
    }

    // Series before, between and after others in several bands each, with a slot off the
    // grid: only the table's first is read from the table's start, and then only while a row
    // of it stops the walk; all come out as in one band. A table with a second index is not
    // ordered.
    void bandsOfSeveralSeries()
    {
        const QString table = QStringLiteral("coin_price");
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'BTC', 'EUR'"), QStringLiteral("5m"),
                     300, 3000, { { 0, 1 }, { 1499, 1502 }, { 2999, 3000 } }),
            QString());
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'BTC', 'USDT'"), QStringLiteral("5m"),
                     300, 3000, { { 700, 800 }, { 1500, 1501 } }),
            QString());
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'ETH', 'USDT'"), QStringLiteral("5m"),
                     300, 2000, { { 1000, 1100 } }),
            QString());
        // Off the grid, in the BTC/EUR hole at 1499: it holds slot 1499.
        QCOMPARE(execSql(m_path,
                     QStringLiteral("INSERT INTO coin_price VALUES ('BTC', 'EUR', '5m', %1, 1)")
                         .arg(slotAt(1499) + 100)),
            QString());
        const QStringList expected = {
            QStringLiteral("BTC/EUR 5m %1-%2: [%3, %4)")
                .arg(slotAt(1))
                .arg(slotAt(2999))
                .arg(slotAt(1500))
                .arg(slotAt(1502)),
            QStringLiteral("BTC/USDT 5m %1-%2: [%3, %4) [%5, %6)")
                .arg(slotAt(0))
                .arg(slotAt(3000))
                .arg(slotAt(700))
                .arg(slotAt(800))
                .arg(slotAt(1500))
                .arg(slotAt(1501)),
            QStringLiteral("ETH/USDT 5m %1-%2: [%3, %4)")
                .arg(slotAt(0))
                .arg(slotAt(2000))
                .arg(slotAt(1000))
                .arg(slotAt(1100)),
        };
        for (int threads : { 1, 2, 3 }) {
            GapRequest request{ m_path, table };
            request.threads = threads;
            request.minBandSlots = 100;
            request.useCache = false;
            const Result<QList<GapSeries>> series = GapMap::compute(request);
            QVERIFY2(series, qPrintable(series ? QString() : series.error().message()));
            QCOMPARE(described(*series), expected);
        }
        auto connection = GapReading::ReaderConnection::open(m_path);
        QVERIFY(connection);
        auto shape = GapReading::tableShape(connection->handle(), table, m_path);
        QVERIFY(shape);
        QVERIFY(shape->ordered);
        QCOMPARE(execSql(m_path,
                     QStringLiteral("CREATE INDEX coin_price_by_time ON coin_price"
                                    " (start_timestamp)")),
            QString());
        auto reader = GapReading::ReaderConnection::open(m_path);
        QVERIFY(reader);
        shape = GapReading::tableShape(reader->handle(), table, m_path);
        QVERIFY(shape);
        QVERIFY(!shape->ordered);
        GapRequest request{ m_path, table };
        request.threads = 2;
        request.minBandSlots = 100;
        request.useCache = false;
        const Result<QList<GapSeries>> series = GapMap::compute(request);
        QVERIFY2(series, qPrintable(series ? QString() : series.error().message()));
        QCOMPARE(described(*series), expected);
    }

    // A window past the end of the table's first series, whose next series goes on after it:
    // the first series' walk from the table's start must not read on into the next one.
    void firstSeriesEndsInsideTheWindow()
    {
        const QString table = QStringLiteral("coin_price");
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'BTC', 'EUR'"), QStringLiteral("5m"),
                     300, 100, {}),
            QString());
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'BTC', 'USDT'"), QStringLiteral("5m"),
                     300, 300, { { 0, 200 } }),
            QString());
        for (int threads : { 1, 2 }) {
            GapRequest request{ m_path, table };
            request.from = slotAt(0);
            request.to = slotAt(400);
            request.threads = threads;
            request.minBandSlots = 50;
            const Result<QList<GapSeries>> series = GapMap::compute(request);
            QVERIFY2(series, qPrintable(series ? QString() : series.error().message()));
            QCOMPARE(series->size(), 2);
            QCOMPARE(series->at(0).gaps, gapsOf(300, { { 100, 400 } }));
            QCOMPARE(series->at(1).gaps, gapsOf(300, { { 0, 200 }, { 300, 400 } }));
        }
    }

    // A cancel while the two bands read: both stop within their next 64k keys, long before
    // the table is read, and the answer is Cancelled. Read whole, the table is read once.
    void cancelWhileBandsRun()
    {
        const QString table = QStringLiteral("btc_usd_price_with_net_stat");
        constexpr qint64 Count = 2'000'000;
        QCOMPARE(fillSeries(m_path, table, {}, QStringLiteral("5m"), 300, Count, { { 5, 6 } }),
            QString());
        const qint64 fileSize = QFileInfo(m_path).size();
        QVERIFY(fileSize > 64 * 1024 * 1024);
        // Uncancelled, the two bands read each page about once (in runs that hold some pages
        // of other parts of the B-tree too), not a run a page.
        GapRequest whole{ m_path, table };
        whole.threads = 2;
        whole.useCache = false;
        qint64 before = bytesRead();
        QVERIFY(before >= 0);
        const Result<QList<GapSeries>> map = GapMap::compute(whole);
        QVERIFY(map);
        QCOMPARE(map->first().gaps, gapsOf(300, { { 5, 6 } }));
        QVERIFY(bytesRead() - before < fileSize * 2);

        before = bytesRead();
        std::atomic_bool cancel = false;
        std::atomic_bool done = false;
        GapRequest request{ m_path, table };
        request.threads = 2;
        request.cancelled = &cancel;
        QCOMPARE(GapReading::bandCount(request, Count), 2);
        std::optional<Result<QList<GapSeries>>> series;
        std::thread computing([&] {
            series = GapMap::compute(request);
            done = true;
        });
        // Cancel once the bands have read 8 MB of the table (the seeks before read far less).
        while (!done && bytesRead() - before < 8 * 1024 * 1024)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        cancel = true;
        computing.join();
        QVERIFY(series);
        QVERIFY(!*series);
        QCOMPARE(series->error().code, ErrorCode::Cancelled);
        QVERIFY(bytesRead() - before < fileSize / 2);
        QVERIFY(!QFile::exists(GapCache::pathFor(m_path)));
    }

    void presentFractions()
    {
        GapSeries series;
        series.step = 300;
        series.from = 0;
        series.to = 300 * 100;
        series.gaps = { { 300 * 10, 300 * 20 }, { 300 * 50, 300 * 100 } };
        // Four buckets of 50 slots over slots [0, 200).
        const QList<double> fractions = series.presentFractions(0, 300 * 200, 4);
        QCOMPARE(fractions.size(), 4);
        QCOMPARE(fractions.at(0), 0.8); // slots 0-49: 10 missing
        QCOMPARE(fractions.at(1), 0.0); // slots 50-99: all missing
        QCOMPARE(fractions.at(2), -1.0); // past the last slot
        QCOMPARE(fractions.at(3), -1.0);
        QCOMPARE(series.gapAt(300 * 15), std::optional<SlotGap>(SlotGap{ 3000, 6000 }));
        QCOMPARE(series.gapAt(300 * 20), std::nullopt);
        QCOMPARE(series.gapAt(300 * 10), std::optional<SlotGap>(SlotGap{ 3000, 6000 }));
    }

    void lengthText()
    {
        // "12 slots" once sluice_en.ts has the plural forms; "12 slot(s)" without a translator.
        QVERIFY(GapMap::lengthText(12, 3600).startsWith(QStringLiteral("12 slot")));
        QVERIFY(GapMap::lengthText(12, 3600).endsWith(QStringLiteral(", 1 h")));
        QVERIFY(GapMap::lengthText(1, 300).endsWith(QStringLiteral(", 5 min")));
        QCOMPARE(GapMap::durationText(86400 * 2 + 3600 * 3 + 60), QStringLiteral("2 d 3 h"));
        QCOMPARE(GapMap::durationText(45), QStringLiteral("45 s"));
        QCOMPARE(GapMap::durationText(0), QStringLiteral("0 s"));
    }

    // A map cached, then the table changed: the cache is brought up to date when rows were
    // only stored (trusted), refused when its facts disagree, and either way the next compute
    // answers what a compute without a cache answers.
    void cacheFollowsChanges_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QList<SlotGap>>("btcGaps");
        QTest::addColumn<int>("seriesCount");
        QTest::addColumn<bool>("trusted");
        const QString insert =
            QStringLiteral("INSERT INTO coin_price VALUES ('BTC', 'USDT', '5m', %1, 2.5)");
        QTest::newRow("nothing") << QString() << gapsOf(300, { { 100, 110 }, { 500, 501 } }) << 1
                                 << true;
        QTest::newRow("stored in a gap")
            << insert.arg(slotAt(105)) << gapsOf(300, { { 100, 105 }, { 106, 110 }, { 500, 501 } })
            << 1 << true;
        QTest::newRow("gap filled")
            << insert.arg(slotAt(500)) << gapsOf(300, { { 100, 110 } }) << 1 << true;
        QTest::newRow("stored after the end")
            << insert.arg(slotAt(1000)) + QLatin1Char(';') + insert.arg(slotAt(1010))
            << gapsOf(300, { { 100, 110 }, { 500, 501 }, { 1001, 1010 } }) << 1 << true;
        QTest::newRow("stored before the start")
            << insert.arg(slotAt(-5)) + QLatin1Char(';') + insert.arg(slotAt(-2))
            << gapsOf(300, { { -4, -2 }, { -1, 0 }, { 100, 110 }, { 500, 501 } }) << 1 << true;
        QTest::newRow("another series")
            << QStringLiteral("INSERT INTO coin_price VALUES ('ETH', 'USDT', '5m', %1, 1),"
                              " ('ETH', 'USDT', '5m', %2, 1)")
                   .arg(slotAt(0))
                   .arg(slotAt(3))
            << gapsOf(300, { { 100, 110 }, { 500, 501 } }) << 2 << true;
        const QString remove =
            QStringLiteral("DELETE FROM coin_price WHERE coin = 'BTC' AND start_timestamp = %1");
        QTest::newRow("deleted inside")
            << remove.arg(slotAt(300)) << gapsOf(300, { { 100, 110 }, { 300, 301 }, { 500, 501 } })
            << 1 << false;
        QTest::newRow("deleted beside a gap")
            << remove.arg(slotAt(99)) << gapsOf(300, { { 99, 110 }, { 500, 501 } }) << 1 << false;
        QTest::newRow("last slot deleted")
            << remove.arg(slotAt(999)) << gapsOf(300, { { 100, 110 }, { 500, 501 } }) << 1 << false;
        // The count is as before: only the row found new in the gap tells.
        QTest::newRow("deleted inside, stored in a gap")
            << remove.arg(slotAt(300)) + QLatin1Char(';') + insert.arg(slotAt(105))
            << gapsOf(300, { { 100, 105 }, { 106, 110 }, { 300, 301 }, { 500, 501 } }) << 1
            << false;
        QTest::newRow("a timeframe that is no label")
            << QStringLiteral("INSERT INTO coin_price VALUES ('BTC', 'USDT', '1M', %1, 1)")
                   .arg(slotAt(0))
            << gapsOf(300, { { 100, 110 }, { 500, 501 } }) << 1 << false;
        // Re-created with as many rows, its gaps elsewhere.
        QTest::newRow("table re-created")
            << QStringLiteral("DROP TABLE coin_price; CREATE TABLE coin_price ("
                              " coin TEXT NOT NULL, currency TEXT NOT NULL,"
                              " timeframe TEXT NOT NULL, start_timestamp INTEGER NOT NULL,"
                              " price REAL NOT NULL,"
                              " PRIMARY KEY (coin, currency, timeframe, start_timestamp)"
                              ") WITHOUT ROWID;"
                              " INSERT INTO coin_price WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL"
                              " SELECT i + 1 FROM n WHERE i < 999) SELECT 'BTC', 'USDT', '5m',"
                              " %1 + i * 300, 1 FROM n WHERE i NOT BETWEEN 200 AND 210")
                   .arg(Base)
            << gapsOf(300, { { 200, 211 } }) << 1 << false;
    }

    void cacheFollowsChanges()
    {
        QFETCH(QString, change);
        QFETCH(QList<SlotGap>, btcGaps);
        QFETCH(int, seriesCount);
        QFETCH(bool, trusted);
        const QString table = QStringLiteral("coin_price");
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'BTC', 'USDT'"), QStringLiteral("5m"),
                     300, 1000, { { 100, 110 }, { 500, 501 } }),
            QString());
        const GapRequest request{ m_path, table };
        const Result<QList<GapSeries>> made = GapMap::compute(request);
        QVERIFY(made);
        QCOMPARE(made->first().gaps, gapsOf(300, { { 100, 110 }, { 500, 501 } }));
        const std::optional<GapCacheEntry> cached = GapCache::load(m_path, table);
        QVERIFY(cached);
        QCOMPARE(cached->rowCount, qint64(1000 - 11));
        QCOMPARE(cached->series.size(), 1);
        QCOMPARE(cached->series.first().gaps, made->first().gaps);

        for (const QString &sql : change.split(QLatin1Char(';'), Qt::SkipEmptyParts))
            QCOMPARE(execSql(m_path, sql), QString());
        {
            auto connection = GapReading::ReaderConnection::open(m_path);
            QVERIFY(connection);
            sqlite3 *db = connection->handle();
            const auto shape = GapReading::tableShape(db, table, m_path);
            QVERIFY(shape);
            const auto updated = GapCache::update(db, request, *shape, *cached);
            QVERIFY2(updated, qPrintable(updated ? QString() : updated.error().message()));
            QCOMPARE(updated->has_value(), trusted);
        }

        const Result<QList<GapSeries>> after = GapMap::compute(request);
        QVERIFY(after);
        GapRequest uncached = request;
        uncached.useCache = false;
        const Result<QList<GapSeries>> truth = GapMap::compute(uncached);
        QVERIFY(truth);
        QCOMPARE(described(*after), described(*truth));
        QCOMPARE(after->size(), seriesCount);
        QCOMPARE(after->first().label(), QStringLiteral("BTC/USDT 5m"));
        QCOMPARE(after->first().gaps, btcGaps);
        // What the compute stored is trusted as it stands.
        const std::optional<GapCacheEntry> stored = GapCache::load(m_path, table);
        QVERIFY(stored);
        QCOMPARE(described(stored->series), described(*truth));
        const Result<QList<GapSeries>> again = GapMap::compute(request);
        QVERIFY(again);
        QCOMPARE(described(*again), described(*truth));
    }

    // A cache file that is damaged is recomputed and replaced; a file that is no gap cache is
    // left as it is; the cache of another warehouse with as many rows is not believed.
    void damagedOrForeignCache_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("truncated") << QStringLiteral("truncated");
        QTest::newRow("bytes changed") << QStringLiteral("changed");
        QTest::newRow("not a cache") << QStringLiteral("foreign");
        QTest::newRow("another warehouse's") << QStringLiteral("other");
    }

    void damagedOrForeignCache()
    {
        QFETCH(QString, kind);
        const QString table = QStringLiteral("network_hash_rate");
        const Holes holes{ { 10, 20 }, { 60, 61 } };
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'bitcoin'"), QStringLiteral("5m"), 300,
                     100, holes),
            QString());
        const GapRequest request{ m_path, table };
        QVERIFY(GapMap::compute(request));
        const QString cachePath = GapCache::pathFor(m_path);
        QFile file(cachePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray bytes = file.readAll();
        file.close();
        if (kind == u"truncated") {
            bytes.truncate(bytes.size() / 2);
        } else if (kind == u"changed") {
            for (qsizetype i = bytes.size() / 3; i < bytes.size(); i += 7)
                bytes[i] = char(bytes.at(i) ^ 0x5a);
        } else if (kind == u"foreign") {
            bytes = "my notes about the warehouse\n";
        } else {
            // Another warehouse: the same schema, as many rows, other holes.
            const QString other = m_dir.filePath(QStringLiteral("other-%1.sqlite").arg(m_count));
            QVERIFY(Warehouse::initialize(other));
            QCOMPARE(fillSeries(other, table, QStringLiteral("'bitcoin'"), QStringLiteral("5m"),
                         300, 100, { { 30, 40 }, { 70, 71 } }),
                QString());
            QVERIFY(GapMap::compute({ other, table }));
            QFile otherCache(GapCache::pathFor(other));
            QVERIFY(otherCache.open(QIODevice::ReadOnly));
            bytes = otherCache.readAll();
        }
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(bytes), bytes.size());
        file.close();

        const Result<QList<GapSeries>> series = GapMap::compute(request);
        QVERIFY(series);
        QCOMPARE(series->size(), 1);
        QCOMPARE(series->first().gaps, gapsOf(300, holes));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray now = file.readAll();
        file.close();
        if (kind == u"foreign") {
            QCOMPARE(now, bytes);
            QVERIFY(!GapCache::load(m_path, table));
        } else {
            const std::optional<GapCacheEntry> stored = GapCache::load(m_path, table);
            QVERIFY(stored);
            QCOMPARE(stored->series.first().gaps, gapsOf(300, holes));
        }
    }

    // A table without a key index is read in the order its rows were stored, here newest
    // first: the walk notices and reads the slots again in order.
    void rowsOutOfOrder()
    {
        QCOMPARE(execSql(m_path,
                     QStringLiteral("CREATE TABLE readings (timeframe TEXT, start_timestamp"
                                    " INTEGER, value REAL)")),
            QString());
        QCOMPARE(execSql(m_path,
                     QStringLiteral("INSERT INTO readings WITH RECURSIVE n(i) AS (SELECT 99"
                                    " UNION ALL SELECT i - 1 FROM n WHERE i > 0) SELECT '5m',"
                                    " %1 + i * 300, 1 FROM n WHERE i NOT BETWEEN 30 AND 34")
                         .arg(Base)),
            QString());
        for (int threads : { 1, 3 }) {
            GapRequest request{ m_path, QStringLiteral("readings") };
            request.threads = threads;
            request.minBandSlots = 20;
            request.useCache = false;
            const Result<QList<GapSeries>> series = GapMap::compute(request);
            QVERIFY2(series, qPrintable(series ? QString() : series.error().message()));
            QCOMPARE(series->size(), 1);
            QCOMPARE(series->first().gaps, gapsOf(300, { { 30, 35 } }));
        }
    }

    // A reader connection kept open reads the pages a checkpoint wrote into the file since its
    // last statement, not the run it read before (the whole file: less than 64 KiB).
    void readerSeesCheckpointedPages()
    {
        const QString table = QStringLiteral("btc_usd_price_with_net_stat");
        QCOMPARE(fillSeries(m_path, table, {}, QStringLiteral("5m"), 300, 500, {}), QString());
        QCOMPARE(execSql(m_path, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")), QString());
        auto reader = GapReading::ReaderConnection::open(m_path);
        QVERIFY(reader);
        const QString count = QStringLiteral("SELECT count(*) FROM %1").arg(table);
        auto rows = GapReading::integerOf(reader->handle(), count, {}, {}, m_path);
        QVERIFY(rows);
        QCOMPARE(*rows, qint64(500));
        QVERIFY(QFileInfo(m_path).size() < 64 * 1024);

        QCOMPARE(execSql(m_path,
                     QStringLiteral("DELETE FROM %1 WHERE start_timestamp % 600 = 0").arg(table)),
            QString());
        QCOMPARE(execSql(m_path, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")), QString());
        rows = GapReading::integerOf(reader->handle(), count, {}, {}, m_path);
        QVERIFY(rows);
        QCOMPARE(*rows, qint64(250));
    }

    // A table of many short runs is read whole rather than gap by gap from its cache.
    void manyGapsReadWhole()
    {
        const QString table = QStringLiteral("network_hash_rate");
        QCOMPARE(execSql(m_path,
                     QStringLiteral("INSERT INTO network_hash_rate WITH RECURSIVE n(i) AS ("
                                    "SELECT 0 UNION ALL SELECT i + 2 FROM n WHERE i < 2998)"
                                    " SELECT 'bitcoin', '5m', %1 + i * 300, 1 FROM n")
                         .arg(Base)),
            QString());
        const GapRequest request{ m_path, table };
        const Result<QList<GapSeries>> made = GapMap::compute(request);
        QVERIFY(made);
        QCOMPARE(made->first().gaps.size(), 1499);
        const std::optional<GapCacheEntry> cached = GapCache::load(m_path, table);
        QVERIFY(cached);
        auto connection = GapReading::ReaderConnection::open(m_path);
        QVERIFY(connection);
        const auto shape = GapReading::tableShape(connection->handle(), table, m_path);
        QVERIFY(shape);
        const auto updated = GapCache::update(connection->handle(), request, *shape, *cached);
        QVERIFY(updated);
        QVERIFY(!updated->has_value());
        const Result<QList<GapSeries>> again = GapMap::compute(request);
        QVERIFY(again);
        QCOMPARE(again->first().gaps, made->first().gaps);
    }

    // A window is read from the table whatever the cache holds, and never stored.
    void windowLeavesCacheAlone()
    {
        const QString table = QStringLiteral("network_difficulty");
        QCOMPARE(fillSeries(m_path, table, QStringLiteral("'bitcoin'"), QStringLiteral("5m"), 300,
                     100, { { 20, 30 } }),
            QString());
        GapRequest request{ m_path, table };
        request.from = slotAt(25);
        request.to = slotAt(50);
        const Result<QList<GapSeries>> series = GapMap::compute(request);
        QVERIFY(series);
        QCOMPARE(series->first().gaps, gapsOf(300, { { 25, 30 } }));
        QVERIFY(!QFile::exists(GapCache::pathFor(m_path)));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_count = 0;
};

QTEST_GUILESS_MAIN(TestGapMap)
#include "tst_gapmap.moc"
