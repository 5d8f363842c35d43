// Merging the series into the warehouse's rows: a clean row only where price, hash rate and
// difficulty all have the slot; raw rows keep price gaps out; sparse rows intersect by slot.

#include <map>

#include <QRandomGenerator>
#include <QtTest>

#include "transform/seriesmerge.h"

using namespace Sluice;

namespace {

// Four slots from 0, price missing at 300.
struct Fixture
{
    SlotRange range = TimeGrid::range(0, 1200);
    GappedSeries price{ range, { 1.5, std::nullopt, 3.5, 4.5 } };
    FilledSeries hashRate{ range, { 7.1e20, 7.2e20, 7.3e20, 7.4e20 } };
    FilledSeries difficulty{ range, { 9e13, 9e13, 9.5e13, 9.5e13 } };
};

// "slot:value;..."
std::vector<SlotValue> sparseRows(const QString &text)
{
    std::vector<SlotValue> rows;
    for (const QString &pair : text.split(u';', Qt::SkipEmptyParts)) {
        const QStringList parts = pair.split(u':');
        rows.push_back({ parts.at(0).toLongLong(), parts.at(1).toDouble() });
    }
    return rows;
}

QString printed(const std::vector<CleanRow> &rows)
{
    QStringList lines;
    for (const CleanRow &row : rows) {
        lines << QStringLiteral("%1:%2/%3/%4")
                     .arg(row.startTimestamp)
                     .arg(row.price)
                     .arg(row.hashRate)
                     .arg(row.difficulty);
    }
    return lines.join(u';');
}

} // namespace

class TestSeriesMerge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanRowsSkipPriceGaps();
    void rowsOfTheRawTables();
    void mismatchedRangesRefused_data();
    void mismatchedRangesRefused();
    void emptyRange();
    void sparse_data();
    void sparse();
    void sparseMatchesMapIntersection();
};

void TestSeriesMerge::cleanRowsSkipPriceGaps()
{
    const Fixture f;
    const Result<std::vector<CleanRow>> clean =
        SeriesMerge::cleanRows(f.price, f.hashRate, f.difficulty);
    QVERIFY(clean);
    const std::vector<CleanRow> expected = {
        { 0, 1.5, 7.1e20, 9e13 },
        { 600, 3.5, 7.3e20, 9.5e13 },
        { 900, 4.5, 7.4e20, 9.5e13 },
    };
    QCOMPARE(printed(*clean), printed(expected));
    QVERIFY(*clean == expected);
}

void TestSeriesMerge::rowsOfTheRawTables()
{
    const Fixture f;
    SeriesKey key;
    key.timeframe = QStringLiteral("5m");
    const Result<SlotRows> rows = SeriesMerge::rows(f.price, f.hashRate, f.difficulty, key);
    QVERIFY(rows);
    QCOMPARE(rows->key, key);
    const std::vector<SlotValue> prices = { { 0, 1.5 }, { 600, 3.5 }, { 900, 4.5 } };
    const std::vector<SlotValue> hashRates = { { 0, 7.1e20 }, { 300, 7.2e20 }, { 600, 7.3e20 },
        { 900, 7.4e20 } };
    const std::vector<SlotValue> difficulties = { { 0, 9e13 }, { 300, 9e13 }, { 600, 9.5e13 },
        { 900, 9.5e13 } };
    QVERIFY(rows->prices == prices);
    QVERIFY(rows->hashRates == hashRates);
    QVERIFY(rows->difficulties == difficulties);
    // Their join is the dense merge's clean rows.
    QVERIFY(SeriesMerge::cleanRows(rows->prices, rows->hashRates, rows->difficulties)
        == *SeriesMerge::cleanRows(f.price, f.hashRate, f.difficulty));
}

void TestSeriesMerge::mismatchedRangesRefused_data()
{
    QTest::addColumn<int>("which"); // 0 hash rate range, 1 difficulty range, 2 value count
    QTest::newRow("hash rate range") << 0;
    QTest::newRow("difficulty range") << 1;
    QTest::newRow("value count") << 2;
}

