// The run history in runs.sqlite: what the engine records (states by name, transitions, log
// lines), reading it back from a fresh store, Crashed marking of runs whose process died,
// retention pruning, filters, overlap across processes, the schema version, and the recorder
// under a lock held by another process (nothing dropped, log lines coalesced, texts capped).

#include <QCryptographicHash>
#include <QDateTime>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/processidentity.h"
#include "engine/runbacklog.h"
#include "engine/runoptions.h"
#include "engine/runrecorder.h"
#include "engine/runstore.h"
#include "engine/taskcontext.h"
#include "flows/builtinflows.h"
#include "storage/sqliteconnection.h"

#include "engineeventlog.h"

using namespace Sluice;

namespace {

constexpr qint64 DayMs = 24LL * 3600 * 1000;

class FinishedRuns : public EngineTest::RunIds
{
public:
    explicit FinishedRuns(Engine &engine)
        : RunIds(engine)
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
    void runOutlastsLockOnHistory();
    void startDoesNotWaitForLockedHistory();
    void startFailsWhenHistoryStaysLocked();
    void lockedRecorderCoalescesLogLines();
    void recorderStopsWithinItsWait();
    void capStoredText_data();
    void capStoredText();
    void hostileMessagesStoredCapped();
    void migratesVersion1InPlace();
    void runDefinitionTimeAndOutputsRoundTrip();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("runs.sqlite")); }
    // Runs the demo flow to its end with persistence on; returns the run id.
    qint64 runDemo(bool fail);
    QVariant scalar(const QString &sql) const;
    void exec(const QString &sql) const;
    // Another connection, as another process would hold it: BEGIN EXCLUSIVE until destroyed
    // or released.
    struct Lock
    {
        std::optional<SqliteConnection> connection;
        bool take(const QString &path);
        bool release();
    };
    // Short waits, so that a lock of a second outlasts many tries.
    static RunRecorder::Options quickRecorder();

    std::unique_ptr<QTemporaryDir> m_dir;
    FlowRegistry m_registry;
};

bool TestRunStore::Lock::take(const QString &path)
{
    Result<SqliteConnection> opened = SqliteConnection::open(path, QStringLiteral("locker"));
    if (!opened || !opened->exec(QStringLiteral("BEGIN EXCLUSIVE")))
        return false;
    connection.emplace(std::move(*opened));
    return true;
}

bool TestRunStore::Lock::release()
{
    const bool ok = connection && connection->exec(QStringLiteral("COMMIT"));
    connection.reset();
    return ok;
}

