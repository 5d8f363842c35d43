// The warehouse writer over real SQLite files: exact table contents, first write wins on
// re-loads, the clean table always the join of the stored raw rows, one transaction a batch (a
// failing or locked batch leaves none of its rows), progress, cancellation, and the read
// helpers the flows use.

#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

#include "storage/sqliteconnection.h"
#include "storage/warehouse.h"
#include "storage/warehousewriter.h"
#include "transform/seriesmerge.h"

using namespace Sluice;

namespace {

constexpr qint64 Day0 = 1704067200; // 2024-01-01T00:00:00Z

qint64 slot(qint64 index)
{
    return Day0 + index * 300;
}

// `count` slots from Day0, every value distinct; the price is missing where index % 7 == 3.
SlotRows makeRows(qint64 count, qint64 from = 0, double offset = 0)
{
    SlotRows rows;
    for (qint64 i = from; i < from + count; ++i) {
        const double price = 67000.25 + double(i) + offset;
        const double hashRate = 7.365750402566894e+20 + double(i) * 1e12 + offset;
        const double difficulty = 72006146478567.1 + double(i / 10) + offset;
        if (i % 7 != 3)
            rows.prices.push_back({ slot(i), price });
        rows.hashRates.push_back({ slot(i), hashRate });
        rows.difficulties.push_back({ slot(i), difficulty });
    }
    return rows;
}

// The clean rows the raw rows of `rows` join to.
std::vector<CleanRow> cleanOf(const SlotRows &rows)
{
    return SeriesMerge::cleanRows(rows.prices, rows.hashRates, rows.difficulties);
}

QString cell(const QVariant &value)
{
    if (value.typeId() == QMetaType::Double)
        return QString::number(value.toDouble(), 'g', 17);
    return value.toString();
}

QString number(double value)
{
    return QString::number(value, 'g', 17);
}

// The rows a load of `rows` must leave in each table, in the tables' column order.
QStringList expectedLines(const SlotRows &rows, WarehouseTable table)
{
    const SeriesKey &k = rows.key;
    QStringList lines;
    switch (table) {
    case WarehouseTable::Price:
        for (const SlotValue &r : rows.prices)
            lines << QStringList{ k.coin, k.currency, k.timeframe,
                QString::number(r.startTimestamp), number(r.value) }
                         .join(u'|');
        break;
    case WarehouseTable::HashRate:
        for (const SlotValue &r : rows.hashRates)
            lines << QStringList{ k.network, k.timeframe, QString::number(r.startTimestamp),
                number(r.value) }
                         .join(u'|');
        break;
    case WarehouseTable::Difficulty:
        for (const SlotValue &r : rows.difficulties)
            lines << QStringList{ k.network, k.timeframe, QString::number(r.startTimestamp),
                number(r.value) }
                         .join(u'|');
        break;
    case WarehouseTable::Clean:
        for (const CleanRow &r : cleanOf(rows))
            lines << QStringList{ k.timeframe, QString::number(r.startTimestamp), number(r.price),
                number(r.hashRate), number(r.difficulty) }
                         .join(u'|');
        break;
    }
    return lines;
}

constexpr WarehouseTable allTables[] = { WarehouseTable::Price, WarehouseTable::HashRate,
    WarehouseTable::Difficulty, WarehouseTable::Clean };

} // namespace

class TestWarehouseWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void loadStoresExactRows_data();
    void loadStoresExactRows();
    void otherKeysAreStoredAndSeparate();
    void reloadChangesNothing();
    void overlappingLoadAddsOnlyNewSlots();
    void cleanRowsJoinStoredRawRows();
    void batchesAndProgress_data();
    void batchesAndProgress();
    void failingBatchRollsBack();
    void lockedDatabaseFailsTheBatch();
    void cancelledBetweenBatches();
    void badInputWritesNothing_data();
    void badInputWritesNothing();
    void lastSlotAndHasSlot();
    void openCreatesTheSchema();
    void openRefusesNonDatabase();
    void openRefusesAChangedTable();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("warehouse.sqlite")); }
    QStringList lines(WarehouseTable table) const;
    void exec(const QString &sql) const;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestWarehouseWriter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

