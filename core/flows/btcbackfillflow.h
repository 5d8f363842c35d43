#pragma once

// The built-in "btc-backfill" flow (the cold start): fills every slot missing since the last
// slot of the clean table up to the current slot, or the last 30 days on an empty warehouse;
// --param days=N fills the last N days instead, --param from=T [to=T] the slots of [from, to)
// (what the window's "Fill gaps" runs, one gap a run). Idempotent: a stored slot is left unchanged.
// Built once at start-up; its tasks run on the engine's pool threads.

#include "engine/flow.h"
#include "flows/btcpipeline.h"

namespace Sluice::BtcBackfillFlow {

inline constexpr const char *Name = "btc-backfill";
inline constexpr int DefaultDays = 30;
// The most days one run fills (ten years, a million slots): more would only exhaust memory.
inline constexpr int MaxDays = 3650;

// The slots of a backfill: the `days` days ending with the current slot when days > 0; else
// from the slot after lastSlot to the current slot, or DefaultDays days when there is none.
SlotRange range(qint64 now, std::optional<qint64> lastSlot, int days, qint64 step);

// The slots of [from, to) with the from and to parameters (to: the current slot's end when
// nullopt), never past the current slot; more than MaxDays days is refused.
Result<SlotRange> range(qint64 now, qint64 from, std::optional<qint64> to, qint64 step);

Flow create(const BtcFlowOptions &options);

} // namespace Sluice::BtcBackfillFlow
