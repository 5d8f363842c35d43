#pragma once

// Rows of the run history as RunStore reads them back: flow runs, task runs, transitions and
// log lines. Plain values; times are milliseconds since the Unix epoch (UTC), 0 when unknown.

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include "engine/runstate.h"

namespace Sluice {

struct FlowRunRecord
{
    qint64 id = 0;
    QString flow;
    RunState state = RunState::Scheduled;
    QString trigger;
    QVariantMap parameters;
    qint64 createdMs = 0;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    QString failedTask;
    QString message;
    qint64 timeMs = 0; // the logical time (${run.time}); the creation for runs before it existed
    QByteArray definition; // the exact YAML of a file flow; empty for a built-in
    QString definitionSha256; // its SHA-256, lower-case hex; empty for a built-in
    QString sourcePath; // the flow file; empty for a built-in
    qint64 reusedFrom = 0; // a retry: the run whose completed tasks it reused
    // Message::key() of message (Message::shown() shows it); empty for plain or older text.
    QString messageKey;
};

struct TaskRunRecord
{
    qint64 runId = 0;
    int position = 0;
    QString task;
    QStringList upstream;
    RunState state = RunState::Pending;
    int attempts = 0;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    qint64 progressDone = -1;
    qint64 progressTotal = -1;
    QString message;
    // A Completed task's result as text (TaskOutput: outputText()); null when it has none.
    QString output;
    QString messageKey; // Message::key() of message; empty for plain or older text
};

struct TransitionRecord
{
    qint64 runId = 0;
    QString task; // empty: the flow run itself
    RunState state = RunState::Pending;
    int attempt = 0;
    qint64 atMs = 0;
    QString message;
    QString messageKey = {}; // Message::key() of message; empty for plain or older text
};

struct LogRecord
{
    qint64 runId = 0;
    QString task;
    int attempt = 0;
    LogLevel level = LogLevel::Info;
    qint64 atMs = 0;
    QString text;
    QString textKey = {}; // Message::key() of text; empty for plain or older text
};

// Which runs RunStore::runs() returns, newest first.
struct RunQuery
{
    QString flow; // empty: every flow
    QList<RunState> states; // empty: every state
    int limit = 100; // <= 0: no limit
};

} // namespace Sluice

Q_DECLARE_METATYPE(Sluice::FlowRunRecord)
