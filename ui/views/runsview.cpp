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

#include "dialogs/definitiondialog.h"
#include "engine/displaytext.h"
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/retryoptions.h"
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

    auto *detailsPane = new QWidget;
    auto *detailsLayout = new QVBoxLayout(detailsPane);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(createRunBar());
    detailsLayout->addWidget(details, 1);

    auto *split = new QSplitter(Qt::Vertical);
    split->setObjectName(QStringLiteral("runsSplitter"));
    split->addWidget(historyPane);
    split->addWidget(detailsPane);
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
            if (token == m_retryToken) {
                m_retryToken = 0;
                Q_EMIT messageShown(tr("Could not read the run to retry: %1").arg(m));
                updateRunActions();
            }
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
        connect(m_engine, &Engine::runStarted, this,
            [this](const RunStartedEvent &event) { onRunCreated(event.ticket, event.runId); });
        connect(m_engine, &Engine::runFinished, this, [this](const RunFinishedEvent &event) {
            if (event.runId == m_shownRun && event.runId != 0) {
                // Kept for details still being read, which may predate the end.
                m_shownEndState = event.state;
                if (m_shownRecord)
                    m_shownRecord->state = event.state;
                updateRunActions();
            }
            onRunCreated(event.ticket, event.runId);
        });
        connect(m_engine, &Engine::runStartFailed, this, [this](const RunStartFailedEvent &event) {
            if (event.ticket != m_retryTicket)
                return;
            m_retryTicket = 0;
            Q_EMIT messageShown(
                tr("Could not start the retry: %1").arg(escapeControls(event.error.message())));
            updateRunActions();
        });
    }
    updateRunActions();
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

    // The message column is often past the pane's right edge: the error is told here too.
    m_taskDetail = new QLabel;
    m_taskDetail->setObjectName(QStringLiteral("taskDetail"));
    m_taskDetail->setTextFormat(Qt::PlainText);
    m_taskDetail->setWordWrap(true);
    m_taskDetail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_taskDetail->setFrameShape(QFrame::StyledPanel);
    m_taskDetail->setContentsMargins(4, 2, 4, 2);
    m_taskDetail->setMaximumHeight(fontMetrics().lineSpacing() * 6);
    m_taskDetail->hide();
    auto *pane = new QWidget;
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_taskTabs, 1);
    layout->addWidget(m_taskDetail);

    connect(m_tasks, &QAbstractItemModel::modelReset, this, &RunsView::rebuildGraph);
    connect(m_tasks, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &first, const QModelIndex &last) {
            updateGraphStates(first.row(), last.row());
        });
    connect(m_tasks, &QAbstractItemModel::modelReset, this, &RunsView::updateTaskDetail);
    connect(m_tasks, &QAbstractItemModel::dataChanged, this, &RunsView::updateTaskDetail);
    connect(m_taskView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &RunsView::updateTaskDetail);
    connect(m_graph, &FlowGraphView::taskClicked, this, &RunsView::setLogStep);
    return pane;
}

void RunsView::updateTaskDetail()
{
    const auto hasMessage = [this](int row) {
        return row >= 0 && row < m_tasks->rowCount()
            && !m_tasks->index(row, TaskTableModel::Message).data().toString().isEmpty();
    };
    int row = m_taskView->currentIndex().isValid() ? m_taskView->currentIndex().row() : -1;
    if (!hasMessage(row)) {
        row = -1;
        for (int i = 0; i < m_tasks->rowCount() && row < 0; ++i) {
            const RunState state = m_tasks->state(i);
            if ((state == RunState::Failed || state == RunState::TimedOut
                    || state == RunState::Crashed || state == RunState::Retrying)
                && hasMessage(i))
                row = i;
        }
    }
    if (row < 0) {
        m_taskDetail->clear();
        m_taskDetail->hide();
        return;
    }
    m_taskDetail->setText(tr("%1 (%2): %3")
                              .arg(m_tasks->index(row, TaskTableModel::Task).data().toString(),
                                  stateText(m_tasks->state(row)),
                                  m_tasks->index(row, TaskTableModel::Message).data().toString()));
    m_taskDetail->show();
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

QWidget *RunsView::createRunBar()
{
    m_definition = new QLabel;
    m_definition->setObjectName(QStringLiteral("runDefinition"));
    m_definition->setTextFormat(Qt::PlainText);
    m_definition->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_definition->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_retryFailed =
        new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), tr("Retry &failed steps"));
    m_retryFailed->setObjectName(QStringLiteral("retryFailed"));
    m_retryFailed->setToolTip(tr("A new run with the same parameters and time that reuses the "
                                 "steps that completed and runs the rest"));
    m_runAgain = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Run &again"));
    m_runAgain->setObjectName(QStringLiteral("runAgain"));
    m_runAgain->setToolTip(tr("A new run with the same parameters and time, every step anew"));
    m_showDefinition = new QPushButton(tr("Show &definition"));
    m_showDefinition->setObjectName(QStringLiteral("showDefinition"));
    m_showDefinition->setToolTip(tr("The flow file as this run used it, read-only"));

    auto *bar = new QWidget;
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_retryFailed);
    layout->addWidget(m_runAgain);
    layout->addSpacing(12);
    layout->addWidget(m_definition, 1);
    layout->addWidget(m_showDefinition);
    connect(m_retryFailed, &QPushButton::clicked, this, &RunsView::retryFailedSteps);
    connect(m_runAgain, &QPushButton::clicked, this, &RunsView::runAgain);
    connect(m_showDefinition, &QPushButton::clicked, this, &RunsView::showDefinition);
    return bar;
}

