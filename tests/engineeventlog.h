#pragma once

// Test helpers shared by the engine suites: a no-op task, elapsed milliseconds, EventLog,
// which keeps every event an engine emitted as received on the test's thread, and RunIds,
// which learns the run ids of start()'s tickets.

#include <chrono>

#include <QHash>
#include <QObject>
#include <QTest>

#include "engine/engine.h"
#include "engine/taskcontext.h"

namespace EngineTest {

using namespace Sluice;
using Clock = std::chrono::steady_clock;

inline Result<QVariant> noop(TaskContext &)
{
    return QVariant();
}

inline qint64 sinceMs(Clock::time_point start, Clock::time_point then)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(then - start).count();
}

// Everything an engine emitted, as received on the test's thread.
class EventLog : public QObject
{
public:
    explicit EventLog(Engine &engine)
    {
        connect(
            &engine, &Engine::runStarted, this, [this](const RunStartedEvent &e) { started << e; });
        connect(&engine, &Engine::taskStateChanged, this,
            [this](const TaskStateEvent &e) { states << e; });
        connect(&engine, &Engine::logLine, this, [this](const LogEvent &e) { logs << e; });
        connect(
            &engine, &Engine::progressed, this, [this](const ProgressEvent &e) { progress << e; });
        connect(&engine, &Engine::runFinished, this,
            [this](const RunFinishedEvent &e) { finished << e; });
    }

    const RunFinishedEvent *finishedRun(qint64 id) const
    {
        for (const RunFinishedEvent &e : finished) {
            if (e.runId == id)
                return &e;
        }
        return nullptr;
    }
    // The states a task went through, in order.
    QList<RunState> statesOf(qint64 run, const QString &task) const
    {
        QList<RunState> result;
        for (const TaskStateEvent &e : states) {
            if (e.runId == run && e.task == task)
                result << e.state;
        }
        return result;
    }
    const TaskStateEvent *last(qint64 run, const QString &task) const
    {
        const TaskStateEvent *found = nullptr;
        for (const TaskStateEvent &e : states) {
            if (e.runId == run && e.task == task)
                found = &e;
        }
        return found;
    }
    int indexOf(qint64 run, const QString &task, RunState state) const
    {
        for (int i = 0; i < states.size(); ++i) {
            if (states[i].runId == run && states[i].task == task && states[i].state == state)
                return i;
        }
        return -1;
    }

    QList<RunStartedEvent> started;
    QList<TaskStateEvent> states;
    QList<LogEvent> logs;
    QList<ProgressEvent> progress;
    QList<RunFinishedEvent> finished;
};

// The run ids of an engine's tickets, as its events tell them: a run has its id once the run
// history holds its row (runStarted, or runFinished for a run refused at once). Create it
// before start().
class RunIds : public QObject
{
public:
    explicit RunIds(Engine &engine)
    {
        connect(&engine, &Engine::runStarted, this,
            [this](const RunStartedEvent &e) { ids.insert(e.ticket, e.runId); });
        connect(&engine, &Engine::runFinished, this,
            [this](const RunFinishedEvent &e) { ids.insert(e.ticket, e.runId); });
        connect(&engine, &Engine::runStartFailed, this,
            [this](const RunStartFailedEvent &e) { failures.insert(e.ticket, e.error); });
    }

    // The id of ticket's run, waiting for it at most timeoutMs; 0 when the start failed or
    // none came.
    qint64 waitFor(qint64 ticket, int timeoutMs = 10000)
    {
        const bool answered = QTest::qWaitFor(
            [&] { return ids.contains(ticket) || failures.contains(ticket); }, timeoutMs);
        return answered ? ids.value(ticket) : 0;
    }

    QHash<qint64, qint64> ids; // ticket -> run id
    QHash<qint64, Error> failures; // ticket -> why it has no run
};

} // namespace EngineTest
