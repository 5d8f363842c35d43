#pragma once

// What a backfill of a flow runs: every fire time of the schedule in force in [from, to), each
// with the fire before it (${run.prev-time}), those that already have a Completed run marked
// to skip. Plain values and pure functions; any thread. The CLI's `sluice backfill` and the
// window's backfill dialog plan with it.

#include <QDateTime>
#include <QList>
#include <QSet>

#include "engine/result.h"
#include "engine/runrecords.h"
#include "schedule/schedule.h"

namespace Sluice {

class RunStore;

struct BackfillFire
{
    QDateTime time; // UTC
    QDateTime previous; // the schedule's fire before time; invalid when there is none
    bool completedBefore = false; // a run at this time Completed: the backfill skips it
};

class BackfillPlan
{
public:
    // More fire times than this in one backfill is surely a mistake (`every: 1s` over a year).
    static constexpr int MaximumFireTimes = 10000;
    static constexpr int MaximumParallel = 64;

    // The fires of schedule in [from, to); completedMs: the logical times (ms) of the flow's
    // Completed runs. Refuses to <= from and more than MaximumFireTimes fires (Permanent).
    static Result<BackfillPlan> make(const Schedule &schedule, const QDateTime &from,
        const QDateTime &to, const QSet<qint64> &completedMs);

    // The logical times of a flow's Completed runs, in ms: from a run store, or from runs
    // already read (RunHistory).
    static Result<QSet<qint64>> completedTimes(const RunStore &store, const QString &flow);
    static QSet<qint64> completedTimes(const QList<FlowRunRecord> &runs);
    // The query that reads them.
    static RunQuery completedQuery(const QString &flow);

    const QList<BackfillFire> &fires() const { return m_fires; }
    // The fires to run, in time order.
    QList<BackfillFire> toRun() const;
    int skipped() const { return m_skipped; }

private:
    QList<BackfillFire> m_fires;
    int m_skipped = 0;
};

} // namespace Sluice