RunRecorder::Options TestRunStore::quickRecorder()
{
    RunRecorder::Options options;
    options.busyTimeoutMs = 200;
    options.retryFirstMs = 50;
    options.retryMaxMs = 200;
    options.stopWaitMs = 2000;
    return options;
}

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
    const Result<qint64> ticket = engine.start(QStringLiteral("demo"),
        { { QStringLiteral("sleep-ms"), 30 }, { QStringLiteral("fail"), fail } });
    if (!ticket)
        return 0;
    const qint64 id = finished.waitFor(*ticket);
    if (!QTest::qWaitFor([&] { return finished.runs.contains(id); }, 10000))
        return 0;
    return id;
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
    QCOMPARE(
        runs->at(0).message, QStringLiteral("demo failure requested by the parameter fail=true"));
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
    const Result<qint64> firstTicket =
        engine.start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 300 } });
    const Result<qint64> secondTicket =
        engine.start(QStringLiteral("demo"), {}, QStringLiteral("schedule"));
    QVERIFY(firstTicket && secondTicket);
    const qint64 first = finished.waitFor(*firstTicket);
    const qint64 second = finished.waitFor(*secondTicket);
    QVERIFY(first && second);
    QTRY_VERIFY(finished.runs.contains(second));
    QVERIFY(engine.flush());
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    const FlowRunRecord skipped = *(*(*store)->run(second));
    QCOMPARE(skipped.state, RunState::Skipped);
    QCOMPARE(skipped.trigger, QStringLiteral("schedule"));
    QCOMPARE(
        skipped.message, QStringLiteral("flow \"demo\" is already running (run %1)").arg(first));
    QCOMPARE((*(*store)->run(first))->state, RunState::Running);
    QTRY_VERIFY_WITH_TIMEOUT(finished.runs.contains(first), 5000);
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
    const Result<qint64> ticket =
        engine.start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 10 } });
    QVERIFY(ticket);
    const qint64 id = finished.waitFor(*ticket);
    QVERIFY(id);
    QTRY_VERIFY(finished.runs.contains(id));
    QCOMPARE(finished.runs.value(id).state, RunState::Skipped);
    QCOMPARE(finished.runs.value(id).message,
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

// Another process holds runs.sqlite locked (BEGIN EXCLUSIVE) when the GUI thread starts a
// run: start() returns a ticket at once, while the lock is still held (it used to wait on the
// lock and fail after the busy timeout); the run waits, queued, and runs once the lock goes.
void TestRunStore::startDoesNotWaitForLockedHistory()
{
    Engine engine(m_registry);
    QVERIFY(engine.enablePersistence(path(), 90)); // the 5 s busy timeout outlasts the lock
    FinishedRuns finished(engine);
    QSignalSpy queued(&engine, &Engine::runQueued);
    Lock lock;
    QVERIFY(lock.take(path()));
    const Result<qint64> ticket =
        engine.start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 10 } });
    QVERIFY2(ticket, qPrintable(ticket ? QString() : ticket.error().message()));
    QVERIFY(lock.connection); // returned before the lock was released
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.first().first().value<RunQueuedEvent>().ticket, *ticket);
    QVERIFY(engine.isRunning(QStringLiteral("demo")));
    QVERIFY(engine.activeRuns().isEmpty()); // no row yet, so no run
    QVERIFY(finished.ids.isEmpty());

    QVERIFY(lock.release());
    const qint64 id = finished.waitFor(*ticket);
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT(finished.runs.contains(id), 10000);
    QCOMPARE(finished.runs.value(id).state, RunState::Completed);
    QCOMPARE(finished.runs.value(id).ticket, *ticket);
    QVERIFY(engine.flush());
    QCOMPARE(scalar(QStringLiteral("SELECT state FROM flow_runs WHERE id = %1").arg(id)).toString(),
        QStringLiteral("Completed"));
}

// When the lock outlasts the busy timeout, the start fails: runStartFailed names the flow and
// the cause, no run is recorded, and the next start after the lock runs.
void TestRunStore::startFailsWhenHistoryStaysLocked()
{
    Engine engine(m_registry);
    QVERIFY(engine.enablePersistence(path(), 90, quickRecorder()));
    FinishedRuns finished(engine);
    QSignalSpy failed(&engine, &Engine::runStartFailed);
    Lock lock;
    QVERIFY(lock.take(path()));
    const Result<qint64> ticket =
        engine.start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 10 } });
    QVERIFY(ticket);
    QVERIFY(failed.wait(10000));
    const auto failure = failed.first().first().value<RunStartFailedEvent>();
    QCOMPARE(failure.ticket, *ticket);
    QCOMPARE(failure.flow, QStringLiteral("demo"));
    QVERIFY2(failure.error.message().contains(QLatin1String("run of flow \"demo\" not started")),
        qPrintable(failure.error.message()));
    QVERIFY2(failure.error.message().contains(QLatin1String("locked")),
        qPrintable(failure.error.message()));
    QVERIFY2(failure.error.message().contains(path()), qPrintable(failure.error.message()));
    QVERIFY(!engine.isRunning(QStringLiteral("demo")));
    QVERIFY(lock.release());
    QVERIFY(engine.flush());
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM flow_runs")).toInt(), 0);

    const Result<qint64> again =
        engine.start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 10 } });
    QVERIFY(again);
    const qint64 id = finished.waitFor(*again);
    QCOMPARE(id, 1);
    QTRY_VERIFY_WITH_TIMEOUT(finished.runs.contains(id), 10000);
    QCOMPARE(finished.runs.value(id).state, RunState::Completed);
    QCOMPARE(failed.size(), 1);
}

