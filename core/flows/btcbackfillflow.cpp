#include "flows/btcbackfillflow.h"

#include <QCoreApplication>

#include "engine/taskcontext.h"

namespace Sluice::BtcBackfillFlow {

namespace {

    const QString daysParameter = QStringLiteral("days");

    Result<BtcPlan> plan(TaskContext &context, const BtcFlowOptions &options)
    {
        Result<qint64> step = TimeGrid::timeframeSeconds(options.key.timeframe);
        if (!step)
            return step.error();
        const int days = context.parameter(daysParameter).toInt();
        if (days < 0) {
            return Error{ QCoreApplication::translate("Sluice::BtcBackfillFlow",
                              "days must be 0 (since the last stored slot) or more, not %1")
                              .arg(days),
                {} };
        }
        Result<std::optional<qint64>> last = BtcPipeline::lastStoredSlot(options);
        if (!last)
            return last.error();
        if (days == 0 && *last) {
            context.info(
                QCoreApplication::translate("Sluice::BtcBackfillFlow", "the last stored slot is %1")
                    .arg(BtcPipeline::slotText(**last)));
        }
        const qint64 now = BtcPipeline::now(options);
        return BtcPlan{ now, range(now, *last, days, *step) };
    }

} // namespace

SlotRange range(qint64 now, std::optional<qint64> lastSlot, int days, qint64 step)
{
    const qint64 current = TimeGrid::slotStart(now, step);
    const qint64 end = current + step;
    if (days > 0 || !lastSlot) {
        const qint64 span = qint64(days > 0 ? days : DefaultDays) * 86400;
        return TimeGrid::range(end - span, end, step);
    }
    return TimeGrid::range(*lastSlot + step, end, step);
}

Flow create(const BtcFlowOptions &options)
{
    Flow flow(QLatin1String(Name),
        QCoreApplication::translate("Sluice::BtcBackfillFlow",
            "Fills the warehouse with BTC price, hash rate and difficulty since the last stored "
            "slot"));
    flow.addParameter({ daysParameter, ParameterType::Int, 0,
        QCoreApplication::translate("Sluice::BtcBackfillFlow",
            "fill the last N days; 0: since the last stored slot, or 30 days on an empty "
            "warehouse"),
        0, MaxDays });
    BtcPipeline::addTasks(flow, options, &plan);
    return flow;
}

} // namespace Sluice::BtcBackfillFlow
