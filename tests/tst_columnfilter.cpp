// ColumnFilter, the text of a filter box under a column header: the conditions each form
// gives (operators, ranges, NULL, quotes, numbers in the locale, times as spans in UTC and local
// time), the errors of malformed text (naming the column, never an exception), and the rows the
// conditions select from a real SQLite table, checked against the same question asked in C++.

#include <functional>

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "storage/columnfilter.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;

Q_DECLARE_METATYPE(ColumnFilter::Kind)

namespace {

using Op = TableCondition::Operator;
using Kind = ColumnFilter::Kind;

qint64 utc(const char *text)
{
    return QDateTime::fromString(QLatin1String(text), Qt::ISODate).toSecsSinceEpoch();
}

// "op value; op value" for a comparison that does not depend on QVariant's own equality.
QString written(const QList<TableCondition> &conditions)
{
    QStringList parts;
    for (const TableCondition &condition : conditions) {
        QString value;
        if (condition.value.typeId() == QMetaType::QVariantList) {
            QStringList ends;
            for (const QVariant &end : condition.value.toList())
                ends << end.toString();
            value = ends.join(QLatin1Char(','));
        } else if (!condition.value.isNull()) {
            value = QStringLiteral("%1:%2").arg(
                QLatin1String(condition.value.typeName()), condition.value.toString());
        }
        parts << QStringLiteral("%1 %2 %3")
                     .arg(condition.column)
                     .arg(int(condition.op))
                     .arg(value)
                     .trimmed();
    }
    return parts.join(QStringLiteral("; "));
}

QString cond(Op op, const QVariant &value = QVariant(), const QString &column = QStringLiteral("c"))
{
    return written({ { column, op, value } });
}

} // namespace

class TestColumnFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void reads_data();
    void reads();
    void refuses_data();
    void refuses();
    void readsTheLocale();
    void readsLocalTime();
    void outsideNeedsTwoEnds();
    void selectsTheRightRows_data();
    void selectsTheRightRows();
};

void TestColumnFilter::initTestCase()
{
    QLocale::setDefault(QLocale::c());
}

