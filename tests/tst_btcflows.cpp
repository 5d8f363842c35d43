// The flows btc-backfill and btc-update run through the Engine against loopback HTTP (HttpFixture
// serving generated klines and mempool.space payloads on this thread), into a warehouse in a
// temporary data folder, with the clock fixed. Checks the warehouse exactly: rows per table,
// prices, hash rates and difficulties against an independent oracle (btcfixture.h), re-runs,
// and faults (500, 429 + Retry-After, truncated JSON, a series that misses the start): which are
// retried and which fail at once, how long a Retry-After is waited for, redirects.

#include <QElapsedTimer>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QtTest>

#include "btcfixture.h"
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/taskcontext.h"
#include "engineeventlog.h"
#include "flows/btcbackfillflow.h"
#include "flows/btcupdateflow.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;
using namespace BtcTest;

// Doubles compared bit for bit (QCOMPARE compares them fuzzily, which would hide a hash rate
// off by a few units in its last place).
#define QCOMPARE_EXACT(actual, expected)                                                           \
    QCOMPARE(QString::number((actual), 'g', 17), QString::number((expected), 'g', 17))

namespace {

const QStringList tables = { "coin_price", "network_hash_rate", "network_difficulty",
    "btc_usd_price_with_net_stat" };

struct Outcome
{
    RunFinishedEvent finished;
    QList<TaskStateEvent> states;
    QList<ProgressEvent> progress;
    QList<LogEvent> logs;
};

} // namespace

class TestBtcFlows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void backfillEmptyWarehouse();
    void backfillRerunAddsNothing();
    void backfillSinceLastSlot();
    void backfillDays();
    void backfillFromTo();
    void backfillKeepsGaps();
    void lateKlinesJoinStoredRawRows_data();
    void lateKlinesJoinStoredRawRows();
    void update();
    void faults_data();
    void faults();
    void retryAfter();
    void retryAfterLongerThanTheMaximum();
    void cancelDuringRetryAfter();
    void taskTimeoutEndsRetryAfter();
    void tlsFailureIsNotRetried();
    void redirectLoopIsNotRetried();
    void redirectToAnotherHostIsLogged();
    void cancel();
    void tasksHandOffTypedResults();

private:
    BtcFlowOptions options(qint64 now) const;
    // Runs flow (created with options(now), every task timed out after taskTimeoutMs when
    // that is not 0) to its end.
    Outcome run(
        const QString &flow, qint64 now, const QVariantMap &parameters = {}, int taskTimeoutMs = 0);
    // Starts a backfill of a day and waits until the klines task logged that it waits for the
    // server's Retry-After; the id of the run.
    qint64 startUntilWaiting(Engine &engine, EngineTest::EventLog &events);
    qint64 count(const QString &table) const;
    QList<qint64> counts() const;
    // Every row of the four tables, as text.
    QStringList dump() const;
    double value(const QString &table, const QString &column, qint64 slot) const;
    // The rows of one SQL query, as text.
    QStringList rows(const QString &sql) const;
    QString warehousePath() const { return m_dir->filePath(QStringLiteral("warehouse.sqlite")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HttpFixture> m_server;
    qint64 m_now = 0;
    int m_maxRetryWaitSeconds = 60;
    QUrl m_binanceUrl; // empty: the server's
};

void TestBtcFlows::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<HttpFixture>();
    QVERIFY(m_server->listen());
    m_maxRetryWaitSeconds = 60;
    m_binanceUrl = QUrl();
    // Within the current slot, so that the payloads' timestamps are sane for the clients.
    m_now = floorTo(QDateTime::currentSecsSinceEpoch(), Slot) + 123;
}

void TestBtcFlows::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

BtcFlowOptions TestBtcFlows::options(qint64 now) const
{
    BtcFlowOptions options;
    options.warehousePath = warehousePath();
    options.binance.baseUrl = m_binanceUrl.isEmpty() ? m_server->url() : m_binanceUrl;
    options.mempool.baseUrl = m_server->url();
    options.binance.timeoutSeconds = options.mempool.timeoutSeconds = 10;
    options.fetchRetry = RetryPolicy{ 2, 20, 1.0, 0 };
    options.maxRetryWaitSeconds = m_maxRetryWaitSeconds;
    options.now = [now] { return now; };
    return options;
}

Outcome TestBtcFlows::run(
    const QString &flow, qint64 now, const QVariantMap &parameters, int taskTimeoutMs)
{
    FlowRegistry registry;
    const BtcFlowOptions flowOptions = options(now);
    Flow definition = flow == QLatin1String(BtcUpdateFlow::Name)
        ? BtcUpdateFlow::create(flowOptions)
        : BtcBackfillFlow::create(flowOptions);
    definition.setTaskTimeoutMs(taskTimeoutMs);
    Result<void> added = registry.add(std::move(definition));
    if (!added)
        qFatal("%s", qPrintable(added.error().message()));
    Engine engine(registry);
    EngineTest::EventLog events(engine);
    const Result<qint64> id = engine.start(flow, parameters);
    if (!id)
        qFatal("%s", qPrintable(id.error().message()));
    if (!QTest::qWaitFor([&] { return events.finishedRun(*id) != nullptr; }, 60000))
        qFatal("the run did not finish within a minute");
    return Outcome{ *events.finishedRun(*id), events.states, events.progress, events.logs };
}

