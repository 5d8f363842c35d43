// The table writer over real SQLite files: a description creates its table or is checked
// against the stored one, names are checked identifiers, values must fit their columns (a
// misfit stores nothing and names the row and column), and the conflict rule decides
// between the stored row and the new one.

#include <cmath>
#include <limits>

#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

#include "storage/sqliteconnection.h"
#include "storage/tablewriter.h"

using namespace Sluice;

Q_DECLARE_METATYPE(Sluice::TableSpec)
Q_DECLARE_METATYPE(Sluice::SqlValue)

namespace {

// sales(order_id integer key, amount real not null, region text): what a flow's import step
// would describe.
TableSpec salesSpec(ConflictRule rule = ConflictRule::Ignore)
{
    TableSpec spec;
    spec.name = QStringLiteral("sales");
    spec.columns = { { QStringLiteral("order_id"), ColumnType::Integer, false },
        { QStringLiteral("amount"), ColumnType::Real, true },
        { QStringLiteral("region"), ColumnType::Text, false } };
    spec.key = { QStringLiteral("order_id") };
    spec.onConflict = rule;
    return spec;
}

std::vector<SqlValue> salesRows(int count, int from = 1, double amountOffset = 0)
{
    std::vector<SqlValue> values;
    for (int i = from; i < from + count; ++i) {
        values.emplace_back(qint64(i));
        values.emplace_back(i * 1.5 + amountOffset);
        values.push_back(SqlValue::text(i % 2 ? u"eu" : u"us"));
    }
    return values;
}

} // namespace

class TestTableWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void createsTheTable();
    void reusesAnExistingTable();
    void refusesAMismatchedTable_data();
    void refusesAMismatchedTable();
    void refusesBadIdentifiers_data();
    void refusesBadIdentifiers();
    void misfitStoresNothing_data();
    void misfitStoresNothing();
    void valuesFitByColumnType();
    void sharedTextIsBoundWhereItGoes();
    void ignoreKeepsTheFirstReplaceTheLast();
    void failingRowInABulkStatementIsNamed();
    void insertJoinsTheCallersTransaction();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("flows.sqlite")); }
    // The whole table, rows "a|b|c" in key order; typeof() of each cell when asked.
    QStringList lines(const QString &table, bool types = false) const;
    void exec(const QString &sql) const;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SqliteConnection> m_connection;
};

void TestTableWriter::init()
{
    m_connection.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    Result<SqliteConnection> connection =
        SqliteConnection::open(path(), QStringLiteral("test-writer"));
    QVERIFY(connection);
    m_connection = std::make_unique<SqliteConnection>(std::move(*connection));
}

QStringList TestTableWriter::lines(const QString &table, bool types) const
{
    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test-read"));
    if (!db)
        return { db.error().message() };
    QSqlQuery query(db->database());
    if (!query.exec(QStringLiteral("SELECT * FROM %1 ORDER BY 1").arg(table)))
        return { QStringLiteral("no table %1").arg(table) };
    QStringList result;
    while (query.next()) {
        QStringList cells;
        for (int i = 0; i < query.record().count(); ++i) {
            const QVariant value = query.value(i);
            cells << (value.isNull()                      ? QStringLiteral("NULL")
                    : value.typeId() == QMetaType::Double ? QString::number(value.toDouble())
                                                          : value.toString());
        }
        result << cells.join(u'|');
    }
    if (types) {
        QStringList typeLines;
        QSqlQuery typeQuery(db->database());
        const QSqlRecord record = db->database().record(table);
        QStringList typeOf;
        for (int i = 0; i < record.count(); ++i)
            typeOf << QStringLiteral("typeof(%1)").arg(record.fieldName(i));
        if (typeQuery.exec(QStringLiteral("SELECT %1 FROM %2 ORDER BY 1")
                               .arg(typeOf.join(QLatin1String(", ")), table))) {
            while (typeQuery.next()) {
                QStringList cells;
                for (int i = 0; i < record.count(); ++i)
                    cells << typeQuery.value(i).toString();
                typeLines << cells.join(u'|');
            }
        }
        return typeLines;
    }
    return result;
}

void TestTableWriter::exec(const QString &sql) const
{
    const Result<void> ok = m_connection->exec(sql);
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message()));
}