void TestColumnFilter::reads_data()
{
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty") << Kind::Number << "  " << QString();
    QTest::newRow("NULL") << Kind::Number << "null" << cond(Op::IsNull);
    QTest::newRow("!NULL") << Kind::Text << " !NULL " << cond(Op::IsNotNull);
    QTest::newRow("> integer") << Kind::Number << ">100" << cond(Op::Greater, qint64(100));
    QTest::newRow("<= exponent") << Kind::Number << "<=5e20" << cond(Op::LessOrEqual, 5e20);
    QTest::newRow(">= negative") << Kind::Number << ">= -2.5" << cond(Op::GreaterOrEqual, -2.5);
    QTest::newRow("integer past 2^53 stays exact")
        << Kind::Number << "=9007199254740993" << cond(Op::Equal, qint64(9007199254740993LL));
    QTest::newRow("bare number") << Kind::Number << "42" << cond(Op::Equal, qint64(42));
    QTest::newRow("!=") << Kind::Number << "!=7" << cond(Op::NotEqual, qint64(7));
    QTest::newRow("<>") << Kind::Number << "<> 7" << cond(Op::NotEqual, qint64(7));
    QTest::newRow("range") << Kind::Number << "100..200"
                           << written({ { "c", Op::GreaterOrEqual, qint64(100) },
                                  { "c", Op::LessOrEqual, qint64(200) } });
    QTest::newRow("range of reals")
        << Kind::Number << "1.5 .. 2.5"
        << written({ { "c", Op::GreaterOrEqual, 1.5 }, { "c", Op::LessOrEqual, 2.5 } });
    QTest::newRow("negative range") << Kind::Number << "-5..-1"
                                    << written({ { "c", Op::GreaterOrEqual, qint64(-5) },
                                           { "c", Op::LessOrEqual, qint64(-1) } });
    QTest::newRow("open end") << Kind::Number << "100.." << cond(Op::GreaterOrEqual, qint64(100));
    QTest::newRow("open start") << Kind::Number << "..1e3" << cond(Op::LessOrEqual, 1000.0);
    QTest::newRow("a one-value range")
        << Kind::Number << "3..3"
        << written({ { "c", Op::GreaterOrEqual, qint64(3) }, { "c", Op::LessOrEqual, qint64(3) } });

    QTest::newRow("text contains") << Kind::Text << "btc" << cond(Op::Contains, "btc");
    QTest::newRow("text keeps inner spaces")
        << Kind::Text << "  a  b " << cond(Op::Contains, "a  b");
    QTest::newRow("text =") << Kind::Text << "=BTC" << cond(Op::Equal, "BTC");
    QTest::newRow("text !=") << Kind::Text << "!= BTC" << cond(Op::NotEqual, "BTC");
    QTest::newRow("text >") << Kind::Text << ">m" << cond(Op::Greater, "m");
    QTest::newRow("text range is text") << Kind::Text << "a..c" << cond(Op::Contains, "a..c");
    QTest::newRow("quoted operator") << Kind::Text << "\">100\"" << cond(Op::Contains, ">100");
    QTest::newRow("quoted spaces") << Kind::Text << "=\" x \"" << cond(Op::Equal, " x ");
    QTest::newRow("doubled quote")
        << Kind::Text << "\"say \"\"hi\"\"\"" << cond(Op::Contains, "say \"hi\"");
    QTest::newRow("empty quoted") << Kind::Text << "=\"\"" << cond(Op::Equal, "");
    QTest::newRow("quoted NULL is text") << Kind::Text << "=\"NULL\"" << cond(Op::Equal, "NULL");
    QTest::newRow("SQL is a value")
        << Kind::Text << "=x' OR '1'='1" << cond(Op::Equal, "x' OR '1'='1");
    QTest::newRow("percent is a value") << Kind::Text << "100%" << cond(Op::Contains, "100%");

    const qint64 day = utc("2024-01-05T00:00:00Z");
    QTest::newRow("seconds") << Kind::Time << "1704412800" << cond(Op::Equal, qint64(1704412800));
    QTest::newRow("> seconds") << Kind::Time << ">1704412800"
                               << cond(Op::GreaterOrEqual, qint64(1704412801));
    QTest::newRow("a day") << Kind::Time << "2024-01-05"
                           << written({ { "c", Op::GreaterOrEqual, day },
                                  { "c", Op::Less, day + 86400 } });
    QTest::newRow("not a day") << Kind::Time << "!=2024-01-05"
                               << cond(Op::Outside, QVariantList{ day, day + 86400 });
    QTest::newRow("< a day") << Kind::Time << "<2024-01-05" << cond(Op::Less, day);
    QTest::newRow("<= a day runs to its end")
        << Kind::Time << "<=2024-01-05" << cond(Op::Less, day + 86400);
    QTest::newRow("> a day starts after it")
        << Kind::Time << ">2024-01-05" << cond(Op::GreaterOrEqual, day + 86400);
    QTest::newRow(">= a day") << Kind::Time << ">=2024-01-05" << cond(Op::GreaterOrEqual, day);
    QTest::newRow("a minute") << Kind::Time << "2024-01-05 10:05"
                              << written({ { "c", Op::GreaterOrEqual, day + 36300 },
                                     { "c", Op::Less, day + 36360 } });
    QTest::newRow("a second with T and Z")
        << Kind::Time << "=2024-01-05T10:05:07Z" << cond(Op::Equal, day + 36307);
    QTest::newRow("months") << Kind::Time << "2024-01..2024-02"
                            << written({ { "c", Op::GreaterOrEqual, utc("2024-01-01T00:00:00Z") },
                                   { "c", Op::Less, utc("2024-03-01T00:00:00Z") } });
    QTest::newRow("leap day") << Kind::Time << "2024-02-29"
                              << written({ { "c", Op::GreaterOrEqual, utc("2024-02-29T00:00:00Z") },
                                     { "c", Op::Less, utc("2024-03-01T00:00:00Z") } });
    QTest::newRow("days to a minute")
        << Kind::Time << "2024-01-05..2024-01-06 00:10"
        << written({ { "c", Op::GreaterOrEqual, day }, { "c", Op::Less, day + 86400 + 660 } });
    QTest::newRow("time NULL") << Kind::Time << "NULL" << cond(Op::IsNull);
}

void TestColumnFilter::reads()
{
    QFETCH(Kind, kind);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Result<QList<TableCondition>> read =
        ColumnFilter::parse(QStringLiteral("c"), kind, text, Qt::UTC);
    QVERIFY2(read, qPrintable(read ? QString() : read.error().message()));
    QCOMPARE(written(*read), expected);
}

