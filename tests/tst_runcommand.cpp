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
    void killedRunLeavesNoChild();
    void twoProcessesRunASkipFlowOnce();
    void twoProcessesOpenANewFolder();
    void flowsListsLastRun();
    void invalidFlowFileExits2();
    void runTimeOption_data();
    void runTimeOption();
    void runsListsAndShows();
    void retryReusesCompletedTasks();
    void retryAfterTheCauseIsFixed();
    void backfillRunsEachFireTimeOnce();
    void backfillRefusesWhatItCannotDo_data();
    void backfillRefusesWhatItCannotDo();

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
    QTest::newRow("time without seconds") << QStringList{ "run", "demo", "--time",
        "2026-12-06T06:30Z" } << "--time: \"2026-12-06T06:30Z\" is not a time such as";
    QTest::newRow("time without zone") << QStringList{ "run", "demo", "--time",
        "2026-12-06T06:30:00" } << "--time: \"2026-12-06T06:30:00\" is not a time";
    QTest::newRow("time in words")
        << QStringList{ "run", "demo", "--time", "yesterday" } << "--time: \"yesterday\" is not";
    QTest::newRow("no such date") << QStringList{ "run", "demo", "--time", "2026-02-30" }
                                  << "--time: \"2026-02-30\" is not";
    QTest::newRow("--all on run") << QStringList{ "run", "demo", "--all" }
                                  << "the option \"--all\" does not apply to \"run\"";
    QTest::newRow("runs: bad state") << QStringList{ "runs", "--state", "Bogus" }
                                     << "--state: unknown state \"Bogus\"; the states are";
    QTest::newRow("runs: bad limit")
        << QStringList{ "runs", "--limit", "0" } << "--limit: \"0\" is not a whole number";
    QTest::newRow("runs show: unknown run")
        << QStringList{ "runs", "show", "99" } << "there is no run 99 in ";
    QTest::newRow("runs show: not an id")
        << QStringList{ "runs", "show", "x1" } << "\"x1\" is not a run id";
    QTest::newRow("retry: no id") << QStringList{ "retry" } << "one run id is needed";
    QTest::newRow("retry: unknown run") << QStringList{ "retry", "7" } << "there is no run 7 in ";
    QTest::newRow("retry: negative id")
        << QStringList{ "retry", "--", "-3" } << "\"-3\" is not a run id";
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

void TestRunCommand::runTimeOption_data()
{
    QTest::addColumn<QString>("given");
    QTest::addColumn<QString>("stored");
    QTest::newRow("UTC") << "2026-12-06T06:30:00Z"
                         << "2026-12-06T06:30:00Z";
    QTest::newRow("offset") << "2026-12-06T08:30:00+02:00"
                            << "2026-12-06T06:30:00Z";
    QTest::newRow("date") << "2026-12-06"
                          << "2026-12-06T00:00:00Z";
}

// --time sets the run's logical time (stored with the run, shown by `runs`); the first line
// names the run.
void TestRunCommand::runTimeOption()
{
    QFETCH(QString, given);
    QFETCH(QString, stored);
    const Output output = run({ QStringLiteral("run"), QStringLiteral("demo"),
        QStringLiteral("--param"), QStringLiteral("sleep-ms=0"), QStringLiteral("--time"), given });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.err.contains(QRegularExpression(
                 QStringLiteral("^\\d\\d:\\d\\d:\\d\\d  run 1 of flow \"demo\" started\\n"))),
        qPrintable(output.err));
    const QDateTime time = QDateTime::fromString(stored, Qt::ISODate);
    QCOMPARE(states(QStringLiteral("SELECT time FROM flow_runs")),
        QStringList{ QString::number(time.toMSecsSinceEpoch()) });
    const Output runs = run({ QStringLiteral("runs") });
    QCOMPARE(runs.code, 0);
    QVERIFY2(runs.out.contains(QRegularExpression(
                 QStringLiteral("\\n1 +demo +%1 +Completed +\\d+\\.\\d s\\n").arg(stored))),
        qPrintable(runs.out));
}

