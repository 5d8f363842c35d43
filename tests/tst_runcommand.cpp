// `sluice run` and `sluice flows` as a user runs them: live task states, the summary, exit
// codes, the run recorded in runs.sqlite, usage errors, Ctrl-C and a killed process.

#include <csignal>

#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/runstore.h"
#include "sluiceprocess.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;

class TestRunCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void runDemoCompletes();
    void boundsAreInclusive();
    void runDemoFailureNamesTask();
    void usageErrors_data();
    void usageErrors();
    void signalCancels_data();
    void signalCancels();
    void killedRunIsCrashedNextTime();
    void twoProcessesRunASkipFlowOnce();
    void twoProcessesOpenANewFolder();
    void flowsListsLastRun();
    void invalidFlowFileExits2();

private:
    using Output = SluiceProcess::Output;
    Output run(const QStringList &args);
    // Starts sluice and waits until stderr shows a task Running.
    bool startUntilRunning(QProcess &process, const QStringList &args);
    QString dataDir() const { return m_dir->filePath(QStringLiteral("data")); }
    QString runsPath() const { return dataDir() + QStringLiteral("/runs.sqlite"); }
    QStringList states(const QString &sql) const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunCommand::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

TestRunCommand::Output TestRunCommand::run(const QStringList &args)
{
    return SluiceProcess::run(QStringList{ QStringLiteral("--data-dir"), dataDir() } + args);
}

bool TestRunCommand::startUntilRunning(QProcess &process, const QStringList &args)
{
    process.setProcessEnvironment(SluiceProcess::environment());
    process.setReadChannel(QProcess::StandardError);
    process.start(QStringLiteral(SLUICE_EXECUTABLE),
        QStringList{ QStringLiteral("--data-dir"), dataDir() } + args);
    if (!process.waitForStarted())
        return false;
    QByteArray seen;
    while (!seen.contains("Running (attempt 1)")) {
        if (!process.waitForReadyRead(10000))
            return false;
        seen += process.readAllStandardError();
    }
    return true;
}

QStringList TestRunCommand::states(const QString &sql) const
{
    Result<SqliteConnection> db = SqliteConnection::open(
        runsPath(), QStringLiteral("test"), SqliteConnection::Mode::ReadOnly);
    QStringList result;
    if (!db)
        return { db.error().message() };
    QSqlQuery query(db->database());
    if (!query.exec(sql))
        return { QStringLiteral("query failed") };
    while (query.next())
        result << query.value(0).toString();
    return result;
}

void TestRunCommand::runDemoCompletes()
{
    const Output output = run({ QStringLiteral("run"), QStringLiteral("demo"),
        QStringLiteral("--param"), QStringLiteral("sleep-ms=30") });
    QCOMPARE(output.code, 0);
    for (const char *task : { "extract-prices", "extract-network", "merge", "report" }) {
        const QRegularExpression line(
            QStringLiteral("^\\d\\d:\\d\\d:\\d\\d  %1 +Running \\(attempt 1\\)$")
                .arg(QLatin1String(task)),
            QRegularExpression::MultilineOption);
        QVERIFY2(output.err.contains(line), qPrintable(output.err));
        QVERIFY2(output.err.contains(
                     QRegularExpression(QStringLiteral("  %1 +Completed$").arg(QLatin1String(task)),
                         QRegularExpression::MultilineOption)),
            qPrintable(output.err));
        QVERIFY2(output.out.contains(QRegularExpression(
                     QStringLiteral("^  %1 +Completed ").arg(QLatin1String(task)),
                     QRegularExpression::MultilineOption)),
            qPrintable(output.out));
    }
    QVERIFY2(output.out.startsWith(QLatin1String("Run 1 of flow \"demo\" completed in ")),
        qPrintable(output.out));
    QCOMPARE(states(QStringLiteral("SELECT state FROM flow_runs")),
        QStringList{ QStringLiteral("Completed") });
}

void TestRunCommand::boundsAreInclusive()
{
    const Output output = run({ QStringLiteral("run"), QStringLiteral("demo"),
        QStringLiteral("--param"), QStringLiteral("sleep-ms=0") });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.out.startsWith(QLatin1String("Run 1 of flow \"demo\" completed in ")),
        qPrintable(output.out));
}

