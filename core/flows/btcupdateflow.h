#pragma once

// The built-in "btc-update" flow, run every minute: stores the current slot of each series
// (and the two before it, should a run have been missed) and merges it; a slot already stored
// is left unchanged. Built once at start-up; its tasks run on the engine's pool threads.

#include "engine/flow.h"
#include "flows/btcpipeline.h"

namespace Sluice::BtcUpdateFlow {

inline constexpr const char *Name = "btc-update";
// The slots an update stores: the current one and the ones just before it.
inline constexpr int Slots = 3;

// The Slots slots ending with the one that holds now.
SlotRange range(qint64 now, qint64 step);

Flow create(const BtcFlowOptions &options);

} // namespace Sluice::BtcUpdateFlow