// Another process holds runs.sqlite locked (BEGIN EXCLUSIVE) for longer than the recorder's
// busy timeout while a run goes on and ends: nothing is dropped, and once the lock goes the
// run, every task and every transition are in the file.
void TestRunStore::runOutlastsLockOnHistory()
{
    Engine engine(m_registry);
    QVERIFY(engine.enablePersistence(path(), 90, quickRecorder()));
    FinishedRuns finished(engine);
    QStringList published; // task: state, as the engine published them
    int logLines = 0;
    connect(&engine, &Engine::taskStateChanged, &finished, [&](const TaskStateEvent &e) {
        if (e.state != RunState::Pending) // the store writes those from runStarted
            published << e.task + QLatin1Char(':') + stateName(e.state);
    });
    connect(&engine, &Engine::logLine, &finished, [&](const LogEvent &) { ++logLines; });
    const Result<qint64> ticket =
        engine.start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 150 } });
    QVERIFY(ticket);
    const qint64 id = finished.waitFor(*ticket);
    QVERIFY(id);
    QTRY_VERIFY(published.contains(QStringLiteral("extract-prices:Running")));
    QVERIFY(engine.flush());

    Lock lock;
    QVERIFY(lock.take(path()));
    QTRY_VERIFY_WITH_TIMEOUT(finished.runs.contains(id), 10000);
    QCOMPARE(finished.runs.value(id).state, RunState::Completed);
    // The run ended in memory; its last events wait for the lock (200 ms busy timeout, tried
    // again and again meanwhile) instead of being dropped.
    const Result<void> waiting = engine.flush(300);
    QVERIFY(!waiting);
    QCOMPARE(waiting.error().code, ErrorCode::Transient);
    QVERIFY2(waiting.error().what.contains(QStringLiteral("run(s) %1").arg(id)),
        qPrintable(waiting.error().message()));
    QCOMPARE(scalar(QStringLiteral("SELECT state FROM flow_runs WHERE id = %1").arg(id)),
        QVariant(QStringLiteral("Running")));
    QVERIFY(lock.release());

    QVERIFY(engine.flush());
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    Result<std::optional<FlowRunRecord>> run = (*store)->run(id);
    QVERIFY(run && run->has_value());
    QCOMPARE((*run)->state, RunState::Completed);
    Result<QList<TaskRunRecord>> tasks = (*store)->tasks(id);
    QVERIFY(tasks);
    QCOMPARE(tasks->size(), 4);
    for (const TaskRunRecord &task : *tasks) {
        QCOMPARE(task.state, RunState::Completed);
        QVERIFY(task.finishedMs >= task.startedMs && task.startedMs > 0);
    }
    Result<QList<TransitionRecord>> transitions = (*store)->transitions(id);
    QVERIFY(transitions);
    QStringList stored;
    for (const TransitionRecord &transition : *transitions) {
        if (!transition.task.isEmpty() && transition.state != RunState::Pending)
            stored << transition.task + QLatin1Char(':') + stateName(transition.state);
    }
    QCOMPARE(stored, published);
    QCOMPARE(transitions->last().state, RunState::Completed); // the run's own, last
    Result<QList<LogRecord>> lines = (*store)->logLines(id);
    QVERIFY(lines);
    QCOMPARE(lines->size(), logLines);
}

