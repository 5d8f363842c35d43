#pragma once

// The Runs area: the history of flow runs and, for the selected run, its tasks and log.
// GUI thread.

#include <QWidget>

class QPlainTextEdit;
class QStandardItemModel;
class QTableView;
class QTreeView;

namespace Sluice {

class EmptyState;

class RunsView : public QWidget
{
    Q_OBJECT

public:
    explicit RunsView(QWidget *parent = nullptr);

    EmptyState *emptyState() const { return m_empty; }

private:
    QStandardItemModel *m_runs;
    QStandardItemModel *m_tasks;
    QTableView *m_runTable;
    QTreeView *m_taskTree;
    QPlainTextEdit *m_log;
    EmptyState *m_empty;
};

} // namespace Sluice