qint64 TestBtcFlows::count(const QString &table) const
{
    Result<SqliteConnection> db = SqliteConnection::open(warehousePath(), QStringLiteral("test"));
    if (!db)
        return -1;
    QSqlQuery query(db->database());
    if (!query.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

QList<qint64> TestBtcFlows::counts() const
{
    QList<qint64> result;
    for (const QString &table : tables)
        result << count(table);
    return result;
}

QStringList TestBtcFlows::dump() const
{
    QStringList rows;
    Result<SqliteConnection> db = SqliteConnection::open(warehousePath(), QStringLiteral("test"));
    if (!db)
        return { db.error().message() };
    for (const QString &table : tables) {
        QSqlQuery query(db->database());
        if (!query.exec(QStringLiteral("SELECT * FROM %1 ORDER BY start_timestamp").arg(table)))
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

double TestBtcFlows::value(const QString &table, const QString &column, qint64 slot) const
{
    Result<SqliteConnection> db = SqliteConnection::open(warehousePath(), QStringLiteral("test"));
    if (!db)
        return -1;
    QSqlQuery query(db->database());
    query.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE start_timestamp = ? AND timeframe = '5m'")
                      .arg(column, table));
    query.addBindValue(slot);
    if (!query.exec() || !query.next())
        return -1;
    return query.value(0).toDouble();
}

QStringList TestBtcFlows::rows(const QString &sql) const
{
    Result<SqliteConnection> db = SqliteConnection::open(warehousePath(), QStringLiteral("test"));
    if (!db)
        return { db.error().message() };
    QSqlQuery query(db->database());
    if (!query.exec(sql))
        return { QStringLiteral("query failed: ") + sql };
    QStringList result;
    while (query.next()) {
        QStringList fields;
        for (int i = 0; i < query.record().count(); ++i) {
            const QVariant v = query.value(i);
            fields << (v.typeId() == QMetaType::Double ? QString::number(v.toDouble(), 'g', 17)
                                                       : v.toString());
        }
        result << fields.join(QLatin1Char('|'));
    }
    return result;
}

void TestBtcFlows::backfillEmptyWarehouse()
{
    const Payloads payloads = Payloads::generate(m_now, 30);
    payloads.serve(*m_server);

    const Outcome outcome = run(QLatin1String(BtcBackfillFlow::Name), m_now);
    QVERIFY2(outcome.finished.state == RunState::Completed, qPrintable(outcome.finished.message));

    // The last 30 days: 8640 slots ending with the current one, in all four tables.
    const qint64 current = floorTo(m_now, Slot);
    const qint64 first = current - (8640 - 1) * Slot;
    QCOMPARE(counts(), QList<qint64>({ 8640, 8640, 8640, 8640 }));
    // The run tells the views which tables got rows (calm refresh).
    const QMap<QString, qint64> stored{ { QStringLiteral("btc_usd_price_with_net_stat"), 8640 },
        { QStringLiteral("coin_price"), 8640 }, { QStringLiteral("network_difficulty"), 8640 },
        { QStringLiteral("network_hash_rate"), 8640 } };
    QCOMPARE(outcome.finished.storedRows, stored);
    QCOMPARE_EXACT(
        value(QStringLiteral("coin_price"), QStringLiteral("price"), first - Slot), -1.0);
    QCOMPARE_EXACT(
        value(QStringLiteral("coin_price"), QStringLiteral("price"), current + Slot), -1.0);

    // Price: the kline's open; hash rate: floor interpolation, the current value at the
    // current slot; difficulty: a step at each adjustment.
    const QList<qint64> checked = { first, first + 7 * Slot, first + 4000 * Slot,
        floorTo(m_now, Day) - Slot, current - Slot, current };
    for (qint64 slot : checked) {
        QCOMPARE_EXACT(value(QStringLiteral("coin_price"), QStringLiteral("price"), slot),
            payloads.priceAt(slot));
        QCOMPARE_EXACT(
            value(QStringLiteral("network_hash_rate"), QStringLiteral("hash_rate"), slot),
            payloads.hashRateAt(slot));
        QCOMPARE_EXACT(
            value(QStringLiteral("network_difficulty"), QStringLiteral("difficulty"), slot),
            payloads.difficultyAt(slot));
        QCOMPARE_EXACT(value(tables[3], QStringLiteral("price"), slot), payloads.priceAt(slot));
        QCOMPARE_EXACT(
            value(tables[3], QStringLiteral("hash_rate"), slot), payloads.hashRateAt(slot));
        QCOMPARE_EXACT(
            value(tables[3], QStringLiteral("difficulty"), slot), payloads.difficultyAt(slot));
    }
    QCOMPARE_EXACT(value(QStringLiteral("network_hash_rate"), QStringLiteral("hash_rate"), current),
        double(payloads.current));
    // The difficulty steps: the slot before an adjustment keeps the one before.
    int steps = 0;
    for (qsizetype k = 1; k < payloads.adjustments.size(); ++k) {
        const qint64 at = payloads.adjustments[k].first;
        if (at <= first || at > current)
            continue;
        const qint64 stepSlot = floorTo(at, Slot) + (at % Slot ? Slot : 0);
        QCOMPARE_EXACT(value(tables[2], QStringLiteral("difficulty"), stepSlot),
            payloads.adjustments[k].second);
        QCOMPARE_EXACT(value(tables[2], QStringLiteral("difficulty"), stepSlot - Slot),
            payloads.adjustments[k - 1].second);
        ++steps;
    }
    QCOMPARE_GE(steps, 2);

    // 30 days reach back past 1m: 3m for both mining requests, one each.
    QCOMPARE(m_server->requests(hashratePath + "3m").size(), 1);
    QCOMPARE(m_server->requests(adjustmentsPath + "3m").size(), 1);
    QCOMPARE(m_server->requests(klinesPath).size(), 9); // 8640 klines, 1000 a page

    // The load reported its progress in slots, ending at the total.
    const auto last = std::find_if(outcome.progress.crbegin(), outcome.progress.crend(),
        [](const ProgressEvent &e) { return e.task == QLatin1String(BtcPipeline::LoadTask); });
    QVERIFY(last != outcome.progress.crend());
    QCOMPARE(last->total, 8640);
    QCOMPARE(last->done, 8640);
}

void TestBtcFlows::backfillRerunAddsNothing()
{
    Payloads::generate(m_now, 30).serve(*m_server);
    QCOMPARE(run(QLatin1String(BtcBackfillFlow::Name), m_now).finished.state, RunState::Completed);
    const QStringList before = dump();
    QCOMPARE(before.size(), 4 * 8640);
    m_server->clearRequests();

    const Outcome again = run(QLatin1String(BtcBackfillFlow::Name), m_now + 60);
    QVERIFY2(again.finished.state == RunState::Completed, qPrintable(again.finished.message));
    QCOMPARE(dump(), before);
    QVERIFY(m_server->requests().isEmpty()); // up to date: nothing fetched

    // Even when told to fill the whole span again: first write wins.
    const Outcome days =
        run(QLatin1String(BtcBackfillFlow::Name), m_now + 60, { { QStringLiteral("days"), 30 } });
    QVERIFY2(days.finished.state == RunState::Completed, qPrintable(days.finished.message));
    QCOMPARE(dump(), before);
    QVERIFY(!m_server->requests(klinesPath).isEmpty());
}

void TestBtcFlows::backfillSinceLastSlot()
{
    // A first backfill an hour and a bit ago, then one now: exactly the slots in between.
    const qint64 earlier = m_now - 3600 - 2 * Slot;
    Payloads::generate(earlier, 30).serve(*m_server);
    QCOMPARE(
        run(QLatin1String(BtcBackfillFlow::Name), earlier).finished.state, RunState::Completed);
    const QStringList before = dump();

    const Payloads payloads = Payloads::generate(m_now, 30);
    payloads.serve(*m_server);
    m_server->clearRequests();
    const Outcome outcome = run(QLatin1String(BtcBackfillFlow::Name), m_now);
    QVERIFY2(outcome.finished.state == RunState::Completed, qPrintable(outcome.finished.message));
    QCOMPARE(counts(), QList<qint64>({ 8640 + 14, 8640 + 14, 8640 + 14, 8640 + 14 }));
    const QStringList after = dump();
    for (const QString &row : before)
        QVERIFY2(after.contains(row), qPrintable(row)); // stored rows unchanged
    // One request of 14 klines from the slot after the last stored one; 1m reaches back.
    const QList<HttpFixture::Request> klines = m_server->requests(klinesPath);
    QCOMPARE(klines.size(), 1);
    QCOMPARE(klines[0].queryValue(QStringLiteral("startTime")).toLongLong(),
        (floorTo(earlier, Slot) + Slot) * 1000);
    QCOMPARE(klines[0].queryValue(QStringLiteral("limit")), QStringLiteral("14"));
    QCOMPARE(m_server->requests(hashratePath + "1m").size(), 1);
    const qint64 current = floorTo(m_now, Slot);
    QCOMPARE_EXACT(value(tables[3], QStringLiteral("price"), current), payloads.priceAt(current));
    QCOMPARE_EXACT(
        value(tables[1], QStringLiteral("hash_rate"), current), double(payloads.current));
}

void TestBtcFlows::backfillDays()
{
    Payloads::generate(m_now, 2).serve(*m_server);
    const Outcome outcome =
        run(QLatin1String(BtcBackfillFlow::Name), m_now, { { QStringLiteral("days"), 2 } });
    QVERIFY2(outcome.finished.state == RunState::Completed, qPrintable(outcome.finished.message));
    QCOMPARE(counts(), QList<qint64>({ 576, 576, 576, 576 }));
    QCOMPARE(m_server->requests(hashratePath + "1m").size(), 1);

    // Days out of range are refused before a run starts.
    FlowRegistry registry;
    QVERIFY(registry.add(BtcBackfillFlow::create(options(m_now))));
    Engine engine(registry);
    for (const int days : { -1, BtcBackfillFlow::MaxDays + 1 }) {
        const Result<qint64> refused = engine.start(
            QLatin1String(BtcBackfillFlow::Name), { { QStringLiteral("days"), days } });
        QVERIFY(!refused);
        QCOMPARE(refused.error().message(),
            QStringLiteral("flow \"btc-backfill\": parameter \"days\" is out of range 0..3650: %1")
                .arg(days));
    }
}

// One gap of the window's "Fill gaps": from and to fill exactly the slots of [from, to).
void TestBtcFlows::backfillFromTo()
{
    Payloads::generate(m_now, 2).serve(*m_server);
    const qint64 current = floorTo(m_now, Slot);
    const QString from =
        QDateTime::fromSecsSinceEpoch(current - 20 * Slot, QTimeZone::utc()).toString(Qt::ISODate);
    const Outcome outcome = run(QLatin1String(BtcBackfillFlow::Name), m_now,
        { { QStringLiteral("from"), from },
            { QStringLiteral("to"), QString::number(current - 8 * Slot) } });
    QVERIFY2(outcome.finished.state == RunState::Completed, qPrintable(outcome.finished.message));
    QCOMPARE(counts(), QList<qint64>({ 12, 12, 12, 12 }));

    // from with days, to alone, and a time without a zone are refused.
    for (const QVariantMap &parameters :
        { QVariantMap{ { QStringLiteral("from"), from }, { QStringLiteral("days"), 1 } },
            QVariantMap{ { QStringLiteral("to"), from } },
            QVariantMap{ { QStringLiteral("from"), QStringLiteral("2024-03-08T00:00:00") } } }) {
        const Outcome refused = run(QLatin1String(BtcBackfillFlow::Name), m_now, parameters);
        QCOMPARE(refused.finished.state, RunState::Failed);
    }
    QCOMPARE(counts(), QList<qint64>({ 12, 12, 12, 12 }));
}

void TestBtcFlows::backfillKeepsGaps()
{
    // Three klines Binance never sent: gaps in coin_price and the clean table, not invented.
    const qint64 current = floorTo(m_now, Slot);
    const QSet<qint64> missing = { current - 100 * Slot, current - 101 * Slot,
        current - 5000 * Slot };
    const Payloads payloads = Payloads::generate(m_now, 30, missing);
    payloads.serve(*m_server);
    const Outcome outcome = run(QLatin1String(BtcBackfillFlow::Name), m_now);
    QVERIFY2(outcome.finished.state == RunState::Completed, qPrintable(outcome.finished.message));
    QCOMPARE(counts(), QList<qint64>({ 8637, 8640, 8640, 8637 }));
    for (qint64 slot : missing) {
        QCOMPARE_EXACT(value(tables[0], QStringLiteral("price"), slot), -1.0);
        QCOMPARE_EXACT(value(tables[3], QStringLiteral("price"), slot), -1.0);
        QCOMPARE_EXACT(
            value(tables[1], QStringLiteral("hash_rate"), slot), payloads.hashRateAt(slot));
    }
}

void TestBtcFlows::lateKlinesJoinStoredRawRows_data()
{
    QTest::addColumn<qint64>("laterBy"); // seconds between the two runs
    QTest::addColumn<bool>("revised"); // mempool.space revised its hash rates in between
    QTest::newRow("same hash rates") << qint64(0) << false;
    QTest::newRow("hash rates recomputed differently") << 2 * Slot << true;
}

// A backfill over a gap in the klines, then the gap's klines served and another backfill over
// the same days: the late slots get their price, and their clean rows join the hash rate and
// difficulty stored by the first run (first write wins), not the second run's recomputation.
// Every clean row equals the join of the raw rows, checked both ways with EXCEPT.
void TestBtcFlows::lateKlinesJoinStoredRawRows()
{
    QFETCH(qint64, laterBy);
    QFETCH(bool, revised);
    const qint64 current = floorTo(m_now, Slot);
    const QList<qint64> gap = { current - 101 * Slot, current - 100 * Slot, current - 5000 * Slot };
    const Payloads first = Payloads::generate(m_now, 30, QSet<qint64>(gap.cbegin(), gap.cend()));
    first.serve(*m_server);
    const Outcome before = run(QLatin1String(BtcBackfillFlow::Name), m_now);
    QVERIFY2(before.finished.state == RunState::Completed, qPrintable(before.finished.message));
    QCOMPARE(counts(), QList<qint64>({ 8637, 8640, 8640, 8637 }));

    const qint64 later = m_now + laterBy;
    Payloads second = Payloads::generate(later, 30);
    if (revised) {
        for (auto &sample : second.hashrates)
            sample.second += Int128(3) * 1000000000000000000LL;
        second.current += Int128(5) * 1000000000000000000LL;
    }
    second.serve(*m_server);
    const Outcome after =
        run(QLatin1String(BtcBackfillFlow::Name), later, { { QStringLiteral("days"), 30 } });
    QVERIFY2(after.finished.state == RunState::Completed, qPrintable(after.finished.message));
    const qint64 added = laterBy / Slot;
    QCOMPARE(counts(), QList<qint64>({ 8640 + added, 8640 + added, 8640 + added, 8640 + added }));

    for (qint64 slot : gap) {
        const double hashRate = value(tables[1], QStringLiteral("hash_rate"), slot);
        QCOMPARE_EXACT(hashRate, first.hashRateAt(slot)); // first write wins
        if (revised)
            QVERIFY(hashRate != second.hashRateAt(slot));
        QCOMPARE_EXACT(value(tables[3], QStringLiteral("hash_rate"), slot), hashRate);
        QCOMPARE_EXACT(value(tables[3], QStringLiteral("price"), slot), second.priceAt(slot));
        QCOMPARE_EXACT(value(tables[3], QStringLiteral("difficulty"), slot),
            value(tables[2], QStringLiteral("difficulty"), slot));
    }

    // clean = join(raw), every row both ways.
    const QString join = QStringLiteral(
        "SELECT p.timeframe, p.start_timestamp, p.price, h.hash_rate, d.difficulty"
        " FROM coin_price p JOIN network_hash_rate h ON h.network = 'BTC'"
        " AND h.timeframe = p.timeframe AND h.start_timestamp = p.start_timestamp"
        " JOIN network_difficulty d ON d.network = 'BTC' AND d.timeframe = p.timeframe"
        " AND d.start_timestamp = p.start_timestamp WHERE p.coin = 'BTC' AND p.currency = 'USD'");
    const QString clean = QStringLiteral("SELECT timeframe, start_timestamp, price, hash_rate,"
                                         " difficulty FROM btc_usd_price_with_net_stat");
    QCOMPARE(rows(join + QStringLiteral(" EXCEPT ") + clean), QStringList());
    QCOMPARE(rows(clean + QStringLiteral(" EXCEPT ") + join), QStringList());
}

void TestBtcFlows::update()
{
    Payloads payloads = Payloads::generate(m_now, 1);
    payloads.serve(*m_server);
    const Outcome outcome = run(QLatin1String(BtcUpdateFlow::Name), m_now);
    QVERIFY2(outcome.finished.state == RunState::Completed, qPrintable(outcome.finished.message));
    QCOMPARE(counts(), QList<qint64>({ 3, 3, 3, 3 }));
    const qint64 current = floorTo(m_now, Slot);
    for (qint64 slot : { current - 2 * Slot, current - Slot, current }) {
        QCOMPARE_EXACT(value(tables[3], QStringLiteral("price"), slot), payloads.priceAt(slot));
        QCOMPARE_EXACT(
            value(tables[3], QStringLiteral("hash_rate"), slot), payloads.hashRateAt(slot));
        QCOMPARE_EXACT(
            value(tables[3], QStringLiteral("difficulty"), slot), payloads.difficultyAt(slot));
    }
    QCOMPARE(m_server->requests(hashratePath + "1m").size(), 1);
    QCOMPARE(m_server->requests(adjustmentsPath + "3m").size(), 1);
    const QStringList before = dump();

    // A minute later the live hash rate has moved: the stored slot keeps its value, and the
    // next slot is added when its time comes.
    payloads.current += Int128(5) * 1000000000000000000LL;
    payloads.serve(*m_server);
    const Outcome calm = run(QLatin1String(BtcUpdateFlow::Name), m_now + 60);
    QCOMPARE(calm.finished.state, RunState::Completed);
    QCOMPARE(dump(), before);
    // Nothing new: the finished run names no table with rows, so no view reads again.
    for (auto it = calm.finished.storedRows.cbegin(); it != calm.finished.storedRows.cend(); ++it)
        QCOMPARE(it.value(), qint64(0));
    QCOMPARE(
        run(QLatin1String(BtcUpdateFlow::Name), m_now + Slot).finished.state, RunState::Completed);
    QCOMPARE(counts(), QList<qint64>({ 4, 4, 4, 4 }));
    const QStringList after = dump();
    for (const QString &row : before)
        QVERIFY2(after.contains(row), qPrintable(row));
    QCOMPARE_EXACT(
        value(tables[1], QStringLiteral("hash_rate"), current + Slot), double(payloads.current));
}

void TestBtcFlows::faults_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("truncateAt");
    QTest::addColumn<QString>("task");
    QTest::addColumn<QStringList>("message");
    QTest::addColumn<int>("attempts");

    QTest::newRow("klines 500") << klinesPath << 500 << QByteArray("oops") << -1
                                << BtcPipeline::KlinesTask
                                << QStringList{ "GET " + klinesPath + "?", "HTTP 500" } << 3;
    QTest::newRow("hash rates 503")
        << hashratePath + "1m" << 503 << QByteArray() << -1 << BtcPipeline::HashRatesTask
        << QStringList{ "GET " + hashratePath + "1m", "HTTP 503" } << 3;
    QTest::newRow("adjustments truncated")
        << adjustmentsPath + "3m" << 200 << QByteArray("[[1727335872,862848,884041919") << 12
        << BtcPipeline::DifficultyTask << QStringList{ "GET " + adjustmentsPath + "3m" } << 3;
    QTest::newRow("klines 429 without Retry-After")
        << klinesPath << 429 << QByteArray() << -1 << BtcPipeline::KlinesTask
        << QStringList{ "GET " + klinesPath + "?", "HTTP 429" } << 3;
    QTest::newRow("klines 408") << klinesPath << 408 << QByteArray() << -1
                                << BtcPipeline::KlinesTask
                                << QStringList{ "GET " + klinesPath + "?", "HTTP 408" } << 3;
    // Permanent failures: one request, and the message says why there was no other.
    const QString notRetried =
        QStringLiteral("; not retried: trying again would fail the same way");
    QTest::newRow("klines 404") << klinesPath << 404 << QByteArray("no such path") << -1
                                << BtcPipeline::KlinesTask
                                << QStringList{ "GET " + klinesPath + "?",
                                       "HTTP 404 Not Found: no such path" + notRetried }
                                << 1;
    QTest::newRow("klines 400") << klinesPath << 400
                                << QByteArray(R"({"code":-1121,"msg":"Invalid symbol."})") << -1
                                << BtcPipeline::KlinesTask
                                << QStringList{ "GET " + klinesPath + "?",
                                       "HTTP 400 Bad Request: Invalid symbol." + notRetried }
                                << 1;
    QTest::newRow("hash rates truncated JSON")
        << hashratePath + "1m" << 200 << QByteArray("{\"hashrates\":[{\"timestamp\":17") << -1
        << BtcPipeline::HashRatesTask
        << QStringList{ "GET " + hashratePath + "1m", "invalid JSON", notRetried } << 1;
    // Adjustments that all come after the range's first slot: the transform refuses.
    QTest::newRow("difficulty misses the start")
        << adjustmentsPath + "3m" << 200 << QByteArray() << -1 << BtcPipeline::TransformTask
        << QStringList{ "starting point missed", "difficulty" } << 1;
}

void TestBtcFlows::faults()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, truncateAt);
    QFETCH(QString, task);
    QFETCH(QStringList, message);
    QFETCH(int, attempts);

    // A warehouse holding an earlier day, then a backfill of the two days since.
    const qint64 earlier = m_now - Day;
    Payloads::generate(earlier, 1).serve(*m_server);
    QCOMPARE(run(QLatin1String(BtcBackfillFlow::Name), earlier, { { QStringLiteral("days"), 1 } })
                 .finished.state,
        RunState::Completed);
    const QStringList before = dump();
    QCOMPARE(before.size(), 4 * 288);

    const Payloads payloads = Payloads::generate(m_now, 2);
    payloads.serve(*m_server);
    if (task == QLatin1String(BtcPipeline::TransformTask)) {
        body = "[[" + QByteArray::number(m_now - 3600) + ",900000,90000000000000,1.01]]";
    }
    HttpFixture::Response response = status == 200 && !body.isEmpty()
        ? HttpFixture::Response::json(body, status)
        : HttpFixture::Response::text(status, body);
    response.truncateAt = truncateAt;
    m_server->route(path, response);
    m_server->clearRequests();

    const Outcome outcome =
        run(QLatin1String(BtcBackfillFlow::Name), m_now, { { QStringLiteral("days"), 2 } });
    QCOMPARE(outcome.finished.state, RunState::Failed);
    QCOMPARE(outcome.finished.failedTask, task);
    for (const QString &part : message) {
        const QString text = part.contains(QLatin1String("GET "))
            ? QString(part).replace(
                QLatin1String("GET "), QLatin1String("GET ") + m_server->url().toString())
            : part;
        QVERIFY2(outcome.finished.message.contains(text),
            qPrintable(outcome.finished.message + QStringLiteral(" lacks ") + text));
    }
    if (task != QLatin1String(BtcPipeline::TransformTask))
        QCOMPARE(m_server->requests(path).size(), attempts);
    if (attempts > 1) // retried until no attempt was left: nothing to explain
        QVERIFY2(!outcome.finished.message.contains(QLatin1String("not retried")),
            qPrintable(outcome.finished.message));
    // Nothing of the failed run reached the warehouse; the load never ran.
    QCOMPARE(dump(), before);
    for (const TaskStateEvent &state : outcome.states) {
        if (state.task == QLatin1String(BtcPipeline::LoadTask))
            QCOMPARE(state.state, RunState::Skipped);
    }
}

