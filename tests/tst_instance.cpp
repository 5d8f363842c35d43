// Instance: one data folder opened with its live settings, flows, engine, alerts and scheduler,
// as the window and every command start. A change of history.retention-days prunes the run
// history at once; the BTC flows' sources follow the live settings from the next run on.

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include <QDir>
#include <QFile>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "flows/btcpipeline.h"
#include "instance/flowfiles.h"
#include "instance/instance.h"
#include "notify/alertnotifier.h"
#include "schedule/schedulerunner.h"
#include "settings/settings.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;

class TestInstance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void opensTheFolder();
    void unusableFolderIsNamed();
    void startsInOrder();
    void oneSchedulerPerFolder();
    void retentionChangePrunesHistory();
    void sourcesFollowSettings();
    void loadsFlowFiles();
    void reloadsFlowFiles();
    void restartedIntervalStartsAtLoad();

private:
    void writeFlow(const QString &name, const QByteArray &text) const;
    // Builds any valid file into a flow of one task that does nothing, whatever its step
    // kinds (they are not this unit's business).
    static Result<Flow> buildStub(const CheckedFlowFile &file, const FlowEnvironment &);

    QString dataDir() const { return m_dir->filePath(QStringLiteral("data")); }
    std::unique_ptr<Instance> open();

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestInstance::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestInstance::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

std::unique_ptr<Instance> TestInstance::open()
{
    Result<std::unique_ptr<Instance>> instance = Instance::open(dataDir());
    if (!instance)
        return nullptr;
    return std::move(*instance);
}

void TestInstance::opensTheFolder()
{
    std::unique_ptr<Instance> instance = open();
    QVERIFY(instance);
    QCOMPARE(instance->folder().path(), dataDir());
    QVERIFY(QFileInfo::exists(instance->folder().warehousePath()));
    QCOMPARE(instance->settings().filePath(), instance->folder().settingsPath());
    QVERIFY(!instance->hasEngine());
    QVERIFY(!instance->scheduler());

    QVERIFY(instance->loadFlows());
    QVERIFY(instance->loadFlows()); // once is enough; again changes nothing
    QCOMPARE(instance->flows().names(),
        QStringList({ QStringLiteral("demo"), QStringLiteral("daily-report"),
            QStringLiteral("btc-backfill"), QStringLiteral("btc-update") }));
}

void TestInstance::unusableFolderIsNamed()
{
    QFile file(m_dir->filePath(QStringLiteral("file")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const Result<std::unique_ptr<Instance>> instance = Instance::open(file.fileName());
    QVERIFY(!instance);
    QVERIFY2(instance.error().message().contains(file.fileName()),
        qPrintable(instance.error().message()));
}

void TestInstance::startsInOrder()
{
    std::unique_ptr<Instance> instance = open();
    QVERIFY(instance);
    QVERIFY(instance->startEngine());
    QVERIFY(instance->hasEngine());
    QVERIFY(instance->engine().hasPersistence());
    QCOMPARE(&instance->engine().registry(), &instance->flows());
    AlertNotifier &alerts = instance->startAlerts();
    QCOMPARE(&instance->startAlerts(), &alerts);
    QVERIFY(instance->makeScheduler());
    QVERIFY(instance->scheduler());
    QSignalSpy loaded(instance->scheduler(), &ScheduleRunner::schedulesLoaded);
    instance->scheduler()->start();
    QCOMPARE(loaded.size(), 1);

    // A run on the instance's engine is recorded in the folder's runs.sqlite.
    QSignalSpy finished(&instance->engine(), &Engine::runFinished);
    const Result<qint64> run =
        instance->engine().start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 3 } });
    QVERIFY(run);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
    QVERIFY(instance->engine().flush());
    Result<std::unique_ptr<RunStore>> store = RunStore::open(instance->folder().runsPath());
    QVERIFY(store);
    const Result<QList<FlowRunRecord>> runs = (*store)->runs();
    QVERIFY(runs);
    QCOMPARE(runs->size(), 1);
    QCOMPARE(runs->first().id, *run);
    // Ends scheduler first, settings last; nothing to check but that it does.
    instance.reset();
}

