// TableFilter, the one builder of a table view's SQL: the text it writes (names quoted, values
// as placeholders), names it refuses, hostile values bound as data on a real SQLite file (quotes,
// NUL, "'; DROP TABLE", LIKE's % and _), how values are bound, and keyset pages that read every
// row once in the view's order, forwards and backwards.

#include <algorithm>

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "storage/sqliteconnection.h"
#include "storage/tablefilter.h"

using namespace Sluice;

Q_DECLARE_METATYPE(TableCondition)
Q_DECLARE_METATYPE(TableCondition::Operator)
Q_DECLARE_METATYPE(std::optional<qint64>)

namespace {

using Op = TableCondition::Operator;

// A text with a NUL inside, as a user's paste or a hostile server may store it.
QString withNul()
{
    return QStringLiteral("nul") + QChar(0) + QStringLiteral("inside");
}

} // namespace

class TestTableFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void writesSql_data();
    void writesSql();
    void refusesUnknownNames_data();
    void refusesUnknownNames();
    void hostileValuesAreData_data();
    void hostileValuesAreData();
    void hostileNamesAreQuoted();
    void bindsOneWay_data();
    void bindsOneWay();
    void pagesReadEveryRowOnce_data();
    void pagesReadEveryRowOnce();

private:
    // The ids of the rows the filter selects on the notes table, in its order.
    QList<qint64> ids(const TableFilter &filter, const QString &extra = QString(),
        const QVariantList &extraValues = {}, bool reversed = false, int limit = -1);
    void exec(const QString &sql, const QVariantList &values = {});
    QStringList tables();

    std::unique_ptr<QTemporaryDir> m_dir;
    SqliteConnection m_db;
};

void TestTableFilter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    Result<SqliteConnection> db =
        SqliteConnection::open(m_dir->filePath(QStringLiteral("t.sqlite")), QStringLiteral("test"));
    QVERIFY2(db, qPrintable(db ? QString() : db.error().message()));
    m_db = std::move(*db);
    exec(QStringLiteral("CREATE TABLE notes (id INTEGER PRIMARY KEY, label TEXT, amount REAL)"));
    const QVariantList labels = { QStringLiteral("plain"), QStringLiteral("it's"),
        QStringLiteral("say \"hi\""), withNul(), QStringLiteral("'; DROP TABLE notes; --"),
        QStringLiteral("100%"), QStringLiteral("a_c"), QStringLiteral("abc"), QVariant() };
    for (int i = 0; i < labels.size(); ++i) {
        exec(QStringLiteral("INSERT INTO notes VALUES (?, ?, ?)"),
            { i + 1, labels[i], 0.5 + (i + 1) });
    }
}

void TestTableFilter::cleanup()
{
    m_db = SqliteConnection();
    m_dir.reset();
}

void TestTableFilter::exec(const QString &sql, const QVariantList &values)
{
    QSqlQuery query(m_db.database());
    QVERIFY2(query.prepare(sql), qPrintable(query.lastError().text()));
    for (const QVariant &value : values)
        query.addBindValue(value);
    QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
}

QStringList TestTableFilter::tables()
{
    QSqlQuery query(m_db.database());
    QStringList names;
    if (query.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"))) {
        while (query.next())
            names << query.value(0).toString();
    }
    names.sort();
    return names;
}

QList<qint64> TestTableFilter::ids(const TableFilter &filter, const QString &extra,
    const QVariantList &extraValues, bool reversed, int limit)
{
    // The last order column is the key (id) or rowid: either names the row.
    QSqlQuery query(m_db.database());
    const QString sql = QStringLiteral("SELECT ") + filter.orderList() + filter.from(extra)
        + filter.orderBy(reversed) + (limit < 0 ? QString() : QStringLiteral(" LIMIT ?"));
    if (!query.prepare(sql)) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return { -1 };
    }
    for (const QVariant &value : filter.bindings() + extraValues)
        query.addBindValue(value);
    if (limit >= 0)
        query.addBindValue(limit);
    if (!query.exec()) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return { -1 };
    }
    const int last = int(filter.orderColumns().size()) - 1;
    QList<qint64> found;
    while (query.next())
        found << query.value(last).toLongLong();
    return found;
}