// The whole table, read on a connection of its own, in key order.
QStringList TestWarehouseWriter::lines(WarehouseTable table) const
{
    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test-read"));
    if (!db)
        return { db.error().message() };
    QSqlQuery query(db->database());
    QStringList result;
    if (!query.exec(
            QStringLiteral("SELECT * FROM %1 ORDER BY %2")
                .arg(WarehouseWriter::tableName(table),
                    table == WarehouseTable::Clean ? QStringLiteral("timeframe, start_timestamp")
                        : table == WarehouseTable::Price
                        ? QStringLiteral("coin, currency, timeframe, start_timestamp")
                        : QStringLiteral("network, timeframe, start_timestamp"))))
        return { QStringLiteral("query failed") };
    while (query.next()) {
        QStringList cells;
        for (int i = 0; i < query.record().count(); ++i)
            cells << cell(query.value(i));
        result << cells.join(u'|');
    }
    return result;
}

void TestWarehouseWriter::exec(const QString &sql) const
{
    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test-exec"));
    QVERIFY(db);
    const Result<void> ok = db->exec(sql);
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message()));
}

void TestWarehouseWriter::loadStoresExactRows_data()
{
    // The writer inserts 64 rows a statement and the rest one by one: sizes around that.
    QTest::addColumn<int>("slotCount");
    QTest::newRow("5") << 5;
    QTest::newRow("64") << 64;
    QTest::newRow("65") << 65;
    QTest::newRow("200") << 200;
    QTest::newRow("2000") << 2000;
}

void TestWarehouseWriter::loadStoresExactRows()
{
    QFETCH(int, slotCount);
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY2(writer, qPrintable(writer ? QString() : writer.error().message()));
    const SlotRows rows = makeRows(slotCount); // price gaps at 3, 10, 17...
    const Result<WarehouseWriter::Counts> counts = writer->load(rows);
    QVERIFY2(counts, qPrintable(counts ? QString() : counts.error().message()));
    QCOMPARE(*counts,
        (WarehouseWriter::Counts{
            qint64(rows.prices.size()), slotCount, slotCount, qint64(cleanOf(rows).size()) }));
    QVERIFY(rows.prices.size() < std::size_t(slotCount));

    // Spelled out for one row of each table, then all rows against the input.
    QCOMPARE(
        lines(WarehouseTable::Price).first(), QStringLiteral("BTC|USD|5m|1704067200|67000.25"));
    QCOMPARE(lines(WarehouseTable::HashRate).first(),
        QStringLiteral("BTC|5m|1704067200|7.3657504025668944e+20"));
    QCOMPARE(lines(WarehouseTable::Difficulty).at(4),
        QStringLiteral("BTC|5m|1704068400|72006146478567.094"));
    QCOMPARE(lines(WarehouseTable::Clean).at(1),
        QStringLiteral("5m|1704067500|67001.25|7.365750412566895e+20|72006146478567.094"));
    QVERIFY(!lines(WarehouseTable::Price).join(u';').contains(QStringLiteral("|1704068100|")));
    for (const WarehouseTable table : allTables)
        QCOMPARE(lines(table), expectedLines(rows, table));
}

void TestWarehouseWriter::otherKeysAreStoredAndSeparate()
{
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(writer);
    SlotRows btc = makeRows(3);
    SlotRows eth = makeRows(3, 0, 0.5);
    eth.key = { QStringLiteral("1h"), QStringLiteral("ETH"), QStringLiteral("EUR"),
        QStringLiteral("ETH") };
    QCOMPARE(writer->load(btc)->total(), qint64(12));
    // Same slots, other key: all new rows.
    QCOMPARE(writer->load(eth)->total(), qint64(12));
    for (const WarehouseTable table : allTables) {
        // Key order: "BTC" before "ETH", but timeframe "1h" before "5m".
        const QStringList expected = table == WarehouseTable::Clean
            ? expectedLines(eth, table) + expectedLines(btc, table)
            : expectedLines(btc, table) + expectedLines(eth, table);
        QCOMPARE(lines(table), expected);
    }
}

void TestWarehouseWriter::reloadChangesNothing()
{
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(writer);
    const SlotRows rows = makeRows(500);
    QVERIFY(writer->load(rows));
    QStringList before[4];
    for (const WarehouseTable table : allTables)
        before[int(table)] = lines(table);

    // The same slots with other values: first write wins, nothing is inserted or changed.
    const Result<WarehouseWriter::Counts> again = writer->load(makeRows(500, 0, 1000.0));
    QVERIFY(again);
    QCOMPARE(*again, WarehouseWriter::Counts{});
    QVERIFY(writer->load(rows));
    for (const WarehouseTable table : allTables)
        QCOMPARE(lines(table), before[int(table)]);
}

