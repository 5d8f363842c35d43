#pragma once

// The table of step kinds: what runs a step of each kind (README, "Your own flows"). A new kind is
// one class in core/steps/ with a static run(StepContext &) and one line here.

#include <QVariant>

#include "engine/result.h"
#include "flowfile/flowdefinition.h"

namespace Sluice {

class StepContext;

// One attempt of a step; the output (README: "Each step has one output text") is the value.
using StepFunction = Result<QVariant> (*)(StepContext &context);

// The function of a kind; null while the kind cannot run in this build.
StepFunction stepFunction(StepKind kind);

} // namespace Sluice