void TestTableFilter::writesSql_data()
{
    QTest::addColumn<QStringList>("key");
    QTest::addColumn<QList<TableCondition>>("conditions");
    QTest::addColumn<std::optional<qint64>>("start");
    QTest::addColumn<std::optional<qint64>>("end");
    QTest::addColumn<QString>("sortColumn");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QVariantList>("bindings");
    QTest::addColumn<QString>("orderBy");
    QTest::addColumn<QString>("seekAfter");

    const QStringList key = { QStringLiteral("timeframe"), QStringLiteral("start_timestamp") };
    const std::optional<qint64> none;
    QTest::newRow("everything, key order")
        << key << QList<TableCondition>{} << none << none << "" << false << R"( FROM "t")"
        << QVariantList{} << R"( ORDER BY "timeframe" ASC, "start_timestamp" ASC)"
        << R"(("timeframe", "start_timestamp") > (?, ?))";
    QTest::newRow("a column, ties by the key, descending")
        << key << QList<TableCondition>{} << none << none << "price" << true << R"( FROM "t")"
        << QVariantList{} << R"( ORDER BY "price" DESC, "timeframe" DESC, "start_timestamp" DESC)"
        << R"(("price", "timeframe", "start_timestamp") < (?, ?, ?))";
    QTest::newRow("a key column leads, the rest of the key follows")
        << key << QList<TableCondition>{} << none << none << "start_timestamp" << false
        << R"( FROM "t")" << QVariantList{} << R"( ORDER BY "start_timestamp" ASC, "timeframe" ASC)"
        << R"(("start_timestamp", "timeframe") > (?, ?))";
    QTest::newRow("no key: rowid, bare")
        << QStringList{} << QList<TableCondition>{} << none << none << "price" << false
        << R"( FROM "t")" << QVariantList{} << R"( ORDER BY "price" ASC, rowid ASC)"
        << R"(("price", rowid) > (?, ?))";
    QTest::newRow("every operator, values as placeholders")
        << key
        << QList<TableCondition>{ { QStringLiteral("timeframe"), Op::Equal, QStringLiteral("5m") },
               { QStringLiteral("timeframe"), Op::NotEqual, QStringLiteral("1h") },
               { QStringLiteral("price"), Op::Less, 3.5 },
               { QStringLiteral("price"), Op::LessOrEqual, 4 },
               { QStringLiteral("price"), Op::Greater, qint64(-1) },
               { QStringLiteral("price"), Op::GreaterOrEqual, true },
               { QStringLiteral("timeframe"), Op::Like, QStringLiteral("%m") },
               { QStringLiteral("price"), Op::IsNull, QStringLiteral("ignored") },
               { QStringLiteral("price"), Op::IsNotNull, QVariant() } }
        << none << none << "" << false
        << R"( FROM "t" WHERE "timeframe" = ? AND "timeframe" <> ? AND "price" < ?)"
           R"( AND "price" <= ? AND "price" > ? AND "price" >= ? AND "timeframe" LIKE ?)"
           R"( AND "price" IS NULL AND "price" IS NOT NULL)"
        << QVariantList{ QStringLiteral("5m"), QStringLiteral("1h"), 3.5, qint64(4), qint64(-1),
               qint64(1), QStringLiteral("%m") }
        << R"( ORDER BY "timeframe" ASC, "start_timestamp" ASC)"
        << R"(("timeframe", "start_timestamp") > (?, ?))";
    QTest::newRow("a range, half open")
        << key << QList<TableCondition>{} << std::optional<qint64>(300)
        << std::optional<qint64>(900) << "" << true
        << R"( FROM "t" WHERE "start_timestamp" >= ? AND "start_timestamp" < ?)"
        << QVariantList{ qint64(300), qint64(900) }
        << R"( ORDER BY "timeframe" DESC, "start_timestamp" DESC)"
        << R"(("timeframe", "start_timestamp") < (?, ?))";
    const QString evil = QStringLiteral("x'; DROP TABLE t; --");
    QTest::newRow("a hostile value stays a value")
        << key << QList<TableCondition>{ { QStringLiteral("timeframe"), Op::Equal, evil } }
        << std::optional<qint64>(0) << none << "" << false
        << R"( FROM "t" WHERE "start_timestamp" >= ? AND "timeframe" = ?)"
        << QVariantList{ qint64(0), evil } << R"( ORDER BY "timeframe" ASC, "start_timestamp" ASC)"
        << R"(("timeframe", "start_timestamp") > (?, ?))";
    QTest::newRow("quotes in names are doubled")
        << QStringList{ QStringLiteral("k\"ey") }
        << QList<TableCondition>{ { QStringLiteral("we\"ird"), Op::Equal, 1 } } << none << none
        << "we\"ird" << false << R"( FROM "t" WHERE "we""ird" = ?)" << QVariantList{ qint64(1) }
        << R"( ORDER BY "we""ird" ASC, "k""ey" ASC)"
        << R"(("we""ird", "k""ey") > (?, ?))";
}

