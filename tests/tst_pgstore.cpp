// The run store on a real PostgreSQL 15 (PgServer): connecting and why a connection fails,
// the schema created once by racing processes and refused when newer, and the fleet's queue:
// fire times unique, claims exactly once across workers, silent workers reaped, cancels.

#include <atomic>
#include <thread>

#include <QSqlDriver>
#include <QtTest>

#include "engine/runstate.h"
#include "pgserver.h"
#include "store/pgconnection.h"
#include "store/pgrunqueue.h"
#include "store/pgschema.h"
#include "store/storeurl.h"

using namespace Sluice;

namespace {

StoreUrl parsed(const QString &text)
{
    Result<StoreUrl> url = StoreUrl::parse(text);
    if (!url)
        qFatal("%s", qPrintable(url.error().message()));
    return *url;
}

// A connection with the schema in place, or a failed test.
std::optional<PgConnection> ready(const StoreUrl &url, const QString &role = QStringLiteral("test"))
{
    Result<PgConnection> connection = PgConnection::open(url, role);
    if (!connection) {
        qWarning("%s", qPrintable(connection.error().message()));
        return std::nullopt;
    }
    Result<int> schema = PgSchema::ensure(*connection);
    if (!schema) {
        qWarning("%s", qPrintable(schema.error().message()));
        return std::nullopt;
    }
    return std::move(*connection);
}

PgRunQueue::NewRun run(const QString &flow, std::optional<qint64> fireMs = std::nullopt,
    const QString &onCrash = QStringLiteral("fail"))
{
    PgRunQueue::NewRun added;
    added.flow = flow;
    added.fireMs = fireMs;
    added.onCrash = onCrash;
    added.trigger = fireMs ? QStringLiteral("schedule") : QStringLiteral("manual");
    return added;
}

} // namespace

class TestPgStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void connectsAndCreatesTheSchemaOnce();
    void racingProcessesCreateTheSchemaOnce();
    void newerSchemaIsRefusedWithBothVersions();
    void wrongPasswordIsNamedAndNeverShown();
    void missingDatabaseIsNamed();
    void noServerIsUnreachable();
    void serverKilledMidSessionIsTransient();

    void fireTimeIsQueuedOnce();
    void claimsAreExactlyOnceAcrossWorkers();
    void silentWorkerIsReaped();
    void crashRetryQueuesTheRunAgain();
    void cancelReachesTheOwningWorker();
    void oneLeaderAtATime();
    void storeCommandChecksTheStore();

private:
    std::unique_ptr<PgServer> m_server;
};

void TestPgStore::init()
{
    m_server = std::make_unique<PgServer>();
    if (!m_server->isRunning())
        QSKIP(qPrintable(QStringLiteral("no PostgreSQL server: ") + m_server->errorString()));
}

void TestPgStore::connectsAndCreatesTheSchemaOnce()
{
    const StoreUrl url = parsed(m_server->url());
    Result<PgConnection> connection = PgConnection::open(url, QStringLiteral("schema"));
    QVERIFY2(connection, qPrintable(connection ? QString() : connection.error().message()));
    Result<int> before = PgSchema::version(*connection);
    QVERIFY(before);
    QCOMPARE(*before, 0);
    Result<int> first = PgSchema::ensure(*connection);
    QVERIFY2(first, qPrintable(first ? QString() : first.error().message()));
    QCOMPARE(*first, 0);
    Result<int> second = PgSchema::ensure(*connection);
    QVERIFY(second);
    QCOMPARE(*second, PgSchema::Version);
    Result<QSqlQuery> tables = connection->exec(QStringLiteral(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        " AND table_name IN ('flow_runs', 'task_runs', 'transitions', 'log_lines', 'workers')"));
    QVERIFY(tables && tables->next());
    QCOMPARE(tables->value(0).toInt(), 5);
}

