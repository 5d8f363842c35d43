#include "models/flowtablemodel.h"

#include <QApplication>
#include <QDateTime>
#include <QStyle>

#include "engine/displaytext.h"
#include "engine/flowregistry.h"
#include "engine/message.h"
#include "models/statestyle.h"

namespace Sluice {

FlowTableModel::FlowTableModel(const FlowRegistry &registry, QObject *parent)
    : ColumnTableModel(parent)
    , m_registry(registry)
    , m_flows(registry.flows())
    , m_broken(registry.brokenFlows())
{
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        refreshColumn(NextRun);
        if (!m_active.isEmpty())
            refreshColumn(Duration);
    });
    m_tick.start();
}

int FlowTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_flows.size()) + int(m_broken.size());
}

void FlowTableModel::reloadFlows()
{
    beginResetModel();
    const std::shared_ptr<const FlowRegistry::Snapshot> flows = m_registry.snapshot();
    m_flows = flows->flows;
    m_broken = flows->broken;
    endResetModel();
}

QString FlowTableModel::flowName(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    if (std::size_t(row) >= m_flows.size())
        return m_broken.at(row - qsizetype(m_flows.size())).name;
    return m_flows[std::size_t(row)]->name();
}

int FlowTableModel::rowOf(const QString &flow) const
{
    for (int row = 0; row < rowCount(); ++row) {
        if (flowName(row) == flow)
            return row;
    }
    return -1;
}

bool FlowTableModel::hasParameters(const QString &flow) const
{
    const auto found = m_registry.flow(flow);
    return found && !found->parameters().isEmpty();
}

std::shared_ptr<const Flow> FlowTableModel::flow(const QString &flow) const
{
    for (const auto &shown : m_flows) {
        if (shown->name() == flow)
            return shown;
    }
    return {};
}

std::optional<BrokenFlow> FlowTableModel::brokenFlow(const QString &flow) const
{
    for (const BrokenFlow &file : m_broken) {
        if (file.name == flow)
            return file;
    }
    return std::nullopt;
}

QString FlowTableModel::sourcePath(const QString &flow) const
{
    if (const auto shown = this->flow(flow))
        return shown->sourcePath();
    const std::optional<BrokenFlow> file = brokenFlow(flow);
    return file ? file->path : QString();
}

qint64 FlowTableModel::latestRun(const QString &flow) const
{
    if (const qint64 active = m_active.value(flow))
        return active;
    return m_last.value(flow).id;
}

QVariant FlowTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    // A flow file that cannot run is a row too, its error in place of a description.
    const qsizetype brokenRow = index.row() - qsizetype(m_flows.size());
    const bool broken = brokenRow >= 0;
    const QString name = flowName(index.row());
    // The message starts with the file's path ("PATH:4:5: error: ..."): the cell shows what
    // follows it, so that the error fits; the tooltip has it whole.
    QString problem;
    if (broken) {
        const BrokenFlow &file = m_broken.at(brokenRow);
        problem = file.error.message();
        if (!file.path.isEmpty() && problem.startsWith(file.path + QLatin1Char(':')))
            problem = problem.mid(file.path.size() + 1);
        problem = escapeControls(problem);
    }
    const QString description = broken ? tr("Invalid file: %1").arg(problem)
                                       : m_flows[std::size_t(index.row())]->description();
    if (role == FlowNameRole)
        return name;
    const Schedule schedule = m_schedules.value(name);
    const bool running = m_active.contains(name);
    const bool queued = !running && isQueued(name);
    const auto last = m_last.constFind(name);
    const bool hasLast = last != m_last.cend();
    const RunState state = running ? RunState::Running
        : queued                   ? RunState::Scheduled
        : hasLast                  ? last->state
                                   : RunState::Scheduled;

    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name:
            return name;
        case Description:
            return description;
        case ScheduleWords:
            if (!schedule.isValid())
                return tr("Not scheduled");
            return schedule.isPaused() ? tr("%1 (paused)").arg(schedule.describe())
                                       : schedule.describe();
        case Expression:
            return schedule.isValid() ? schedule.expressionText() : QString();
        case NextRun: {
            if (!schedule.isValid())
                return QString();
            if (schedule.isPaused())
                return tr("Paused");
            const Result<QDateTime> next = schedule.nextFireTime(QDateTime::currentDateTimeUtc());
            return next ? StateStyle::time(next->toMSecsSinceEpoch()) : QString();
        }
        case LastRun:
            if (queued)
                return tr("Queued");
            if (!running && !hasLast)
                return tr("Never run");
            return stateText(state);
        case Duration:
            if (running && hasLast && last->id == m_active.value(name) && last->startedMs > 0)
                return StateStyle::duration(QDateTime::currentMSecsSinceEpoch() - last->startedMs);
            if (!running && hasLast && last->startedMs > 0 && last->finishedMs >= last->startedMs)
                return StateStyle::duration(last->finishedMs - last->startedMs);
            return QString();
        }
    } else if (role == Qt::DecorationRole && index.column() == Name && broken) {
        return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    } else if (role == Qt::DecorationRole && index.column() == LastRun) {
        if (running || queued || hasLast)
            return StateStyle::icon(state);
    } else if (role == Qt::ForegroundRole && index.column() == LastRun) {
        if (running || queued || hasLast)
            return StateStyle::color(state);
    } else if (role == Qt::ToolTipRole) {
        if (index.column() == LastRun && queued)
            return tr("Waiting to be recorded in the run history (runs.sqlite); another program "
                      "may hold it locked");
        if (index.column() == LastRun && hasLast && !last->message.isEmpty())
            return escapeControls(Message::shown(last->message, last->messageKey));
        if (index.column() == ScheduleWords && schedule.isValid())
            return schedule.toText();
        if (broken)
            return escapeControls(m_broken.at(brokenRow).error.message());
        return description;
    } else if (role == Qt::ForegroundRole && index.column() == Description && broken) {
        return StateStyle::color(RunState::Failed);
    }
    return {};
}