void TestRunCommand::runDemoFailureNamesTask()
{
    const Output output = run({ QStringLiteral("run"), QStringLiteral("demo"),
        QStringLiteral("--param"), QStringLiteral("fail=true"), QStringLiteral("--param"),
        QStringLiteral("sleep-ms=30") });
    QCOMPARE(output.code, 1);
    const QString error = QStringLiteral("demo failure requested by the parameter fail=true");
    QVERIFY2(output.err.contains(QRegularExpression(
                 QStringLiteral("  merge +Failed: %1$").arg(QRegularExpression::escape(error)),
                 QRegularExpression::MultilineOption)),
        qPrintable(output.err));
    QVERIFY2(output.err.contains(
                 QLatin1String("report           Skipped: upstream task \"merge\" failed")),
        qPrintable(output.err));
    QVERIFY2(output.out.contains(QStringLiteral("Failed task: merge: ") + error),
        qPrintable(output.out));
    QVERIFY2(output.out.contains(QLatin1String("ended Failed after")), qPrintable(output.out));

    // The run is in runs.sqlite with every transition.
    QCOMPARE(states(QStringLiteral("SELECT state || ' ' || failed_task FROM flow_runs")),
        QStringList{ QStringLiteral("Failed merge") });
    QCOMPARE(
        states(QStringLiteral("SELECT state FROM transitions WHERE task IS NULL ORDER BY rowid")),
        (QStringList{ "Scheduled", "Running", "Failed" }));
    QCOMPARE(
        states(QStringLiteral("SELECT state FROM transitions WHERE task = 'merge' ORDER BY rowid")),
        (QStringList{ "Pending", "Scheduled", "Running", "Failed" }));
    QCOMPARE(states(QStringLiteral(
                 "SELECT state FROM transitions WHERE task = 'extract-prices' ORDER BY rowid")),
        (QStringList{ "Pending", "Scheduled", "Running", "Completed" }));
    QCOMPARE(states(QStringLiteral(
                 "SELECT state FROM transitions WHERE task = 'report' ORDER BY rowid")),
        (QStringList{ "Pending", "Skipped" }));
    QCOMPARE(states(QStringLiteral(
                 "SELECT message FROM transitions WHERE task = 'merge' AND state = 'Failed'")),
        QStringList{ error });
    QVERIFY(!states(
        QStringLiteral("SELECT text FROM log_lines WHERE task = 'merge' AND level = 'error'"))
                 .isEmpty());
}

void TestRunCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no flow") << QStringList{ "run" } << "the name of a flow is needed";
    QTest::newRow("unknown flow") << QStringList{ "run", "nope" }
                                  << "unknown flow \"nope\"; the flows are demo";
    QTest::newRow("two flows") << QStringList{ "run", "demo", "demo" } << "one flow at a time";
    QTest::newRow("bad value") << QStringList{
        "run", "demo", "--param", "fail=perhaps"
    } << "flow \"demo\": parameter \"fail\" must be true or false (bool), not \"perhaps\"";
    QTest::newRow("unknown parameter") << QStringList{ "run", "demo", "--param", "speed=3" }
                                       << "unknown parameter \"speed\"; the parameters are fail "
                                          "(bool, default false), sleep-ms (int 0..600000, "
                                          "default 300)";
    QTest::newRow("days out of range")
        << QStringList{ "run", "btc-backfill", "--param", "days=100000" }
        << "flow \"btc-backfill\": parameter \"days\" is out of range 0..3650: 100000";
    QTest::newRow("sleep-ms out of range")
        << QStringList{ "run", "demo", "--param", "sleep-ms=600001" }
        << "flow \"demo\": parameter \"sleep-ms\" is out of range 0..600000: 600001";
    QTest::newRow("no value") << QStringList{ "run", "demo", "--param", "fail" }
                              << "parameter \"fail\" has no value; write it as fail=VALUE";
    QTest::newRow("flows with argument") << QStringList{ "flows",
        "demo" } << "unknown subcommand \"demo\"; \"flows\" takes check, new or show";
    // What the user typed is quoted back escaped: it cannot clear or retitle the terminal.
    QTest::newRow("hostile flow name") << QStringList{ "run", "\x1b[2J\x1b]0;owned\a\rdemo" }
                                       << "unknown flow \"\\x1b[2J\\x1b]0;owned\\x07\\rdemo\"";
    QTest::newRow("hostile parameter value") << QStringList{ "run", "demo", "--param",
        "fail=\x1b[31m\a\r\u009b\u202e" + QString(10240, u'x') }
                                             << "not \"\\x1b[31m\\x07\\r\\x9b\\u202exxx";
}

void TestRunCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Output output = run(args);
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(message), qPrintable(output.err));
    QVERIFY2(output.err.contains(QLatin1String("Usage: sluice")), qPrintable(output.err));
    for (QChar raw : { QChar(0x1b), QChar(u'\a'), QChar(u'\r'), QChar(0x9b), QChar(0x202e) })
        QVERIFY2(!output.err.contains(raw), qPrintable(QString::number(raw.unicode(), 16)));
    QVERIFY(output.out.isEmpty());
    // Nothing was run.
    QVERIFY(states(QStringLiteral("SELECT id FROM flow_runs")).isEmpty()
        || !QFileInfo::exists(runsPath()));
}

