#include "models/tasktablemodel.h"

#include <QDateTime>
#include <QLocale>

#include "engine/displaytext.h"
#include "engine/message.h"
#include "models/statestyle.h"

namespace Sluice {

TaskTableModel::TaskTableModel(QObject *parent)
    : ColumnTableModel(parent)
{
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        for (int row = 0; row < m_tasks.size(); ++row) {
            if (m_tasks.at(row).state == RunState::Running)
                Q_EMIT dataChanged(index(row, Duration), index(row, Duration));
        }
    });
    m_tick.start();
}

int TaskTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tasks.size());
}

QVariant TaskTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_tasks.size())
        return {};
    const TaskRunRecord &task = m_tasks.at(index.row());
    const bool hasProgress = task.progressTotal > 0 && task.progressDone >= 0;
    if (role == ProgressRole) {
        if (!hasProgress)
            return {};
        return qBound(0.0, double(task.progressDone) / double(task.progressTotal), 1.0);
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Task:
            return task.task;
        case State:
            return stateText(task.state);
        case Attempt:
            return task.attempts > 0 ? QVariant(task.attempts) : QVariant();
        case Started:
            return task.startedMs > 0 ? QDateTime::fromMSecsSinceEpoch(task.startedMs)
                                            .toString(QStringLiteral("HH:mm:ss"))
                                      : QString();
        case Duration: {
            if (task.startedMs <= 0)
                return QString();
            const qint64 end = task.finishedMs >= task.startedMs && isFinal(task.state)
                ? task.finishedMs
                : QDateTime::currentMSecsSinceEpoch();
            return StateStyle::duration(end - task.startedMs);
        }
        case Progress:
            if (!hasProgress)
                return QString();
            return tr("%1 of %2")
                .arg(QLocale().toString(task.progressDone), QLocale().toString(task.progressTotal));
        case Message:
            return escapeControls(Sluice::Message::shown(task.message, task.messageKey));
        }
    } else if (role == Qt::DecorationRole && index.column() == State) {
        return StateStyle::icon(task.state);
    } else if (role == Qt::ForegroundRole && index.column() == State) {
        return StateStyle::color(task.state);
    } else if (role == Qt::ToolTipRole) {
        if (index.column() == Started)
            return StateStyle::time(task.startedMs);
        // The message on the whole row: its own column is often scrolled out of sight.
        const QString message =
            escapeControls(Sluice::Message::shown(task.message, task.messageKey));
        if (index.column() == Task && !task.upstream.isEmpty()) {
            const QString after = task.upstream.join(QStringLiteral(", "));
            return message.isEmpty() ? tr("After: %1").arg(after)
                                     : tr("%1\nAfter: %2").arg(message, after);
        }
        if (!message.isEmpty())
            return message;
    }
    return {};
}

QStringList TaskTableModel::columnTitles() const
{
    // In the order of enum Column.
    return { tr("Task"), tr("State"), tr("Attempt"), tr("Started"), tr("Duration"), tr("Progress"),
        tr("Message") };
}

void TaskTableModel::setRun(qint64 runId)
{
    beginResetModel();
    m_runId = runId;
    m_tasks.clear();
    endResetModel();
}

void TaskTableModel::setTasks(const QList<TaskRunRecord> &tasks)
{
    beginResetModel();
    m_tasks = tasks;
    endResetModel();
}

RunState TaskTableModel::state(int row) const
{
    return row >= 0 && row < m_tasks.size() ? m_tasks.at(row).state : RunState::Pending;
}

int TaskTableModel::rowOf(const QString &task) const
{
    for (int row = 0; row < m_tasks.size(); ++row) {
        if (m_tasks.at(row).task == task)
            return row;
    }
    return -1;
}

void TaskTableModel::changed(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void TaskTableModel::onRunStarted(const RunStartedEvent &event)
{
    if (event.runId != m_runId || !m_tasks.isEmpty())
        return;
    QList<TaskRunRecord> tasks;
    for (int i = 0; i < event.tasks.size(); ++i) {
        TaskRunRecord task;
        task.runId = event.runId;
        task.position = i;
        task.task = event.tasks.at(i);
        task.upstream = event.upstream.value(i);
        tasks << task;
    }
    setTasks(tasks);
}

void TaskTableModel::onTaskStateChanged(const TaskStateEvent &event)
{
    if (event.runId != m_runId)
        return;
    const int row = rowOf(event.task);
    if (row < 0)
        return;
    TaskRunRecord &task = m_tasks[row];
    task.state = event.state;
    task.attempts = qMax(task.attempts, event.attempt);
    if (event.state == RunState::Running && (task.startedMs <= 0 || event.attempt > 1))
        task.startedMs = event.atMs;
    if (isFinal(event.state))
        task.finishedMs = event.atMs;
    task.message = event.message;
    task.messageKey = event.messageKey;
    changed(row);
}

void TaskTableModel::onProgressed(const ProgressEvent &event)
{
    if (event.runId != m_runId)
        return;
    const int row = rowOf(event.task);
    if (row < 0)
        return;
    m_tasks[row].progressDone = event.done;
    m_tasks[row].progressTotal = event.total;
    Q_EMIT dataChanged(index(row, Progress), index(row, Progress));
}

} // namespace Sluice
