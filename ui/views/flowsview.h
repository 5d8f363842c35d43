#pragma once

// The Flows area: every registered flow with its schedule, next fire and last run, and the
// actions to run or cancel one. GUI thread.

#include <QWidget>

class QStandardItemModel;
class QTableView;
class QToolButton;

namespace Sluice {

class EmptyState;

class FlowsView : public QWidget
{
    Q_OBJECT

public:
    explicit FlowsView(QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    EmptyState *emptyState() const { return m_empty; }

private:
    void updateActions();

    QStandardItemModel *m_model;
    QTableView *m_table;
    EmptyState *m_empty;
    QToolButton *m_run;
    QToolButton *m_cancel;
};

} // namespace Sluice
