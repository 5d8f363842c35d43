// WarehouseTableModel over a real warehouse of a million rows: the count, pages at both ends,
// server-side sort, filters through bound parameters (SQL characters are text), stale replies
// dropped, a capped page cache, and numbers shown grouped and alike in a column, exact when
// copied.

#include <QSignalSpy>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

#include "cleantablefixture.h"
#include "data/warehousereader.h"
#include "models/cellformat.h"
#include "models/warehousetablemodel.h"

using namespace Sluice;

namespace {

constexpr qint64 Million = 1'000'000;
constexpr int TimeoutMs = 60'000;

} // namespace

class TestWarehouseTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void opensAMillionRows();
    void readsTheLastPageAtOnce();
    void sortsOnTheServer_data();
    void sortsOnTheServer();
    void filtersByTimeRange();
    void sqlCharactersInAFilterAreText_data();
    void sqlCharactersInAFilterAreText();
    void dropsRepliesToAnOlderFilter();
    void keepsTheCacheCapped();
    void refusesAnUnknownTable();
    void reloadKeepsTheRowsAndAddsNewOnes();
    void formatsNumbersInTheLocale_data();
    void formatsNumbersInTheLocale();
    void decimalsFitTheColumn_data();
    void decimalsFitTheColumn();
    void showsAColumnOfNumbersAlike();
    void exactTextIsAsStored();
    void jumpsToAFarRowWithoutSkipping_data();
    void jumpsToAFarRowWithoutSkipping();
    void browsesATableWithoutAKey();
    void findsTheFirstRowAtOrAfterATime_data();
    void findsTheFirstRowAtOrAfterATime();
    void saysWhenASortScansTheTable();
    void jumpsInATableOfRowids_data();
    void jumpsInATableOfRowids();
    void readsRowidsAppendedAfterTheCheck();
    void hopsWithinRunsOfAKeyAndAcross_data();
    void hopsWithinRunsOfAKeyAndAcross();
    void readsTheLastPagesBackwardAsForward_data();
    void readsTheLastPagesBackwardAsForward();
    void keepsTheCountWhenASortValueIsNull();

private:
    // A warehouse of 100k clean rows (with an index on price when indexed), made once.
    QString hundredThousand(bool indexed);
    // The value of column in row (0-based) of a direct SELECT ... LIMIT 1 OFFSET row.
    static QVariant directAt(const QString &path, const QString &sql, qint64 row);
    // Asks for row's page and waits for it; returns the raw value of column.
    QVariant rawAt(WarehouseTableModel &model, int row, const QString &column);
    void openClean(WarehouseTableModel &model);
    // A table "ids" of rows id = 1001..100'000 + 1000 (INTEGER PRIMARY KEY), name 'n' || id,
    // value id % 97, made once; a copy is made for tests that change it.
    QString rowids();
    // Every column of rows offset.. (at most limit) of a direct SELECT.
    static TableRows directRows(const QString &path, const QString &sql, qint64 offset, int limit);
    // Every column of rows first..last of the model, read page by page.
    TableRows modelRows(WarehouseTableModel &model, int first, int last);
    // Jumps to each row and compares its column with a direct SELECT in the view's order; at
    // most the pages between the row's and its sampled key's stepped over.
    void compareJumps(WarehouseTableModel &model, const QString &path, const QString &column,
        const QString &sql, const QList<int> &rows);

    QTemporaryDir m_dir;
    QString m_path;
};

void TestWarehouseTableModel::init()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("warehouse.sqlite"));
    if (!QFile::exists(m_path))
        QCOMPARE(CleanTableFixture::fill(m_path, Million), QString());
}

void TestWarehouseTableModel::openClean(WarehouseTableModel &model)
{
    model.setWarehousePath(m_path);
    model.setTable(QLatin1String(Warehouse::CleanTable));
}

QVariant TestWarehouseTableModel::rawAt(WarehouseTableModel &model, int row, const QString &column)
{
    const int col = model.columnIndex(column);
    if (col < 0 || row >= model.rowCount())
        return QVariant();
    model.data(model.index(row, col)); // asks for the page
    if (!QTest::qWaitFor([&] { return model.isRowLoaded(row); }, TimeoutMs))
        return QVariant();
    return model.data(model.index(row, col), WarehouseTableModel::RawRole);
}