// `runs` lists newest first in aligned columns, filtered by flow, state and limit; `runs show`
// tells one run, its steps and its log; neither passes a control character through.
void TestRunCommand::runsListsAndShows()
{
    QCOMPARE(run({ QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--param"),
                     QStringLiteral("sleep-ms=0") })
                 .code,
        0);
    QCOMPARE(run({ QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--param"),
                     QStringLiteral("sleep-ms=0"), QStringLiteral("--param"),
                     QStringLiteral("fail=true"), QStringLiteral("--time"),
                     QStringLiteral("2026-12-06T06:30:00Z") })
                 .code,
        1);
    Output output = run({ QStringLiteral("runs") });
    QCOMPARE(output.code, 0);
    QStringList lines = output.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(0).contains(
                 QRegularExpression(QStringLiteral("^ID +FLOW +RUN TIME +STATE +DURATION$"))),
        qPrintable(lines.at(0)));
    QVERIFY2(lines.at(1).startsWith(QLatin1String("2   demo  2026-12-06T06:30:00Z  Failed ")),
        qPrintable(lines.at(1)));
    QVERIFY2(
        lines.at(2).contains(QRegularExpression(QStringLiteral(
            "^1   demo  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  Completed +\\d+\\.\\d s$"))),
        qPrintable(lines.at(2)));
    QCOMPARE(lines.at(1).indexOf(QLatin1String("Failed")), lines.at(0).indexOf(u"STATE"));

    output = run({ QStringLiteral("runs"), QStringLiteral("demo"), QStringLiteral("--state"),
        QStringLiteral("Completed") });
    lines = output.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(1).startsWith(QLatin1String("1  ")));
    output = run({ QStringLiteral("runs"), QStringLiteral("--limit"), QStringLiteral("1") });
    lines = output.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(1).startsWith(QLatin1String("2  ")));
    output = run({ QStringLiteral("runs"), QStringLiteral("daily-report") });
    QCOMPARE(output.code, 0);
    QVERIFY(output.out.isEmpty());
    QCOMPARE(output.err, QStringLiteral("no runs\n"));

    output = run({ QStringLiteral("runs"), QStringLiteral("show"), QStringLiteral("2") });
    QCOMPARE(output.code, 0);
    for (const QString &expected : {
             QStringLiteral("Run 2 of flow \"demo\"\n"),
             QStringLiteral("\nTrigger:     manual\n"),
             QStringLiteral("\nRun time:    2026-12-06T06:30:00Z\n"),
             QStringLiteral("\nParameters:  fail=true, sleep-ms=0\n"),
             QStringLiteral("\nState:       Failed\n"),
             QStringLiteral("\nMessage:     demo failure requested by the parameter fail=true\n"),
             QStringLiteral("\nSteps:\n"),
             QStringLiteral("\nLog:\n"),
             QStringLiteral("merge  | error: giving up: the failure was requested\n"),
         }) {
        QVERIFY2(output.out.contains(expected),
            qPrintable(expected + QLatin1String(" in\n") + output.out));
    }
    QVERIFY2(output.out.contains(QRegularExpression(
                 QStringLiteral("\\n +extract-prices +Completed +1 +\\d+\\.\\d s +output: 12\\n"))),
        qPrintable(output.out));
    QVERIFY2(output.out.contains(QRegularExpression(
                 QStringLiteral("\\n +merge +Failed +1 +\\d+\\.\\d s +demo failure requested"))),
        qPrintable(output.out));
    QVERIFY2(output.out.contains(QRegularExpression(
                 QStringLiteral("\\n +report +Skipped +0 +- +upstream task \"merge\" failed\\n"))),
        qPrintable(output.out));
    QVERIFY(!output.out.contains(QLatin1String("Definition:"))); // a built-in flow

    // What the history holds is quoted escaped, in the list and in the details.
    {
        Result<SqliteConnection> db = SqliteConnection::open(runsPath(), QStringLiteral("edit"));
        QVERIFY(db);
        QVERIFY(
            db->exec(QStringLiteral("UPDATE flow_runs SET flow = 'x' || char(27) || '[2J',"
                                    " message = 'm' || char(13) || char(10) || 'n' WHERE id = 2")));
        QVERIFY(db->exec(QStringLiteral("UPDATE task_runs SET message = 'e' || char(27) || ']0;t'"
                                        " WHERE run_id = 2 AND task = 'merge'")));
    }
    output = run({ QStringLiteral("runs") });
    QVERIFY2(output.out.contains(QLatin1String("\n2   x\\x1b[2J  2026-12-06T06:30:00Z  Failed")),
        qPrintable(output.out));
    output = run({ QStringLiteral("runs"), QStringLiteral("show"), QStringLiteral("2") });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.out.contains(QLatin1String("Message:     m\\r\\nn\n")), qPrintable(output.out));
    QVERIFY2(output.out.contains(QLatin1String("e\\x1b]0;t")), qPrintable(output.out));
    QVERIFY(!output.out.contains(QChar(0x1b)) && !output.out.contains(QChar(u'\r')));
}

