// The engine when things go wrong: retries with delay and backoff, task and flow timeouts,
// cancellation, failure propagation to downstream tasks, and tasks that throw.

#include <atomic>
#include <mutex>
#include <stdexcept>

#include <QSemaphore>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "engine/timekeeper.h"
#include "engineeventlog.h"

using namespace Sluice;
using namespace EngineTest;

class TestEngineFailures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retries_data();
    void retries();
    void retriesByErrorCode_data();
    void retriesByErrorCode();
    void taskTimeoutDiscardsLateResult();
    void flowTimeout();
    void cancelEndsWithinASecond();
    void cancelWhileRetrying();
    void failureSkipsDownstreamOnly();
    void throwingTask_data();
    void throwingTask();
    void failedAttemptsAreLogLines();
    void timeoutIsAnErrorLine();
    void timerCancelledWhileAwaited();
};

void TestEngineFailures::retries_data()
{
    QTest::addColumn<int>("retries");
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<double>("backoff");
    QTest::addColumn<int>("capMs");
    QTest::addColumn<int>("failures"); // attempts that fail before one succeeds
    QTest::addColumn<QList<int>>("minSpacing"); // ms between the attempts' starts, at least
    QTest::addColumn<int>("finalState");

    const int completed = int(RunState::Completed);
    const int failed = int(RunState::Failed);
    QTest::newRow("succeeds on the third")
        << 3 << 60 << 1.0 << 0 << 2 << QList<int>{ 60, 60 } << completed;
    QTest::newRow("gives up") << 2 << 40 << 1.0 << 0 << 99 << QList<int>{ 40, 40 } << failed;
    QTest::newRow("backoff") << 3 << 40 << 2.0 << 0 << 3 << QList<int>{ 40, 80, 160 } << completed;
    QTest::newRow("backoff capped")
        << 4 << 40 << 3.0 << 150 << 4 << QList<int>{ 40, 120, 150, 150 } << completed;
    QTest::newRow("no retries") << 0 << 0 << 1.0 << 0 << 1 << QList<int>{} << failed;
    QTest::newRow("no delay") << 2 << 0 << 1.0 << 0 << 2 << QList<int>{ 0, 0 } << completed;
}

