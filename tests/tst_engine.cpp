// The engine running flows without persistence: DAG order and parallelism, upstream results,
// the no-overlap policy, parameters, progress, per-thread resources and the order of events as
// a receiver on another thread sees them.

#include <atomic>
#include <mutex>

#include <QNetworkAccessManager>
#include <QSet>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include "engine/flowregistry.h"
#include "engine/runoptions.h"
#include "engine/runstore.h"
#include "engineeventlog.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;
using namespace EngineTest;

namespace {

class ThreadedListener : public QObject
{
public:
    void attach(Engine &engine)
    {
        connect(&engine, &Engine::runStarted, this,
            [this](const RunStartedEvent &e) { add(QStringLiteral("start"), e.runId); });
        connect(&engine, &Engine::taskStateChanged, this, [this](const TaskStateEvent &e) {
            add(e.task + QLatin1Char(' ') + stateName(e.state), e.runId);
        });
        connect(&engine, &Engine::logLine, this,
            [this](const LogEvent &e) { add(e.task + QStringLiteral(" log ") + e.text, e.runId); });
        connect(&engine, &Engine::runFinished, this, [this](const RunFinishedEvent &e) {
            add(QStringLiteral("finish ") + stateName(e.state), e.runId);
        });
    }
    QStringList events(qint64 run) const
    {
        std::lock_guard lock(m_mutex);
        return m_events.value(run);
    }
    bool allOnOwnThread() const
    {
        std::lock_guard lock(m_mutex);
        return m_wrongThread == 0 && m_count > 0;
    }

private:
    void add(const QString &text, qint64 run)
    {
        std::lock_guard lock(m_mutex);
        m_events[run] << text;
        ++m_count;
        if (QThread::currentThread() != thread())
            ++m_wrongThread;
    }
    mutable std::mutex m_mutex;
    QHash<qint64, QStringList> m_events;
    int m_count = 0;
    int m_wrongThread = 0;
};

// A task that waits (cooperatively) until released or cancelled.

struct Gate
{
    std::atomic<bool> open{ false };
    Result<QVariant> wait(TaskContext &context) const
    {
        while (!open.load()) {
            if (context.isCancelled())
                return Error{ QStringLiteral("cancelled while waiting"), {} };
            QThread::msleep(5);
        }
        return QVariant(true);
    }
};

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dagOrder_data();
    void dagOrder();
    void independentTasksOverlap();
    void upstreamResults();
    void overlap_data();
    void overlap();
    void parameters();
    void unknownFlowAndBadParameter();
    void fileFlowsSwapWhileRunning();
    void brokenFlowRecordsFailedRun();
    void progressIsCoalesced();
    void perThreadResources();
    void eventOrderOnReceiverThread();
    void maxParallelLimitsActiveTasks();
    void retryReusesCompletedTasks();
};

void TestEngine::dagOrder_data()
{
    QTest::addColumn<QStringList>("tasks"); // "name:upstream,upstream"
    QTest::newRow("chain") << QStringList{ "a", "b:a", "c:b", "d:c" };
    QTest::newRow("diamond") << QStringList{ "a", "b:a", "c:a", "d:b,c" };
    QTest::newRow("fan-in") << QStringList{ "a", "b", "c", "d", "sink:a,b,c,d" };
    QTest::newRow("two components") << QStringList{ "a", "b:a", "x", "y:x", "z:b,y" };
}

void TestEngine::dagOrder()
{
    QFETCH(QStringList, tasks);
    Flow flow(QStringLiteral("dag"), {});
    for (const QString &entry : tasks) {
        flow.addTask(
            { entry.section(u':', 0, 0), entry.section(u':', 1).split(u',', Qt::SkipEmptyParts),
                [](TaskContext &context) {
                    context.sleep(5);
                    return Result<QVariant>(QVariant());
                },
                {}, {} });
    }
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("dag"));
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    QCOMPARE(log.finishedRun(*id)->state, RunState::Completed);
    for (const QString &entry : tasks) {
        const QString task = entry.section(u':', 0, 0);
        QCOMPARE(log.statesOf(*id, task),
            (QList<RunState>{ RunState::Scheduled, RunState::Running, RunState::Completed }));
        const int started = log.indexOf(*id, task, RunState::Running);
        for (const QString &upstream : entry.section(u':', 1).split(u',', Qt::SkipEmptyParts))
            QVERIFY2(log.indexOf(*id, upstream, RunState::Completed) < started,
                qPrintable(task + " before " + upstream));
    }
    QCOMPARE(log.started.size(), 1);
    QCOMPARE(log.started.first().tasks.size(), tasks.size());
}