// `retry RUN_ID` runs the flow again with the run's parameters and logical time, reusing the
// tasks that completed (they do not run; their outputs feed the rest); --all reuses none.
void TestRunCommand::retryReusesCompletedTasks()
{
    QCOMPARE(run({ QStringLiteral("run"), QStringLiteral("demo"), QStringLiteral("--param"),
                     QStringLiteral("sleep-ms=0"), QStringLiteral("--param"),
                     QStringLiteral("fail=true"), QStringLiteral("--time"),
                     QStringLiteral("2026-12-06T06:30:00Z") })
                 .code,
        1);
    // The same parameters, so the merge fails again: exit 1; the extracts are reused.
    Output output = run({ QStringLiteral("retry"), QStringLiteral("1") });
    QCOMPARE(output.code, 1);
    QVERIFY2(output.err.contains(QRegularExpression(
                 QStringLiteral("^\\d\\d:\\d\\d:\\d\\d  run 2 of flow \"demo\" started\\n"))),
        qPrintable(output.err));
    for (const char *task : { "extract-prices", "extract-network" }) {
        QVERIFY2(output.err.contains(QRegularExpression(
                     QStringLiteral("  %1 +Completed: reused from run 1$").arg(QLatin1String(task)),
                     QRegularExpression::MultilineOption)),
            qPrintable(output.err));
        QVERIFY2(!output.err.contains(
                     QRegularExpression(QStringLiteral("  %1 +Running").arg(QLatin1String(task)))),
            qPrintable(output.err));
        QVERIFY2(
            output.out.contains(QRegularExpression(
                QStringLiteral("^  %1 +Completed .*reused from run 1$").arg(QLatin1String(task)),
                QRegularExpression::MultilineOption)),
            qPrintable(output.out));
    }
    QVERIFY2(
        output.err.contains(QRegularExpression(QStringLiteral("  merge +Running \\(attempt 1\\)"))),
        qPrintable(output.err));
    QCOMPARE(states(QStringLiteral("SELECT trigger || ' ' || time || ' ' || reused_from || ' ' ||"
                                   " parameters FROM flow_runs WHERE id = 2")),
        QStringList{
            QStringLiteral("retry %1 1 {\"fail\":true,\"sleep-ms\":0}")
                .arg(QDateTime(QDate(2026, 12, 6), QTime(6, 30), Qt::UTC).toMSecsSinceEpoch()) });
    QCOMPARE(
        states(QStringLiteral(
            "SELECT task || '=' || output FROM task_runs WHERE run_id = 2 AND output IS NOT NULL"
            " ORDER BY position")),
        (QStringList{ QStringLiteral("extract-prices=12"), QStringLiteral("extract-network=6") }));
    output = run({ QStringLiteral("runs"), QStringLiteral("show"), QStringLiteral("2") });
    QVERIFY2(output.out.contains(QLatin1String("\nRetry of:    run 1\n")), qPrintable(output.out));
    QVERIFY2(output.out.contains(QLatin1String("\nTrigger:     retry\n")), qPrintable(output.out));

    // --all: everything runs again.
    output = run({ QStringLiteral("retry"), QStringLiteral("1"), QStringLiteral("--all") });
    QCOMPARE(output.code, 1);
    QVERIFY2(!output.err.contains(QLatin1String("reused")), qPrintable(output.err));
    QVERIFY2(output.err.contains(
                 QRegularExpression(QStringLiteral("  extract-prices +Running \\(attempt 1\\)"))),
        qPrintable(output.err));
}