void TestTableFilter::writesSql()
{
    QFETCH(QStringList, key);
    QFETCH(QList<TableCondition>, conditions);
    QFETCH(std::optional<qint64>, start);
    QFETCH(std::optional<qint64>, end);
    QFETCH(QString, sortColumn);
    QFETCH(bool, descending);
    const QStringList columns = { QStringLiteral("timeframe"), QStringLiteral("start_timestamp"),
        QStringLiteral("price"), QStringLiteral("we\"ird"), QStringLiteral("k\"ey") };
    TableFilter filter(QStringLiteral("t"), columns, key);
    QVERIFY(filter.setRange(start, end));
    for (const TableCondition &condition : conditions)
        QVERIFY(filter.addCondition(condition));
    QVERIFY(filter.setOrder(sortColumn, descending ? Qt::DescendingOrder : Qt::AscendingOrder));
    QTEST(filter.from(), "from");
    QTEST(filter.bindings(), "bindings");
    QTEST(filter.orderBy(), "orderBy");
    QTEST(filter.seek(TableFilter::Seek::After), "seekAfter");
    // The same order read from its other end.
    QString reversed = filter.orderBy(true);
    const QString flipped = descending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    QCOMPARE(reversed.count(flipped), filter.orderColumns().size());
}

void TestTableFilter::refusesUnknownNames_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<bool>("asOrder"); // the order's column, else a condition's
    QTest::addColumn<QString>("message");
    const QString columns = QStringLiteral("its columns are id, label, amount");
    QTest::newRow("injected condition column")
        << "label; DROP TABLE notes; --" << false
        << "table notes has no column \"label; DROP TABLE notes; --\"; " + columns;
    QTest::newRow("quoted condition column")
        << "label\" OR 1=1 --" << false << "table notes has no column \"label\" OR 1=1 --\"";
    QTest::newRow("NUL in a column name")
        << QStringLiteral("label") + QChar(0) << false << "table notes has no column";
    QTest::newRow("a case variant is another name") << "LABEL" << false << "no column \"LABEL\"";
    QTest::newRow("rowid is no column to sort by") << "rowid" << true << "no column \"rowid\"";
    QTest::newRow("injected order column")
        << "amount DESC; DROP TABLE notes" << true << "no column \"amount DESC; DROP TABLE notes\"";
}

void TestTableFilter::refusesUnknownNames()
{
    QFETCH(QString, column);
    QFETCH(bool, asOrder);
    QFETCH(QString, message);
    TableFilter filter(QStringLiteral("notes"),
        { QStringLiteral("id"), QStringLiteral("label"), QStringLiteral("amount") },
        { QStringLiteral("id") });
    const QString from = filter.from();
    const QString orderBy = filter.orderBy();
    const Result<void> result = asOrder ? filter.setOrder(column, Qt::DescendingOrder)
                                        : filter.addCondition({ column, Op::Equal, 1 });
    QVERIFY(!result);
    QVERIFY2(result.error().what.contains(message), qPrintable(result.error().what));
    // Nothing of the refused part is kept.
    QCOMPARE(filter.from(), from);
    QCOMPARE(filter.orderBy(), orderBy);
    QVERIFY(filter.bindings().isEmpty());

    // A range needs start_timestamp.
    const Result<void> range = filter.setRange(0, 10);
    QVERIFY(!range);
    QCOMPARE(range.error().what,
        QStringLiteral("table notes has no start_timestamp column to limit a range on"));
    QVERIFY(filter.setRange(std::nullopt, std::nullopt));
    QCOMPARE(filter.from(), from);
}

