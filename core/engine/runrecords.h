#pragma once

// Rows of the run history as RunStore reads them back: flow runs, task runs, transitions and
// log lines. Plain values; times are milliseconds since the Unix epoch (UTC), 0 when unknown.

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
};

struct TransitionRecord
{
    qint64 runId = 0;
    QString task; // empty: the flow run itself
    RunState state = RunState::Pending;
    int attempt = 0;
    qint64 atMs = 0;
    QString message;
};

struct LogRecord
{
    qint64 runId = 0;
    QString task;
    int attempt = 0;
    LogLevel level = LogLevel::Info;
    qint64 atMs = 0;
    QString text;
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