void TestTableWriter::createsTheTable()
{
    Result<TableWriter> writer = TableWriter::open(*m_connection, salesSpec());
    QVERIFY2(writer, qPrintable(writer ? QString() : writer.error().message()));
    QSqlQuery query(m_connection->database());
    QVERIFY(query.exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'sales'")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toString(),
        QStringLiteral("CREATE TABLE \"sales\" (\"order_id\" INTEGER NOT NULL, \"amount\" REAL "
                       "NOT NULL, \"region\" TEXT, PRIMARY KEY (\"order_id\")) WITHOUT ROWID"));
    query.finish();

    const Result<qint64> stored = writer->write(salesRows(3));
    QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().message()));
    QCOMPARE(*stored, qint64(3));
    QCOMPARE(lines(QStringLiteral("sales")), QStringList({ "1|1.5|eu", "2|3|us", "3|4.5|eu" }));
    QCOMPARE(lines(QStringLiteral("sales"), true),
        QStringList({ "integer|real|text", "integer|real|text", "integer|real|text" }));

    // Without a key: a rowid table, every row stored.
    TableSpec log;
    log.name = QStringLiteral("log");
    log.columns = { { QStringLiteral("line"), ColumnType::Text, false } };
    Result<TableWriter> logWriter = TableWriter::open(*m_connection, log);
    QVERIFY(logWriter);
    const std::vector<SqlValue> twice = { SqlValue::text(u"same"), SqlValue::text(u"same") };
    QCOMPARE(*logWriter->write(twice), qint64(2));
    QCOMPARE(lines(QStringLiteral("log")), QStringList({ "same", "same" }));
}

void TestTableWriter::reusesAnExistingTable()
{
    {
        Result<TableWriter> writer = TableWriter::open(*m_connection, salesSpec());
        QVERIFY(writer);
        QCOMPARE(*writer->write(salesRows(2)), qint64(2));
    }
    // A second writer finds the table and keeps its rows.
    Result<TableWriter> again = TableWriter::open(*m_connection, salesSpec());
    QVERIFY2(again, qPrintable(again ? QString() : again.error().message()));
    QCOMPARE(*again->write(salesRows(2, 2)), qint64(1));
    QCOMPARE(lines(QStringLiteral("sales")), QStringList({ "1|1.5|eu", "2|3|us", "3|4.5|eu" }));

    // A table made by another tool matches by SQLite's type affinity, ignoring case, and may
    // have more columns that need no value.
    exec(QStringLiteral("CREATE TABLE Orders (ORDER_ID BIGINT PRIMARY KEY, Amount DOUBLE "
                        "NOT NULL, Region VARCHAR(20), note TEXT, seen INT NOT NULL DEFAULT 0)"));
    TableSpec orders = salesSpec();
    orders.name = QStringLiteral("orders");
    Result<TableWriter> other = TableWriter::open(*m_connection, orders);
    QVERIFY2(other, qPrintable(other ? QString() : other.error().message()));
    QCOMPARE(*other->write(salesRows(1)), qint64(1));
    QCOMPARE(lines(QStringLiteral("orders")), QStringList({ "1|1.5|eu|NULL|0" }));
}

void TestTableWriter::refusesAMismatchedTable_data()
{
    QTest::addColumn<QString>("create");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing column")
        << "CREATE TABLE sales (order_id INTEGER PRIMARY KEY, amount REAL)"
        << "the table sales has no column region";
    QTest::newRow("other type") << "CREATE TABLE sales (order_id INTEGER PRIMARY KEY, amount "
                                   "TEXT, region TEXT)"
                                << "the column amount of the table sales is declared TEXT, not "
                                   "real";
    QTest::newRow("no type") << "CREATE TABLE sales (order_id INTEGER PRIMARY KEY, amount, "
                                "region TEXT)"
                             << "the column amount of the table sales is declared without a "
                                "type, not real";
    QTest::newRow("other key") << "CREATE TABLE sales (order_id INTEGER, amount REAL, region TEXT, "
                                  "PRIMARY KEY (order_id, region))"
                               << "the table sales has the key (order_id, region), not (order_id)";
    QTest::newRow("no key") << "CREATE TABLE sales (order_id INTEGER, amount REAL, region TEXT)"
                            << "the table sales has the key (), not (order_id)";
    QTest::newRow("column that must be set")
        << "CREATE TABLE sales (order_id INTEGER PRIMARY KEY, amount REAL, region TEXT, "
           "shop TEXT NOT NULL)"
        << "the table sales has a column shop that must be set";
    QTest::newRow("a view") << "CREATE VIEW sales AS SELECT 1 AS order_id"
                            << "sales is a view, not a table";
}

