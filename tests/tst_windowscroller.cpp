// The row window of the Data table: its arithmetic, the window model over a source of many rows,
// and the view that scrolls, jumps, selects and moves the keyboard cursor across window moves,
// offscreen with real widgets.

#include <QApplication>
#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QWheelEvent>
#include <QtTest>

#include "widgets/rowtable.h"
#include "widgets/windowscroller.h"

using namespace Sluice;

namespace {

// Rows of any number that need no memory: row r, column c shows "r:c".
class CountingModel : public QAbstractTableModel
{
public:
    explicit CountingModel(int rows)
        : m_rows(rows)
    { }

    void grow(int rows)
    {
        beginInsertRows(QModelIndex(), m_rows, m_rows + rows - 1);
        m_rows += rows;
        endInsertRows();
    }
    void shrink(int rows)
    {
        beginRemoveRows(QModelIndex(), m_rows - rows, m_rows - 1);
        m_rows -= rows;
        endRemoveRows();
    }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : m_rows;
    }
    int columnCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : 3;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DisplayRole || !index.isValid())
            return {};
        return QStringLiteral("%1:%2").arg(index.row()).arg(index.column());
    }

private:
    int m_rows;
};

constexpr int Capacity = 1000;
constexpr int Total = 1'000'000;

// The absolute row the text of a window index names.
qint64 shownRow(const QModelIndex &index)
{
    return index.data().toString().section(QLatin1Char(':'), 0, 0).toLongLong();
}

} // namespace

namespace Sluice {
char *toString(const RowRange &range)
{
    return qstrdup(QStringLiteral("%1..%2").arg(range.first).arg(range.last).toUtf8().constData());
}
} // namespace Sluice

class TestWindowScroller : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void windowArithmetic();
    void rangeArithmetic();
    void modelShowsTheWindowsRows();
    void modelFollowsTheSourceCount();
    void scrollBarSpansTheRowsOnly();
    void scrollBarReachesEveryRow();
    void wheelScrollsSmoothlyAcrossAMove();
    void keysReachTheLastRow();
    void goesToTheLastRow();
    void jumpsToRowsJustAdded();
    void shiftClickFromOutsideTheWindow();
    void shiftArrowsAcrossAMove();
    void dragSelectsAcrossAMove();
    void plainClickReplacesTheSelection();

private:
    struct Table
    {
        CountingModel model{ Total };
        WindowedTableView view{ nullptr, Capacity };
    };
    static void show(Table &table);
    static QPoint rowCentre(const WindowedTableView &view, qint64 row);
    static void sendMouse(QWidget *widget, QEvent::Type type, QPoint pos, Qt::MouseButtons buttons,
        Qt::KeyboardModifiers modifiers = Qt::NoModifier);
};

void TestWindowScroller::show(Table &table)
{
    table.view.setSourceModel(&table.model);
    setUpRowTable(&table.view);
    table.view.resize(600, 400);
    table.view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table.view));
}

QPoint TestWindowScroller::rowCentre(const WindowedTableView &view, qint64 row)
{
    return view.visualRect(view.windowIndex(row, 1)).center();
}

void TestWindowScroller::sendMouse(QWidget *widget, QEvent::Type type, QPoint pos,
    Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers)
{
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    QMouseEvent event(
        type, QPointF(pos), QPointF(widget->mapToGlobal(pos)), button, buttons, modifiers);
    QApplication::sendEvent(widget, &event);
}