void TestWarehouseTableModel::opensAMillionRows()
{
    WarehouseTableModel model;
    QSignalSpy counted(&model, &WarehouseTableModel::counted);
    openClean(model);
    QTRY_COMPARE_WITH_TIMEOUT(counted.size(), 1, TimeoutMs);
    QCOMPARE(counted.first().first().toLongLong(), Million);
    QCOMPARE(model.rowCount(), int(Million));
    QCOMPARE(model.columnCount(), 5);
    QCOMPARE(
        rawAt(model, 0, QStringLiteral("start_timestamp")).toLongLong(), CleanTableFixture::Base);
    QCOMPARE(rawAt(model, 0, QStringLiteral("price")).toDouble(), 20000.0);
    const int middle = 500'123;
    QCOMPARE(rawAt(model, middle, QStringLiteral("start_timestamp")).toLongLong(),
        CleanTableFixture::Base + middle * CleanTableFixture::Step);
    // The neighbour page is read by keyset from the middle one.
    QCOMPARE(rawAt(model, middle + 300, QStringLiteral("start_timestamp")).toLongLong(),
        CleanTableFixture::Base + (middle + 300) * CleanTableFixture::Step);
    QCOMPARE(rawAt(model, middle - 300, QStringLiteral("start_timestamp")).toLongLong(),
        CleanTableFixture::Base + (middle - 300) * CleanTableFixture::Step);
    const QString shown = model.data(model.index(0, 1)).toString();
    QCOMPARE(shown,
        QDateTime::fromSecsSinceEpoch(CleanTableFixture::Base, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    QCOMPARE(model.data(model.index(0, 1), Qt::ToolTipRole).toString(),
        QString::number(CleanTableFixture::Base));
}

void TestWarehouseTableModel::readsTheLastPageAtOnce()
{
    WarehouseTableModel model;
    QSignalSpy counted(&model, &WarehouseTableModel::counted);
    openClean(model);
    QTRY_COMPARE_WITH_TIMEOUT(counted.size(), 1, TimeoutMs);
    QElapsedTimer timer;
    timer.start();
    const int last = model.rowCount() - 1;
    QCOMPARE(rawAt(model, last, QStringLiteral("start_timestamp")).toLongLong(),
        CleanTableFixture::Base + (Million - 1) * CleanTableFixture::Step);
    qInfo("last page of 1M rows in %lld ms", timer.elapsed());
    QCOMPARE(rawAt(model, last - 1000, QStringLiteral("start_timestamp")).toLongLong(),
        CleanTableFixture::Base + (Million - 1001) * CleanTableFixture::Step);
}

void TestWarehouseTableModel::sortsOnTheServer_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("check");
    QTest::addColumn<double>("first");
    QTest::addColumn<double>("last");
    const double lastStart = double(CleanTableFixture::Base + (Million - 1) * 300);
    QTest::newRow("start descending")
        << "start_timestamp" << int(Qt::DescendingOrder) << "start_timestamp" << lastStart
        << double(CleanTableFixture::Base);
    // price = 20000 + i % 1000: the largest price first, the smallest last; ties by key.
    QTest::newRow("price descending")
        << "price" << int(Qt::DescendingOrder) << "price" << 20999.0 << 20000.0;
    QTest::newRow("price ascending") << "price" << int(Qt::AscendingOrder) << "start_timestamp"
                                     << double(CleanTableFixture::Base) << lastStart;
}

void TestWarehouseTableModel::sortsOnTheServer()
{
    QFETCH(QString, column);
    QFETCH(int, order);
    QFETCH(QString, check);
    QFETCH(double, first);
    QFETCH(double, last);
    WarehouseTableModel model;
    QSignalSpy counted(&model, &WarehouseTableModel::counted);
    openClean(model);
    QTRY_VERIFY_WITH_TIMEOUT(model.columnCount() == 5, TimeoutMs);
    model.sort(model.columnIndex(column), Qt::SortOrder(order));
    QTRY_VERIFY_WITH_TIMEOUT(model.totalRows() == Million, TimeoutMs);
    QCOMPARE(rawAt(model, 0, check).toDouble(), first);
    QCOMPARE(rawAt(model, model.rowCount() - 1, check).toDouble(), last);
    QCOMPARE(model.csvRequest().order, Qt::SortOrder(order));
}

void TestWarehouseTableModel::filtersByTimeRange()
{
    WarehouseTableModel model;
    openClean(model);
    QTRY_VERIFY_WITH_TIMEOUT(model.columnCount() == 5, TimeoutMs);
    const qint64 from = CleanTableFixture::Base + 2016 * 300; // the 2017th row
    const qint64 to = from + 7 * 86400; // a week: 2016 rows
    model.setConditions({
        { QStringLiteral("start_timestamp"), TableCondition::Operator::GreaterOrEqual, from },
        { QStringLiteral("start_timestamp"), TableCondition::Operator::Less, to },
    });
    QTRY_COMPARE_WITH_TIMEOUT(model.totalRows(), qint64(2016), TimeoutMs);
    QCOMPARE(model.rowCount(), 2016);
    QCOMPARE(rawAt(model, 0, QStringLiteral("start_timestamp")).toLongLong(), from);
    QCOMPARE(rawAt(model, 2015, QStringLiteral("start_timestamp")).toLongLong(), to - 300);
}

void TestWarehouseTableModel::sqlCharactersInAFilterAreText_data()
{
    QTest::addColumn<int>("op");
    QTest::addColumn<QString>("value");
    QTest::addColumn<qint64>("rows");
    const QString evil = QStringLiteral("' OR 1=1; --");
    QTest::newRow("equal") << int(TableCondition::Operator::Equal) << QStringLiteral("x") + evil
                           << qint64(1);
    QTest::newRow("contains") << int(TableCondition::Operator::Like)
                              << QStringLiteral("%") + evil + QStringLiteral("%") << qint64(1);
    QTest::newRow("drop") << int(TableCondition::Operator::Equal)
                          << QStringLiteral("5m'; DROP TABLE btc_usd_price_with_net_stat; --")
                          << qint64(0);
    QTest::newRow("quote in number")
        << int(TableCondition::Operator::Equal) << QStringLiteral("5m\" OR \"1\"=\"1") << qint64(0);
}

void TestWarehouseTableModel::sqlCharactersInAFilterAreText()
{
    QFETCH(int, op);
    QFETCH(QString, value);
    QFETCH(qint64, rows);
    {
        auto connection = SqliteConnection::open(m_path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(QStringLiteral("INSERT OR IGNORE INTO btc_usd_price_with_net_stat "
                                                "VALUES ('x'' OR 1=1; --', 1, 1e9, 1, 1)")));
    }
    WarehouseTableModel model;
    openClean(model);
    QTRY_VERIFY_WITH_TIMEOUT(model.columnCount() == 5, TimeoutMs);
    model.setConditions({ { QStringLiteral("timeframe"), TableCondition::Operator(op), value } });
    QTRY_COMPARE_WITH_TIMEOUT(model.totalRows(), rows, TimeoutMs);
    model.setConditions({});
    QTRY_COMPARE_WITH_TIMEOUT(model.totalRows(), Million + 1, TimeoutMs);
}

void TestWarehouseTableModel::dropsRepliesToAnOlderFilter()
{
    WarehouseTableModel model;
    QSignalSpy counted(&model, &WarehouseTableModel::counted);
    openClean(model);
    QTRY_COMPARE_WITH_TIMEOUT(counted.size(), 1, TimeoutMs);
    counted.clear();
    for (int i = 1; i <= 20; ++i) {
        model.setConditions(
            { { QStringLiteral("price"), TableCondition::Operator::Less, 20000.0 + i * 10 } });
    }
    QTRY_COMPARE_WITH_TIMEOUT(model.totalRows(), qint64(Million / 1000 * 200), TimeoutMs);
    QTest::qWait(50);
    QCOMPARE(counted.size(), 1); // only the newest filter was answered
}

void TestWarehouseTableModel::keepsTheCacheCapped()
{
    WarehouseTableModel model;
    QSignalSpy counted(&model, &WarehouseTableModel::counted);
    openClean(model);
    QTRY_COMPARE_WITH_TIMEOUT(counted.size(), 1, TimeoutMs);
    for (int step = 0; step < 3 * WarehouseTableModel::MaxCachedPages; ++step) {
        const int row = int((qint64(step) * 7919 * 256) % Million);
        QCOMPARE(rawAt(model, row, QStringLiteral("start_timestamp")).toLongLong(),
            CleanTableFixture::Base + row * CleanTableFixture::Step);
        QVERIFY(model.cachedPages() <= WarehouseTableModel::MaxCachedPages);
    }
}

void TestWarehouseTableModel::refusesAnUnknownTable()
{
    WarehouseTableModel model;
    QSignalSpy failed(&model, &WarehouseTableModel::loadFailed);
    model.setWarehousePath(m_path);
    model.setTable(QStringLiteral("no_such\" table"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, TimeoutMs);
    QVERIFY2(failed.first().first().toString().contains(QLatin1String("no such table")),
        qPrintable(failed.first().first().toString()));
    QCOMPARE(model.rowCount(), 0);
}

void TestWarehouseTableModel::reloadKeepsTheRowsAndAddsNewOnes()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10'000), QString());
    WarehouseTableModel model;
    model.setWarehousePath(path);
    model.setTable(QLatin1String(Warehouse::CleanTable));
    QTRY_COMPARE_WITH_TIMEOUT(model.totalRows(), qint64(10'000), TimeoutMs);
    {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(
            QStringLiteral("INSERT INTO btc_usd_price_with_net_stat VALUES ('5m', %1, 1, 2, 3)")
                .arg(CleanTableFixture::Base + 10'000 * 300)));
    }
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.reload();
    QTRY_COMPARE_WITH_TIMEOUT(model.totalRows(), qint64(10'001), TimeoutMs);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 10'000);
    QCOMPARE(rawAt(model, 10'000, QStringLiteral("hash_rate")).toDouble(), 2.0);
}

void TestWarehouseTableModel::formatsNumbersInTheLocale_data()
{
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<int>("decimals");
    QTest::addColumn<QString>("shown");
    QTest::newRow("en real") << "en_US" << QVariant(1234567.891) << 2 << "1,234,567.89";
    QTest::newRow("en hash rate") << "en_US" << QVariant(6.02e20) << 0
                                  << "602,000,000,000,000,000,000";
    QTest::newRow("en difficulty") << "en_US" << QVariant(1.0235e14) << 0 << "102,350,000,000,000";
    QTest::newRow("en integer") << "en_US" << QVariant(qint64(1234567)) << 3 << "1,234,567";
    QTest::newRow("en small") << "en_US" << QVariant(0.00012) << 5 << "0.00012";
    QTest::newRow("de real") << "de_DE" << QVariant(1234567.891) << 2 << "1.234.567,89";
    QTest::newRow("de integer") << "de_DE" << QVariant(qint64(-9876543)) << 0 << "-9.876.543";
    QTest::newRow("text") << "en_US" << QVariant(QStringLiteral("1e+20")) << 0 << "1e+20";
}

void TestWarehouseTableModel::formatsNumbersInTheLocale()
{
    QFETCH(QString, locale);
    QFETCH(QVariant, value);
    QFETCH(int, decimals);
    QFETCH(QString, shown);
    QCOMPARE(CellFormat::number(QLocale(locale), value, decimals), shown);
}

void TestWarehouseTableModel::decimalsFitTheColumn_data()
{
    QTest::addColumn<QVariantList>("values");
    QTest::addColumn<int>("decimals");
    QTest::newRow("whole") << QVariantList{ 20000.0, 6e20, 1e14 } << 0;
    QTest::newRow("cents") << QVariantList{ 67012.53, 1.5, 3.0 } << 2;
    QTest::newRow("integers and text") << QVariantList{ qint64(5), QStringLiteral("0.123") } << 0;
    QTest::newRow("capped") << QVariantList{ 1.0 / 3 } << CellFormat::MaxDecimals;
}

void TestWarehouseTableModel::decimalsFitTheColumn()
{
    QFETCH(QVariantList, values);
    QFETCH(int, decimals);
    QCOMPARE(CellFormat::decimalsFor(values), decimals);
}

void TestWarehouseTableModel::showsAColumnOfNumbersAlike()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 0), QString());
    {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(QStringLiteral(
            "CREATE TABLE numbers (id INTEGER PRIMARY KEY, value REAL, count INTEGER)")));
        QVERIFY(connection->exec(
            QStringLiteral("INSERT INTO numbers VALUES (1, 6.5e20, 1234567), (2, 1.25e14, 2), "
                           "(3, 0.5, -1000), (4, 1e16, 0)")));
    }
    const QLocale previous;
    QLocale::setDefault(QLocale(QStringLiteral("en_US")));
    WarehouseTableModel model;
    model.setWarehousePath(path);
    model.setTable(QStringLiteral("numbers"));
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() == 4 && model.isRowLoaded(3), TimeoutMs);
    const int value = model.columnIndex(QStringLiteral("value"));
    const int count = model.columnIndex(QStringLiteral("count"));
    QStringList shown;
    for (int row = 0; row < 4; ++row)
        shown << model.index(row, value).data().toString();
    QCOMPARE(shown,
        QStringList({ QStringLiteral("650,000,000,000,000,000,000.0"),
            QStringLiteral("125,000,000,000,000.0"), QStringLiteral("0.5"),
            QStringLiteral("10,000,000,000,000,000.0") }));
    QCOMPARE(model.index(0, count).data().toString(), QStringLiteral("1,234,567"));
    QCOMPARE(model.index(2, count).data().toString(), QStringLiteral("-1,000"));
    // Right-aligned; the exact stored value on hover.
    QCOMPARE(model.index(0, value).data(Qt::TextAlignmentRole).toInt(),
        int(Qt::AlignRight | Qt::AlignVCenter));
    QCOMPARE(model.index(0, value).data(Qt::ToolTipRole).toString(), QStringLiteral("6.5e+20"));
    QCOMPARE(model.index(3, value).data(Qt::ToolTipRole).toString(), QStringLiteral("1e+16"));
    QCOMPARE(model.index(0, count).data(Qt::ToolTipRole).toString(), QStringLiteral("1234567"));
    QLocale::setDefault(previous);
}

void TestWarehouseTableModel::exactTextIsAsStored()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10'000), QString());
    WarehouseTableModel model;
    model.setWarehousePath(path);
    model.setTable(QLatin1String(Warehouse::CleanTable));
    QTRY_VERIFY_WITH_TIMEOUT(model.totalRows() == 10'000 && model.isRowLoaded(1), TimeoutMs);
    int missing = -1;
    const QStringList lines = model.exactText(0, 1, &missing);
    QCOMPARE(missing, 0);
    QCOMPARE(lines,
        QStringList({ QStringLiteral("5m\t%1\t20000.0\t5e+20\t70000000000000.0")
                          .arg(CleanTableFixture::Base),
            QStringLiteral("5m\t%1\t20001.0\t5e+20\t70000000000001.0")
                .arg(CleanTableFixture::Base + CleanTableFixture::Step) }));
    // Rows not read are counted, not read.
    const int far = model.rowCount() / 2;
    QVERIFY(!model.isRowLoaded(far));
    QCOMPARE(model.exactText(far - 1, far, &missing), QStringList());
    QCOMPARE(missing, 2);
}

QString TestWarehouseTableModel::hundredThousand(bool indexed)
{
    const QString path = m_dir.filePath(
        indexed ? QStringLiteral("indexed.sqlite") : QStringLiteral("hundred.sqlite"));
    if (QFile::exists(path))
        return path;
    if (!CleanTableFixture::fill(path, 100'000).isEmpty())
        return QString();
    if (indexed) {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        if (!connection
            || !connection->exec(
                QStringLiteral("CREATE INDEX by_price ON btc_usd_price_with_net_stat (price)")))
            return QString();
    }
    return path;
}

QVariant TestWarehouseTableModel::directAt(const QString &path, const QString &sql, qint64 row)
{
    auto connection =
        SqliteConnection::open(path, QStringLiteral("direct"), SqliteConnection::Mode::ReadOnly);
    if (!connection)
        return QVariant();
    QSqlQuery query(connection->database());
    query.prepare(sql + QStringLiteral(" LIMIT 1 OFFSET ?"));
    query.addBindValue(row);
    if (!query.exec() || !query.next())
        return QVariant();
    return query.value(0);
}

void TestWarehouseTableModel::jumpsToAFarRowWithoutSkipping_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<bool>("indexed");
    QTest::addColumn<QString>("orderBy");
    QTest::newRow("key order") << QString() << int(Qt::AscendingOrder) << false
                               << QStringLiteral("timeframe, start_timestamp");
    QTest::newRow("key order, descending")
        << QString() << int(Qt::DescendingOrder) << false
        << QStringLiteral("timeframe DESC, start_timestamp DESC");
    // Price repeats every 1000 rows: the key orders the equal ones.
    QTest::newRow("price, no index") << QStringLiteral("price") << int(Qt::AscendingOrder) << false
                                     << QStringLiteral("price, timeframe, start_timestamp");
    QTest::newRow("price, index") << QStringLiteral("price") << int(Qt::AscendingOrder) << true
                                  << QStringLiteral("price, timeframe, start_timestamp");
    QTest::newRow("price descending, index")
        << QStringLiteral("price") << int(Qt::DescendingOrder) << true
        << QStringLiteral("price DESC, timeframe DESC, start_timestamp DESC");
}

void TestWarehouseTableModel::jumpsToAFarRowWithoutSkipping()
{
    QFETCH(QString, column);
    QFETCH(int, order);
    QFETCH(bool, indexed);
    QFETCH(QString, orderBy);
    const QString path = hundredThousand(indexed);
    QVERIFY(!path.isEmpty());
    WarehouseTableModel model;
    QSignalSpy counted(&model, &WarehouseTableModel::counted);
    QSignalSpy sampled(&model, &WarehouseTableModel::keysSampled);
    model.setWarehousePath(path);
    model.setTable(QLatin1String(Warehouse::CleanTable));
    QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 1, TimeoutMs);
    QCOMPARE(counted.size(), 1); // the COUNT's; the walk found as many
    if (!column.isEmpty() || order != int(Qt::AscendingOrder)) {
        model.sort(model.columnIndex(column), Qt::SortOrder(order));
        QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 2, TimeoutMs);
        QCOMPARE(counted.size(), 2);
    }
    // Jumps after the walk, far from every page read so far, both ways.
    const QString sql =
        QStringLiteral("SELECT start_timestamp FROM btc_usd_price_with_net_stat ORDER BY ")
        + orderBy;
    constexpr int SampleRows = WarehouseReader::PageSize * WarehouseReader::SampleStride;
    for (const int row : { 61'234, 99'999, 1'000, 77'777, 256, 50'000, SampleRows * 7 }) {
        const qint64 before = model.rowsSkipped();
        QCOMPARE(rawAt(model, row, QStringLiteral("start_timestamp")), directAt(path, sql, row));
        // One seek to the sampled key at or before the page, then at most the pages between
        // (or fewer, from a page read before or from the end).
        const qint64 skipped = model.rowsSkipped() - before;
        QVERIFY2(skipped <= qint64(row / WarehouseReader::PageSize % WarehouseReader::SampleStride)
                    * WarehouseReader::PageSize,
            qPrintable(QString::number(skipped)));
    }
}

void TestWarehouseTableModel::browsesATableWithoutAKey()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("loose.sqlite"));
    {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(QStringLiteral("CREATE TABLE loose (name TEXT, value REAL)")));
        QVERIFY(connection->exec(
            QStringLiteral("INSERT INTO loose WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT "
                           "i + 1 FROM n WHERE i < 99999) SELECT 'n' || i, i % 97 FROM n")));
    }
    WarehouseTableModel model;
    model.setWarehousePath(path);
    model.setTable(QStringLiteral("loose"));
    QTRY_COMPARE_WITH_TIMEOUT(model.totalRows(), qint64(100'000), TimeoutMs);
    QCOMPARE(model.columnCount(), 2); // rowid orders the rows, but is no column of the view
    for (const int row : { 77'777, 3, 99'999 }) {
        QCOMPARE(rawAt(model, row, QStringLiteral("name")),
            directAt(path, QStringLiteral("SELECT name FROM loose ORDER BY rowid"), row));
    }
    QSignalSpy sampled(&model, &WarehouseTableModel::keysSampled);
    model.sort(model.columnIndex(QStringLiteral("value")), Qt::DescendingOrder);
    QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 1, TimeoutMs);
    QVERIFY(model.sortScansTable());
    // The first page, then pages that start on a sampled key: no row stepped over.
    constexpr int SampleRows = WarehouseReader::PageSize * WarehouseReader::SampleStride;
    for (const int row : { 16 * SampleRows + 5, 12, SampleRows * 3 + 255 }) {
        QCOMPARE(rawAt(model, row, QStringLiteral("name")),
            directAt(path, QStringLiteral("SELECT name FROM loose ORDER BY value DESC, rowid DESC"),
                row));
    }
    QCOMPARE(model.rowsSkipped(), qint64(0));
}

void TestWarehouseTableModel::findsTheFirstRowAtOrAfterATime_data()
{
    QTest::addColumn<int>("order");
    QTest::addColumn<bool>("filtered");
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<qint64>("row");
    constexpr qint64 Base = CleanTableFixture::Base;
    QTest::newRow("at a row") << int(Qt::AscendingOrder) << false << Base + 300 * 5'000
                              << qint64(5'000);
    QTest::newRow("between rows") << int(Qt::AscendingOrder) << false << Base + 300 * 5'000 + 1
                                  << qint64(5'001);
    QTest::newRow("before the first")
        << int(Qt::AscendingOrder) << false << Base - 86'400 << qint64(0);
    QTest::newRow("after the last")
        << int(Qt::AscendingOrder) << false << Base + 300 * 100'000 << qint64(-1);
    // Descending: the row of the earliest such time comes after all the later ones.
    QTest::newRow("descending") << int(Qt::DescendingOrder) << false << Base + 300 * 70'000
                                << qint64(100'000 - 1 - 70'000);
    // Filtered to price >= 20500 (rows i with i % 1000 >= 500): 500 rows come before i = 1000.
    QTest::newRow("filtered") << int(Qt::AscendingOrder) << true << Base + 300 * 1'000
                              << qint64(500);
}

void TestWarehouseTableModel::findsTheFirstRowAtOrAfterATime()
{
    QFETCH(int, order);
    QFETCH(bool, filtered);
    QFETCH(qint64, seconds);
    QFETCH(qint64, row);
    WarehouseTableModel model;
    model.setWarehousePath(hundredThousand(false));
    model.setTable(QLatin1String(Warehouse::CleanTable));
    QTRY_VERIFY_WITH_TIMEOUT(model.columnCount() > 0, TimeoutMs);
    if (filtered) {
        model.setConditions({ { QStringLiteral("price"), TableCondition::Operator::GreaterOrEqual,
            QVariant(20'500.0) } });
    }
    model.sort(model.columnIndex(QStringLiteral("start_timestamp")), Qt::SortOrder(order));
    QTRY_VERIFY_WITH_TIMEOUT(model.totalRows() >= 0, TimeoutMs);
    QSignalSpy found(&model, &WarehouseTableModel::timeFound);
    model.findTime(QStringLiteral("start_timestamp"), seconds);
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, TimeoutMs);
    QCOMPARE(found.first().first().toLongLong(), row);
    if (row >= 0) {
        const qint64 at = rawAt(model, int(row), QStringLiteral("start_timestamp")).toLongLong();
        QVERIFY(at >= seconds);
        if (order == int(Qt::AscendingOrder) && row > 0) {
            QVERIFY(rawAt(model, int(row) - 1, QStringLiteral("start_timestamp")).toLongLong()
                < seconds);
        }
    }
}

void TestWarehouseTableModel::saysWhenASortScansTheTable()
{
    WarehouseTableModel model;
    model.setWarehousePath(hundredThousand(false));
    model.setTable(QLatin1String(Warehouse::CleanTable));
    QSignalSpy opened(&model, &WarehouseTableModel::queryOpened);
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, TimeoutMs);
    QVERIFY(!model.sortScansTable()); // the key's own order
    model.sort(model.columnIndex(QStringLiteral("price")), Qt::AscendingOrder);
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 2, TimeoutMs);
    QVERIFY(model.sortScansTable());
    model.setWarehousePath(hundredThousand(true));
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 3, TimeoutMs);
    QCOMPARE(model.sortColumn(), QStringLiteral("price"));
    QVERIFY(!model.sortScansTable()); // by_price gives the order
}

QString TestWarehouseTableModel::rowids()
{
    const QString path = m_dir.filePath(QStringLiteral("rowids.sqlite"));
    if (QFile::exists(path))
        return path;
    auto connection = SqliteConnection::open(path, QStringLiteral("test"));
    if (!connection
        || !connection->exec(
            QStringLiteral("CREATE TABLE ids (id INTEGER PRIMARY KEY, name TEXT, value REAL)"))
        || !connection->exec(QStringLiteral(
            "INSERT INTO ids WITH RECURSIVE n(i) AS (SELECT 1001 UNION ALL SELECT i + 1 FROM n"
            " WHERE i < 101000) SELECT i, 'n' || i, i % 97 FROM n")))
        return QString();
    return path;
}

TableRows TestWarehouseTableModel::directRows(
    const QString &path, const QString &sql, qint64 offset, int limit)
{
    auto connection =
        SqliteConnection::open(path, QStringLiteral("direct"), SqliteConnection::Mode::ReadOnly);
    TableRows rows;
    if (!connection)
        return rows;
    QSqlQuery query(connection->database());
    query.prepare(sql + QStringLiteral(" LIMIT ? OFFSET ?"));
    query.addBindValue(limit);
    query.addBindValue(offset);
    if (!query.exec())
        return rows;
    while (query.next()) {
        QVariantList row;
        for (int i = 0; i < query.record().count(); ++i)
            row << query.value(i);
        rows << row;
    }
    return rows;
}

TableRows TestWarehouseTableModel::modelRows(WarehouseTableModel &model, int first, int last)
{
    TableRows rows;
    for (int row = first; row <= last && row < model.rowCount(); ++row) {
        if (!model.isRowLoaded(row)) {
            model.data(model.index(row, 0)); // asks for the page
            if (!QTest::qWaitFor([&] { return model.isRowLoaded(row); }, TimeoutMs))
                return rows;
        }
        QVariantList values;
        for (int column = 0; column < model.columnCount(); ++column)
            values << model.data(model.index(row, column), WarehouseTableModel::RawRole);
        rows << values;
    }
    return rows;
}

void TestWarehouseTableModel::compareJumps(WarehouseTableModel &model, const QString &path,
    const QString &column, const QString &sql, const QList<int> &rows)
{
    for (const int row : rows) {
        const qint64 before = model.rowsSkipped();
        const QVariant shown = rawAt(model, row, column);
        QVERIFY2(shown.isValid(), qPrintable(QString::number(row)));
        QCOMPARE(shown, directAt(path, sql, row));
        const qint64 skipped = model.rowsSkipped() - before;
        QVERIFY2(skipped <= qint64(row / WarehouseReader::PageSize % WarehouseReader::SampleStride)
                    * WarehouseReader::PageSize,
            qPrintable(QStringLiteral("row %1: %2 rows skipped").arg(row).arg(skipped)));
    }
}

void TestWarehouseTableModel::jumpsInATableOfRowids_data()
{
    QTest::addColumn<QString>("change"); // SQL run on a copy of the table first
    QTest::addColumn<bool>("filtered"); // value < 50
    QTest::addColumn<QString>("sortColumn");
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("orderBy");
    QTest::addColumn<bool>("gapless"); // every page is one seek: no row stepped over
    // id runs from 1001 without a gap: the key of row k is 1001 + k (or 101000 - k), no walk.
    QTest::newRow("no gap") << QString() << false << QString() << int(Qt::AscendingOrder)
                            << QStringLiteral("id") << true;
    QTest::newRow("no gap, descending")
        << QString() << false << QString() << int(Qt::DescendingOrder) << QStringLiteral("id DESC")
        << true;
    // max - min + 1 is more than the rows: walked.
    QTest::newRow("deleted rows") << QStringLiteral("DELETE FROM ids WHERE id BETWEEN 40000 AND "
                                                    "40009 OR id = 100000")
                                  << false << QString() << int(Qt::AscendingOrder)
                                  << QStringLiteral("id") << false;
    // Still without a gap, from 1002 to 100999: the keys count from the new min (max).
    QTest::newRow("ends deleted") << QStringLiteral("DELETE FROM ids WHERE id IN (1001, 101000)")
                                  << false << QString() << int(Qt::DescendingOrder)
                                  << QStringLiteral("id DESC") << true;
    QTest::newRow("filtered") << QString() << true << QString() << int(Qt::AscendingOrder)
                              << QStringLiteral("id") << false;
    QTest::newRow("sorted") << QString() << false << QStringLiteral("value")
                            << int(Qt::AscendingOrder) << QStringLiteral("value, id") << false;
    QTest::newRow("sorted, index") << QStringLiteral("CREATE INDEX by_value ON ids (value)")
                                   << false << QStringLiteral("value") << int(Qt::DescendingOrder)
                                   << QStringLiteral("value DESC, id DESC") << false;
}

void TestWarehouseTableModel::jumpsInATableOfRowids()
{
    QFETCH(QString, change);
    QFETCH(bool, filtered);
    QFETCH(QString, sortColumn);
    QFETCH(int, order);
    QFETCH(QString, orderBy);
    QFETCH(bool, gapless);
    QString path = rowids();
    QVERIFY(!path.isEmpty());
    QTemporaryDir dir;
    if (!change.isEmpty()) {
        const QString copy = dir.filePath(QStringLiteral("copy.sqlite"));
        QVERIFY(QFile::copy(path, copy));
        path = copy;
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(change));
    }
    const qint64 rows = directAt(path,
        QStringLiteral("SELECT COUNT(*) FROM ids")
            + (filtered ? QStringLiteral(" WHERE value < 50") : QString()),
        0)
                            .toLongLong();
    WarehouseTableModel model;
    QSignalSpy sampled(&model, &WarehouseTableModel::keysSampled);
    model.setWarehousePath(path);
    model.setTable(QStringLiteral("ids"));
    QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 1, TimeoutMs);
    if (filtered || !sortColumn.isEmpty() || order != int(Qt::AscendingOrder)) {
        if (filtered) {
            model.setConditions(
                { { QStringLiteral("value"), TableCondition::Operator::Less, QVariant(50.0) } });
        }
        if (!sortColumn.isEmpty() || order != int(Qt::AscendingOrder)) {
            model.sort(sortColumn.isEmpty() ? model.columnIndex(QStringLiteral("id"))
                                            : model.columnIndex(sortColumn),
                Qt::SortOrder(order));
        }
        QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 2 && model.totalRows() == rows, TimeoutMs);
        if (!sortColumn.isEmpty() || order != int(Qt::AscendingOrder))
            QCOMPARE(model.sortColumn(), sortColumn.isEmpty() ? QStringLiteral("id") : sortColumn);
    }
    QCOMPARE(model.totalRows(), rows);
    QCOMPARE(model.rowCount(), int(rows));
    constexpr int SampleRows = WarehouseReader::PageSize * WarehouseReader::SampleStride;
    const QString sql = QStringLiteral("SELECT name FROM ids")
        + (filtered ? QStringLiteral(" WHERE value < 50") : QString())
        + QStringLiteral(" ORDER BY ") + orderBy;
    const int last = int(rows) - 1;
    compareJumps(model, path, QStringLiteral("name"), sql,
        { int(rows * 3 / 5), last, 1'000, 38'999, 40'123, SampleRows * 9 + 17, last - 300, 256,
            0 });
    if (gapless)
        QCOMPARE(model.rowsSkipped(), qint64(0));
}