void TestPgStore::racingProcessesCreateTheSchemaOnce()
{
    // Eight connections (as eight starting workers would) ensure the schema at the same moment.
    const StoreUrl url = parsed(m_server->url());
    std::atomic_int failures{ 0 };
    std::atomic_int creators{ 0 };
    std::atomic_int go{ 0 };
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            Result<PgConnection> connection =
                PgConnection::open(url, QStringLiteral("race%1").arg(i));
            if (!connection) {
                ++failures;
                return;
            }
            ++go;
            while (go.load() < 8 && failures.load() == 0)
                std::this_thread::yield();
            Result<int> found = PgSchema::ensure(*connection);
            if (!found)
                ++failures;
            else if (*found == 0)
                ++creators;
        });
    }
    for (auto &thread : threads)
        thread.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(creators.load(), 1);
    std::optional<PgConnection> check = ready(url);
    QVERIFY(check);
    Result<QSqlQuery> rows = check->exec(QStringLiteral("SELECT count(*) FROM sluice_schema"));
    QVERIFY(rows && rows->next());
    QCOMPARE(rows->value(0).toInt(), 1);
}

void TestPgStore::newerSchemaIsRefusedWithBothVersions()
{
    const StoreUrl url = parsed(m_server->url());
    std::optional<PgConnection> connection = ready(url);
    QVERIFY(connection);
    QVERIFY(connection->exec(QStringLiteral("UPDATE sluice_schema SET version = 99")));
    QVERIFY(connection->exec(QStringLiteral("DROP TABLE log_lines")));
    Result<int> refused = PgSchema::ensure(*connection);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::Permanent);
    QVERIFY2(refused.error().what.contains(QLatin1String("99")), qPrintable(refused.error().what));
    QVERIFY2(refused.error().what.contains(QString::number(PgSchema::Version)),
        qPrintable(refused.error().what));
    // Nothing was changed: the table dropped stays dropped, the version stays 99.
    Result<QSqlQuery> table =
        connection->exec(QStringLiteral("SELECT to_regclass('log_lines') IS NULL"));
    QVERIFY(table && table->next());
    QVERIFY(table->value(0).toBool());
    Result<int> version = PgSchema::version(*connection);
    QVERIFY(version);
    QCOMPARE(*version, 99);
}

void TestPgStore::wrongPasswordIsNamedAndNeverShown()
{
    QVERIFY(!m_server->url().isEmpty());
    const StoreUrl url =
        parsed(QStringLiteral("postgresql://sluice:Wr0ngPassw0rd@127.0.0.1:%1/sluice")
                   .arg(m_server->port()));
    StoreFailure failure = StoreFailure::None;
    Result<PgConnection> connection = PgConnection::open(url, QStringLiteral("bad"), &failure);
    QVERIFY(!connection);
    QCOMPARE(failure, StoreFailure::AccessDenied);
    QCOMPARE(connection.error().code, ErrorCode::Permanent);
    const QString message = connection.error().message();
    QVERIFY2(message.contains(QLatin1String("\"sluice\"")), qPrintable(message));
    QVERIFY2(message.contains(QString::number(m_server->port())), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1String("Wr0ngPassw0rd")), qPrintable(message));
    // An unknown user reads the same (the server does not tell which).
    StoreFailure unknown = StoreFailure::None;
    QVERIFY(!PgConnection::open(
        parsed(QStringLiteral("postgresql://nobody:x@127.0.0.1:%1/sluice").arg(m_server->port())),
        QStringLiteral("bad"), &unknown));
    QCOMPARE(unknown, StoreFailure::AccessDenied);
}

void TestPgStore::missingDatabaseIsNamed()
{
    const QString good = m_server->url();
    QVERIFY(!good.isEmpty());
    StoreUrl url =
        parsed(good.left(good.lastIndexOf(QLatin1Char('/'))) + QStringLiteral("/nosuchdb"));
    StoreFailure failure = StoreFailure::None;
    Result<PgConnection> connection = PgConnection::open(url, QStringLiteral("bad"), &failure);
    QVERIFY(!connection);
    QCOMPARE(failure, StoreFailure::NoSuchDatabase);
    QVERIFY2(connection.error().what.contains(QLatin1String("nosuchdb")),
        qPrintable(connection.error().what));
}

