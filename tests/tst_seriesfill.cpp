// Filling the slot grid: exact hash rate interpolation with floor division (against a
// reference that divides once a slot, and against values computed by Python), the
// difficulty step function, price with gaps, and the starting/end point quality errors.

#include <map>

#include <QRandomGenerator>
#include <QtTest>

#include "transform/seriesfill.h"

using namespace Sluice;

namespace {

Int128 exact(QStringView text)
{
    const Result<Int128> value = ExactInteger::parse(text);
    if (!value)
        qFatal("bad test value %s", qPrintable(text.toString()));
    return *value;
}

// "t:value;t:value", values as exact decimal text.
std::vector<HashRateSample> hashRates(const QString &text)
{
    std::vector<HashRateSample> samples;
    for (const QString &pair : text.split(u';', Qt::SkipEmptyParts)) {
        const QStringList parts = pair.split(u':');
        samples.push_back({ parts.at(0).toLongLong(), exact(parts.at(1)) });
    }
    return samples;
}

std::vector<DifficultySample> difficulties(const QString &text)
{
    std::vector<DifficultySample> samples;
    for (const QString &pair : text.split(u';', Qt::SkipEmptyParts)) {
        const QStringList parts = pair.split(u':');
        samples.push_back({ parts.at(0).toLongLong(), parts.at(1).toDouble() });
    }
    return samples;
}

std::vector<PriceSample> klines(const QString &text)
{
    std::vector<PriceSample> samples;
    for (const QString &pair : text.split(u';', Qt::SkipEmptyParts)) {
        const QStringList parts = pair.split(u':');
        samples.push_back({ parts.at(0).toLongLong(), parts.at(1).toDouble() });
    }
    return samples;
}

// The definition, one 128-bit division a slot, over samples normalized independently: a map
// assigned in input order keeps the last sample of each timestamp. Products stay in range for
// the test data (|dy| <= 2^102, dx <= 2^18).
std::optional<std::vector<Int128>> referenceFill(
    const std::vector<HashRateSample> &input, const SlotRange &range)
{
    std::map<qint64, Int128> samples;
    for (const HashRateSample &sample : input)
        samples[sample.timestamp] = sample.hashRate;
    std::vector<Int128> values;
    if (range.isEmpty())
        return values;
    if (samples.empty() || samples.begin()->first > range.first
        || samples.rbegin()->first < range.last)
        return std::nullopt;
    for (qint64 i = 0; i < range.count; ++i) {
        const qint64 t = range.slotAt(i);
        auto upper = samples.upper_bound(t);
        auto lower = std::prev(upper);
        if (lower->first == t || upper == samples.end()) {
            values.push_back(lower->second);
            continue;
        }
        const Int128 dy = upper->second - lower->second;
        const Int128 dx = upper->first - lower->first;
        values.push_back(lower->second + ExactInteger::floorDiv(dy * (t - lower->first), dx));
    }
    return values;
}

} // namespace

class TestSeriesFill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hashRate_data();
    void hashRate();
    void hashRateMatchesPerSlotDivision();
    void hashRateYearOfDailySamples();
    void hashRateCurrentValue();
    void hashRateOutOfRange();
    void normalizeKeepsLastDuplicate();
    void difficulty_data();
    void difficulty();
    void price_data();
    void price();
    void qualityErrors_data();
    void qualityErrors();
    void emptyRangeNeedsNoSamples();
    void nonFiniteValuesRefused();
};

