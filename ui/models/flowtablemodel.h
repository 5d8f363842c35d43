#pragma once

// The flows of the registry as a table (the flow files that cannot run last, their error as the
// description): name, description, schedule in words and as an expression, next fire time,
// last run (state, colour, icon) and its duration. Fed by the schedules, the run history's
// last runs and the engine's live events; holds no SQL. GUI thread.

#include <memory>
#include <vector>

#include <QHash>
#include <QMap>
#include <QTimer>

#include "engine/flowregistry.h"
#include "engine/runevents.h"
#include "engine/runrecords.h"
#include "models/columntablemodel.h"
#include "schedule/schedule.h"

namespace Sluice {

class FlowTableModel : public ColumnTableModel
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Description,
        ScheduleWords,
        Expression,
        NextRun,
        LastRun,
        Duration,
        ColumnCount
    };
    static constexpr int FlowNameRole = Qt::UserRole + 1;

    explicit FlowTableModel(const FlowRegistry &registry, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    QString flowName(int row) const;
    int rowOf(const QString &flow) const;
    bool hasParameters(const QString &flow) const;
    // The flow of a row that can run (null for an invalid file).
    std::shared_ptr<const Flow> flow(const QString &flow) const;
    // The invalid flow file of that name, if the row is one.
    std::optional<BrokenFlow> brokenFlow(const QString &flow) const;
    // The file a flow was loaded from (a valid or invalid flow file); empty for a built-in.
    QString sourcePath(const QString &flow) const;
    Schedule schedule(const QString &flow) const { return m_schedules.value(flow); }
    // The run in progress of the flow, 0 when none.
    qint64 activeRun(const QString &flow) const { return m_active.value(flow); }
    // Whether a run of the flow waits for its row in the run history (e.g. while another
    // process holds runs.sqlite locked).
    bool isQueued(const QString &flow) const;
    // The latest run known (running or finished), 0 when none.
    qint64 latestRun(const QString &flow) const;

    void setSchedules(const QMap<QString, Schedule> &schedules);
    void setLastRuns(const QHash<QString, FlowRunRecord> &runs);

public Q_SLOTS:
    // Takes the registry's flows again (after the flow files were reloaded).
    void reloadFlows();
    void onRunQueued(const Sluice::RunQueuedEvent &event);
    void onRunStartFailed(const Sluice::RunStartFailedEvent &event);
    void onRunStarted(const Sluice::RunStartedEvent &event);
    void onRunFinished(const Sluice::RunFinishedEvent &event);

protected:
    QStringList columnTitles() const override;

private:
    void refreshColumn(int column);
    void dequeue(qint64 ticket);
    void refreshFlow(const QString &flow);

    const FlowRegistry &m_registry;
    std::vector<std::shared_ptr<const Flow>> m_flows; // the rows: a snapshot of the registry,
    QList<BrokenFlow> m_broken; // then the flow files that cannot run
    QMap<QString, Schedule> m_schedules;
    QHash<QString, FlowRunRecord> m_last;
    QHash<QString, qint64> m_active; // flow -> run id in progress
    QHash<qint64, QString> m_queued; // ticket -> flow of the runs waiting for their row
    QTimer m_tick; // next fire and running durations
};

} // namespace Sluice