void TestBtcFlows::retryAfter()
{
    const Payloads payloads = Payloads::generate(m_now, 1);
    payloads.serve(*m_server);
    QElapsedTimer clock;
    clock.start();
    QList<qint64> at;
    const HttpFixture::Handler klines = payloads.klines.handler();
    m_server->route(klinesPath, [&](const HttpFixture::Request &request) {
        at << clock.elapsed();
        if (at.size() == 1) {
            return HttpFixture::Response::json(R"({"code":-1003,"msg":"Too many requests."})", 429)
                .withHeader("Retry-After", "2");
        }
        return klines(request);
    });
    m_maxRetryWaitSeconds = 5;

    const Outcome outcome =
        run(QLatin1String(BtcBackfillFlow::Name), m_now, { { QStringLiteral("days"), 1 } });
    QVERIFY2(outcome.finished.state == RunState::Completed, qPrintable(outcome.finished.message));
    QCOMPARE(at.size(), 2);
    QCOMPARE_GE(at[1] - at[0], 2000); // the server's wait, not only the engine's 20 ms
    QCOMPARE(counts(), QList<qint64>({ 288, 288, 288, 288 }));
    bool retried = false;
    for (const TaskStateEvent &state : outcome.states) {
        if (state.task == QLatin1String(BtcPipeline::KlinesTask)
            && state.state == RunState::Retrying) {
            retried = true;
            QVERIFY2(state.message.contains(QLatin1String("HTTP 429")), qPrintable(state.message));
        }
    }
    QVERIFY(retried);
}