void TestSeriesFill::hashRate_data()
{
    QTest::addColumn<QString>("samples");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<QString>("expected"); // exact value of each slot
    QTest::newRow("rising") << "0:0;900:900" << qint64(0) << qint64(901) << qint64(300)
                            << "0,300,600,900";
    QTest::newRow("rising floors")
        << "0:0;900:10" << qint64(0) << qint64(901) << qint64(300) << "0,3,6,10";
    // Truncation would give 10,7,4,0 and 1,1,1,0.
    QTest::newRow("falling floors down")
        << "0:10;900:0" << qint64(0) << qint64(901) << qint64(300) << "10,6,3,0";
    QTest::newRow("falling by one")
        << "0:1;900:0" << qint64(0) << qint64(901) << qint64(300) << "1,0,0,0";
    QTest::newRow("flat") << "0:5;900:5" << qint64(0) << qint64(901) << qint64(300) << "5,5,5,5";
    QTest::newRow("samples off the grid")
        << "100:0;1000:900" << qint64(300) << qint64(1000) << qint64(300) << "200,500,800";
    QTest::newRow("several segments")
        << "0:0;600:600;1200:0" << qint64(0) << qint64(1201) << qint64(300) << "0,300,600,300,0";
    QTest::newRow("range inside one segment")
        << "0:0;3000:3000" << qint64(900) << qint64(1500) << qint64(300) << "900,1200";
    QTest::newRow("single point") << "600:42" << qint64(600) << qint64(900) << qint64(300) << "42";
    QTest::newRow("unsorted, duplicates keep the last")
        << "900:9;0:0;900:90;0:7" << qint64(0) << qint64(901) << qint64(300) << "7,34,62,90";
    QTest::newRow("negative timestamps")
        << "-900:0;0:-9" << qint64(-900) << qint64(1) << qint64(300) << "0,-3,-6,-9";
    QTest::newRow("odd step") << "0:0;20:100" << qint64(0) << qint64(21) << qint64(7) << "0,35,70";
    QTest::newRow("samples closer than a step")
        << "0:0;100:1000;250:0;300:3000" << qint64(0) << qint64(301) << qint64(300) << "0,3000";
    QTest::newRow("samples beyond the range")
        << "-300:0;0:0;600:600;100000:0" << qint64(0) << qint64(601) << qint64(300) << "0,300,600";
    // Expected values below: Python, y0 + ((y1 - y0) * (t - x0)) // (x1 - x0).
    QTest::newRow("near 2^70, falling")
        << "0:1180591620717411304424;900:1180591620717411304417" << qint64(0) << qint64(901)
        << qint64(300)
        << "1180591620717411304424,1180591620717411304421,1180591620717411304419,"
           "1180591620717411304417";
    QTest::newRow("near 2^100, one day")
        << "0:1267650600228229401496703205379;86400:1267650600229382323001310052357" << qint64(0)
        << qint64(601) << qint64(300)
        << "1267650600228229401496703205379,1267650600228233404696371979153,"
           "1267650600228237407896040752927";
    QTest::newRow("near 2^100, day's end")
        << "0:1267650600228229401496703205379;86400:1267650600229382323001310052357"
        << qint64(86100) << qint64(86401) << qint64(300)
        << "1267650600229378319801641278582,1267650600229382323001310052357";
    QTest::newRow("2^125 down to -2^125 over 95 years")
        << "7:42535295865117307932921825928971026432;"
           "3000000011:-42535295865117307932921825928971026432"
        << qint64(1500000000) << qint64(1500000601) << qint64(300)
        << "255211774850421481130302314066,-8251847386830294556546441488159,"
           "-16758906548511010594223185290384";
    QTest::newRow("-2^125 up to 2^125, segment's end")
        << "-5:-42535295865117307932921825928971014087;"
           "3000000011:42535295865117307932921825928971026431"
        << qint64(2999999700) << qint64(3000000011) << qint64(300)
        << "42535287046132678933184669168443953213,42535295553191806585664241606251419339";
}

void TestSeriesFill::hashRate()
{
    QFETCH(QString, samples);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(qint64, step);
    QFETCH(QString, expected);
    const SlotRange range = TimeGrid::range(start, end, step);
    const QStringList values = expected.split(u',');
    QCOMPARE(range.count, qint64(values.size()));

    const Result<std::vector<Int128>> exactValues =
        SeriesFill::hashRateExact(hashRates(samples), range);
    QVERIFY2(exactValues, qPrintable(exactValues ? QString() : exactValues.error().message()));
    QStringList printed;
    for (const Int128 value : *exactValues)
        printed << ExactInteger::toString(value);
    QCOMPARE(printed.join(u','), expected);

    const Result<FilledSeries> filled = SeriesFill::hashRate(hashRates(samples), range);
    QVERIFY(filled);
    QCOMPARE(filled->range, range);
    QCOMPARE(qint64(filled->values.size()), range.count);
    for (int i = 0; i < values.size(); ++i)
        QCOMPARE(filled->values[i], static_cast<double>(exact(values.at(i))));
}