void TestPgStore::noServerIsUnreachable()
{
    // A port nobody listens on: the server's own port after it has stopped.
    const QString text = m_server->url();
    m_server->kill();
    StoreFailure failure = StoreFailure::None;
    QElapsedTimer took;
    took.start();
    Result<PgConnection> connection =
        PgConnection::open(parsed(text), QStringLiteral("gone"), &failure);
    QVERIFY(!connection);
    QCOMPARE(failure, StoreFailure::Unreachable);
    QCOMPARE(connection.error().code, ErrorCode::Transient);
    QVERIFY2(connection.error().what.contains(QString::number(m_server->port())),
        qPrintable(connection.error().what));
    QVERIFY2(took.elapsed() < 5000, "a refused connection fails at once");
}

void TestPgStore::serverKilledMidSessionIsTransient()
{
    const StoreUrl url = parsed(m_server->url());
    std::optional<PgConnection> connection = ready(url);
    QVERIFY(connection);
    m_server->kill();
    Result<QSqlQuery> lost = connection->exec(QStringLiteral("SELECT 1"));
    QVERIFY(!lost);
    QCOMPARE(lost.error().code, ErrorCode::Transient);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    // A new connection works again; what was stored before the kill is there.
    std::optional<PgConnection> again = ready(url, QStringLiteral("again"));
    QVERIFY(again);
    Result<int> version = PgSchema::version(*again);
    QVERIFY(version);
    QCOMPARE(*version, PgSchema::Version);
}

