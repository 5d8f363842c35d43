// The run history in runs.sqlite: what the engine records (states by name, transitions, log
// lines), reading it back from a fresh store, Crashed marking of runs whose process died,
// retention pruning, filters, overlap across processes, and the schema version.

#include <QDateTime>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/processidentity.h"
#include "engine/runstore.h"
#include "engine/taskcontext.h"
#include "flows/builtinflows.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;

namespace {

constexpr qint64 DayMs = 24LL * 3600 * 1000;

class FinishedRuns : public QObject
{
public:
    explicit FinishedRuns(Engine &engine)
    {
        connect(&engine, &Engine::runFinished, this,
            [this](const RunFinishedEvent &e) { runs.insert(e.runId, e); });
    }
    QHash<qint64, RunFinishedEvent> runs;
};

} // namespace

class TestRunStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void historyPersistedAndReloaded();
    void statesStoredByName();
    void transitionsOfEveryTask_data();
    void transitionsOfEveryTask();
    void crashedAfterProcessDied();
    void liveRunsAreNotCrashed();
    void retentionPruning_data();
    void retentionPruning();
    void queries();
    void skippedTriggerIsRecorded();
    void overlapAcrossProcesses();
    void newerSchemaIsRefused();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("runs.sqlite")); }
    // Runs the demo flow to its end with persistence on; returns the run id.
    qint64 runDemo(bool fail);
    QVariant scalar(const QString &sql) const;
    void exec(const QString &sql) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    FlowRegistry m_registry;
};

void TestRunStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    if (m_registry.flows().empty())
        QVERIFY(registerBuiltinFlows(m_registry));
}

qint64 TestRunStore::runDemo(bool fail)
{
    Engine engine(m_registry);
    if (!engine.enablePersistence(path(), 90))
        return 0;
    FinishedRuns finished(engine);
    const Result<qint64> id = engine.start(QStringLiteral("demo"),
        { { QStringLiteral("sleep-ms"), 30 }, { QStringLiteral("fail"), fail } });
    if (!id)
        return 0;
    if (!QTest::qWaitFor([&] { return finished.runs.contains(*id); }, 10000))
        return 0;
    return *id;
}

QVariant TestRunStore::scalar(const QString &sql) const
{
    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test"));
    QSqlQuery query(db->database());
    if (!query.exec(sql) || !query.next())
        return {};
    return query.value(0);
}

void TestRunStore::exec(const QString &sql) const
{
    Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("test"));
    QVERIFY(db);
    QVERIFY2(db->exec(sql), qPrintable(sql));
}