// The running quotient and remainder against one division a slot, on random data: rising and
// falling rates from small to 2^101, unsorted input with duplicates, steps from 1 s to 1 h,
// ranges that start and end anywhere (also uncovered: then both must refuse).
void TestSeriesFill::hashRateMatchesPerSlotDivision()
{
    QRandomGenerator random(20240229);
    const qint64 steps[] = { 1, 7, 60, 300, 3600 };
    int compared = 0;
    int refused = 0;
    for (int round = 0; round < 3000; ++round) {
        const int magnitudeBits = int(random.bounded(2, 102));
        const auto randomValue = [&] {
            Int128 value = (Int128(random.generate64() >> 1) << 64) | random.generate64();
            value >>= 127 - magnitudeBits;
            return random.bounded(4) == 0 ? -value : value;
        };
        std::vector<HashRateSample> samples;
        const int sampleCount = int(random.bounded(1, 14));
        for (int i = 0; i < sampleCount; ++i) {
            if (!samples.empty() && random.bounded(5) == 0) // a duplicate timestamp
                samples.push_back(
                    { samples[random.bounded(int(samples.size()))].timestamp, randomValue() });
            else
                samples.push_back({ random.bounded(-100000, 100000), randomValue() });
        }
        const qint64 step = steps[random.bounded(5)];
        const qint64 start = random.bounded(-110000, 110000);
        const qint64 end = start + random.bounded(0, 60000);
        const SlotRange range = TimeGrid::range(start, end, step);

        const std::optional<std::vector<Int128>> reference = referenceFill(samples, range);
        const Result<std::vector<Int128>> walked = SeriesFill::hashRateExact(samples, range);
        QCOMPARE(bool(walked), reference.has_value());
        if (!walked) {
            ++refused;
            continue;
        }
        ++compared;
        QCOMPARE(walked->size(), reference->size());
        for (std::size_t i = 0; i < walked->size(); ++i) {
            if ((*walked)[i] != (*reference)[i]) {
                QFAIL(qPrintable(QStringLiteral("round %1, slot %2: walk %3, reference %4")
                                     .arg(round)
                                     .arg(range.slotAt(qint64(i)))
                                     .arg(ExactInteger::toString((*walked)[i]),
                                         ExactInteger::toString((*reference)[i]))));
            }
        }
        const Result<FilledSeries> doubles = SeriesFill::hashRate(samples, range);
        QVERIFY(doubles);
        for (std::size_t i = 0; i < walked->size(); ++i)
            QCOMPARE(doubles->values[i], static_cast<double>((*reference)[i]));
    }
    // Both outcomes were exercised.
    QVERIFY(compared > 500);
    QVERIFY(refused > 100);
}

// The real shape: a daily sample (a random walk near 7e20 that also falls) over a year of
// 5-minute slots.
void TestSeriesFill::hashRateYearOfDailySamples()
{
    QRandomGenerator random(365);
    std::vector<HashRateSample> samples;
    Int128 value = exact(u"736575040256689000000");
    const qint64 day0 = 1672531200;
    for (int day = 0; day <= 366; ++day) {
        samples.push_back({ day0 + day * 86400, value });
        value += Int128(random.bounded(-50000000, 50000000)) * 1000000000000LL;
    }
    const SlotRange range = TimeGrid::range(day0, day0 + 365 * 86400);
    QCOMPARE(range.count, qint64(105120));
    const Result<std::vector<Int128>> walked = SeriesFill::hashRateExact(samples, range);
    QVERIFY(walked);
    QVERIFY(*walked == *referenceFill(samples, range));
}