namespace {

void writeFlowFile(const QString &dataDir, const QString &name, const QByteArray &yaml)
{
    QVERIFY(QDir().mkpath(dataDir + QStringLiteral("/flows")));
    QFile file(dataDir + QStringLiteral("/flows/") + name + QStringLiteral(".yaml"));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(yaml);
}

} // namespace

// A file flow fails until a marker exists; retry after creating it reuses the step that
// completed (its output still reaches the last step) and runs the rest.
void TestRunCommand::retryAfterTheCauseIsFixed()
{
    writeFlowFile(dataDir(), QStringLiteral("fixme"),
        "steps:\n"
        "  - id: a\n"
        "    run: echo first; echo ran >> a.count\n"
        "  - id: b\n"
        "    run: test -f fixed\n"
        "  - id: c\n"
        "    run: [sh, -c, 'printf %s \"$1\" > c.out', sh, \"${steps.a.output}\"]\n");
    const QString flows = dataDir() + QStringLiteral("/flows/");
    QCOMPARE(run({ QStringLiteral("run"), QStringLiteral("fixme") }).code, 1);
    QFile marker(flows + QStringLiteral("fixed"));
    QVERIFY(marker.open(QIODevice::WriteOnly));
    marker.close();
    const Output output = run({ QStringLiteral("retry"), QStringLiteral("1") });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.out.contains(
                 QRegularExpression(QStringLiteral("^  a +Completed .*reused from run 1$"),
                     QRegularExpression::MultilineOption)),
        qPrintable(output.out));
    QFile count(flows + QStringLiteral("a.count"));
    QVERIFY(count.open(QIODevice::ReadOnly));
    QCOMPARE(count.readAll(), QByteArray("ran\n")); // a ran once, in run 1
    QFile out(flows + QStringLiteral("c.out"));
    QVERIFY(out.open(QIODevice::ReadOnly));
    QCOMPARE(out.readAll(), QByteArray("first"));
    QCOMPARE(states(QStringLiteral("SELECT state FROM flow_runs ORDER BY id")),
        (QStringList{ QStringLiteral("Failed"), QStringLiteral("Completed") }));
}

// One run per fire time in [from, to), each with its own run.time and run.prev-time; fire
// times with a Completed run are skipped the next time; --parallel runs several at once.
void TestRunCommand::backfillRunsEachFireTimeOnce()
{
    writeFlowFile(dataDir(), QStringLiteral("hourly"),
        "schedule: \"0 * * * *\"\n"
        "steps:\n"
        "  - id: stamp\n"
        "    run: echo \"${run.time} ${run.prev-time}\" >> stamps.txt\n");
    const QString from = QStringLiteral("2026-12-01T00:00:00Z");
    Output output = run({ QStringLiteral("backfill"), QStringLiteral("hourly"),
        QStringLiteral("--from"), from, QStringLiteral("--to"),
        QStringLiteral("2026-12-01T02:30:00Z"), QStringLiteral("--dry-run") });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.out.contains(QLatin1String("3 fire times")), qPrintable(output.out));
    QVERIFY(!QFile::exists(dataDir() + QStringLiteral("/flows/stamps.txt")));

    output = run({ QStringLiteral("backfill"), QStringLiteral("hourly"), QStringLiteral("--from"),
        from, QStringLiteral("--to"), QStringLiteral("2026-12-01T02:00:00Z") });
    QCOMPARE(output.code, 0);
    output = run({ QStringLiteral("backfill"), QStringLiteral("hourly"), QStringLiteral("--from"),
        from, QStringLiteral("--to"), QStringLiteral("2026-12-01T05:00:00Z"),
        QStringLiteral("--parallel"), QStringLiteral("3") });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.out.contains(QLatin1String("5 fire times")), qPrintable(output.out));
    QVERIFY2(output.out.contains(QLatin1String("2 skipped")), qPrintable(output.out));

    QFile stamps(dataDir() + QStringLiteral("/flows/stamps.txt"));
    QVERIFY(stamps.open(QIODevice::ReadOnly));
    QStringList lines = QString::fromUtf8(stamps.readAll()).split(u'\n', Qt::SkipEmptyParts);
    lines.sort();
    QCOMPARE(lines,
        (QStringList{ QStringLiteral("2026-12-01T00:00:00Z 2026-11-30T23:00:00Z"),
            QStringLiteral("2026-12-01T01:00:00Z 2026-12-01T00:00:00Z"),
            QStringLiteral("2026-12-01T02:00:00Z 2026-12-01T01:00:00Z"),
            QStringLiteral("2026-12-01T03:00:00Z 2026-12-01T02:00:00Z"),
            QStringLiteral("2026-12-01T04:00:00Z 2026-12-01T03:00:00Z") }));
    QCOMPARE(states(QStringLiteral("SELECT count(*) FROM flow_runs WHERE trigger = 'backfill'"
                                   " AND state = 'Completed'")),
        QStringList{ QStringLiteral("5") });
}

