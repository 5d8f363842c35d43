#include "widgets/windowscroller.h"

#include <algorithm>
#include <climits>

#include <QHeaderView>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>

namespace Sluice {

QList<RowRange> addRows(QList<RowRange> ranges, RowRange rows)
{
    if (rows.size() <= 0)
        return ranges;
    QList<RowRange> merged;
    merged.reserve(ranges.size() + 1);
    bool placed = false;
    for (const RowRange &range : std::as_const(ranges)) {
        if (range.last + 1 < rows.first) {
            merged << range;
        } else if (rows.last + 1 < range.first) {
            if (!placed)
                merged << rows;
            placed = true;
            merged << range;
        } else { // touches or overlaps: one range
            rows.first = std::min(rows.first, range.first);
            rows.last = std::max(rows.last, range.last);
        }
    }
    if (!placed)
        merged << rows;
    return merged;
}

QList<RowRange> removeRows(const QList<RowRange> &ranges, RowRange rows)
{
    if (rows.size() <= 0)
        return ranges;
    QList<RowRange> left;
    for (const RowRange &range : ranges) {
        if (range.last < rows.first || range.first > rows.last) {
            left << range;
            continue;
        }
        if (range.first < rows.first)
            left << RowRange{ range.first, rows.first - 1 };
        if (range.last > rows.last)
            left << RowRange{ rows.last + 1, range.last };
    }
    return left;
}

// RowWindow

RowWindow::RowWindow(int capacity)
    : m_capacity(std::max(capacity, 1))
{ }

void RowWindow::setTotal(qint64 total)
{
    m_total = std::max<qint64>(0, total);
    setStart(m_start);
}

void RowWindow::setStart(qint64 start)
{
    m_start = std::clamp<qint64>(start, 0, std::max<qint64>(0, m_total - size()));
}

bool RowWindow::keeps(qint64 top, int visible) const
{
    const qint64 bottom = std::min(top + std::max(visible, 1), m_total); // one past the last
    if (top < m_start || bottom > end())
        return false;
    const int margin = size() / 4;
    const bool roomAbove = m_start == 0 || top - m_start >= margin;
    const bool roomBelow = end() == m_total || end() - bottom >= margin;
    return roomAbove && roomBelow;
}

qint64 RowWindow::startFor(qint64 top, int visible) const
{
    const qint64 start = top + std::max(visible, 1) / 2 - size() / 2;
    return std::clamp<qint64>(start, 0, std::max<qint64>(0, m_total - size()));
}

// RowWindowModel

RowWindowModel::RowWindowModel(QObject *parent, int capacity)
    : QAbstractTableModel(parent)
    , m_window(capacity)
{ }

qint64 RowWindowModel::sourceRows() const
{
    return m_source ? m_source->rowCount() : 0;
}

void RowWindowModel::setSourceModel(QAbstractItemModel *source)
{
    beginResetModel();
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_source = source;
    m_window = RowWindow(m_window.capacity());
    m_window.setTotal(sourceRows());
    if (source) {
        auto reset = [this] {
            if (!m_resetting)
                beginResetModel();
            m_window.setStart(0);
            m_window.setTotal(sourceRows());
            m_resetting = false;
            endResetModel();
            Q_EMIT totalChanged(m_window.total());
        };
        m_connections << connect(source, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
            m_resetting = true;
            beginResetModel();
        });
        m_connections << connect(source, &QAbstractItemModel::modelReset, this, reset);
        // Columns and layouts change only with a reset in the models shown so; taken as one.
        m_connections << connect(source, &QAbstractItemModel::columnsInserted, this, reset);
        m_connections << connect(source, &QAbstractItemModel::columnsRemoved, this, reset);
        m_connections << connect(source, &QAbstractItemModel::layoutChanged, this, reset);
        m_connections << connect(
            source, &QAbstractItemModel::rowsInserted, this, &RowWindowModel::onSourceRowsChanged);
        m_connections << connect(
            source, &QAbstractItemModel::rowsRemoved, this, &RowWindowModel::onSourceRowsChanged);
        m_connections << connect(
            source, &QAbstractItemModel::dataChanged, this, &RowWindowModel::onSourceDataChanged);
        m_connections << connect(source, &QAbstractItemModel::headerDataChanged, this,
            &RowWindowModel::onSourceHeaderDataChanged);
    }
    endResetModel();
    Q_EMIT totalChanged(m_window.total());
}

