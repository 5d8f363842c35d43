// `sluice serve` as a user runs it (a real process on a temporary data folder): a scheduled
// flow runs and is logged, SIGTERM stops it cleanly with running flows recorded Cancelled, a
// second serve on the folder names the holder of the lock, and a slot missed while no
// scheduler ran follows the misfire policy from the run history. ScheduleRunner in-process with
// a manual clock: misfire policies, built-in defaults, reload on a changed schedules.ini.

#include <csignal>

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "sluiceprocess.h"

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "flows/builtinflows.h"
#include "schedule/defaultschedules.h"
#include "schedule/manualclock.h"
#include "schedule/schedulerunner.h"
#include "schedule/schedulestore.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;

class TestServe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void serveRunsScheduledFlowAndStops();
    void sigtermCancelsRunningFlow();
    void secondServeNamesHolder();
    void missedSlotRunsOnceAfterDowntime();
    void misfirePolicyFromHistory_data();
    void misfirePolicyFromHistory();
    void defaultSchedules();
    void reloadsChangedSchedules();
    void setRefusesUnknownFlow();
    void serveFollowsFlowFiles();

private:
    void writeFlow(const QString &name, const QByteArray &text) const;
    QProcessEnvironment environment() const;
    int sluice(const QStringList &args, QString *err = nullptr);
    bool startServe(QProcess &process);
    // Reads stderr until it matches, at most ms.
    bool waitFor(QProcess &process, const QRegularExpression &pattern, int ms = 20000);
    QString dataDir() const { return m_dir->filePath(QStringLiteral("data")); }
    QString runsPath() const { return dataDir() + QStringLiteral("/runs.sqlite"); }
    QStringList query(const QString &sql) const;
    // A run of flow triggered by a schedule, created `ago` seconds before `now`.
    bool addScheduledRun(const QString &flow, const QDateTime &createdAt);
    // The built-in defaults off: a serve under test must not reach the real Binance.
    void clearDefaults();

    std::unique_ptr<QTemporaryDir> m_dir;
    QByteArray m_seen; // stderr of the serve under test
};

void TestServe::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(DataFolder::open(dataDir()));
    m_seen.clear();
}

QProcessEnvironment TestServe::environment() const
{
    return SluiceProcess::environment();
}

int TestServe::sluice(const QStringList &args, QString *err)
{
    const SluiceProcess::Output output = SluiceProcess::run(
        QStringList{ QStringLiteral("--data-dir"), dataDir() } + args, environment());
    if (err && output.code != -1)
        *err = output.err;
    return output.code;
}

bool TestServe::startServe(QProcess &process)
{
    m_seen.clear();
    process.setProcessEnvironment(environment());
    process.setReadChannel(QProcess::StandardError);
    process.start(QStringLiteral(SLUICE_EXECUTABLE),
        { QStringLiteral("--data-dir"), dataDir(), QStringLiteral("serve") });
    return process.waitForStarted()
        && waitFor(process, QRegularExpression(QStringLiteral("sluice serve started")));
}

bool TestServe::waitFor(QProcess &process, const QRegularExpression &pattern, int ms)
{
    QDeadlineTimer deadline(ms);
    while (!QString::fromUtf8(m_seen).contains(pattern)) {
        if (deadline.hasExpired() || process.state() == QProcess::NotRunning)
            return false;
        process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        m_seen += process.readAllStandardError();
    }
    return true;
}

QStringList TestServe::query(const QString &sql) const
{
    Result<SqliteConnection> db = SqliteConnection::open(
        runsPath(), QStringLiteral("test"), SqliteConnection::Mode::ReadOnly);
    if (!db)
        return { db.error().message() };
    QSqlQuery q(db->database());
    if (!q.exec(sql))
        return { QStringLiteral("query failed") };
    QStringList rows;
    while (q.next())
        rows << q.value(0).toString();
    return rows;
}