void TestSeriesMerge::mismatchedRangesRefused()
{
    QFETCH(int, which);
    Fixture f;
    if (which == 0)
        f.hashRate.range = TimeGrid::range(300, 1500);
    else if (which == 1)
        f.difficulty.range = TimeGrid::range(0, 1200, 60);
    else
        f.difficulty.values.pop_back();
    const Result<std::vector<CleanRow>> clean =
        SeriesMerge::cleanRows(f.price, f.hashRate, f.difficulty);
    QVERIFY(!clean);
    QVERIFY2(clean.error().what.contains(QStringLiteral("different slot ranges")),
        qPrintable(clean.error().message()));
    QVERIFY(!SeriesMerge::rows(f.price, f.hashRate, f.difficulty));
}

void TestSeriesMerge::emptyRange()
{
    const SlotRange empty = TimeGrid::range(600, 600);
    const Result<SlotRows> rows = SeriesMerge::rows(
        GappedSeries{ empty, {} }, FilledSeries{ empty, {} }, FilledSeries{ empty, {} });
    QVERIFY(rows);
    QVERIFY(rows->prices.empty() && rows->hashRates.empty() && rows->difficulties.empty());
}

void TestSeriesMerge::sparse_data()
{
    QTest::addColumn<QString>("prices");
    QTest::addColumn<QString>("hashRates");
    QTest::addColumn<QString>("difficulties");
    QTest::addColumn<QString>("expected"); // slot:price/hash/difficulty;...
    QTest::newRow("all present") << "0:1;300:2"
                                 << "0:10;300:20"
                                 << "0:5;300:6"
                                 << "0:1/10/5;300:2/20/6";
    QTest::newRow("each series has a gap") << "0:1;300:2;600:3;900:4"
                                           << "0:10;600:30;900:40"
                                           << "0:5;300:6;900:8"
                                           << "0:1/10/5;900:4/40/8";
    QTest::newRow("no common slot") << "0:1"
                                    << "300:2"
                                    << "600:3"
                                    << "";
    QTest::newRow("one series empty") << "0:1;300:2"
                                      << ""
                                      << "0:5;300:6"
                                      << "";
    QTest::newRow("unsorted") << "600:3;0:1;300:2"
                              << "300:20;600:30;0:10"
                              << "0:5;600:7;300:6"
                              << "0:1/10/5;300:2/20/6;600:3/30/7";
    QTest::newRow("duplicates keep the last") << "0:1;0:9"
                                              << "0:10"
                                              << "0:5;0:4;0:6"
                                              << "0:9/10/6";
    QTest::newRow("negative slots") << "-600:1;-300:2"
                                    << "-600:10;-300:20"
                                    << "-300:6"
                                    << "-300:2/20/6";
}

void TestSeriesMerge::sparse()
{
    QFETCH(QString, prices);
    QFETCH(QString, hashRates);
    QFETCH(QString, difficulties);
    QFETCH(QString, expected);
    const std::vector<CleanRow> clean =
        SeriesMerge::cleanRows(sparseRows(prices), sparseRows(hashRates), sparseRows(difficulties));
    QStringList lines;
    for (const CleanRow &row : clean) {
        lines << QStringLiteral("%1:%2/%3/%4")
                     .arg(row.startTimestamp)
                     .arg(row.price)
                     .arg(row.hashRate)
                     .arg(row.difficulty);
    }
    QCOMPARE(lines.join(u';'), expected);
}

void TestSeriesMerge::sparseMatchesMapIntersection()
{
    QRandomGenerator random(99);
    for (int round = 0; round < 500; ++round) {
        std::vector<SlotValue> series[3];
        std::map<qint64, double> maps[3];
        for (int s = 0; s < 3; ++s) {
            const int count = int(random.bounded(0, 200));
            for (int i = 0; i < count; ++i) {
                const SlotValue row{ qint64(random.bounded(0, 150)) * 300,
                    double(random.bounded(1000)) };
                series[s].push_back(row);
                maps[s][row.startTimestamp] = row.value; // assigned in input order: last wins
            }
        }
        std::vector<CleanRow> expected;
        for (const auto &[slot, price] : maps[0]) {
            if (maps[1].count(slot) && maps[2].count(slot))
                expected.push_back({ slot, price, maps[1][slot], maps[2][slot] });
        }
        const std::vector<CleanRow> clean = SeriesMerge::cleanRows(series[0], series[1], series[2]);
        QCOMPARE(printed(clean), printed(expected));
    }
}

QTEST_GUILESS_MAIN(TestSeriesMerge)
#include "tst_seriesmerge.moc"
