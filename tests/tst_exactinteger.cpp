// Exact 128-bit integers: reading hash rates from decimal and scientific text without rounding,
// printing them, and converting them to the nearest double.

#include <cstdlib>

#include <QRandomGenerator>
#include <QtTest>

#include "transform/exactinteger.h"

using namespace Sluice;

namespace {

// 2^exponent built by shifting, independent of the parser.
Int128 power2(int exponent)
{
    return Int128(1) << exponent;
}

} // namespace

class TestExactInteger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void toStringOfKnownValues_data();
    void toStringOfKnownValues();
    void parse_data();
    void parse();
    void parseRefused_data();
    void parseRefused();
    void fromDouble_data();
    void fromDouble();
    void fromDoubleRefused_data();
    void fromDoubleRefused();
    void toDoubleTies_data();
    void toDoubleTies();
    void toDoubleMatchesLibraries();
    void floorDiv_data();
    void floorDiv();
};

void TestExactInteger::toStringOfKnownValues_data()
{
    QTest::addColumn<QString>("hex"); // magnitude in hexadecimal, parsed by the test alone
    QTest::addColumn<bool>("negative");
    QTest::addColumn<QString>("decimal");
    QTest::newRow("zero") << "0" << false << "0";
    QTest::newRow("one") << "1" << false << "1";
    QTest::newRow("minus one") << "1" << true << "-1";
    QTest::newRow("2^64") << "10000000000000000" << false << "18446744073709551616";
    QTest::newRow("2^100") << "10000000000000000000000000" << false
                           << "1267650600228229401496703205376";
    QTest::newRow("2^127 - 1") << "7fffffffffffffffffffffffffffffff" << false
                               << "170141183460469231731687303715884105727";
    QTest::newRow("-(2^127 - 1)") << "7fffffffffffffffffffffffffffffff" << true
                                  << "-170141183460469231731687303715884105727";
}

void TestExactInteger::toStringOfKnownValues()
{
    QFETCH(QString, hex);
    QFETCH(bool, negative);
    QFETCH(QString, decimal);
    Int128 value = 0;
    for (const QChar c : hex)
        value = value * 16 + QString(c).toInt(nullptr, 16);
    QCOMPARE(ExactInteger::toString(negative ? -value : value), decimal);
}

void TestExactInteger::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("exact");
    QTest::newRow("mempool integer") << "736575040256689000000"
                                     << "736575040256689000000" << true;
    QTest::newRow("mempool scientific") << "7.36575040256689e+20"
                                        << "736575040256689000000" << true;
    QTest::newRow("capital E, no sign") << "7.36575040256689E20"
                                        << "736575040256689000000" << true;
    QTest::newRow("1e21") << "1e21"
                          << "1000000000000000000000" << true;
    QTest::newRow("zero") << "0"
                          << "0" << true;
    QTest::newRow("minus zero") << "-0"
                                << "0" << true;
    QTest::newRow("zero point zero") << "0.0"
                                     << "0" << true;
    QTest::newRow("zero with huge exponent") << "0e999999999999999999"
                                             << "0" << true;
    QTest::newRow("negative") << "-12"
                              << "-12" << true;
    QTest::newRow("plus") << "+5"
                          << "5" << true;
    QTest::newRow("leading zeros") << "00012"
                                   << "12" << true;
    QTest::newRow("trailing dot") << "5."
                                  << "5" << true;
    QTest::newRow("whole fraction") << "-1.0"
                                    << "-1" << true;
    QTest::newRow("exponent makes whole") << "1.50e1"
                                          << "15" << true;
    QTest::newRow("negative exponent whole") << "123000e-3"
                                             << "123" << true;
    QTest::newRow("fraction floors") << "1.9"
                                     << "1" << false;
    QTest::newRow("negative fraction floors down") << "-1.5"
                                                   << "-2" << false;
    QTest::newRow("exponent leaves fraction") << "1.55e1"
                                              << "15" << false;
    QTest::newRow("half") << "0.5"
                          << "0" << false;
    QTest::newRow("minus half") << "-0.5"
                                << "-1" << false;
    QTest::newRow("leading dot") << ".5"
                                 << "0" << false;
    QTest::newRow("tiny") << "1e-5"
                          << "0" << false;
    QTest::newRow("vanishing exponent") << "1e-999999999999999999999"
                                        << "0" << false;
    QTest::newRow("negative exponent with fraction") << "123456e-3"
                                                     << "123" << false;
    QTest::newRow("2^100") << "1267650600228229401496703205376"
                           << "1267650600228229401496703205376" << true;
    QTest::newRow("2^127 - 1") << "170141183460469231731687303715884105727"
                               << "170141183460469231731687303715884105727" << true;
    QTest::newRow("-(2^127 - 1)") << "-170141183460469231731687303715884105727"
                                  << "-170141183460469231731687303715884105727" << true;
    QTest::newRow("near the top, scientific") << "1.7014118346046923e38"
                                              << "170141183460469230000000000000000000000" << true;
    QTest::newRow("many leading zeros")
        << QString(200, u'0') + QStringLiteral("42") << "42" << true;
}

