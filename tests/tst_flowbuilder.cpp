// Flow files built into engine flows (FlowBuilder) and run: file order by default (a failure
// skips the rest), graphs with fan-out and fan-in, independent branches going on after a
// failure, retries with their delay counted by the step itself, and params (defaults from
// ${run.*}, required ones, choices) refused or filled when a run starts.

#include <QtTest>

#include "flowfilefixture.h"

using namespace Sluice;
using namespace FlowFileTest;

class TestFlowBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fileOrderByDefault();
    void fanOutFanIn();
    void failedBranchSkipsOnlyItsDependents();
    void retriesUntilItSucceeds();
    void retriesRunOut();
    void paramDefaultsFromRunTime();
    void requiredParamRefused();
    void choicesRefused();
};

void TestFlowBuilder::fileOrderByDefault()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("seq"), R"(steps:
  - id: a
    run: echo a >> order
  - id: b
    run: echo b >> order
  - id: c
    run: echo c >> order; exit 1
  - id: d
    run: echo d >> order
  - id: e
    run: echo e >> order
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("seq"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Failed);
    QCOMPARE(f.read(QStringLiteral("order")), QByteArray("a\nb\nc\n"));
    QCOMPARE(f.task(QStringLiteral("d"))->state, RunState::Skipped);
    QCOMPARE(f.task(QStringLiteral("e"))->state, RunState::Skipped);
    QVERIFY2(f.task(QStringLiteral("d"))->message.contains(QStringLiteral("\"c\"")),
        qPrintable(f.task(QStringLiteral("d"))->message));
}

void TestFlowBuilder::fanOutFanIn()
{
    Fixture f;
    // a and b start at once; c needs both; d and e need c.
    QVERIFY(f.add(QStringLiteral("graph"), R"(max-parallel: 4
steps:
  - id: c
    needs: [a, b]
    run: cat a.out b.out > c.out
  - id: a
    run: sleep 0.2; echo a > a.out
  - id: b
    run: echo b > b.out
  - id: d
    needs: c
    run: cp c.out d.out
  - id: e
    needs: [c]
    run: cp c.out e.out
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("graph"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    QCOMPARE(f.read(QStringLiteral("c.out")), QByteArray("a\nb\n"));
    QCOMPARE(f.read(QStringLiteral("d.out")), QByteArray("a\nb\n"));
    QCOMPARE(f.read(QStringLiteral("e.out")), QByteArray("a\nb\n"));
    const EventLog &log = f.log();
    const qint64 run = f.lastRun();
    const int cStarted = log.indexOf(run, QStringLiteral("c"), RunState::Running);
    QVERIFY(log.indexOf(run, QStringLiteral("a"), RunState::Completed) < cStarted);
    QVERIFY(log.indexOf(run, QStringLiteral("b"), RunState::Completed) < cStarted);
    // b does not wait for a: both start before either completes.
    QVERIFY(log.indexOf(run, QStringLiteral("b"), RunState::Running)
        < log.indexOf(run, QStringLiteral("a"), RunState::Completed));
    for (const char *after : { "d", "e" })
        QVERIFY(log.indexOf(run, QLatin1String(after), RunState::Running)
            > log.indexOf(run, QStringLiteral("c"), RunState::Completed));
}

void TestFlowBuilder::failedBranchSkipsOnlyItsDependents()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("branches"), R"(steps:
  - id: bad
    needs: []
    run: exit 4
  - id: after-bad
    needs: bad
    run: touch after-bad
  - id: good
    run: "true"
  - id: after-good
    needs: good
    run: touch after-good
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("branches"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Failed);
    QCOMPARE(f.task(QStringLiteral("after-bad"))->state, RunState::Skipped);
    QCOMPARE(f.task(QStringLiteral("after-good"))->state, RunState::Completed);
    QVERIFY(QFile::exists(f.path(QStringLiteral("after-good"))));
    QVERIFY(!QFile::exists(f.path(QStringLiteral("after-bad"))));
}

void TestFlowBuilder::retriesUntilItSucceeds()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("flaky"), R"(steps:
  - id: a
    retries: 2
    retry-delay: 10ms
    run: |
      n=$(cat attempts 2>/dev/null || echo 0)
      n=$((n + 1))
      echo $n > attempts
      [ $n -ge 3 ] || { echo "attempt $n failed" >&2; exit 1; }
      echo done after $n
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("flaky"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    QCOMPARE(f.read(QStringLiteral("attempts")), QByteArray("3\n"));
    QCOMPARE(f.task(QStringLiteral("a"))->attempt, 3);
    QCOMPARE(f.log().statesOf(f.lastRun(), QStringLiteral("a")).count(RunState::Retrying), 2);
    QCOMPARE(f.logOf(QStringLiteral("a"), LogLevel::Info).last(), QStringLiteral("done after 3"));
}

void TestFlowBuilder::retriesRunOut()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("hopeless"), R"(defaults: { retries: 1, retry-delay: 10ms }
steps:
  - id: a
    run: echo x >> attempts; echo "no luck" >&2; exit 2
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("hopeless"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Failed);
    QCOMPARE(f.read(QStringLiteral("attempts")), QByteArray("x\nx\n"));
    QVERIFY2(
        done->message.endsWith(QStringLiteral("exited 2: no luck")), qPrintable(done->message));
}

void TestFlowBuilder::paramDefaultsFromRunTime()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("dated"), R"(params:
  day: { type: date, default: "${run.date}" }
  stamp: "at ${run.stamp}"
  region: { type: string, choices: [eu, us], default: eu }
steps:
  - id: a
    run: echo "${params.day} ${params.stamp} ${params.region}"
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("dated"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    QCOMPARE(f.logOf(QStringLiteral("a"), LogLevel::Info),
        QStringList{ QStringLiteral("2026-12-06 at 20261206T063000Z eu") });

    RunOptions options;
    options.time = QDateTime(QDate(2027, 1, 2), QTime(23, 59), Qt::UTC);
    options.parameters.insert(QStringLiteral("region"), QStringLiteral("us"));
    done = f.run(QStringLiteral("dated"), options);
    QVERIFY(done);
    QCOMPARE(f.logOf(QStringLiteral("a"), LogLevel::Info),
        QStringList{ QStringLiteral("2027-01-02 at 20270102T235900Z us") });
}

void TestFlowBuilder::requiredParamRefused()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("needy"), R"(params:
  count: { type: int }
steps:
  - id: a
    run: touch "${params.count}"
)"));
    const Result<qint64> id = f.start(QStringLiteral("needy"));
    QVERIFY(!id);
    QVERIFY2(id.error().message().contains(QStringLiteral("\"count\" is required")),
        qPrintable(id.error().message()));
    QVERIFY(f.log().started.isEmpty());
}

void TestFlowBuilder::choicesRefused()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("picky"), R"(params:
  region: { type: string, choices: [eu, us, asia], default: eu }
steps:
  - id: a
    run: echo "${params.region}"
)"));
    RunOptions options;
    options.parameters.insert(QStringLiteral("region"), QStringLiteral("mars"));
    const Result<qint64> id = f.start(QStringLiteral("picky"), options);
    QVERIFY(!id);
    QVERIFY2(id.error().message().contains(QStringLiteral("eu, us, asia")),
        qPrintable(id.error().message()));
    QVERIFY2(
        id.error().message().contains(QStringLiteral("mars")), qPrintable(id.error().message()));
    QVERIFY(f.log().started.isEmpty());
}

QTEST_GUILESS_MAIN(TestFlowBuilder)
#include "tst_flowbuilder.moc"