// While writes fail, log lines past the limit are coalesced: the first and last halves kept,
// the lines between counted in one warning. States are never coalesced.
void TestRunStore::lockedRecorderCoalescesLogLines()
{
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    Result<RunStore::CreatedRun> created =
        (*store)->createRun(QStringLiteral("demo"), {}, QStringLiteral("manual"), false);
    QVERIFY(created);
    const qint64 id = created->id;
    RunRecorder::Options options = quickRecorder();
    options.logLineLimit = 10;
    Result<std::unique_ptr<RunRecorder>> recorder = RunRecorder::start(path(), options);
    QVERIFY(recorder);

    Lock lock;
    QVERIFY(lock.take(path()));
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    const QString flow = QStringLiteral("demo");
    const QString task = QStringLiteral("chatty");
    (*recorder)->append(RunStartedEvent{ id, flow, QStringLiteral("manual"), t, {}, { task }, {} });
    (*recorder)->append(TaskStateEvent{ id, flow, task, 0, RunState::Running, 1, t + 1, {} });
    for (int i = 0; i < 100; ++i) {
        (*recorder)->append(LogEvent{
            id, flow, task, 0, 1, LogLevel::Info, t + 2 + i, QStringLiteral("line %1").arg(i) });
        (*recorder)->append(ProgressEvent{ id, flow, task, 0, i + 1, 100 });
    }
    (*recorder)->append(TaskStateEvent{ id, flow, task, 0, RunState::Completed, 1, t + 200, {} });
    (*recorder)->append(RunFinishedEvent{ id, flow, RunState::Completed, t, t + 201, {}, {} });
    QVERIFY(!(*recorder)->flush(300));
    QVERIFY(lock.release());
    QVERIFY((*recorder)->flush());

    Result<QList<LogRecord>> lines = (*store)->logLines(id);
    QVERIFY(lines);
    QStringList texts;
    for (const LogRecord &line : *lines)
        texts << line.text;
    QCOMPARE(texts.size(), 11);
    QCOMPARE(texts.mid(0, 5), (QStringList{ "line 0", "line 1", "line 2", "line 3", "line 4" }));
    QCOMPARE(texts.at(5),
        QStringLiteral("90 log line(s) dropped: the run history could not be written for a while"));
    QCOMPARE(lines->at(5).level, LogLevel::Warning);
    QCOMPARE(lines->at(5).atMs, t + 2 + 5); // where the gap begins
    QCOMPARE(texts.mid(6), (QStringList{ "line 95", "line 96", "line 97", "line 98", "line 99" }));
    Result<QList<TaskRunRecord>> tasks = (*store)->tasks(id);
    QVERIFY(tasks);
    QCOMPARE(tasks->size(), 1);
    QCOMPARE(tasks->at(0).state, RunState::Completed);
    QCOMPARE(tasks->at(0).progressDone, 100);
    QCOMPARE((*(*store)->run(id))->state, RunState::Completed);
}

// A lock that outlasts the recorder's stop wait: the recorder stops anyway, in about that
// time, and says what it could not write.
void TestRunStore::recorderStopsWithinItsWait()
{
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    Result<RunStore::CreatedRun> created =
        (*store)->createRun(QStringLiteral("demo"), {}, QStringLiteral("manual"), false);
    QVERIFY(created);
    Result<std::unique_ptr<RunRecorder>> recorder = RunRecorder::start(path(), quickRecorder());
    QVERIFY(recorder);
    Lock lock;
    QVERIFY(lock.take(path()));
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    (*recorder)->append(
        RunFinishedEvent{ created->id, QStringLiteral("demo"), RunState::Completed, t, t, {}, {} });
    (*recorder)->setStopWait(300);
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral("1 event\\(s\\) of run\\(s\\) %1 could not be written "
                                          "before the end")
                               .arg(created->id)));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("trying again")));
    recorder->reset(); // returns: the stop wait bounds it
    QVERIFY(lock.release());
    QCOMPARE(scalar(QStringLiteral("SELECT state FROM flow_runs WHERE id = %1").arg(created->id)),
        QVariant(QStringLiteral("Scheduled")));
}

void TestRunStore::capStoredText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("cut");
    QTest::newRow("short") << QStringLiteral("HTTP 500") << false;
    QTest::newRow("exactly the limit") << QString(4096, u'x') << false;
    QTest::newRow("one byte over") << QString(4097, u'x') << true;
    QTest::newRow("10 KB with controls")
        << QStringLiteral("\x1b[31m\a\r") + QString(10240, u'y') << true;
    QTest::newRow("three-byte characters") << QString(2000, QChar(0x8fd0)) << true;
    QTest::newRow("four-byte characters") << QStringLiteral("\U0001F600").repeated(1500) << true;
    QTest::newRow("under the limit in bytes") << QString(1365, QChar(0x8fd0)) << false;
}