void TestBtcFlows::retryAfterLongerThanTheMaximum()
{
    const Payloads payloads = Payloads::generate(m_now, 1);
    payloads.serve(*m_server);
    m_server->route(klinesPath,
        HttpFixture::Response::json(R"({"code":-1003,"msg":"Too many requests."})", 429)
            .withHeader("Retry-After", "900"));
    QElapsedTimer clock;
    clock.start();
    const Outcome outcome =
        run(QLatin1String(BtcBackfillFlow::Name), m_now, { { QStringLiteral("days"), 1 } });
    QCOMPARE(outcome.finished.state, RunState::Failed);
    QCOMPARE(outcome.finished.failedTask, QLatin1String(BtcPipeline::KlinesTask));
    QVERIFY2(outcome.finished.message.contains(
                 QLatin1String("HTTP 429 Too Many Requests, retry after 900 s: Too many requests.: "
                               "the server asks to wait 900 s, more than "
                               "sources.max-retry-wait-seconds (60 s); not retried")),
        qPrintable(outcome.finished.message));
    QCOMPARE(m_server->requests(klinesPath).size(), 1);
    QCOMPARE_LT(clock.elapsed(), 60000); // failed at once, not after a minute's wait
}

qint64 TestBtcFlows::startUntilWaiting(Engine &engine, EngineTest::EventLog &events)
{
    const Result<qint64> id =
        engine.start(QLatin1String(BtcBackfillFlow::Name), { { QStringLiteral("days"), 1 } });
    if (!id)
        return 0;
    const auto waiting = [&] {
        for (const LogEvent &log : events.logs) {
            if (log.task == QLatin1String(BtcPipeline::KlinesTask)
                && log.text.contains(QLatin1String("the server asks to wait 30 s")))
                return true;
        }
        return false;
    };
    return QTest::qWaitFor(waiting, 20000) ? *id : 0;
}