void TestSeriesFill::hashRateCurrentValue()
{
    // History at midnights, the live value at 10:20:34 of the second day.
    std::vector<HashRateSample> samples = hashRates(QStringLiteral("0:1000;86400:2000"));
    const qint64 now = 86400 + 37234;
    SeriesFill::appendCurrent(samples, now, exact(u"5000"));
    QCOMPARE(samples.back().timestamp, qint64(86400 + 37200));

    const SlotRange range = TimeGrid::range(86400, now + 1);
    const Result<std::vector<Int128>> values = SeriesFill::hashRateExact(samples, range);
    QVERIFY2(values, qPrintable(values ? QString() : values.error().message()));
    QCOMPARE(qint64(values->size()), range.count);
    QCOMPARE(ExactInteger::toString(values->front()), QStringLiteral("2000"));
    QCOMPARE(ExactInteger::toString(values->back()), QStringLiteral("5000"));
    // Halfway through the 37200 s from 2000 to 5000.
    QCOMPARE(ExactInteger::toString((*values)[62]), QStringLiteral("3500"));

    // Without the live value the series ends at midnight: the end point is missed.
    QVERIFY(!SeriesFill::hashRateExact(hashRates(QStringLiteral("0:1000;86400:2000")), range));

    // A live value in the slot of a history sample replaces it.
    std::vector<HashRateSample> sameSlot = hashRates(QStringLiteral("0:1000;86400:2000"));
    SeriesFill::appendCurrent(sameSlot, 86400 + 10, exact(u"7"));
    const Result<std::vector<Int128>> replaced =
        SeriesFill::hashRateExact(sameSlot, TimeGrid::range(86400, 86401));
    QVERIFY(replaced);
    QCOMPARE(ExactInteger::toString(replaced->front()), QStringLiteral("7"));
}

void TestSeriesFill::hashRateOutOfRange()
{
    const Int128 tooBig = SeriesFill::MaxHashRate + 1;
    std::vector<HashRateSample> samples = { { 0, 0 }, { 600, tooBig } };
    const Result<FilledSeries> filled = SeriesFill::hashRate(samples, TimeGrid::range(0, 601));
    QVERIFY(!filled);
    QVERIFY2(filled.error().what.contains(ExactInteger::toString(tooBig)),
        qPrintable(filled.error().message()));
    samples[1].hashRate = -tooBig;
    QVERIFY(!SeriesFill::hashRate(samples, TimeGrid::range(0, 601)));
    samples[1].hashRate = SeriesFill::MaxHashRate;
    QVERIFY(SeriesFill::hashRate(samples, TimeGrid::range(0, 601)));
}

void TestSeriesFill::normalizeKeepsLastDuplicate()
{
    std::vector<HashRateSample> samples = hashRates(QStringLiteral("5:1;3:2;5:3;1:4;3:5;5:6"));
    SeriesFill::normalize(samples);
    QStringList printed;
    for (const HashRateSample &sample : samples)
        printed << QStringLiteral("%1:%2")
                       .arg(sample.timestamp)
                       .arg(ExactInteger::toString(sample.hashRate));
    QCOMPARE(printed.join(u';'), QStringLiteral("1:4;3:5;5:6"));

    std::vector<DifficultySample> adjustments = difficulties(QStringLiteral("9:1;9:2;4:3"));
    SeriesFill::normalize(adjustments);
    QCOMPARE(adjustments.size(), std::size_t(2));
    QCOMPARE(adjustments[0].timestamp, qint64(4));
    QCOMPARE(adjustments[1].difficulty, 2.0);
}