void TestRunStore::historyPersistedAndReloaded()
{
    const qint64 ok = runDemo(false);
    const qint64 failed = runDemo(true);
    QVERIFY(ok > 0 && failed > ok);

    // A fresh store on the same file, as after a restart.
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    QCOMPARE((*store)->crashedOnOpen(), 0);
    Result<QList<FlowRunRecord>> runs = (*store)->runs();
    QVERIFY(runs);
    QCOMPARE(runs->size(), 2);
    QCOMPARE(runs->at(0).id, failed); // newest first
    QCOMPARE(runs->at(0).state, RunState::Failed);
    QCOMPARE(runs->at(0).failedTask, QStringLiteral("merge"));
    QCOMPARE(runs->at(0).message, QStringLiteral("demo failure requested by the parameter fail=true"));
    QCOMPARE(runs->at(0).parameters.value(QStringLiteral("fail")), QVariant(true));
    QCOMPARE(runs->at(1).id, ok);
    QCOMPARE(runs->at(1).state, RunState::Completed);
    QCOMPARE(runs->at(1).trigger, QStringLiteral("manual"));
    QVERIFY(runs->at(1).startedMs >= runs->at(1).createdMs);
    QVERIFY(runs->at(1).finishedMs >= runs->at(1).startedMs + 90); // three tasks of 30 ms in a row

    Result<QList<TaskRunRecord>> tasks = (*store)->tasks(failed);
    QVERIFY(tasks);
    QStringList summary;
    for (const TaskRunRecord &task : *tasks)
        summary << task.task + QLatin1Char('=') + stateName(task.state);
    QCOMPARE(summary,
        (QStringList{ "extract-prices=Completed", "extract-network=Completed", "merge=Failed",
            "report=Skipped" }));
    QCOMPARE(tasks->at(2).upstream, (QStringList{ "extract-prices", "extract-network" }));
    QCOMPARE(tasks->at(2).attempts, 1);
    QCOMPARE(tasks->at(3).message, QStringLiteral("upstream task \"merge\" failed"));
    QCOMPARE(tasks->at(0).progressDone, 3);
    QCOMPARE(tasks->at(0).progressTotal, 3);

    Result<QList<LogRecord>> lines = (*store)->logLines(failed);
    QVERIFY(lines);
    QVERIFY(std::any_of(lines->cbegin(), lines->cend(), [](const LogRecord &line) {
        return line.task == u"merge" && line.level == LogLevel::Error
            && line.text.contains(QLatin1String("requested"));
    }));
    Result<QList<LogRecord>> tail = (*store)->logLines(failed, 2);
    QVERIFY(tail);
    QCOMPARE(tail->size(), 2);
    QCOMPARE(tail->last().text, lines->last().text);

    Result<QHash<QString, FlowRunRecord>> last = (*store)->lastRuns();
    QVERIFY(last);
    QCOMPARE(last->value(QStringLiteral("demo")).id, failed);
}

