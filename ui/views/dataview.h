#pragma once

// The Data area: the tables of the warehouse with their row counts, and a windowed view over
// the selected one with a filter box under every column header, server-side sort, UTC/local time
// and "Export CSV…". GUI thread; the rows are read by WarehouseTableModel's reader thread.

#include <QHash>
#include <QSet>
#include <QWidget>

#include "data/tablequery.h"

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTableView;

namespace Sluice {

class ColumnWidths;
class FilterHeader;
class EmptyState;
class GapPanel;
class GoToDialog;
class SortIndexBar;
class SqlView;
class WarehouseTableModel;
class WindowedTableView;

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
    // A window of the model's rows with a scroll bar of every row (rows in it are absolute).
    WindowedTableView *tableView() const { return m_view; }
    // The gap map above the table (shown for slotted tables).
    GapPanel *gapPanel() const { return m_gaps; }
    SortIndexBar *sortIndexBar() const { return m_sortIndex; }
    // "Rows 1,201–1,240 of 10,000,000": the rows in the viewport; "Counting rows…" until counted.
    QString positionText() const;
    // Scrolls row (0-based) to the top of the viewport (as far as the rows below allow) and
    // selects it.
    void goToRow(qint64 row);
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
    // Opens Go to (Ctrl+G): a row number, or a time for a table with a timestamp column.
    void showGoTo();

Q_SIGNALS:
    void exportDialogOpened(QWidget *dialog);
    // The user asked to see a flow in the Flows area (the empty state's button).
    void flowRequested(const QString &flow);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showTables(const QList<Sluice::TableSummary> &tables);
    void openSelectedTable();
    // Filter boxes for the model's columns (kept while the columns stay) and the summary line.
    void updateFilterEditors();
    // Reads every filter box into the model's conditions; a box that cannot be read is marked
    // and left out, the others still apply.
    void applyFilters();
    void showFilterProblems();
    void clearFilters();
    void updateStatus();
    // "price >100; start_timestamp 2024-01", for the export dialog.
    QString filterSummary() const;
    void updatePosition();
    // The timestamp column Go to time searches in the view's order, empty when there is none.
    QString goToTimeColumn() const;
    void onTimeFound(qint64 row);

    QString m_path;
    WarehouseTableModel *m_model;
    QListWidget *m_tables;
    WindowedTableView *m_view;
    FilterHeader *m_header;
    QPushButton *m_clearFilters;
    QCheckBox *m_localTime;
    QPushButton *m_export;
    QLabel *m_filters;
    QLabel *m_status;
    QLabel *m_position;
    SortIndexBar *m_sortIndex;
    GoToDialog *m_goTo = nullptr;
    EmptyState *m_empty;
    GapPanel *m_gaps;
    QTabWidget *m_tabs;
    SqlView *m_sql;
    ColumnWidths *m_widths;
    QStringList m_boxColumns; // the columns the header's filter boxes are for
    QHash<QString, QString> m_filterTexts; // column -> what its box says, for the open table
    QHash<QString, QString> m_problems; // column -> why its box cannot be read
    QSet<QString> m_applied; // columns whose box is in the model's conditions
    QString m_error;
    QString m_note; // says what the last copy did, until the next status change
};

} // namespace Sluice