bool TestServe::addScheduledRun(const QString &flow, const QDateTime &createdAt)
{
    Result<std::unique_ptr<RunStore>> store = RunStore::open(runsPath());
    if (!store)
        return false;
    Result<RunStore::CreatedRun> run =
        (*store)->createRun(flow, {}, QLatin1String(ScheduleRunner::Trigger), false);
    if (!run)
        return false;
    Result<SqliteConnection> db = SqliteConnection::open(runsPath(), QStringLiteral("history"));
    if (!db)
        return false;
    QSqlQuery q(db->database());
    q.prepare(QStringLiteral("UPDATE flow_runs SET state = 'Completed', created_ms = ?, "
                             "started_ms = ?, finished_ms = ? WHERE id = ?"));
    const qint64 ms = createdAt.toMSecsSinceEpoch();
    q.addBindValue(ms);
    q.addBindValue(ms);
    q.addBindValue(ms + 1000);
    q.addBindValue(run->id);
    return q.exec() && q.numRowsAffected() == 1;
}

void TestServe::clearDefaults()
{
    ScheduleStore store(dataDir() + QStringLiteral("/schedules.ini"));
    for (const QString &flow : DefaultSchedules::builtIn().keys())
        QVERIFY(DefaultSchedules::setCleared(store, flow, true));
}

void TestServe::serveRunsScheduledFlowAndStops()
{
    clearDefaults();
    QString err;
    QCOMPARE(sluice({ QStringLiteral("schedule"), QStringLiteral("set"), QStringLiteral("demo"),
                        QStringLiteral("--every"), QStringLiteral("2s") },
                 &err),
        0);
    QProcess serve;
    QVERIFY2(startServe(serve), m_seen.constData());
    QVERIFY2(
        waitFor(serve, QRegularExpression(QStringLiteral("schedules: (.*, )?demo \\(2s, next "))),
        m_seen.constData());
    const QRegularExpression fired(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\."
                                                  "\\d{3}Z  fired demo for \\S+: run (\\d+)$"),
        QRegularExpression::MultilineOption);
    QVERIFY2(waitFor(serve, fired), m_seen.constData());
    const QString runId = fired.match(QString::fromUtf8(m_seen)).captured(1);
    QVERIFY2(waitFor(serve,
                 QRegularExpression(
                     QStringLiteral("Z  run %1 of demo ended Completed after ").arg(runId))),
        m_seen.constData());

    ::kill(pid_t(serve.processId()), SIGTERM);
    QVERIFY(serve.waitForFinished(20000));
    m_seen += serve.readAllStandardError();
    QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve.exitCode(), 0);
    QVERIFY2(m_seen.contains("SIGTERM received: stopping"), m_seen.constData());
    QVERIFY2(m_seen.contains("sluice serve stopped"), m_seen.constData());
    const QStringList states =
        query(QStringLiteral("SELECT state FROM flow_runs WHERE trigger = 'schedule' AND id = %1")
                  .arg(runId));
    QCOMPARE(states, QStringList{ QStringLiteral("Completed") });
    // The lock is released: serve starts again.
    QProcess again;
    QVERIFY2(startServe(again), m_seen.constData());
    ::kill(pid_t(again.processId()), SIGTERM);
    QVERIFY(again.waitForFinished(20000));
    QCOMPARE(again.exitCode(), 0);
}

void TestServe::sigtermCancelsRunningFlow()
{
    clearDefaults();
    QCOMPARE(sluice({ QStringLiteral("schedule"), QStringLiteral("set"), QStringLiteral("demo"),
                 QStringLiteral("--every"), QStringLiteral("1s") }),
        0);
    QProcess serve;
    QVERIFY2(startServe(serve), m_seen.constData());
    // demo's tasks take 3 x 300 ms one after another: SIGTERM right after the fire finds it
    // running.
    QVERIFY2(waitFor(serve, QRegularExpression(QStringLiteral("fired demo for \\S+: run \\d+"))),
        m_seen.constData());
    ::kill(pid_t(serve.processId()), SIGTERM);
    QVERIFY(serve.waitForFinished(20000));
    m_seen += serve.readAllStandardError();
    QCOMPARE(serve.exitCode(), 0);
    QVERIFY2(
        m_seen.contains("SIGTERM received: stopping (1 run(s) to cancel)"), m_seen.constData());
    QVERIFY2(m_seen.contains("of demo ended Cancelled after"), m_seen.constData());
    const QStringList states =
        query(QStringLiteral("SELECT state FROM flow_runs WHERE trigger = 'schedule'"));
    QCOMPARE(states, QStringList{ QStringLiteral("Cancelled") });
    QCOMPARE(query(QStringLiteral(
                 "SELECT COUNT(*) FROM task_runs WHERE state IN ('Running', 'Pending')")),
        QStringList{ QStringLiteral("0") });
}

