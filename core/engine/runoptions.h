#pragma once

// How a run is started (Engine::start): its parameters, its trigger, its logical time and, for
// a retry, the outputs of the tasks it reuses from an earlier run. Plain values.

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QVariant>
#include <QVariantMap>

namespace Sluice {

struct RunOptions
{
    // Typed values or text to parse; missing ones take their defaults.
    QVariantMap parameters;
    QString trigger = QStringLiteral("manual");
    // The logical time of the run (README, "Your own flows": ${run.time}): the fire time of a
    // scheduled or backfill run. Invalid: the start, to the second. Always UTC.
    QDateTime time;
    // The schedule's fire before `time`; invalid without a schedule.
    QDateTime previousTime;
    // A retry: the outputs of the tasks that completed in run reusedFrom, by task name. Those
    // tasks end Completed at once, "reused from run N", with these outputs.
    QHash<QString, QVariant> reusedOutputs;
    qint64 reusedFrom = 0;
    // Start beside other runs of the flow even when its overlap policy is skip: a backfill
    // with --parallel N runs several fire times of one flow at once.
    bool allowOverlap = false;
    // A run a fleet worker claimed from the store's queue: its row exists, with this attempt
    // (RunStore::NewRun::claimedId). 0: the run store adds a row.
    qint64 claimedRunId = 0;
    int claimedAttempt = 0;
};

} // namespace Sluice