void TestBtcFlows::cancelDuringRetryAfter()
{
    const Payloads payloads = Payloads::generate(m_now, 1);
    payloads.serve(*m_server);
    m_server->route(klinesPath, HttpFixture::Response::text(503).withHeader("Retry-After", "30"));
    FlowRegistry registry;
    QVERIFY(registry.add(BtcBackfillFlow::create(options(m_now))));
    Engine engine(registry);
    EngineTest::EventLog events(engine);
    const qint64 id = startUntilWaiting(engine, events);
    QVERIFY(id != 0);

    const qint64 cancelledMs = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(engine.cancel(id, QStringLiteral("stop")));
    QTRY_VERIFY_WITH_TIMEOUT(events.finishedRun(id) != nullptr, 10000);
    const RunFinishedEvent &finished = *events.finishedRun(id);
    QCOMPARE(finished.state, RunState::Cancelled);
    // The wait ended within a second of the cancel (times taken by the engine, not by this
    // thread's event loop).
    QCOMPARE_LT(finished.finishedMs - cancelledMs, 1000);
    QCOMPARE(events.last(id, QLatin1String(BtcPipeline::KlinesTask))->state, RunState::Cancelled);
    QCOMPARE(m_server->requests(klinesPath).size(), 1);
}

void TestBtcFlows::taskTimeoutEndsRetryAfter()
{
    // A 30 s wait in a task that may take 1.5 s: it ends TimedOut at its timeout.
    const Payloads payloads = Payloads::generate(m_now, 1);
    payloads.serve(*m_server);
    m_server->route(klinesPath, HttpFixture::Response::text(503).withHeader("Retry-After", "30"));
    const Outcome outcome =
        run(QLatin1String(BtcBackfillFlow::Name), m_now, { { QStringLiteral("days"), 1 } }, 1500);
    QCOMPARE(outcome.finished.state, RunState::TimedOut);
    QCOMPARE(outcome.finished.failedTask, QLatin1String(BtcPipeline::KlinesTask));
    qint64 runningMs = 0;
    qint64 timedOutMs = 0;
    for (const TaskStateEvent &state : outcome.states) {
        if (state.task != QLatin1String(BtcPipeline::KlinesTask))
            continue;
        if (state.state == RunState::Running)
            runningMs = state.atMs;
        if (state.state == RunState::TimedOut)
            timedOutMs = state.atMs;
    }
    QVERIFY(runningMs > 0 && timedOutMs > 0);
    QCOMPARE_GE(timedOutMs - runningMs, 1500);
    QCOMPARE_LT(timedOutMs - runningMs, 30000); // at the timeout, not after the server's wait
    QCOMPARE(m_server->requests(klinesPath).size(), 1);
}