void TestSeriesFill::difficulty_data()
{
    QTest::addColumn<QString>("samples");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<QString>("expected");
    QTest::newRow("steps") << "0:10;600:20;1500:30" << qint64(0) << qint64(1800)
                           << "10,10,20,20,20,30";
    QTest::newRow("adjustment off the grid takes the next slot")
        << "0:10;610:20" << qint64(0) << qint64(1200) << "10,10,10,20";
    QTest::newRow("adjustment weeks before the range")
        << "-2419200:5;-1209600:7" << qint64(0) << qint64(900) << "7,7,7";
    QTest::newRow("last adjustment holds to the end")
        << "0:10" << qint64(0) << qint64(1500) << "10,10,10,10,10";
    QTest::newRow("unsorted, duplicates keep the last")
        << "600:20;0:1;600:21;0:10" << qint64(0) << qint64(1200) << "10,10,21,21";
    QTest::newRow("falling difficulty")
        << "0:95672703408223.94;600:83148355189239.77" << qint64(300) << qint64(1200)
        << "95672703408223.94,83148355189239.77,83148355189239.77";
    QTest::newRow("several adjustments inside one slot")
        << "0:1;100:2;200:3;300:4" << qint64(0) << qint64(600) << "1,4";
}

void TestSeriesFill::difficulty()
{
    QFETCH(QString, samples);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(QString, expected);
    const SlotRange range = TimeGrid::range(start, end);
    const Result<FilledSeries> filled = SeriesFill::difficulty(difficulties(samples), range);
    QVERIFY2(filled, qPrintable(filled ? QString() : filled.error().message()));
    QCOMPARE(filled->range, range);
    QStringList printed;
    for (const double value : filled->values)
        printed << QString::number(value, 'g', 17);
    QStringList expectedValues;
    for (const QString &value : expected.split(u','))
        expectedValues << QString::number(value.toDouble(), 'g', 17);
    QCOMPARE(printed, expectedValues);
}

void TestSeriesFill::price_data()
{
    QTest::addColumn<QString>("samples");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<QString>("expected"); // "-" is a gap
    QTest::newRow("complete") << "0:1.5;300:2.5;600:3.5" << qint64(0) << qint64(900)
                              << "1.5,2.5,3.5";
    QTest::newRow("gap kept") << "0:1;300:2;900:4" << qint64(0) << qint64(1200) << "1,2,-,4";
    QTest::newRow("several gaps") << "0:1;1200:5" << qint64(0) << qint64(1500) << "1,-,-,-,5";
    QTest::newRow("off the grid ignored")
        << "0:1;450:9;600:3" << qint64(0) << qint64(900) << "1,-,3";
    QTest::newRow("first slot a gap, covered from before")
        << "-300:1;300:2;600:3" << qint64(0) << qint64(900) << "-,2,3";
    QTest::newRow("last slot a gap, covered from after")
        << "0:1;300:2;900:4" << qint64(0) << qint64(900) << "1,2,-";
    QTest::newRow("unsorted, duplicates keep the last")
        << "600:3;0:1;300:2;0:7" << qint64(0) << qint64(900) << "7,2,3";
    QTest::newRow("single kline") << "600:67012.53" << qint64(600) << qint64(900) << "67012.53";
}

void TestSeriesFill::price()
{
    QFETCH(QString, samples);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(QString, expected);
    const SlotRange range = TimeGrid::range(start, end);
    const Result<GappedSeries> filled = SeriesFill::price(klines(samples), range);
    QVERIFY2(filled, qPrintable(filled ? QString() : filled.error().message()));
    QCOMPARE(filled->range, range);
    QStringList printed;
    for (const std::optional<double> &value : filled->values)
        printed << (value ? QString::number(*value, 'g', QLocale::FloatingPointShortest)
                          : QStringLiteral("-"));
    QCOMPARE(printed.join(u','), expected);
}

