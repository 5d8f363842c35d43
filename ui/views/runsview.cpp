#include "views/runsview.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include "engine/displaytext.h"
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "graph/flowgraph.h"
#include "graph/flowgraphview.h"
#include "models/logfiltermodel.h"
#include "models/logmodel.h"
#include "models/runtablemodel.h"
#include "models/tasktablemodel.h"
#include "widgets/emptystate.h"
#include "widgets/progressdelegate.h"

namespace Sluice {

namespace {
    constexpr RunState FilterStates[] = { RunState::Running, RunState::Completed, RunState::Failed,
        RunState::Cancelled, RunState::TimedOut, RunState::Skipped, RunState::Crashed };
}

RunsView::RunsView(RunHistory *history, Engine *engine, const QStringList &flows, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_engine(engine)
    , m_runs(new RunTableModel(this))
    , m_tasks(new TaskTableModel(this))
    , m_log(new LogModel(this))
    , m_logFilter(new LogFilterModel(this))
    , m_flowFilter(new QComboBox)
    , m_stateFilter(new QComboBox)
    , m_runTable(new QTableView)
    , m_taskView(new QTreeView)
    , m_logView(new QTreeView)
    , m_level(new QComboBox)
    , m_search(new QLineEdit)
    , m_follow(new QCheckBox(tr("&Follow")))
{
    // History and its filters.
    m_flowFilter->setObjectName(QStringLiteral("flowFilter"));
    setFlows(flows);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateFilter->addItem(tr("All states"), -1);
    for (const RunState state : FilterStates)
        m_stateFilter->addItem(stateText(state), int(state));
    auto *reload = new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), tr("Re&load"));
    auto *filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Flow:")));
    filters->addWidget(m_flowFilter);
    filters->addWidget(new QLabel(tr("State:")));
    filters->addWidget(m_stateFilter);
    filters->addWidget(reload);
    filters->addStretch();

    m_runTable->setObjectName(QStringLiteral("runsTable"));
    m_runTable->setModel(m_runs);
    m_runTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runTable->setWordWrap(false);
    m_runTable->verticalHeader()->hide();
    m_runTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_runTable->horizontalHeader()->setStretchLastSection(true);
    m_runTable->setColumnWidth(RunTableModel::Id, 60);
    m_runTable->setColumnWidth(RunTableModel::State, 110);
    m_runTable->setColumnWidth(RunTableModel::Started, 150);
    m_empty = new EmptyState(m_runTable, tr("No runs yet"),
        tr("Run a flow from the Flows area; its runs, tasks and log appear here."));
    m_empty->setModel(m_runs);
    m_empty->setAction(tr("Go to Flows"));
    connect(m_empty, &EmptyState::actionTriggered, this, [this] { Q_EMIT flowRequested({}); });

    auto *historyPane = new QWidget;
    auto *historyLayout = new QVBoxLayout(historyPane);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addLayout(filters);
    historyLayout->addWidget(m_empty);

    // Tasks of the shown run.
    m_taskView->setObjectName(QStringLiteral("taskView"));
    m_taskView->setModel(m_tasks);
    m_taskView->setRootIsDecorated(false);
    m_taskView->setUniformRowHeights(true);
    m_taskView->setItemDelegateForColumn(
        TaskTableModel::Progress, new ProgressDelegate(TaskTableModel::ProgressRole, m_taskView));
    m_taskView->header()->resizeSection(TaskTableModel::Task, 120);
    m_taskView->header()->resizeSection(TaskTableModel::State, 100);
    m_taskView->header()->resizeSection(TaskTableModel::Attempt, 60);
    m_taskView->header()->resizeSection(TaskTableModel::Started, 70);
    m_taskView->header()->resizeSection(TaskTableModel::Duration, 60);
    m_taskView->header()->resizeSection(TaskTableModel::Progress, 110);

    auto *details = new QSplitter(Qt::Horizontal);
    details->addWidget(createTaskTabs());
    details->addWidget(createLogPane());
    details->setSizes({ 520, 560 });

