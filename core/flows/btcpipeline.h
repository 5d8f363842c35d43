#pragma once

// The steps the BTC flows share (README, "BTC metrics"): after a "plan" task
// chooses the slots, three fetch tasks run in parallel (Binance klines, mempool.space hash
// rates and difficulty adjustments), a transform task fills and merges the series, and a load
// task writes them to the warehouse, first write wins. Task functions run on pool threads; the
// options are copied into the flow once and read-only afterwards, but for the sources, which
// each task reads from the live Settings when it starts (BtcFlowOptions::settings).

#include <functional>

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QtGlobal>

#include "engine/flow.h"
#include "engine/result.h"
#include "engine/retrypolicy.h"
#include "flows/taskoutput.h"
#include "sources/binanceclient.h"
#include "sources/httpfetcher.h"
#include "sources/mempoolclient.h"
#include "transform/slotrows.h"
#include "transform/timegrid.h"

namespace Sluice {

class Settings;
class TaskContext;

// Where the BTC flows read and write: the data folder's warehouse, and the sources as Settings
// has them when a task starts.
struct BtcFlowOptions
{
    QString warehousePath; // DataFolder::warehousePath()
    SourceOptions binance; // Settings::binanceUrl(), proxy(), timeoutSeconds()
    SourceOptions mempool; // Settings::mempoolUrl(), proxy(), timeoutSeconds()
    // Of each fetch task: a failed request is tried again this often, later each time.
    RetryPolicy fetchRetry{ 3, 1000, 2.0, 30000 };
    // The longest Retry-After a fetch task waits for before its next attempt
    // (Settings::maxRetryWaitSeconds()); a longer one fails the task at once.
    int maxRetryWaitSeconds = 60;
    // Seconds since the epoch; empty: the wall clock. Tests fix it.
    std::function<qint64()> now;
    SeriesKey key;
    // The live settings the sources follow, or none: when set, every task starts with binance,
    // mempool and maxRetryWaitSeconds as settings has them then (Settings::values(), safe on
    // the pool threads), so a change applies from the next run on. Must outlive the flow.
    const Settings *settings = nullptr;

    // The warehouse at warehousePath and the sources as settings has them now, not following
    // them afterwards.
    static BtcFlowOptions fromSettings(const QString &warehousePath, const Settings &settings);
    // The same, following settings (see settings above).
    static BtcFlowOptions following(const QString &warehousePath, const Settings &settings);
    // These options with the sources as settings has them now; a copy when they follow none.
    BtcFlowOptions current() const;
};

// The slots one run fills, chosen by its "plan" task.
struct BtcPlan
{
    qint64 now = 0; // seconds: the current slot is the one that holds it
    SlotRange range; // empty: nothing to do
};

class BtcPipeline
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::BtcPipeline)

public:
    static constexpr const char *PlanTask = "plan";
    static constexpr const char *KlinesTask = "fetch-klines";
    static constexpr const char *HashRatesTask = "fetch-hash-rates";
    static constexpr const char *DifficultyTask = "fetch-difficulty";
    static constexpr const char *TransformTask = "transform";
    static constexpr const char *LoadTask = "load";

    // What each task hands to the tasks downstream, typed.
    static constexpr TaskOutput<BtcPlan> Planned{ PlanTask };
    static constexpr TaskOutput<QList<Kline>> KlinesFetched{ KlinesTask };
    static constexpr TaskOutput<HashrateHistory> HashRatesFetched{ HashRatesTask };
    static constexpr TaskOutput<QList<DifficultyAdjustment>> DifficultyFetched{ DifficultyTask };
    static constexpr TaskOutput<SlotRows> Transformed{ TransformTask };
    static constexpr TaskOutput<qint64> Loaded{ LoadTask }; // the rows stored

    using Planner = std::function<Result<BtcPlan>(TaskContext &, const BtcFlowOptions &)>;

    // Adds the plan task (which runs planner) and the fetch, transform and load tasks to flow.
    static void addTasks(Flow &flow, const BtcFlowOptions &options, Planner planner);

    // The current time by options.now, else the wall clock.
    static qint64 now(const BtcFlowOptions &options);
    // The latest slot stored in the clean table, or nullopt; creates the warehouse's schema.
    static Result<std::optional<qint64>> lastStoredSlot(const BtcFlowOptions &options);

    // The rows of plan.range from the fetched series: the live hash rate appended at the
    // current slot, hash rate and difficulty filled, price by slot (gaps kept), merged. A series
    // that misses the range's first or last slot is an Error naming the series.
    static Result<SlotRows> transform(const BtcPlan &plan, const QList<Kline> &klines,
        const HashrateHistory &hashRates, const QList<DifficultyAdjustment> &adjustments,
        const SeriesKey &key = {});

    // "2024-10-01 12:05 UTC"
    static QString slotText(qint64 slot);
};

} // namespace Sluice