void TestBtcFlows::tlsFailureIsNotRetried()
{
    // https:// to the plain HTTP server: the handshake fails the same way each time.
    const Payloads payloads = Payloads::generate(m_now, 1);
    payloads.serve(*m_server);
    m_binanceUrl = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_server->port()));
    const Outcome outcome =
        run(QLatin1String(BtcBackfillFlow::Name), m_now, { { QStringLiteral("days"), 1 } });
    QCOMPARE(outcome.finished.state, RunState::Failed);
    QCOMPARE(outcome.finished.failedTask, QLatin1String(BtcPipeline::KlinesTask));
    QVERIFY2(outcome.finished.message.contains(QLatin1String(": TLS handshake failed: ")),
        qPrintable(outcome.finished.message));
    QVERIFY2(outcome.finished.message.contains(QLatin1String("; not retried")),
        qPrintable(outcome.finished.message));
    QCOMPARE(m_server->tlsHandshakes(), 1);
}

void TestBtcFlows::redirectLoopIsNotRetried()
{
    const Payloads payloads = Payloads::generate(m_now, 1);
    payloads.serve(*m_server);
    m_server->route(klinesPath, HttpFixture::Response::redirect("/loop"));
    m_server->route(QStringLiteral("/loop"), HttpFixture::Response::redirect("/loop"));
    const Outcome outcome =
        run(QLatin1String(BtcBackfillFlow::Name), m_now, { { QStringLiteral("days"), 1 } });
    QCOMPARE(outcome.finished.state, RunState::Failed);
    QCOMPARE(outcome.finished.failedTask, QLatin1String(BtcPipeline::KlinesTask));
    QVERIFY2(outcome.finished.message.contains(QLatin1String(": redirect loop: ")),
        qPrintable(outcome.finished.message));
    QVERIFY2(outcome.finished.message.contains(QLatin1String("; not retried")),
        qPrintable(outcome.finished.message));
    // One attempt: the request and at most 10 redirects.
    QCOMPARE(m_server->requests(klinesPath).size(), 1);
    QCOMPARE(m_server->requests(QStringLiteral("/loop")).size(), HttpFetcher::MaxRedirects);
    int attempts = 0;
    for (const TaskStateEvent &state : outcome.states) {
        if (state.task == QLatin1String(BtcPipeline::KlinesTask)
            && state.state == RunState::Running)
            ++attempts;
    }
    QCOMPARE(attempts, 1);
}