    auto *split = new QSplitter(Qt::Vertical);
    split->setObjectName(QStringLiteral("runsSplitter"));
    split->addWidget(historyPane);
    split->addWidget(details);
    split->setSizes({ 280, 380 });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(reload, &QPushButton::clicked, this, &RunsView::refresh);
    connect(m_flowFilter, &QComboBox::currentIndexChanged, this, &RunsView::refresh);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, &RunsView::refresh);
    connect(m_runTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            const qint64 id = m_runs->runId(current.row());
            if (id != 0 && id != m_shownRun)
                showRun(id);
        });
    connect(m_runs, &QAbstractItemModel::rowsInserted, this, &RunsView::selectShownRun);
    connect(m_runs, &QAbstractItemModel::modelReset, this, &RunsView::selectShownRun);

    if (m_history) {
        connect(m_history, &RunHistory::runsLoaded, this, &RunsView::onRunsLoaded);
        connect(m_history, &RunHistory::detailsLoaded, this, &RunsView::onDetailsLoaded);
        connect(m_history, &RunHistory::failed, this, [this](quint64 token, const QString &m) {
            if (token == m_detailsToken)
                m_waitingForDetails = false;
            if (token == m_runsToken)
                Q_EMIT messageShown(tr("Could not read the run history: %1").arg(m));
            qWarning("run history: %s", qPrintable(m));
            m_empty->setToolTip(escapeControls(m));
        });
    }
    if (m_engine) {
        connect(m_engine, &Engine::runStarted, m_runs, &RunTableModel::onRunStarted);
        connect(m_engine, &Engine::runFinished, m_runs, &RunTableModel::onRunFinished);
        connect(m_engine, &Engine::runStarted, this, &RunsView::onRunStartedEvent);
        connect(m_engine, &Engine::taskStateChanged, this, &RunsView::onTaskEvent);
        connect(m_engine, &Engine::progressed, this, &RunsView::onProgressEvent);
        connect(m_engine, &Engine::logLine, m_log, &LogModel::onLogLine);
    }
    refresh();
}

QWidget *RunsView::createLogPane()
{
    m_logFilter->setSourceModel(m_log);
    m_logView->setObjectName(QStringLiteral("logView"));
    m_logView->setModel(m_logFilter);
    m_logView->setRootIsDecorated(false);
    m_logView->setUniformRowHeights(true);
    m_logView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_logView->header()->resizeSection(LogModel::Time, 100);
    m_logView->header()->resizeSection(LogModel::Level, 70);
    m_logView->header()->resizeSection(LogModel::Task, 90);

    m_level->setObjectName(QStringLiteral("logLevel"));
    m_level->addItem(tr("All levels"), int(LogLevel::Info));
    m_level->addItem(tr("Warnings and errors"), int(LogLevel::Warning));
    m_level->addItem(tr("Errors only"), int(LogLevel::Error));
    m_search->setObjectName(QStringLiteral("logSearch"));
    m_search->setPlaceholderText(tr("Search the log"));
    m_search->setClearButtonEnabled(true);
    m_follow->setObjectName(QStringLiteral("followTail"));
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest line in view"));
    auto *copy = new QPushButton(tr("&Copy"));
    copy->setObjectName(QStringLiteral("copyLog"));
    copy->setToolTip(tr("Copy the selected lines, or every shown line when none is selected"));

    m_stepChip = new QToolButton;
    m_stepChip->setObjectName(QStringLiteral("logStepFilter"));
    m_stepChip->setToolTip(tr("Only this step's lines are shown; click to show every step's"));
    m_stepChip->setAutoRaise(false);
    m_stepChip->hide();

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_level);
    bar->addWidget(m_stepChip);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_follow);
    bar->addWidget(copy);

    auto *pane = new QWidget;
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_logView);

    connect(m_level, &QComboBox::currentIndexChanged, this,
        [this] { m_logFilter->setMinimumLevel(LogLevel(m_level->currentData().toInt())); });
    connect(m_search, &QLineEdit::textChanged, m_logFilter, &LogFilterModel::setSearchText);
    connect(copy, &QPushButton::clicked, this, &RunsView::copyLog);
    connect(m_stepChip, &QToolButton::clicked, this, [this] { setLogStep(QString()); });
    auto *copyShortcut = new QShortcut(QKeySequence::Copy, m_logView);
    copyShortcut->setContext(Qt::WidgetShortcut);
    connect(copyShortcut, &QShortcut::activated, this, &RunsView::copyLog);
    connect(m_log, &LogModel::linesAppended, this, [this] {
        if (m_follow->isChecked())
            m_logView->scrollToBottom();
    });
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            m_logView->scrollToBottom();
    });
    // Scrolling up to read stops following; scrolling back to the end follows again.
    connect(m_logView->verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] {
        QScrollBar *bar = m_logView->verticalScrollBar();
        m_follow->setChecked(bar->sliderPosition() >= bar->maximum());
    });
    return pane;
}

