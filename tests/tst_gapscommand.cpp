// `sluice gaps` run as a user would, on a warehouse with planted holes: the text and CSV
// listings, "No gaps", a window, the same ranges with and without the gap cache, and the
// usage errors (exit 2) for a bad table or time.

#include <memory>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "sluiceprocess.h"
#include "storage/sqliteconnection.h"
#include "storage/warehouse.h"

using namespace Sluice;

class TestGapsCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void noGaps();
    void textListing();
    void csvListing();
    void jsonListing();
    void window();
    void cachedAnswers();
    void errors_data();
    void errors();

private:
    SluiceProcess::Output gaps(const QStringList &args);
    QString dataDir() const { return m_dir->filePath(QStringLiteral("data")); }
    QString warehouse() const { return dataDir() + QStringLiteral("/warehouse.sqlite"); }
    void exec(const QString &sql);
    void plantHoles();

    std::unique_ptr<QTemporaryDir> m_dir;
};

// 2024-03-08T00:00:00Z
constexpr qint64 Base = 1709856000;

void TestGapsCommand::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir().mkdir(dataDir()));
    QVERIFY(Warehouse::initialize(warehouse()));
    // 100 five-minute slots of the clean table, and 10 hourly BTC/USD prices.
    exec(QStringLiteral("INSERT INTO btc_usd_price_with_net_stat WITH RECURSIVE n(i) AS ("
                        "SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99)"
                        " SELECT '5m', %1 + i * 300, 1.0, 2.0, 3.0 FROM n")
             .arg(Base));
    exec(QStringLiteral("INSERT INTO coin_price WITH RECURSIVE n(i) AS ("
                        "SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)"
                        " SELECT 'BTC', 'USD', '1h', %1 + i * 3600, 1.0 FROM n")
             .arg(Base));
}

void TestGapsCommand::exec(const QString &sql)
{
    Result<SqliteConnection> db = SqliteConnection::open(warehouse(), QStringLiteral("test"));
    QVERIFY(db);
    QVERIFY2(db->exec(sql), qPrintable(sql));
}

// Slot 10 of the clean table (00:50), slots 20-31 (01:40 to 02:40, twelve slots), and the
// hour 05:00 of BTC/USD.
void TestGapsCommand::plantHoles()
{
    exec(QStringLiteral("DELETE FROM btc_usd_price_with_net_stat WHERE start_timestamp = %1"
                        " OR start_timestamp BETWEEN %2 AND %3")
             .arg(Base + 10 * 300)
             .arg(Base + 20 * 300)
             .arg(Base + 31 * 300));
    exec(QStringLiteral("DELETE FROM coin_price WHERE start_timestamp = %1").arg(Base + 5 * 3600));
}

SluiceProcess::Output TestGapsCommand::gaps(const QStringList &args)
{
    return SluiceProcess::run(
        QStringList{ QStringLiteral("--data-dir"), dataDir(), QStringLiteral("gaps") } + args,
        SluiceProcess::environment({ { QStringLiteral("XDG_CONFIG_HOME"),
            m_dir->filePath(QStringLiteral("xdg-config")) } }));
}

void TestGapsCommand::noGaps()
{
    const SluiceProcess::Output output = gaps({});
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out, QStringLiteral("No gaps\n"));
}

