#pragma once

// The tasks of one run: state (colour, icon), attempt, start, duration, progress and message.
// Loaded from the run history, then kept live by the engine's task and progress events for
// that run. GUI thread.

#include <QList>
#include <QTimer>

#include "engine/runevents.h"
#include "engine/runrecords.h"
#include "models/columntablemodel.h"

namespace Sluice {

class TaskTableModel : public ColumnTableModel
{
    Q_OBJECT

public:
    enum Column { Task, State, Attempt, Started, Duration, Progress, Message, ColumnCount };
    // Progress as a fraction 0..1, or an invalid QVariant when the task reports none.
    static constexpr int ProgressRole = Qt::UserRole + 1;

    explicit TaskTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    qint64 runId() const { return m_runId; }
    // Shows the run (no tasks until setTasks or a RunStartedEvent); 0 shows nothing.
    void setRun(qint64 runId);
    void setTasks(const QList<TaskRunRecord> &tasks);
    RunState state(int row) const;
    // The task of a row, 0 <= row < rowCount().
    const TaskRunRecord &task(int row) const { return m_tasks.at(row); }
    int rowOf(const QString &task) const;

public Q_SLOTS:
    void onRunStarted(const Sluice::RunStartedEvent &event);
    void onTaskStateChanged(const Sluice::TaskStateEvent &event);
    void onProgressed(const Sluice::ProgressEvent &event);

protected:
    QStringList columnTitles() const override;

private:
    void changed(int row);

    qint64 m_runId = 0;
    QList<TaskRunRecord> m_tasks;
    QTimer m_tick;
};

} // namespace Sluice
