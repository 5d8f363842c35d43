#pragma once

// The Flows area: every registered flow with its schedule, next fire and last run, and the
// actions on the selected one: run (asking for parameters when it has some), cancel,
// pause/resume and edit its schedule. Double-click opens the flow's latest run. GUI thread.

#include <QHash>
#include <QMap>
#include <QWidget>

#include "schedule/schedule.h"

class QAction;
class QTableView;
class QToolButton;

namespace Sluice {

class EmptyState;
class Engine;
class FlowPane;
class FlowTableModel;
class RunHistory;
class ScheduleStore;

class FlowsView : public QWidget
{
    Q_OBJECT

public:
    // engine and store may be null (nothing can run or be scheduled then).
    FlowsView(
        FlowTableModel *model, Engine *engine, ScheduleStore *store, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    EmptyState *emptyState() const { return m_empty; }
    FlowTableModel *model() const { return m_model; }
    QString currentFlow() const;
    void selectFlow(const QString &flow);

    QToolButton *runButton() const { return m_run; }
    QToolButton *cancelButton() const { return m_cancel; }
    QToolButton *pauseButton() const { return m_pause; }
    QToolButton *scheduleButton() const { return m_schedule; }
    // In the Run button's menu.
    QAction *runWithParametersAction() const { return m_runWithParameters; }
    QAction *backfillAction() const { return m_backfill; }
    QToolButton *newFlowButton() const { return m_newFlow; }
    QToolButton *editFlowButton() const { return m_editFlow; }
    // The graph of the selected flow and the editor tabs.
    FlowPane *pane() const { return m_pane; }
    void setDataFolder(const QString &path);

    // Where the backfill dialog reads the completed runs; may be null (nothing skipped).
    void setRunHistory(RunHistory *history);

public Q_SLOTS:
    // Runs the selected flow with its defaults, or opens the form when a parameter has none.
    void run();
    // Opens the parameters form for a run of the selected flow.
    void runWithParameters();
    // Opens the backfill dialog of the selected flow.
    void backfill();
    // Asks for a name and a template and opens the new flow file in the editor.
    void newFlow();
    // Opens the selected flow's file in the editor (an invalid one at its first error).
    void editFlow();

public:
    // Starts a run of the flow with these parameters and returns the engine's ticket (0 when
    // it cannot start; the error is shown). runStarted follows once the run has its id.
    qint64 startRun(const QString &flow, const QVariantMap &parameters);
    // Pauses or resumes the flow's schedule (writing a default in force to the store first).
    // The error is shown; returns whether it changed.
    bool setSchedulePaused(const QString &flow, bool paused);
    // Reloads the schedules from the store into the model.
    void reloadSchedules();
    // The flow files' own schedules (defaults, as the built-in ones); reloads the schedules.
    void setFileSchedules(const QMap<QString, Schedule> &schedules);

Q_SIGNALS:
    // A run started from this view has its id (it runs, or was recorded Skipped).
    void runStarted(qint64 runId);
    // The user asked to see a run (double-click).
    void runOpened(qint64 runId);
    // A flow's schedule was saved, paused or resumed.
    void scheduleChanged(const QString &flow);
    void messageShown(const QString &message);

private:
    void updateActions();
    void cancel();
    void togglePause();
    void editSchedule();
    void showError(const QString &title, const QString &message);
    void onRunCreated(qint64 ticket, qint64 runId);

    FlowTableModel *m_model;
    Engine *m_engine;
    ScheduleStore *m_store;
    QMap<QString, Schedule> m_fileSchedules;
    QTableView *m_table;
    EmptyState *m_empty;
    QToolButton *m_run;
    QToolButton *m_cancel;
    QToolButton *m_pause;
    QToolButton *m_schedule;
    QAction *m_runWithParameters;
    QAction *m_backfill;
    QToolButton *m_newFlow;
    QToolButton *m_editFlow;
    FlowPane *m_pane;
    RunHistory *m_history = nullptr;
    QString m_dataFolder;
    // The flow to select after the flow files reload: the one selected before, or a new one.
    QString m_selectedBeforeReset;
    QHash<qint64, QString> m_starting; // ticket -> flow of the runs started here, waiting
};

} // namespace Sluice