void TestSeriesFill::qualityErrors_data()
{
    QTest::addColumn<QString>("series"); // hash rate, difficulty, price
    QTest::addColumn<QString>("samples");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<QString>("missed"); // "starting" or "end"
    QTest::addColumn<qint64>("slot");
    QTest::newRow("hash rate starts late")
        << "hash rate"
        << "300:1;900:2" << qint64(0) << qint64(900) << "starting" << qint64(0);
    QTest::newRow("hash rate ends early")
        << "hash rate"
        << "0:1;300:2" << qint64(0) << qint64(900) << "end" << qint64(600);
    QTest::newRow("hash rate empty")
        << "hash rate"
        << "" << qint64(1704067200) << qint64(1704067500) << "starting" << qint64(1704067200);
    QTest::newRow("hash rate single point after")
        << "hash rate"
        << "600:1" << qint64(300) << qint64(601) << "starting" << qint64(300);
    QTest::newRow("hash rate single point before")
        << "hash rate"
        << "300:1" << qint64(300) << qint64(601) << "end" << qint64(600);
    QTest::newRow("difficulty starts late")
        << "difficulty"
        << "301:1" << qint64(0) << qint64(900) << "starting" << qint64(0);
    QTest::newRow("difficulty empty") << "difficulty"
                                      << "" << qint64(0) << qint64(300) << "starting" << qint64(0);
    QTest::newRow("price starts late")
        << "price"
        << "300:1;600:2" << qint64(0) << qint64(900) << "starting" << qint64(0);
    QTest::newRow("price ends early")
        << "price"
        << "0:1;300:2" << qint64(0) << qint64(900) << "end" << qint64(600);
    QTest::newRow("price only off the grid")
        << "price"
        << "-1:1;601:2" << qint64(0) << qint64(900) << "starting" << qint64(0);
    QTest::newRow("price empty") << "price"
                                 << "" << qint64(0) << qint64(300) << "starting" << qint64(0);
}

void TestSeriesFill::qualityErrors()
{
    QFETCH(QString, series);
    QFETCH(QString, samples);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(QString, missed);
    QFETCH(qint64, slot);
    const SlotRange range = TimeGrid::range(start, end);
    Error error;
    if (series == u"hash rate") {
        const Result<FilledSeries> filled = SeriesFill::hashRate(hashRates(samples), range);
        QVERIFY(!filled);
        error = filled.error();
    } else if (series == u"difficulty") {
        const Result<FilledSeries> filled = SeriesFill::difficulty(difficulties(samples), range);
        QVERIFY(!filled);
        error = filled.error();
    } else {
        const Result<GappedSeries> filled = SeriesFill::price(klines(samples), range);
        QVERIFY(!filled);
        error = filled.error();
    }
    const QString message = error.message();
    QVERIFY2(message.contains(QStringLiteral("data quality too low: %1 point missed").arg(missed)),
        qPrintable(message));
    QVERIFY2(error.where.contains(series), qPrintable(message));
    QVERIFY2(message.contains(QString::number(slot)), qPrintable(message));
    const QString iso = QDateTime::fromSecsSinceEpoch(slot, Qt::UTC).toString(Qt::ISODate);
    QVERIFY2(message.contains(iso), qPrintable(message));
}

void TestSeriesFill::emptyRangeNeedsNoSamples()
{
    const SlotRange empty = TimeGrid::range(600, 600);
    const Result<FilledSeries> hash = SeriesFill::hashRate({}, empty);
    QVERIFY(hash);
    QVERIFY(hash->values.empty());
    const Result<FilledSeries> difficulty = SeriesFill::difficulty({}, empty);
    QVERIFY(difficulty);
    QVERIFY(difficulty->values.empty());
    const Result<GappedSeries> price = SeriesFill::price({}, empty);
    QVERIFY(price);
    QVERIFY(price->values.empty());
}

void TestSeriesFill::nonFiniteValuesRefused()
{
    const SlotRange range = TimeGrid::range(0, 600);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const Result<GappedSeries> price = SeriesFill::price({ { 0, 1 }, { 300, nan } }, range);
    QVERIFY(!price);
    QVERIFY2(
        price.error().what.contains(QStringLiteral("(300)")), qPrintable(price.error().message()));
    QVERIFY(!SeriesFill::difficulty({ { 0, inf } }, range));
}

QTEST_GUILESS_MAIN(TestSeriesFill)
#include "tst_seriesfill.moc"