void TestWindowScroller::windowArithmetic()
{
    RowWindow window(100);
    QCOMPARE(window.size(), 0);
    window.setTotal(40);
    QCOMPARE(window.size(), 40); // fewer rows than the window holds: all of them
    QVERIFY(window.keeps(30, 20));
    window.setTotal(10'000);
    QCOMPARE(window.size(), 100);
    QCOMPARE(window.start(), 0);
    // At the start of the rows no margin is needed above; below, a quarter of the window.
    QVERIFY(window.keeps(0, 20));
    QVERIFY(window.keeps(55, 20));
    QVERIFY(!window.keeps(56, 20));
    // Centred on the viewport, as far as the ends allow.
    QCOMPARE(window.startFor(5000, 20), qint64(5000 + 10 - 50));
    QCOMPARE(window.startFor(10, 20), qint64(0));
    QCOMPARE(window.startFor(9990, 20), qint64(9900));
    window.setStart(window.startFor(5000, 20));
    QCOMPARE(window.start(), qint64(4960));
    QVERIFY(window.keeps(5000, 20));
    QVERIFY(!window.keeps(4984, 20)); // less than a quarter above
    QCOMPARE(window.toWindow(5000), 40);
    QCOMPARE(window.toWindow(4959), -1);
    QCOMPARE(window.toWindow(5060), -1);
    QCOMPARE(window.toAbsolute(99), qint64(5059));
    window.setStart(1'000'000);
    QCOMPARE(window.start(), qint64(9900));
    QVERIFY(window.keeps(9980, 20)); // the end of the rows: no margin below
    // Rows went away: the window moves up to stay inside them.
    window.setTotal(5000);
    QCOMPARE(window.start(), qint64(4900));
    QCOMPARE(window.end(), qint64(5000));
}

void TestWindowScroller::rangeArithmetic()
{
    QList<RowRange> ranges = addRows({}, { 10, 20 });
    ranges = addRows(ranges, { 30, 40 });
    QCOMPARE(ranges, (QList<RowRange>{ { 10, 20 }, { 30, 40 } }));
    QCOMPARE(addRows(ranges, { 21, 29 }), (QList<RowRange>{ { 10, 40 } })); // fills the gap
    QCOMPARE(addRows(ranges, { 0, 5 }), (QList<RowRange>{ { 0, 5 }, { 10, 20 }, { 30, 40 } }));
    QCOMPARE(addRows(ranges, { 15, 35 }), (QList<RowRange>{ { 10, 40 } }));
    QCOMPARE(addRows(ranges, { 50, 49 }), ranges); // empty
    QCOMPARE(removeRows(ranges, { 15, 35 }), (QList<RowRange>{ { 10, 14 }, { 36, 40 } }));
    QCOMPARE(
        removeRows(ranges, { 12, 12 }), (QList<RowRange>{ { 10, 11 }, { 13, 20 }, { 30, 40 } }));
    QCOMPARE(removeRows(ranges, { 0, 100 }), QList<RowRange>{});
}

void TestWindowScroller::modelShowsTheWindowsRows()
{
    CountingModel source(Total);
    RowWindowModel window(nullptr, Capacity);
    window.setSourceModel(&source);
    QCOMPARE(window.rowCount(), Capacity);
    QCOMPARE(window.columnCount(), 3);
    QCOMPARE(window.index(5, 2).data().toString(), QStringLiteral("5:2"));
    QCOMPARE(window.headerData(5, Qt::Vertical).toInt(), 6);
    const QPersistentModelIndex kept = window.index(700, 1);
    const QPersistentModelIndex leaves = window.index(100, 1);
    QSignalSpy changed(&window, &QAbstractItemModel::dataChanged);
    QSignalSpy moved(&window, &RowWindowModel::moved);
    QCOMPARE(window.moveTo(500), qint64(500));
    QCOMPARE(window.rowCount(), Capacity); // same rows in number: nothing laid out anew
    QCOMPARE(window.index(0, 0).data().toString(), QStringLiteral("500:0"));
    QCOMPARE(window.headerData(0, Qt::Vertical).toInt(), 501); // numbered absolutely
    QCOMPARE(changed.size(), 1);
    QCOMPARE(moved.size(), 1);
    QVERIFY(kept.isValid());
    QCOMPARE(kept.row(), 200); // the same row, 700
    QCOMPARE(kept.data().toString(), QStringLiteral("700:1"));
    QVERIFY(!leaves.isValid());
    // Clamped to the end of the rows.
    window.moveTo(5'000'000);
    QCOMPARE(window.window().start(), qint64(Total - Capacity));
    QCOMPARE(
        window.index(Capacity - 1, 0).data().toString(), QStringLiteral("%1:0").arg(Total - 1));
    QCOMPARE(window.moveTo(Total), qint64(0));
}

void TestWindowScroller::modelFollowsTheSourceCount()
{
    CountingModel source(10);
    RowWindowModel window(nullptr, Capacity);
    window.setSourceModel(&source);
    QSignalSpy inserted(&window, &QAbstractItemModel::rowsInserted);
    QSignalSpy total(&window, &RowWindowModel::totalChanged);
    source.grow(500);
    QCOMPARE(window.rowCount(), 510);
    QCOMPARE(inserted.size(), 1);
    // Past the window's capacity the window keeps its rows; only the total grows.
    source.grow(100'000);
    QCOMPARE(window.rowCount(), Capacity);
    QCOMPARE(window.window().total(), qint64(100'510));
    QCOMPARE(inserted.size(), 2);
    source.grow(5000);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(total.last().first().toLongLong(), qint64(105'510));
    // Rows gone below the window move it up.
    window.moveTo(104'000);
    source.shrink(1000);
    QCOMPARE(window.window().end(), qint64(104'510));
    QCOMPARE(window.index(Capacity - 1, 0).data().toString(), QStringLiteral("104509:0"));
}

void TestWindowScroller::scrollBarSpansTheRowsOnly()
{
    Table table;
    show(table);
    WindowedTableView &view = table.view;
    QScrollBar *bar = view.rowScrollBar();
    QTRY_VERIFY(bar->isVisible());
    QVERIFY(!view.verticalScrollBar()->isVisible());
    // Beside the viewport, from its top (below the header) to its bottom.
    const QRect rows(view.viewport()->mapTo(&view, QPoint(0, 0)), view.viewport()->size());
    const QRect shown(bar->mapTo(&view, QPoint(0, 0)), bar->size());
    QCOMPARE(shown.top(), rows.top());
    QCOMPARE(shown.bottom(), rows.bottom());
    QVERIFY(shown.left() >= rows.right());
    QVERIFY(view.horizontalHeader()->height() > 0);
    // A taller header moves the bar's top with the viewport's.
    view.horizontalHeader()->setMinimumHeight(view.horizontalHeader()->height() + 30);
    QTRY_COMPARE(
        bar->mapTo(&view, QPoint(0, 0)).y(), view.viewport()->mapTo(&view, QPoint(0, 0)).y());
    QCOMPARE(bar->mapTo(&view, QPoint(0, bar->height())).y(),
        view.viewport()->mapTo(&view, QPoint(0, view.viewport()->height())).y());
}

void TestWindowScroller::scrollBarReachesEveryRow()
{
    Table table;
    show(table);
    WindowedTableView &view = table.view;
    QScrollBar *bar = view.rowScrollBar();
    const int perPage = view.viewport()->height() / view.verticalHeader()->defaultSectionSize();
    QCOMPARE(bar->maximum(), Total - perPage);
    QCOMPARE(bar->pageStep(), perPage);
    // Jumps anywhere: the window moves under the viewport, the rows shown are the bar's.
    for (const int top : { 123'456, 999, 500'000, 0, 777'777 }) {
        bar->setValue(top);
        QCOMPARE(view.firstVisibleRow(), qint64(top));
        QCOMPARE(shownRow(view.indexAt(QPoint(5, 2))), qint64(top));
        QVERIFY(view.windowStart() <= top && top < view.windowStart() + Capacity);
        QCOMPARE(view.verticalHeader()->model()->headerData(view.rowAt(0), Qt::Vertical).toInt(),
            top + 1);
    }
    bar->setValue(bar->maximum());
    QCOMPARE(view.lastVisibleRow(), qint64(Total - 1));
    QCOMPARE(shownRow(view.indexAt(QPoint(5, view.viewport()->height() - 2))), qint64(Total - 1));
}

void TestWindowScroller::wheelScrollsSmoothlyAcrossAMove()
{
    Table table;
    show(table);
    WindowedTableView &view = table.view;
    view.rowScrollBar()->setValue(5000);
    const qint64 startedAt = view.windowStart();
    const QPoint centre = view.viewport()->rect().center();
    qint64 top = view.firstVisibleRow();
    const int lines = QApplication::wheelScrollLines();
    bool moved = false;
    for (int notch = 0; notch < Capacity / lines; ++notch) {
        QWheelEvent wheel(QPointF(centre), QPointF(view.viewport()->mapToGlobal(centre)), QPoint(),
            QPoint(0, -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view.viewport(), &wheel);
        // Each notch moves by the same rows, whether the window moved under it or not.
        QCOMPARE(view.firstVisibleRow(), top + lines);
        QCOMPARE(shownRow(view.indexAt(QPoint(5, 2))), top + lines);
        QCOMPARE(view.rowScrollBar()->value(), top + lines);
        top += lines;
        moved = moved || view.windowStart() != startedAt;
    }
    QVERIFY(moved);
}

void TestWindowScroller::keysReachTheLastRow()
{
    Table table;
    show(table);
    WindowedTableView &view = table.view;
    view.setFocus();
    view.setCurrentIndex(view.windowIndex(0, 1));
    QTest::keyClick(&view, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view.currentRow(), qint64(Total - 1));
    QCOMPARE(view.lastVisibleRow(), qint64(Total - 1));
    QCOMPARE(shownRow(view.currentIndex()), qint64(Total - 1));
    // Ctrl moves the cursor without selecting, as in any Qt view.
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 0, 0 } }));
    QTest::keyClick(&view, Qt::Key_Up);
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { Total - 2, Total - 2 } }));
    QTest::keyClick(&view, Qt::Key_Home, Qt::ControlModifier);
    QCOMPARE(view.currentRow(), qint64(0));
    QCOMPARE(view.firstVisibleRow(), qint64(0));
    // Page down, page after page, past several window moves to the very last row.
    view.goToRow(Total - 3 * Capacity);
    const qint64 startedAt = view.windowStart();
    for (int page = 0; page < 3 * Capacity && view.currentRow() < Total - 1; ++page)
        QTest::keyClick(&view, Qt::Key_PageDown);
    QVERIFY(view.windowStart() != startedAt);
    QCOMPARE(view.currentRow(), qint64(Total - 1));
    QCOMPARE(view.lastVisibleRow(), qint64(Total - 1));
    QCOMPARE(shownRow(view.currentIndex()), qint64(Total - 1));
}

void TestWindowScroller::goesToTheLastRow()
{
    Table table;
    show(table);
    WindowedTableView &view = table.view;
    view.goToRow(Total - 1);
    QCOMPARE(view.lastVisibleRow(), qint64(Total - 1));
    QCOMPARE(view.currentRow(), qint64(Total - 1));
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { Total - 1, Total - 1 } }));
    const QModelIndexList selected = view.selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(shownRow(selected.first()), qint64(Total - 1));
    view.goToRow(400'000);
    QCOMPARE(view.firstVisibleRow(), qint64(400'000));
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 400'000, 400'000 } }));
}

