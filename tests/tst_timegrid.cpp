// The slot grid: slot starts (floor, also below zero), the slots of a half-open range, and
// timeframe labels.

#include <QRandomGenerator>
#include <QtTest>

#include "transform/timegrid.h"

using namespace Sluice;

class TestTimeGrid : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slotStart_data();
    void slotStart();
    void range_data();
    void range();
    void rangeMatchesEnumeration();
    void countedRange();
    void contains();
    void timeframeLabel_data();
    void timeframeLabel();
    void timeframeSeconds_data();
    void timeframeSeconds();
    void timeframeRefused_data();
    void timeframeRefused();
};

void TestTimeGrid::slotStart_data()
{
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("zero") << qint64(0) << qint64(300) << qint64(0);
    QTest::newRow("one") << qint64(1) << qint64(300) << qint64(0);
    QTest::newRow("last second of slot") << qint64(299) << qint64(300) << qint64(0);
    QTest::newRow("on slot") << qint64(300) << qint64(300) << qint64(300);
    QTest::newRow("after slot") << qint64(301) << qint64(300) << qint64(300);
    QTest::newRow("minus one") << qint64(-1) << qint64(300) << qint64(-300);
    QTest::newRow("negative on slot") << qint64(-300) << qint64(300) << qint64(-300);
    QTest::newRow("negative past slot") << qint64(-301) << qint64(300) << qint64(-600);
    QTest::newRow("2023-11-14") << qint64(1700000123) << qint64(300) << qint64(1700000100);
    QTest::newRow("minute grid") << qint64(125) << qint64(60) << qint64(120);
    QTest::newRow("minute grid negative") << qint64(-125) << qint64(60) << qint64(-180);
    QTest::newRow("hour grid") << qint64(7199) << qint64(3600) << qint64(3600);
    QTest::newRow("odd step") << qint64(20) << qint64(7) << qint64(14);
    QTest::newRow("far past") << qint64(-4611686018427387903) << qint64(300)
                              << qint64(-4611686018427388200);
    QTest::newRow("far future") << qint64(4611686018427387903) << qint64(300)
                                << qint64(4611686018427387900);
}

void TestTimeGrid::slotStart()
{
    QFETCH(qint64, timestamp);
    QFETCH(qint64, step);
    QFETCH(qint64, expected);
    QCOMPARE(TimeGrid::slotStart(timestamp, step), expected);
    QCOMPARE(TimeGrid::slotCeil(expected, step), expected);
    if (timestamp != expected)
        QCOMPARE(TimeGrid::slotCeil(timestamp, step), expected + step);
}

void TestTimeGrid::range_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");
    QTest::addColumn<qint64>("count");
    QTest::newRow("start == end on a slot")
        << qint64(600) << qint64(600) << qint64(300) << qint64(600) << qint64(300) << qint64(0);
    QTest::newRow("start == end between slots")
        << qint64(650) << qint64(650) << qint64(300) << qint64(900) << qint64(600) << qint64(0);
    QTest::newRow("end on a slot is excluded")
        << qint64(0) << qint64(600) << qint64(300) << qint64(0) << qint64(300) << qint64(2);
    QTest::newRow("end one past a slot")
        << qint64(0) << qint64(601) << qint64(300) << qint64(0) << qint64(600) << qint64(3);
    QTest::newRow("start between slots")
        << qint64(1) << qint64(600) << qint64(300) << qint64(300) << qint64(300) << qint64(1);
    QTest::newRow("both between slots")
        << qint64(1) << qint64(599) << qint64(300) << qint64(300) << qint64(300) << qint64(1);
    QTest::newRow("no slot inside")
        << qint64(301) << qint64(599) << qint64(300) << qint64(600) << qint64(300) << qint64(0);
    QTest::newRow("one second on a slot")
        << qint64(300) << qint64(301) << qint64(300) << qint64(300) << qint64(300) << qint64(1);
    QTest::newRow("one second before a slot")
        << qint64(299) << qint64(300) << qint64(300) << qint64(300) << qint64(0) << qint64(0);
    QTest::newRow("negative") << qint64(-900) << qint64(-1) << qint64(300) << qint64(-900)
                              << qint64(-300) << qint64(3);
    QTest::newRow("across zero") << qint64(-301) << qint64(301) << qint64(300) << qint64(-300)
                                 << qint64(300) << qint64(3);
    QTest::newRow("start after end")
        << qint64(900) << qint64(300) << qint64(300) << qint64(900) << qint64(0) << qint64(0);
    QTest::newRow("one day of 2024") << qint64(1704067200) << qint64(1704153600) << qint64(300)
                                     << qint64(1704067200) << qint64(1704153300) << qint64(288);
    QTest::newRow("one year") << qint64(1672531200) << qint64(1704067200) << qint64(300)
                              << qint64(1672531200) << qint64(1704066900) << qint64(105120);
    QTest::newRow("hours") << qint64(0) << qint64(7200) << qint64(3600) << qint64(0) << qint64(3600)
                           << qint64(2);
}

void TestTimeGrid::range()
{
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(qint64, step);
    QFETCH(qint64, first);
    QFETCH(qint64, last);
    QFETCH(qint64, count);
    const SlotRange range = TimeGrid::range(start, end, step);
    QCOMPARE(range.first, first);
    QCOMPARE(range.last, last);
    QCOMPARE(range.count, count);
    QCOMPARE(range.step, step);
    QCOMPARE(range.isEmpty(), count == 0);
    if (count > 0)
        QCOMPARE(range.slotAt(count - 1), last);
}