void TestServe::secondServeNamesHolder()
{
    clearDefaults();
    QProcess first;
    QVERIFY2(startServe(first), m_seen.constData());
    QString err;
    QCOMPARE(sluice({ QStringLiteral("serve") }, &err), 1);
    QVERIFY2(
        err.contains(QLatin1String("another scheduler drives this data folder")), qPrintable(err));
    QVERIFY2(err.contains(QString::number(first.processId())), qPrintable(err));
    QVERIFY2(err.contains(QSysInfo::machineHostName()), qPrintable(err));
    ::kill(pid_t(first.processId()), SIGINT);
    QVERIFY(first.waitForFinished(20000));
    QCOMPARE(first.exitCode(), 0);
}

void TestServe::missedSlotRunsOnceAfterDowntime()
{
    clearDefaults();
    // Every 10 minutes: without history, nothing would fire for up to 10 minutes. A scheduled
    // run an hour ago means the scheduler was down since: run-once fires the latest slot now.
    QCOMPARE(sluice({ QStringLiteral("schedule"), QStringLiteral("set"), QStringLiteral("demo"),
                 QStringLiteral("--every"), QStringLiteral("10m") }),
        0);
    QVERIFY(
        addScheduledRun(QStringLiteral("demo"), QDateTime::currentDateTimeUtc().addSecs(-3600)));
    QProcess serve;
    QVERIFY2(startServe(serve), m_seen.constData());
    QVERIFY2(waitFor(serve,
                 QRegularExpression(QStringLiteral("fired demo for \\S+: run 2$"),
                     QRegularExpression::MultilineOption)),
        m_seen.constData());
    QVERIFY2(waitFor(serve, QRegularExpression(QStringLiteral("run 2 of demo ended Completed"))),
        m_seen.constData());
    ::kill(pid_t(serve.processId()), SIGTERM);
    QVERIFY(serve.waitForFinished(20000));
    QCOMPARE(serve.exitCode(), 0);
    // Exactly one catch-up run, not one per missed slot.
    QCOMPARE(query(QStringLiteral("SELECT COUNT(*) FROM flow_runs WHERE trigger = 'schedule'")),
        QStringList{ QStringLiteral("2") });
}

void TestServe::misfirePolicyFromHistory_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<int>("historyMinutesAgo"); // 0: no history
    QTest::addColumn<int>("fired");
    QTest::addColumn<int>("missed");

    QTest::newRow("run-once after downtime") << "run-once" << 180 << 1 << 1;
    QTest::newRow("skip after downtime") << "skip" << 180 << 0 << 1;
    QTest::newRow("catch-up after downtime") << "catch-up" << 180 << 3 << 0;
    QTest::newRow("no history misses nothing") << "run-once" << 0 << 0 << 0;
    QTest::newRow("downtime within the slot") << "run-once" << 20 << 0 << 0;
}

