#pragma once

// The Data area: the tables of the warehouse with their row counts, and a windowed view over
// the selected one with per-column filters, server-side sort, UTC/local time and "Export CSV…".
// GUI thread; the rows are read by WarehouseTableModel's reader thread.

#include <QWidget>

#include "data/tablequery.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTableView;

namespace Sluice {

class ColumnWidths;
class EmptyState;
class SqlView;
class WarehouseTableModel;

class DataView : public QWidget
{
    Q_OBJECT

public:
    explicit DataView(QWidget *parent = nullptr);

    // The warehouse.sqlite to browse; lists its tables and opens the clean table.
    void setWarehousePath(const QString &path);
    QString warehousePath() const { return m_path; }

    EmptyState *emptyState() const { return m_empty; }
    WarehouseTableModel *model() const { return m_model; }
    QTableView *tableView() const { return m_view; }
    SqlView *sqlView() const { return m_sql; }
    QTabWidget *tabs() const { return m_tabs; }

public Q_SLOTS:
    // Lists the tables again and re-reads the view (new data was stored).
    void refresh();
    // A run stored rows (table -> rows, -1 unknown; RunFinishedEvent::storedRows): the list
    // adds them to its counts (or lists again when it cannot), and the view re-reads, keeping
    // its rows, scroll position, selection, sort and filters, only when its table got some.
    void onRowsStored(const QMap<QString, qint64> &stored);
    // Opens the export dialog for what the view shows (or the selected rows when asked).
    void exportCsv();
    // Puts the selected rows on the clipboard as stored (exact digits), tab separated.
    void copySelection();

Q_SIGNALS:
    void exportDialogOpened(QWidget *dialog);
    // The user asked to see a flow in the Flows area (the empty state's button).
    void flowRequested(const QString &flow);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showTables(const QList<Sluice::TableSummary> &tables);
    void openSelectedTable();
    void updateFilterEditors();
    void addFilter();
    void clearFilters();
    void updateStatus();
    // Reads text as a value of column (numbers, or a date time for timestamps).
    bool parseValue(const TableColumn &column, const QString &text, QVariant *value);

    QString m_path;
    WarehouseTableModel *m_model;
    QListWidget *m_tables;
    QTableView *m_view;
    QComboBox *m_filterColumn;
    QComboBox *m_filterOperator;
    QLineEdit *m_filterValue;
    QLineEdit *m_filterValue2;
    QPushButton *m_addFilter;
    QPushButton *m_clearFilters;
    QCheckBox *m_localTime;
    QPushButton *m_export;
    QLabel *m_filters;
    QLabel *m_status;
    EmptyState *m_empty;
    QTabWidget *m_tabs;
    SqlView *m_sql;
    ColumnWidths *m_widths;
    QString m_error;
    QString m_note; // says what the last copy did, until the next status change
};

} // namespace Sluice