void TestBtcFlows::redirectToAnotherHostIsLogged()
{
    const Payloads payloads = Payloads::generate(m_now, 1);
    payloads.serve(*m_server);
    // A mirror on another loopback address: the run completes, and its log names the new host.
    HttpFixture mirror;
    QVERIFY(mirror.listen(QHostAddress(QStringLiteral("127.0.0.2"))));
    const HttpFixture::Handler klines = payloads.klines.handler();
    const QByteArray mirrorUrl = mirror.url().toEncoded();
    m_server->route(klinesPath, [mirrorUrl](const HttpFixture::Request &request) {
        return HttpFixture::Response::redirect(mirrorUrl + "/mirror" + request.target);
    });
    mirror.route(QStringLiteral("/mirror") + klinesPath, klines);
    const Outcome outcome =
        run(QLatin1String(BtcBackfillFlow::Name), m_now, { { QStringLiteral("days"), 1 } });
    QVERIFY2(outcome.finished.state == RunState::Completed, qPrintable(outcome.finished.message));
    QCOMPARE(counts(), QList<qint64>({ 288, 288, 288, 288 }));
    bool logged = false;
    for (const LogEvent &log : outcome.logs) {
        if (log.task == QLatin1String(BtcPipeline::KlinesTask) && log.level == LogLevel::Warning
            && log.text.contains(QLatin1String("redirects to another host, 127.0.0.2: ")))
            logged = true;
    }
    QVERIFY(logged);
}

