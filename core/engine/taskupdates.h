#pragma once

// What a batch of events does to each task run, folded into one update a task, so that a run
// history writer issues one UPDATE per task per batch however many events it had. Shared by
// the writers of runs.sqlite and of a fleet's PostgreSQL store.

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPair>
#include <QString>

#include "engine/runevents.h"

namespace Sluice {

struct TaskUpdate
{
    RunState state = RunState::Pending;
    bool hasState = false;
    int attempt = 0;
    qint64 startedMs = 0; // 0: unchanged
    qint64 finishedMs = 0; // 0: unchanged
    QString message;
    QString messageKey; // null: none
    qint64 done = -1; // < 0: unchanged
    qint64 total = -1;
    QString output; // null: none
};

class TaskUpdates
{
public:
    using Key = QPair<qint64, int>; // (run, task position)

    void add(const TaskStateEvent &event)
    {
        TaskUpdate &update = m_updates[{ event.runId, event.taskIndex }];
        update.state = event.state;
        update.hasState = true;
        update.attempt = event.attempt;
        update.message = event.message;
        update.messageKey = event.messageKey;
        update.output = event.output;
        if (event.state == RunState::Running && update.startedMs == 0)
            update.startedMs = event.atMs;
        if (isFinal(event.state))
            update.finishedMs = event.atMs;
    }
    void add(const ProgressEvent &event)
    {
        TaskUpdate &update = m_updates[{ event.runId, event.taskIndex }];
        update.done = event.done;
        update.total = event.total;
    }
    const QHash<Key, TaskUpdate> &all() const { return m_updates; }
    void clear() { m_updates.clear(); }

private:
    QHash<Key, TaskUpdate> m_updates;
};

// A task's upstream names as task_runs.upstream stores them: a JSON array.
inline QString upstreamText(const QStringList &names)
{
    if (names.isEmpty())
        return QStringLiteral("[]");
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(names)).toJson(QJsonDocument::Compact));
}

} // namespace Sluice
