#include "schedule/backfillplan.h"

#include <QCoreApplication>

#include "engine/runstore.h"
#include "schedule/firetimes.h"

namespace Sluice {

Result<BackfillPlan> BackfillPlan::make(const Schedule &schedule, const QDateTime &from,
    const QDateTime &to, const QSet<qint64> &completedMs)
{
    if (!from.isValid() || !to.isValid() || to <= from)
        return Error{ QCoreApplication::translate(
                          "Sluice::BackfillPlan", "the end must be later than the start"),
            {}, ErrorCode::Permanent };
    const Result<QList<QDateTime>> times = FireTimes::between(schedule, from, to, MaximumFireTimes);
    if (!times)
        return times.error();
    BackfillPlan plan;
    plan.m_fires.reserve(times->size());
    for (qsizetype i = 0; i < times->size(); ++i) {
        BackfillFire fire;
        fire.time = times->at(i);
        fire.previous = i > 0 ? times->at(i - 1) : FireTimes::before(schedule, fire.time);
        fire.completedBefore = completedMs.contains(fire.time.toMSecsSinceEpoch());
        if (fire.completedBefore)
            ++plan.m_skipped;
        plan.m_fires << fire;
    }
    return plan;
}

RunQuery BackfillPlan::completedQuery(const QString &flow)
{
    RunQuery query;
    query.flow = flow;
    query.states = { RunState::Completed };
    query.limit = 0;
    return query;
}

Result<QSet<qint64>> BackfillPlan::completedTimes(const RunStore &store, const QString &flow)
{
    Result<QList<FlowRunRecord>> runs = store.runs(completedQuery(flow));
    if (!runs)
        return runs.error();
    return completedTimes(*runs);
}

QSet<qint64> BackfillPlan::completedTimes(const QList<FlowRunRecord> &runs)
{
    QSet<qint64> times;
    for (const FlowRunRecord &run : runs) {
        if (run.state == RunState::Completed)
            times.insert(run.timeMs);
    }
    return times;
}

QList<BackfillFire> BackfillPlan::toRun() const
{
    QList<BackfillFire> fires;
    for (const BackfillFire &fire : m_fires) {
        if (!fire.completedBefore)
            fires << fire;
    }
    return fires;
}

} // namespace Sluice
