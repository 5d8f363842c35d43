#include "flows/btcupdateflow.h"

#include <QCoreApplication>

#include "engine/taskcontext.h"

namespace Sluice::BtcUpdateFlow {

namespace {

    Result<BtcPlan> plan(TaskContext &, const BtcFlowOptions &options)
    {
        Result<qint64> step = TimeGrid::timeframeSeconds(options.key.timeframe);
        if (!step)
            return step.error();
        const qint64 now = BtcPipeline::now(options);
        return BtcPlan{ now, range(now, *step) };
    }

} // namespace

SlotRange range(qint64 now, qint64 step)
{
    const qint64 end = TimeGrid::slotStart(now, step) + step;
    return TimeGrid::range(end - Slots * step, end, step);
}

Flow create(const BtcFlowOptions &options)
{
    Flow flow(QLatin1String(Name),
        QCoreApplication::translate("Sluice::BtcUpdateFlow",
            "Stores the current slot of BTC price, hash rate and difficulty"));
    BtcPipeline::addTasks(flow, options, &plan);
    return flow;
}

} // namespace Sluice::BtcUpdateFlow