void TestRunCommand::signalCancels_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<QString>("name");
    QTest::newRow("SIGINT") << int(SIGINT) << "SIGINT";
    QTest::newRow("SIGTERM") << int(SIGTERM) << "SIGTERM";
    QTest::newRow("SIGHUP") << int(SIGHUP) << "SIGHUP";
}

void TestRunCommand::signalCancels()
{
    QFETCH(int, signal);
    QFETCH(QString, name);
    QProcess process;
    QVERIFY(startUntilRunning(process,
        { QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--param"),
            QStringLiteral("sleep-ms=20000") }));
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(::kill(pid_t(process.processId()), signal), 0);
    QVERIFY(process.waitForFinished(5000));
    QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 1);
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(out.contains(QLatin1String("ended Cancelled after")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("Reason: cancelled by ") + name), qPrintable(out));
    QVERIFY2(err.contains(name + QStringLiteral(" received: cancelling the run")), qPrintable(err));
    QCOMPARE(states(QStringLiteral("SELECT state || ': ' || message FROM flow_runs")),
        QStringList{ QStringLiteral("Cancelled: cancelled by ") + name });
    QCOMPARE(states(QStringLiteral("SELECT DISTINCT state FROM task_runs")),
        QStringList{ QStringLiteral("Cancelled") });
}

void TestRunCommand::killedRunIsCrashedNextTime()
{
    QProcess process;
    QVERIFY(startUntilRunning(process,
        { QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--param"),
            QStringLiteral("sleep-ms=20000") }));
    // The writer records the Running states within moments; wait until both parallel tasks
    // have reached the file, or the one not yet recorded would end Cancelled, not Crashed.
    QTRY_COMPARE(states(QStringLiteral("SELECT DISTINCT state FROM task_runs WHERE task IN "
                                       "('extract-prices', 'extract-network')")),
        QStringList{ QStringLiteral("Running") });
    process.kill();
    QVERIFY(process.waitForFinished());
    QCOMPARE(states(QStringLiteral("SELECT state FROM flow_runs")),
        QStringList{ QStringLiteral("Running") });

    // The next sluice to open the history marks it.
    const Output flows = run({ QStringLiteral("flows") });
    QCOMPARE(flows.code, 0);
    QVERIFY2(flows.out.contains(QLatin1String("Crashed (run 1,")), qPrintable(flows.out));
    QCOMPARE(states(QStringLiteral("SELECT state FROM flow_runs")),
        QStringList{ QStringLiteral("Crashed") });
    QCOMPARE(states(QStringLiteral("SELECT task || '=' || state FROM task_runs ORDER BY position")),
        (QStringList{ "extract-prices=Crashed", "extract-network=Crashed", "merge=Cancelled",
            "report=Cancelled" }));
}

// Two processes start the demo flow (overlap skip) at the same moment, a few times over: the
// check for a run in another process and the insert of the run's row are one transaction, so
// exactly one of them runs and the other ends Skipped, naming that run.
void TestRunCommand::twoProcessesRunASkipFlowOnce()
{
    // A first run creates the data folder's files, which two processes at once do not share.
    QCOMPARE(run({ QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--param"),
                     QStringLiteral("sleep-ms=0") })
                 .code,
        0);
    constexpr int Rounds = 3;
    int overlapped = 0;
    for (int round = 0; round < Rounds; ++round) {
        QProcess first;
        QProcess second;
        for (QProcess *process : { &first, &second }) {
            process->setProcessEnvironment(SluiceProcess::environment());
            process->start(QStringLiteral(SLUICE_EXECUTABLE),
                { QStringLiteral("--data-dir"), dataDir(), QStringLiteral("run"),
                    QStringLiteral("demo"), QStringLiteral("--param"),
                    QStringLiteral("sleep-ms=500") });
        }
        const Output a = SluiceProcess::finish(first);
        const Output b = SluiceProcess::finish(second);
        QVERIFY2(a.code >= 0 && b.code >= 0, qPrintable(a.err + b.err));
        // This round's two runs, oldest first.
        const QStringList runs = states(QStringLiteral(
            "SELECT id || ' ' || state || ' ' || created_ms || ' ' || COALESCE(finished_ms, 0)"
            " || ' ' || message FROM flow_runs ORDER BY id DESC LIMIT 2"));
        QCOMPARE(runs.size(), 2);
        const QStringList older = runs.at(1).split(u' ');
        const QStringList newer = runs.at(0).split(u' ');
        if (newer.at(1) == u"Completed" && older.at(1) == u"Completed") {
            // The second process started after the first run ended: no overlap to refuse.
            QVERIFY2(
                newer.at(2).toLongLong() >= older.at(3).toLongLong(), qPrintable(runs.join(u'\n')));
            continue;
        }
        ++overlapped;
        QCOMPARE(older.at(1), QStringLiteral("Completed"));
        QCOMPARE(newer.at(1), QStringLiteral("Skipped"));
        QVERIFY2(runs.at(0).endsWith(
                     QStringLiteral("flow \"demo\" is already running (run %1)").arg(older.at(0))),
            qPrintable(runs.join(u'\n')));
        QCOMPARE(QList<int>({ a.code, b.code }).count(0), 1);
    }
    QVERIFY2(overlapped > 0, "the two processes never ran at the same time");
}