void TestWarehouseWriter::overlappingLoadAddsOnlyNewSlots()
{
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(writer);
    QVERIFY(writer->load(makeRows(200)));
    // Slots 100..299 with other values: 100..199 stay, 200..299 arrive.
    const Result<WarehouseWriter::Counts> counts = writer->load(makeRows(200, 100, 1000.0));
    QVERIFY(counts);
    SlotRows expected = makeRows(200);
    const SlotRows added = makeRows(100, 200, 1000.0);
    QCOMPARE(*counts,
        (WarehouseWriter::Counts{
            qint64(added.prices.size()), 100, 100, qint64(cleanOf(added).size()) }));
    expected.prices.insert(expected.prices.end(), added.prices.begin(), added.prices.end());
    expected.hashRates.insert(
        expected.hashRates.end(), added.hashRates.begin(), added.hashRates.end());
    expected.difficulties.insert(
        expected.difficulties.end(), added.difficulties.begin(), added.difficulties.end());
    for (const WarehouseTable table : allTables)
        QCOMPARE(lines(table), expectedLines(expected, table));
}

// Late klines: the first load has price gaps, a later one fills them with hash rates and
// difficulties recomputed to other values. The raw rows keep their first values, and the clean
// rows of the filled slots join those stored values, not the later load's. Then a slot whose
// price arrives before its hash rate and difficulty, and one whose price arrives after them.
// At the end clean = join(raw), both ways.
void TestWarehouseWriter::cleanRowsJoinStoredRawRows()
{
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(writer);
    const SlotRows first = makeRows(20); // price gaps at slots 3, 10, 17
    QVERIFY(writer->load(first));

    SlotRows late = makeRows(20, 0, 1000.0);
    late.prices.clear();
    for (qint64 i = 0; i < 20; ++i)
        late.prices.push_back({ slot(i), 67000.25 + double(i) + 1000.0 });
    WarehouseWriter::LoadOptions options;
    options.batchSlots = 4; // slots 3, 10 and 17 in different batches
    const Result<WarehouseWriter::Counts> counts = writer->load(late, options);
    QVERIFY2(counts, qPrintable(counts ? QString() : counts.error().message()));
    QCOMPARE(*counts, (WarehouseWriter::Counts{ 3, 0, 0, 3 }));

    SlotRows stored = first; // the first values, and the late prices in the gaps
    for (const std::size_t gap : { 3, 10, 17 })
        stored.prices.push_back(late.prices[gap]);
    std::sort(stored.prices.begin(), stored.prices.end(),
        [](const SlotValue &a, const SlotValue &b) { return a.startTimestamp < b.startTimestamp; });
    for (const WarehouseTable table : allTables)
        QCOMPARE(lines(table), expectedLines(stored, table));
    // Spelled out: slot 3's clean row has the late price and the first hash rate.
    QCOMPARE(lines(WarehouseTable::Clean).at(3),
        QStringLiteral("5m|1704068100|68003.25|%1|%2")
            .arg(number(first.hashRates[3].value), number(first.difficulties[3].value)));

    // Slot 20's price alone: no clean row; its hash rate and difficulty later: the clean row
    // joins the price stored first.
    SlotRows priceOnly;
    priceOnly.prices.push_back({ slot(20), 1.5 });
    QCOMPARE(*writer->load(priceOnly), (WarehouseWriter::Counts{ 1, 0, 0, 0 }));
    QCOMPARE(*writer->load(makeRows(1, 20)), (WarehouseWriter::Counts{ 0, 1, 1, 1 }));
    QCOMPARE(lines(WarehouseTable::Clean).last(),
        QStringLiteral("5m|1704073200|1.5|%1|%2")
            .arg(number(makeRows(1, 20).hashRates[0].value),
                number(makeRows(1, 20).difficulties[0].value)));

    // Slot 21's hash rate and difficulty first, then its price alone: the clean row joins the
    // stored hash rate and difficulty.
    SlotRows rates;
    rates.hashRates.push_back({ slot(21), 7.5e20 });
    rates.difficulties.push_back({ slot(21), 8.5e13 });
    QCOMPARE(*writer->load(rates), (WarehouseWriter::Counts{ 0, 1, 1, 0 }));
    SlotRows price21;
    price21.prices.push_back({ slot(21), 2.5 });
    QCOMPARE(*writer->load(price21), (WarehouseWriter::Counts{ 1, 0, 0, 1 }));
    QCOMPARE(lines(WarehouseTable::Clean).last(),
        QStringLiteral("5m|1704073500|2.5|%1|%2").arg(number(7.5e20), number(8.5e13)));

    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test-join"));
    QVERIFY(db);
    const QString join = QStringLiteral(
        "SELECT p.timeframe, p.start_timestamp, p.price, h.hash_rate, d.difficulty"
        " FROM coin_price p JOIN network_hash_rate h ON h.network = p.coin"
        " AND h.timeframe = p.timeframe AND h.start_timestamp = p.start_timestamp"
        " JOIN network_difficulty d ON d.network = p.coin AND d.timeframe = p.timeframe"
        " AND d.start_timestamp = p.start_timestamp");
    const QString clean = QStringLiteral("SELECT * FROM btc_usd_price_with_net_stat");
    for (const QString &sql :
        { join + QStringLiteral(" EXCEPT ") + clean, clean + QStringLiteral(" EXCEPT ") + join }) {
        QSqlQuery query(db->database());
        QVERIFY(query.exec(sql));
        QVERIFY2(!query.next(), qPrintable(sql));
    }
}