void TestTableFilter::hostileValuesAreData_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<TableCondition::Operator>("op");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QList<qint64>>("ids");
    // Labels: 1 plain, 2 it's, 3 say "hi", 4 nul\0inside, 5 '; DROP TABLE notes; --, 6 100%,
    // 7 a_c, 8 abc, 9 NULL; amount = id + 0.5.
    const QString label = QStringLiteral("label");
    QTest::newRow("single quote") << label << Op::Equal << QVariant("it's") << QList<qint64>{ 2 };
    QTest::newRow("double quotes")
        << label << Op::Equal << QVariant("say \"hi\"") << QList<qint64>{ 3 };
    QTest::newRow("NUL inside") << label << Op::Equal << QVariant(withNul()) << QList<qint64>{ 4 };
    QTest::newRow("the text before a NUL is another text")
        << label << Op::Equal << QVariant("nul") << QList<qint64>{};
    QTest::newRow("a NUL alone") << label << Op::Equal << QVariant(QString(QChar(0)))
                                 << QList<qint64>{};
    QTest::newRow("DROP TABLE") << label << Op::Equal << QVariant("'; DROP TABLE notes; --")
                                << QList<qint64>{ 5 };
    QTest::newRow("OR 1=1") << label << Op::Equal << QVariant("x' OR '1'='1") << QList<qint64>{};
    QTest::newRow("not equal keeps NULL out")
        << label << Op::NotEqual << QVariant("'; DROP TABLE notes; --")
        << QList<qint64>{ 1, 2, 3, 4, 6, 7, 8 };
    QTest::newRow("contains a quote")
        << label << Op::Like << QVariant("%'%") << QList<qint64>{ 2, 5 };
    QTest::newRow("contains DROP TABLE")
        << label << Op::Like << QVariant("%drop table%") << QList<qint64>{ 5 };
    // "contains" is LIKE with the text bound: % and _ typed by the user stay wildcards.
    QTest::newRow("% is a wildcard") << label << Op::Like << QVariant("%0%%") << QList<qint64>{ 6 };
    QTest::newRow("_ is a wildcard")
        << label << Op::Like << QVariant("a_c") << QList<qint64>{ 7, 8 };
    QTest::newRow("LIKE ignores ASCII case")
        << label << Op::Like << QVariant("PLAIN") << QList<qint64>{ 1 };
    // Contains: the text as written; %, _ and \ in it match only themselves.
    QTest::newRow("contains %") << label << Op::Contains << QVariant("%") << QList<qint64>{ 6 };
    QTest::newRow("contains _") << label << Op::Contains << QVariant("_") << QList<qint64>{ 7 };
    QTest::newRow("contains a backslash")
        << label << Op::Contains << QVariant("\\") << QList<qint64>{};
    QTest::newRow("contains ignores ASCII case")
        << label << Op::Contains << QVariant("Drop") << QList<qint64>{ 5 };
    QTest::newRow("contains a quote too")
        << label << Op::Contains << QVariant("'") << QList<qint64>{ 2, 5 };
    QTest::newRow("outside") << "amount" << Op::Outside << QVariant(QVariantList{ 2.5, 8.5 })
                             << QList<qint64>{ 1, 8, 9 };
    QTest::newRow("is null") << label << Op::IsNull << QVariant() << QList<qint64>{ 9 };
    QTest::newRow("is not null") << label << Op::IsNotNull << QVariant()
                                 << QList<qint64>{ 1, 2, 3, 4, 5, 6, 7, 8 };
    QTest::newRow("number") << "amount" << Op::Less << QVariant(3.0) << QList<qint64>{ 1, 2 };
    QTest::newRow("SQL in a number column")
        << "amount" << Op::Greater << QVariant("0 OR 1=1") << QList<qint64>{};
    QTest::newRow("null value matches nothing")
        << label << Op::Equal << QVariant() << QList<qint64>{};
}

void TestTableFilter::hostileValuesAreData()
{
    QFETCH(QString, column);
    QFETCH(TableCondition::Operator, op);
    QFETCH(QVariant, value);
    QFETCH(QList<qint64>, ids);
    TableFilter filter(QStringLiteral("notes"),
        { QStringLiteral("id"), QStringLiteral("label"), QStringLiteral("amount") },
        { QStringLiteral("id") });
    QVERIFY(filter.addCondition({ column, op, value }));
    QCOMPARE(this->ids(filter), ids);
    QCOMPARE(tables(), QStringList{ QStringLiteral("notes") });
    // Every row is still there.
    QCOMPARE(this->ids(TableFilter(QStringLiteral("notes"), { QStringLiteral("id") },
                           { QStringLiteral("id") }))
                 .size(),
        9);
}