void TestColumnFilter::refuses_data()
{
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("part"); // what the message must name

    QTest::newRow("word for a number") << Kind::Number << "abc"
                                       << "abc";
    QTest::newRow("operator alone") << Kind::Number << ">="
                                    << ">=";
    QTest::newRow("operator and spaces") << Kind::Text << "=   "
                                         << "=";
    QTest::newRow("empty range") << Kind::Number << "200..100"
                                 << "200..100";
    QTest::newRow("range of nothing") << Kind::Number << ".."
                                      << "a..b";
    QTest::newRow("bad range end") << Kind::Number << "1..x"
                                   << "x";
    QTest::newRow("NaN") << Kind::Number << "nan"
                         << "nan";
    QTest::newRow("infinity") << Kind::Number << ">inf"
                              << "inf";
    QTest::newRow("too large") << Kind::Number << "1e999"
                               << "1e999";
    QTest::newRow("open quote") << Kind::Text << "\"abc"
                                << "\"abc";
    QTest::newRow("text after quote") << Kind::Text << "\"a\"b"
                                      << "b";
    QTest::newRow("not a date") << Kind::Time << "yesterday"
                                << "yesterday";
    QTest::newRow("month 13") << Kind::Time << "2024-13-01"
                              << "2024-13-01";
    QTest::newRow("February 30") << Kind::Time << "2023-02-29"
                                 << "2023-02-29";
    QTest::newRow("empty time range") << Kind::Time << "2024-02..2024-01"
                                      << "2024-02..2024-01";
    QTest::newRow("seconds out of range") << Kind::Time << "99999999999999"
                                          << "99999999999999";
    QTest::newRow("seconds past qint64") << Kind::Time << "-99999999999999999999"
                                         << "-99999999999999999999";
    QTest::newRow("operator on range") << Kind::Number << ">1..2"
                                       << "1..2";
}

void TestColumnFilter::refuses()
{
    QFETCH(Kind, kind);
    QFETCH(QString, text);
    QFETCH(QString, part);
    const Result<QList<TableCondition>> read =
        ColumnFilter::parse(QStringLiteral("price"), kind, text, Qt::UTC);
    QVERIFY(!read);
    QCOMPARE(read.error().where, QStringLiteral("price"));
    QCOMPARE(read.error().code, ErrorCode::Permanent);
    QVERIFY2(read.error().what.contains(part), qPrintable(read.error().what));
}

void TestColumnFilter::readsTheLocale()
{
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    const auto read = [](const QString &text) {
        const Result<QList<TableCondition>> conditions =
            ColumnFilter::parse(QStringLiteral("c"), Kind::Number, text);
        return conditions ? written(*conditions) : conditions.error().what;
    };
    QCOMPARE(read(QStringLiteral(">1.234.567")), cond(Op::Greater, qint64(1234567)));
    QCOMPARE(read(QStringLiteral("<2,5")), cond(Op::Less, 2.5));
    // What C writes still reads, where the locale cannot read it.
    QCOMPARE(read(QStringLiteral("<5e20")), cond(Op::Less, 5e20));
    QLocale::setDefault(QLocale::c());
}

void TestColumnFilter::readsLocalTime()
{
    // A day in local time starts at the local midnight, whatever the zone the test runs in.
    const QDateTime midnight(QDate(2024, 7, 1), QTime(0, 0), Qt::LocalTime);
    const QDateTime next(QDate(2024, 7, 2), QTime(0, 0), Qt::LocalTime);
    const Result<QList<TableCondition>> read = ColumnFilter::parse(
        QStringLiteral("c"), Kind::Time, QStringLiteral("2024-07-01"), Qt::LocalTime);
    QVERIFY(read);
    QCOMPARE(written(*read),
        written({ { "c", Op::GreaterOrEqual, midnight.toSecsSinceEpoch() },
            { "c", Op::Less, next.toSecsSinceEpoch() } }));
    // Z says UTC whatever the view's zone.
    const Result<QList<TableCondition>> zulu = ColumnFilter::parse(
        QStringLiteral("c"), Kind::Time, QStringLiteral("=2024-07-01 00:00:00Z"), Qt::LocalTime);
    QVERIFY(zulu);
    QCOMPARE(written(*zulu), cond(Op::Equal, utc("2024-07-01T00:00:00Z")));
}

void TestColumnFilter::outsideNeedsTwoEnds()
{
    TableFilter filter(QStringLiteral("t"), { QStringLiteral("c") }, {});
    const Result<void> added = filter.addCondition({ QStringLiteral("c"), Op::Outside, 3 });
    QVERIFY(!added);
    QCOMPARE(filter.from(), QStringLiteral(" FROM \"t\""));
}

void TestColumnFilter::selectsTheRightRows_data()
{
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("text");

    QTest::newRow("price >") << Kind::Number << "price"
                             << ">30.5";
    QTest::newRow("price range") << Kind::Number << "price"
                                 << "10..20";
    QTest::newRow("price !=") << Kind::Number << "price"
                              << "!=12";
    QTest::newRow("price NULL") << Kind::Number << "price"
                                << "NULL";
    QTest::newRow("price !NULL") << Kind::Number << "price"
                                 << "!NULL";
    QTest::newRow("day") << Kind::Time << "ts"
                         << "2024-01-02";
    QTest::newRow("not the day") << Kind::Time << "ts"
                                 << "!=2024-01-02";
    QTest::newRow("until a day") << Kind::Time << "ts"
                                 << "<=2024-01-02";
    QTest::newRow("after a day") << Kind::Time << "ts"
                                 << ">2024-01-02";
    QTest::newRow("minutes") << Kind::Time << "ts"
                             << "2024-01-01 06:00..2024-01-01 07:30";
    QTest::newRow("label contains %") << Kind::Text << "label"
                                      << "%";
    QTest::newRow("label contains _") << Kind::Text << "label"
                                      << "_";
    QTest::newRow("label =") << Kind::Text << "label"
                             << "=row 7";
}