void TestServe::misfirePolicyFromHistory()
{
    QFETCH(QString, policy);
    QFETCH(int, historyMinutesAgo);
    QFETCH(int, fired);
    QFETCH(int, missed);

    // 12:30 with an hourly schedule at :00.
    const QDateTime now(QDate(2024, 3, 8), QTime(12, 30), Qt::UTC);
    Result<DataFolder> folder = DataFolder::open(dataDir());
    QVERIFY(folder);
    ScheduleStore store(ScheduleStore::defaultPath(*folder));
    Result<Schedule> schedule = Schedule::fromCron(QStringLiteral("0 * * * *"));
    QVERIFY(schedule);
    Result<Schedule::MisfirePolicy> parsed = Schedule::parseMisfirePolicy(policy);
    QVERIFY(parsed);
    schedule->setMisfirePolicy(*parsed);
    QVERIFY(store.setSchedule(QStringLiteral("demo"), *schedule));
    if (historyMinutesAgo > 0)
        QVERIFY(addScheduledRun(QStringLiteral("demo"), now.addSecs(-60 * historyMinutesAgo)));

    FlowRegistry registry;
    QVERIFY(registerBuiltinFlows(registry));
    Engine engine(registry);
    // Keep the history of 2024: no pruning.
    QVERIFY(engine.enablePersistence(folder->runsPath(), 100000));
    ManualClock clock(now);
    ScheduleRunner runner(engine, store.path(), folder->runsPath(), &clock);
    QSignalSpy firedSpy(&runner, &ScheduleRunner::fired);
    QSignalSpy missedSpy(&runner, &ScheduleRunner::slotsMissed);
    QSignalSpy finishedSpy(&engine, &Engine::runFinished);
    runner.start();
    runner.stop();
    // A slot counts as fired once its run has its row in the run history.
    QTRY_COMPARE_WITH_TIMEOUT(firedSpy.size(), fired, 20000);
    QCOMPARE(missedSpy.size(), missed);
    if (fired > 0) {
        // The latest slot (12:00) is among those fired, and every run started by a schedule.
        QCOMPARE(firedSpy.last().at(1).toDateTime(),
            QDateTime(QDate(2024, 3, 8), QTime(12, 0), Qt::UTC));
        // catch-up runs overlap one another: the engine records the later triggers Skipped.
        QTRY_COMPARE_WITH_TIMEOUT(finishedSpy.size(), fired, 20000);
        QVERIFY(engine.flush());
        Result<std::unique_ptr<RunStore>> runs = RunStore::open(folder->runsPath());
        QVERIFY(runs);
        RunQuery query;
        query.flow = QStringLiteral("demo");
        Result<QList<FlowRunRecord>> records = (*runs)->runs(query);
        QVERIFY(records);
        QCOMPARE(records->size(), fired + (historyMinutesAgo > 0 ? 1 : 0));
        for (const FlowRunRecord &record : std::as_const(*records))
            QCOMPARE(record.trigger, QStringLiteral("schedule"));
    }
}