void TestGapsCommand::textListing()
{
    plantHoles();
    const SluiceProcess::Output output = gaps({});
    QCOMPARE(output.code, 0);
    const QStringList lines = output.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QVERIFY2(lines.at(0).contains(QStringLiteral("END (EXCLUSIVE)")), qPrintable(lines.at(0)));
    const QStringList first = lines.at(1).simplified().split(QLatin1Char(' '));
    QCOMPARE(first.mid(0, 5),
        QStringList({ QStringLiteral("btc_usd_price_with_net_stat"), QStringLiteral("-"),
            QStringLiteral("5m"), QStringLiteral("2024-03-08T00:50:00Z"),
            QStringLiteral("2024-03-08T00:55:00Z") }));
    QCOMPARE(first.at(5), QStringLiteral("1"));
    QCOMPARE(first.mid(6).join(QLatin1Char(' ')), QStringLiteral("5 min"));
    const QStringList second = lines.at(2).simplified().split(QLatin1Char(' '));
    QCOMPARE(second.mid(3, 3),
        QStringList({ QStringLiteral("2024-03-08T01:40:00Z"),
            QStringLiteral("2024-03-08T02:40:00Z"), QStringLiteral("12") }));
    QCOMPARE(second.mid(6).join(QLatin1Char(' ')), QStringLiteral("1 h"));
    QVERIFY2(lines.at(3).startsWith(QStringLiteral("coin_price")), qPrintable(lines.at(3)));
    QVERIFY(lines.at(3).contains(QStringLiteral("BTC/USD")));

    const SluiceProcess::Output one =
        gaps({ QStringLiteral("--table"), QStringLiteral("coin_price") });
    QCOMPARE(one.code, 0);
    QCOMPARE(one.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), 2);
}

void TestGapsCommand::csvListing()
{
    plantHoles();
    const SluiceProcess::Output output =
        gaps({ QStringLiteral("--format"), QStringLiteral("csv") });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out,
        QStringLiteral("table,series,timeframe,first_missing,end_exclusive,slots,seconds\n"
                       "btc_usd_price_with_net_stat,,5m,2024-03-08T00:50:00Z,"
                       "2024-03-08T00:55:00Z,1,300\n"
                       "btc_usd_price_with_net_stat,,5m,2024-03-08T01:40:00Z,"
                       "2024-03-08T02:40:00Z,12,3600\n"
                       "coin_price,BTC/USD,1h,2024-03-08T05:00:00Z,2024-03-08T06:00:00Z,1,3600\n"));
}

void TestGapsCommand::jsonListing()
{
    plantHoles();
    const SluiceProcess::Output output = gaps({ QStringLiteral("--format"), QStringLiteral("json"),
        QStringLiteral("--table"), QStringLiteral("coin_price") });
    QCOMPARE(output.code, 0);
    const QJsonArray gaps = QJsonDocument::fromJson(output.rawOut).array();
    QCOMPARE(gaps.size(), 1);
    const QJsonObject gap = gaps.first().toObject();
    QCOMPARE(
        gap.value(QStringLiteral("series")).toObject().value(QStringLiteral("coin")).toString(),
        QStringLiteral("BTC"));
    QCOMPARE(gap.value(QStringLiteral("first_missing")).toString(),
        QStringLiteral("2024-03-08T05:00:00Z"));
    QCOMPARE(gap.value(QStringLiteral("slots")).toInt(), 1);
}

void TestGapsCommand::window()
{
    plantHoles();
    // From inside the twelve-slot gap to the end of the day: its last six slots, then the
    // slots after the last stored one.
    const SluiceProcess::Output output =
        gaps({ QStringLiteral("--table"), QStringLiteral("btc_usd_price_with_net_stat"),
            QStringLiteral("--from"), QStringLiteral("2024-03-08T02:10:00Z"),
            QStringLiteral("--to"), QStringLiteral("2024-03-08T10:00:00Z"),
            QStringLiteral("--format"), QStringLiteral("csv") });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).mid(1),
        QStringList({ QStringLiteral("btc_usd_price_with_net_stat,,5m,2024-03-08T02:10:00Z,"
                                     "2024-03-08T02:40:00Z,6,1800"),
            QStringLiteral("btc_usd_price_with_net_stat,,5m,2024-03-08T08:20:00Z,"
                           "2024-03-08T10:00:00Z,20,6000") }));
}