void TestTableWriter::refusesAMismatchedTable()
{
    QFETCH(QString, create);
    QFETCH(QString, expected);
    exec(create);
    const Result<TableWriter> writer = TableWriter::open(*m_connection, salesSpec());
    QVERIFY(!writer);
    QVERIFY2(writer.error().what.contains(expected), qPrintable(writer.error().message()));
    QCOMPARE(writer.error().where, path());
    QCOMPARE(writer.error().code, ErrorCode::Permanent);
}

void TestTableWriter::refusesBadIdentifiers_data()
{
    QTest::addColumn<TableSpec>("spec");
    QTest::addColumn<QString>("expected");
    const auto with = [](const std::function<void(TableSpec &)> &change) {
        TableSpec spec = salesSpec();
        change(spec);
        return spec;
    };
    QTest::newRow("injection in the table name")
        << with([](TableSpec &s) { s.name = QStringLiteral("sales; DROP TABLE x"); })
        << "the table name \"sales; DROP TABLE x\" is not an identifier";
    QTest::newRow("quote in a column")
        << with([](TableSpec &s) { s.columns[2].name = QStringLiteral("re\"gion"); })
        << "table sales: the column name \"re\"gion\" is not an identifier";
    QTest::newRow("leading digit") << with([](TableSpec &s) { s.name = QStringLiteral("1sales"); })
                                   << "the table name \"1sales\" is not an identifier";
    QTest::newRow("sqlite's own") << with([](TableSpec &s) {
        s.name = QStringLiteral("SQLite_master");
    }) << "the table name \"SQLite_master\" is not an identifier";
    QTest::newRow("empty") << with([](TableSpec &s) { s.columns[0].name.clear(); })
                           << "table sales: the column name \"\" is not an identifier";
    QTest::newRow("too long") << with([](TableSpec &s) { s.name = QString(65, u'a'); })
                              << "is not an identifier";
    QTest::newRow("non-ASCII letter")
        << with([](TableSpec &s) { s.columns[1].name = QStringLiteral("montant_\u00e9"); })
        << "the column name \"montant_\u00e9\" is not an identifier";
    QTest::newRow("twice") << with([](TableSpec &s) {
        s.columns[2].name = QStringLiteral("AMOUNT");
    }) << "table sales: the column AMOUNT is named twice";
    QTest::newRow("key not a column")
        << with([](TableSpec &s) { s.key = { QStringLiteral("order") }; })
        << "table sales: the key column order is not a column";
    QTest::newRow("no columns") << with([](TableSpec &s) {
        s.columns.clear();
        s.key.clear();
    }) << "table sales has no columns";
}

void TestTableWriter::refusesBadIdentifiers()
{
    QFETCH(TableSpec, spec);
    QFETCH(QString, expected);
    const Result<TableWriter> writer = TableWriter::open(*m_connection, spec);
    QVERIFY(!writer);
    QVERIFY2(writer.error().what.contains(expected), qPrintable(writer.error().message()));
    QCOMPARE(writer.error().code, ErrorCode::Permanent);
    // Nothing was created.
    QSqlQuery query(m_connection->database());
    QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) && query.next());
    QCOMPARE(query.value(0).toInt(), 0);
}

void TestTableWriter::misfitStoresNothing_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<SqlValue>("value");
    QTest::addColumn<QString>("expected");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("text for real") << 1 << SqlValue::text(u"abc")
                                   << "at row 70: \"abc\" does not fit the column amount (real)";
    QTest::newRow("number with a space")
        << 1 << SqlValue::text(u" 12") << "\" 12\" does not fit the column amount (real)";
    QTest::newRow("not finite") << 1 << SqlValue(nan)
                                << "nan does not fit the column amount (real)";
    QTest::newRow("infinity as text")
        << 1 << SqlValue::text(u"inf") << "\"inf\" does not fit the column amount (real)";
    QTest::newRow("fraction for integer")
        << 0 << SqlValue(1.5) << "1.5 does not fit the column order_id (integer)";
    QTest::newRow("beyond 64 bits") << 0 << SqlValue::text(u"9223372036854775808")
                                    << "\"9223372036854775808\" does not fit the column "
                                       "order_id (integer)";
    QTest::newRow("real text for integer")
        << 0 << SqlValue::text(u"7.0") << "\"7.0\" does not fit the column order_id (integer)";
    QTest::newRow("null key") << 0 << SqlValue()
                              << "at row 70: the column order_id may not be null";
    QTest::newRow("null where not null")
        << 1 << SqlValue() << "at row 70: the column amount may not be null";
    QTest::newRow("control characters shown escaped")
        << 1 << SqlValue::text(u"a\x1b[2Jb") << "\"a\\x1b[2Jb\" does not fit";
}

