// A fleet as a team runs it: several real `sluice serve --store postgresql://...` processes,
// each on its own data folder with the same flow files (as on several machines), sharing one
// real PostgreSQL 15 (PgServer). Each scheduled fire is queued once however many leaders race,
// a killed leader is replaced, a killed worker's run is reaped (and retried with on-crash:
// retry), 10,000 queued runs are run exactly once by three workers, a cancel asked in the store
// reaches the worker that runs the run, a wrong password starts nothing, and a run outlives a
// restart of the server.

#include <csignal>
#include <memory>

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "pgserver.h"
#include "schedule/defaultschedules.h"
#include "schedule/schedulestore.h"
#include "settings/datafolder.h"
#include "sluiceprocess.h"
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

// One `sluice serve` of the fleet and what it said on stderr.
struct Worker
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    QString folder;
    QByteArray said;

    void read() { said += process->readAllStandardError(); }
    bool saw(const QRegularExpression &pattern)
    {
        read();
        return QString::fromUtf8(said).contains(pattern);
    }
};

} // namespace

class TestFleet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void wrongPasswordStartsNothing();
    void queuedRunsRunExactlyOnceOnThreeWorkers();
    void racingLeadersQueueEachFireOnce();
    void killedLeaderIsReplaced();
    void killedWorkersRunIsRetried();
    void cancelReachesTheWorkerRunningTheRun();
    void runOutlivesAServerRestart();
    void storePasswordFromTheCredentialFile();

private:
    // A data folder with the test's flow files and no built-in schedules (no real Binance).
    QString makeFolder(bool ticking);
    Worker &startWorker(int slots = 4, bool ticking = false);
    bool waitFor(Worker &worker, const QRegularExpression &pattern, int ms = 20000);
    void stopAll();
    // One value of a query on the test's database; null on failure.
    QVariant value(const QString &sql, const QVariantList &values = {});
    bool waitForValue(const QString &sql, const QVariant &expected, int ms);
    // Queues a run of the flow `slow` that sleeps seconds; its id, 0 on failure.
    qint64 queueSlow(int seconds, const QString &onCrash = QStringLiteral("fail"));
    // Whether the run's one task is running within ms.
    bool waitForTaskRunning(qint64 runId, int ms = 10000);

    std::unique_ptr<PgServer> m_server;
    QString m_url;
    std::optional<PgConnection> m_connection;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<std::unique_ptr<Worker>> m_workers;
    int m_databases = 0;
    int m_folders = 0;
};

void TestFleet::initTestCase()
{
    m_server = std::make_unique<PgServer>();
    if (!m_server->isRunning())
        QSKIP(qPrintable(QStringLiteral("no PostgreSQL server: ") + m_server->errorString()));
}

void TestFleet::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // A database of its own for each test.
    m_url = m_server->url(QStringLiteral("fleet%1").arg(++m_databases));
    Result<PgConnection> connection = PgConnection::open(parsed(m_url), QStringLiteral("test"));
    QVERIFY2(connection, qPrintable(connection ? QString() : connection.error().message()));
    QVERIFY(PgSchema::ensure(*connection));
    m_connection = std::move(*connection);
}

void TestFleet::cleanup()
{
    stopAll();
    m_connection.reset();
}

QString TestFleet::makeFolder(bool ticking)
{
    const QString folder = m_dir->filePath(QStringLiteral("box%1").arg(++m_folders));
    if (!DataFolder::open(folder))
        return {};
    ScheduleStore store(folder + QStringLiteral("/schedules.ini"));
    for (const QString &flow : DefaultSchedules::builtIn().keys())
        (void)DefaultSchedules::setCleared(store, flow, true);
    QDir(folder).mkpath(QStringLiteral("flows"));
    const auto write = [&](const QString &name, const QByteArray &yaml) {
        QFile file(folder + QStringLiteral("/flows/") + name + QStringLiteral(".yaml"));
        return file.open(QIODevice::WriteOnly) && file.write(yaml) == yaml.size();
    };
    write(QStringLiteral("trivial"),
        "overlap: allow\n"
        "steps:\n"
        "  - id: one\n"
        "    sql: select 1\n");
    if (ticking)
        write(QStringLiteral("tick"),
            "schedule: { every: 1s }\n"
            "overlap: allow\n"
            "steps:\n"
            "  - id: one\n"
            "    sql: select :run_time\n");
    write(QStringLiteral("slow"),
        "overlap: allow\n"
        "on-crash: retry\n"
        "steps:\n"
        "  - id: wait\n"
        "    run: sleep ${params.seconds}\n"
        "params:\n"
        "  seconds: 4\n");
    return folder;
}

