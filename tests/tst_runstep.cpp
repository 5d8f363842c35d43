// `run` steps of flow files on the engine, with real /bin/sh children: output and log lines,
// quoting of hostile values in every shell context and in argv form, the SLUICE_* environment,
// env and cwd, exit codes and signals in the message, missing programs, outputs passed
// downstream, and whole process trees ended (checked by pid) on cancel and on timeout.

#include <QDir>
#include <QFile>
#include <QtTest>

#include "flowfilefixture.h"

using namespace Sluice;
using namespace FlowFileTest;

class TestRunStep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outputAndLogLines();
    void valuesReachTheCommandVerbatim_data();
    void valuesReachTheCommandVerbatim();
    void unsafeVariableIsNotRun();
    void sluiceEnvironmentEnvAndCwd();
    void exitCodeWithLastErrorLine();
    void killedBySignal();
    void missingProgramIsNotRetried();
    void outputsPassDownstream();
    void outputTooLongFailsWhereRead();
    void cancelEndsTheProcessTree();
    void stepTimeoutEndsTheProcessTree();
    void flowTimeoutEndsTheStep();
    void chattyStepKeepsItsTail();
};

void TestRunStep::outputAndLogLines()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("hello"), R"(steps:
  - id: a
    run: printf '  one\ntwo  \n'; echo oops >&2
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("hello"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    QCOMPARE(f.logOf(QStringLiteral("a"), LogLevel::Info),
        (QStringList{ QStringLiteral("  one"), QStringLiteral("two  ") }));
    QCOMPARE(
        f.logOf(QStringLiteral("a"), LogLevel::Warning), QStringList{ QStringLiteral("oops") });
}

void TestRunStep::valuesReachTheCommandVerbatim_data()
{
    QTest::addColumn<QByteArray>("command"); // the step's `run:` line, YAML
    QTest::addColumn<QString>("value");

    const QString attack = QStringLiteral("a'b\"c$(touch x)`");
    const QString substitution = QStringLiteral("$(touch y) ; touch y2");
    const QString backquotes = QStringLiteral("`touch z` \\` \\$HOME $HOME");
    const QString lines = QStringLiteral("one\n'two\"\n$(touch w)\n\n");
    const QList<std::pair<const char *, QByteArray>> contexts{
        { "bare", R"(run: printf %s ${params.v} > out)" },
        { "double", R"(run: printf %s "${params.v}" > out)" },
        { "single", R"(run: printf %s '${params.v}' > out)" },
        { "mixed", R"(run: printf %s "<"'${params.v}'">" > out)" },
        { "argv", R"(run: [/bin/sh, -c, 'printf %s "$1" > out', sh, "${params.v}"])" },
    };
    for (const auto &[name, command] : contexts) {
        QTest::addRow("%s attack", name) << command << attack;
        QTest::addRow("%s substitution", name) << command << substitution;
        QTest::addRow("%s backquotes", name) << command << backquotes;
        QTest::addRow("%s newlines", name) << command << lines;
    }
}

void TestRunStep::valuesReachTheCommandVerbatim()
{
    QFETCH(QByteArray, command);
    QFETCH(QString, value);
    Fixture f;
    QVERIFY(f.add(QStringLiteral("quoting"),
        "params:\n  v: { type: string }\nsteps:\n  - id: a\n    " + command + "\n"
            + "  - id: b\n    run: printf %s \"$SLUICE_PARAM_V\" > env.out\n"));
    RunOptions options;
    options.parameters.insert(QStringLiteral("v"), value);
    const RunFinishedEvent *done = f.run(QStringLiteral("quoting"), options);
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    QByteArray expected = value.toUtf8();
    if (command.contains("\"<\""))
        expected = "<" + expected + ">";
    QCOMPARE(f.read(QStringLiteral("out")), expected);
    QCOMPARE(f.read(QStringLiteral("env.out")), value.toUtf8());
    const QStringList created = QDir(f.flowsFolder()).entryList(QDir::Files);
    QCOMPARE(created,
        (QStringList{
            QStringLiteral("env.out"), QStringLiteral("out"), QStringLiteral("quoting.yaml") }));
}