// Row 70 of 100 is bad: rows before it went through a bulk statement, so "nothing" means the
// transaction rolled back.
void TestTableWriter::misfitStoresNothing()
{
    QFETCH(int, column);
    QFETCH(SqlValue, value);
    QFETCH(QString, expected);
    Result<TableWriter> writer = TableWriter::open(*m_connection, salesSpec());
    QVERIFY(writer);
    std::vector<SqlValue> rows = salesRows(100);
    rows[69 * 3 + std::size_t(column)] = value;
    const Result<qint64> stored = writer->write(rows);
    QVERIFY(!stored);
    QVERIFY2(stored.error().what.contains(expected), qPrintable(stored.error().message()));
    QVERIFY2(stored.error().what.contains(QStringLiteral("cannot insert into sales")),
        qPrintable(stored.error().message()));
    QCOMPARE(stored.error().where, path());
    QCOMPARE(stored.error().code, ErrorCode::Permanent);
    QVERIFY(lines(QStringLiteral("sales")).isEmpty());

    // The caller names rows its own way, e.g. by the line of a file.
    const Result<qint64> named =
        writer->write(rows, [](qint64 row) { return QStringLiteral("sales.csv:%1").arg(row + 2); });
    QVERIFY(!named);
    QVERIFY2(named.error().what.contains(QStringLiteral("at sales.csv:71:")),
        qPrintable(named.error().message()));

    // The same writer stores the rows once they fit.
    QCOMPARE(*writer->write(salesRows(100)), qint64(100));
}

void TestTableWriter::valuesFitByColumnType()
{
    TableSpec spec;
    spec.name = QStringLiteral("fits");
    spec.columns = { { QStringLiteral("i"), ColumnType::Integer, false },
        { QStringLiteral("r"), ColumnType::Real, false },
        { QStringLiteral("t"), ColumnType::Text, false } };
    spec.key = { QStringLiteral("i") };
    Result<TableWriter> writer = TableWriter::open(*m_connection, spec);
    QVERIFY(writer);
    const std::vector<SqlValue> rows = {
        // texts that read wholly as numbers, as JSON APIs send prices
        SqlValue::text(u"-42"),
        SqlValue::text(u"67012.5"),
        SqlValue::text(u"keep 1"),
        // a whole real for an integer, an integer for a real, numbers for a text
        SqlValue(3.0),
        SqlValue(qint64(7)),
        SqlValue(qint64(9007199254740993)),
        SqlValue(qint64(5)),
        SqlValue::text(u"1e3"),
        SqlValue(0.1),
        // null where allowed
        SqlValue(qint64(6)),
        SqlValue(),
        SqlValue(),
    };
    QCOMPARE(*writer->write(rows), qint64(4));
    QCOMPARE(lines(QStringLiteral("fits")),
        QStringList({ "-42|67012.5|keep 1", "3|7|9007199254740993", "5|1000|0.1", "6|NULL|NULL" }));
    QCOMPARE(lines(QStringLiteral("fits"), true),
        QStringList({ "integer|real|text", "integer|real|text", "integer|real|text",
            "integer|null|null" }));
}