void TestRunCommand::backfillRefusesWhatItCannotDo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString from = QStringLiteral("2026-12-01T00:00:00Z");
    const QString to = QStringLiteral("2026-12-02T00:00:00Z");
    QTest::newRow("no schedule") << QStringList{ "backfill", "demo", "--from", from, "--to", to }
                                 << "has no schedule";
    QTest::newRow("unknown flow") << QStringList{ "backfill", "nope", "--from", from, "--to", to }
                                  << "unknown flow";
    QTest::newRow("no range") << QStringList{ "backfill", "daily-report" } << "--from and --to";
    QTest::newRow("reversed") << QStringList{ "backfill", "daily-report", "--from", to, "--to",
        from } << "later than --from";
    QTest::newRow("bad time") << QStringList{ "backfill", "daily-report", "--from", "yesterday",
        "--to", to } << "--from";
    QTest::newRow("parallel 0") << QStringList{ "backfill", "daily-report", "--from", from, "--to",
        to, "--parallel", "0" } << "--parallel";
    QTest::newRow("too many fires")
        << QStringList{ "backfill", "btc-update", "--from", "2000-01-01", "--to", "2026-01-01" }
        << "more than 10000 fire times";
}

void TestRunCommand::backfillRefusesWhatItCannotDo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Output output = run(args);
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(message), qPrintable(output.err));
    QVERIFY(!QFile::exists(runsPath())
        || states(QStringLiteral("SELECT count(*) FROM flow_runs")) == QStringList{ "0" });
}

namespace {

// The processes whose command line holds marker (zombies aside): their pids.
QList<qint64> processesWith(const QByteArray &marker)
{
    QList<qint64> found;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool number = false;
        const qint64 pid = entry.toLongLong(&number);
        if (!number)
            continue;
        QFile commandLine(QStringLiteral("/proc/%1/cmdline").arg(pid));
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!commandLine.open(QIODevice::ReadOnly) || !stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray state = stat.readAll();
        const qsizetype close = state.lastIndexOf(')');
        if (close < 0 || state.mid(close + 2, 1) == "Z")
            continue;
        if (commandLine.readAll().contains(marker))
            found << pid;
    }
    return found;
}

} // namespace

// A `sluice run` killed with SIGKILL while its `run` step's child runs: the child's whole
// process group ends with it (the watchdog of ChildGroupReaper), instead of living on.
void TestRunCommand::killedRunLeavesNoChild()
{
    const QByteArray marker =
        "sluice-test-child-" + QByteArray::number(QCoreApplication::applicationPid());
    writeFlowFile(dataDir(), QStringLiteral("lingers"),
        "steps:\n"
        "  - id: wait\n"
        "    run: [/bin/sh, -c, \"sleep 60 & sleep 60; wait\", "
            + marker + "]\n");
    QProcess process;
    QVERIFY(startUntilRunning(process, { QStringLiteral("run"), QStringLiteral("lingers") }));
    QTRY_VERIFY(!processesWith(marker).isEmpty());
    process.kill();
    QVERIFY(process.waitForFinished());
    QTRY_VERIFY(processesWith(marker).isEmpty());
}

QTEST_GUILESS_MAIN(TestRunCommand)
#include "tst_runcommand.moc"
