#pragma once

// The built-in "demo" flow: a few tasks that sleep, log and report progress, two of them in
// parallel and one downstream of both, so that the engine can be tried (and tested) before any
// real flow. --param fail=true makes the "merge" task fail; sleep-ms sets each task's length.

#include "engine/flow.h"

namespace Sluice::DemoFlow {

inline constexpr const char *Name = "demo";
inline constexpr const char *FailingTask = "merge";

Flow create();

} // namespace Sluice::DemoFlow
