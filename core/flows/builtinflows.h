#pragma once

// Registers the flows that come with Sluice (the demo flow; the BTC flows join here). Called
// once at start-up by the GUI, `sluice serve`, `sluice flows` and `sluice run`.

#include "engine/flowregistry.h"

namespace Sluice {

// An error means a built-in flow is malformed: a programming error, reported with its names.
Result<void> registerBuiltinFlows(FlowRegistry &registry);

} // namespace Sluice