void TestServe::defaultSchedules()
{
    Result<DataFolder> folder = DataFolder::open(dataDir());
    QVERIFY(folder);
    ScheduleStore store(ScheduleStore::defaultPath(*folder));
    const QStringList flows{ QStringLiteral("demo"), QStringLiteral("daily-report"),
        QStringLiteral("btc-update") };
    QMap<QString, Schedule> schedules = DefaultSchedules::effective(store, flows);
    QCOMPARE(schedules.keys(),
        (QStringList{ QStringLiteral("btc-update"), QStringLiteral("daily-report") }));
    QCOMPARE(schedules.value(QStringLiteral("daily-report")).expressionText(),
        QStringLiteral("1 0 * * *"));
    QCOMPARE(schedules.value(QStringLiteral("daily-report")).timeZoneId(), QStringLiteral("UTC"));
    QCOMPARE(schedules.value(QStringLiteral("btc-update")).expressionText(),
        QStringLiteral("* * * * *"));
    // A flow that does not exist gets no default.
    QVERIFY(!DefaultSchedules::effective(store, { QStringLiteral("demo") })
                 .contains(QStringLiteral("btc-update")));

    // `schedule clear` of a default is remembered; `schedule set` brings it back.
    const auto cli = [&](const QStringList &args) {
        return sluice(QStringList{ QStringLiteral("schedule") } + args);
    };
    QCOMPARE(cli({ QStringLiteral("clear"), QStringLiteral("daily-report") }), 0);
    QVERIFY(DefaultSchedules::isCleared(store, QStringLiteral("daily-report")));
    QVERIFY(!DefaultSchedules::effective(store, flows).contains(QStringLiteral("daily-report")));
    QCOMPARE(
        cli({ QStringLiteral("set"), QStringLiteral("daily-report"), QStringLiteral("@daily") }),
        0);
    QVERIFY(!DefaultSchedules::isCleared(store, QStringLiteral("daily-report")));
    QCOMPARE(DefaultSchedules::effective(store, flows)
                 .value(QStringLiteral("daily-report"))
                 .expressionText(),
        QStringLiteral("@daily"));
    // Pausing a default that is only in force writes it, paused.
    QCOMPARE(cli({ QStringLiteral("clear"), QStringLiteral("daily-report") }), 0);
    QVERIFY(DefaultSchedules::setCleared(store, QStringLiteral("daily-report"), false));
    QCOMPARE(cli({ QStringLiteral("pause"), QStringLiteral("daily-report") }), 0);
    Result<Schedule> paused = store.schedule(QStringLiteral("daily-report"));
    QVERIFY(paused);
    QVERIFY(paused->isPaused());
    QCOMPARE(paused->expressionText(), QStringLiteral("1 0 * * *"));

    // `sluice flows` shows the schedule and the next fire time.
    QProcess process;
    process.setProcessEnvironment(environment());
    process.start(QStringLiteral(SLUICE_EXECUTABLE),
        { QStringLiteral("--data-dir"), dataDir(), QStringLiteral("flows") });
    QVERIFY(process.waitForFinished(30000));
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(
        out.contains(QRegularExpression(QStringLiteral("^daily-report .* 1 0 \\* \\* \\* +paused "),
            QRegularExpression::MultilineOption)),
        qPrintable(out));
    QCOMPARE(sluice({ QStringLiteral("schedule"), QStringLiteral("set"), QStringLiteral("demo"),
                 QStringLiteral("*/5 * * * *") }),
        0);
    process.start(QStringLiteral(SLUICE_EXECUTABLE),
        { QStringLiteral("--data-dir"), dataDir(), QStringLiteral("flows") });
    QVERIFY(process.waitForFinished(30000));
    const QString out2 = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(
        out2.contains(QRegularExpression(
            QStringLiteral(
                "^demo .* \\*/5 \\* \\* \\* \\* +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d[05]:00\\+00:00 "),
            QRegularExpression::MultilineOption)),
        qPrintable(out2));
}

void TestServe::reloadsChangedSchedules()
{
    Result<DataFolder> folder = DataFolder::open(dataDir());
    QVERIFY(folder);
    const Settings settings(folder->settingsPath());
    FlowRegistry registry;
    QVERIFY(registerBuiltinFlows(registry, *folder, settings));
    Engine engine(registry);
    ScheduleStore store(ScheduleStore::defaultPath(*folder));
    ScheduleRunner runner(engine, store.path(), folder->runsPath());
    QSignalSpy loaded(&runner, &ScheduleRunner::schedulesLoaded);
    runner.start();
    QCOMPARE(loaded.size(), 1);
    // The flows that exist and have a built-in default (daily-report, and btc-update once
    // registered).
    QStringList defaults;
    for (const QString &flow : DefaultSchedules::builtIn().keys()) {
        if (registry.flow(flow))
            defaults << flow;
    }
    QVERIFY(defaults.contains(QStringLiteral("daily-report")));
    QCOMPARE(runner.scheduler().flowNames(), defaults);

    // Another process (here: the store) edits schedules.ini.
    Result<Schedule> hourly = Schedule::fromCron(QStringLiteral("0 * * * *"));
    QVERIFY(hourly);
    QVERIFY(store.setSchedule(QStringLiteral("demo"), *hourly));
    QTRY_VERIFY_WITH_TIMEOUT(
        runner.scheduler().flowNames().contains(QStringLiteral("demo")), 10000);
    QVERIFY(store.remove(QStringLiteral("demo")));
    QTRY_VERIFY_WITH_TIMEOUT(
        !runner.scheduler().flowNames().contains(QStringLiteral("demo")), 10000);
    // A schedule for a flow that does not exist is reported, not run.
    QVERIFY(store.setSchedule(QStringLiteral("no-such-flow"), *hourly));
    QTRY_VERIFY_WITH_TIMEOUT(loaded.last()
                                 .at(1)
                                 .toStringList()
                                 .join(QLatin1Char('\n'))
                                 .contains(QLatin1String("\"no-such-flow\" is ignored")),
        10000);
    QVERIFY(!runner.scheduler().flowNames().contains(QStringLiteral("no-such-flow")));
}

