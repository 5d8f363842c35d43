#pragma once

// The options of a retry of a finished run (`sluice retry`, the Runs area's "Retry failed
// steps" and "Run again"): the same flow, parameters and logical time, on the flow's current
// definition. Pure functions; any thread.

#include <QList>

#include "engine/runoptions.h"
#include "engine/runrecords.h"

namespace Sluice {

class Flow;

class RetryOptions
{
public:
    static constexpr const char *Trigger = "retry";

    // The run's values of the parameters flow still declares (a new one takes its default),
    // its logical time, reusedFrom = run. Unless all, the outputs of the tasks that Completed
    // in run and that flow still has are reused (not one whose result was not kept as text).
    static RunOptions make(
        const FlowRunRecord &run, const QList<TaskRunRecord> &tasks, const Flow &flow, bool all);

    // Whether retrying the failed steps of run makes sense: it ended, not Completed.
    static bool canRetryFailed(const FlowRunRecord &run);
};

} // namespace Sluice