void TestRunStore::statesStoredByName()
{
    const qint64 id = runDemo(true);
    QVERIFY(id > 0);
    QCOMPARE(scalar(QStringLiteral("SELECT state FROM flow_runs WHERE id = %1").arg(id)).toString(),
        QStringLiteral("Failed"));
    QCOMPARE(scalar(QStringLiteral("SELECT typeof(state) FROM task_runs LIMIT 1")).toString(),
        QStringLiteral("text"));
    QCOMPARE(scalar(QStringLiteral(
                        "SELECT group_concat(DISTINCT state) FROM (SELECT state FROM transitions"
                        " WHERE task = 'report' ORDER BY rowid)"))
                 .toString(),
        QStringLiteral("Pending,Skipped"));
    QCOMPARE(scalar(QStringLiteral(
                        "SELECT level FROM log_lines WHERE task = 'merge' AND level <> 'info'"))
                 .toString(),
        QStringLiteral("error"));
    QCOMPARE(scalar(QStringLiteral("PRAGMA user_version")).toInt(), RunStore::SchemaVersion);
    QCOMPARE(scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

void TestRunStore::transitionsOfEveryTask_data()
{
    QTest::addColumn<bool>("fail");
    QTest::addColumn<QStringList>("expected"); // task: states in order
    const QString done = QStringLiteral("Pending,Scheduled,Running,Completed");
    QTest::newRow("completed") << false
                               << QStringList{ ":Scheduled,Running,Completed",
                                      "extract-prices:" + done, "extract-network:" + done,
                                      "merge:" + done, "report:" + done };
    QTest::newRow("failed") << true
                            << QStringList{ ":Scheduled,Running,Failed", "extract-prices:" + done,
                                   "extract-network:" + done,
                                   "merge:Pending,Scheduled,Running,Failed",
                                   "report:Pending,Skipped" };
}

void TestRunStore::transitionsOfEveryTask()
{
    QFETCH(bool, fail);
    QFETCH(QStringList, expected);
    const qint64 id = runDemo(fail);
    QVERIFY(id > 0);
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    Result<QList<TransitionRecord>> transitions = (*store)->transitions(id);
    QVERIFY(transitions);
    QMap<QString, QStringList> byTask;
    qint64 previous = 0;
    for (const TransitionRecord &transition : *transitions) {
        byTask[transition.task] << stateName(transition.state);
        QVERIFY(transition.atMs >= previous - 1); // written in the order they happened
        previous = std::max(previous, transition.atMs);
    }
    QStringList actual;
    for (auto it = byTask.cbegin(); it != byTask.cend(); ++it)
        actual << it.key() + QLatin1Char(':') + it.value().join(u',');
    expected.sort();
    QCOMPARE(actual, expected);
}

void TestRunStore::crashedAfterProcessDied()
{
    // A process that ran a flow and is gone.
    QProcess gone;
    gone.start(QStringLiteral("true"), {});
    QVERIFY(gone.waitForFinished());
    const QString deadOwner = QString::number(gone.processId() ? gone.processId() : 999999);
    {
        Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
        QVERIFY(store);
        QVERIFY((*store)->createRun(QStringLiteral("demo"), {}, QStringLiteral("manual"), false));
    }
    const qint64 lastSign = QDateTime::currentMSecsSinceEpoch() - 60000;
    exec(QStringLiteral(
        "UPDATE flow_runs SET state = 'Running', created_ms = %1 - 1000, started_ms = %1,"
        " owner = '%2'")
             .arg(lastSign)
             .arg(deadOwner));
    exec(QStringLiteral("UPDATE transitions SET at_ms = %1 - 1000").arg(lastSign));
    exec(QStringLiteral("INSERT INTO transitions (run_id, task, state, attempt, at_ms) VALUES (1, "
                        "NULL, 'Running', 0, %1)")
             .arg(lastSign));
    exec(QStringLiteral(
        "INSERT INTO task_runs (run_id, position, task, upstream, state, attempts) VALUES"
        " (1, 0, 'a', '[]', 'Completed', 1), (1, 1, 'b', '[]', 'Running', 2),"
        " (1, 2, 'c', '[\"a\"]', 'Retrying', 1), (1, 3, 'd', '[\"b\"]', 'Pending', 0)"));

    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    QCOMPARE((*store)->crashedOnOpen(), 1);
    Result<std::optional<FlowRunRecord>> run = (*store)->run(1);
    QVERIFY(run && run->has_value());
    QCOMPARE((*run)->state, RunState::Crashed);
    QCOMPARE((*run)->finishedMs, lastSign); // its last sign of life
    QVERIFY((*run)->message.contains(QLatin1String("ended before the run finished")));
    Result<QList<TaskRunRecord>> tasks = (*store)->tasks(1);
    QVERIFY(tasks);
    QCOMPARE(tasks->at(0).state, RunState::Completed);
    QCOMPARE(tasks->at(1).state, RunState::Crashed);
    QCOMPARE(tasks->at(2).state, RunState::Crashed);
    QCOMPARE(tasks->at(3).state, RunState::Cancelled);
    Result<QList<TransitionRecord>> transitions = (*store)->transitions(1);
    QVERIFY(transitions);
    QStringList added;
    for (const TransitionRecord &t : *transitions) {
        if (t.atMs > lastSign)
            added << (t.task.isEmpty() ? QStringLiteral("run") : t.task) + QLatin1Char('=')
                    + stateName(t.state);
    }
    added.sort();
    QCOMPARE(added, (QStringList{ "b=Crashed", "c=Crashed", "d=Cancelled", "run=Crashed" }));
    // Marked once: a second open finds nothing more.
    Result<std::unique_ptr<RunStore>> again = RunStore::open(path());
    QVERIFY(again);
    QCOMPARE((*again)->crashedOnOpen(), 0);
}

void TestRunStore::liveRunsAreNotCrashed()
{
    QProcess alive;
    alive.start(QStringLiteral("sleep"), { QStringLiteral("30") });
    QVERIFY(alive.waitForStarted());
    {
        Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
        QVERIFY(store);
        QVERIFY((*store)->createRun(QStringLiteral("demo"), {}, QStringLiteral("manual"), false));
        QVERIFY((*store)->createRun(QStringLiteral("demo"), {}, QStringLiteral("manual"), false));
    }
    // Run 1 belongs to a live process, run 2 to this one (identity with start time).
    exec(QStringLiteral("UPDATE flow_runs SET state = 'Running', owner = '%1' WHERE id = 1")
             .arg(alive.processId()));
    exec(QStringLiteral("UPDATE flow_runs SET state = 'Running' WHERE id = 2"));
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    QCOMPARE((*store)->crashedOnOpen(), 0);
    QVERIFY(ProcessIdentity::isAlive(ProcessIdentity::current()));
    alive.kill();
    alive.waitForFinished();
    QVERIFY(
        !ProcessIdentity::isAlive(QString::number(alive.processId())) || alive.processId() == 0);
    Result<std::unique_ptr<RunStore>> after = RunStore::open(path());
    QVERIFY(after);
    QCOMPARE((*after)->crashedOnOpen(), 1);
    QCOMPARE((*(*after)->run(1))->state, RunState::Crashed);
    QCOMPARE((*(*after)->run(2))->state, RunState::Running);
    // A start time that does not match is another process that reused the pid.
    const QStringList parts = ProcessIdentity::current().split(u':');
    if (parts.size() == 3)
        QVERIFY(!ProcessIdentity::isAlive(parts[0] + u':' + parts[1] + QStringLiteral(":1")));
}

void TestRunStore::retentionPruning_data()
{
    QTest::addColumn<int>("days");
    QTest::addColumn<QList<qint64>>(
        "kept"); // of runs finished 200, 100, 50 and 1 days ago, and one running
    QTest::newRow("90 days") << 90 << QList<qint64>{ 3, 4, 5 };
    QTest::newRow("30 days") << 30 << QList<qint64>{ 4, 5 };
    QTest::newRow("365 days") << 365 << QList<qint64>{ 1, 2, 3, 4, 5 };
    QTest::newRow("one day") << 1 << QList<qint64>{ 4, 5 };
}

void TestRunStore::retentionPruning()
{
    QFETCH(int, days);
    QFETCH(QList<qint64>, kept);
    for (int i = 0; i < 5; ++i)
        QVERIFY(runDemo(false) > 0);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<qint64> ages{ 200, 100, 50, 1 };
    for (int i = 0; i < ages.size(); ++i) {
        // One hour younger than the day count, so that "1 day" keeps the youngest.
        const qint64 finished = now - ages[i] * DayMs + 3600 * 1000;
        exec(QStringLiteral("UPDATE flow_runs SET created_ms = %1, finished_ms = %1 WHERE id = %2")
                 .arg(finished)
                 .arg(i + 1));
    }
    // Run 5 started long ago and still runs, in this (live) process: never pruned.
    exec(QStringLiteral(
        "UPDATE flow_runs SET state = 'Running', finished_ms = NULL, created_ms = %1 WHERE id = 5")
             .arg(now - 400 * DayMs));
    exec(QStringLiteral("UPDATE task_runs SET finished_ms = NULL WHERE run_id = 5"));

    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    Result<int> pruned = (*store)->prune(days, now);
    QVERIFY(pruned);
    QCOMPARE(*pruned, 5 - int(kept.size()));
    const Result<QList<FlowRunRecord>> runs = (*store)->runs();
    QVERIFY(runs);
    QList<qint64> ids;
    for (const FlowRunRecord &run : *runs)
        ids.prepend(run.id);
    QCOMPARE(ids, kept);
    // Nothing of a pruned run is left behind.
    const QString keptList = [&] {
        QStringList texts;
        for (qint64 id : kept)
            texts << QString::number(id);
        return texts.join(u',');
    }();
    for (const char *table : { "task_runs", "transitions", "log_lines" }) {
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM %1 WHERE run_id NOT IN (%2)")
                            .arg(QLatin1String(table), keptList))
                     .toInt(),
            0);
        QVERIFY(scalar(QStringLiteral("SELECT COUNT(*) FROM %1 WHERE run_id = 5")
                           .arg(QLatin1String(table)))
                    .toInt()
            > 0);
    }
}

