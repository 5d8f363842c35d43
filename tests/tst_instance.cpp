// Instance: one data folder opened with its live settings, flows, engine, alerts and scheduler,
// as the window and every command start. A change of history.retention-days prunes the run
// history at once; the BTC flows' sources follow the live settings from the next run on.

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "flows/btcpipeline.h"
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

private:
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

QTEST_GUILESS_MAIN(TestInstance)
#include "tst_instance.moc"