void TestEngineFailures::retries()
{
    QFETCH(int, retries);
    QFETCH(int, delayMs);
    QFETCH(double, backoff);
    QFETCH(int, capMs);
    QFETCH(int, failures);
    QFETCH(QList<int>, minSpacing);
    QFETCH(int, finalState);

    std::mutex mutex;
    QList<Clock::time_point> starts;
    QList<int> attempts;
    Flow flow(QStringLiteral("flaky"), {});
    flow.addTask({ QStringLiteral("flaky"), {},
        [&, failures](TaskContext &context) -> Result<QVariant> {
            std::lock_guard lock(mutex);
            starts << Clock::now();
            attempts << context.attempt();
            if (context.attempt() <= failures)
                return Error{ QStringLiteral("flaky failure %1").arg(context.attempt()), {} };
            return QVariant();
        },
        RetryPolicy{ retries, delayMs, backoff, capMs }, {} });
    flow.addTask({ QStringLiteral("after"), { QStringLiteral("flaky") }, noop, {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("flaky"));
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(log.finishedRun(*id), 10000);
    QCOMPARE(int(log.last(*id, QStringLiteral("flaky"))->state), finalState);
    QCOMPARE(int(log.finishedRun(*id)->state), finalState);

    std::lock_guard lock(mutex);
    QCOMPARE(starts.size(), minSpacing.size() + 1);
    for (int i = 0; i < attempts.size(); ++i)
        QCOMPARE(attempts.at(i), i + 1);
    for (int i = 0; i < minSpacing.size(); ++i) {
        const qint64 spacing = sinceMs(starts.at(i), starts.at(i + 1));
        QVERIFY2(spacing >= minSpacing.at(i),
            qPrintable(QStringLiteral("attempt %1 -> %2 after %3 ms, expected >= %4")
                           .arg(i + 1)
                           .arg(i + 2)
                           .arg(spacing)
                           .arg(minSpacing.at(i))));
    }
    // Each failed attempt that is retried goes Retrying, Scheduled, Running again.
    QList<RunState> expected{ RunState::Scheduled, RunState::Running };
    for (int i = 0; i < minSpacing.size(); ++i)
        expected << RunState::Retrying << RunState::Scheduled << RunState::Running;
    expected << RunState(finalState);
    QCOMPARE(log.statesOf(*id, QStringLiteral("flaky")), expected);
    if (finalState == int(RunState::Failed)) {
        QCOMPARE(log.last(*id, QStringLiteral("flaky"))->attempt, retries + 1);
        QCOMPARE(log.last(*id, QStringLiteral("flaky"))->message,
            QStringLiteral("flaky failure %1").arg(retries + 1));
        QCOMPARE(log.last(*id, QStringLiteral("after"))->state, RunState::Skipped);
    }
}

void TestEngineFailures::retriesByErrorCode_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("retries");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<QString>("message");

    const QString notRetried =
        QStringLiteral("always fails; not retried: trying again would fail the same way");
    QTest::newRow("unspecified: the policy decides")
        << int(ErrorCode::Unspecified) << 2 << 3 << "always fails";
    QTest::newRow("transient") << int(ErrorCode::Transient) << 2 << 3 << "always fails";
    QTest::newRow("permanent") << int(ErrorCode::Permanent) << 2 << 1 << notRetried;
    QTest::newRow("permanent, no retries anyway")
        << int(ErrorCode::Permanent) << 0 << 1 << "always fails";
    QTest::newRow("cancelled") << int(ErrorCode::Cancelled) << 2 << 1 << "always fails";
}

void TestEngineFailures::retriesByErrorCode()
{
    QFETCH(int, code);
    QFETCH(int, retries);
    QFETCH(int, attempts);
    QFETCH(QString, message);

    std::atomic<int> calls{ 0 };
    Flow flow(QStringLiteral("failing"), {});
    flow.addTask({ QStringLiteral("failing"), {},
        [&, code](TaskContext &) -> Result<QVariant> {
            ++calls;
            return Error{ QStringLiteral("always fails"), {}, ErrorCode(code) };
        },
        RetryPolicy{ retries, 1, 1.0, 0 }, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("failing"));
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(log.finishedRun(*id), 10000);
    QCOMPARE(log.finishedRun(*id)->state, RunState::Failed);
    QCOMPARE(calls.load(), attempts);
    const TaskStateEvent *last = log.last(*id, QStringLiteral("failing"));
    QCOMPARE(last->state, RunState::Failed);
    QCOMPARE(last->attempt, attempts);
    QCOMPARE(last->message, message);
    QCOMPARE(log.finishedRun(*id)->message, message);
}

void TestEngineFailures::taskTimeoutDiscardsLateResult()
{
    std::atomic<bool> returned{ false };
    std::atomic<bool> sawCancel{ false };
    Flow flow(QStringLiteral("slow"), {});
    // Ignores its token while it works: the thread cannot be stopped, only its result dropped.
    flow.addTask({ QStringLiteral("slow"), {},
        [&](TaskContext &context) -> Result<QVariant> {
            QThread::msleep(400);
            sawCancel = context.isCancelled();
            context.info(QStringLiteral("too late"));
            returned = true;
            return QVariant(1);
        },
        {}, 100 });
    flow.addTask({ QStringLiteral("after"), { QStringLiteral("slow") }, noop, {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Clock::time_point start = Clock::now();
    const Result<qint64> id = engine.start(QStringLiteral("slow"));
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    // The run ended at the deadline, not when the task returned.
    QVERIFY(!returned.load());
    QVERIFY(sinceMs(start, Clock::now()) < 400);
    QCOMPARE(log.finishedRun(*id)->state, RunState::TimedOut);
    QCOMPARE(log.finishedRun(*id)->failedTask, QStringLiteral("slow"));
    QCOMPARE(log.last(*id, QStringLiteral("slow"))->state, RunState::TimedOut);
    QVERIFY(log.last(*id, QStringLiteral("slow"))->message.contains(QLatin1String("100 ms")));
    QCOMPARE(log.last(*id, QStringLiteral("after"))->state, RunState::Skipped);
    QCOMPARE(log.last(*id, QStringLiteral("after"))->message,
        QStringLiteral("upstream task \"slow\" timed out"));

    QTRY_VERIFY(returned.load());
    QVERIFY(sawCancel.load());
    const int events = log.states.size();
    QTest::qWait(50); // nothing more is to come; give a late event the chance to show
    QCOMPARE(log.states.size(), events);
    QCOMPARE(log.last(*id, QStringLiteral("slow"))->state, RunState::TimedOut);
    // The late line of the abandoned attempt is not published; only the engine's own line
    // about the timeout is.
    for (const LogEvent &line : std::as_const(log.logs))
        QVERIFY2(!line.text.contains(QLatin1String("too late")), qPrintable(line.text));
}

void TestEngineFailures::flowTimeout()
{
    Flow flow(QStringLiteral("long"), {});
    flow.setTimeoutMs(150);
    flow.addTask({ QStringLiteral("quick"), {}, noop, {}, {} });
    flow.addTask({ QStringLiteral("sleepy"), { QStringLiteral("quick") },
        [](TaskContext &context) -> Result<QVariant> {
            context.sleep(10000);
            return QVariant();
        },
        {}, {} });
    flow.addTask({ QStringLiteral("never"), { QStringLiteral("sleepy") }, noop, {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("long"));
    QVERIFY(id);
    QTRY_VERIFY_WITH_TIMEOUT(log.finishedRun(*id), 3000);
    QCOMPARE(log.finishedRun(*id)->state, RunState::TimedOut);
    QCOMPARE(log.last(*id, QStringLiteral("quick"))->state, RunState::Completed);
    QCOMPARE(log.last(*id, QStringLiteral("sleepy"))->state, RunState::TimedOut);
    QCOMPARE(log.last(*id, QStringLiteral("never"))->state, RunState::Cancelled);
    QVERIFY(log.finishedRun(*id)->message.contains(QLatin1String("150 ms")));
}

void TestEngineFailures::cancelEndsWithinASecond()
{
    Flow flow(QStringLiteral("cancellable"), {});
    for (const char *name : { "a", "b", "c" }) {
        flow.addTask({ QLatin1String(name), {},
            [](TaskContext &context) -> Result<QVariant> {
                if (!context.sleep(20000))
                    return Error{ QStringLiteral("stopped"), {} };
                return QVariant();
            },
            {}, {} });
    }
    flow.addTask({ QStringLiteral("d"),
        { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }, noop, {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("cancellable"));
    QVERIFY(id);
    QTRY_VERIFY(log.indexOf(*id, QStringLiteral("a"), RunState::Running) >= 0
        && log.indexOf(*id, QStringLiteral("b"), RunState::Running) >= 0
        && log.indexOf(*id, QStringLiteral("c"), RunState::Running) >= 0);
    const Clock::time_point cancelled = Clock::now();
    QVERIFY(engine.cancel(*id, QStringLiteral("test cancel")));
    QVERIFY(!engine.cancel(*id)); // already being cancelled
    QTRY_VERIFY_WITH_TIMEOUT(log.finishedRun(*id), 1000);
    QVERIFY(sinceMs(cancelled, Clock::now()) < 1000);
    QCOMPARE(log.finishedRun(*id)->state, RunState::Cancelled);
    QCOMPARE(log.finishedRun(*id)->message, QStringLiteral("test cancel"));
    for (const char *name : { "a", "b", "c", "d" })
        QCOMPARE(log.last(*id, QLatin1String(name))->state, RunState::Cancelled);
    QCOMPARE(log.last(*id, QStringLiteral("d"))->message, QStringLiteral("test cancel"));
    QVERIFY(engine.activeRuns().isEmpty());
    QVERIFY(!engine.cancel(*id));
}

void TestEngineFailures::cancelWhileRetrying()
{
    Flow flow(QStringLiteral("retrying"), {});
    flow.addTask({ QStringLiteral("fails"), {},
        [](TaskContext &) -> Result<QVariant> {
            return Error{ QStringLiteral("nope"), {} };
        },
        RetryPolicy{ 5, 10000, 1.0, 0 }, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("retrying"));
    QVERIFY(id);
    QTRY_VERIFY(log.indexOf(*id, QStringLiteral("fails"), RunState::Retrying) >= 0);
    QVERIFY(log.last(*id, QStringLiteral("fails"))
                ->message.contains(QLatin1String("attempt 2 follows in 10000 ms")));
    QVERIFY(engine.cancel(*id));
    // No thread waits out the delay: the run ends at once.
    QTRY_VERIFY_WITH_TIMEOUT(log.finishedRun(*id), 500);
    QCOMPARE(log.finishedRun(*id)->state, RunState::Cancelled);
    QCOMPARE(log.last(*id, QStringLiteral("fails"))->state, RunState::Cancelled);
}

void TestEngineFailures::failureSkipsDownstreamOnly()
{
    Flow flow(QStringLiteral("partial"), {});
    flow.addTask({ QStringLiteral("bad"), {},
        [](TaskContext &) -> Result<QVariant> {
            return Error{ QStringLiteral("disk full"), QStringLiteral("/tmp/x") };
        },
        {}, {} });
    flow.addTask({ QStringLiteral("good"), {}, noop, {}, {} });
    flow.addTask({ QStringLiteral("child"), { QStringLiteral("bad") }, noop, {}, {} });
    flow.addTask({ QStringLiteral("grandchild"),
        { QStringLiteral("child"), QStringLiteral("good") }, noop, {}, {} });
    flow.addTask({ QStringLiteral("goodchild"), { QStringLiteral("good") }, noop, {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("partial"));
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    const RunFinishedEvent *finished = log.finishedRun(*id);
    QCOMPARE(finished->state, RunState::Failed);
    QCOMPARE(finished->failedTask, QStringLiteral("bad"));
    QCOMPARE(finished->message, QStringLiteral("/tmp/x: disk full"));
    QCOMPARE(log.last(*id, QStringLiteral("bad"))->state, RunState::Failed);
    QCOMPARE(log.last(*id, QStringLiteral("good"))->state, RunState::Completed);
    QCOMPARE(log.last(*id, QStringLiteral("goodchild"))->state, RunState::Completed);
    for (const char *name : { "child", "grandchild" }) {
        QCOMPARE(log.statesOf(*id, QLatin1String(name)), QList<RunState>{ RunState::Skipped });
        QCOMPARE(log.last(*id, QLatin1String(name))->message,
            QStringLiteral("upstream task \"bad\" failed"));
    }
}

void TestEngineFailures::throwingTask_data()
{
    QTest::addColumn<bool>("standard");
    QTest::addColumn<QString>("message");
    QTest::newRow("std::exception") << true << "the task threw an exception: boom at row 7";
    QTest::newRow("anything else") << false << "the task threw an exception of an unknown type";
}

void TestEngineFailures::throwingTask()
{
    QFETCH(bool, standard);
    QFETCH(QString, message);
    Flow flow(QStringLiteral("throws"), {});
    flow.addTask({ QStringLiteral("throws"), {},
        [standard](TaskContext &) -> Result<QVariant> {
            if (standard)
                throw std::runtime_error("boom at row 7");
            throw 42;
        },
        {}, {} });
    flow.addTask({ QStringLiteral("after"), { QStringLiteral("throws") }, noop, {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("throws"));
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    QCOMPARE(log.finishedRun(*id)->state, RunState::Failed);
    QCOMPARE(log.last(*id, QStringLiteral("throws"))->state, RunState::Failed);
    QCOMPARE(log.last(*id, QStringLiteral("throws"))->message, message);
    QCOMPARE(log.last(*id, QStringLiteral("after"))->state, RunState::Skipped);
}

// Every failed attempt is a line of the task's log, whatever the task does (here it fails as an
// HTTP fetch does): a warning with the wait for each one retried, an error for the last one.
// Live and in the run history, so that the Runs area's "Errors only" shows them.
void TestEngineFailures::failedAttemptsAreLogLines()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Flow flow(QStringLiteral("offline"), {});
    flow.addTask({ QStringLiteral("fetch"), {},
        [](TaskContext &) -> Result<QVariant> {
            return Error{ QStringLiteral("HTTP 500 Internal Server Error"),
                QStringLiteral("GET http://127.0.0.1:9/api"), ErrorCode::Transient };
        },
        RetryPolicy{ 2, 20, 2.0, 0 }, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    QVERIFY(engine.enablePersistence(dir.filePath(QStringLiteral("runs.sqlite")), 30));
    EventLog log(engine);
    RunIds ids(engine);
    const Result<qint64> ticket = engine.start(QStringLiteral("offline"));
    QVERIFY(ticket);
    const qint64 id = ids.waitFor(*ticket);
    QVERIFY(id != 0);
    QTRY_VERIFY_WITH_TIMEOUT(log.finishedRun(id), 10000);
    QCOMPARE(log.finishedRun(id)->state, RunState::Failed);

    const QString error =
        QStringLiteral("GET http://127.0.0.1:9/api: HTTP 500 Internal Server Error");
    const QList<QPair<LogLevel, QString>> expected{
        { LogLevel::Warning, QStringLiteral("Retrying in 0.02 s (attempt 2 of 3): ") + error },
        { LogLevel::Warning, QStringLiteral("Retrying in 0.04 s (attempt 3 of 3): ") + error },
        { LogLevel::Error, QStringLiteral("Failed after 3 attempts: ") + error },
    };
    QList<QPair<LogLevel, QString>> live;
    for (const LogEvent &line : std::as_const(log.logs)) {
        QCOMPARE(line.task, QStringLiteral("fetch"));
        QVERIFY(!line.textKey.isEmpty());
        live << qMakePair(line.level, line.text);
    }
    QCOMPARE(live, expected);

    QVERIFY(engine.flush());
    Result<std::unique_ptr<RunStore>> store =
        RunStore::open(dir.filePath(QStringLiteral("runs.sqlite")));
    QVERIFY(store);
    const Result<QList<LogRecord>> stored = (*store)->logLines(id);
    QVERIFY(stored);
    QList<QPair<LogLevel, QString>> history;
    for (const LogRecord &line : *stored) {
        QCOMPARE(line.attempt, history.size() + 1);
        QVERIFY(!line.textKey.isEmpty());
        history << qMakePair(line.level, line.text);
    }
    QCOMPARE(history, expected);
}

// A task that runs out of time says so in its log, as an error.
void TestEngineFailures::timeoutIsAnErrorLine()
{
    Flow flow(QStringLiteral("slow"), {});
    flow.addTask({ QStringLiteral("slow"), {},
        [](TaskContext &context) -> Result<QVariant> {
            context.sleep(5000);
            return QVariant();
        },
        {}, 50 });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    EventLog log(engine);
    const Result<qint64> id = engine.start(QStringLiteral("slow"));
    QVERIFY(id);
    QTRY_VERIFY(log.finishedRun(*id));
    QCOMPARE(log.logs.size(), 1);
    QCOMPARE(log.logs.first().level, LogLevel::Error);
    QCOMPARE(log.logs.first().text,
        QStringLiteral("Timed out: ") + log.last(*id, QStringLiteral("slow"))->message);
}

// The timers' thread waits for the earliest deadline, e.g. a flow timeout that the run's end
// cancels. Cancelling that timer while the thread waits for it, then waking the thread with an
// earlier one, must not leave it reading the forgotten timer (AddressSanitizer, make sanitize:
// heap-use-after-free in Timekeeper::loop). Repeated, since the thread must be waiting first.
void TestEngineFailures::timerCancelledWhileAwaited()
{
    Timekeeper timers;
    QSemaphore fired;
    std::atomic<int> farFired = 0;
    for (int i = 0; i < 200; ++i) {
        const quint64 far = timers.scheduleAfter(60000, [&farFired] { ++farFired; });
        QVERIFY(far != 0);
        timers.scheduleAfter(0, [&fired] { fired.release(); });
        QVERIFY(fired.tryAcquire(1, 5000));
        timers.cancel(far);
    }
    QCOMPARE(farFired.load(), 0);
}

QTEST_GUILESS_MAIN(TestEngineFailures)
#include "tst_enginefailures.moc"