// The first run leaves a gap cache beside the warehouse; later runs, after rows were stored
// and deleted, list what a run without the cache lists.
void TestGapsCommand::cachedAnswers()
{
    plantHoles();
    const QString cache = warehouse() + QStringLiteral(".gapcache");
    const QStringList csv{ QStringLiteral("--format"), QStringLiteral("csv") };
    const SluiceProcess::Output first = gaps(csv);
    QCOMPARE(first.code, 0);
    QVERIFY(QFile::exists(cache));
    const SluiceProcess::Output cached = gaps(csv);
    QCOMPARE(cached.code, 0);
    QCOMPARE(cached.out, first.out);

    // Slots 100-104 and 110 stored after the end (a gap of five between), slot 20 stored in
    // the twelve-slot gap, slot 50 deleted; a new series of BTC/EUR.
    for (qint64 slot : { 100, 101, 102, 103, 104, 110, 20 })
        exec(QStringLiteral("INSERT INTO btc_usd_price_with_net_stat VALUES ('5m', %1, 1, 2, 3)")
                 .arg(Base + slot * 300));
    exec(QStringLiteral("DELETE FROM btc_usd_price_with_net_stat WHERE start_timestamp = %1")
             .arg(Base + 50 * 300));
    exec(QStringLiteral("INSERT INTO coin_price VALUES ('BTC', 'EUR', '1h', %1, 1),"
                        " ('BTC', 'EUR', '1h', %2, 1)")
             .arg(Base)
             .arg(Base + 3 * 3600));
    const SluiceProcess::Output changed = gaps(csv);
    QCOMPARE(changed.code, 0);
    QVERIFY(QFile::remove(cache));
    const SluiceProcess::Output fresh = gaps(csv);
    QCOMPARE(fresh.code, 0);
    QCOMPARE(changed.out, fresh.out);
    QCOMPARE(fresh.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).mid(1),
        QStringList({ QStringLiteral("btc_usd_price_with_net_stat,,5m,2024-03-08T00:50:00Z,"
                                     "2024-03-08T00:55:00Z,1,300"),
            QStringLiteral("btc_usd_price_with_net_stat,,5m,2024-03-08T01:45:00Z,"
                           "2024-03-08T02:40:00Z,11,3300"),
            QStringLiteral("btc_usd_price_with_net_stat,,5m,2024-03-08T04:10:00Z,"
                           "2024-03-08T04:15:00Z,1,300"),
            QStringLiteral("btc_usd_price_with_net_stat,,5m,2024-03-08T08:45:00Z,"
                           "2024-03-08T09:10:00Z,5,1500"),
            QStringLiteral("coin_price,BTC/EUR,1h,2024-03-08T01:00:00Z,2024-03-08T03:00:00Z,2,7200"),
            QStringLiteral(
                "coin_price,BTC/USD,1h,2024-03-08T05:00:00Z,2024-03-08T06:00:00Z,1,3600") }));
}

void TestGapsCommand::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named");
    QTest::newRow("unknown table") << QStringList{ QStringLiteral("--table"),
        QStringLiteral("nope") } << QStringLiteral("\"nope\" is not a slotted table");
    QTest::newRow("table without slots") << QStringList{ QStringLiteral("--table"),
        QStringLiteral("sqlite_master") } << QStringLiteral("\"sqlite_master\"");
    QTest::newRow("bad time") << QStringList{ QStringLiteral("--from"),
        QStringLiteral("yesterday") }
                              << QStringLiteral("--from: \"yesterday\"");
    QTest::newRow("reversed") << QStringList{ QStringLiteral("--from"),
        QStringLiteral("2024-03-09"), QStringLiteral("--to"), QStringLiteral("2024-03-08") }
                              << QStringLiteral("--from must be before --to");
    QTest::newRow("format") << QStringList{ QStringLiteral("--format"), QStringLiteral("xml") }
                            << QStringLiteral("--format: \"xml\"");
    QTest::newRow("other verb's option") << QStringList{ QStringLiteral("--limit"),
        QStringLiteral("3") } << QStringLiteral("\"--limit\" does not apply to \"gaps\"");
}

void TestGapsCommand::errors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    const SluiceProcess::Output output = gaps(args);
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(named), qPrintable(output.err));
    QVERIFY(output.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestGapsCommand)
#include "tst_gapscommand.moc"