void TestPgStore::fireTimeIsQueuedOnce()
{
    const StoreUrl url = parsed(m_server->url());
    std::optional<PgConnection> a = ready(url, QStringLiteral("a"));
    std::optional<PgConnection> b = ready(url, QStringLiteral("b"));
    QVERIFY(a && b);
    PgRunQueue first(*a);
    PgRunQueue second(*b);
    // Two leaders at once insert the same fire times; every fire is queued once.
    std::atomic_int added{ 0 };
    std::atomic_bool failed{ false };
    const auto insert = [&](PgRunQueue &queue) {
        for (qint64 fire = 0; fire < 200; ++fire) {
            Result<std::optional<qint64>> id =
                queue.enqueue(run(QStringLiteral("btc-update"), 1'700'000'000'000 + fire * 60'000),
                    1'700'000'000'000);
            if (!id)
                failed = true;
            else if (id->has_value())
                ++added;
        }
    };
    // Each queue's connection is used on one thread only.
    std::thread other([&] {
        std::optional<PgConnection> c = ready(url, QStringLiteral("c"));
        if (!c) {
            failed = true;
            return;
        }
        PgRunQueue third(*c);
        insert(third);
    });
    insert(first);
    other.join();
    QVERIFY(!failed);
    QCOMPARE(added.load(), 200);
    // Runs started by hand carry no fire time and are never folded together.
    QVERIFY(second.enqueue(run(QStringLiteral("btc-update")), 1)->has_value());
    QVERIFY(second.enqueue(run(QStringLiteral("btc-update")), 1)->has_value());
    // The same fire time of another flow is another run.
    QVERIFY(second.enqueue(run(QStringLiteral("daily-report"), 1'700'000'000'000), 1)->has_value());
    Result<QHash<QString, qint64>> counts = second.countByState();
    QVERIFY(counts);
    QCOMPARE(counts->value(stateName(RunState::Scheduled)), 203);
}

void TestPgStore::claimsAreExactlyOnceAcrossWorkers()
{
    const StoreUrl url = parsed(m_server->url());
    std::optional<PgConnection> setup = ready(url);
    QVERIFY(setup);
    PgRunQueue queue(*setup);
    const int runs = 10000;
    QList<PgRunQueue::NewRun> all;
    for (int i = 0; i < runs; ++i)
        all.append(run(QStringLiteral("flow-%1").arg(i % 7), qint64(i)));
    Result<int> added = queue.enqueueAll(all, 1000);
    QVERIFY2(added, qPrintable(added ? QString() : added.error().message()));
    QCOMPARE(*added, runs);

    // Three workers, each on its own thread and connection, claim 8 at a time and finish them.
    std::vector<std::vector<qint64>> claimed(3);
    std::atomic_bool failed{ false };
    std::vector<std::thread> workers;
    for (int w = 0; w < 3; ++w) {
        workers.emplace_back([&, w] {
            std::optional<PgConnection> connection = ready(url, QStringLiteral("worker%1").arg(w));
            if (!connection) {
                failed = true;
                return;
            }
            PgRunQueue mine(*connection);
            Result<qint64> id = mine.registerWorker(QStringLiteral("host"), 100 + w, 8, 1000);
            if (!id) {
                failed = true;
                return;
            }
            for (;;) {
                Result<QList<PgRunQueue::ClaimedRun>> batch = mine.claim(*id, 8, 2000);
                if (!batch) {
                    qWarning("%s", qPrintable(batch.error().message()));
                    failed = true;
                    return;
                }
                if (batch->isEmpty())
                    return;
                for (const PgRunQueue::ClaimedRun &got : *batch) {
                    claimed[w].push_back(got.id);
                    Result<bool> done = mine.finish(
                        got.id, *id, got.attempt, stateName(RunState::Completed), QString(), 3000);
                    if (!done)
                        qWarning("%s", qPrintable(done.error().message()));
                    if (!done || !*done)
                        failed = true;
                }
            }
        });
    }
    for (auto &worker : workers)
        worker.join();
    QVERIFY(!failed);
    std::vector<qint64> every;
    for (const auto &mine : claimed) {
        QVERIFY2(!mine.empty(), "each worker got a share");
        every.insert(every.end(), mine.begin(), mine.end());
    }
    std::sort(every.begin(), every.end());
    QCOMPARE(int(every.size()), runs);
    QVERIFY(std::adjacent_find(every.begin(), every.end()) == every.end());
    Result<QHash<QString, qint64>> counts = queue.countByState();
    QVERIFY(counts);
    QCOMPARE(counts->value(stateName(RunState::Completed)), qint64(runs));
    QCOMPARE(counts->size(), 1);
}

void TestPgStore::silentWorkerIsReaped()
{
    const StoreUrl url = parsed(m_server->url());
    std::optional<PgConnection> connection = ready(url);
    QVERIFY(connection);
    PgRunQueue queue(*connection);
    QVERIFY(queue.enqueue(run(QStringLiteral("a")), 0));
    QVERIFY(queue.enqueue(run(QStringLiteral("b")), 0));
    const qint64 t0 = 1'000'000;
    Result<qint64> silent = queue.registerWorker(QStringLiteral("h1"), 1, 4, t0);
    Result<qint64> alive = queue.registerWorker(QStringLiteral("h2"), 2, 4, t0);
    QVERIFY(silent && alive);
    Result<QList<PgRunQueue::ClaimedRun>> mine = queue.claim(*silent, 1, t0);
    Result<QList<PgRunQueue::ClaimedRun>> theirs = queue.claim(*alive, 1, t0);
    QVERIFY(mine && theirs);
    QCOMPARE(mine->size(), 1);
    QCOMPARE(theirs->size(), 1);
    // 9 s of silence is not yet death.
    QVERIFY(*queue.beat(*alive, t0 + 9000));
    Result<int> early = queue.reap(t0 + 9000);
    QVERIFY2(early, qPrintable(early ? QString() : early.error().message()));
    QCOMPARE(*early, 0);
    QVERIFY(*queue.beat(*alive, t0 + 11000));
    Result<int> reaped = queue.reap(t0 + 11000);
    QVERIFY(reaped);
    QCOMPARE(*reaped, 1);
    // The silent worker's run is Crashed; its late outcome is refused; it learns it was dropped.
    Result<bool> late = queue.finish(mine->first().id, *silent, mine->first().attempt,
        stateName(RunState::Completed), QString(), t0 + 12000);
    QVERIFY(late);
    QVERIFY(!*late);
    QVERIFY(!*queue.beat(*silent, t0 + 12000));
    Result<bool> done = queue.finish(theirs->first().id, *alive, theirs->first().attempt,
        stateName(RunState::Completed), QString(), t0 + 12000);
    QVERIFY(done && *done);
    Result<QHash<QString, qint64>> counts = queue.countByState();
    QVERIFY(counts);
    QCOMPARE(counts->value(stateName(RunState::Crashed)), 1);
    QCOMPARE(counts->value(stateName(RunState::Completed)), 1);
    Result<QList<PgRunQueue::WorkerInfo>> workers = queue.workers();
    QVERIFY(workers);
    QCOMPARE(workers->size(), 2);
    QVERIFY(workers->at(0).stoppedMs > 0);
    QCOMPARE(workers->at(1).stoppedMs, 0);
}

void TestPgStore::crashRetryQueuesTheRunAgain()
{
    const StoreUrl url = parsed(m_server->url());
    std::optional<PgConnection> connection = ready(url);
    QVERIFY(connection);
    PgRunQueue queue(*connection);
    QVERIFY(queue.enqueue(run(QStringLiteral("again"), 5000, QStringLiteral("retry")), 0));
    const qint64 t0 = 2'000'000;
    Result<qint64> first = queue.registerWorker(QStringLiteral("h1"), 1, 1, t0);
    QVERIFY(first);
    Result<QList<PgRunQueue::ClaimedRun>> claimed = queue.claim(*first, 1, t0);
    QVERIFY(claimed && claimed->size() == 1);
    QCOMPARE(claimed->first().attempt, 1);
    QCOMPARE(*queue.reap(t0 + 20000), 1);
    Result<qint64> second = queue.registerWorker(QStringLiteral("h2"), 2, 1, t0 + 20000);
    QVERIFY(second);
    Result<QList<PgRunQueue::ClaimedRun>> again = queue.claim(*second, 1, t0 + 20000);
    QVERIFY(again && again->size() == 1);
    QCOMPARE(again->first().id, claimed->first().id); // the same run and fire time
    QCOMPARE(again->first().attempt, 2);
    QCOMPARE(again->first().fireMs, std::optional<qint64>(5000));
    // The first worker's outcome for attempt 1 is refused; the second's counts.
    QVERIFY(!*queue.finish(
        claimed->first().id, *first, 1, stateName(RunState::Completed), QString(), t0 + 21000));
    QVERIFY(*queue.finish(
        again->first().id, *second, 2, stateName(RunState::Completed), QString(), t0 + 21000));
}

void TestPgStore::cancelReachesTheOwningWorker()
{
    const StoreUrl url = parsed(m_server->url());
    std::optional<PgConnection> connection = ready(url);
    std::optional<PgConnection> listener = ready(url, QStringLiteral("listen"));
    QVERIFY(connection && listener);
    PgRunQueue queue(*connection);
    QSignalSpy notified(listener->database().driver(),
        qOverload<const QString &, QSqlDriver::NotificationSource, const QVariant &>(
            &QSqlDriver::notification));
    QVERIFY(listener->database().driver()->subscribeToNotification(
        QString::fromLatin1(PgRunQueue::CancelChannel)));
    Result<std::optional<qint64>> runningId = queue.enqueue(run(QStringLiteral("long")), 0);
    Result<std::optional<qint64>> waitingId = queue.enqueue(run(QStringLiteral("later")), 0);
    QVERIFY(runningId && waitingId);
    Result<qint64> worker = queue.registerWorker(QStringLiteral("h"), 1, 1, 0);
    QVERIFY(worker);
    QCOMPARE(queue.claim(*worker, 1, 0)->size(), 1);
    QCOMPARE(*queue.cancelRequests(*worker), QList<qint64>());
    QVERIFY(*queue.requestCancel(**runningId, 10));
    QCOMPARE(*queue.cancelRequests(*worker), QList<qint64>{ **runningId });
    QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 2000);
    QCOMPARE(notified.first().at(2).toString(), QString::number(**runningId));
    // A queued run is cancelled at once; an ended run cannot be.
    QVERIFY(*queue.requestCancel(**waitingId, 10));
    QVERIFY(!*queue.requestCancel(**waitingId, 11));
    QVERIFY(*queue.finish(**runningId, *worker, 1, stateName(RunState::Cancelled), QString(), 20));
    QVERIFY(!*queue.requestCancel(**runningId, 21));
    Result<QHash<QString, qint64>> counts = queue.countByState();
    QCOMPARE(counts->value(stateName(RunState::Cancelled)), 2);
}