Worker &TestFleet::startWorker(int slots, bool ticking)
{
    auto worker = std::make_unique<Worker>();
    worker->folder = makeFolder(ticking);
    worker->process->setProcessEnvironment(SluiceProcess::environment());
    worker->process->start(QStringLiteral(SLUICE_EXECUTABLE),
        { QStringLiteral("--data-dir"), worker->folder, QStringLiteral("serve"),
            QStringLiteral("--store"), m_url, QStringLiteral("--slots"), QString::number(slots) });
    m_workers.push_back(std::move(worker));
    return *m_workers.back();
}

bool TestFleet::waitFor(Worker &worker, const QRegularExpression &pattern, int ms)
{
    QDeadlineTimer deadline(ms);
    while (!worker.saw(pattern)) {
        if (deadline.hasExpired() || worker.process->state() == QProcess::NotRunning) {
            worker.read();
            qWarning("waited for /%s/ in:\n%s", qPrintable(pattern.pattern()),
                worker.said.right(4000).constData());
            return false;
        }
        worker.process->waitForReadyRead(int(qMin<qint64>(200, deadline.remainingTime() + 1)));
    }
    return true;
}

void TestFleet::stopAll()
{
    for (auto &worker : m_workers) {
        if (worker->process->state() != QProcess::NotRunning) {
            worker->process->terminate();
            if (!worker->process->waitForFinished(20000))
                worker->process->kill();
        }
        worker->process->waitForFinished(5000);
    }
    m_workers.clear();
}

QVariant TestFleet::value(const QString &sql, const QVariantList &values)
{
    Result<QSqlQuery> query = m_connection->exec(sql, values);
    if (!query) {
        qWarning("%s", qPrintable(query.error().message()));
        return {};
    }
    return query->next() ? query->value(0) : QVariant();
}

bool TestFleet::waitForValue(const QString &sql, const QVariant &expected, int ms)
{
    QDeadlineTimer deadline(ms);
    QVariant seen;
    while (!deadline.hasExpired()) {
        seen = value(sql);
        if (seen.toString() == expected.toString())
            return true;
        for (auto &worker : m_workers)
            worker->read(); // keep the pipes drained
        QTest::qWait(100);
    }
    qWarning("%s: %s, not %s", qPrintable(sql), qPrintable(seen.toString()),
        qPrintable(expected.toString()));
    return false;
}

qint64 TestFleet::queueSlow(int seconds, const QString &onCrash)
{
    PgRunQueue queue(*m_connection);
    PgRunQueue::NewRun run;
    run.flow = QStringLiteral("slow");
    run.parameters = QStringLiteral(R"({"seconds": %1})").arg(seconds).toUtf8();
    run.onCrash = onCrash;
    Result<std::optional<qint64>> id = queue.enqueue(run, QDateTime::currentMSecsSinceEpoch());
    return id && *id ? **id : 0;
}

bool TestFleet::waitForTaskRunning(qint64 runId, int ms)
{
    return waitForValue(QStringLiteral("SELECT count(*) FROM task_runs WHERE run_id = %1"
                                       " AND state = 'Running'")
                            .arg(runId),
        1, ms);
}