// Two processes that open one new data folder at once each try to create its databases: one
// creates them, the other finds them made (the schema version is read again under the write
// lock), and neither fails with "table ... already exists".
void TestRunCommand::twoProcessesOpenANewFolder()
{
    for (int round = 0; round < 4; ++round) {
        const QString folder = m_dir->filePath(QStringLiteral("new-%1").arg(round));
        QProcess first;
        QProcess second;
        for (QProcess *process : { &first, &second }) {
            process->setProcessEnvironment(SluiceProcess::environment());
            process->start(QStringLiteral(SLUICE_EXECUTABLE),
                { QStringLiteral("--data-dir"), folder, QStringLiteral("run"),
                    QStringLiteral("demo"), QStringLiteral("--param"),
                    QStringLiteral("sleep-ms=0") });
        }
        const Output a = SluiceProcess::finish(first);
        const Output b = SluiceProcess::finish(second);
        QVERIFY2(
            !(a.err + b.err).contains(QLatin1String("already exists")), qPrintable(a.err + b.err));
        // Both ran, or one was skipped while the other ran: never an error.
        QVERIFY2(a.code == 0 || b.code == 0, qPrintable(a.err + b.err));
        QVERIFY2(
            a.code >= 0 && a.code <= 1 && b.code >= 0 && b.code <= 1, qPrintable(a.err + b.err));
        const QString both = a.out + b.out;
        QVERIFY2(!both.contains(QLatin1String("Failed")), qPrintable(both + a.err + b.err));
    }
}

void TestRunCommand::flowsListsLastRun()
{
    Output output = run({ QStringLiteral("flows") });
    QCOMPARE(output.code, 0);
    const QStringList lines = output.out.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY2(lines.size() >= 2, qPrintable(output.out));
    QVERIFY(lines.first().contains(
        QRegularExpression(QStringLiteral("^NAME +DESCRIPTION +SCHEDULE +NEXT FIRE +LAST RUN$"))));
    QVERIFY2(lines.at(1).contains(
                 QRegularExpression(QStringLiteral("^demo +Tries the engine.* +- +- +-$"))),
        qPrintable(lines.at(1)));

    QCOMPARE(run({ QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--param"),
                     QStringLiteral("sleep-ms=10"), QStringLiteral("--param"),
                     QStringLiteral("fail=1") })
                 .code,
        1);
    output = run({ QStringLiteral("flows") });
    QCOMPARE(output.code, 0);
    QVERIFY2(
        output.out.contains(QRegularExpression(QStringLiteral(
            "\\n\\s*demo .* Failed \\(run 1, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\)\\n"))),
        qPrintable(output.out));
}

// `run` of a flow file that does not pass the check prints its errors as `flows check` does
// and exits 2, recording no run; the valid files around it are not hidden.
void TestRunCommand::invalidFlowFileExits2()
{
    QVERIFY(QDir().mkpath(dataDir() + QStringLiteral("/flows")));
    const QString path = dataDir() + QStringLiteral("/flows/broken.yaml");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("steps:\n  - id: a\n    rn: echo\n  - id: a\n    run: \"true\"\n");
    file.close();
    const Output output = run({ QStringLiteral("run"), QStringLiteral("broken") });
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(path + QStringLiteral(":3:5: error: unknown key `rn`")),
        qPrintable(output.err));
    QVERIFY2(output.err.contains(path + QStringLiteral(":4:9: error: ")), qPrintable(output.err));
    QVERIFY2(output.err.contains(QLatin1String("the flow file of \"broken\" has errors")),
        qPrintable(output.err));
    QCOMPARE(output.out, QString());
    QVERIFY(!QFile::exists(runsPath())
        || states(QStringLiteral("SELECT state FROM flow_runs")).isEmpty());
}

QTEST_GUILESS_MAIN(TestRunCommand)
#include "tst_runcommand.moc"