void TestWindowScroller::jumpsToRowsJustAdded()
{
    // Rows that arrive (a result still spooling) are reachable at once, before the view has
    // laid itself out again for them.
    Table table;
    table.model.shrink(Total - 10);
    show(table);
    WindowedTableView &view = table.view;
    table.model.grow(Total - 10);
    view.scrollToRow(Total - 1);
    QCOMPARE(view.lastVisibleRow(), qint64(Total - 1));
    QVERIFY(view.windowStart() > 0);
    QCOMPARE(view.rowScrollBar()->value(), view.rowScrollBar()->maximum());
}

void TestWindowScroller::shiftClickFromOutsideTheWindow()
{
    Table table;
    show(table);
    WindowedTableView &view = table.view;
    view.rowScrollBar()->setValue(100);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, rowCentre(view, 103));
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 103, 103 } }));
    // Far away: the anchor's row has left the window.
    view.rowScrollBar()->setValue(600'000);
    QVERIFY(!view.windowIndex(103).isValid());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::ShiftModifier, rowCentre(view, 600'004));
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 103, 600'004 } }));
    QCOMPARE(view.currentRow(), qint64(600'004));
    // The window shows its part of it.
    const QModelIndexList shown = view.selectionModel()->selectedRows();
    QCOMPARE(shown.size(), int(600'004 - view.windowStart() + 1));
    // Back at the anchor, its rows are still selected.
    view.rowScrollBar()->setValue(100);
    QVERIFY(view.selectionModel()->isRowSelected(view.windowIndex(103).row()));
    QVERIFY(!view.selectionModel()->isRowSelected(view.windowIndex(102).row()));
    // Shift+click again: from the same anchor, upwards now.
    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::ShiftModifier, rowCentre(view, 101));
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 101, 103 } }));
    // Ctrl+click adds a row; Ctrl+A selects every row.
    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::ControlModifier, rowCentre(view, 110));
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 101, 103 }, { 110, 110 } }));
    QTest::keyClick(&view, Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 0, Total - 1 } }));
}