QString RunsView::definitionText() const
{
    if (!m_shownRecord)
        return {};
    const FlowRunRecord &run = *m_shownRecord;
    const QString time = QDateTime::fromMSecsSinceEpoch(run.timeMs, Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    if (run.definitionSha256.isEmpty())
        return tr("Run time %1 · built-in").arg(time);
    return tr("Run time %1 · definition %2 · %3")
        .arg(time, run.definitionSha256.left(12), run.sourcePath);
}

void RunsView::updateRunActions()
{
    const bool finished = m_shownRecord && isFinal(m_shownRecord->state);
    const bool flowExists =
        m_shownRecord && m_engine && m_engine->registry().flow(m_shownRecord->flow);
    const bool busy = m_retryToken != 0 || m_retryTicket != 0;
    m_retryFailed->setEnabled(finished && flowExists && !busy
        && RetryOptions::canRetryFailed(*m_shownRecord) && m_history);
    m_runAgain->setEnabled(finished && flowExists && !busy && m_history);
    const QString why = !m_shownRecord ? QString()
        : !flowExists ? tr("The flow %1 no longer exists.").arg(m_shownRecord->flow)
        : !finished   ? tr("The run has not ended yet.")
                      : QString();
    m_retryFailed->setStatusTip(why);
    m_runAgain->setStatusTip(why);
    m_showDefinition->setEnabled(m_shownRecord && !m_shownRecord->definition.isEmpty());
    m_definition->setText(escapeControls(definitionText()));
    // The whole path and hash, which the line may cut.
    m_definition->setToolTip(!m_shownRecord || m_shownRecord->definitionSha256.isEmpty()
            ? QString()
            : tr("%1\nSHA-256 %2")
                  .arg(escapeControls(m_shownRecord->sourcePath), m_shownRecord->definitionSha256));
}

void RunsView::retryFailedSteps()
{
    retry(false);
}

void RunsView::runAgain()
{
    retry(true);
}

void RunsView::retry(bool all)
{
    if (!m_shownRecord || !m_history || !m_engine || m_retryToken != 0 || m_retryTicket != 0)
        return;
    // The run's tasks as the history has them now: their final states and outputs.
    m_retryAll = all;
    m_retryToken = m_history->requestDetails(m_shownRecord->id, 1);
    updateRunActions();
}

void RunsView::onRetryDetailsLoaded(const RunHistory::Details &details)
{
    m_retryToken = 0;
    const auto flow = details.run ? m_engine->registry().flow(details.run->flow) : nullptr;
    if (!details.run || !flow || !isFinal(details.run->state)) {
        Q_EMIT messageShown(tr("Run %1 cannot be retried now.").arg(details.runId));
        updateRunActions();
        return;
    }
    RunOptions options = RetryOptions::make(*details.run, details.tasks, *flow, m_retryAll);
    const Result<qint64> ticket = m_engine->start(details.run->flow, std::move(options));
    if (!ticket) {
        Q_EMIT messageShown(tr("Could not retry run %1: %2")
                                .arg(details.runId)
                                .arg(escapeControls(ticket.error().message())));
    } else {
        m_retryTicket = *ticket;
        Q_EMIT messageShown(tr("Starting a retry of run %1…").arg(details.runId));
    }
    updateRunActions();
}

void RunsView::onRunCreated(qint64 ticket, qint64 runId)
{
    if (ticket == 0 || ticket != m_retryTicket)
        return;
    m_retryTicket = 0;
    Q_EMIT messageShown(tr("Started run %1").arg(runId));
    showRun(runId);
}

void RunsView::showDefinition()
{
    if (!m_shownRecord || m_shownRecord->definition.isEmpty())
        return;
    auto *dialog = new DefinitionDialog(*m_shownRecord, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
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
    m_shownRecord.reset();
    m_shownEndState.reset();
    updateRunActions();
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
    if (token != 0 && token == m_retryToken) {
        onRetryDetailsLoaded(details);
        return;
    }
    if (token != m_detailsToken || details.runId != m_shownRun)
        return;
    m_waitingForDetails = false;
    if (details.run)
        m_shownFlow = details.run->flow;
    m_shownRecord = details.run;
    if (m_shownRecord && m_shownEndState)
        m_shownRecord->state = *m_shownEndState;
    updateRunActions();
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