QWidget *RunsView::createTaskTabs()
{
    m_graph = new FlowGraphView;
    m_graph->setObjectName(QStringLiteral("runGraph"));
    m_graph->setPlaceholderText(tr("Select a run to see its steps"));
    m_taskTabs = new QTabWidget;
    m_taskTabs->setObjectName(QStringLiteral("taskTabs"));
    m_taskTabs->setDocumentMode(true);
    m_taskTabs->addTab(m_taskView, tr("Tasks"));
    m_taskTabs->addTab(m_graph, tr("Graph"));

    connect(m_tasks, &QAbstractItemModel::modelReset, this, &RunsView::rebuildGraph);
    connect(m_tasks, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &first, const QModelIndex &last) {
            updateGraphStates(first.row(), last.row());
        });
    connect(m_graph, &FlowGraphView::taskClicked, this, &RunsView::setLogStep);
    return m_taskTabs;
}

// The graph of the shown run: its flow's, with step kinds, while the registry still has the
// flow with the same tasks; else the one its task records keep.
void RunsView::rebuildGraph()
{
    QList<TaskRunRecord> records;
    for (int row = 0; row < m_tasks->rowCount(); ++row)
        records << m_tasks->task(row);
    FlowGraph graph = FlowGraph::fromTasks(records);
    m_maxAttempts.clear();
    const auto flow = m_engine && !m_shownFlow.isEmpty() && !records.isEmpty()
        ? m_engine->registry().flow(m_shownFlow)
        : nullptr;
    if (flow && flow->taskCount() == records.size()) {
        FlowGraph fromFlow = FlowGraph::fromFlow(*flow);
        bool same = true;
        for (int i = 0; i < records.size() && same; ++i)
            same = fromFlow.nodes.at(i).id == graph.nodes.at(i).id
                && fromFlow.nodes.at(i).needs == graph.nodes.at(i).needs;
        if (same) {
            graph = fromFlow;
            for (int i = 0; i < flow->taskCount(); ++i)
                m_maxAttempts.insert(flow->task(i).name, flow->retryPolicyOf(i).retries + 1);
        }
    }
    m_graph->setGraph(graph); // the same graph again keeps the zoom
    m_graph->setPlaceholderText(
        m_shownRun == 0 ? tr("Select a run to see its steps") : tr("This run has no steps yet"));
    updateGraphStates(0, m_tasks->rowCount() - 1);
}

void RunsView::updateGraphStates(int first, int last)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int row = qMax(first, 0); row <= last && row < m_tasks->rowCount(); ++row) {
        const TaskRunRecord &task = m_tasks->task(row);
        qint64 duration = -1;
        if (task.startedMs > 0) {
            const bool ended = isFinal(task.state) && task.finishedMs >= task.startedMs;
            duration = (ended ? task.finishedMs : now) - task.startedMs;
        }
        m_graph->setTaskState(
            task.task, task.state, task.attempts, m_maxAttempts.value(task.task), duration);
    }
}

// Filters the log to one step's lines (empty: every step's) and shows it on the chip.
void RunsView::setLogStep(const QString &task)
{
    m_logFilter->setTaskFilter(task);
    m_graph->selectTask(task);
    m_stepChip->setText(tr("Step: %1  ✕").arg(escapeControls(task)));
    m_stepChip->setVisible(!task.isEmpty());
}

void RunsView::refresh()
{
    if (!m_history)
        return;
    RunQuery query;
    query.flow = m_flowFilter->currentData().toString();
    const int state = m_stateFilter->currentData().toInt();
    if (state >= 0)
        query.states = { RunState(state) };
    query.limit = 500;
    m_runs->setFilter(query);
    m_runsToken = m_history->requestRuns(query);
}

