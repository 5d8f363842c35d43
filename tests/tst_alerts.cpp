// Failure alerts end to end against a real SMTP server on loopback: a failing demo run with
// alerts.enabled sends exactly one alert naming the flow, the run, the failed task, the error
// and the log tail; a second failure within alerts.interval-minutes sends none (the limit
// outlives the process); alerts off or a successful run send nothing. In-process: the mail
// goes out on the notifier's worker while the engine's thread stays free.

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "sluiceprocess.h"

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "flows/builtinflows.h"
#include "notify/alertnotifier.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
#include "smtpfixture.h"

using namespace Sluice;

class TestAlerts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void failedRunSendsOneAlert();
    void noAlertWhen_data();
    void noAlertWhen();
    void notifierSendsOnWorker();
    void bodyNamesEverything();

private:
    QString dataDir() const { return m_dir->filePath(QStringLiteral("data")); }
    void configure(
        quint16 port, bool enabled, const QString &recipients = QStringLiteral("ops@example.org"));
    int runDemo(bool fail, QString *err);
    QString bodyOf(const SmtpFixture &server, int message) const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestAlerts::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(DataFolder::open(dataDir()));
}

void TestAlerts::configure(quint16 port, bool enabled, const QString &recipients)
{
    Settings settings(DataFolder::open(dataDir())->settingsPath());
    QMap<QString, QString> values{ { QStringLiteral("smtp.host"), QStringLiteral("127.0.0.1") },
        { QStringLiteral("smtp.port"), QString::number(port) },
        { QStringLiteral("smtp.security"), QStringLiteral("none") },
        { QStringLiteral("smtp.from"), QStringLiteral("sluice@example.org") },
        { QStringLiteral("alerts.enabled"),
            enabled ? QStringLiteral("true") : QStringLiteral("false") } };
    if (!recipients.isEmpty())
        values.insert(QStringLiteral("report.recipients"), recipients);
    Result<void> ok = settings.setTexts(values);
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message()));
}

int TestAlerts::runDemo(bool fail, QString *err)
{
    const SluiceProcess::Output output = SluiceProcess::run(
        { QStringLiteral("--data-dir"), dataDir(), QStringLiteral("run"), QStringLiteral("demo"),
            QStringLiteral("--param"), QStringLiteral("sleep-ms=30"), QStringLiteral("--param"),
            fail ? QStringLiteral("fail=true") : QStringLiteral("fail=false") },
        SluiceProcess::environment({ { QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QString() } }),
        QStringLiteral(SLUICE_EXECUTABLE), 60000);
    if (output.code != -1)
        *err = output.err;
    return output.code;
}

QString TestAlerts::bodyOf(const SmtpFixture &server, int message) const
{
    const QJsonArray parts =
        server.message(message).value(u"message").toObject().value(u"parts").toArray();
    return QString::fromUtf8(QByteArray::fromBase64(
        parts.first().toObject().value(u"payload_base64").toString().toLatin1()));
}

void TestAlerts::failedRunSendsOneAlert()
{
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    configure(server.port(), true);

    QString err;
    QCOMPARE(runDemo(true, &err), 1);
    QVERIFY2(err.contains(QLatin1String("alert emailed to ops@example.org")), qPrintable(err));
    QCOMPARE(server.messageCount(), 1);
    const QJsonObject delivered = server.message(1);
    QCOMPARE(delivered.value(u"rcpt_tos").toVariant().toStringList(),
        QStringList{ QStringLiteral("ops@example.org") });
    const QString subject = delivered.value(u"message")
                                .toObject()
                                .value(u"headers")
                                .toObject()
                                .value(u"Subject")
                                .toString();
    QCOMPARE(subject, QStringLiteral("Sluice: flow \"demo\" run 1 ended Failed"));
    const QString body = bodyOf(server, 1);
    for (const char *expected : { "Flow: demo", "Run: 1", "State: Failed", "Failed task: merge",
             "Error: demo failure requested by the parameter fail=true",
             "merge error: giving up: the failure was requested",
             "extract-prices info: read batch" })
        QVERIFY2(body.contains(QLatin1String(expected)), qPrintable(expected + (" in\n" + body)));

    // A second failure within the interval (15 minutes by default), by another process: none.
    QCOMPARE(runDemo(true, &err), 1);
    QVERIFY2(err.contains(QLatin1String("no alert sent: an alert for this flow was sent at")),
        qPrintable(err));
    QCOMPARE(server.messageCount(), 1);
}

