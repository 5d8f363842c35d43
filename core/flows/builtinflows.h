#pragma once

// Registers the flows that come with Sluice (the demo flow; the BTC flows join here). Called
// once at start-up by the GUI, `sluice serve`, `sluice flows` and `sluice run`.

#include "engine/flowregistry.h"

namespace Sluice {

// An error means a built-in flow is malformed: a programming error, reported with its names.
// dataFolder: the folder the flows that need one (daily-report, btc-backfill, btc-update) work
// on; without it those flows are not registered.
Result<void> registerBuiltinFlows(FlowRegistry &registry, const QString &dataFolder = {});

} // namespace Sluice