// One text shared by rows (as a series key is) with another value between them in the same
// column: each row stores what it holds.
void TestTableWriter::sharedTextIsBoundWhereItGoes()
{
    TableSpec spec;
    spec.name = QStringLiteral("shared");
    spec.columns = { { QStringLiteral("id"), ColumnType::Integer, true },
        { QStringLiteral("t"), ColumnType::Text, false } };
    spec.key = { QStringLiteral("id") };
    Result<TableWriter> writer = TableWriter::open(*m_connection, spec);
    QVERIFY(writer);
    const SqlValue shared = SqlValue::text(u"BTC");
    std::vector<SqlValue> rows = { SqlValue(qint64(1)), shared, SqlValue(qint64(2)), SqlValue(7),
        SqlValue(qint64(3)), shared, SqlValue(qint64(4)), SqlValue(), SqlValue(qint64(5)), shared };
    QCOMPARE(*writer->write(rows), qint64(5));
    // And through the bulk statement: 130 rows, the shared text in all but every tenth.
    rows.clear();
    for (int i = 10; i < 140; ++i) {
        rows.emplace_back(qint64(i));
        rows.push_back(i % 10 ? shared : SqlValue::text(u"other"));
    }
    QCOMPARE(*writer->write(rows), qint64(130));
    const QStringList stored = lines(QStringLiteral("shared"));
    QCOMPARE(stored.mid(0, 5), QStringList({ "1|BTC", "2|7", "3|BTC", "4|NULL", "5|BTC" }));
    QCOMPARE(stored.size(), 135);
    for (int i = 10; i < 140; ++i)
        QCOMPARE(stored.at(i - 5), QStringLiteral("%1|%2").arg(i).arg(i % 10 ? "BTC" : "other"));
}

void TestTableWriter::ignoreKeepsTheFirstReplaceTheLast()
{
    Result<TableWriter> ignore = TableWriter::open(*m_connection, salesSpec(ConflictRule::Ignore));
    QVERIFY(ignore);
    QCOMPARE(*ignore->write(salesRows(3)), qint64(3));
    // Rows 2..4 again with other amounts: only row 4 is new, and a key twice in one write
    // keeps its first row too.
    std::vector<SqlValue> again = salesRows(3, 2, 100);
    const std::vector<SqlValue> four = salesRows(1, 4, 200);
    again.insert(again.end(), four.begin(), four.end());
    QCOMPARE(*ignore->write(again), qint64(1));
    QCOMPARE(lines(QStringLiteral("sales")),
        QStringList({ "1|1.5|eu", "2|3|us", "3|4.5|eu", "4|106|us" }));

    Result<TableWriter> replace =
        TableWriter::open(*m_connection, salesSpec(ConflictRule::Replace));
    QVERIFY(replace);
    QCOMPARE(*replace->write(again), qint64(4));
    QCOMPARE(lines(QStringLiteral("sales")),
        QStringList({ "1|1.5|eu", "2|103|us", "3|104.5|eu", "4|206|us" }));
}

// A trigger fails one row of 1000; it went in with 63 others in one statement, and the error
// still names it. Nothing of the write stays.
void TestTableWriter::failingRowInABulkStatementIsNamed()
{
    Result<TableWriter> writer = TableWriter::open(*m_connection, salesSpec());
    QVERIFY(writer);
    exec(QStringLiteral("CREATE TRIGGER fail_once BEFORE INSERT ON sales WHEN NEW.order_id = 700"
                        " BEGIN SELECT RAISE(ABORT, 'forced failure'); END"));
    const Result<qint64> stored = writer->write(salesRows(1000));
    QVERIFY(!stored);
    QVERIFY2(stored.error().what.contains(QStringLiteral("cannot insert into sales at row 700: "
                                                         "forced failure")),
        qPrintable(stored.error().message()));
    QVERIFY(lines(QStringLiteral("sales")).isEmpty());
    exec(QStringLiteral("DROP TRIGGER fail_once"));
    QCOMPARE(*writer->write(salesRows(1000)), qint64(1000));
    QCOMPARE(lines(QStringLiteral("sales")).size(), 1000);
}

void TestTableWriter::insertJoinsTheCallersTransaction()
{
    Result<TableWriter> writer = TableWriter::open(*m_connection, salesSpec());
    QVERIFY(writer);
    exec(QStringLiteral("BEGIN IMMEDIATE"));
    QCOMPARE(*writer->insert(salesRows(2)), qint64(2));
    exec(QStringLiteral("ROLLBACK"));
    QVERIFY(lines(QStringLiteral("sales")).isEmpty());

    // Values that do not make whole rows are refused.
    const std::vector<SqlValue> partial = { SqlValue(qint64(1)), SqlValue(2.0) };
    const Result<qint64> stored = writer->write(partial);
    QVERIFY(!stored);
    QVERIFY2(stored.error().what.contains(QStringLiteral("2 values do not make whole rows")),
        qPrintable(stored.error().message()));
}

QTEST_GUILESS_MAIN(TestTableWriter)
#include "tst_tablewriter.moc"
