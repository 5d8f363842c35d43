#pragma once

// The events an engine publishes about its runs, as plain values: they cross threads by queued
// signals and are what the run store records. Times are milliseconds since the Unix epoch (UTC).

#include <variant>

#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include "engine/result.h"
#include "engine/runrecords.h"
#include "engine/runstate.h"

namespace Sluice {

// Engine::start() took a trigger and returned ticket: the run waits for its row in the run
// history, then starts (RunStartedEvent), ends Skipped at once (RunFinishedEvent) or fails to
// start (RunStartFailedEvent), each carrying the ticket. Not recorded.
struct RunQueuedEvent
{
    qint64 ticket = 0;
    QString flow;
    QString trigger;
    qint64 atMs = 0;
};

// The run's row could not be written (runs.sqlite stayed locked past the busy timeout, a full
// disk, a shutdown): the run has no id and never began. Not recorded.
struct RunStartFailedEvent
{
    qint64 ticket = 0;
    QString flow;
    QString trigger;
    Error error;
};

// A run began: its tasks are all Pending.
struct RunStartedEvent
{
    qint64 runId = 0;
    QString flow;
    QString trigger; // "manual", "schedule", ...
    qint64 startedMs = 0;
    QVariantMap parameters;
    QStringList tasks; // in the flow's order
    QList<QStringList> upstream; // upstream task names of each task
    qint64 ticket = 0; // what Engine::start() returned for the run
    qint64 timeMs = 0; // the run's logical time (${run.time})
    QString sourcePath = {}; // a file flow's file; empty for a built-in
    QString definitionSha256 = {}; // the SHA-256 of the YAML it runs (hex); empty for a built-in
    qint64 reusedFrom = 0; // a retry: the run whose completed tasks it reuses
};

// A task run changed state. attempt counts from 1 (0 before the first attempt).
struct TaskStateEvent
{
    qint64 runId = 0;
    QString flow;
    QString task;
    int taskIndex = 0;
    RunState state = RunState::Pending;
    int attempt = 0;
    qint64 atMs = 0;
    QString message; // the error of Failed/Retrying/TimedOut, the reason of Skipped/Cancelled
    QString output = {}; // Completed: the task's result as text (outputText()); else null
    QString messageKey = {}; // Message::key() of message; empty: message is plain text
};

// A line a task logged.
struct LogEvent
{
    qint64 runId = 0;
    QString flow;
    QString task;
    int taskIndex = 0;
    int attempt = 0;
    LogLevel level = LogLevel::Info;
    qint64 atMs = 0;
    QString text;
    QString textKey = {}; // Message::key() of text; empty: text is plain text
};

// A task's progress, coalesced to a few a second (done of total, in the task's own units).
struct ProgressEvent
{
    qint64 runId = 0;
    QString flow;
    QString task;
    int taskIndex = 0;
    qint64 done = 0;
    qint64 total = 0;
};

// A run ended. A trigger refused by the concurrency policy ends Skipped without starting.
struct RunFinishedEvent
{
    qint64 runId = 0;
    QString flow;
    RunState state = RunState::Completed;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    QString failedTask; // the first task that Failed or TimedOut, if any
    QString message; // its error, or the reason of a cancel or skip
    qint64 ticket = 0; // what Engine::start() returned for the run
    QString messageKey = {}; // Message::key() of message; empty: message is plain text
    // The warehouse tables the run's tasks stored rows in, with the rows stored (-1: changed,
    // the steps cannot say how many), so that views re-read only what changed.
    QMap<QString, qint64> storedRows = {};
};

using RunEvent =
    std::variant<RunStartedEvent, TaskStateEvent, LogEvent, ProgressEvent, RunFinishedEvent>;

// A task's result as the run history stores it (task_runs.output), which a retry hands back
// to the tasks downstream: the text of a value that converts to text (a string, a number, a
// bool, a date), at most OutputLimitBytes of UTF-8. Null for any other value, and for a longer
// text (a retry runs such a task again rather than reuse a cut value).
constexpr qsizetype OutputLimitBytes = 64 * 1024;
QString outputText(const QVariant &result);

// Registers the event types for queued connections; called by Engine, harmless to repeat.
void registerRunEventTypes();

// The history rows the events tell, for views that follow runs live as RunStore reads them
// back: a run that started (Running), what its end adds, and a log line.
FlowRunRecord startedRecord(const RunStartedEvent &event);
void applyFinish(FlowRunRecord &record, const RunFinishedEvent &event);
LogRecord logRecord(const LogEvent &event);

} // namespace Sluice

Q_DECLARE_METATYPE(Sluice::RunQueuedEvent)
Q_DECLARE_METATYPE(Sluice::RunStartFailedEvent)
Q_DECLARE_METATYPE(Sluice::RunStartedEvent)
Q_DECLARE_METATYPE(Sluice::TaskStateEvent)
Q_DECLARE_METATYPE(Sluice::LogEvent)
Q_DECLARE_METATYPE(Sluice::ProgressEvent)
Q_DECLARE_METATYPE(Sluice::RunFinishedEvent)
