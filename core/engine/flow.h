#pragma once

// The definition of a flow: a named DAG of tasks with typed parameters, a retry policy, flow
// and task timeouts and a concurrency policy. Built once (usually at start-up), validated when
// registered, then shared read-only by every run on any thread.

#include <functional>
#include <optional>
#include <vector>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "engine/parameters.h"
#include "engine/result.h"
#include "engine/retrypolicy.h"

namespace Sluice {

class TaskContext;

using TaskFunction = std::function<Result<QVariant>(TaskContext &context)>;

// One task of a flow. The function runs on a pool thread; it may return an error or throw,
// both end the attempt Failed.
struct TaskSpec
{
    QString name;
    QStringList upstream; // tasks that must complete before this one starts
    TaskFunction function;
    std::optional<RetryPolicy> retry; // default: the flow's policy
    std::optional<int> timeoutMs; // default: the flow's task timeout; 0: none
};

// What a trigger does while the flow already runs.
enum class Overlap {
    Skip, // record the trigger as a run in state Skipped (the default)
    Allow, // start another run beside it
};

class Flow
{
public:
    Flow(const QString &name, const QString &description);

    QString name() const { return m_name; }
    QString description() const { return m_description; }

    void addParameter(const ParameterSpec &parameter) { m_parameters.append(parameter); }
    const QList<ParameterSpec> &parameters() const { return m_parameters; }

    void addTask(TaskSpec task) { m_tasks.push_back(std::move(task)); }
    const std::vector<TaskSpec> &tasks() const { return m_tasks; }
    int taskCount() const { return int(m_tasks.size()); }
    const TaskSpec &task(int index) const { return m_tasks[std::size_t(index)]; }

    void setRetryPolicy(const RetryPolicy &policy) { m_retry = policy; }
    RetryPolicy retryPolicy() const { return m_retry; }
    // The whole run; 0: none.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    // Each task that sets none of its own; 0: none.
    void setTaskTimeoutMs(int ms) { m_taskTimeoutMs = ms; }
    int taskTimeoutMs() const { return m_taskTimeoutMs; }
    void setOverlap(Overlap overlap) { m_overlap = overlap; }
    Overlap overlap() const { return m_overlap; }
    // In a fleet: a run whose worker died is queued again (on-crash: retry), else Crashed.
    void setRetryOnCrash(bool retry) { m_retryOnCrash = retry; }
    bool retriesOnCrash() const { return m_retryOnCrash; }
    // Most tasks of one run running at once; 0: no limit but the engine's threads.
    void setMaxParallel(int count) { m_maxParallel = count; }
    int maxParallel() const { return m_maxParallel; }

    // A flow read from a file: the exact bytes it was built from and the file's path, which
    // every run of it stores (README, "Your own flows"). Empty for built-in flows.
    void setSource(const QString &path, const QByteArray &source);
    QString sourcePath() const { return m_sourcePath; }
    const QByteArray &source() const { return m_source; }
    // The SHA-256 of source() in lower-case hex; empty for built-in flows.
    QString sourceSha256() const { return m_sourceSha256; }

    // Checks names, parameters and the graph (duplicate tasks, missing dependencies, cycles,
    // each named in the error) and indexes the graph for the executor.
    Result<void> validate();
    bool isValid() const { return m_valid; }

    // The graph by task index; valid after validate().
    const QList<int> &upstreamOf(int task) const { return m_upstream[task]; }
    const QList<int> &downstreamOf(int task) const { return m_downstream[task]; }
    int indexOf(const QString &task) const;
    RetryPolicy retryPolicyOf(int task) const;
    int timeoutOf(int task) const;

private:
    Result<void> checkGraph();
    QStringList findCycle() const;

    QString m_name;
    QString m_description;
    QList<ParameterSpec> m_parameters;
    std::vector<TaskSpec> m_tasks;
    RetryPolicy m_retry;
    int m_timeoutMs = 0;
    int m_taskTimeoutMs = 0;
    Overlap m_overlap = Overlap::Skip;
    bool m_retryOnCrash = false;
    int m_maxParallel = 0;
    QString m_sourcePath;
    QByteArray m_source;
    QString m_sourceSha256;

    bool m_valid = false;
    QList<QList<int>> m_upstream;
    QList<QList<int>> m_downstream;
};

} // namespace Sluice
