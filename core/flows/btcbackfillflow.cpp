#include "flows/btcbackfillflow.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QRegularExpression>

#include "engine/taskcontext.h"

namespace Sluice::BtcBackfillFlow {

namespace {

    const QString daysParameter = QStringLiteral("days");
    const QString fromParameter = QStringLiteral("from");
    const QString toParameter = QStringLiteral("to");

    // A from or to parameter: empty, unix seconds or an ISO 8601 time with a zone.
    Result<std::optional<qint64>> timeParameter(TaskContext &context, const QString &name)
    {
        const QString text = context.parameter(name).toString().trimmed();
        if (text.isEmpty())
            return std::optional<qint64>();
        static const QRegularExpression seconds(QStringLiteral("^-?[0-9]{1,12}$"));
        if (seconds.match(text).hasMatch())
            return std::optional<qint64>(text.toLongLong());
        const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!time.isValid() || time.timeSpec() == Qt::LocalTime) {
            return Error{ QCoreApplication::translate("Sluice::BtcBackfillFlow",
                              "%1 must be unix seconds or a time such as 2024-03-08T00:00:00Z, "
                              "not \"%2\"")
                              .arg(name, text),
                {}, ErrorCode::Permanent };
        }
        return std::optional<qint64>(time.toSecsSinceEpoch());
    }

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
        Result<std::optional<qint64>> from = timeParameter(context, fromParameter);
        if (!from)
            return from.error();
        Result<std::optional<qint64>> to = timeParameter(context, toParameter);
        if (!to)
            return to.error();
        if (*from || *to) {
            if (days != 0 || !*from) {
                return Error{ QCoreApplication::translate("Sluice::BtcBackfillFlow",
                                  "give from (and to, if not up to now) or days, not both"),
                    {}, ErrorCode::Permanent };
            }
            const qint64 now = BtcPipeline::now(options);
            Result<SlotRange> slots = BtcBackfillFlow::range(now, **from, *to, *step);
            if (!slots)
                return slots.error();
            return BtcPlan{ now, *slots };
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

Result<SlotRange> range(qint64 now, qint64 from, std::optional<qint64> to, qint64 step)
{
    const qint64 end = std::min(to.value_or(now + step), TimeGrid::slotStart(now, step) + step);
    const SlotRange slots = TimeGrid::range(from, end, step);
    if (slots.count > qint64(MaxDays) * 86400 / step) {
        return Error{ QCoreApplication::translate(
                          "Sluice::BtcBackfillFlow", "from and to span more than %1 days")
                          .arg(MaxDays),
            {}, ErrorCode::Permanent };
    }
    return slots;
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
    flow.addParameter({ fromParameter, ParameterType::String, QString(),
        QCoreApplication::translate("Sluice::BtcBackfillFlow",
            "fill the slots from this time (unix seconds or ISO 8601, e.g. "
            "2024-03-08T00:00:00Z) instead of days; empty: not used") });
    flow.addParameter({ toParameter, ParameterType::String, QString(),
        QCoreApplication::translate("Sluice::BtcBackfillFlow",
            "with from: the end of the slots, exclusive; empty: up to the current slot") });
    BtcPipeline::addTasks(flow, options, &plan);
    return flow;
}

} // namespace Sluice::BtcBackfillFlow
