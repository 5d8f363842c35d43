#include "models/runtablemodel.h"

#include <QDateTime>

#include "engine/displaytext.h"
#include "engine/message.h"
#include "models/statestyle.h"

namespace Sluice {

RunTableModel::RunTableModel(QObject *parent)
    : ColumnTableModel(parent)
{
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        for (int row = 0; row < m_runs.size(); ++row) {
            if (!isFinal(m_runs.at(row).state))
                Q_EMIT dataChanged(index(row, Duration), index(row, Duration));
        }
    });
    m_tick.start();
}

int RunTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

QVariant RunTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_runs.size())
        return {};
    const FlowRunRecord &run = m_runs.at(index.row());
    if (role == RunIdRole)
        return run.id;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Id:
            return run.id;
        case Flow:
            return run.flow;
        case State:
            return stateText(run.state);
        case Trigger:
            return triggerText(run.trigger);
        case Started:
            return StateStyle::time(run.startedMs > 0 ? run.startedMs : run.createdMs);
        case Duration:
            if (run.startedMs <= 0)
                return QString();
            return StateStyle::duration(
                (isFinal(run.state) ? run.finishedMs : QDateTime::currentMSecsSinceEpoch())
                - run.startedMs);
        case Message: {
            const QString message = Sluice::Message::shown(run.message, run.messageKey);
            return escapeControls(
                run.failedTask.isEmpty() ? message : tr("%1: %2").arg(run.failedTask, message));
        }
        }
    } else if (role == Qt::DecorationRole && index.column() == State) {
        return StateStyle::icon(run.state);
    } else if (role == Qt::ForegroundRole && index.column() == State) {
        return StateStyle::color(run.state);
    } else if (role == Qt::ToolTipRole && index.column() == Message) {
        return escapeControls(Sluice::Message::shown(run.message, run.messageKey));
    } else if (role == Qt::TextAlignmentRole
        && (index.column() == Id || index.column() == Duration)) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QStringList RunTableModel::columnTitles() const
{
    // In the order of enum Column.
    return { tr("Run"), tr("Flow"), tr("State"), tr("Trigger"), tr("Started"), tr("Duration"),
        tr("Message") };
}

void RunTableModel::setRuns(const QList<FlowRunRecord> &runs)
{
    beginResetModel();
    // Live runs that the answer does not know yet (it was read a moment ago) stay.
    QList<FlowRunRecord> merged;
    const qint64 newestLoaded = runs.isEmpty() ? 0 : runs.first().id;
    for (const FlowRunRecord &run : std::as_const(m_runs)) {
        if (run.id > newestLoaded && !isFinal(run.state))
            merged << run;
    }
    merged << runs;
    m_runs = merged;
    endResetModel();
}

int RunTableModel::rowOf(qint64 runId) const
{
    for (int row = 0; row < m_runs.size(); ++row) {
        if (m_runs.at(row).id == runId)
            return row;
    }
    return -1;
}

qint64 RunTableModel::runId(int row) const
{
    return row >= 0 && row < m_runs.size() ? m_runs.at(row).id : 0;
}

const FlowRunRecord *RunTableModel::record(qint64 runId) const
{
    const int row = rowOf(runId);
    return row < 0 ? nullptr : &m_runs.at(row);
}

bool RunTableModel::accepts(const QString &flow, RunState state) const
{
    return (m_filter.flow.isEmpty() || m_filter.flow == flow)
        && (m_filter.states.isEmpty() || m_filter.states.contains(state));
}

void RunTableModel::onRunStarted(const RunStartedEvent &event)
{
    if (rowOf(event.runId) >= 0 || !accepts(event.flow, RunState::Running))
        return;
    const FlowRunRecord run = startedRecord(event);
    beginInsertRows({}, 0, 0);
    m_runs.prepend(run);
    endInsertRows();
}

void RunTableModel::onRunFinished(const RunFinishedEvent &event)
{
    int row = rowOf(event.runId);
    if (row < 0) {
        // A skipped trigger never started: it joins the history here.
        if (!accepts(event.flow, event.state))
            return;
        FlowRunRecord run;
        applyFinish(run, event);
        beginInsertRows({}, 0, 0);
        m_runs.prepend(run);
        endInsertRows();
        row = 0;
    }
    applyFinish(m_runs[row], event);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace Sluice