void TestRunStep::unsafeVariableIsNotRun()
{
    Fixture f;
    // The check refuses a variable inside backquotes; the step refuses it too, should it be
    // given such a definition.
    QVERIFY(f.addUnchecked(QStringLiteral("unsafe"), R"(params:
  v: { type: string, default: x }
steps:
  - id: a
    run: touch ran; echo `echo ${params.v}`
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("unsafe"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Failed);
    QVERIFY2(done->message.contains(QStringLiteral("`${params.v}`")), qPrintable(done->message));
    QVERIFY2(done->message.contains(QStringLiteral("unsafe.yaml:5:32")), qPrintable(done->message));
    QVERIFY(!QFile::exists(f.path(QStringLiteral("ran"))));
}

void TestRunStep::sluiceEnvironmentEnvAndCwd()
{
    Fixture f;
    QVERIFY(QDir(f.flowsFolder()).mkdir(QStringLiteral("sub")));
    QVERIFY(f.add(QStringLiteral("env-flow"), R"(params:
  region-code: { type: string, default: eu }
env: { A: "flow ${params.region-code}", B: flow }
steps:
  - id: vars
    run: env | grep '^SLUICE_' | sort
  - id: merged
    env: { B: "step ${run.date}" }
    run: echo "$A|$B"
  - id: here
    run: pwd
  - id: there
    cwd: sub
    run: [pwd]
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("env-flow"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    const QString id = QString::number(f.lastRun());
    QCOMPARE(f.logOf(QStringLiteral("vars"), LogLevel::Info),
        (QStringList{ QStringLiteral("SLUICE_DATA_DIR=") + f.folder().path(),
            QStringLiteral("SLUICE_FLOW=env-flow"), QStringLiteral("SLUICE_PARAM_REGION_CODE=eu"),
            QStringLiteral("SLUICE_RUN_DATE=2026-12-06"), QStringLiteral("SLUICE_RUN_ID=") + id,
            QStringLiteral("SLUICE_RUN_TIME=2026-12-06T06:30:00Z"),
            QStringLiteral("SLUICE_WAREHOUSE=") + f.folder().warehousePath() }));
    QCOMPARE(f.logOf(QStringLiteral("merged"), LogLevel::Info),
        QStringList{ QStringLiteral("flow eu|step 2026-12-06") });
    QCOMPARE(f.logOf(QStringLiteral("here"), LogLevel::Info), QStringList{ f.flowsFolder() });
    QCOMPARE(f.logOf(QStringLiteral("there"), LogLevel::Info),
        QStringList{ f.path(QStringLiteral("sub")) });
}

void TestRunStep::exitCodeWithLastErrorLine()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("fails"), R"(steps:
  - id: a
    run: |
      echo first >&2
      echo "last words" >&2
      echo >&2
      exit 3
  - id: b
    run: touch b-ran
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("fails"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Failed);
    QCOMPARE(done->failedTask, QStringLiteral("a"));
    QVERIFY2(
        done->message.endsWith(QStringLiteral("exited 3: last words")), qPrintable(done->message));
    QVERIFY2(done->message.contains(QStringLiteral("step `a` (")), qPrintable(done->message));
    QCOMPARE(f.task(QStringLiteral("b"))->state, RunState::Skipped);
    QVERIFY(!QFile::exists(f.path(QStringLiteral("b-ran"))));
}

void TestRunStep::killedBySignal()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("killed"), "steps:\n  - id: a\n    run: kill -9 $$\n"));
    const RunFinishedEvent *done = f.run(QStringLiteral("killed"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Failed);
    QVERIFY2(
        done->message.contains(QStringLiteral("killed by signal 9")), qPrintable(done->message));
}

void TestRunStep::missingProgramIsNotRetried()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("missing"), R"(steps:
  - id: a
    retries: 3
    retry-delay: 10ms
    run: [no-such-program-x1]
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("missing"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Failed);
    QVERIFY2(
        done->message.contains(QStringLiteral("no-such-program-x1")), qPrintable(done->message));
    QVERIFY(!f.log().statesOf(f.lastRun(), QStringLiteral("a")).contains(RunState::Retrying));
    QCOMPARE(f.task(QStringLiteral("a"))->attempt, 1);
}

void TestRunStep::outputsPassDownstream()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("chain"), R"(steps:
  - id: a
    run: printf '\n  hi $there  \n\n'
  - id: b
    run: echo "${steps.a.output}-b"
  - id: c
    run: printf '%s|%s' "${steps.a.output}" ${steps.b.output} > c.out
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("chain"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    QCOMPARE(f.read(QStringLiteral("c.out")), QByteArray("hi $there|hi $there-b"));
}

void TestRunStep::outputTooLongFailsWhereRead()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("long"), R"(steps:
  - id: a
    run: head -c 70000 /dev/zero | tr '\0' x
  - id: quiet
    run: "true"
  - id: b
    run: echo "${steps.a.output}"
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("long"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Failed);
    QCOMPARE(f.task(QStringLiteral("a"))->state, RunState::Completed);
    QCOMPARE(f.task(QStringLiteral("quiet"))->state, RunState::Completed);
    QCOMPARE(done->failedTask, QStringLiteral("b"));
    QVERIFY2(done->message.contains(QStringLiteral("longer than 65536 bytes")),
        qPrintable(done->message));
}