void TestTableFilter::hostileNamesAreQuoted()
{
    const QString table = QStringLiteral("x\"; DROP TABLE notes; --");
    const QString column = QStringLiteral("a\"b");
    exec(QStringLiteral("CREATE TABLE ") + TableFilter::quoted(table) + QStringLiteral(" (")
        + TableFilter::quoted(column) + QStringLiteral(" TEXT PRIMARY KEY, n INTEGER)"));
    exec(QStringLiteral("INSERT INTO ") + TableFilter::quoted(table)
            + QStringLiteral(" VALUES (?, 1), (?, 2), (?, 3)"),
        { QStringLiteral("k1"), QStringLiteral("k2"), QStringLiteral("k3") });
    TableFilter filter(table, { column, QStringLiteral("n") }, { column });
    QVERIFY(filter.addCondition({ QStringLiteral("n"), Op::GreaterOrEqual, 2 }));
    QVERIFY(filter.setOrder(QStringLiteral("n"), Qt::DescendingOrder));
    QSqlQuery query(m_db.database());
    const QString sql = QStringLiteral("SELECT ") + TableFilter::quotedList({ column })
        + filter.from() + filter.orderBy();
    QVERIFY2(query.prepare(sql), qPrintable(sql + QStringLiteral(": ") + query.lastError().text()));
    for (const QVariant &value : filter.bindings())
        query.addBindValue(value);
    QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    QStringList keys;
    while (query.next())
        keys << query.value(0).toString();
    QCOMPARE(keys, (QStringList{ QStringLiteral("k3"), QStringLiteral("k2") }));
    QCOMPARE(tables(), (QStringList{ QStringLiteral("notes"), table }));
}

void TestTableFilter::bindsOneWay_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QVariant>("bound");
    QTest::addColumn<QString>("sqliteType");
    QTest::newRow("invalid") << QVariant() << QVariant() << "null";
    QTest::newRow("bool") << QVariant(true) << QVariant(qint64(1)) << "integer";
    QTest::newRow("int") << QVariant(-7) << QVariant(qint64(-7)) << "integer";
    QTest::newRow("uint") << QVariant(7u) << QVariant(qint64(7)) << "integer";
    QTest::newRow("long long") << QVariant(qint64(1) << 53) << QVariant(qint64(1) << 53)
                               << "integer";
    QTest::newRow("double") << QVariant(2.5) << QVariant(2.5) << "real";
    QTest::newRow("float") << QVariant(2.5f) << QVariant(2.5) << "real";
    QTest::newRow("unsigned long long")
        << QVariant(quint64(1) << 63) << QVariant(9223372036854775808.0) << "real";
    QTest::newRow("text") << QVariant("5m") << QVariant("5m") << "text";
    // The Qt driver binds a null QString as NULL, sqlite3_bind_text as '': both get ''.
    QTest::newRow("null text") << QVariant(QString()) << QVariant(QStringLiteral("")) << "text";
    QTest::newRow("bytes") << QVariant(QByteArray("\x01\x02", 2))
                           << QVariant(QByteArray("\x01\x02", 2)) << "blob";
    QTest::newRow("null bytes") << QVariant(QByteArray()) << QVariant(QByteArray("")) << "blob";
    QTest::newRow("date time") << QVariant(QDateTime::fromSecsSinceEpoch(0, Qt::UTC))
                               << QVariant(QStringLiteral("1970-01-01T00:00:00.000Z")) << "text";
}

void TestTableFilter::bindsOneWay()
{
    QFETCH(QVariant, value);
    QFETCH(QVariant, bound);
    QFETCH(QString, sqliteType);
    const QVariant made = TableFilter::bindable(value);
    QCOMPARE(made.typeId(), bound.typeId());
    QCOMPARE(made, bound);
    QSqlQuery query(m_db.database());
    QVERIFY(query.prepare(QStringLiteral("SELECT typeof(?)")));
    query.addBindValue(made);
    QVERIFY2(query.exec() && query.next(), qPrintable(query.lastError().text()));
    QCOMPARE(query.value(0).toString(), sqliteType);
}

void TestTableFilter::pagesReadEveryRowOnce_data()
{
    QTest::addColumn<bool>("keyed"); // the table has a key, else rows go by rowid
    QTest::addColumn<QString>("sortColumn");
    QTest::addColumn<bool>("descending");
    for (const bool keyed : { true, false }) {
        for (const char *sort : { "", "amount" }) {
            for (const bool descending : { false, true }) {
                QTest::addRow("%s, by %s, %s", keyed ? "key" : "rowid", *sort ? sort : "key",
                    descending ? "descending" : "ascending")
                    << keyed << QString::fromLatin1(sort) << descending;
            }
        }
    }
}