void TestBtcFlows::cancel()
{
    // The klines take 20 s to come: cancelling the run stops the request at once.
    const Payloads payloads = Payloads::generate(m_now, 1);
    payloads.serve(*m_server);
    HttpFixture::Response slow = HttpFixture::Response::json(payloads.klines.page(0, 0, 1));
    slow.delayMs = 20000;
    m_server->route(klinesPath, slow);

    FlowRegistry registry;
    QVERIFY(registry.add(BtcBackfillFlow::create(options(m_now))));
    Engine engine(registry);
    EngineTest::EventLog events(engine);
    const Result<qint64> id = engine.start(QLatin1String(BtcBackfillFlow::Name));
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(!m_server->requests(klinesPath).isEmpty(), 10000);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(engine.cancel(*id, QStringLiteral("stop")));
    QTRY_VERIFY_WITH_TIMEOUT(events.finishedRun(*id) != nullptr, 10000);
    QCOMPARE_LT(clock.elapsed(), 5000);
    QCOMPARE(events.finishedRun(*id)->state, RunState::Cancelled);
    QCOMPARE(counts(), QList<qint64>({ 0, 0, 0, 0 }));
}

// Each task's result has one typed name that its maker and its readers share: the flows'
// tasks are those names, and the readers of each result run downstream of its maker.
void TestBtcFlows::tasksHandOffTypedResults()
{
    static_assert(std::is_same_v<decltype(BtcPipeline::Planned.from(std::declval<TaskContext &>())),
        BtcPlan>);
    static_assert(
        std::is_same_v<decltype(BtcPipeline::Transformed.from(std::declval<TaskContext &>())),
            SlotRows>);
    static_assert(
        std::is_same_v<decltype(BtcPipeline::Loaded.from(std::declval<TaskContext &>())), qint64>);
    for (Flow flow : { BtcUpdateFlow::create(options(0)), BtcBackfillFlow::create(options(0)) }) {
        QVERIFY(flow.validate());
        const QStringList names = { BtcPipeline::Planned.task(), BtcPipeline::KlinesFetched.task(),
            BtcPipeline::HashRatesFetched.task(), BtcPipeline::DifficultyFetched.task(),
            BtcPipeline::Transformed.task(), BtcPipeline::Loaded.task() };
        QCOMPARE(flow.taskCount(), int(names.size()));
        for (int i = 0; i < flow.taskCount(); ++i)
            QCOMPARE(flow.task(i).name, names.at(i));
        QCOMPARE(
            flow.task(flow.indexOf(BtcPipeline::Transformed.task())).upstream, names.mid(0, 4));
        QCOMPARE(flow.task(flow.indexOf(BtcPipeline::Loaded.task())).upstream,
            QStringList({ BtcPipeline::Planned.task(), BtcPipeline::Transformed.task() }));
    }
}

QTEST_GUILESS_MAIN(TestBtcFlows)
#include "tst_btcflows.moc"