void TestFleet::wrongPasswordStartsNothing()
{
    const QString folder = makeFolder(true);
    const QString wrong = QStringLiteral("postgresql://sluice:Wr0ngPass@127.0.0.1:%1/fleet%2")
                              .arg(m_server->port())
                              .arg(m_databases);
    const SluiceProcess::Output output = SluiceProcess::run({ QStringLiteral("--data-dir"), folder,
        QStringLiteral("serve"), QStringLiteral("--store"), wrong });
    QCOMPARE(output.code, 1);
    QVERIFY2(output.err.contains(QLatin1String("refused user \"sluice\"")), qPrintable(output.err));
    QVERIFY(!output.err.contains(QLatin1String("Wr0ngPass")));
    QVERIFY(!output.out.contains(QLatin1String("Wr0ngPass")));
    QVERIFY2(!output.err.contains(QLatin1String("serve started")), qPrintable(output.err));
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM workers")).toInt(), 0);
    QVERIFY(!QFile::exists(folder + QStringLiteral("/runs.sqlite")));
    // A URL that does not read is a usage error, named.
    const SluiceProcess::Output bad = SluiceProcess::run({ QStringLiteral("--data-dir"), folder,
        QStringLiteral("serve"), QStringLiteral("--store"), QStringLiteral("postgres://x") });
    QCOMPARE(bad.code, 2);
    QVERIFY2(bad.err.contains(QLatin1String("--store")), qPrintable(bad.err));
}

void TestFleet::queuedRunsRunExactlyOnceOnThreeWorkers()
{
    constexpr int Runs = 10000;
    PgRunQueue queue(*m_connection);
    QList<PgRunQueue::NewRun> runs;
    for (int i = 0; i < Runs; ++i) {
        PgRunQueue::NewRun run;
        run.flow = QStringLiteral("trivial");
        runs.append(run);
    }
    QCOMPARE(*queue.enqueueAll(runs, QDateTime::currentMSecsSinceEpoch()), Runs);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 3; ++i)
        startWorker(8);
    QVERIFY(waitForValue(QStringLiteral("SELECT count(*) FROM flow_runs WHERE flow = 'trivial'"
                                        " AND state = 'Completed'"),
        Runs, 180000));
    qInfo("%d runs on 3 workers in %lld ms", Runs, timer.elapsed());
    // Each run once: one start and one end recorded, its one task run, by one worker.
    QCOMPARE(
        value(QStringLiteral("SELECT count(*) FROM flow_runs WHERE state <> 'Completed'")).toInt(),
        0);
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM flow_runs")).toInt(), Runs);
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM transitions WHERE task IS NULL"
                                  " AND state = 'Completed'"))
                 .toInt(),
        Runs);
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM transitions WHERE task IS NULL"
                                  " AND state = 'Running'"))
                 .toInt(),
        Runs);
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM task_runs WHERE state = 'Completed'"
                                  " AND output = '1'"))
                 .toInt(),
        Runs);
    QCOMPARE(value(QStringLiteral("SELECT max(attempt) FROM flow_runs")).toInt(), 1);
    // Every worker took a share.
    QCOMPARE(value(QStringLiteral("SELECT count(DISTINCT worker_id) FROM flow_runs")).toInt(), 3);
    // Each worker's log says each of its runs once.
    int ended = 0;
    for (auto &worker : m_workers) {
        worker->read();
        ended += int(QString::fromUtf8(worker->said)
                         .count(QRegularExpression(QStringLiteral("run \\d+ of trivial ended"))));
    }
    QCOMPARE(ended, Runs);
}