void TestWarehouseWriter::batchesAndProgress_data()
{
    QTest::addColumn<int>("slotCount");
    QTest::addColumn<int>("batchSlots");
    QTest::addColumn<QList<qint64>>("done"); // slotsDone after each batch
    QTest::newRow("uneven") << 10 << 3 << QList<qint64>{ 3, 6, 9, 10 };
    QTest::newRow("one batch exactly") << 10 << 10 << QList<qint64>{ 10 };
    QTest::newRow("batch larger than the load") << 10 << 100 << QList<qint64>{ 10 };
    QTest::newRow("one slot a batch") << 3 << 1 << QList<qint64>{ 1, 2, 3 };
    QTest::newRow("nothing to load") << 0 << 5 << QList<qint64>{};
    QTest::newRow("zero batch size means one") << 2 << 0 << QList<qint64>{ 1, 2 };
    QTest::newRow("several statements a batch") << 300 << 130 << QList<qint64>{ 130, 260, 300 };
}

void TestWarehouseWriter::batchesAndProgress()
{
    QFETCH(int, slotCount);
    QFETCH(int, batchSlots);
    QFETCH(QList<qint64>, done);
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(writer);
    QList<WarehouseWriter::Progress> reports;
    WarehouseWriter::LoadOptions options;
    options.batchSlots = batchSlots;
    options.progressed = [&](const WarehouseWriter::Progress &p) { reports << p; };
    const Result<WarehouseWriter::Counts> counts = writer->load(makeRows(slotCount), options);
    QVERIFY(counts);
    QList<qint64> reportedDone;
    for (const WarehouseWriter::Progress &p : reports) {
        reportedDone << p.slotsDone;
        QCOMPARE(p.slotsTotal, qint64(slotCount));
    }
    QCOMPARE(reportedDone, done);
    if (!reports.isEmpty())
        QCOMPARE(reports.last().inserted, *counts);
    QCOMPARE(counts->hashRates, qint64(slotCount));
}

// A trigger fails the insert of one difficulty row in the second batch, after that batch's
// price and hash rate rows went in: the whole batch must be gone, the first batch stays.
void TestWarehouseWriter::failingBatchRollsBack()
{
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(writer);
    exec(QStringLiteral("CREATE TRIGGER fail_once BEFORE INSERT ON network_difficulty"
                        " WHEN NEW.start_timestamp = %1"
                        " BEGIN SELECT RAISE(ABORT, 'forced failure'); END")
             .arg(slot(150)));
    const SlotRows rows = makeRows(300);
    WarehouseWriter::LoadOptions options;
    options.batchSlots = 100;
    int batches = 0;
    options.progressed = [&](const WarehouseWriter::Progress &) { ++batches; };
    const Result<WarehouseWriter::Counts> counts = writer->load(rows, options);
    QVERIFY(!counts);
    const QString message = counts.error().message();
    QVERIFY2(message.contains(QStringLiteral("network_difficulty")), qPrintable(message));
    // The row at fault is named, though it went in with 63 others in one statement.
    QVERIFY2(message.contains(QStringLiteral("at slot %1:").arg(slot(150))), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("forced failure")), qPrintable(message));
    QCOMPARE(counts.error().where, path());
    QCOMPARE(batches, 1);

    const SlotRows firstBatch = makeRows(100);
    for (const WarehouseTable table : allTables)
        QCOMPARE(lines(table), expectedLines(firstBatch, table));

    // Without the fault the rest loads, and the tables equal one clean load.
    exec(QStringLiteral("DROP TRIGGER fail_once"));
    const Result<WarehouseWriter::Counts> rest = writer->load(rows, options);
    QVERIFY(rest);
    QCOMPARE(rest->hashRates, qint64(200));
    for (const WarehouseTable table : allTables)
        QCOMPARE(lines(table), expectedLines(rows, table));
}