void TestWarehouseTableModel::readsRowidsAppendedAfterTheCheck()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("copy.sqlite"));
    QVERIFY(QFile::copy(rowids(), path));
    WarehouseTableModel model;
    QSignalSpy sampled(&model, &WarehouseTableModel::keysSampled);
    model.setWarehousePath(path);
    model.setTable(QStringLiteral("ids"));
    QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 1, TimeoutMs);
    QCOMPARE(rawAt(model, 99'999, QStringLiteral("id")).toLongLong(), qint64(101'000));
    const QString sql = QStringLiteral("SELECT name FROM ids ORDER BY id");
    auto append = [&](const QString &sqlText) {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        return connection && connection->exec(sqlText);
    };
    // Without a gap still: the new rows are found by their computed keys.
    QVERIFY(append(QStringLiteral("INSERT INTO ids WITH RECURSIVE n(i) AS (SELECT 101001 UNION ALL"
                                  " SELECT i + 1 FROM n WHERE i < 110000) SELECT i, 'n' || i, 0"
                                  " FROM n")));
    model.reload();
    QTRY_COMPARE_WITH_TIMEOUT(model.totalRows(), qint64(109'000), TimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 2, TimeoutMs);
    compareJumps(model, path, QStringLiteral("name"), sql, { 108'999, 100'000, 104'321, 5 });
    // A gap before the new rows: walked, and the rows after it in their places.
    QVERIFY(
        append(QStringLiteral("INSERT INTO ids VALUES (110100, 'late', 1), (110101, 'later', 2)")));
    model.reload();
    QTRY_COMPARE_WITH_TIMEOUT(model.totalRows(), qint64(109'002), TimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 3, TimeoutMs);
    QCOMPARE(rawAt(model, 109'000, QStringLiteral("name")).toString(), QStringLiteral("late"));
    QCOMPARE(rawAt(model, 109'001, QStringLiteral("name")).toString(), QStringLiteral("later"));
    compareJumps(model, path, QStringLiteral("name"), sql, { 108'999, 77'777, 104'321 });
}

void TestWarehouseTableModel::hopsWithinRunsOfAKeyAndAcross_data()
{
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("orderBy");
    QTest::newRow("ascending") << int(Qt::AscendingOrder) << QStringLiteral("g, n");
    QTest::newRow("descending") << int(Qt::DescendingOrder) << QStringLiteral("g DESC, n DESC");
}

void TestWarehouseTableModel::hopsWithinRunsOfAKeyAndAcross()
{
    QFETCH(int, order);
    QFETCH(QString, orderBy);
    // Runs of 5000 rows of one g (and one of 10): most hops stay in a run, some cross to the
    // next, each way.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("runs.sqlite"));
    {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(QStringLiteral(
            "CREATE TABLE runs (g TEXT, n INTEGER, v TEXT, PRIMARY KEY (g, n)) WITHOUT ROWID")));
        QVERIFY(connection->exec(QStringLiteral(
            "INSERT INTO runs WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k"
            " WHERE i < 99999) SELECT printf('g%03d', i / 5000), i % 5000, 'v' || i FROM k")));
        QVERIFY(connection->exec(QStringLiteral("INSERT INTO runs VALUES ('g050', 0, 'short'),"
                                                " ('g050', 1, 'short'), ('g051', 7, 'last')")));
    }
    WarehouseTableModel model;
    QSignalSpy sampled(&model, &WarehouseTableModel::keysSampled);
    model.setWarehousePath(path);
    model.setTable(QStringLiteral("runs"));
    QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 1, TimeoutMs);
    if (order != int(Qt::AscendingOrder)) {
        model.sort(model.columnIndex(QStringLiteral("g")), Qt::SortOrder(order));
        QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 2, TimeoutMs);
    }
    QCOMPARE(model.totalRows(), qint64(100'003));
    const QString sql = QStringLiteral("SELECT v FROM runs ORDER BY ") + orderBy;
    constexpr int SampleRows = WarehouseReader::PageSize * WarehouseReader::SampleStride;
    QList<int> rows;
    for (int sample = 0; sample * SampleRows < 100'003; sample += 3)
        rows << sample * SampleRows + sample % 7;
    rows << 100'002 << 100'000 << 4999 << 5000;
    compareJumps(model, path, QStringLiteral("v"), sql, rows);
}

void TestWarehouseTableModel::readsTheLastPagesBackwardAsForward_data()
{
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("orderBy");
    QTest::newRow("ascending") << int(Qt::AscendingOrder)
                               << QStringLiteral("timeframe, start_timestamp");
    QTest::newRow("descending") << int(Qt::DescendingOrder)
                                << QStringLiteral("timeframe DESC, start_timestamp DESC");
}

void TestWarehouseTableModel::readsTheLastPagesBackwardAsForward()
{
    QFETCH(int, order);
    QFETCH(QString, orderBy);
    // 1M rows and 37 more (and one a test before may have added): the last page is not full. Pages
    // read right after the count, while the walk has not come near the end, are read backward from
    // the end (or sampled from it).
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("copy.sqlite"));
    QVERIFY(QFile::copy(m_path, path));
    {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(
            QStringLiteral("INSERT INTO btc_usd_price_with_net_stat SELECT timeframe,"
                           " start_timestamp + %1, price, hash_rate, difficulty"
                           " FROM btc_usd_price_with_net_stat ORDER BY start_timestamp LIMIT 37")
                .arg(Million * CleanTableFixture::Step)));
    }
    const qint64 rows =
        directAt(path, QStringLiteral("SELECT COUNT(*) FROM btc_usd_price_with_net_stat"), 0)
            .toLongLong();
    QVERIFY(rows >= Million + 37);
    WarehouseTableModel model;
    QSignalSpy counted(&model, &WarehouseTableModel::counted);
    QSignalSpy sampled(&model, &WarehouseTableModel::keysSampled);
    model.setWarehousePath(path);
    model.setTable(QLatin1String(Warehouse::CleanTable));
    if (order != int(Qt::AscendingOrder)) {
        QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 1, TimeoutMs);
        counted.clear();
        model.sort(model.columnIndex(QStringLiteral("start_timestamp")), Qt::SortOrder(order));
    }
    QTRY_COMPARE_WITH_TIMEOUT(counted.size(), 1, TimeoutMs);
    QCOMPARE(model.totalRows(), rows);
    const QString sql =
        QStringLiteral("SELECT timeframe, start_timestamp, price, hash_rate, difficulty"
                       " FROM btc_usd_price_with_net_stat ORDER BY ")
        + orderBy;
    const int last = int(rows) - 1;
    const int lastPage = last / WarehouseReader::PageSize * WarehouseReader::PageSize;
    for (const int first : { lastPage, lastPage - 5 * WarehouseReader::PageSize, 900'000 }) {
        const TableRows forward = directRows(path, sql, first, WarehouseReader::PageSize);
        QVERIFY(!forward.isEmpty());
        QCOMPARE(modelRows(model, first, first + WarehouseReader::PageSize - 1), forward);
    }
    // The walk ends with the keys from the end where they belong.
    QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 1, TimeoutMs);
    QCOMPARE(model.totalRows(), rows);
    QCOMPARE(modelRows(model, last - 1000, last - 1000 + WarehouseReader::PageSize - 1),
        directRows(path, sql, last - 1000, WarehouseReader::PageSize));
}

void TestWarehouseTableModel::keepsTheCountWhenASortValueIsNull()
{
    // Sorted by an indexed column whose last 10000 rows are NULL (last, descending): no row
    // compares after a key with a NULL in it, so the walk stops there; the rows stay counted.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("copy.sqlite"));
    QVERIFY(QFile::copy(rowids(), path));
    {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(QStringLiteral("UPDATE ids SET value = NULL WHERE id > 91000")));
        QVERIFY(connection->exec(QStringLiteral("CREATE INDEX by_value ON ids (value)")));
    }
    WarehouseTableModel model;
    QSignalSpy sampled(&model, &WarehouseTableModel::keysSampled);
    QSignalSpy failed(&model, &WarehouseTableModel::loadFailed);
    model.setWarehousePath(path);
    model.setTable(QStringLiteral("ids"));
    QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 1, TimeoutMs);
    QSignalSpy counted(&model, &WarehouseTableModel::counted);
    model.sort(model.columnIndex(QStringLiteral("value")), Qt::DescendingOrder);
    QTRY_COMPARE_WITH_TIMEOUT(counted.size(), 1, TimeoutMs);
    const QString sql = QStringLiteral("SELECT name FROM ids ORDER BY value DESC, id DESC");
    for (const int row : { 45'678, 1'000, 80'000 })
        QCOMPARE(rawAt(model, row, QStringLiteral("name")), directAt(path, sql, row));
    QTest::qWait(300); // the walk has long met the NULLs
    QCOMPARE(counted.size(), 1);
    QCOMPARE(model.totalRows(), qint64(100'000));
    QCOMPARE(failed.size(), 0);
}

QTEST_GUILESS_MAIN(TestWarehouseTableModel)
#include "tst_warehousetablemodel.moc"