void TestTableFilter::pagesReadEveryRowOnce()
{
    QFETCH(bool, keyed);
    QFETCH(QString, sortColumn);
    QFETCH(bool, descending);
    // 40 rows, amounts with many ties, inserted out of order; rowid = id.
    exec(keyed ? QStringLiteral("CREATE TABLE entries (id INTEGER PRIMARY KEY, amount REAL)")
               : QStringLiteral("CREATE TABLE entries (amount REAL)"));
    QList<QPair<double, qint64>> expected; // (amount, id)
    for (qint64 i = 0; i < 40; ++i) {
        const qint64 id = (i * 17) % 40 + 1;
        const double amount = double(id % 7);
        if (keyed)
            exec(QStringLiteral("INSERT INTO entries VALUES (?, ?)"), { id, amount });
        else
            exec(QStringLiteral("INSERT INTO entries (rowid, amount) VALUES (?, ?)"),
                { id, amount });
        if (amount >= 1)
            expected.append({ sortColumn.isEmpty() ? 0.0 : amount, id });
    }
    std::sort(expected.begin(), expected.end());
    if (descending)
        std::reverse(expected.begin(), expected.end());
    QList<qint64> order;
    for (const auto &[amount, id] : expected)
        order << id;

    const QStringList columns = keyed
        ? QStringList{ QStringLiteral("id"), QStringLiteral("amount") }
        : QStringList{ QStringLiteral("amount") };
    TableFilter filter(QStringLiteral("entries"), columns,
        keyed ? QStringList{ QStringLiteral("id") } : QStringList{});
    QVERIFY(filter.addCondition({ QStringLiteral("amount"), Op::GreaterOrEqual, 1 }));
    QVERIFY(filter.setOrder(sortColumn, descending ? Qt::DescendingOrder : Qt::AscendingOrder));
    QCOMPARE(ids(filter), order);

    // The order key of a row, as the reader keeps it: the order columns' values.
    auto keyOf = [&](qint64 id) {
        QVariantList key;
        if (!sortColumn.isEmpty())
            key << double(id % 7);
        key << id;
        return key;
    };
    constexpr int Page = 3;
    QList<qint64> forward = ids(filter, QString(), {}, false, Page);
    while (!forward.isEmpty() && forward.size() % Page == 0) {
        const QList<qint64> next =
            ids(filter, filter.seek(TableFilter::Seek::After), keyOf(forward.last()), false, Page);
        if (next.isEmpty())
            break;
        forward += next;
    }
    QCOMPARE(forward, order);

    QList<qint64> backward = ids(filter, QString(), {}, true, Page);
    while (!backward.isEmpty()) {
        const QList<qint64> previous =
            ids(filter, filter.seek(TableFilter::Seek::Before), keyOf(backward.last()), true, Page);
        if (previous.isEmpty())
            break;
        backward += previous;
    }
    std::reverse(backward.begin(), backward.end());
    QCOMPARE(backward, order);

    // At or after a row starts with that row.
    const qint64 middle = order.at(order.size() / 2);
    QCOMPARE(ids(filter, filter.seek(TableFilter::Seek::AtOrAfter), keyOf(middle), false, 1),
        QList<qint64>{ middle });

    // In its run (the rows of its sort value): at or after the row, and before it backward.
    if (sortColumn.isEmpty()) {
        QCOMPARE(filter.seekInRun(TableFilter::Seek::AtOrAfter), QString());
        return;
    }
    // A row inside its run, from the middle on.
    qsizetype at = order.indexOf(middle);
    while (at + 2 < order.size()
        && (order[at - 1] % 7 != order[at] % 7 || order[at + 1] % 7 != order[at] % 7))
        ++at;
    const qint64 row = order[at];
    QList<qint64> run;
    for (qsizetype i = at; i < order.size() && order[i] % 7 == row % 7; ++i)
        run << order[i];
    QList<qint64> before;
    for (qsizetype i = at - 1; i >= 0 && order[i] % 7 == row % 7; --i)
        before << order[i];
    QVERIFY(run.size() > 1 && !before.isEmpty());
    QCOMPARE(ids(filter, filter.seekInRun(TableFilter::Seek::AtOrAfter), keyOf(row)), run);
    QCOMPARE(ids(filter, filter.seekInRun(TableFilter::Seek::After), keyOf(row)), run.mid(1));
    QCOMPARE(ids(filter, filter.seekInRun(TableFilter::Seek::Before), keyOf(row), true), before);
}

QTEST_MAIN(TestTableFilter)
#include "tst_tablefilter.moc"