void TestRunStore::queries()
{
    QVERIFY(runDemo(false) > 0);
    QVERIFY(runDemo(true) > 0);
    QVERIFY(runDemo(false) > 0);
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    RunQuery completed;
    completed.states = { RunState::Completed };
    const Result<QList<FlowRunRecord>> runs = (*store)->runs(completed);
    QVERIFY(runs);
    QList<qint64> ids;
    for (const FlowRunRecord &run : *runs)
        ids << run.id;
    QCOMPARE(ids, (QList<qint64>{ 3, 1 }));
    RunQuery limited;
    limited.limit = 1;
    QCOMPARE((*store)->runs(limited)->size(), 1);
    QCOMPARE((*store)->runs(limited)->first().id, 3);
    RunQuery otherFlow;
    otherFlow.flow = QStringLiteral("btc-update");
    QVERIFY((*store)->runs(otherFlow)->isEmpty());
    RunQuery failedOrCancelled;
    failedOrCancelled.states = { RunState::Failed, RunState::Cancelled };
    failedOrCancelled.flow = QStringLiteral("demo");
    QCOMPARE((*store)->runs(failedOrCancelled)->size(), 1);
    QVERIFY(!(*(*store)->run(99)).has_value());
    QVERIFY((*store)->tasks(99)->isEmpty());
}