void RowWindowModel::onSourceRowsChanged()
{
    RowWindow next = m_window;
    next.setTotal(sourceRows());
    const int oldSize = m_window.size();
    const int newSize = next.size();
    const qint64 oldStart = m_window.start();
    // The window's own rows come and go at its end; what moved inside it is shown anew.
    if (newSize > oldSize) {
        beginInsertRows(QModelIndex(), oldSize, newSize - 1);
        m_window = next;
        endInsertRows();
    } else if (newSize < oldSize) {
        beginRemoveRows(QModelIndex(), newSize, oldSize - 1);
        m_window = next;
        endRemoveRows();
    } else {
        m_window = next;
    }
    const int columns = columnCount();
    if (newSize > 0 && columns > 0) {
        Q_EMIT dataChanged(index(0, 0), index(newSize - 1, columns - 1));
        if (m_window.start() != oldStart)
            Q_EMIT headerDataChanged(Qt::Vertical, 0, newSize - 1);
    }
    Q_EMIT totalChanged(m_window.total());
}

void RowWindowModel::onSourceDataChanged(
    const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    const qint64 first = std::max<qint64>(topLeft.row(), m_window.start());
    const qint64 last = std::min<qint64>(bottomRight.row(), m_window.end() - 1);
    if (first > last)
        return;
    Q_EMIT dataChanged(index(int(first - m_window.start()), topLeft.column()),
        index(int(last - m_window.start()), bottomRight.column()), roles);
}

void RowWindowModel::onSourceHeaderDataChanged(Qt::Orientation orientation, int first, int last)
{
    if (orientation == Qt::Horizontal) {
        Q_EMIT headerDataChanged(orientation, first, last);
        return;
    }
    const qint64 from = std::max<qint64>(first, m_window.start());
    const qint64 to = std::min<qint64>(last, m_window.end() - 1);
    if (from <= to) {
        Q_EMIT headerDataChanged(
            orientation, int(from - m_window.start()), int(to - m_window.start()));
    }
}

qint64 RowWindowModel::moveTo(qint64 start)
{
    RowWindow next = m_window;
    next.setStart(start);
    const qint64 shift = next.start() - m_window.start();
    if (shift == 0)
        return 0;
    // Persistent indexes (the current index, the pressed one, the selection's) stay on their
    // rows; a row that leaves the window leaves its index invalid. No layout change is told:
    // the rows keep their number and height, only what they show changes.
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex &index : from) {
        const qint64 row = index.row() - shift;
        to << (row >= 0 && row < next.size() ? createIndex(int(row), index.column())
                                             : QModelIndex());
    }
    m_window = next;
    changePersistentIndexList(from, to);
    const int rows = m_window.size();
    const int columns = columnCount();
    if (rows > 0) {
        if (columns > 0)
            Q_EMIT dataChanged(index(0, 0), index(rows - 1, columns - 1));
        Q_EMIT headerDataChanged(Qt::Vertical, 0, rows - 1);
    }
    Q_EMIT moved(shift);
    return shift;
}

int RowWindowModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_source ? 0 : m_window.size();
}

int RowWindowModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_source ? 0 : m_source->columnCount();
}

QVariant RowWindowModel::data(const QModelIndex &index, int role) const
{
    if (!m_source || !index.isValid() || index.row() >= m_window.size())
        return {};
    return m_source->index(int(m_window.toAbsolute(index.row())), index.column()).data(role);
}

QVariant RowWindowModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_source)
        return {};
    if (orientation == Qt::Vertical)
        return m_source->headerData(int(m_window.toAbsolute(section)), orientation, role);
    return m_source->headerData(section, orientation, role);
}

Qt::ItemFlags RowWindowModel::flags(const QModelIndex &index) const
{
    if (!m_source || !index.isValid())
        return Qt::NoItemFlags;
    return m_source->flags(m_source->index(int(m_window.toAbsolute(index.row())), index.column()));
}

void RowWindowModel::sort(int column, Qt::SortOrder order)
{
    if (m_source)
        m_source->sort(column, order);
}

// WindowedTableView

