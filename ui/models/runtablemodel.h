#pragma once

// The run history as a table, newest first: id, flow, state (colour, icon), trigger, start,
// duration and message. Filled from RunHistory answers and kept live by the engine's events;
// a filter (flow, states) decides which live runs join. GUI thread.

#include <QList>
#include <QTimer>

#include "engine/runevents.h"
#include "engine/runrecords.h"
#include "models/columntablemodel.h"

namespace Sluice {

class RunTableModel : public ColumnTableModel
{
    Q_OBJECT

public:
    enum Column { Id, Flow, State, Trigger, Started, Duration, Message, ColumnCount };
    static constexpr int RunIdRole = Qt::UserRole + 1;

    explicit RunTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setFilter(const RunQuery &query) { m_filter = query; }
    const RunQuery &filter() const { return m_filter; }
    void setRuns(const QList<FlowRunRecord> &runs);
    int rowOf(qint64 runId) const;
    qint64 runId(int row) const;
    const FlowRunRecord *record(qint64 runId) const;

public Q_SLOTS:
    void onRunStarted(const Sluice::RunStartedEvent &event);
    void onRunFinished(const Sluice::RunFinishedEvent &event);

protected:
    QStringList columnTitles() const override;

private:
    bool accepts(const QString &flow, RunState state) const;

    RunQuery m_filter;
    QList<FlowRunRecord> m_runs;
    QTimer m_tick; // durations of running runs
};

} // namespace Sluice