// Another connection takes the write lock between the first and the second batch.
void TestWarehouseWriter::lockedDatabaseFailsTheBatch()
{
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(writer);
    writer->setBusyTimeout(100);
    Result<SqliteConnection> other = SqliteConnection::open(path(), QStringLiteral("test-lock"));
    QVERIFY(other);

    const SlotRows rows = makeRows(200);
    WarehouseWriter::LoadOptions options;
    options.batchSlots = 100;
    bool locked = false;
    options.progressed = [&](const WarehouseWriter::Progress &) {
        if (!locked)
            locked = bool(other->exec(QStringLiteral("BEGIN IMMEDIATE")));
    };
    const Result<WarehouseWriter::Counts> counts = writer->load(rows, options);
    QVERIFY(locked);
    QVERIFY(!counts);
    QVERIFY2(counts.error().what.contains(QStringLiteral("locked")),
        qPrintable(counts.error().message()));
    QVERIFY(other->exec(QStringLiteral("ROLLBACK")));

    const SlotRows firstBatch = makeRows(100);
    for (const WarehouseTable table : allTables)
        QCOMPARE(lines(table), expectedLines(firstBatch, table));

    // Once the lock is gone the same load completes.
    QVERIFY(writer->load(rows));
    for (const WarehouseTable table : allTables)
        QCOMPARE(lines(table), expectedLines(rows, table));
}

void TestWarehouseWriter::cancelledBetweenBatches()
{
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(writer);
    WarehouseWriter::LoadOptions options;
    options.batchSlots = 10;
    int batches = 0;
    options.progressed = [&](const WarehouseWriter::Progress &) { ++batches; };
    options.isCancelled = [&] { return batches >= 2; };
    const Result<WarehouseWriter::Counts> counts = writer->load(makeRows(35), options);
    QVERIFY(!counts);
    QVERIFY2(counts.error().what.contains(QStringLiteral("cancelled after 20 of 35 slots")),
        qPrintable(counts.error().message()));
    const SlotRows done = makeRows(20);
    for (const WarehouseTable table : allTables)
        QCOMPARE(lines(table), expectedLines(done, table));
}

void TestWarehouseWriter::badInputWritesNothing_data()
{
    QTest::addColumn<int>("fault");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("reason");
    QTest::newRow("prices out of order") << 0 << "coin_price"
                                         << "not in slot order";
    QTest::newRow("hash rate NaN") << 1 << "network_hash_rate"
                                   << "not a finite number";
    QTest::newRow("difficulty infinite") << 2 << "network_difficulty"
                                         << "not a finite number";
}

void TestWarehouseWriter::badInputWritesNothing()
{
    QFETCH(int, fault);
    QFETCH(QString, table);
    QFETCH(QString, reason);
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(writer);
    SlotRows rows = makeRows(30);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    switch (fault) {
    case 0:
        std::swap(rows.prices[20], rows.prices[21]);
        break;
    case 1:
        rows.hashRates[25].value = nan;
        break;
    default:
        rows.difficulties[29].value = std::numeric_limits<double>::infinity();
    }
    WarehouseWriter::LoadOptions options;
    options.batchSlots = 5;
    const Result<WarehouseWriter::Counts> counts = writer->load(rows, options);
    QVERIFY(!counts);
    QVERIFY2(counts.error().what.contains(table), qPrintable(counts.error().message()));
    QVERIFY2(counts.error().what.contains(reason), qPrintable(counts.error().message()));
    for (const WarehouseTable t : allTables)
        QVERIFY(lines(t).isEmpty());
}

