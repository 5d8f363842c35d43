#pragma once

// Turns a checked flow file into an engine Flow (README, "Your own flows"): its params become
// typed parameters (defaults that use ${run.*} are computed when a run starts), its steps
// tasks whose function runs the step's kind through a StepContext, `needs` (or file order) the
// graph, and `defaults`, `retries`, `retry-delay`, `backoff`, `timeout`, `overlap` and
// `max-parallel` the engine's policies. The flow keeps the file's bytes, which each run stores.
// Pure; any thread.

#include <QCoreApplication>

#include "engine/flow.h"
#include "flowfile/flowfilereader.h"
#include "steps/stepcontext.h"

namespace Sluice {

class FlowBuilder
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::FlowBuilder)

public:
    // file must be valid (CheckedFlowFile::isValid()); the error is the first diagnostic
    // otherwise. environment must outlive the flow.
    static Result<Flow> build(const CheckedFlowFile &file, const FlowEnvironment &environment);
};

} // namespace Sluice