void TestFleet::racingLeadersQueueEachFireOnce()
{
    Worker &a = startWorker(4, true);
    Worker &b = startWorker(4, true);
    Worker &c = startWorker(4, true);
    for (Worker *worker : { &a, &b, &c })
        QVERIFY(waitFor(*worker, QRegularExpression(QStringLiteral("worker \\d+ of the fleet"))));
    QTest::qWait(6000);
    int leaders = 0;
    for (Worker *worker : { &a, &b, &c })
        leaders += int(worker->saw(QRegularExpression(QStringLiteral("leads the fleet:"))));
    QCOMPARE(leaders, 1);
    stopAll(); // a, b and c are gone
    // One leader at a time; each 1-s slot queued once and run once, none missed between the
    // first and the last.
    const int fires =
        value(QStringLiteral("SELECT count(*) FROM flow_runs WHERE flow = 'tick'")).toInt();
    QVERIFY2(fires >= 4, qPrintable(QString::number(fires)));
    QCOMPARE(value(QStringLiteral("SELECT count(DISTINCT fire_ms) FROM flow_runs"
                                  " WHERE flow = 'tick'"))
                 .toInt(),
        fires);
    QCOMPARE(value(QStringLiteral("SELECT (max(fire_ms) - min(fire_ms)) / 1000 + 1 FROM flow_runs"
                                  " WHERE flow = 'tick'"))
                 .toInt(),
        fires);
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM flow_runs WHERE flow = 'tick'"
                                  " AND state NOT IN ('Completed', 'Cancelled')"))
                 .toInt(),
        0);
    // Each run's output is its own fire time.
    Result<QSqlQuery> outputs = m_connection->exec(
        QStringLiteral("SELECT r.fire_ms, t.output FROM flow_runs r JOIN task_runs t"
                       " ON t.run_id = r.id WHERE r.flow = 'tick' AND r.state = 'Completed'"));
    QVERIFY(outputs);
    int checked = 0;
    while (outputs->next()) {
        QCOMPARE(outputs->value(1).toString(),
            QDateTime::fromMSecsSinceEpoch(outputs->value(0).toLongLong(), Qt::UTC)
                .toString(Qt::ISODate));
        ++checked;
    }
    QVERIFY(checked >= 4);
}

void TestFleet::killedLeaderIsReplaced()
{
    Worker &a = startWorker(4, true);
    QVERIFY(waitFor(a, QRegularExpression(QStringLiteral("leads the fleet:"))));
    Worker &b = startWorker(4, true);
    QVERIFY(waitFor(b, QRegularExpression(QStringLiteral("worker \\d+ of the fleet"))));
    QVERIFY(waitForValue(
        QStringLiteral("SELECT count(*) > 2 FROM flow_runs WHERE flow = 'tick'"), true, 10000));
    QElapsedTimer sinceKill;
    ::kill(pid_t(a.process->processId()), SIGKILL);
    sinceKill.start();
    a.process->waitForFinished(5000);
    const qint64 killedMs = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(waitFor(b, QRegularExpression(QStringLiteral("leads the fleet:")), 10000));
    const qint64 takeover = sinceKill.elapsed();
    QVERIFY(waitForValue(
        QStringLiteral("SELECT count(*) > 0 FROM flow_runs WHERE flow = 'tick' AND fire_ms > %1")
            .arg(killedMs),
        true, 10000));
    qInfo("the new leader took over %lld ms after the kill", takeover);
    QVERIFY(takeover < 10000);
    // Still each fire once.
    QCOMPARE(value(QStringLiteral("SELECT count(*) - count(DISTINCT fire_ms) FROM flow_runs"
                                  " WHERE flow = 'tick'"))
                 .toInt(),
        0);
}