void TestRunStore::capStoredText()
{
    QFETCH(QString, text);
    QFETCH(bool, cut);
    const QString stored = RunBacklog::capStoredText(text);
    const QByteArray utf8 = stored.toUtf8();
    QVERIFY(utf8.size() <= RunBacklog::StoredTextLimit);
    if (!cut) {
        QCOMPARE(stored, text);
        return;
    }
    const QString marker = QStringLiteral("… (truncated, %1 bytes)").arg(text.toUtf8().size());
    QVERIFY2(stored.endsWith(marker), qPrintable(stored.right(60)));
    const QString kept = stored.chopped(marker.size());
    QVERIFY(text.startsWith(kept)); // cut on a character boundary: nothing replaced
    QVERIFY(utf8.size() > RunBacklog::StoredTextLimit - 8); // and not much shorter
}

// A step that fails with 10 KB of escape sequences, BEL and CR, and logs as much: the file
// keeps at most 4 KiB of each, unescaped (escaping is for display), marked as truncated.
void TestRunStore::hostileMessagesStoredCapped()
{
    const QString hostile = QStringLiteral("\x1b[31mboom\a\r") + QString(10240, u'z');
    Flow flow(QStringLiteral("hostile"), QStringLiteral("fails with a long, hostile message"));
    flow.addTask({ QStringLiteral("step"), {},
        [hostile](TaskContext &context) -> Result<QVariant> {
            context.error(hostile);
            return Error{ hostile, {} };
        },
        RetryPolicy{}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    QVERIFY(engine.enablePersistence(path(), 90));
    FinishedRuns finished(engine);
    const Result<qint64> ticket = engine.start(QStringLiteral("hostile"));
    QVERIFY(ticket);
    const qint64 id = finished.waitFor(*ticket);
    QVERIFY(id);
    QTRY_VERIFY(finished.runs.contains(id));
    QVERIFY(finished.runs.value(id).message.size() > 10000); // the live event is whole
    QVERIFY(engine.flush());

    const QStringList columns = { QStringLiteral("(SELECT message FROM flow_runs)"),
        QStringLiteral("(SELECT message FROM task_runs)"),
        QStringLiteral("(SELECT message FROM transitions WHERE state = 'Failed' AND task"
                       " IS NOT NULL)"),
        QStringLiteral("(SELECT text FROM log_lines)") };
    for (const QString &column : columns) {
        QVERIFY2(
            scalar(QStringLiteral("SELECT length(CAST(%1 AS BLOB))").arg(column)).toInt() <= 4096,
            qPrintable(column));
        const QString stored = scalar(QStringLiteral("SELECT %1").arg(column)).toString();
        QVERIFY2(stored.startsWith(QStringLiteral("\x1b[31mboom\a\rzzz")), qPrintable(column));
        QVERIFY2(
            stored.endsWith(QStringLiteral("… (truncated, %1 bytes)").arg(hostile.toUtf8().size())),
            qPrintable(column));
    }
}

// A runs.sqlite of schema version 1 (before the run's logical time, definition and task
// outputs) opens migrated in place: version 2, every row kept, the old runs' time is their
// creation, their new columns empty; new runs are added beside them.
void TestRunStore::migratesVersion1InPlace()
{
    {
        Result<SqliteConnection> db = SqliteConnection::open(path(), QStringLiteral("v1"));
        QVERIFY(db);
        const QStringList version1 = {
            QStringLiteral(
                "CREATE TABLE flow_runs (id INTEGER PRIMARY KEY, flow TEXT NOT NULL,"
                " state TEXT NOT NULL, trigger TEXT NOT NULL, parameters TEXT NOT NULL,"
                " created_ms INTEGER NOT NULL, started_ms INTEGER, finished_ms INTEGER,"
                " failed_task TEXT NOT NULL DEFAULT '', message TEXT NOT NULL DEFAULT '',"
                " owner TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX flow_runs_by_flow ON flow_runs (flow, id)"),
            QStringLiteral("CREATE INDEX flow_runs_by_state ON flow_runs (state)"),
            QStringLiteral("CREATE TABLE task_runs (run_id INTEGER NOT NULL, position INTEGER NOT"
                           " NULL, task TEXT NOT NULL, upstream TEXT NOT NULL, state TEXT NOT NULL,"
                           " attempts INTEGER NOT NULL DEFAULT 0, started_ms INTEGER, finished_ms"
                           " INTEGER, progress_done INTEGER, progress_total INTEGER, message TEXT"
                           " NOT NULL DEFAULT '', PRIMARY KEY (run_id, position)) WITHOUT ROWID"),
            QStringLiteral("CREATE TABLE transitions (run_id INTEGER NOT NULL, task TEXT, state"
                           " TEXT NOT NULL, attempt INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
                           " message TEXT NOT NULL DEFAULT '')"),
            QStringLiteral("CREATE INDEX transitions_by_run ON transitions (run_id)"),
            QStringLiteral("CREATE TABLE log_lines (run_id INTEGER NOT NULL, task TEXT NOT NULL,"
                           " attempt INTEGER NOT NULL, level TEXT NOT NULL, at_ms INTEGER NOT NULL,"
                           " text TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX log_lines_by_run ON log_lines (run_id)"),
            QStringLiteral("INSERT INTO flow_runs VALUES (5, 'demo', 'Failed', 'manual',"
                           " '{\"fail\":true}', 1765000000000, 1765000000100, 1765000000900,"
                           " 'merge', 'boom', 'dead-process')"),
            QStringLiteral("INSERT INTO task_runs VALUES (5, 0, 'extract-prices', '[]',"
                           " 'Completed', 1, 1765000000100, 1765000000200, 3, 3, '')"),
            QStringLiteral("INSERT INTO log_lines VALUES (5, 'merge', 1, 'Error', 1765000000800,"
                           " 'giving up')"),
            QStringLiteral("PRAGMA user_version = 1"),
        };
        for (const QString &sql : version1)
            QVERIFY2(db->exec(sql), qPrintable(sql));
    }
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY2(store, store ? "" : qPrintable(store.error().message()));
    QCOMPARE(scalar(QStringLiteral("PRAGMA user_version")).toInt(), RunStore::SchemaVersion);
    const auto old = (*store)->run(5);
    QVERIFY(old && *old);
    QCOMPARE((*old)->state, RunState::Failed);
    QCOMPARE((*old)->message, QStringLiteral("boom"));
    QCOMPARE((*old)->parameters.value(QStringLiteral("fail")), QVariant(true));
    QCOMPARE((*old)->timeMs, 1765000000000LL);
    QVERIFY((*old)->definition.isNull());
    QVERIFY((*old)->definitionSha256.isEmpty());
    QCOMPARE((*old)->reusedFrom, 0);
    const auto tasks = (*store)->tasks(5);
    QVERIFY(tasks && tasks->size() == 1);
    QCOMPARE(tasks->first().state, RunState::Completed);
    QVERIFY(tasks->first().output.isNull());
    const auto lines = (*store)->logLines(5);
    QVERIFY(lines && lines->size() == 1);
    QCOMPARE(lines->first().text, QStringLiteral("giving up"));
    // Messages from before message keys show as they were stored.
    QVERIFY(lines->first().textKey.isEmpty());
    QVERIFY((*old)->messageKey.isEmpty());

    RunStore::NewRun next{ QStringLiteral("demo"), {}, QStringLiteral("manual"), 1765100000000 };
    const auto created = (*store)->createRun(next, false);
    QVERIFY(created);
    QCOMPARE(created->id, 6);
    QCOMPARE((*(*store)->run(6))->timeMs, 1765100000000LL);
    // Opening it again changes nothing.
    store->reset();
    QVERIFY(RunStore::open(path()));
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM flow_runs")).toInt(), 2);
}

// What schema 2 adds, written by the engine and read back: the logical time given to start(),
// a file flow's exact definition (once, on the run's row), its SHA-256 and path, the run a
// retry reused, and each Completed task's output as text (none for a value that is not text,
// nor for a task that did not complete).
void TestRunStore::runDefinitionTimeAndOutputsRoundTrip()
{
    const QByteArray yaml = "description: \"caf\xc3\xa9\"\nsteps:\n  - id: a\n    run: echo hi\n";
    Flow flow(QStringLiteral("filed"), {});
    flow.setSource(QStringLiteral("/data/flows/filed.yaml"), yaml);
    flow.addTask({ QStringLiteral("text"), {},
        [](TaskContext &) -> Result<QVariant> {
            return QVariant(QStringLiteral("line 1\nline 2"));
        },
        {}, {} });
    flow.addTask({ QStringLiteral("number"), { QStringLiteral("text") },
        [](TaskContext &) -> Result<QVariant> { return QVariant(qint64(42)); }, {}, {} });
    flow.addTask({ QStringLiteral("list"), { QStringLiteral("text") },
        [](TaskContext &) -> Result<QVariant> {
            return QVariant(QStringList{ "x", "y" });
        },
        {}, {} });
    flow.addTask({ QStringLiteral("nothing"), { QStringLiteral("text") },
        [](TaskContext &) -> Result<QVariant> { return QVariant(); }, {}, {} });
    flow.addTask({ QStringLiteral("fails"), { QStringLiteral("number") },
        [](TaskContext &) -> Result<QVariant> {
            return Error{ QStringLiteral("no"), {} };
        },
        {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    qint64 id = 0;
    const QDateTime time(QDate(2026, 12, 6), QTime(6, 30), Qt::UTC);
    {
        Engine engine(registry);
        QVERIFY(engine.enablePersistence(path(), 90));
        FinishedRuns finished(engine);
        RunOptions options;
        options.time = time;
        options.reusedOutputs = { { QStringLiteral("text"), QStringLiteral("line 1\nline 2") } };
        options.reusedFrom = 3;
        const Result<qint64> ticket = engine.start(QStringLiteral("filed"), options);
        QVERIFY(ticket);
        id = finished.waitFor(*ticket);
        QVERIFY(id);
        QTRY_VERIFY(finished.runs.contains(id));
        QVERIFY(engine.flush());
    }
    Result<std::unique_ptr<RunStore>> store = RunStore::open(path());
    QVERIFY(store);
    const auto run = (*store)->run(id);
    QVERIFY(run && *run);
    QCOMPARE((*run)->state, RunState::Failed);
    QCOMPARE((*run)->timeMs, time.toMSecsSinceEpoch());
    QCOMPARE((*run)->definition, yaml);
    QCOMPARE((*run)->definitionSha256,
        QString::fromLatin1(QCryptographicHash::hash(yaml, QCryptographicHash::Sha256).toHex()));
    QCOMPARE((*run)->sourcePath, QStringLiteral("/data/flows/filed.yaml"));
    QCOMPARE((*run)->reusedFrom, 3);
    const auto tasks = (*store)->tasks(id);
    QVERIFY(tasks && tasks->size() == 5);
    QCOMPARE(tasks->at(0).output, QStringLiteral("line 1\nline 2"));
    QCOMPARE(tasks->at(0).message, QStringLiteral("reused from run 3"));
    QCOMPARE(tasks->at(1).output, QStringLiteral("42"));
    QCOMPARE(tasks->at(2).state, RunState::Completed);
    QVERIFY(tasks->at(2).output.isNull());
    QCOMPARE(tasks->at(3).output, QLatin1String("")); // no result: reusable all the same
    QVERIFY(!tasks->at(3).output.isNull());
    QCOMPARE(tasks->at(4).state, RunState::Failed);
    QVERIFY(tasks->at(4).output.isNull());
    // Once per run: the definition is on the run's row only.
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM flow_runs WHERE definition IS NOT NULL"))
                 .toInt(),
        1);

    // A built-in flow stores no definition.
    const qint64 builtin = runDemo(false);
    QVERIFY(builtin);
    const auto demo = (*store)->run(builtin);
    QVERIFY(demo && *demo);
    QVERIFY(demo.value()->definition.isNull());
    QVERIFY(demo.value()->definitionSha256.isEmpty());
    QCOMPARE(scalar(QStringLiteral("SELECT definition IS NULL AND source_path IS NULL FROM"
                                   " flow_runs WHERE id = %1")
                        .arg(builtin))
                 .toInt(),
        1);
}

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