QStringList FlowTableModel::columnTitles() const
{
    // In the order of enum Column.
    return { tr("Flow"), tr("Description"), tr("Schedule"), tr("Cron / interval"), tr("Next run"),
        tr("Last run"), tr("Duration") };
}

void FlowTableModel::setSchedules(const QMap<QString, Schedule> &schedules)
{
    m_schedules = schedules;
    refreshColumn(ScheduleWords);
    refreshColumn(Expression);
    refreshColumn(NextRun);
}

void FlowTableModel::setLastRuns(const QHash<QString, FlowRunRecord> &runs)
{
    for (auto it = runs.cbegin(); it != runs.cend(); ++it) {
        // A live event may already have told of a newer run.
        if (m_last.value(it.key()).id <= it->id)
            m_last.insert(it.key(), *it);
    }
    refreshColumn(LastRun);
    refreshColumn(Duration);
}

bool FlowTableModel::isQueued(const QString &flow) const
{
    for (const QString &queued : m_queued) {
        if (queued == flow)
            return true;
    }
    return false;
}

void FlowTableModel::onRunQueued(const RunQueuedEvent &event)
{
    m_queued.insert(event.ticket, event.flow);
    refreshFlow(event.flow);
}

void FlowTableModel::onRunStartFailed(const RunStartFailedEvent &event)
{
    dequeue(event.ticket);
}

void FlowTableModel::dequeue(qint64 ticket)
{
    const QString flow = m_queued.take(ticket);
    if (!flow.isEmpty())
        refreshFlow(flow);
}

void FlowTableModel::refreshFlow(const QString &flow)
{
    const int row = rowOf(flow);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void FlowTableModel::onRunStarted(const RunStartedEvent &event)
{
    m_queued.remove(event.ticket);
    m_active.insert(event.flow, event.runId);
    m_last.insert(event.flow, startedRecord(event));
    const int row = rowOf(event.flow);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void FlowTableModel::onRunFinished(const RunFinishedEvent &event)
{
    m_queued.remove(event.ticket);
    if (m_active.value(event.flow) == event.runId)
        m_active.remove(event.flow);
    FlowRunRecord record;
    applyFinish(record, event);
    // A skipped trigger does not hide the run that goes on.
    if (event.state != RunState::Skipped || !m_active.contains(event.flow))
        m_last.insert(event.flow, record);
    const int row = rowOf(event.flow);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void FlowTableModel::refreshColumn(int column)
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, column), index(rowCount() - 1, column));
}

} // namespace Sluice