void TestColumnFilter::selectsTheRightRows()
{
    QFETCH(Kind, kind);
    QFETCH(QString, column);
    QFETCH(QString, text);

    // 100 rows: ts every 50 minutes from 2024-01-01, price (id % 40) + 0.5 or NULL every 9th,
    // labels with % and _ in a few.
    QTemporaryDir dir;
    Result<SqliteConnection> db =
        SqliteConnection::open(dir.filePath(QStringLiteral("f.sqlite")), QStringLiteral("f"));
    QVERIFY(db);
    QSqlQuery query(db->database());
    QVERIFY(query.exec(QStringLiteral(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, ts INTEGER, price REAL, label TEXT)")));
    struct Row
    {
        qint64 id;
        qint64 ts;
        QVariant price;
        QString label;
    };
    QList<Row> rows;
    const qint64 start = utc("2024-01-01T00:00:00Z");
    for (qint64 id = 0; id < 100; ++id) {
        Row row{ id, start + id * 3000,
            id % 9 == 0 ? QVariant() : QVariant(double(id % 40) + (id % 2 ? 0.5 : 0.0)),
            id % 10 == 3 ? QStringLiteral("%d off") : QStringLiteral("row %1").arg(id) };
        if (id == 44)
            row.label = QStringLiteral("snake_case");
        rows << row;
        QVERIFY(query.prepare(QStringLiteral("INSERT INTO t VALUES (?, ?, ?, ?)")));
        query.addBindValue(row.id);
        query.addBindValue(row.ts);
        query.addBindValue(row.price);
        query.addBindValue(row.label);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    }

    const Result<QList<TableCondition>> conditions =
        ColumnFilter::parse(column, kind, text, Qt::UTC);
    QVERIFY2(conditions, qPrintable(conditions ? QString() : conditions.error().message()));
    TableFilter filter(QStringLiteral("t"),
        { QStringLiteral("id"), QStringLiteral("ts"), QStringLiteral("price"),
            QStringLiteral("label") },
        { QStringLiteral("id") });
    for (const TableCondition &condition : *conditions)
        QVERIFY(filter.addCondition(condition));
    QVERIFY(query.prepare(QStringLiteral("SELECT id") + filter.from() + filter.orderBy()));
    for (const QVariant &value : filter.bindings())
        query.addBindValue(value);
    QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    QList<qint64> found;
    while (query.next())
        found << query.value(0).toLongLong();

    // The same question in C++.
    const qint64 day2 = utc("2024-01-02T00:00:00Z");
    const qint64 day3 = day2 + 86400;
    const std::map<QString, std::function<bool(const Row &)>> expected = {
        { "price >", [](const Row &r) { return !r.price.isNull() && r.price.toDouble() > 30.5; } },
        { "price range",
            [](const Row &r) {
                return !r.price.isNull() && r.price.toDouble() >= 10 && r.price.toDouble() <= 20;
            } },
        { "price !=", [](const Row &r) { return !r.price.isNull() && r.price.toDouble() != 12; } },
        { "price NULL", [](const Row &r) { return r.price.isNull(); } },
        { "price !NULL", [](const Row &r) { return !r.price.isNull(); } },
        { "day", [&](const Row &r) { return r.ts >= day2 && r.ts < day3; } },
        { "not the day", [&](const Row &r) { return r.ts < day2 || r.ts >= day3; } },
        { "until a day", [&](const Row &r) { return r.ts < day3; } },
        { "after a day", [&](const Row &r) { return r.ts >= day3; } },
        { "minutes",
            [&](const Row &r) {
                return r.ts >= start + 6 * 3600 && r.ts < start + 7 * 3600 + 1860;
            } },
        { "label contains %", [](const Row &r) { return r.label.contains(QLatin1Char('%')); } },
        { "label contains _", [](const Row &r) { return r.label.contains(QLatin1Char('_')); } },
        { "label =", [](const Row &r) { return r.label == QLatin1String("row 7"); } },
    };
    const auto predicate = expected.at(QString::fromLatin1(QTest::currentDataTag()));
    QList<qint64> wanted;
    for (const Row &row : rows) {
        if (predicate(row))
            wanted << row.id;
    }
    QVERIFY(!wanted.isEmpty());
    QCOMPARE(found, wanted);
}

QTEST_GUILESS_MAIN(TestColumnFilter)
#include "tst_columnfilter.moc"
