// `sluice run btc-backfill` end to end: the sluice binary in a QProcess, given the loopback
// fixture's URL through SLUICE_BINANCE_URL / SLUICE_MEMPOOL_URL, while this process serves the
// payloads (its event loop keeps running: the process is awaited with QTRY, not
// waitForFinished). Checks the exit code, the message and the warehouse in the data folder.

#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

#include "btcfixture.h"
#include "sluiceprocess.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;
using namespace BtcTest;

namespace {

const QStringList tables = { "coin_price", "network_hash_rate", "network_difficulty",
    "btc_usd_price_with_net_stat" };

struct Output
{
    int code = -1;
    QString text; // stdout and stderr
};

} // namespace

class TestBtcFlowsCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void backfill();
    void serverError();
    void hostileServerTextIsEscaped();

private:
    Output sluice(const QStringList &arguments);
    QStringList dump(qint64 upTo = std::numeric_limits<qint64>::max()) const;
    QList<qint64> counts() const;
    qint64 lastSlot() const;
    QString warehousePath() const { return m_dir->filePath(QStringLiteral("warehouse.sqlite")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HttpFixture> m_server;
};

void TestBtcFlowsCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<HttpFixture>();
    QVERIFY(m_server->listen());
    // The real clock: the sluice process reads its own.
    Payloads::generate(QDateTime::currentSecsSinceEpoch(), 30).serve(*m_server);
}

void TestBtcFlowsCli::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

Output TestBtcFlowsCli::sluice(const QStringList &arguments)
{
    const SluiceProcess::Output output =
        SluiceProcess::run(QStringList{ QStringLiteral("--data-dir"), m_dir->path() } + arguments,
            SluiceProcess::environment(
                { { QStringLiteral("SLUICE_BINANCE_URL"), m_server->url().toString() },
                    { QStringLiteral("SLUICE_MEMPOOL_URL"), m_server->url().toString() },
                    { QStringLiteral("http_proxy"), {} }, { QStringLiteral("https_proxy"), {} },
                    { QStringLiteral("all_proxy"), {} }, { QStringLiteral("HTTP_PROXY"), {} },
                    { QStringLiteral("HTTPS_PROXY"), {} }, { QStringLiteral("ALL_PROXY"), {} },
                    { QStringLiteral("LANG"), QStringLiteral("C") } }),
            QStringLiteral(SLUICE_EXECUTABLE), 90000);
    return { output.code, output.out + output.err };
}

QStringList TestBtcFlowsCli::dump(qint64 upTo) const
{
    QStringList rows;
    Result<SqliteConnection> db = SqliteConnection::open(warehousePath(), QStringLiteral("test"));
    if (!db)
        return { db.error().message() };
    for (const QString &table : tables) {
        QSqlQuery query(db->database());
        query.prepare(QStringLiteral("SELECT * FROM %1 WHERE start_timestamp <= ? "
                                     "ORDER BY start_timestamp")
                          .arg(table));
        query.addBindValue(upTo);
        if (!query.exec())
            return { table + QStringLiteral(" unreadable") };
        while (query.next()) {
            QStringList fields{ table };
            for (int i = 0; i < query.record().count(); ++i)
                fields << query.value(i).toString();
            rows << fields.join(QLatin1Char('|'));
        }
    }
    return rows;
}

QList<qint64> TestBtcFlowsCli::counts() const
{
    QList<qint64> result;
    Result<SqliteConnection> db = SqliteConnection::open(warehousePath(), QStringLiteral("test"));
    if (!db)
        return {};
    for (const QString &table : tables) {
        QSqlQuery query(db->database());
        if (!query.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !query.next())
            return {};
        result << query.value(0).toLongLong();
    }
    return result;
}

