#pragma once

// A row window for a QTableView over a model of millions of rows. QHeaderView keeps a few
// bytes per row and walks every row when their number changes, so the view is given only a
// window of the rows (RowWindowModel, a few thousand) and a scroll bar of its own whose range is
// every row (WindowedTableView::rowScrollBar()). Scrolling, jumps and the keyboard move the
// window under the viewport when the viewport nears its edge; row numbers, the current row and
// the selection are kept in absolute rows (0-based, the source model's). Any table model whose
// rows are its absolute rows can be shown so; rows are expected to come and go at its end.
// GUI thread.

#include <QAbstractTableModel>
#include <QList>
#include <QTableView>

class QScrollBar;

namespace Sluice {

// Rows first..last (absolute, both included).
struct RowRange
{
    qint64 first = 0;
    qint64 last = -1;

    qint64 size() const { return last - first + 1; }
    bool operator==(const RowRange &other) const = default;
};

// Where a window of at most capacity rows lies among total rows: plain arithmetic.
class RowWindow
{
public:
    static constexpr int DefaultCapacity = 10'000;

    explicit RowWindow(int capacity = DefaultCapacity);

    int capacity() const { return m_capacity; }
    qint64 total() const { return m_total; }
    // Keeps the window inside the rows (its start moves up when rows went away).
    void setTotal(qint64 total);
    qint64 start() const { return m_start; }
    void setStart(qint64 start);
    // The rows in the window: capacity, or every row when there are fewer.
    int size() const { return int(std::min<qint64>(m_capacity, m_total)); }
    qint64 end() const { return m_start + size(); } // one past its last row
    bool contains(qint64 row) const { return row >= m_start && row < end(); }
    // The window's row of an absolute row, -1 outside the window.
    int toWindow(qint64 row) const { return contains(row) ? int(row - m_start) : -1; }
    qint64 toAbsolute(int row) const { return m_start + row; }
    // Whether rows top..top+visible-1 lie in the window with a quarter of it to spare on either
    // side (or up to an end of the rows): no need to move it.
    bool keeps(qint64 top, int visible) const;
    // The start that puts rows top..top+visible-1 in the middle of the window, as far as the
    // ends of the rows allow.
    qint64 startFor(qint64 top, int visible) const;

private:
    int m_capacity;
    qint64 m_total = 0;
    qint64 m_start = 0;
};

// A window of a source model's rows: row r here is row start + r there. Columns, data, flags
// and the horizontal header are the source's; the vertical header numbers rows absolutely.
class RowWindowModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    explicit RowWindowModel(QObject *parent = nullptr, int capacity = RowWindow::DefaultCapacity);

    void setSourceModel(QAbstractItemModel *source);
    QAbstractItemModel *sourceModel() const { return m_source; }
    const RowWindow &window() const { return m_window; }
    // Moves the window to start (clamped): the same rows keep their persistent indexes (those
    // that leave the window become invalid) and every row is shown anew. Returns the rows moved.
    qint64 moveTo(qint64 start);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    // The source's rows changed in number (the window's scroll range with them).
    void totalChanged(qint64 total);
    // The window moved by rows (new start - old start).
    void moved(qint64 rows);

private:
    void onSourceRowsChanged();
    void onSourceDataChanged(
        const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void onSourceHeaderDataChanged(Qt::Orientation orientation, int first, int last);
    qint64 sourceRows() const;

    QAbstractItemModel *m_source = nullptr;
    QList<QMetaObject::Connection> m_connections;
    RowWindow m_window;
    bool m_resetting = false;
};

// A QTableView over a RowWindowModel, with the scroll bar of every row beside the rows'
// viewport (the view's own scroll bar, of the window, is hidden and moves the window).
class WindowedTableView : public QTableView
{
    Q_OBJECT

public:
    explicit WindowedTableView(
        QWidget *parent = nullptr, int capacity = RowWindow::DefaultCapacity);

    // The model of absolute rows to show (setModel() takes the window; use this instead).
    void setSourceModel(QAbstractItemModel *source);
    QAbstractItemModel *sourceModel() const { return m_window->sourceModel(); }
    RowWindowModel *windowModel() const { return m_window; }
    // Its range is every row: value v shows row v at the top of the viewport.
    QScrollBar *rowScrollBar() const { return m_bar; }

    qint64 totalRows() const { return m_window->window().total(); }
    qint64 windowStart() const { return m_window->window().start(); }
    // The window's index of an absolute row, invalid outside the window.
    QModelIndex windowIndex(qint64 row, int column = 0) const;
    // The absolute rows in the viewport (a row partly shown counts), -1 when none.
    qint64 firstVisibleRow() const;
    qint64 lastVisibleRow() const;
    // The absolute current row, -1 when none (it may lie outside the window).
    qint64 currentRow() const { return m_currentRow; }
    // Shows row (the window moves to it when needed).
    void scrollToRow(qint64 row, ScrollHint hint = EnsureVisible);
    // Makes row current and the only selected row, at the top of the viewport as far as the
    // rows below allow.
    void goToRow(qint64 row);
    // The selected rows, absolute, sorted and disjoint (rows outside the window included).
    QList<RowRange> selectedRanges() const;
    qint64 selectedRowCount() const;
    bool isRowSelected(qint64 row) const;
    void selectRows(qint64 first, qint64 last);

public Q_SLOTS:
    void selectAll() override;

protected:
    void setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command) override;
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void selectionChanged(
        const QItemSelection &selected, const QItemSelection &deselected) override;
    void currentChanged(const QModelIndex &current, const QModelIndex &previous) override;
    void updateGeometries() override;

private:
    using QTableView::setModel;

    // Rows that fit in the viewport, at least one.
    int rowsPerPage() const;
    // The window's scroll bar moved (wheel, keys, scrollTo): moves the window when needed.
    void onWindowScrolled(int value);
    void onRowBarMoved(int value);
    // Puts top at the top of the viewport, moving the window when needed.
    void showTop(qint64 top);
    void moveWindow(qint64 start);
    void updateRowBar();
    // The window's selection and current index from the absolute ones.
    void mirrorSelection();
    void restoreCurrent();
    QList<RowRange> effectiveSelection() const;
    // The absolute row a selection gesture points at.
    qint64 targetRow() const;

    RowWindowModel *m_window;
    QScrollBar *m_bar;
    QWidget *m_headerGap; // beside the horizontal header, above the bar
    bool m_syncing = false; // the bars are being set from each other
    bool m_mirroring = false; // the window's selection is being set from the absolute one
    // The absolute selection, as QItemSelectionModel keeps it: committed ranges and the one
    // being extended (from the anchor to the row the gesture points at).
    QList<RowRange> m_committed;
    RowRange m_extent;
    bool m_extentDeselects = false;
    qint64 m_anchor = -1;
    qint64 m_currentRow = -1;
    int m_currentColumn = 0;
    // During a mouse or key event: where it points, and whether it extends the selection.
    int m_pointerY = -1;
    bool m_inMouse = false;
    bool m_extending = false;
};

// Selection arithmetic on sorted, disjoint row ranges.
QList<RowRange> addRows(QList<RowRange> ranges, RowRange rows);
QList<RowRange> removeRows(const QList<RowRange> &ranges, RowRange rows);

} // namespace Sluice