void TestExactInteger::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QFETCH(bool, exact);
    bool wasExact = !exact;
    const Result<Int128> value = ExactInteger::parse(QStringView(text), &wasExact);
    QVERIFY2(value, qPrintable(value ? QString() : value.error().message()));
    QCOMPARE(ExactInteger::toString(*value), expected);
    QCOMPARE(wasExact, exact);

    // The bytes of a JSON document read the same.
    const QByteArray bytes = text.toLatin1();
    const Result<Int128> fromBytes = ExactInteger::parse(QByteArrayView(bytes));
    QVERIFY(fromBytes);
    QVERIFY(*fromBytes == *value);
}

void TestExactInteger::parseRefused_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    const QString malformed = QStringLiteral("not a decimal number");
    const QString range = QStringLiteral("beyond the 128-bit range");
    QTest::newRow("empty") << "" << malformed;
    QTest::newRow("sign only") << "-" << malformed;
    QTest::newRow("plus only") << "+" << malformed;
    QTest::newRow("dot only") << "." << malformed;
    QTest::newRow("exponent only") << "e5" << malformed;
    QTest::newRow("exponent without digits") << "1e" << malformed;
    QTest::newRow("exponent sign without digits") << "1e+" << malformed;
    QTest::newRow("two dots") << "1.2.3" << malformed;
    QTest::newRow("hexadecimal") << "0x10" << malformed;
    QTest::newRow("inf") << "inf" << malformed;
    QTest::newRow("nan") << "nan" << malformed;
    QTest::newRow("leading space") << " 1" << malformed;
    QTest::newRow("trailing space") << "1 " << malformed;
    QTest::newRow("grouping") << "1,000" << malformed;
    QTest::newRow("double sign") << "--1" << malformed;
    QTest::newRow("2^127") << "170141183460469231731687303715884105728" << range;
    QTest::newRow("-2^127") << "-170141183460469231731687303715884105728" << range;
    QTest::newRow("1e39") << "1e39" << range;
    QTest::newRow("2e38") << "2e38" << range;
    QTest::newRow("floor below the range") << "-170141183460469231731687303715884105727.5" << range;
    QTest::newRow("huge exponent") << "1e999999999999999999" << range;
}

void TestExactInteger::parseRefused()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    const Result<Int128> value = ExactInteger::parse(QStringView(text));
    QVERIFY(!value);
    QVERIFY2(value.error().what.contains(reason), qPrintable(value.error().message()));
    QVERIFY2(
        value.error().what.contains(u'"' + text.left(60)), qPrintable(value.error().message()));
}

void TestExactInteger::fromDouble_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");
    // Expected: Python's int(value), the exact value of the double.
    QTest::newRow("mempool double") << 7.36575040256689e+20 << "736575040256689045504";
    QTest::newRow("difficulty floors") << 95672703408223.94 << "95672703408223";
    QTest::newRow("negative") << -1e20 << "-100000000000000000000";
    QTest::newRow("fraction floors") << 1.5 << "1";
    QTest::newRow("negative fraction floors down") << -1.5 << "-2";
    QTest::newRow("2^126") << 0x1p126 << "85070591730234615865843651857942052864";
    QTest::newRow("zero") << 0.0 << "0";
}