void TestWindowScroller::shiftArrowsAcrossAMove()
{
    Table table;
    show(table);
    WindowedTableView &view = table.view;
    view.setFocus();
    view.goToRow(2000);
    const qint64 startedAt = view.windowStart();
    const int presses = 2 * Capacity;
    for (int i = 0; i < presses; ++i)
        QTest::keyClick(&view, Qt::Key_Down, Qt::ShiftModifier);
    QVERIFY(view.windowStart() != startedAt);
    QCOMPARE(view.currentRow(), qint64(2000 + presses));
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 2000, 2000 + presses } }));
    // And back up past the anchor.
    view.goToRow(5000);
    for (int i = 0; i < 5; ++i)
        QTest::keyClick(&view, Qt::Key_PageDown, Qt::ShiftModifier);
    const qint64 down = view.currentRow();
    QVERIFY(down > 5000);
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 5000, down } }));
    for (int i = 0; i < 10; ++i)
        QTest::keyClick(&view, Qt::Key_PageUp, Qt::ShiftModifier);
    const qint64 up = view.currentRow();
    QVERIFY(up < 5000);
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { up, 5000 } }));
    // A move without Shift starts again from where it lands.
    QTest::keyClick(&view, Qt::Key_Down);
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { up + 1, up + 1 } }));
    QTest::keyClick(&view, Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { up + 1, up + 2 } }));
}