WindowedTableView::WindowedTableView(QWidget *parent, int capacity)
    : QTableView(parent)
    , m_window(new RowWindowModel(this, capacity))
    , m_bar(new QScrollBar(Qt::Vertical))
    , m_headerGap(new QWidget)
{
    m_bar->setObjectName(QStringLiteral("rowScrollBar"));
    QTableView::setModel(m_window);
    // One step of the window's scroll bar is one row (the window moves by whole rows).
    setVerticalScrollMode(ScrollPerItem);
    // The window's bar still takes the wheel and the view's own scrolling, hidden; in its
    // place, below a gap as high as the horizontal header, the bar of every row.
    verticalScrollBar()->hide();
    addScrollBarWidget(m_headerGap, Qt::AlignTop);
    addScrollBarWidget(m_bar, Qt::AlignBottom);
    connect(
        verticalScrollBar(), &QScrollBar::valueChanged, this, &WindowedTableView::onWindowScrolled);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &WindowedTableView::updateRowBar);
    connect(m_bar, &QScrollBar::valueChanged, this, &WindowedTableView::onRowBarMoved);
    connect(m_window, &RowWindowModel::totalChanged, this, &WindowedTableView::updateRowBar);
    connect(m_window, &QAbstractItemModel::modelReset, this, [this] {
        m_committed.clear();
        m_extent = {};
        m_anchor = -1;
        m_currentRow = -1;
        updateRowBar();
    });
}

void WindowedTableView::setSourceModel(QAbstractItemModel *source)
{
    m_window->setSourceModel(source);
}

QModelIndex WindowedTableView::windowIndex(qint64 row, int column) const
{
    const int inWindow = m_window->window().toWindow(row);
    return inWindow < 0 ? QModelIndex() : m_window->index(inWindow, column);
}

qint64 WindowedTableView::firstVisibleRow() const
{
    const int row = rowAt(0);
    return row < 0 ? -1 : windowStart() + row;
}

qint64 WindowedTableView::lastVisibleRow() const
{
    if (firstVisibleRow() < 0)
        return -1;
    int row = rowAt(viewport()->height() - 1);
    if (row < 0)
        row = m_window->rowCount() - 1; // the rows end above the bottom of the viewport
    return windowStart() + row;
}

int WindowedTableView::rowsPerPage() const
{
    const int height = std::max(1, verticalHeader()->defaultSectionSize());
    return std::max(1, viewport()->height() / height);
}

void WindowedTableView::onWindowScrolled(int value)
{
    if (m_syncing)
        return;
    const qint64 top = windowStart() + value;
    const int visible = rowsPerPage();
    if (!m_window->window().keeps(top, visible))
        moveWindow(m_window->window().startFor(top, visible));
    m_syncing = true;
    m_bar->setValue(int(std::min<qint64>(top, INT_MAX)));
    m_syncing = false;
}

void WindowedTableView::onRowBarMoved(int value)
{
    if (!m_syncing)
        showTop(value);
}

void WindowedTableView::showTop(qint64 top)
{
    const int visible = rowsPerPage();
    if (!m_window->window().keeps(top, visible))
        moveWindow(m_window->window().startFor(top, visible));
    m_syncing = true;
    verticalScrollBar()->setValue(int(top - windowStart()));
    m_syncing = false;
}

void WindowedTableView::moveWindow(qint64 start)
{
    const qint64 top = windowStart() + verticalScrollBar()->value();
    const auto digits = [this] { return QString::number(m_window->window().end()).size(); };
    const qsizetype before = digits();
    if (m_window->moveTo(start) == 0)
        return;
    // The same rows stay in the viewport.
    m_syncing = true;
    verticalScrollBar()->setValue(int(top - windowStart()));
    m_syncing = false;
    mirrorSelection();
    restoreCurrent();
    // The row numbers are as wide as before unless they gained or lost a digit (the header's
    // width is measured on hundreds of them: not on every move).
    if (digits() != before)
        updateGeometries();
}

void WindowedTableView::updateRowBar()
{
    const int size = m_window->window().size();
    // The rows that fit below the last top, as the view counts them for the window.
    const qint64 fit = size > 0 ? size - verticalScrollBar()->maximum() : 0;
    const qint64 maximum = std::max<qint64>(0, totalRows() - fit);
    m_syncing = true;
    m_bar->setRange(0, int(std::min<qint64>(maximum, INT_MAX)));
    m_bar->setPageStep(std::max(1, verticalScrollBar()->pageStep()));
    m_bar->setSingleStep(1);
    m_bar->setValue(int(std::min<qint64>(windowStart() + verticalScrollBar()->value(), INT_MAX)));
    m_syncing = false;
}