qint64 TestBtcFlowsCli::lastSlot() const
{
    Result<SqliteConnection> db = SqliteConnection::open(warehousePath(), QStringLiteral("test"));
    if (!db)
        return -1;
    QSqlQuery query(db->database());
    if (!query.exec(QStringLiteral("SELECT max(start_timestamp) FROM btc_usd_price_with_net_stat"))
        || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

void TestBtcFlowsCli::backfill()
{
    const qint64 before = floorTo(QDateTime::currentSecsSinceEpoch(), Slot);
    const Output first = sluice({ QStringLiteral("run"), QStringLiteral("btc-backfill") });
    const qint64 after = floorTo(QDateTime::currentSecsSinceEpoch(), Slot);
    QVERIFY2(first.code == 0, qPrintable(first.text));
    QVERIFY2(first.text.contains(QLatin1String("Run 1 of flow \"btc-backfill\" completed")),
        qPrintable(first.text));
    // The last 30 days, ending with the slot that was current, in all four tables.
    QCOMPARE(counts(), QList<qint64>({ 8640, 8640, 8640, 8640 }));
    const qint64 last = lastSlot();
    QVERIFY(last >= before && last <= after);
    const Output flows = sluice({ QStringLiteral("flows") });
    QCOMPARE(flows.code, 0);
    QVERIFY2(
        flows.text.contains(QRegularExpression(QStringLiteral("\\nbtc-backfill .* Completed"))),
        qPrintable(flows.text));
    QVERIFY2(flows.text.contains(QLatin1String("\nbtc-update ")), qPrintable(flows.text));
    const QStringList stored = dump();

    // Again: nothing added, unless a slot began meanwhile (then exactly the new slots).
    const Output second = sluice({ QStringLiteral("run"), QStringLiteral("btc-backfill") });
    QVERIFY2(second.code == 0, qPrintable(second.text));
    const qint64 added = (lastSlot() - last) / Slot;
    QCOMPARE(counts(), QList<qint64>({ 8640 + added, 8640 + added, 8640 + added, 8640 + added }));
    QCOMPARE(dump(last), stored);
}

void TestBtcFlowsCli::serverError()
{
    QCOMPARE(sluice({ QStringLiteral("run"), QStringLiteral("btc-backfill"),
                        QStringLiteral("--param"), QStringLiteral("days=1") })
                 .code,
        0);
    const QStringList stored = dump();
    QCOMPARE(stored.size(), 4 * 288);

    m_server->route(klinesPath, HttpFixture::Response::text(500, "internal error"));
    m_server->clearRequests();
    const Output failed = sluice({ QStringLiteral("run"), QStringLiteral("btc-backfill"),
        QStringLiteral("--param"), QStringLiteral("days=2") });
    QVERIFY2(failed.code == 1, qPrintable(failed.text));
    const QString url = m_server->url().toString() + klinesPath + QLatin1Char('?');
    QVERIFY2(failed.text.contains(QStringLiteral("Failed task: fetch-klines: GET ") + url),
        qPrintable(failed.text));
    QVERIFY2(failed.text.contains(QLatin1String("HTTP 500 Internal Server Error")),
        qPrintable(failed.text));
    QCOMPARE(dump(), stored);
    // The engine's retry policy: the first attempt and three retries.
    QCOMPARE(m_server->requests(klinesPath).size(), 4);
}

// A server that answers a kline whose price is an escape sequence, BEL, CR, a C1 CSI and a
// bidi override: the task's error quotes it, escaped, on the terminal; runs.sqlite keeps it as
// received. An invalid response is not retried (issue 13 item 7): the run fails.
void TestBtcFlowsCli::hostileServerTextIsEscaped()
{
    m_server->route(klinesPath, [](const HttpFixture::Request &) {
        return HttpFixture::Response::json(
            "[[1700000100000,\"\\u001b[31mred\\u0007\\rfake\\u009b2J\\u202e\","
            "\"1\",\"1\",\"1\",\"1\",1700000399999]]");
    });
    const Output output = sluice({ QStringLiteral("run"), QStringLiteral("btc-backfill"),
        QStringLiteral("--param"), QStringLiteral("days=1") });
    QVERIFY2(output.code == 1, qPrintable(output.text));
    QCOMPARE(m_server->requests(klinesPath).size(), 1);
    QVERIFY2(output.text.contains(
                 QLatin1String("open price \"\\x1b[31mred\\x07\\rfake\\x9b2J\\u202e\" is not a "
                               "decimal number")),
        qPrintable(output.text));
    for (QChar raw : { QChar(0x1b), QChar(u'\a'), QChar(u'\r'), QChar(0x9b), QChar(0x202e) })
        QVERIFY2(!output.text.contains(raw), qPrintable(QString::number(raw.unicode(), 16)));

    Result<SqliteConnection> runs =
        SqliteConnection::open(m_dir->filePath(QStringLiteral("runs.sqlite")),
            QStringLiteral("test"), SqliteConnection::Mode::ReadOnly);
    QVERIFY(runs);
    QSqlQuery query(runs->database());
    QVERIFY(query.exec(QStringLiteral("SELECT message FROM transitions WHERE state = 'Failed'")));
    QVERIFY(query.next());
    QVERIFY2(
        query.value(0).toString().contains(QStringLiteral("\"\x1b[31mred\a\rfake\u009b2J\u202e\"")),
        qPrintable(query.value(0).toString()));
}

QTEST_GUILESS_MAIN(TestBtcFlowsCli)
#include "tst_btcflowscli.moc"