void TestWindowScroller::dragSelectsAcrossAMove()
{
    Table table;
    show(table);
    WindowedTableView &view = table.view;
    view.rowScrollBar()->setValue(300);
    QWidget *viewport = view.viewport();
    sendMouse(viewport, QEvent::MouseButtonPress, rowCentre(view, 305), Qt::LeftButton);
    sendMouse(viewport, QEvent::MouseMove, rowCentre(view, 310), Qt::LeftButton);
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 305, 310 } }));
    // The wheel while dragging takes the view far away; the drag goes on from row 305.
    view.rowScrollBar()->setValue(250'000);
    QVERIFY(!view.windowIndex(305).isValid());
    sendMouse(viewport, QEvent::MouseMove, rowCentre(view, 250'002), Qt::LeftButton);
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 305, 250'002 } }));
    sendMouse(viewport, QEvent::MouseButtonRelease, rowCentre(view, 250'002), Qt::NoButton);
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 305, 250'002 } }));
    QCOMPARE(view.selectedRowCount(), qint64(250'002 - 305 + 1));
}

void TestWindowScroller::plainClickReplacesTheSelection()
{
    Table table;
    show(table);
    WindowedTableView &view = table.view;
    view.selectRows(10, 900'000);
    view.rowScrollBar()->setValue(50'000);
    QVERIFY(view.selectionModel()->isRowSelected(view.rowAt(0)));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, rowCentre(view, 50'003));
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 50'003, 50'003 } }));
    view.rowScrollBar()->setValue(0);
    QVERIFY(!view.selectionModel()->isRowSelected(view.windowIndex(10).row()));
    // The window's own selection model, set directly, stands for the whole selection.
    view.selectionModel()->select(
        view.windowIndex(20), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(view.selectedRanges(), (QList<RowRange>{ { 20, 20 } }));
    view.clearSelection();
    QVERIFY(view.selectedRanges().isEmpty());
}

QTEST_MAIN(TestWindowScroller)
#include "tst_windowscroller.moc"
