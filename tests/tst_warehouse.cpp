// Warehouse schema: its tables and keys, WAL, versioning and first-write-wins, and the
// migration that rebuilds clean rows from the raw rows.

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
    void version1CleanRowsRebuiltFromRaw();

private:
    QStringList rows(const QString &sql) const;
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

QStringList TestWarehouse::rows(const QString &sql) const
{
    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test"));
    QSqlQuery query(db->database());
    if (!query.exec(sql))
        return { QStringLiteral("query failed: ") + sql };
    QStringList result;
    while (query.next()) {
        QStringList cells;
        for (int i = 0; i < query.record().count(); ++i)
            cells << query.value(i).toString();
        result << cells.join(u'|');
    }
    return result;
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

// A version-1 warehouse whose clean table drifted from its raw tables (a late kline joined the
// hash rate of the run that brought it): opening it rebuilds the drifted rows from the raw rows
// and adds missing ones; clean rows with nothing to rebuild them from stay.
void TestWarehouse::version1CleanRowsRebuiltFromRaw()
{
    {
        Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test"));
        QVERIFY(db);
        const QStringList statements = {
            QStringLiteral("PRAGMA user_version = 1"),
            // Raw rows of slots 0..1200 for 5m, and of 3600 for 1h.
            QStringLiteral("INSERT INTO coin_price VALUES ('BTC','USD','5m',0,100.0),"
                           " ('BTC','USD','5m',300,101.0), ('BTC','USD','5m',600,102.0),"
                           " ('BTC','USD','5m',900,103.0), ('BTC','USD','1h',3600,110.0)"),
            QStringLiteral("INSERT INTO network_hash_rate VALUES ('BTC','5m',0,7e20),"
                           " ('BTC','5m',300,7.1e20), ('BTC','5m',600,7.2e20),"
                           " ('BTC','5m',900,7.3e20), ('BTC','5m',1200,7.4e20),"
                           " ('BTC','1h',3600,7.5e20)"),
            QStringLiteral("INSERT INTO network_difficulty VALUES ('BTC','5m',0,9e13),"
                           " ('BTC','5m',300,9e13), ('BTC','5m',600,9e13), ('BTC','5m',900,9e13),"
                           " ('BTC','5m',1200,9e13), ('BTC','1h',3600,9.5e13)"),
            // 0 agrees; 300 holds a later run's hash rate, 900 another difficulty and 1h/3600
            // another price; 600 is missing; 1200 has no price and 1500 no raw rows at all.
            QStringLiteral("INSERT INTO btc_usd_price_with_net_stat VALUES"
                           " ('5m',0,100.0,7e20,9e13), ('5m',300,101.0,7.15e20,9e13),"
                           " ('5m',900,103.0,7.3e20,8e13), ('5m',1200,104.0,7.4e20,9e13),"
                           " ('5m',1500,105.0,7.5e20,9e13), ('1h',3600,111.0,7.5e20,9.5e13)"),
        };
        for (const QString &sql : statements)
            QVERIFY2(db->exec(sql), qPrintable(sql));
    }
    const QString join = QStringLiteral(
        "SELECT p.timeframe, p.start_timestamp, p.price, h.hash_rate, d.difficulty"
        " FROM coin_price p JOIN network_hash_rate h ON h.network = 'BTC'"
        " AND h.timeframe = p.timeframe AND h.start_timestamp = p.start_timestamp"
        " JOIN network_difficulty d ON d.network = 'BTC' AND d.timeframe = p.timeframe"
        " AND d.start_timestamp = p.start_timestamp WHERE p.coin = 'BTC' AND p.currency = 'USD'");
    const QString clean =
        QStringLiteral("SELECT timeframe, start_timestamp, price, hash_rate, difficulty"
                       " FROM btc_usd_price_with_net_stat");
    QCOMPARE(rows(join + QStringLiteral(" EXCEPT ") + clean).size(), 4);

    QVERIFY(Warehouse::initialize(path()));
    QCOMPARE(scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
    QCOMPARE(rows(join + QStringLiteral(" EXCEPT ") + clean), QStringList());
    QCOMPARE(rows(QStringLiteral("SELECT timeframe, start_timestamp FROM (%1 EXCEPT %2)"
                                 " ORDER BY 2")
                      .arg(clean, join)),
        QStringList({ QStringLiteral("5m|1200"), QStringLiteral("5m|1500") }));
    QCOMPARE(scalar(QStringLiteral("SELECT hash_rate FROM btc_usd_price_with_net_stat"
                                   " WHERE timeframe = '5m' AND start_timestamp = 300"))
                 .toDouble(),
        7.1e20);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM btc_usd_price_with_net_stat")).toInt(), 7);
}

QTEST_GUILESS_MAIN(TestWarehouse)
#include "tst_warehouse.moc"