void TestEngine::independentTasksOverlap()
{
    struct Span
    {
        std::atomic<qint64> start{ 0 };
        std::atomic<qint64> end{ 0 };
    };
    Span spans[2];
    const Clock::time_point origin = Clock::now();
    Flow flow(QStringLiteral("parallel"), {});
    for (int i = 0; i < 2; ++i) {
        flow.addTask({ QStringLiteral("t%1").arg(i), {},
            [&spans, i, origin](TaskContext &context) -> Result<QVariant> {
                spans[i].start = sinceMs(origin, Clock::now());
                context.sleep(200);
                spans[i].end = sinceMs(origin, Clock::now());
                return QVariant();
            },
            {}, {} });
    }
    flow.addTask(
        { QStringLiteral("after"), { QStringLiteral("t0"), QStringLiteral("t1") }, noop, {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("parallel"));
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    // Each started before the other ended: they ran at the same time.
    QVERIFY2(spans[0].start < spans[1].end && spans[1].start < spans[0].end,
        qPrintable(QStringLiteral("t0 %1-%2 ms, t1 %3-%4 ms")
                       .arg(spans[0].start.load())
                       .arg(spans[0].end.load())
                       .arg(spans[1].start.load())
                       .arg(spans[1].end.load())));
}

void TestEngine::upstreamResults()
{
    Flow flow(QStringLiteral("results"), {});
    flow.addTask({ QStringLiteral("a"), {},
        [](TaskContext &) -> Result<QVariant> { return QVariant(20); }, {}, {} });
    flow.addTask({ QStringLiteral("b"), {},
        [](TaskContext &) -> Result<QVariant> { return QVariant(22); }, {}, {} });
    flow.addTask({ QStringLiteral("sum"), { QStringLiteral("a"), QStringLiteral("b") },
        [](TaskContext &context) -> Result<QVariant> {
            // Only upstream results are visible; an unrelated task's is not.
            if (context.upstream(QStringLiteral("sum")).isValid()
                || context.upstream(QStringLiteral("zz")).isValid())
                return Error{ QStringLiteral("saw a result that is not upstream"), {} };
            return QVariant(context.upstream(QStringLiteral("a")).toInt()
                + context.upstream(QStringLiteral("b")).toInt());
        },
        {}, {} });
    flow.addTask({ QStringLiteral("check"), { QStringLiteral("sum") },
        [](TaskContext &context) -> Result<QVariant> {
            if (context.upstream(QStringLiteral("sum")).toInt() != 42)
                return Error{ QStringLiteral("sum is %1")
                                  .arg(context.upstream(QStringLiteral("sum")).toInt()),
                    {} };
            if (context.upstream(QStringLiteral("a")).isValid())
                return Error{ QStringLiteral("saw a result two steps up"), {} };
            return QVariant();
        },
        {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("results"));
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    QVERIFY2(log.finishedRun(*id)->state == RunState::Completed,
        qPrintable(log.finishedRun(*id)->message));
}

void TestEngine::overlap_data()
{
    QTest::addColumn<bool>("allow");
    QTest::newRow("skip") << false;
    QTest::newRow("allow") << true;
}

void TestEngine::overlap()
{
    QFETCH(bool, allow);
    Gate gate;
    Flow flow(QStringLiteral("gated"), {});
    flow.setOverlap(allow ? Overlap::Allow : Overlap::Skip);
    flow.addTask({ QStringLiteral("wait"), {},
        [&gate](TaskContext &context) { return gate.wait(context); }, {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> first = engine.start(QStringLiteral("gated"));
    QVERIFY(first);
    QVERIFY(engine.isRunning(QStringLiteral("gated")));
    const Result<qint64> second =
        engine.start(QStringLiteral("gated"), {}, QStringLiteral("schedule"));
    QVERIFY(second);
    QVERIFY(*second != *first);
    if (allow) {
        QCOMPARE(engine.activeRuns().size(), 2);
    } else {
        QTRY_VERIFY(log.finishedRun(*second));
        QCOMPARE(log.finishedRun(*second)->state, RunState::Skipped);
        QCOMPARE(log.finishedRun(*second)->message,
            QStringLiteral("flow \"gated\" is already running (run %1)").arg(*first));
        QVERIFY(!log.finishedRun(*first));
        QCOMPARE(engine.activeRuns(), QList<qint64>{ *first });
    }
    gate.open = true;
    QTRY_VERIFY(log.finishedRun(*first));
    QCOMPARE(log.finishedRun(*first)->state, RunState::Completed);
    if (allow) {
        QTRY_VERIFY(log.finishedRun(*second));
        QCOMPARE(log.finishedRun(*second)->state, RunState::Completed);
    }
    // Once the first run ended, a new trigger runs.
    const Result<qint64> third = engine.start(QStringLiteral("gated"));
    QVERIFY(third);
    QTRY_VERIFY(log.finishedRun(*third));
    QCOMPARE(log.finishedRun(*third)->state, RunState::Completed);
}

void TestEngine::parameters()
{
    QVariantMap seen;
    std::mutex mutex;
    Flow flow(QStringLiteral("params"), {});
    flow.addParameter({ QStringLiteral("count"), ParameterType::Int, 3, {} });
    flow.addParameter({ QStringLiteral("verbose"), ParameterType::Bool, false, {} });
    flow.addParameter({ QStringLiteral("name"), ParameterType::String, QStringLiteral("x"), {} });
    flow.addTask({ QStringLiteral("read"), {},
        [&](TaskContext &context) -> Result<QVariant> {
            std::lock_guard lock(mutex);
            seen = context.parameters();
            return QVariant();
        },
        {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(
        QStringLiteral("params"), { { QStringLiteral("verbose"), QStringLiteral("true") } });
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    std::lock_guard lock(mutex);
    QCOMPARE(seen.value(QStringLiteral("count")), QVariant(3LL));
    QCOMPARE(seen.value(QStringLiteral("verbose")), QVariant(true));
    QCOMPARE(seen.value(QStringLiteral("name")), QVariant(QStringLiteral("x")));
    QCOMPARE(log.started.first().parameters, seen);
}

void TestEngine::unknownFlowAndBadParameter()
{
    FlowRegistry registry;
    Flow flow(QStringLiteral("one"), {});
    flow.addParameter({ QStringLiteral("n"), ParameterType::Int, 1, {} });
    flow.addTask({ QStringLiteral("t"), {}, noop, {}, {} });
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    const Result<qint64> unknown = engine.start(QStringLiteral("two"));
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().message(), QStringLiteral("unknown flow \"two\"; the flows are one"));
    const Result<qint64> bad =
        engine.start(QStringLiteral("one"), { { QStringLiteral("n"), QStringLiteral("lots") } });
    QVERIFY(!bad);
    QCOMPARE(bad.error().message(),
        QStringLiteral("flow \"one\": parameter \"n\" must be a whole number (int), not \"lots\""));
    QVERIFY(engine.activeRuns().isEmpty());
}

// Replacing the file flows never disturbs a run: it holds the Flow it started with, while
// lookups see the new set at once; the built-ins stay.
void TestEngine::fileFlowsSwapWhileRunning()
{
    FlowRegistry registry;
    Flow builtin(QStringLiteral("builtin"), {});
    builtin.addTask({ QStringLiteral("t"), {}, noop, {}, {} });
    QVERIFY(registry.add(builtin));
    Gate gate;
    Flow old(QStringLiteral("file"), QStringLiteral("old"));
    old.setSource(QStringLiteral("/flows/file.yaml"), "old");
    old.addTask({ QStringLiteral("wait"), {},
        [&gate](TaskContext &context) { return gate.wait(context); }, {}, {} });
    registry.setFileFlows({ old }, {});
    QCOMPARE(registry.names(), (QStringList{ "builtin", "file" }));
    const std::shared_ptr<const FlowRegistry::Snapshot> before = registry.snapshot();

    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> run = engine.start(QStringLiteral("file"));
    QVERIFY(run);
    QTRY_COMPARE(log.started.size(), 1);

    // The file changes while its run waits: the registry answers with the new flow ...
    Flow changed(QStringLiteral("file"), QStringLiteral("new"));
    changed.addTask({ QStringLiteral("other"), {}, noop, {}, {} });
    Flow added(QStringLiteral("added"), {});
    added.addTask({ QStringLiteral("t"), {}, noop, {}, {} });
    registry.setFileFlows({ changed, added }, {});
    QCOMPARE(registry.flow(QStringLiteral("file"))->description(), QStringLiteral("new"));
    QCOMPARE(registry.names(), (QStringList{ "builtin", "file", "added" }));
    // ... an earlier snapshot and the run keep the old one.
    QCOMPARE(before->flow(QStringLiteral("file"))->description(), QStringLiteral("old"));
    QCOMPARE(log.started.first().tasks, QStringList{ QStringLiteral("wait") });

    // Removed: the run still finishes on its own flow.
    registry.setFileFlows({}, {});
    QCOMPARE(registry.names(), QStringList{ QStringLiteral("builtin") });
    QVERIFY(!registry.flow(QStringLiteral("file")));
    gate.open = true;
    QTRY_VERIFY(log.finishedRun(*run));
    QCOMPARE(log.finishedRun(*run)->state, RunState::Completed);

    // A file flow may not take a built-in's name (the check says so): it is left out.
    Flow clash(QStringLiteral("builtin"), {});
    clash.addTask({ QStringLiteral("t"), {}, noop, {}, {} });
    registry.setFileFlows({ clash }, {});
    QCOMPARE(registry.names(), QStringList{ QStringLiteral("builtin") });
    QVERIFY(registry.brokenFlows().isEmpty());
    QCOMPARE(registry.flow(QStringLiteral("builtin"))->sourcePath(), QString());
}

// A flow file that cannot run is started like any flow: its run is recorded Failed at once,
// naming the error, so that the history and the alerts tell.
void TestEngine::brokenFlowRecordsFailedRun()
{
    FlowRegistry registry;
    registry.setFileFlows({},
        { BrokenFlow{ QStringLiteral("bad"), QStringLiteral("/flows/bad.yaml"),
            Error{
                QStringLiteral("3:5: unknown key `rn`"), QStringLiteral("/flows/bad.yaml") } } });
    QVERIFY(!registry.flow(QStringLiteral("bad")));
    QVERIFY(registry.brokenFlow(QStringLiteral("bad")));

    QTemporaryDir dir;
    const QString runsPath = dir.filePath(QStringLiteral("runs.sqlite"));
    Engine engine(registry);
    QVERIFY(engine.enablePersistence(runsPath, 30));
    EventLog log(engine);
    const Result<qint64> ticket =
        engine.start(QStringLiteral("bad"), {}, QStringLiteral("schedule"));
    QVERIFY(ticket);
    QTRY_COMPARE(log.finished.size(), 1);
    const RunFinishedEvent finished = log.finished.first();
    QCOMPARE(finished.state, RunState::Failed);
    QCOMPARE(finished.flow, QStringLiteral("bad"));
    QVERIFY2(finished.message.contains(QLatin1String("3:5: unknown key `rn`")),
        qPrintable(finished.message));
    QVERIFY(log.started.isEmpty());
    QVERIFY(engine.flush());

    Result<std::unique_ptr<RunStore>> store = RunStore::open(runsPath);
    QVERIFY(store);
    Result<QList<FlowRunRecord>> runs = (*store)->runs(RunQuery{});
    QVERIFY(runs);
    QCOMPARE(runs->size(), 1);
    QCOMPARE(runs->first().flow, QStringLiteral("bad"));
    QCOMPARE(runs->first().state, RunState::Failed);
    QCOMPARE(runs->first().trigger, QStringLiteral("schedule"));
    QVERIFY2(runs->first().message.contains(QLatin1String("unknown key `rn`")),
        qPrintable(runs->first().message));
}

void TestEngine::progressIsCoalesced()
{
    constexpr int Total = 20000;
    Flow flow(QStringLiteral("progress"), {});
    flow.addTask({ QStringLiteral("count"), {},
        [](TaskContext &context) -> Result<QVariant> {
            for (int i = 1; i <= Total; ++i) {
                context.setProgress(i, Total);
                if (i % 1000 == 0)
                    QThread::msleep(10);
            }
            return QVariant();
        },
        {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("progress"));
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    // About 200 ms of work at ~10 updates a second, and the final value.
    QVERIFY2(log.progress.size() >= 2 && log.progress.size() <= 10,
        qPrintable(QString::number(log.progress.size())));
    QCOMPARE(log.progress.last().done, qint64(Total));
    QCOMPARE(log.progress.last().total, qint64(Total));
    QCOMPARE(log.progress.last().task, QStringLiteral("count"));
}

void TestEngine::perThreadResources()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("task.sqlite"));
    std::mutex mutex;
    QStringList problems;
    QSet<QNetworkAccessManager *> managers;
    QSet<QString> connections;
    std::atomic<int> arrived{ 0 };
    Flow flow(QStringLiteral("resources"), {});
    for (int i = 0; i < 3; ++i) {
        flow.addTask({ QStringLiteral("t%1").arg(i), {},
            [&](TaskContext &context) -> Result<QVariant> {
                QNetworkAccessManager *network = context.network();
                Result<SqliteConnection *> db = context.database(path);
                if (!db)
                    return db.error();
                if ((*db)->exec(QStringLiteral("CREATE TABLE IF NOT EXISTS t (x)")).hasValue()
                    == false)
                    return Error{ QStringLiteral("cannot write"), path };
                {
                    std::lock_guard lock(mutex);
                    if (network->thread() != QThread::currentThread())
                        problems << QStringLiteral("manager of another thread");
                    if (context.network() != network || *context.database(path) != *db)
                        problems << QStringLiteral("not cached on the thread");
                    managers.insert(network);
                    connections.insert((*db)->name());
                }
                // All three hold theirs at once: three threads.
                ++arrived;
                for (int wait = 0; arrived.load() < 3 && wait < 400; ++wait)
                    QThread::msleep(5);
                return QVariant();
            },
            {}, {} });
    }
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("resources"));
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    QVERIFY2(log.finishedRun(*id)->state == RunState::Completed,
        qPrintable(log.finishedRun(*id)->message));
    std::lock_guard lock(mutex);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(managers.size(), 3);
    QCOMPARE(connections.size(), 3);
}

void TestEngine::eventOrderOnReceiverThread()
{
    constexpr int Chain = 30;
    Flow flow(QStringLiteral("ordered"), {});
    for (int i = 0; i < Chain; ++i) {
        QStringList upstream;
        if (i > 0)
            upstream << QStringLiteral("t%1").arg(i - 1);
        flow.addTask({ QStringLiteral("t%1").arg(i), upstream,
            [](TaskContext &context) -> Result<QVariant> {
                context.info(QStringLiteral("one"));
                context.info(QStringLiteral("two"));
                return QVariant();
            },
            {}, {} });
    }
    flow.setOverlap(Overlap::Allow);
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    QThread thread;
    ThreadedListener listener;
    listener.moveToThread(&thread);
    listener.attach(engine);
    thread.start();
    EventLog log(engine);
    const Result<qint64> a = engine.start(QStringLiteral("ordered"));
    const Result<qint64> b = engine.start(QStringLiteral("ordered"));
    QVERIFY(a && b);
    QTRY_VERIFY(log.finishedRun(*a) && log.finishedRun(*b));
    for (qint64 id : { *a, *b }) {
        QStringList expected{ QStringLiteral("start") };
        for (int i = 0; i < Chain; ++i) {
            const QString task = QStringLiteral("t%1").arg(i);
            expected << task + QStringLiteral(" Scheduled") << task + QStringLiteral(" Running")
                     << task + QStringLiteral(" log one") << task + QStringLiteral(" log two")
                     << task + QStringLiteral(" Completed");
        }
        expected << QStringLiteral("finish Completed");
        QTRY_COMPARE(listener.events(id).size(), expected.size());
        QCOMPARE(listener.events(id), expected);
    }
    QVERIFY(listener.allOnOwnThread());
    thread.quit();
    thread.wait();
}

// Flow::maxParallel(): of a fan-out of 6 tasks with max 2, at most 2 are Scheduled or Running
// at once (as the events tell and as the tasks themselves count), the others wait and start in
// file order, and all complete. The engine has threads enough for all 6.
void TestEngine::maxParallelLimitsActiveTasks()
{
    constexpr int FanOut = 6;
    std::atomic<int> running{ 0 };
    std::atomic<int> most{ 0 };
    Flow flow(QStringLiteral("fan"), {});
    flow.setMaxParallel(2);
    flow.addTask({ QStringLiteral("root"), {}, noop, {}, {} });
    for (int i = 0; i < FanOut; ++i) {
        flow.addTask({ QStringLiteral("t%1").arg(i), { QStringLiteral("root") },
            [&](TaskContext &context) -> Result<QVariant> {
                const int now = ++running;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) { }
                context.sleep(20); // some work, so that unlimited tasks would overlap
                --running;
                return QVariant(now);
            },
            {}, {} });
    }
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    engine.setMaxThreads(FanOut + 2);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("fan"));
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    QCOMPARE(log.finishedRun(*id)->state, RunState::Completed);
    QVERIFY2(most.load() <= 2, qPrintable(QString::number(most.load())));

    QHash<QString, RunState> states;
    QStringList scheduledOrder;
    int active = 0;
    int mostActive = 0;
    for (const TaskStateEvent &e : std::as_const(log.states)) {
        const auto isActive = [](RunState s) {
            return s == RunState::Scheduled || s == RunState::Running;
        };
        active += int(isActive(e.state)) - int(isActive(states.value(e.task, RunState::Pending)));
        mostActive = std::max(mostActive, active);
        states[e.task] = e.state;
        if (e.state == RunState::Scheduled && e.task != u"root")
            scheduledOrder << e.task;
    }
    QCOMPARE(mostActive, 2);
    QCOMPARE(scheduledOrder,
        QStringList({ QStringLiteral("t0"), QStringLiteral("t1"), QStringLiteral("t2"),
            QStringLiteral("t3"), QStringLiteral("t4"), QStringLiteral("t5") }));
}

// A retry (RunOptions::reusedOutputs): the tasks given end Completed at once, "reused from run
// N", without running, their outputs handed downstream as given; a reused task whose upstream
// runs again is run too, and a name the flow does not have is ignored.
void TestEngine::retryReusesCompletedTasks()
{
    QHash<QString, int> calls;
    std::mutex callsMutex;
    const auto task = [&](const QString &name, QVariant result) {
        return [&, name, result](TaskContext &context) -> Result<QVariant> {
            {
                std::lock_guard lock(callsMutex);
                ++calls[name];
            }
            if (name == u"b")
                return QVariant(
                    context.upstream(QStringLiteral("a")).toString() + QLatin1String("+b"));
            return result;
        };
    };
    Flow flow(QStringLiteral("chain"), {});
    flow.addTask({ QStringLiteral("a"), {}, task(QStringLiteral("a"), 1), {}, {} });
    flow.addTask(
        { QStringLiteral("b"), { QStringLiteral("a") }, task(QStringLiteral("b"), {}), {}, {} });
    flow.addTask(
        { QStringLiteral("c"), { QStringLiteral("b") }, task(QStringLiteral("c"), 3), {}, {} });
    flow.addTask({ QStringLiteral("d"), {}, task(QStringLiteral("d"), 4), {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    RunOptions options;
    options.reusedFrom = 7;
    // b is not reused, so c, which needs it, runs although it is listed.
    options.reusedOutputs = { { QStringLiteral("a"), QStringLiteral("kept") },
        { QStringLiteral("c"), QStringLiteral("old c") },
        { QStringLiteral("gone"), QStringLiteral("x") } };
    const Result<qint64> id = engine.start(QStringLiteral("chain"), options);
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    QCOMPARE(log.finishedRun(*id)->state, RunState::Completed);
    QCOMPARE(calls.value(QStringLiteral("a")), 0);
    QCOMPARE(calls.value(QStringLiteral("b")), 1);
    QCOMPARE(calls.value(QStringLiteral("c")), 1);
    QCOMPARE(calls.value(QStringLiteral("d")), 1);
    QCOMPARE(log.statesOf(*id, QStringLiteral("a")), QList<RunState>{ RunState::Completed });
    QCOMPARE(log.last(*id, QStringLiteral("a"))->message, QStringLiteral("reused from run 7"));
    QCOMPARE(log.last(*id, QStringLiteral("a"))->output, QStringLiteral("kept"));
    QCOMPARE(log.last(*id, QStringLiteral("b"))->output, QStringLiteral("kept+b"));
    QCOMPARE(log.last(*id, QStringLiteral("c"))->output, QStringLiteral("3"));
    QCOMPARE(log.last(*id, QStringLiteral("c"))->message, QString());
    QCOMPARE(log.started.value(0).reusedFrom, 7);
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
