#include "engine/retryoptions.h"

#include "engine/flow.h"

namespace Sluice {

RunOptions RetryOptions::make(
    const FlowRunRecord &run, const QList<TaskRunRecord> &tasks, const Flow &flow, bool all)
{
    RunOptions options;
    for (const ParameterSpec &spec : flow.parameters()) {
        if (const auto value = run.parameters.constFind(spec.name); value != run.parameters.cend())
            options.parameters.insert(spec.name, *value);
    }
    options.trigger = QLatin1String(Trigger);
    options.time = QDateTime::fromMSecsSinceEpoch(run.timeMs, Qt::UTC);
    options.reusedFrom = run.id;
    if (all)
        return options;
    // A task the current definition no longer has is not reused, nor one whose result was
    // not kept as text.
    for (const TaskRunRecord &task : tasks) {
        if (task.state == RunState::Completed && !task.output.isNull()
            && flow.indexOf(task.task) >= 0)
            options.reusedOutputs.insert(task.task, task.output);
    }
    return options;
}

bool RetryOptions::canRetryFailed(const FlowRunRecord &run)
{
    return isFinal(run.state) && run.state != RunState::Completed;
}

} // namespace Sluice