void TestAlerts::noAlertWhen_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<bool>("fail");
    QTest::addColumn<QString>("recipients");
    QTest::addColumn<QString>("said");

    QTest::newRow("alerts off") << false << true << "ops@example.org"
                                << "";
    QTest::newRow("run completed") << true << false << "ops@example.org"
                                   << "";
    QTest::newRow("no recipients") << true << true << ""
                                   << "no recipients are configured";
}

void TestAlerts::noAlertWhen()
{
    QFETCH(bool, enabled);
    QFETCH(bool, fail);
    QFETCH(QString, recipients);
    QFETCH(QString, said);
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    configure(server.port(), enabled, recipients);
    QString err;
    QCOMPARE(runDemo(fail, &err), fail ? 1 : 0);
    QVERIFY2(!err.contains(QLatin1String("alert emailed")), qPrintable(err));
    if (!said.isEmpty())
        QVERIFY2(err.contains(said), qPrintable(err));
    QCOMPARE(server.messageCount(), 0);
}

void TestAlerts::notifierSendsOnWorker()
{
    // The server answers DATA 2 s late: the engine's thread must go on meanwhile.
    SmtpFixture::Options options;
    options.delayDataSeconds = 2;
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    configure(server.port(), true);
    Settings settings(DataFolder::open(dataDir())->settingsPath());
    FlowRegistry registry;
    QVERIFY(registerBuiltinFlows(registry));
    Engine engine(registry);
    AlertNotifier alerts(dataDir(), settings);
    alerts.watch(engine);
    QSignalSpy sent(&alerts, &AlertNotifier::alertSent);
    QSignalSpy finished(&engine, &Engine::runFinished);
    QVERIFY(engine.start(QStringLiteral("demo"),
        { { QStringLiteral("fail"), true }, { QStringLiteral("sleep-ms"), 30 } }));
    QVERIFY(finished.wait(20000));
    QVERIFY(alerts.isBusy());
    // A timer on this thread fires while the mail is in flight.
    QElapsedTimer elapsed;
    elapsed.start();
    bool ticked = false;
    QTimer::singleShot(100, this, [&] { ticked = elapsed.elapsed() < 1000; });
    QTRY_VERIFY_WITH_TIMEOUT(ticked, 1000);
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, 20000);
    QCOMPARE(server.messageCount(), 1);
    QVERIFY(QFile::exists(AlertNotifier::statePath(dataDir())));
}

void TestAlerts::bodyNamesEverything()
{
    RunFinishedEvent run;
    run.runId = 42;
    run.flow = QStringLiteral("btc-update");
    run.state = RunState::TimedOut;
    run.startedMs = 1709856000000;
    run.finishedMs = 1709856060000;
    run.failedTask = QStringLiteral("fetch-prices");
    run.message = QStringLiteral("no result after 60000 ms");
    QCOMPARE(AlertNotifier::subject(run),
        QStringLiteral("Sluice: flow \"btc-update\" run 42 ended TimedOut"));
    const QString body =
        AlertNotifier::body(run, { QStringLiteral("line one"), QStringLiteral("line two") });
    for (const char *expected :
        { "Flow: btc-update\n", "Run: 42\n", "State: TimedOut\n", "Started: 2024-03-08T00:00:00Z\n",
            "Ended: 2024-03-08T00:01:00Z\n", "Failed task: fetch-prices\n",
            "Error: no result after 60000 ms\n", "Last log lines:\nline one\nline two\n" })
        QVERIFY2(body.contains(QLatin1String(expected)), expected);
}

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
