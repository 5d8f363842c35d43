#pragma once

// The `run` kind of a flow-file step (README, "Your own flows"): a shell text through /bin/sh -c
// with every variable quoted for the shell, or an argv list run without a shell; in the flow's
// folder, with the flow's and the step's environment and the SLUICE_* values; its stdout and
// stderr go to the run log and its trimmed stdout is the step's output. One attempt runs on
// the pool thread that calls run().

#include <QCoreApplication>
#include <QVariant>

#include "engine/result.h"

namespace Sluice {

class StepContext;

class RunStep
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::RunStep)

public:
    static Result<QVariant> run(StepContext &context);
};

} // namespace Sluice
