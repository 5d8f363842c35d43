#pragma once

// `sluice run` of a flow file that does not pass the check (or cannot be built): its errors,
// FILE:LINE:COL as `flows check` prints them, on stderr, and exit 2.

#include <QString>

#include "commandline.h"

namespace Sluice::Cli {

// After Instance::loadFlows(): ExitUsage when flowName is an invalid flow file (its errors
// printed), -1 otherwise.
int refuseInvalidFlowFile(Context &context, const QString &flowName);

} // namespace Sluice::Cli