void TestInstance::oneSchedulerPerFolder()
{
    std::unique_ptr<Instance> first = open();
    std::unique_ptr<Instance> second = open();
    QVERIFY(first && second);
    QVERIFY(first->lockScheduler());
    QVERIFY(first->lockScheduler()); // held already
    QVERIFY(second->startEngine());
    const Result<void> refused = second->makeScheduler();
    QVERIFY(!refused);
    QVERIFY(!second->scheduler());
    QVERIFY2(
        refused.error().message().contains(QString::number(QCoreApplication::applicationPid())),
        qPrintable(refused.error().message()));
    first.reset();
    QVERIFY(second->makeScheduler());
    QVERIFY(second->scheduler());
}

void TestInstance::retentionChangePrunesHistory()
{
    std::unique_ptr<Instance> instance = open();
    QVERIFY(instance);
    QVERIFY(instance->startEngine());
    Engine &engine = instance->engine();
    QSignalSpy finished(&engine, &Engine::runFinished);
    for (int i = 0; i < 2; ++i) {
        QVERIFY(engine.start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 3 } }));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), i + 1, 10000);
    }
    QVERIFY(engine.flush());
    // Run 1 ended 40 days ago: kept by the default of 90 days, not by 30.
    {
        Result<SqliteConnection> db =
            SqliteConnection::open(instance->folder().runsPath(), QStringLiteral("test"));
        QVERIFY(db);
        const qint64 old = QDateTime::currentMSecsSinceEpoch() - qint64(40) * 24 * 3600 * 1000;
        QVERIFY(db->exec(
            QStringLiteral("UPDATE flow_runs SET created_ms = %1, finished_ms = %1 WHERE id = 1")
                .arg(old)));
    }
    const auto runIds = [&] {
        QList<qint64> ids;
        Result<std::unique_ptr<RunStore>> store = RunStore::open(instance->folder().runsPath());
        if (!store)
            return ids;
        if (const Result<QList<FlowRunRecord>> runs = (*store)->runs())
            for (const FlowRunRecord &run : *runs)
                ids << run.id;
        return ids;
    };
    QCOMPARE(runIds(), QList<qint64>({ 2, 1 }));
    QVERIFY(instance->settings().setText(
        QStringLiteral("history.retention-days"), QStringLiteral("30")));
    QTRY_COMPARE(runIds(), QList<qint64>{ 2 });
}

void TestInstance::sourcesFollowSettings()
{
    std::unique_ptr<Instance> instance = open();
    QVERIFY(instance);
    Settings &settings = instance->settings();
    const BtcFlowOptions options =
        BtcFlowOptions::following(instance->folder().warehousePath(), settings);
    QCOMPARE(options.current().binance.baseUrl, QUrl(QStringLiteral("https://api.binance.com")));
    QVERIFY(settings.setTexts(
        { { QStringLiteral("sources.binance-url"), QStringLiteral("http://127.0.0.1:9/binance") },
            { QStringLiteral("sources.mempool-url"), QStringLiteral("http://127.0.0.1:9/mempool") },
            { QStringLiteral("sources.proxy"), QStringLiteral("http://proxy.example:3128") },
            { QStringLiteral("sources.timeout-seconds"), QStringLiteral("7") },
            { QStringLiteral("sources.max-retry-wait-seconds"), QStringLiteral("3") } }));
    const BtcFlowOptions now = options.current();
    QCOMPARE(now.binance.baseUrl, QUrl(QStringLiteral("http://127.0.0.1:9/binance")));
    QCOMPARE(now.mempool.baseUrl, QUrl(QStringLiteral("http://127.0.0.1:9/mempool")));
    QCOMPARE(now.binance.proxy, QUrl(QStringLiteral("http://proxy.example:3128")));
    QCOMPARE(now.mempool.timeoutSeconds, 7);
    QCOMPARE(now.maxRetryWaitSeconds, 3);
    QCOMPARE(now.warehousePath, instance->folder().warehousePath());
    // A copy taken once does not follow.
    const BtcFlowOptions copied =
        BtcFlowOptions::fromSettings(instance->folder().warehousePath(), settings);
    QVERIFY(settings.setText(QStringLiteral("sources.timeout-seconds"), QStringLiteral("9")));
    QCOMPARE(copied.current().binance.timeoutSeconds, 7);
    QCOMPARE(options.current().binance.timeoutSeconds, 9);
}