void TestRunStep::cancelEndsTheProcessTree()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("tree"), R"(steps:
  - id: a
    run: |
      echo $$ > top.pid
      sh -c 'echo $$ > mid.pid; sleep 60 & echo $! > leaf.pid; wait'
)"));
    const Result<qint64> id = f.start(QStringLiteral("tree"));
    QVERIFY(id);
    QTRY_VERIFY(f.pidIn(QStringLiteral("leaf.pid")) > 0);
    const QList<qint64> pids{ f.pidIn(QStringLiteral("top.pid")),
        f.pidIn(QStringLiteral("mid.pid")), f.pidIn(QStringLiteral("leaf.pid")) };
    for (qint64 pid : pids)
        QVERIFY(isRunning(pid));
    QVERIFY(f.engine().cancel(*id, QStringLiteral("test")));
    const RunFinishedEvent *done = f.waitFor(*id);
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Cancelled);
    for (qint64 pid : pids)
        QTRY_VERIFY_WITH_TIMEOUT(!isRunning(pid), 6000);
}

void TestRunStep::stepTimeoutEndsTheProcessTree()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("slow"), R"(steps:
  - id: a
    timeout: 1s
    run: |
      echo $$ > top.pid
      sh -c 'echo $$ > mid.pid; sleep 60 & echo $! > leaf.pid; wait'
  - id: b
    run: touch b-ran
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("slow"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::TimedOut);
    QCOMPARE(f.task(QStringLiteral("a"))->state, RunState::TimedOut);
    QCOMPARE(f.task(QStringLiteral("b"))->state, RunState::Skipped);
    const QList<qint64> pids{ f.pidIn(QStringLiteral("top.pid")),
        f.pidIn(QStringLiteral("mid.pid")), f.pidIn(QStringLiteral("leaf.pid")) };
    for (qint64 pid : pids) {
        QVERIFY(pid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!isRunning(pid), 6000);
    }
    QVERIFY(!QFile::exists(f.path(QStringLiteral("b-ran"))));
}

void TestRunStep::flowTimeoutEndsTheStep()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("slowflow"), R"(timeout: 1s
steps:
  - id: a
    run: echo $$ > a.pid; exec sleep 60
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("slowflow"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::TimedOut);
    const qint64 pid = f.pidIn(QStringLiteral("a.pid"));
    QVERIFY(pid > 0);
    QTRY_VERIFY_WITH_TIMEOUT(!isRunning(pid), 6000);
}

void TestRunStep::chattyStepKeepsItsTail()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("chatty"), R"(steps:
  - id: a
    run: seq 1 10000; echo done >&2
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("chatty"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    const QStringList info = f.logOf(QStringLiteral("a"), LogLevel::Info);
    QVERIFY2(info.size() < 2000, qPrintable(QString::number(info.size())));
    QCOMPARE(info.first(), QStringLiteral("1"));
    QCOMPARE(info.last(), QStringLiteral("10000"));
    const QStringList warnings = f.logOf(QStringLiteral("a"), LogLevel::Warning);
    QVERIFY(!warnings.filter(QStringLiteral("not shown")).isEmpty());
    QCOMPARE(warnings.last(), QStringLiteral("done"));
}

QTEST_GUILESS_MAIN(TestRunStep)
#include "tst_runstep.moc"