// Against the definition itself: every second of [start, end) that starts a slot.
void TestTimeGrid::rangeMatchesEnumeration()
{
    QRandomGenerator random(20240101);
    const qint64 steps[] = { 1, 7, 60, 300 };
    for (int round = 0; round < 3000; ++round) {
        const qint64 step = steps[random.bounded(4)];
        const qint64 start = random.bounded(-2000, 2000);
        const qint64 end = start + random.bounded(-50, 1500);
        std::vector<qint64> expected;
        for (qint64 t = start; t < end; ++t) {
            if (((t % step) + step) % step == 0)
                expected.push_back(t);
        }
        const SlotRange range = TimeGrid::range(start, end, step);
        QCOMPARE(range.count, qint64(expected.size()));
        if (!expected.empty()) {
            QCOMPARE(range.first, expected.front());
            QCOMPARE(range.last, expected.back());
        } else {
            QVERIFY(range.first > range.last);
        }
    }
}

void TestTimeGrid::countedRange()
{
    const SlotRange range = TimeGrid::countedRange(1000, 3, 300);
    QCOMPARE(range.first, qint64(900));
    QCOMPARE(range.last, qint64(1500));
    QCOMPARE(range.count, qint64(3));
    QCOMPARE(range, TimeGrid::range(900, 1501, 300));
    QVERIFY(TimeGrid::countedRange(1000, 0, 300).isEmpty());
    QVERIFY(TimeGrid::countedRange(1000, -5, 300).isEmpty());
}

void TestTimeGrid::contains()
{
    const SlotRange range = TimeGrid::range(-300, 900, 300); // -300, 0, 300, 600
    QVERIFY(range.contains(-300));
    QVERIFY(range.contains(600));
    QVERIFY(!range.contains(900));
    QVERIFY(!range.contains(-600));
    QVERIFY(!range.contains(150));
    QCOMPARE(range.indexOf(-300), qint64(0));
    QCOMPARE(range.indexOf(600), qint64(3));
    QVERIFY(!TimeGrid::range(600, 600, 300).contains(600));
}

void TestTimeGrid::timeframeLabel_data()
{
    QTest::addColumn<qint64>("step");
    QTest::addColumn<QString>("label");
    QTest::newRow("5 minutes") << qint64(300) << QStringLiteral("5m");
    QTest::newRow("1 minute") << qint64(60) << QStringLiteral("1m");
    QTest::newRow("30 minutes") << qint64(1800) << QStringLiteral("30m");
    QTest::newRow("1 hour") << qint64(3600) << QStringLiteral("1h");
    QTest::newRow("12 hours") << qint64(43200) << QStringLiteral("12h");
    QTest::newRow("1 day") << qint64(86400) << QStringLiteral("1d");
    QTest::newRow("3 days") << qint64(259200) << QStringLiteral("3d");
    QTest::newRow("1 week") << qint64(604800) << QStringLiteral("1w");
    QTest::newRow("90 seconds") << qint64(90) << QStringLiteral("90s");
}

void TestTimeGrid::timeframeLabel()
{
    QFETCH(qint64, step);
    QFETCH(QString, label);
    QCOMPARE(TimeGrid::timeframeLabel(step), label);
    const Result<qint64> seconds = TimeGrid::timeframeSeconds(label);
    QVERIFY(seconds);
    QCOMPARE(*seconds, step);
}

void TestTimeGrid::timeframeSeconds_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<qint64>("seconds");
    QTest::newRow("15m") << QStringLiteral("15m") << qint64(900);
    QTest::newRow("60m") << QStringLiteral("60m") << qint64(3600);
    QTest::newRow("2h") << QStringLiteral("2h") << qint64(7200);
    QTest::newRow("300s") << QStringLiteral("300s") << qint64(300);
    QTest::newRow("leading zero") << QStringLiteral("05m") << qint64(300);
}

void TestTimeGrid::timeframeSeconds()
{
    QFETCH(QString, label);
    QFETCH(qint64, seconds);
    const Result<qint64> parsed = TimeGrid::timeframeSeconds(label);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message()));
    QCOMPARE(*parsed, seconds);
}

void TestTimeGrid::timeframeRefused_data()
{
    QTest::addColumn<QString>("label");
    QTest::newRow("empty") << QString();
    QTest::newRow("unit only") << QStringLiteral("m");
    QTest::newRow("count only") << QStringLiteral("5");
    QTest::newRow("zero") << QStringLiteral("0m");
    QTest::newRow("negative") << QStringLiteral("-5m");
    QTest::newRow("plus") << QStringLiteral("+5m");
    QTest::newRow("month") << QStringLiteral("1M");
    QTest::newRow("unknown unit") << QStringLiteral("5x");
    QTest::newRow("space") << QStringLiteral("5 m");
    QTest::newRow("fraction") << QStringLiteral("1.5h");
    QTest::newRow("huge") << QStringLiteral("99999999999999999999m");
}

void TestTimeGrid::timeframeRefused()
{
    QFETCH(QString, label);
    const Result<qint64> parsed = TimeGrid::timeframeSeconds(label);
    QVERIFY(!parsed);
    QVERIFY2(
        parsed.error().what.contains(u'"' + label + u'"'), qPrintable(parsed.error().message()));
}

QTEST_GUILESS_MAIN(TestTimeGrid)
#include "tst_timegrid.moc"