void TestServe::setRefusesUnknownFlow()
{
    QString err;
    QCOMPARE(sluice({ QStringLiteral("schedule"), QStringLiteral("set"), QStringLiteral("nope"),
                        QStringLiteral("@daily") },
                 &err),
        2);
    QVERIFY2(
        err.contains(QLatin1String("unknown flow \"nope\"; the flows are demo")), qPrintable(err));
    QVERIFY2(err.contains(QLatin1String("daily-report")), qPrintable(err));
}

void TestServe::writeFlow(const QString &name, const QByteArray &text) const
{
    QDir().mkpath(dataDir() + QStringLiteral("/flows"));
    QFile file(dataDir() + QStringLiteral("/flows/") + name);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(text), text.size());
}

// A flow file added while serve runs is loaded and its `every:` schedule fires; changed to
// invalid, its next fire is a Failed run naming the error; removed, its schedule goes.
void TestServe::serveFollowsFlowFiles()
{
    clearDefaults();
    QProcess serve;
    QVERIFY2(startServe(serve), m_seen.constData());
    writeFlow(QStringLiteral("tick.yaml"),
        "schedule: { every: 1s }\nsteps:\n  - id: a\n    run: \"true\"\n");
    QVERIFY2(waitFor(serve, QRegularExpression(QStringLiteral("schedules: (.*, )?tick \\(1s, "))),
        m_seen.constData());
    const QRegularExpression completed(
        QStringLiteral("Z  run (\\d+) of tick ended Completed after "));
    QVERIFY2(waitFor(serve, completed), m_seen.constData());
    const QString completedRun = completed.match(QString::fromUtf8(m_seen)).captured(1);

    writeFlow(QStringLiteral("tick.yaml"), "schedule: { every: 1s }\nsteps: 3\n");
    const QRegularExpression failed(
        QStringLiteral("Z  run (\\d+) of tick ended Failed after [^\\n]*tick\\.yaml:2:8: error: "));
    QVERIFY2(waitFor(serve, failed), m_seen.constData());
    const QString failedRun = failed.match(QString::fromUtf8(m_seen)).captured(1);
    QVERIFY2(m_seen.contains("tick.yaml:2:8: error: "), m_seen.constData());

    QFile::remove(dataDir() + QStringLiteral("/flows/tick.yaml"));
    QVERIFY2(waitFor(serve, QRegularExpression(QStringLiteral("no schedules; set one with"))),
        m_seen.constData());

    ::kill(pid_t(serve.processId()), SIGTERM);
    QVERIFY(serve.waitForFinished(20000));
    QCOMPARE(serve.exitCode(), 0);
    QCOMPARE(query(QStringLiteral("SELECT state || ' ' || trigger FROM flow_runs WHERE id = %1")
                       .arg(completedRun)),
        QStringList{ QStringLiteral("Completed schedule") });
    const QStringList message = query(QStringLiteral(
        "SELECT state || ' ' || trigger || ' ' || message FROM flow_runs WHERE id = %1")
                                          .arg(failedRun));
    QCOMPARE(message.size(), 1);
    QVERIFY2(message.first().startsWith(QLatin1String("Failed schedule "))
            && message.first().contains(QLatin1String("tick.yaml:2:8: error: ")),
        qPrintable(message.first()));
}

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
