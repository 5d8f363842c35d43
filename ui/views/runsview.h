#pragma once

// The Runs area: the history of flow runs (filtered by flow and state) and, for the selected
// run, its tasks live (state, attempt, times, progress) as a table and as a graph, and its log
// (level filter, search, the graph's clicked step, follow the tail, copy). History comes from
// RunHistory off the GUI thread; live changes from the engine's events, the log batched by
// LogModel. GUI thread.

#include <QHash>
#include <optional>

#include <QList>
#include <QWidget>

#include "engine/runevents.h"
#include "models/runhistory.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTabWidget;
class QPushButton;
class QTableView;
class QToolButton;
class QTreeView;

namespace Sluice {

class EmptyState;
class Engine;
class FlowGraphView;
class LogFilterModel;
class LogModel;
class RunTableModel;
class TaskTableModel;

class RunsView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int LogHistoryLines = 20000;

    // history and engine may be null: the area then stays empty.
    RunsView(
        RunHistory *history, Engine *engine, const QStringList &flows, QWidget *parent = nullptr);

    EmptyState *emptyState() const { return m_empty; }
    RunTableModel *runModel() const { return m_runs; }
    TaskTableModel *taskModel() const { return m_tasks; }
    LogModel *logModel() const { return m_log; }
    LogFilterModel *logFilter() const { return m_logFilter; }
    QTableView *runTable() const { return m_runTable; }
    QTreeView *taskView() const { return m_taskView; }
    QTreeView *logView() const { return m_logView; }
    QTabWidget *taskTabs() const { return m_taskTabs; }
    // Under the tasks: the error of the selected task, or else of the first that failed;
    // wrapped and selectable, hidden when there is none.
    QLabel *taskDetail() const { return m_taskDetail; }
    FlowGraphView *graphView() const { return m_graph; }
    // The chip that shows (and clears) the step the log is filtered to.
    QToolButton *logStepFilter() const { return m_stepChip; }
    qint64 shownRun() const { return m_shownRun; }
    QPushButton *retryFailedButton() const { return m_retryFailed; }
    QPushButton *runAgainButton() const { return m_runAgain; }
    QPushButton *showDefinitionButton() const { return m_showDefinition; }
    // "Run time … · definition 1a2b3c4d5e6f · /path/flow.yaml", or "… · built-in".
    QString definitionText() const;

public Q_SLOTS:
    // Reloads the history with the current filter.
    void refresh();
    // The flows the filter offers (after the flow files changed); keeps the one chosen, even
    // when it is gone, so that its history stays in view.
    void setFlows(const QStringList &flows);
    // Shows a run's tasks and log and selects it in the history (once it is there).
    void showRun(qint64 runId);
    void copyLog();
    // Filters the shown run's log to one step's lines (empty: every step's), as a click on the
    // step in the Graph tab does.
    void setLogStep(const QString &task);
    // A new run of the shown (finished) run's flow with its parameters and time: reusing the
    // outputs of the tasks that completed, or (all) running every task again.
    void retryFailedSteps();
    void runAgain();
    // Opens the YAML the shown run used, read-only.
    void showDefinition();

Q_SIGNALS:
    // Something the user should read in the status bar.
    void messageShown(const QString &message);
    // The user asked for the Flows area (the empty state's button).
    void flowRequested(const QString &flow);

private:
    void onRunsLoaded(quint64 token, const QList<FlowRunRecord> &runs);
    void onDetailsLoaded(quint64 token, const RunHistory::Details &details);
    void onTaskEvent(const TaskStateEvent &event);
    void onProgressEvent(const ProgressEvent &event);
    void onRunStartedEvent(const RunStartedEvent &event);
    void selectShownRun();
    QWidget *createLogPane();
    QWidget *createTaskTabs();
    void rebuildGraph();
    void updateGraphStates(int first, int last);
    void updateTaskDetail();
    QWidget *createRunBar();
    void updateRunActions();
    void retry(bool all);
    void onRetryDetailsLoaded(const RunHistory::Details &details);
    void onRunCreated(qint64 ticket, qint64 runId);

    RunHistory *m_history;
    Engine *m_engine;
    RunTableModel *m_runs;
    TaskTableModel *m_tasks;
    LogModel *m_log;
    LogFilterModel *m_logFilter;
    QComboBox *m_flowFilter;
    QComboBox *m_stateFilter;
    QTableView *m_runTable;
    QTreeView *m_taskView;
    QTreeView *m_logView;
    QComboBox *m_level;
    QLineEdit *m_search;
    QCheckBox *m_follow;
    EmptyState *m_empty;
    QTabWidget *m_taskTabs = nullptr;
    QLabel *m_taskDetail = nullptr;
    FlowGraphView *m_graph = nullptr;
    QToolButton *m_stepChip = nullptr;
    QLabel *m_definition;
    QPushButton *m_retryFailed;
    QPushButton *m_runAgain;
    QPushButton *m_showDefinition;

    quint64 m_runsToken = 0;
    quint64 m_detailsToken = 0;
    qint64 m_shownRun = 0;
    QString m_shownFlow; // of the shown run, once known
    QHash<QString, int> m_maxAttempts; // per task of the shown run's flow, when it is known
    bool m_waitingForDetails = false;
    // Events of the shown run that came while its details were being read.
    QList<RunEvent> m_queued;
    // The shown run as last read (its state kept up to date by the engine's events).
    std::optional<FlowRunRecord> m_shownRecord;
    std::optional<RunState> m_shownEndState; // how the shown run ended, once the engine said
    // A retry waits for the run's final tasks (token), then for its new run's id (ticket).
    quint64 m_retryToken = 0;
    bool m_retryAll = false;
    qint64 m_retryTicket = 0;
};

} // namespace Sluice
