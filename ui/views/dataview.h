#pragma once

// The Data area: the tables of the warehouse and a view over the selected one. GUI thread.

#include <QWidget>

class QListView;
class QStandardItemModel;
class QTableView;

namespace Sluice {

class EmptyState;

class DataView : public QWidget
{
    Q_OBJECT

public:
    explicit DataView(QWidget *parent = nullptr);

    EmptyState *emptyState() const { return m_empty; }

private:
    QStandardItemModel *m_rows;
    QListView *m_tables;
    QTableView *m_view;
    EmptyState *m_empty;
};

} // namespace Sluice
