// PythonFloat: doubles written exactly as Python's repr(float), checked against hand-picked
// cases and against /usr/bin/python3 itself on a few hundred thousand doubles.

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <vector>

#include <QProcess>
#include <QRandomGenerator>
#include <QtTest>

#include "storage/pythonfloat.h"

using namespace Sluice;

class TestPythonFloat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownText_data();
    void knownText();
    void writesNoMoreThanMaxLength();
    void roundTrips();
    void matchesPython();

private:
    static std::vector<double> samples();
};

void TestPythonFloat::knownText_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");
    // Expected texts are what Python 3.11's repr() prints for the same values.
    QTest::newRow("zero") << 0.0 << "0.0";
    QTest::newRow("negative zero") << -0.0 << "-0.0";
    QTest::newRow("one") << 1.0 << "1.0";
    QTest::newRow("whole keeps .0") << 100.0 << "100.0";
    QTest::newRow("price") << 67012.53 << "67012.53";
    QTest::newRow("price low") << 30000.01 << "30000.01";
    QTest::newRow("price high") << 69999.99 << "69999.99";
    QTest::newRow("difficulty") << 95672703408223.94 << "95672703408223.94";
    QTest::newRow("difficulty 2") << 88104191118793.16 << "88104191118793.16";
    QTest::newRow("hash rate") << 7.365750402566894e+20 << "7.365750402566894e+20";
    QTest::newRow("1e16 is scientific") << 1e16 << "1e+16";
    QTest::newRow("1e15 is plain") << 1e15 << "1000000000000000.0";
    QTest::newRow("largest plain") << 9999999999999998.0 << "9999999999999998.0";
    QTest::newRow("rounds up to 1e16") << 9999999999999999.0 << "1e+16";
    QTest::newRow("2^53") << 9007199254740992.0 << "9007199254740992.0";
    QTest::newRow("2^63") << 9223372036854775808.0 << "9.223372036854776e+18";
    QTest::newRow("1e-4 is plain") << 1e-4 << "0.0001";
    QTest::newRow("1e-5 is scientific") << 1e-5 << "1e-05";
    QTest::newRow("small plain") << 0.00012345 << "0.00012345";
    QTest::newRow("small scientific") << 1234.5e-8 << "1.2345e-05";
    QTest::newRow("0.001") << 0.001 << "0.001";
    QTest::newRow("tenth") << 0.1 << "0.1";
    QTest::newRow("sum") << 0.1 + 0.2 << "0.30000000000000004";
    QTest::newRow("third") << 1.0 / 3.0 << "0.3333333333333333";
    QTest::newRow("4.35") << 4.35 << "4.35";
    QTest::newRow("fraction") << 12345.678 << "12345.678";
    QTest::newRow("negative exponent 7") << -1.5e-7 << "-1.5e-07";
    QTest::newRow("negative large") << -2.5e16 << "-2.5e+16";
    QTest::newRow("17 digits") << 123456789012345678.0 << "1.2345678901234568e+17";
    QTest::newRow("1e22") << 1e22 << "1e+22";
    QTest::newRow("1e23") << 1e23 << "1e+23";
    QTest::newRow("1e100") << 1e100 << "1e+100";
    QTest::newRow("-1e-300") << -1e-300 << "-1e-300";
    QTest::newRow("min subnormal") << 5e-324 << "5e-324";
    QTest::newRow("3 x min subnormal") << 1.5e-323 << "1.5e-323";
    QTest::newRow("min normal") << 2.2250738585072014e-308 << "2.2250738585072014e-308";
    QTest::newRow("max") << 1.7976931348623157e+308 << "1.7976931348623157e+308";
    QTest::newRow("inf") << std::numeric_limits<double>::infinity() << "inf";
    QTest::newRow("-inf") << -std::numeric_limits<double>::infinity() << "-inf";
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << "nan";
    QTest::newRow("-nan") << -std::numeric_limits<double>::quiet_NaN() << "nan";
}

void TestPythonFloat::knownText()
{
    QFETCH(double, value);
    QFETCH(QString, expected);
    QCOMPARE(PythonFloat::toString(value), expected);
    QCOMPARE(PythonFloat::toUtf8(value), expected.toLatin1());
}

// The output buffer contract: no value writes past MaxLength, even the longest ones.
void TestPythonFloat::writesNoMoreThanMaxLength()
{
    char buffer[PythonFloat::MaxLength + 8];
    int longest = 0;
    for (double value : samples()) {
        std::memset(buffer, 'X', sizeof buffer);
        const char *end = PythonFloat::write(value, buffer);
        longest = std::max(longest, int(end - buffer));
        QVERIFY(end - buffer <= PythonFloat::MaxLength);
        QCOMPARE(buffer[PythonFloat::MaxLength], 'X');
    }
    QCOMPARE(longest, 24); // "-2.2250738585072014e-308" and its kind
}

// Property independent of Python: the text reads back to the very same bits.
void TestPythonFloat::roundTrips()
{
    for (double value : samples()) {
        if (std::isnan(value))
            continue;
        const QByteArray text = PythonFloat::toUtf8(value);
        const double back = std::strtod(text.constData(), nullptr);
        if (std::bit_cast<std::uint64_t>(back) != std::bit_cast<std::uint64_t>(value))
            QFAIL(qPrintable(
                QStringLiteral("%1 reads back as another double").arg(QLatin1String(text))));
    }
}