void RunsView::onRunsLoaded(quint64 token, const QList<FlowRunRecord> &runs)
{
    if (token == m_runsToken)
        m_runs->setRuns(runs);
}

void RunsView::selectShownRun()
{
    const int row = m_runs->rowOf(m_shownRun);
    if (row < 0)
        return;
    const QModelIndex current = m_runTable->selectionModel()->currentIndex();
    if (current.row() != row) {
        m_runTable->selectRow(row);
        m_runTable->scrollTo(m_runs->index(row, 0));
    }
}

void RunsView::setFlows(const QStringList &flows)
{
    const QString chosen = m_flowFilter->currentData().toString();
    const QSignalBlocker blocker(m_flowFilter);
    m_flowFilter->clear();
    m_flowFilter->addItem(tr("All flows"), QString());
    for (const QString &flow : flows)
        m_flowFilter->addItem(flow, flow);
    if (!chosen.isEmpty() && !flows.contains(chosen))
        m_flowFilter->addItem(chosen, chosen);
    m_flowFilter->setCurrentIndex(std::max(0, m_flowFilter->findData(chosen)));
}

void RunsView::showRun(qint64 runId)
{
    m_shownRun = runId;
    m_shownFlow.clear();
    m_queued.clear();
    setLogStep(QString());
    m_tasks->setRun(runId);
    m_log->setRun(runId);
    selectShownRun();
    if (!m_history)
        return;
    m_waitingForDetails = true;
    m_detailsToken = m_history->requestDetails(runId, LogHistoryLines);
}

void RunsView::onDetailsLoaded(quint64 token, const RunHistory::Details &details)
{
    if (token != m_detailsToken || details.runId != m_shownRun)
        return;
    m_waitingForDetails = false;
    if (details.run)
        m_shownFlow = details.run->flow;
    QList<TaskRunRecord> tasks = details.tasks;
    // A run just started may not have its task rows written yet: take them from the flow.
    if (tasks.isEmpty() && details.run && m_engine) {
        if (const auto flow = m_engine->registry().flow(details.run->flow)) {
            for (int i = 0; i < flow->taskCount(); ++i) {
                TaskRunRecord task;
                task.runId = details.runId;
                task.position = i;
                task.task = flow->task(i).name;
                task.upstream = flow->task(i).upstream;
                tasks << task;
            }
        }
    }
    m_tasks->setTasks(tasks);
    m_log->setHistory(details.log);
    const QList<RunEvent> queued = std::exchange(m_queued, {});
    for (const RunEvent &event : queued) {
        if (const auto *state = std::get_if<TaskStateEvent>(&event))
            m_tasks->onTaskStateChanged(*state);
        else if (const auto *progress = std::get_if<ProgressEvent>(&event))
            m_tasks->onProgressed(*progress);
        else if (const auto *started = std::get_if<RunStartedEvent>(&event))
            m_tasks->onRunStarted(*started);
    }
}

void RunsView::onRunStartedEvent(const RunStartedEvent &event)
{
    if (event.runId != m_shownRun)
        return;
    if (m_shownFlow.isEmpty())
        m_shownFlow = event.flow;
    if (m_waitingForDetails)
        m_queued << event;
    else
        m_tasks->onRunStarted(event);
}

void RunsView::onTaskEvent(const TaskStateEvent &event)
{
    if (event.runId != m_shownRun)
        return;
    if (m_waitingForDetails)
        m_queued << event;
    else
        m_tasks->onTaskStateChanged(event);
}

void RunsView::onProgressEvent(const ProgressEvent &event)
{
    if (event.runId != m_shownRun)
        return;
    if (m_waitingForDetails)
        m_queued << event;
    else
        m_tasks->onProgressed(event);
}

void RunsView::copyLog()
{
    QModelIndexList rows = m_logView->selectionModel()->selectedRows();
    QStringList lines;
    if (rows.isEmpty()) {
        for (int row = 0; row < m_logFilter->rowCount(); ++row)
            lines << m_log->lineText(m_logFilter->mapToSource(m_logFilter->index(row, 0)).row());
    } else {
        std::sort(rows.begin(), rows.end());
        for (const QModelIndex &index : std::as_const(rows))
            lines << m_log->lineText(m_logFilter->mapToSource(index).row());
    }
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

} // namespace Sluice