void TestFleet::killedWorkersRunIsRetried()
{
    Worker &a = startWorker();
    QVERIFY(waitFor(a, QRegularExpression(QStringLiteral("worker \\d+ of the fleet"))));
    const qint64 id = queueSlow(30, QStringLiteral("retry"));
    QVERIFY(id != 0);
    QVERIFY(waitFor(a, QRegularExpression(QStringLiteral("claimed run %1 of slow").arg(id))));
    // The survivor starts after the claim, so the run is the dead worker's.
    Worker &b = startWorker();
    QVERIFY(waitFor(b, QRegularExpression(QStringLiteral("worker \\d+ of the fleet"))));
    QVERIFY(waitForTaskRunning(id));
    ::kill(pid_t(a.process->processId()), SIGKILL);
    a.process->waitForFinished(5000);
    // Reaped after 10 s of silence, queued again, run by b as attempt 2.
    QVERIFY(waitFor(b,
        QRegularExpression(QStringLiteral("claimed run %1 of slow \\(attempt 2\\)").arg(id)),
        25000));
    QCOMPARE(value(QStringLiteral("SELECT state FROM flow_runs WHERE id = %1").arg(id)).toString(),
        QStringLiteral("Running"));
    QVERIFY(m_connection->exec(QStringLiteral("SELECT 1"))); // still connected
    // Its task starts afresh, recorded once.
    QVERIFY(waitForTaskRunning(id));
    QCOMPARE(
        value(QStringLiteral("SELECT count(*) FROM task_runs WHERE run_id = %1").arg(id)).toInt(),
        1);
    // Without on-crash: retry, a killed worker's run ends Crashed.
    Worker &c = startWorker(1);
    QVERIFY(waitFor(c, QRegularExpression(QStringLiteral("worker \\d+ of the fleet"))));
    // b or c claims it, whichever comes first: that one is killed.
    const qint64 second = queueSlow(30);
    QVERIFY(second != 0);
    QVERIFY(waitForValue(
        QStringLiteral("SELECT worker_id IS NOT NULL FROM flow_runs WHERE id = %1").arg(second),
        true, 10000));
    const qint64 owner =
        value(QStringLiteral("SELECT worker_id FROM flow_runs WHERE id = %1").arg(second))
            .toLongLong();
    const qint64 ownerPid =
        value(QStringLiteral("SELECT pid FROM workers WHERE id = %1").arg(owner)).toLongLong();
    QVERIFY(ownerPid > 0);
    ::kill(pid_t(ownerPid), SIGKILL);
    QVERIFY(waitForValue(QStringLiteral("SELECT state FROM flow_runs WHERE id = %1").arg(second),
        QStringLiteral("Crashed"), 25000));
}

void TestFleet::cancelReachesTheWorkerRunningTheRun()
{
    Worker &a = startWorker();
    QVERIFY(waitFor(a, QRegularExpression(QStringLiteral("worker \\d+ of the fleet"))));
    PgRunQueue queue(*m_connection);
    const qint64 id = queueSlow(60);
    QVERIFY(id != 0);
    QVERIFY(waitForTaskRunning(id));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(*queue.requestCancel(id, QDateTime::currentMSecsSinceEpoch()));
    QVERIFY(waitForValue(QStringLiteral("SELECT state FROM flow_runs WHERE id = %1").arg(id),
        QStringLiteral("Cancelled"), 10000));
    qInfo("cancelled %lld ms after the request", timer.elapsed());
    QVERIFY(timer.elapsed() < 4000);
    QVERIFY(waitFor(a, QRegularExpression(QStringLiteral("cancel of run %1 asked").arg(id))));
    QCOMPARE(
        value(QStringLiteral("SELECT state FROM task_runs WHERE run_id = %1").arg(id)).toString(),
        QStringLiteral("Cancelled"));
    // The history as `sluice runs` reads it from the store, from any folder.
    const QString elsewhere = makeFolder(false);
    const SluiceProcess::Output runs = SluiceProcess::run({ QStringLiteral("--data-dir"), elsewhere,
        QStringLiteral("runs"), QStringLiteral("--store"), m_url });
    QVERIFY2(runs.code == 0, qPrintable(runs.err));
    QVERIFY2(runs.out.contains(QRegularExpression(QStringLiteral("%1 +slow .* Cancelled").arg(id))),
        qPrintable(runs.out));
    const SluiceProcess::Output shown =
        SluiceProcess::run({ QStringLiteral("--data-dir"), elsewhere, QStringLiteral("runs"),
            QStringLiteral("show"), QString::number(id), QStringLiteral("--store"), m_url });
    QVERIFY2(shown.code == 0, qPrintable(shown.err));
    QVERIFY2(shown.out.contains(QRegularExpression(QStringLiteral("wait +Cancelled"))),
        qPrintable(shown.out));
    QVERIFY(!shown.out.contains(QLatin1String("sluice-test"))); // the password
}