void TestExactInteger::fromDouble()
{
    QFETCH(double, value);
    QFETCH(QString, expected);
    const Result<Int128> exact = ExactInteger::fromDouble(value);
    QVERIFY(exact);
    QCOMPARE(ExactInteger::toString(*exact), expected);
}

void TestExactInteger::fromDoubleRefused_data()
{
    QTest::addColumn<double>("value");
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("inf") << std::numeric_limits<double>::infinity();
    QTest::newRow("-inf") << -std::numeric_limits<double>::infinity();
    QTest::newRow("2^127") << 0x1p127;
    QTest::newRow("-2^127") << -0x1p127;
    QTest::newRow("1e300") << 1e300;
}

void TestExactInteger::fromDoubleRefused()
{
    QFETCH(double, value);
    QVERIFY(!ExactInteger::fromDouble(value));
}

void TestExactInteger::toDoubleTies_data()
{
    QTest::addColumn<int>("power"); // value = 2^power + offset
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<double>("expected");
    // At 2^64 a double's step is 2^12; at 2^100 it is 2^48.
    QTest::newRow("2^64 exact") << 64 << qint64(0) << 0x1p64;
    QTest::newRow("2^64 half step ties to even (down)") << 64 << (qint64(1) << 11) << 0x1p64;
    QTest::newRow("2^64 just over half step rounds up")
        << 64 << (qint64(1) << 11) + 1 << 0x1.0000000000001p64;
    QTest::newRow("2^64 one and a half steps ties to even (up)")
        << 64 << 3 * (qint64(1) << 11) << 0x1.0000000000002p64;
    QTest::newRow("2^100 half step ties to even") << 100 << (qint64(1) << 47) << 0x1p100;
    // The lowest bit lies outside the top 64 bits: only the sticky bit sees it.
    QTest::newRow("2^100 half step plus one rounds up")
        << 100 << (qint64(1) << 47) + 1 << 0x1.0000000000001p100;
    QTest::newRow("2^100 just under half step rounds down")
        << 100 << (qint64(1) << 47) - 1 << 0x1p100;
    QTest::newRow("2^126 plus one") << 126 << qint64(1) << 0x1p126;
}

void TestExactInteger::toDoubleTies()
{
    QFETCH(int, power);
    QFETCH(qint64, offset);
    QFETCH(double, expected);
    const Int128 value = power2(power) + offset;
    QCOMPARE(ExactInteger::toDouble(value), expected);
    QCOMPARE(ExactInteger::toDouble(-value), -expected);
}

// Against two independent conversions: libgcc's (static_cast) and glibc's correctly rounded
// strtod of the printed digits.
void TestExactInteger::toDoubleMatchesLibraries()
{
    QRandomGenerator random(7);
    for (int round = 0; round < 200000; ++round) {
        const int bits = 1 + int(random.bounded(127));
        UInt128 magnitude = (UInt128(random.generate64()) << 64) | random.generate64();
        magnitude >>= 128 - bits;
        Int128 value = Int128(magnitude);
        if (random.bounded(2))
            value = -value;
        const double converted = ExactInteger::toDouble(value);
        QCOMPARE(converted, static_cast<double>(value));
        if (round % 16 == 0) {
            const QByteArray digits = ExactInteger::toString(value).toLatin1();
            QCOMPARE(converted, std::strtod(digits.constData(), nullptr));
        }
    }
}

void TestExactInteger::floorDiv_data()
{
    QTest::addColumn<qint64>("numerator");
    QTest::addColumn<qint64>("denominator");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("positive") << qint64(7) << qint64(2) << qint64(3);
    QTest::newRow("negative rounds down") << qint64(-7) << qint64(2) << qint64(-4);
    QTest::newRow("negative exact") << qint64(-8) << qint64(2) << qint64(-4);
    QTest::newRow("small negative") << qint64(-1) << qint64(300) << qint64(-1);
    QTest::newRow("zero") << qint64(0) << qint64(5) << qint64(0);
}

void TestExactInteger::floorDiv()
{
    QFETCH(qint64, numerator);
    QFETCH(qint64, denominator);
    QFETCH(qint64, expected);
    QVERIFY(ExactInteger::floorDiv(numerator, denominator) == expected);
}

QTEST_GUILESS_MAIN(TestExactInteger)
#include "tst_exactinteger.moc"
