#pragma once

// The lower half of the Flows area: a "Graph" tab with the selected flow's steps (their states
// in its latest run, live while it runs; a click on a step opens that run's log filtered to the
// step), and one tab per flow file open in the editor, beside a live preview of its graph as
// typed. Closing a tab or the window never loses an edit without asking. GUI thread.

#include <QHash>
#include <QTabWidget>

#include "engine/runevents.h"
#include "models/runhistory.h"

class QLabel;

namespace Sluice {

class Engine;
class FlowEditor;
class FlowGraphView;
class FlowTableModel;

class FlowPane : public QTabWidget
{
    Q_OBJECT

public:
    // engine may be null (no flows: the graph stays empty).
    FlowPane(Engine *engine, FlowTableModel *model, QWidget *parent = nullptr);

    void setDataFolder(const QString &path) { m_dataFolder = path; }
    // Where the latest run's task states are read; may be null.
    void setRunHistory(RunHistory *history);

    // Shows the flow's graph on the Graph tab (reading its latest run's states).
    void showFlow(const QString &flow);
    QString shownFlow() const { return m_flow; }
    FlowGraphView *graphView() const { return m_graph; }

    // Opens the file in an editor tab, or brings its tab forward, and puts the cursor at
    // line:column (1-based, the column in bytes; 0: where it was). Null when it cannot be
    // opened (the reason is shown).
    FlowEditor *openEditor(const QString &path, int line = 0, int column = 0);
    FlowEditor *editor(const QString &path) const;
    QList<FlowEditor *> editors() const;
    // The graph preview beside an editor.
    FlowGraphView *preview(FlowEditor *editor) const;
    // Asks for a name and a template, creates the file and opens it; its path, or empty.
    QString newFlow();
    // Closes an editor tab, asking first when it has unsaved changes; whether it closed.
    bool closeEditor(FlowEditor *editor);
    // Whether every editor may go: each unsaved one was saved or discarded (false on Cancel).
    bool maybeCloseAll();

Q_SIGNALS:
    // A step was clicked on the Graph tab: the run its state comes from, 0 when none.
    void stepClicked(const QString &flow, qint64 runId, const QString &task);
    void messageShown(const QString &message);

private:
    QWidget *createGraphTab();
    void onDetailsLoaded(quint64 token, const RunHistory::Details &details);
    void onTaskState(const TaskStateEvent &event);
    void setState(const QString &task, RunState state, int attempt, qint64 durationMs);
    void updateCaption();

    Engine *m_engine;
    FlowTableModel *m_model;
    RunHistory *m_history = nullptr;
    QString m_dataFolder;
    FlowGraphView *m_graph = nullptr;
    QLabel *m_caption = nullptr;
    QString m_flow;
    qint64 m_stateRun = 0; // the run whose states the graph shows
    RunState m_runState = RunState::Scheduled;
    quint64 m_detailsToken = 0;
    QHash<QString, int> m_maxAttempts;
    QHash<QString, qint64> m_startedMs; // of the shown run's tasks, for live durations
};

} // namespace Sluice
