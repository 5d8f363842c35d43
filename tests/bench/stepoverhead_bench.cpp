// Step overhead of file flows (FLOWS.md, "Benchmarks"): a flow of N `run: "true"` steps in
// sequence, built by FlowBuilder and run by the Engine (no persistence), in microseconds per
// step, against a bare posix_spawn + waitpid loop of /bin/true in the same program. Target:
// under 2x the bare figure. Prints figures; no pass/fail.
// Run: build/tests/bench/stepoverhead_bench [steps] [repetitions]

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "flowfile/flowfilereader.h"
#include "settings/datafolder.h"
#include "steps/childprocess.h"
#include "steps/flowbuilder.h"

extern char **environ;

using namespace Sluice;
using Clock = std::chrono::steady_clock;

namespace {

double microsecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

// posix_spawn + waitpid of /bin/true, count times; microseconds per spawn.
double bareSpawns(int count)
{
    char program[] = "/bin/true";
    char *argv[] = { program, nullptr };
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < count; ++i) {
        pid_t pid = 0;
        if (posix_spawn(&pid, program, nullptr, nullptr, argv, environ) != 0) {
            std::perror("posix_spawn");
            std::exit(1);
        }
        int status = 0;
        while (waitpid(pid, &status, 0) < 0) { }
    }
    return microsecondsSince(start) / count;
}

// ChildProcess::run of `/bin/sh -c true`, count times, as a run step starts it but without
// the engine; microseconds per run. Tells the child's share from the engine's.
double childProcesses(int count)
{
    ChildProcess::Options options;
    options.arguments = { QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("true") };
    options.environment = QProcessEnvironment::systemEnvironment().toStringList();
    const CancellationToken token;
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < count; ++i) {
        const Result<ChildProcess::Outcome> outcome = ChildProcess::run(options, token, {});
        if (!outcome || !outcome->exited || outcome->exitCode != 0) {
            std::fprintf(stderr, "sh -c true failed\n");
            std::exit(1);
        }
    }
    return microsecondsSince(start) / count;
}

QByteArray flowText(int steps)
{
    QByteArray text = "description: step overhead\nsteps:\n";
    for (int i = 0; i < steps; ++i)
        text += "  - id: s" + QByteArray::number(i) + "\n    run: \"true\"\n";
    return text;
}

// One run of the flow through the engine; microseconds per step.
double flowRun(Engine &engine, int steps)
{
    QEventLoop loop;
    RunState state = RunState::Pending;
    QString message;
    QObject::connect(&engine, &Engine::runFinished, &loop, [&](const RunFinishedEvent &event) {
        state = event.state;
        message = event.message;
        loop.quit();
    });
    const Clock::time_point start = Clock::now();
    const Result<qint64> id = engine.start(QStringLiteral("overhead"));
    if (!id) {
        std::fprintf(stderr, "%s\n", qPrintable(id.error().message()));
        std::exit(1);
    }
    loop.exec();
    const double perStep = microsecondsSince(start) / steps;
    if (state != RunState::Completed) {
        std::fprintf(
            stderr, "the run ended %s: %s\n", qPrintable(stateName(state)), qPrintable(message));
        std::exit(1);
    }
    return perStep;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int steps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;
    const int repetitions = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;

    QTemporaryDir dir;
    const Result<DataFolder> folder = DataFolder::open(dir.path());
    if (!folder) {
        std::fprintf(stderr, "%s\n", qPrintable(folder.error().message()));
        return 1;
    }
    FlowEnvironment environment;
    environment.folder = &*folder;
    const QString path = dir.path() + QStringLiteral("/overhead.yaml");
    const CheckedFlowFile file = FlowFileReader::check(flowText(steps), path, {});
    Result<Flow> flow = FlowBuilder::build(file, environment);
    if (!flow) {
        std::fprintf(stderr, "%s\n", qPrintable(flow.error().message()));
        return 1;
    }
    FlowRegistry registry;
    if (Result<void> added = registry.add(std::move(*flow)); !added) {
        std::fprintf(stderr, "%s\n", qPrintable(added.error().message()));
        return 1;
    }
    Engine engine(registry);

    // Best of the repetitions, alternating, so that both see the same machine load.
    double bare = 1e30, child = 1e30, stepped = 1e30;
    for (int i = 0; i < repetitions; ++i) {
        bare = std::min(bare, bareSpawns(steps));
        child = std::min(child, childProcesses(steps));
        stepped = std::min(stepped, flowRun(engine, steps));
    }
    std::printf(
        "bare posix_spawn+waitpid of /bin/true: %8.1f us per spawn (%d spawns)\n", bare, steps);
    std::printf(
        "ChildProcess of /bin/sh -c true:        %8.1f us per run (%d runs)\n", child, steps);
    std::printf(
        "flow of `run: \"true\"` steps:          %8.1f us per step (%d steps)\n", stepped, steps);
    std::printf("ratio: %.2fx (target < 2x)\n", stepped / bare);
    return 0;
}