void TestWarehouseWriter::lastSlotAndHasSlot()
{
    Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(writer);
    for (const WarehouseTable table : allTables) {
        const Result<std::optional<qint64>> last = writer->lastSlot(table);
        QVERIFY(last);
        QVERIFY(!last->has_value());
        QCOMPARE(*writer->hasSlot(table, slot(0)), false);
    }
    QVERIFY(writer->load(makeRows(11))); // slots 0..10, price gaps at 3 and 10
    QCOMPARE(writer->lastSlot(WarehouseTable::Price)->value(), slot(9));
    QCOMPARE(writer->lastSlot(WarehouseTable::HashRate)->value(), slot(10));
    QCOMPARE(writer->lastSlot(WarehouseTable::Difficulty)->value(), slot(10));
    QCOMPARE(writer->lastSlot(WarehouseTable::Clean)->value(), slot(9));

    QCOMPARE(*writer->hasSlot(WarehouseTable::Price, slot(2)), true);
    QCOMPARE(*writer->hasSlot(WarehouseTable::Price, slot(3)), false);
    QCOMPARE(*writer->hasSlot(WarehouseTable::Clean, slot(3)), false);
    QCOMPARE(*writer->hasSlot(WarehouseTable::HashRate, slot(3)), true);
    QCOMPARE(*writer->hasSlot(WarehouseTable::Difficulty, slot(11)), false);
    QCOMPARE(*writer->hasSlot(WarehouseTable::HashRate, slot(3) + 1), false);

    // Another key sees nothing.
    SeriesKey hourly;
    hourly.timeframe = QStringLiteral("1h");
    SeriesKey eth;
    eth.coin = QStringLiteral("ETH");
    eth.network = QStringLiteral("ETH");
    for (const WarehouseTable table : allTables) {
        QVERIFY(!writer->lastSlot(table, hourly)->has_value());
        QCOMPARE(*writer->hasSlot(table, slot(0), hourly), false);
    }
    QVERIFY(!writer->lastSlot(WarehouseTable::Price, eth)->has_value());
    QVERIFY(!writer->lastSlot(WarehouseTable::HashRate, eth)->has_value());
    // The clean table has no coin or network: the timeframe alone selects it.
    QCOMPARE(writer->lastSlot(WarehouseTable::Clean, eth)->value(), slot(9));
}

void TestWarehouseWriter::openCreatesTheSchema()
{
    {
        Result<WarehouseWriter> writer = WarehouseWriter::open(path());
        QVERIFY(writer);
        QCOMPARE(writer->path(), path());
    }
    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test"));
    QVERIFY(db);
    QSqlQuery query(db->database());
    QVERIFY(query.exec(QStringLiteral("PRAGMA user_version")) && query.next());
    QCOMPARE(query.value(0).toInt(), Warehouse::SchemaVersion);
    // The writer is movable: statements follow their connection.
    Result<WarehouseWriter> first = WarehouseWriter::open(path());
    QVERIFY(first);
    WarehouseWriter moved = std::move(*first);
    QCOMPARE(moved.load(makeRows(2))->hashRates, qint64(2));
    Result<WarehouseWriter> second = WarehouseWriter::open(path());
    QVERIFY(second);
    moved = std::move(*second);
    QCOMPARE(moved.load(makeRows(3))->hashRates, qint64(1));
}

void TestWarehouseWriter::openRefusesNonDatabase()
{
    QFile file(path());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    const Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(!writer);
    QCOMPARE(writer.error().where, path());
}

// The tables are descriptions the writer checks: one changed by hand is named, not written.
void TestWarehouseWriter::openRefusesAChangedTable()
{
    QVERIFY(WarehouseWriter::open(path()));
    exec(QStringLiteral("DROP TABLE network_difficulty"));
    exec(QStringLiteral("CREATE TABLE network_difficulty (network TEXT NOT NULL, timeframe TEXT "
                        "NOT NULL, start_timestamp INTEGER NOT NULL, difficulty TEXT NOT NULL, "
                        "PRIMARY KEY (network, timeframe, start_timestamp)) WITHOUT ROWID"));
    const Result<WarehouseWriter> writer = WarehouseWriter::open(path());
    QVERIFY(!writer);
    QVERIFY2(writer.error().what.contains(QStringLiteral(
                 "the column difficulty of the table network_difficulty is declared TEXT, not "
                 "real")),
        qPrintable(writer.error().message()));
    QCOMPARE(writer.error().where, path());

    // A dropped table is made again from its description.
    exec(QStringLiteral("DROP TABLE network_difficulty"));
    Result<WarehouseWriter> again = WarehouseWriter::open(path());
    QVERIFY(again);
    QCOMPARE(again->load(makeRows(3))->difficulties, qint64(3));
}

QTEST_GUILESS_MAIN(TestWarehouseWriter)
#include "tst_warehousewriter.moc"
