#pragma once

// Registers the flows that come with Sluice (the demo flow, the daily report and the BTC flows).
// Called once at start-up, by Instance for the window and every command.

#include "engine/flowregistry.h"

namespace Sluice {

class DataFolder;
class Settings;

// An error means a built-in flow is malformed: a programming error, reported with its names.
// Only the flows that need no data folder (the demo flow).
Result<void> registerBuiltinFlows(FlowRegistry &registry);
// Every built-in flow. folder: the data folder the daily report and the BTC flows work on;
// settings: its live settings, which their tasks read when they start (see README, "Settings").
// settings must outlive the registry.
Result<void> registerBuiltinFlows(
    FlowRegistry &registry, const DataFolder &folder, const Settings &settings);

} // namespace Sluice