void TestRunStore::skippedTriggerIsRecorded()
{
    Engine engine(m_registry);
    QVERIFY(engine.enablePersistence(path(), 90));
    FinishedRuns finished(engine);
    const Result<qint64> first =
        engine.start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 300 } });
    const Result<qint64> second =
        engine.start(QStringLiteral("demo"), {}, QStringLiteral("schedule"));
    QVERIFY(first && second);
    QTRY_VERIFY(finished.runs.contains(*second));
    QVERIFY(engine.flush());
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    const FlowRunRecord skipped = *(*(*store)->run(*second));
    QCOMPARE(skipped.state, RunState::Skipped);
    QCOMPARE(skipped.trigger, QStringLiteral("schedule"));
    QCOMPARE(
        skipped.message, QStringLiteral("flow \"demo\" is already running (run %1)").arg(*first));
    QCOMPARE((*(*store)->run(*first))->state, RunState::Running);
    QTRY_VERIFY_WITH_TIMEOUT(finished.runs.contains(*first), 5000);
}

void TestRunStore::overlapAcrossProcesses()
{
    // Another process (alive) runs the demo flow in the same data folder.
    QProcess other;
    other.start(QStringLiteral("sleep"), { QStringLiteral("30") });
    QVERIFY(other.waitForStarted());
    {
        Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
        QVERIFY(store);
        QVERIFY((*store)->createRun(QStringLiteral("demo"), {}, QStringLiteral("manual"), false));
    }
    exec(QStringLiteral("UPDATE flow_runs SET state = 'Running', owner = '%1' WHERE id = 1")
             .arg(other.processId()));
    Engine engine(m_registry);
    QVERIFY(engine.enablePersistence(path(), 90));
    FinishedRuns finished(engine);
    const Result<qint64> id =
        engine.start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 10 } });
    QVERIFY(id);
    QTRY_VERIFY(finished.runs.contains(*id));
    QCOMPARE(finished.runs.value(*id).state, RunState::Skipped);
    QCOMPARE(finished.runs.value(*id).message,
        QStringLiteral("flow \"demo\" is already running (run 1)"));
    other.kill();
    other.waitForFinished();
}

void TestRunStore::newerSchemaIsRefused()
{
    {
        Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
        QVERIFY(store);
    }
    exec(QStringLiteral("PRAGMA user_version = 99"));
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(!store);
    QVERIFY2(store.error().message().contains(path()), qPrintable(store.error().message()));
    QVERIFY(store.error().message().contains(QLatin1String("schema version 99")));
    Engine engine(m_registry);
    QVERIFY(!engine.enablePersistence(path(), 90));
}

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