void TestPgStore::oneLeaderAtATime()
{
    const StoreUrl url = parsed(m_server->url());
    std::optional<PgConnection> a = ready(url, QStringLiteral("leader-a"));
    std::optional<PgConnection> b = ready(url, QStringLiteral("leader-b"));
    QVERIFY(a && b);
    PgLeaderLock first(*a);
    PgLeaderLock second(*b);
    QVERIFY(*first.tryAcquire());
    QVERIFY(!*second.tryAcquire());
    QVERIFY(*first.tryAcquire()); // holding it still
    // The leader's connection dies (as with SIGKILL): the lock goes with it.
    a.reset();
    QTRY_VERIFY_WITH_TIMEOUT(*second.tryAcquire(), 5000);
    QVERIFY(second.isHeld());
}

void TestPgStore::storeCommandChecksTheStore()
{
    QTemporaryDir data;
    const QString good = m_server->url();
    const auto store = [&](const QStringList &args, const QString &env = {}) {
        QProcess sluice;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("SLUICE_STORE"));
        if (!env.isEmpty())
            environment.insert(QStringLiteral("SLUICE_STORE"), env);
        sluice.setProcessEnvironment(environment);
        sluice.start(QStringLiteral(SLUICE_EXECUTABLE),
            QStringList{ QStringLiteral("--data-dir"), data.path(), QStringLiteral("store") }
                + args);
        sluice.waitForFinished(30000);
        return std::make_tuple(sluice.exitCode(), QString::fromUtf8(sluice.readAllStandardOutput()),
            QString::fromUtf8(sluice.readAllStandardError()));
    };
    // An empty database: it answers, and no schema is made by a check.
    auto [code, out, err] = store({ QStringLiteral("--store"), good });
    QVERIFY2(code == 0, qPrintable(err));
    QVERIFY2(out.contains(QLatin1String("schema: none yet")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("(from --store)")), qPrintable(out));
    QVERIFY(!out.contains(QLatin1String("sluice-test"))); // the password
    // After a worker made the schema, from the environment: version, workers and queue.
    std::optional<PgConnection> connection = ready(parsed(good));
    QVERIFY(connection);
    PgRunQueue queue(*connection);
    QVERIFY(queue.registerWorker(
        QStringLiteral("box-1"), 4242, 8, QDateTime::currentMSecsSinceEpoch()));
    QVERIFY(queue.enqueue(run(QStringLiteral("a")), 1));
    std::tie(code, out, err) = store({}, good);
    QVERIFY2(code == 0, qPrintable(err));
    QVERIFY2(
        out.contains(QStringLiteral("schema: version %1").arg(PgSchema::Version)), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("box-1 (process 4242")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("queue: 1 scheduled, 0 running")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("environment SLUICE_STORE")), qPrintable(out));
    // A wrong password: exit 1, the user named, the password not shown.
    std::tie(code, out, err) = store({ QStringLiteral("--store"),
        QStringLiteral("postgresql://sluice:N0tIt@127.0.0.1:%1/sluice").arg(m_server->port()) });
    QCOMPARE(code, 1);
    QVERIFY2(err.contains(QLatin1String("refused user \"sluice\"")), qPrintable(err));
    QVERIFY(!err.contains(QLatin1String("N0tIt")) && !out.contains(QLatin1String("N0tIt")));
    // A newer schema is refused with both versions.
    QVERIFY(connection->exec(QStringLiteral("UPDATE sluice_schema SET version = 7")));
    std::tie(code, out, err) = store({ QStringLiteral("check"), QStringLiteral("--store"), good });
    QCOMPARE(code, 1);
    QVERIFY2(err.contains(QLatin1String("version 7")), qPrintable(err));
    // A URL that does not read is an error, not a quiet fallback to sqlite.
    std::tie(code, out, err) = store({}, QStringLiteral("postgresq://x@h/d"));
    QCOMPARE(code, 1);
    QVERIFY2(err.contains(QLatin1String("SLUICE_STORE")), qPrintable(err));
    QVERIFY(!out.contains(QLatin1String("sqlite")));
}

QTEST_GUILESS_MAIN(TestPgStore)
#include "tst_pgstore.moc"