void WindowedTableView::updateGeometries()
{
    QTableView::updateGeometries();
    // The bar spans the rows' viewport only: below the horizontal header.
    const QWidget *bars = m_headerGap->parentWidget();
    const int gap = bars && bars != this ? viewport()->geometry().top() - bars->geometry().top()
                                         : viewportMargins().top();
    if (m_headerGap->height() != std::max(0, gap))
        m_headerGap->setFixedHeight(std::max(0, gap));
    updateRowBar();
}

void WindowedTableView::scrollToRow(qint64 row, ScrollHint hint)
{
    if (row < 0 || row >= totalRows())
        return;
    const int visible = rowsPerPage();
    qint64 top = row - visible / 2;
    if (hint == PositionAtTop)
        top = row;
    else if (hint == PositionAtBottom)
        top = row - visible + 1;
    // From the rows, not the row bar: rows that just arrived are in the bar only after the
    // view's next layout, and a jump made before it must still reach them.
    top = std::clamp<qint64>(top, 0, std::max<qint64>(0, totalRows() - visible));
    const bool shown =
        row >= firstVisibleRow() && row <= lastVisibleRow() && firstVisibleRow() >= 0;
    if (!(hint == EnsureVisible && shown) && !m_window->window().keeps(top, visible))
        moveWindow(m_window->window().startFor(top, visible));
    const int column = std::max(0, horizontalHeader()->logicalIndexAt(0));
    QTableView::scrollTo(windowIndex(row, column), hint);
}

