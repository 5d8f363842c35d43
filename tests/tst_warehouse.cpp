// Warehouse schema: tables and keys of DESIGN.md, WAL, versioning and first-write-wins.

#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

#include "storage/sqliteconnection.h"
#include "storage/warehouse.h"

using namespace Sluice;

class TestWarehouse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void tablesAndColumns_data();
    void tablesAndColumns();
    void versionAndJournal();
    void initializeIsIdempotent();
    void firstWriteWins();
    void newerSchemaIsRefused();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("warehouse.sqlite")); }
    QStringList columns(const QString &table) const;
    QVariant scalar(const QString &sql) const;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestWarehouse::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(Warehouse::initialize(path()));
}

QStringList TestWarehouse::columns(const QString &table) const
{
    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test"));
    QStringList names;
    QSqlQuery query(db->database());
    query.exec(QStringLiteral("SELECT name FROM pragma_table_info('%1') ORDER BY cid").arg(table));
    while (query.next())
        names << query.value(0).toString();
    return names;
}

QVariant TestWarehouse::scalar(const QString &sql) const
{
    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test"));
    QSqlQuery query(db->database());
    if (!query.exec(sql) || !query.next())
        return {};
    return query.value(0);
}

void TestWarehouse::tablesAndColumns_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("columns");
    QTest::newRow("clean") << "btc_usd_price_with_net_stat"
                           << "timeframe,start_timestamp,price,hash_rate,difficulty";
    QTest::newRow("price") << "coin_price"
                           << "coin,currency,timeframe,start_timestamp,price";
    QTest::newRow("hash rate") << "network_hash_rate"
                               << "network,timeframe,start_timestamp,hash_rate";
    QTest::newRow("difficulty") << "network_difficulty"
                                << "network,timeframe,start_timestamp,difficulty";
}

void TestWarehouse::tablesAndColumns()
{
    QFETCH(QString, table);
    QFETCH(QString, columns);
    QCOMPARE(this->columns(table).join(u','), columns);
    // WITHOUT ROWID: the natural key is the only B-tree.
    QVERIFY(scalar(QStringLiteral("SELECT sql FROM sqlite_master WHERE name='%1'").arg(table))
                .toString()
                .contains(QLatin1String("WITHOUT ROWID")));
}

void TestWarehouse::versionAndJournal()
{
    QCOMPARE(scalar(QStringLiteral("PRAGMA user_version")).toInt(), Warehouse::SchemaVersion);
    QCOMPARE(scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

void TestWarehouse::initializeIsIdempotent()
{
    QVERIFY(Warehouse::initialize(path()));
    QVERIFY(Warehouse::initialize(path()));
    QCOMPARE(
        scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type='table'")).toInt(), 4);
}

void TestWarehouse::firstWriteWins()
{
    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test"));
    QVERIFY(db);
    QVERIFY(db->exec(
        QStringLiteral("INSERT OR IGNORE INTO coin_price VALUES ('BTC','USD','5m',600,100.5)")));
    QVERIFY(db->exec(
        QStringLiteral("INSERT OR IGNORE INTO coin_price VALUES ('BTC','USD','5m',600,999.0)")));
    QCOMPARE(
        scalar(QStringLiteral("SELECT price FROM coin_price WHERE start_timestamp=600")).toDouble(),
        100.5);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM coin_price")).toInt(), 1);
    // A plain INSERT of an existing key is refused by the key.
    QVERIFY(!db->exec(QStringLiteral("INSERT INTO coin_price VALUES ('BTC','USD','5m',600,1.0)")));
}

void TestWarehouse::newerSchemaIsRefused()
{
    {
        Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test"));
        QVERIFY(db->exec(QStringLiteral("PRAGMA user_version = 99")));
    }
    const Result<void> ok = Warehouse::initialize(path());
    QVERIFY(!ok);
    QCOMPARE(ok.error().where, path());
    QVERIFY2(ok.error().what.contains(QLatin1String("99")), qPrintable(ok.error().message()));
}

QTEST_GUILESS_MAIN(TestWarehouse)
#include "tst_warehouse.moc"