void TestInstance::writeFlow(const QString &name, const QByteArray &text) const
{
    QDir().mkpath(dataDir() + QStringLiteral("/flows"));
    QFile file(dataDir() + QStringLiteral("/flows/") + name);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

Result<Flow> TestInstance::buildStub(const CheckedFlowFile &file, const FlowEnvironment &)
{
    Flow flow(file.definition->name, file.definition->description);
    flow.setSource(file.path, file.source);
    flow.addTask({ QStringLiteral("step"), {},
        [](TaskContext &) { return Result<QVariant>(QVariant()); }, {}, {} });
    return flow;
}

// The flows folder is read with the built-in flows: a valid file becomes a flow, an invalid
// one is listed with its errors and is a broken flow whose run is recorded Failed; one bad
// file hides nothing. A file's `every:` schedule counts from when it was loaded.
void TestInstance::loadsFlowFiles()
{
    writeFlow(QStringLiteral("good.yaml"),
        "description: Good\nschedule: { every: 1m }\nsteps:\n  - id: a\n    run: \"true\"\n");
    writeFlow(QStringLiteral("bad.yaml"), "steps:\n  - id: a\n    rn: echo\n");
    // Before the first load, which anchors the file's interval schedule.
    const QDateTime before = QDateTime::currentDateTimeUtc();
    std::unique_ptr<Instance> instance = open();
    QVERIFY(instance);
    QVERIFY(instance->loadFlows());
    FlowFiles &files = instance->flowFiles();
    QCOMPARE(files.folder(), dataDir() + QStringLiteral("/flows"));
    files.setBuilder(&TestInstance::buildStub);
    QSignalSpy changed(&files, &FlowFiles::flowsChanged);
    files.load();
    QCOMPARE(changed.size(), 1);
    files.load(); // nothing changed: nothing to tell
    QCOMPARE(changed.size(), 1);

    QCOMPARE(instance->flows().names(),
        QStringList({ QStringLiteral("demo"), QStringLiteral("daily-report"),
            QStringLiteral("btc-backfill"), QStringLiteral("btc-update"),
            QStringLiteral("good") }));
    QCOMPARE(instance->flows().flow(QStringLiteral("good"))->description(), QStringLiteral("Good"));
    QCOMPARE(files.invalidFiles().size(), 1);
    const FlowFiles::InvalidFile bad = files.invalidFiles().first();
    QCOMPARE(bad.name, QStringLiteral("bad"));
    QCOMPARE(bad.path, dataDir() + QStringLiteral("/flows/bad.yaml"));
    QCOMPARE(bad.firstError.line, 3);
    QCOMPARE(bad.firstError.column, 5);
    QVERIFY2(bad.firstError.toString().contains(QLatin1String("bad.yaml:3:5: error: unknown key")),
        qPrintable(bad.firstError.toString()));
    QVERIFY(instance->flows().brokenFlow(QStringLiteral("bad")));
    QVERIFY(!files.invalidFile(QStringLiteral("good")));

    const Schedule every = files.schedules().value(QStringLiteral("good"));
    QCOMPARE(every.kind(), Schedule::Kind::Interval);
    QVERIFY(every.interval().anchor() >= before);
    QCOMPARE(files.schedules().keys(), QStringList{ QStringLiteral("good") });

    // The scheduler takes the file's schedule as a default: first fire one interval after
    // the load.
    QVERIFY(instance->startEngine());
    QVERIFY(instance->makeScheduler());
    instance->scheduler()->start();
    QVERIFY(instance->scheduler()->scheduler().flowNames().contains(QStringLiteral("good")));
    const QDateTime next = instance->scheduler()->scheduler().nextFireTime(QStringLiteral("good"));
    QVERIFY2(next >= before.addSecs(60) && next <= QDateTime::currentDateTimeUtc().addSecs(61),
        qPrintable(next.toString(Qt::ISODate)));

    QSignalSpy finished(&instance->engine(), &Engine::runFinished);
    QVERIFY(instance->engine().start(QStringLiteral("good")));
    QVERIFY(instance->engine().start(QStringLiteral("bad")));
    QTRY_COMPARE(finished.size(), 2);
    QHash<QString, RunFinishedEvent> ends;
    for (const QList<QVariant> &args : std::as_const(finished)) {
        const auto end = args.first().value<RunFinishedEvent>();
        ends.insert(end.flow, end);
    }
    QCOMPARE(ends.value(QStringLiteral("good")).state, RunState::Completed);
    QCOMPARE(ends.value(QStringLiteral("bad")).state, RunState::Failed);
    QVERIFY2(ends.value(QStringLiteral("bad"))
                 .message.contains(QLatin1String("bad.yaml:3:5: error: unknown key")),
        qPrintable(ends.value(QStringLiteral("bad")).message));
}

// Watched, the folder is read again when a file is added, changed or removed; the registry
// and the scheduler follow. A file that turns invalid keeps its schedule.
void TestInstance::reloadsFlowFiles()
{
    std::unique_ptr<Instance> instance = open();
    QVERIFY(instance);
    QVERIFY(instance->startEngine());
    FlowFiles &files = instance->flowFiles();
    files.setBuilder(&TestInstance::buildStub);
    QVERIFY(instance->makeScheduler());
    instance->scheduler()->start();
    instance->watchFlowFiles();
    QVERIFY(files.isWatching());
    const ScheduleRunner &runner = *instance->scheduler();

    // The folder does not exist yet: the poll sees it come.
    writeFlow(QStringLiteral("new.yaml"),
        "schedule: { every: 1h }\nsteps:\n  - id: a\n    run: \"true\"\n");
    QTRY_VERIFY_WITH_TIMEOUT(instance->flows().flow(QStringLiteral("new")), 3000);
    QTRY_VERIFY(runner.scheduler().flowNames().contains(QStringLiteral("new")));

    // Changed to invalid: broken, its schedule kept.
    writeFlow(QStringLiteral("new.yaml"), "schedule: { every: 1h }\nsteps: 3\n");
    QTRY_VERIFY_WITH_TIMEOUT(instance->flows().brokenFlow(QStringLiteral("new")), 3000);
    QVERIFY(!instance->flows().flow(QStringLiteral("new")));
    QVERIFY(files.invalidFile(QStringLiteral("new")));
    QVERIFY(runner.scheduler().flowNames().contains(QStringLiteral("new")));

    // Replaced by a rename, as editors save: seen as well.
    const QString flows = dataDir() + QStringLiteral("/flows/");
    writeFlow(
        QStringLiteral("new.tmp"), "description: Renamed\nsteps:\n  - id: a\n    run: \"true\"\n");
    QVERIFY(QFile::remove(flows + QStringLiteral("new.yaml")));
    QVERIFY(QFile::rename(flows + QStringLiteral("new.tmp"), flows + QStringLiteral("new.yaml")));
    QTRY_VERIFY_WITH_TIMEOUT(instance->flows().flow(QStringLiteral("new")), 3000);
    QCOMPARE(
        instance->flows().flow(QStringLiteral("new"))->description(), QStringLiteral("Renamed"));
    QTRY_VERIFY(!runner.scheduler().flowNames().contains(QStringLiteral("new")));

    // Removed.
    QVERIFY(QFile::remove(flows + QStringLiteral("new.yaml")));
    QTRY_VERIFY_WITH_TIMEOUT(!instance->flows().flow(QStringLiteral("new")), 3000);
    QVERIFY(!instance->flows().brokenFlow(QStringLiteral("new")));
}

// A server restarted after a scheduled run of a file flow with `every:`: the grid starts at
// the new load, so its first fire is one interval later; nothing before the load counts as
// missed (the process before ran that flow's slots on another grid).
void TestInstance::restartedIntervalStartsAtLoad()
{
    writeFlow(QStringLiteral("tick.yaml"),
        "schedule: { every: 1m }\nsteps:\n  - id: a\n    run: \"true\"\n");
    {
        std::unique_ptr<Instance> first = open();
        QVERIFY(first);
        QVERIFY(first->loadFlows());
        QVERIFY(first->startEngine());
        RunOptions options;
        options.trigger = QLatin1String(ScheduleRunner::Trigger);
        options.time = QDateTime::currentDateTimeUtc().addSecs(-1);
        QSignalSpy finished(&first->engine(), &Engine::runFinished);
        QVERIFY(first->engine().start(QStringLiteral("tick"), options));
        QTRY_COMPARE(finished.size(), 1);
    }
    std::unique_ptr<Instance> second = open();
    QVERIFY(second);
    QVERIFY(second->loadFlows());
    QVERIFY(second->startEngine());
    const QDateTime anchor =
        second->flowFiles().schedules().value(QStringLiteral("tick")).interval().anchor();
    QVERIFY(second->makeScheduler());
    Scheduler &scheduler = second->scheduler()->scheduler();
    QSignalSpy due(&scheduler, &Scheduler::fireDue);
    QSignalSpy missed(&scheduler, &Scheduler::slotsMissed);
    second->scheduler()->start();
    scheduler.check();
    QCOMPARE(due.size(), 0);
    QCOMPARE(missed.size(), 0);
    QCOMPARE(scheduler.nextFireTime(QStringLiteral("tick")), anchor.addSecs(60));
}

QTEST_GUILESS_MAIN(TestInstance)
#include "tst_instance.moc"