void WindowedTableView::goToRow(qint64 row)
{
    if (row < 0 || row >= totalRows() || !selectionModel())
        return;
    scrollToRow(row, PositionAtTop);
    selectionModel()->setCurrentIndex(windowIndex(row, std::max(0, m_currentColumn)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QList<RowRange> WindowedTableView::effectiveSelection() const
{
    if (m_extent.size() <= 0)
        return m_committed;
    return m_extentDeselects ? removeRows(m_committed, m_extent) : addRows(m_committed, m_extent);
}

QList<RowRange> WindowedTableView::selectedRanges() const
{
    return effectiveSelection();
}

qint64 WindowedTableView::selectedRowCount() const
{
    qint64 rows = 0;
    for (const RowRange &range : effectiveSelection())
        rows += range.size();
    return rows;
}

bool WindowedTableView::isRowSelected(qint64 row) const
{
    const QList<RowRange> ranges = effectiveSelection();
    return std::any_of(ranges.cbegin(), ranges.cend(),
        [row](const RowRange &range) { return row >= range.first && row <= range.last; });
}

void WindowedTableView::selectRows(qint64 first, qint64 last)
{
    if (first > last)
        std::swap(first, last);
    first = std::max<qint64>(first, 0);
    last = std::min(last, totalRows() - 1);
    m_committed.clear();
    m_extent = {};
    if (first <= last)
        m_committed << RowRange{ first, last };
    m_anchor = first;
    mirrorSelection();
}

void WindowedTableView::selectAll()
{
    if (selectionMode() != ExtendedSelection && selectionMode() != MultiSelection) {
        QTableView::selectAll();
        return;
    }
    selectRows(0, totalRows() - 1);
}

qint64 WindowedTableView::targetRow() const
{
    if (m_inMouse) {
        int row = rowAt(m_pointerY);
        if (row < 0) // past the window's rows: its first or last one
            row = m_pointerY < 0 ? 0 : m_window->rowCount() - 1;
        return row < 0 ? -1 : windowStart() + row;
    }
    const QModelIndex current = currentIndex();
    return current.isValid() ? windowStart() + current.row() : -1;
}

void WindowedTableView::setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command)
{
    // What the gesture means in absolute rows, from the anchor (which may have left the
    // window) to the row it points at; rect, in the window, is not read.
    const qint64 target = targetRow();
    if (!selectionModel() || target < 0 || selectionBehavior() != SelectRows
        || selectionMode() != ExtendedSelection) {
        QTableView::setSelection(rect, command);
        return;
    }
    const bool extends = command & QItemSelectionModel::Current;
    if (!extends || m_anchor < 0)
        m_anchor = target;
    if (command & QItemSelectionModel::Clear) {
        m_committed.clear();
        m_extent = {};
    }
    if (!extends) {
        m_committed = effectiveSelection();
        m_extent = {};
    }
    if (command
        & (QItemSelectionModel::Toggle | QItemSelectionModel::Select
            | QItemSelectionModel::Deselect)) {
        m_extentDeselects = (command & QItemSelectionModel::Deselect)
            || ((command & QItemSelectionModel::Toggle)
                && std::any_of(m_committed.cbegin(), m_committed.cend(),
                    [target](const RowRange &r) { return target >= r.first && target <= r.last; }));
        m_extent = RowRange{ std::min(m_anchor, target), std::max(m_anchor, target) };
    }
    mirrorSelection();
}

void WindowedTableView::mirrorSelection()
{
    if (!selectionModel())
        return;
    QItemSelection shown;
    const qint64 start = windowStart();
    const qint64 end = m_window->window().end();
    const int lastColumn = m_window->columnCount() - 1;
    if (lastColumn >= 0) {
        for (const RowRange &range : effectiveSelection()) {
            const qint64 first = std::max(range.first, start);
            const qint64 last = std::min(range.last, end - 1);
            if (first <= last)
                shown.select(m_window->index(int(first - start), 0),
                    m_window->index(int(last - start), lastColumn));
        }
    }
    m_mirroring = true;
    selectionModel()->select(shown, QItemSelectionModel::ClearAndSelect);
    m_mirroring = false;
}

void WindowedTableView::restoreCurrent()
{
    // Only a current row that had left the window: one moving now is the view's.
    const QModelIndex index = windowIndex(m_currentRow, m_currentColumn);
    if (!index.isValid() || !selectionModel() || currentIndex().isValid())
        return;
    // Back in the window: current again, where it is (not scrolled to).
    m_mirroring = true;
    const bool scrolls = hasAutoScroll();
    setAutoScroll(false);
    selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    setAutoScroll(scrolls);
    m_mirroring = false;
}

void WindowedTableView::selectionChanged(
    const QItemSelection &selected, const QItemSelection &deselected)
{
    QTableView::selectionChanged(selected, deselected);
    if (m_mirroring)
        return;
    // Set on the window's selection model directly (keys without Shift, the vertical header,
    // code): it is the whole selection.
    QList<RowRange> ranges;
    const qint64 start = windowStart();
    for (const QItemSelectionRange &range : selectionModel()->selection())
        ranges = addRows(ranges, { start + range.top(), start + range.bottom() });
    m_committed = ranges;
    m_extent = {};
}

void WindowedTableView::currentChanged(const QModelIndex &current, const QModelIndex &previous)
{
    QTableView::currentChanged(current, previous); // may scroll, and so move the window
    if (m_mirroring)
        return;
    const QModelIndex now = currentIndex(); // current, where the window is now
    if (!now.isValid()) {
        m_currentRow = -1;
        return;
    }
    m_currentRow = windowStart() + now.row();
    m_currentColumn = now.column();
    // A click sets the anchor in setSelection(); a move without Shift starts from here.
    if (!m_inMouse && !m_extending)
        m_anchor = m_currentRow;
}

QModelIndex WindowedTableView::moveCursor(
    CursorAction cursorAction, Qt::KeyboardModifiers modifiers)
{
    const int visible = rowsPerPage();
    if ((cursorAction == MoveEnd || cursorAction == MoveHome)
        && (modifiers & Qt::ControlModifier)) {
        // The first or last of every row, not of the window.
        const int column = currentIndex().isValid() ? currentIndex().column() : m_currentColumn;
        const qint64 row = cursorAction == MoveEnd ? totalRows() - 1 : 0;
        moveWindow(m_window->window().startFor(row, visible));
        return windowIndex(row, std::max(0, column));
    } else if (!currentIndex().isValid() && m_currentRow >= 0) {
        // The current row has left the window: moving starts from it, as it would without one.
        moveWindow(m_window->window().startFor(m_currentRow, visible));
        restoreCurrent();
    }
    return QTableView::moveCursor(cursorAction, modifiers);
}

void WindowedTableView::mousePressEvent(QMouseEvent *event)
{
    m_inMouse = true;
    m_pointerY = int(event->position().y());
    QTableView::mousePressEvent(event);
    m_inMouse = false;
}

void WindowedTableView::mouseMoveEvent(QMouseEvent *event)
{
    m_inMouse = true;
    m_pointerY = int(event->position().y());
    QTableView::mouseMoveEvent(event);
    m_inMouse = false;
}

void WindowedTableView::keyPressEvent(QKeyEvent *event)
{
    m_extending = event->modifiers() & Qt::ShiftModifier;
    QTableView::keyPressEvent(event);
    m_extending = false;
}

} // namespace Sluice