void TestFleet::runOutlivesAServerRestart()
{
    Worker &a = startWorker(4, true); // its leader connection is lost too
    QVERIFY(waitFor(a, QRegularExpression(QStringLiteral("worker \\d+ of the fleet"))));
    const qint64 id = queueSlow(4);
    QVERIFY(id != 0);
    QVERIFY(waitForTaskRunning(id));
    // The server dies mid-run and comes back: the step goes on, the worker connects again and
    // records the end once.
    m_connection.reset();
    // The test server commits asynchronously (synchronous_commit=off, for speed): what a real
    // server would have made durable at commit is written out first.
    QVERIFY2(m_server->psql(QStringLiteral("CHECKPOINT")), qPrintable(m_server->errorString()));
    m_server->kill();
    QTest::qWait(1500);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    Result<PgConnection> connection = PgConnection::open(parsed(m_url), QStringLiteral("test"));
    QVERIFY(connection);
    m_connection = std::move(*connection);
    QVERIFY(waitForValue(QStringLiteral("SELECT state FROM flow_runs WHERE id = %1").arg(id),
        QStringLiteral("Completed"), 20000));
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM transitions WHERE run_id = %1"
                                  " AND task IS NULL AND state = 'Completed'")
                       .arg(id))
                 .toInt(),
        1);
    QVERIFY(waitFor(a, QRegularExpression(QStringLiteral("connected to the store again")), 10000));
}

void TestFleet::storePasswordFromTheCredentialFile()
{
    // The URL without its password: the one kept by `config set-password store` is used.
    const QString bare = QStringLiteral("postgresql://sluice@127.0.0.1:%1/fleet%2")
                             .arg(m_server->port())
                             .arg(m_databases);
    const QString folder = makeFolder(false);
    const auto check = [&](const QString &dataDir) {
        return SluiceProcess::run({ QStringLiteral("--data-dir"), dataDir, QStringLiteral("store"),
            QStringLiteral("check"), QStringLiteral("--store"), bare });
    };
    const SluiceProcess::Output before = check(folder);
    QCOMPARE(before.code, 1);
    QVERIFY2(before.err.contains(QLatin1String("asks for the password of user \"sluice\"")),
        qPrintable(before.err));

    QProcess config;
    config.setProcessEnvironment(SluiceProcess::environment());
    config.start(QStringLiteral(SLUICE_EXECUTABLE),
        { QStringLiteral("--data-dir"), folder, QStringLiteral("config"),
            QStringLiteral("set-password"), QStringLiteral("store"), QStringLiteral("--store"),
            QStringLiteral("file") });
    config.write("sluice-test\n");
    config.closeWriteChannel();
    const SluiceProcess::Output stored = SluiceProcess::finish(config);
    QVERIFY2(stored.code == 0, qPrintable(stored.err));
    QVERIFY2(
        stored.out.contains(QLatin1String("store password stored in")), qPrintable(stored.out));
    const QFile file(folder + QStringLiteral("/store-credentials"));
    QVERIFY(file.exists());
    QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    // The SMTP password is another entry.
    QVERIFY(!QFile::exists(folder + QStringLiteral("/credentials")));

    const SluiceProcess::Output after = check(folder);
    QVERIFY2(after.code == 0, qPrintable(after.err));
    QVERIFY(!after.out.contains(QLatin1String("sluice-test")));
    QVERIFY(!after.err.contains(QLatin1String("sluice-test")));
    // A kept file others may read is refused, naming it: a failure (exit 1), not a usage error.
    QFile loose(folder + QStringLiteral("/store-credentials"));
    QVERIFY(loose.setPermissions(loose.permissions() | QFile::ReadOther));
    const SluiceProcess::Output refused = SluiceProcess::run({ QStringLiteral("--data-dir"), folder,
        QStringLiteral("serve"), QStringLiteral("--store"), bare });
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains(QLatin1String("store-credentials")), qPrintable(refused.err));
    QVERIFY(!refused.err.contains(QLatin1String("sluice-test")));
    QVERIFY(loose.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
    // A password in the URL wins over the kept one.
    const SluiceProcess::Output wrong = SluiceProcess::run({ QStringLiteral("--data-dir"), folder,
        QStringLiteral("store"), QStringLiteral("check"), QStringLiteral("--store"),
        QStringLiteral("postgresql://sluice:Nope@127.0.0.1:%1/fleet%2")
            .arg(m_server->port())
            .arg(m_databases) });
    QCOMPARE(wrong.code, 1);
}

QTEST_GUILESS_MAIN(TestFleet)
#include "tst_fleet.moc"
