// Engine overhead per no-op task (10,000-task flows, chain and fan-out, persistence off and
// on) and the rate of events delivered to a listener on another thread. Prints figures; no
// pass/fail. Run: build-*/tests/bench/engine_bench [tasks] [repetitions]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QThread>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/taskcontext.h"

using namespace Sluice;
using Clock = std::chrono::steady_clock;

namespace {

Result<QVariant> noop(TaskContext &)
{
    return QVariant();
}

Flow makeFlow(const QString &shape, int tasks)
{
    Flow flow(shape, QStringLiteral("benchmark"));
    flow.setOverlap(Overlap::Allow);
    flow.addTask({ QStringLiteral("t0"), {}, noop, {}, {} });
    for (int i = 1; i < tasks; ++i) {
        const QString upstream =
            shape == u"chain" ? QStringLiteral("t%1").arg(i - 1) : QStringLiteral("t0");
        flow.addTask({ QStringLiteral("t%1").arg(i), { upstream }, noop, {}, {} });
    }
    return flow;
}

// Counts the events of the engine on its own thread.
class Listener : public QObject
{
public:
    void attach(Engine &engine)
    {
        connect(&engine, &Engine::runStarted, this, [this](const RunStartedEvent &) { ++count; });
        connect(
            &engine, &Engine::taskStateChanged, this, [this](const TaskStateEvent &) { ++count; });
        connect(&engine, &Engine::runFinished, this, [this](const RunFinishedEvent &) { ++count; });
    }
    std::atomic<qint64> count{ 0 };
};

struct Measure
{
    double runUs = 0; // start() to runFinished on the engine's thread
    double totalUs = 0; // ... and until the run store has written everything
    double eventsPerSecond = 0;
};

Measure measure(
    const FlowRegistry &registry, const QString &shape, int tasks, const QString &runsPath)
{
    Engine engine(registry);
    if (!runsPath.isEmpty()) {
        if (Result<void> ok = engine.enablePersistence(runsPath, 90); !ok) {
            std::fprintf(stderr, "%s\n", qPrintable(ok.error().message()));
            std::exit(1);
        }
    }
    QThread thread;
    Listener listener;
    listener.moveToThread(&thread);
    listener.attach(engine);
    thread.start();

    QEventLoop loop;
    QObject::connect(
        &engine, &Engine::runFinished, &loop, [&](const RunFinishedEvent &) { loop.quit(); });
    const qint64 expected = 2 + 3LL * tasks; // started, Scheduled/Running/Completed each, finished
    const Clock::time_point start = Clock::now();
    const Result<qint64> ticket = engine.start(shape);
    if (!ticket)
        std::exit(1);
    loop.exec();
    const Clock::time_point finished = Clock::now();
    (void)engine.flush();
    const Clock::time_point flushed = Clock::now();
    while (listener.count.load() < expected)
        QThread::usleep(100);
    const Clock::time_point delivered = Clock::now();
    thread.quit();
    thread.wait();

    auto us = [](Clock::duration d) {
        return std::chrono::duration<double, std::micro>(d).count();
    };
    Measure m;
    m.runUs = us(finished - start) / tasks;
    m.totalUs = us(flushed - start) / tasks;
    m.eventsPerSecond = double(expected) / (us(delivered - start) / 1e6);
    return m;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int tasks = argc > 1 ? std::max(10, std::atoi(argv[1])) : 10000;
    const int repetitions = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    QTemporaryDir dir;

    FlowRegistry registry;
    for (const char *shape : { "chain", "fanout" }) {
        if (Result<void> ok = registry.add(makeFlow(QLatin1String(shape), tasks)); !ok) {
            std::fprintf(stderr, "%s\n", qPrintable(ok.error().message()));
            return 1;
        }
    }
    std::printf("engine overhead per no-op task, %d tasks a flow, median of %d runs (%d threads)\n",
        tasks, repetitions, QThread::idealThreadCount());
    std::printf("%-8s %-12s %14s %16s %16s\n", "shape", "persistence", "us/task (run)",
        "us/task (stored)", "events/s");
    measure(registry, QStringLiteral("chain"), std::min(tasks, 1000), {}); // warm-up
    int file = 0;
    for (const char *shape : { "chain", "fanout" }) {
        for (bool persist : { false, true }) {
            std::vector<double> run, total, rate;
            for (int i = 0; i < repetitions; ++i) {
                const QString path = persist
                    ? dir.filePath(QStringLiteral("runs-%1.sqlite").arg(++file))
                    : QString();
                const Measure m = measure(registry, QLatin1String(shape), tasks, path);
                run.push_back(m.runUs);
                total.push_back(m.totalUs);
                rate.push_back(m.eventsPerSecond);
            }
            std::printf("%-8s %-12s %14.1f %16.1f %16.0f\n", shape, persist ? "on" : "off",
                median(run), median(total), median(rate));
        }
    }
    return 0;
}