// Python itself is the oracle: each double goes to it as exact hex (float.fromhex) and its
// repr() comes back to be compared byte for byte.
void TestPythonFloat::matchesPython()
{
    const std::vector<double> values = samples();
    QByteArray input;
    input.reserve(qsizetype(values.size()) * 26);
    char hex[64];
    for (double value : values) {
        const auto result = std::to_chars(hex, hex + sizeof hex, value, std::chars_format::hex);
        input.append(hex, result.ptr - hex).append('\n');
    }

    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral("-c"),
            QStringLiteral("import sys\n"
                           "values = [repr(float.fromhex(t)) for t in sys.stdin.read().split()]\n"
                           "sys.stdout.write('\\n'.join(values) + '\\n')\n") });
    QVERIFY2(python.waitForStarted(), qPrintable(python.errorString()));
    python.write(input);
    python.closeWriteChannel();
    QVERIFY(python.waitForFinished(120000));
    QCOMPARE(python.exitCode(), 0);
    const QList<QByteArray> expected = python.readAllStandardOutput().split('\n');
    QCOMPARE(qsizetype(expected.size()), qsizetype(values.size()) + 1);

    QStringList mismatches;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const QByteArray ours = PythonFloat::toUtf8(values[i]);
        if (ours != expected.at(qsizetype(i)) && mismatches.size() < 10) {
            mismatches << QStringLiteral("%1: ours %2, Python %3")
                              .arg(QString::number(values[i], 'g', 17), QLatin1String(ours),
                                  QLatin1String(expected.at(qsizetype(i))));
        }
    }
    QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(QLatin1Char('\n'))));
}

// About 300,000 doubles: random bit patterns, the neighbourhood of every power of ten, the
// plain/scientific borders, subnormals, and values like the warehouse's prices, hash rates and
// difficulties. The seed is fixed; SLUICE_TEST_SEED picks another.
std::vector<double> TestPythonFloat::samples()
{
    bool seeded = false;
    const quint32 seed = qEnvironmentVariable("SLUICE_TEST_SEED").toUInt(&seeded);
    QRandomGenerator random(seeded ? seed : 20240308u);
    std::vector<double> values;
    values.reserve(310000);
    auto nearby = [&values](double value, int ulps) {
        double down = value;
        double up = value;
        values.push_back(value);
        for (int i = 0; i < ulps; ++i) {
            down = std::nextafter(down, -std::numeric_limits<double>::infinity());
            up = std::nextafter(up, std::numeric_limits<double>::infinity());
            values.push_back(down);
            values.push_back(up);
        }
    };

    for (int i = 0; i < 150000; ++i) // any bit pattern: all exponents, NaNs and infinities
        values.push_back(std::bit_cast<double>(random.generate64()));
    for (int e = -325; e <= 309; ++e) { // 1eN as parsed, and its neighbours
        const QByteArray text = "1e" + QByteArray::number(e);
        nearby(std::strtod(text.constData(), nullptr), 4);
        nearby(-std::strtod(("9.999999999999999" + text.mid(1)).constData(), nullptr), 2);
    }
    for (double border : { 1e-4, 1e-5, 1e15, 1e16, 1e17, 0.5, 1.0, 2.0 })
        nearby(border, 50);
    for (int i = 0; i < 20000; ++i) { // subnormals
        const std::uint64_t mantissa = random.generate64() & ((std::uint64_t(1) << 52) - 1);
        values.push_back(std::bit_cast<double>(mantissa | (std::uint64_t(i & 1) << 63)));
    }
    nearby(std::numeric_limits<double>::denorm_min(), 20);
    nearby(std::numeric_limits<double>::min(), 20);
    nearby(std::numeric_limits<double>::max(), 20);
    for (int i = 0; i < 30000; ++i) { // prices with cents
        const QByteArray text = QByteArray::number(random.bounded(30000, 70000)) + '.'
            + QByteArray::number(random.bounded(100)).rightJustified(2, '0');
        values.push_back(std::strtod(text.constData(), nullptr));
    }
    for (int i = 0; i < 30000; ++i) { // hash rates ~7e20, difficulties ~9e13, 15-17 digits
        values.push_back(6e20 + random.generateDouble() * 2e20);
        values.push_back(std::strtod(("9" + QByteArray::number(random.bounded(1000000000))
                                         + QByteArray::number(random.bounded(100000)) + "."
                                         + QByteArray::number(random.bounded(100)))
                                         .constData(),
            nullptr));
    }
    for (int i = 0; i < 30000; ++i) { // short decimals of every magnitude
        const QByteArray text = QByteArray::number(random.bounded(1, 1000000)) + "e"
            + QByteArray::number(random.bounded(-330, 310));
        values.push_back(std::strtod(text.constData(), nullptr));
    }
    for (int i = 0; i < 10000; ++i) { // whole numbers around 2^53 and below
        values.push_back(double(random.generate64() >> random.bounded(1, 40)));
    }
    for (double special : { 0.0, -0.0, 67012.53, 95672703408223.94, 7.365750402566894e+20 })
        nearby(special, 3);
    return values;
}

QTEST_GUILESS_MAIN(TestPythonFloat)
#include "tst_pythonfloat.moc"
