#pragma once

// The states of flow runs and task runs, and their names as stored in runs.sqlite and shown
// to users. Plain values; usable on any thread.

#include <QMetaType>
#include <QString>

namespace Sluice {

enum class RunState {
    Scheduled, // a run: created, not started yet; a task: ready, waiting for a pool thread
    Pending, // a task waiting for its upstream tasks
    Running,
    Retrying, // a task that failed an attempt and waits out the retry delay
    Completed,
    Failed,
    Cancelled,
    TimedOut,
    Skipped, // a run triggered while another ran; a task whose upstream did not complete
    Crashed, // found Running after the process that ran it died
};

enum class LogLevel { Info, Warning, Error };

// "Running", "TimedOut": the names stored in runs.sqlite (never translated).
QString stateName(RunState state);
const char *stateNameUtf8(RunState state);
// The inverse of stateName(); false when the name is unknown.
bool stateFromName(const QString &name, RunState *state);
// The state in the user's language.
QString stateText(RunState state);
// Completed, Failed, Cancelled, TimedOut, Skipped and Crashed are final.
bool isFinal(RunState state);

QString levelName(LogLevel level);
const char *levelNameUtf8(LogLevel level);
bool levelFromName(const QString &name, LogLevel *level);
// The level in the user's language.
QString levelText(LogLevel level);

// What started a run ("manual", "schedule", "backfill", "retry", as stored) in the user's
// language; a trigger it does not know is shown as stored.
QString triggerText(const QString &trigger);

} // namespace Sluice

Q_DECLARE_METATYPE(Sluice::RunState)
Q_DECLARE_METATYPE(Sluice::LogLevel)
