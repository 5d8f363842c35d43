#include "views/dataview.h"

#include <algorithm>
#include <climits>
#include <optional>

#include <QCheckBox>
#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "dialogs/exportdialog.h"
#include "dialogs/gotodialog.h"
#include "engine/displaytext.h"
#include "models/warehousetablemodel.h"
#include "storage/columnfilter.h"
#include "storage/warehouse.h"
#include "views/gappanel.h"
#include "views/sqlview.h"
#include "widgets/columnwidths.h"
#include "widgets/emptystate.h"
#include "widgets/filterheader.h"
#include "widgets/rowtable.h"
#include "widgets/sortindexbar.h"
#include "widgets/windowscroller.h"

namespace Sluice {

namespace {

    bool isTimestamp(const TableColumn &column)
    {
        return column.name.endsWith(QLatin1String("timestamp")) && column.isNumeric();
    }

    ColumnFilter::Kind filterKind(const TableColumn &column)
    {
        if (isTimestamp(column))
            return ColumnFilter::Kind::Time;
        return column.isNumeric() ? ColumnFilter::Kind::Number : ColumnFilter::Kind::Text;
    }

    constexpr int RowsRole = Qt::UserRole + 1; // a table's rows in the list, -1 unknown

    void setTableRows(QListWidgetItem *item, qint64 rows)
    {
        const QString name = item->data(Qt::UserRole).toString();
        const QString shown = rows < 0 ? DataView::tr("?") : QLocale().toString(rows);
        item->setText(
            DataView::tr("%1\n%2 row(s)", nullptr, int(std::clamp<qint64>(rows, 0, INT_MAX)))
                .arg(name, shown));
        item->setData(RowsRole, rows);
    }

} // namespace

DataView::DataView(QWidget *parent)
    : QWidget(parent)
    , m_model(new WarehouseTableModel(this))
    , m_tables(new QListWidget)
    , m_view(new WindowedTableView)
    , m_header(new FilterHeader(m_view))
    , m_clearFilters(new QPushButton(tr("Clear filters")))
    , m_localTime(new QCheckBox(tr("Local time")))
    , m_export(new QPushButton(tr("Export CSV…")))
    , m_filters(new QLabel)
    , m_status(new QLabel)
    , m_position(new QLabel)
    , m_sortIndex(new SortIndexBar)
    , m_gaps(new GapPanel)
{
    m_tables->setObjectName(QStringLiteral("tableList"));
    m_view->setObjectName(QStringLiteral("dataTable"));
    m_header->setObjectName(QStringLiteral("filterHeader"));
    m_clearFilters->setObjectName(QStringLiteral("clearFilters"));
    m_localTime->setObjectName(QStringLiteral("localTime"));
    m_export->setObjectName(QStringLiteral("exportCsv"));
    m_filters->setObjectName(QStringLiteral("activeFilters"));
    m_status->setObjectName(QStringLiteral("rowStatus"));
    m_position->setObjectName(QStringLiteral("rowPosition"));
    // As wide as the widest position from the start: a text that changes on every scroll must
    // not lay out the window again each time.
    const QString widest = QLocale().toString(99'999'999);
    m_position->setMinimumWidth(m_position->fontMetrics().horizontalAdvance(
        tr("Rows %1–%2 of %3").arg(widest, widest, widest)));

    m_view->setHorizontalHeader(m_header);
    // The view holds a window of the rows: a header of millions of rows costs memory and a
    // long pause each time their number changes.
    m_view->setSourceModel(m_model);
    setUpRowTable(m_view);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->horizontalHeader()->setSortIndicatorShown(true);
    m_view->setSortingEnabled(true);
    m_view->installEventFilter(this);
    m_view->viewport()->installEventFilter(this);
    m_widths = new ColumnWidths(m_view);
    m_filters->setWordWrap(true);
    m_filters->setTextFormat(Qt::PlainText);
    m_clearFilters->setToolTip(tr("Empty every filter box (Escape empties the focused one)"));

    auto *statusBar = new QHBoxLayout;
    statusBar->addWidget(m_position);
    statusBar->addWidget(m_status);
    statusBar->addWidget(m_filters, 1);
    statusBar->addWidget(m_clearFilters);
    statusBar->addWidget(m_localTime);
    statusBar->addWidget(m_export);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_gaps);
    rightLayout->addWidget(m_sortIndex);
    rightLayout->addWidget(m_view, 1);
    rightLayout->addLayout(statusBar);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_tables);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 4);
    splitter->setSizes({ 240, 860 });

    m_empty = new EmptyState(splitter, tr("No data yet"),
        tr("The warehouse is empty. Run the btc-backfill flow to load the "
           "last 30 days of price, hash rate and difficulty."));
    m_empty->setAction(tr("Show btc-backfill"));
    connect(m_empty, &EmptyState::actionTriggered, this,
        [this] { Q_EMIT flowRequested(QStringLiteral("btc-backfill")); });
    // The table browser and, beside it, the SQL tab.
    m_sql = new SqlView;
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("dataTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_empty, tr("Tables"));
    m_tabs->addTab(m_sql, tr("SQL"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);

    connect(m_model, &WarehouseTableModel::tablesListed, this, &DataView::showTables);
    connect(m_tables, &QListWidget::currentRowChanged, this, &DataView::openSelectedTable);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DataView::updateFilterEditors);
    connect(m_model, &WarehouseTableModel::counted, this, &DataView::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DataView::updateStatus);
    connect(m_model, &WarehouseTableModel::loadFailed, this, [this](const QString &message) {
        m_error = message;
        updateStatus();
    });
    connect(m_header, &FilterHeader::filterEdited, this, [this](int column, const QString &text) {
        const QString name = m_boxColumns.value(column);
        if (name.isEmpty())
            return;
        if (text.trimmed().isEmpty())
            m_filterTexts.remove(name);
        else
            m_filterTexts.insert(name, text);
        applyFilters();
    });
    auto *findFilter = new QShortcut(QKeySequence::Find, this);
    findFilter->setContext(Qt::WidgetWithChildrenShortcut);
    connect(findFilter, &QShortcut::activated, this,
        [this] { m_header->focusFilter(m_view->currentIndex().column()); });
    connect(m_clearFilters, &QPushButton::clicked, this, &DataView::clearFilters);
    connect(m_localTime, &QCheckBox::toggled, this, [this](bool local) {
        m_model->setTimeSpec(local ? Qt::LocalTime : Qt::UTC);
        m_gaps->setTimeSpec(local ? Qt::LocalTime : Qt::UTC);
        // A date typed in a filter box means the same wall-clock time in the new zone.
        applyFilters();
        updateStatus();
    });
    connect(m_export, &QPushButton::clicked, this, &DataView::exportCsv);

    // Position and Go to (Ctrl+G); the sort's index.
    connect(m_view->rowScrollBar(), &QScrollBar::valueChanged, this, &DataView::updatePosition);
    connect(m_view->rowScrollBar(), &QScrollBar::rangeChanged, this, &DataView::updatePosition);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &DataView::updatePosition);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &DataView::updatePosition);
    connect(m_model, &WarehouseTableModel::timeFound, this, &DataView::onTimeFound);
    auto *goTo = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_G), this);
    goTo->setContext(Qt::WidgetWithChildrenShortcut);
    connect(goTo, &QShortcut::activated, this, &DataView::showGoTo);
    connect(m_model, &WarehouseTableModel::queryOpened, this, [this] {
        m_sortIndex->setSort(
            m_path, m_model->table(), m_model->sortColumn(), m_model->sortScansTable());
    });
    connect(m_sortIndex, &SortIndexBar::indexCreated, this, [this](const QString &table) {
        if (table == m_model->table())
            m_model->reload(); // the same sort, now read through the index
    });
    updateStatus();
}

void DataView::setWarehousePath(const QString &path)
{
    m_path = path;
    m_model->setWarehousePath(path);
    m_sql->setWarehousePath(path);
    // The clean table opens at once; the list (which counts every table) comes after it.
    if (m_model->table().isEmpty()) {
        m_widths->setTable(QLatin1String(Warehouse::CleanTable));
        m_model->setTable(QLatin1String(Warehouse::CleanTable));
    }
    m_gaps->setTable(m_model->table());
    m_gaps->setWarehousePath(path);
    m_model->listTables();
}

void DataView::refresh()
{
    if (m_path.isEmpty())
        return;
    m_model->listTables();
    if (!m_model->table().isEmpty())
        m_model->reload();
    m_gaps->refresh();
}

void DataView::onRowsStored(const QMap<QString, qint64> &stored)
{
    if (m_path.isEmpty() || stored.isEmpty())
        return;
    // The counts move by what was stored; a table the list lacks, or a count nobody knows,
    // is counted again (off this thread).
    QList<QPair<QListWidgetItem *, qint64>> updates;
    bool recount = false;
    for (auto it = stored.cbegin(); it != stored.cend() && !recount; ++it) {
        QListWidgetItem *found = nullptr;
        for (int row = 0; row < m_tables->count() && !found; ++row) {
            if (m_tables->item(row)->data(Qt::UserRole).toString() == it.key())
                found = m_tables->item(row);
        }
        const qint64 rows = found ? found->data(RowsRole).toLongLong() : -1;
        recount = !found || rows < 0 || it.value() < 0;
        if (!recount)
            updates.append({ found, rows + it.value() });
    }
    if (recount) {
        m_model->listTables();
    } else {
        qint64 total = 0;
        for (const auto &[item, rows] : std::as_const(updates))
            setTableRows(item, rows);
        for (int row = 0; row < m_tables->count(); ++row)
            total += std::max<qint64>(0, m_tables->item(row)->data(RowsRole).toLongLong());
        m_empty->setCurrentIndex(total == 0 ? 1 : 0);
    }
    if (!m_model->table().isEmpty() && stored.value(m_model->table(), 0) != 0)
        m_model->reload();
}

void DataView::showTables(const QList<TableSummary> &tables)
{
    const QString current =
        m_model->table().isEmpty() ? QLatin1String(Warehouse::CleanTable) : m_model->table();
    QSignalBlocker blocker(m_tables);
    m_tables->clear();
    qint64 total = 0;
    int currentRow = -1;
    for (const TableSummary &table : tables) {
        auto *item = new QListWidgetItem;
        item->setData(Qt::UserRole, table.name);
        setTableRows(item, table.rows);
        item->setToolTip(table.name);
        m_tables->addItem(item);
        total += std::max<qint64>(0, table.rows);
        if (table.name == current)
            currentRow = m_tables->count() - 1;
    }
    m_empty->setCurrentIndex(total == 0 ? 1 : 0);
    if (currentRow < 0 && !tables.isEmpty())
        currentRow = 0;
    m_tables->setCurrentRow(currentRow);
    blocker.unblock();
    openSelectedTable();
}

void DataView::openSelectedTable()
{
    QListWidgetItem *item = m_tables->currentItem();
    if (!item)
        return;
    const QString table = item->data(Qt::UserRole).toString();
    if (table == m_model->table())
        return;
    m_error.clear();
    // Filters belong to the table they were typed for.
    m_filterTexts.clear();
    m_problems.clear();
    m_applied.clear();
    m_header->clearFilters();
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_widths->setTable(table);
    m_model->setTable(table);
    m_gaps->setTable(table);
}

void DataView::updateFilterEditors()
{
    QStringList names;
    QStringList hints;
    for (const TableColumn &column : m_model->columns()) {
        names << column.name;
        switch (filterKind(column)) {
        case ColumnFilter::Kind::Time:
            hints << tr("A date and time: 2024-01-05 (the whole day), >=2024-01-05 10:00, "
                        "2024-01..2024-03, <1704412800 (Unix seconds), NULL");
            break;
        case ColumnFilter::Kind::Number:
            hints << tr("A number: 42, >100, <=5e20, 100..200 (both included), !=0, NULL, !NULL");
            break;
        case ColumnFilter::Kind::Text:
            hints << tr("Text: abc (contains), =abc (exactly), !=abc, >m, NULL, !NULL, "
                        "\"=abc\" (contains =abc)");
            break;
        }
    }
    // The boxes stay while their columns do, so typing is not interrupted by a reload.
    if (names != m_boxColumns) {
        m_boxColumns = names;
        m_header->setFilterBoxes(hints);
        for (int column = 0; column < names.size(); ++column)
            m_header->setFilterText(column, m_filterTexts.value(names[column]));
        showFilterProblems();
    }

    const QString summary = filterSummary();
    m_filters->setText(
        summary.isEmpty() ? QString() : escapeControls(tr("Filters: %1").arg(summary)));
    m_clearFilters->setEnabled(!m_filterTexts.isEmpty());
}

void DataView::applyFilters()
{
    QList<TableCondition> conditions;
    m_problems.clear();
    m_applied.clear();
    const Qt::TimeSpec spec = m_model->timeSpec();
    for (const TableColumn &column : m_model->columns()) {
        const QString text = m_filterTexts.value(column.name);
        if (text.trimmed().isEmpty())
            continue;
        const Result<QList<TableCondition>> read =
            ColumnFilter::parse(column.name, filterKind(column), text, spec);
        if (!read) {
            m_problems.insert(column.name, read.error().what);
            continue;
        }
        conditions << *read;
        m_applied << column.name;
    }
    showFilterProblems();
    m_error.clear();
    if (conditions != m_model->conditions())
        m_model->setConditions(conditions);
    updateFilterEditors();
    updateStatus();
}

void DataView::showFilterProblems()
{
    for (int column = 0; column < m_boxColumns.size(); ++column) {
        const QString problem = m_problems.value(m_boxColumns[column]);
        m_header->setProblem(column, problem.isEmpty() ? QString() : escapeControls(problem));
    }
}

QString DataView::filterSummary() const
{
    QStringList shown;
    for (const QString &name : m_boxColumns) {
        if (m_applied.contains(name))
            shown << tr("%1 %2").arg(name, m_filterTexts.value(name).trimmed());
    }
    return shown.join(tr("; "));
}

void DataView::clearFilters()
{
    m_filterTexts.clear();
    m_header->clearFilters();
    applyFilters();
}

void DataView::updateStatus()
{
    updatePosition();
    // The status line says what went wrong or what a copy did; the position says the rest.
    m_status->setVisible(!m_error.isEmpty() || !m_note.isEmpty());
    if (!m_error.isEmpty()) {
        m_status->setText(escapeControls(m_error));
        m_status->setStyleSheet(QStringLiteral("color: #b00020"));
        return;
    }
    m_status->setStyleSheet(QString());
    if (!m_note.isEmpty())
        m_status->setText(m_note);
    else if (m_model->table().isEmpty())
        m_status->setText(QString());
    else if (m_model->totalRows() < 0)
        m_status->setText(tr("Counting rows…"));
    else
        m_status->setText(
            tr("%1 row(s)", nullptr, int(std::min<qint64>(m_model->totalRows(), INT_MAX)))
                .arg(QLocale().toString(m_model->totalRows())));
    m_export->setEnabled(!m_model->table().isEmpty());
}

QString DataView::positionText() const
{
    if (m_model->table().isEmpty())
        return QString();
    const qint64 total = m_model->totalRows();
    if (total < 0)
        return tr("Counting rows…");
    if (total == 0)
        return tr("No rows");
    const qint64 first = m_view->firstVisibleRow();
    const qint64 last = m_view->lastVisibleRow();
    if (first < 0)
        return tr("%1 row(s)", nullptr, int(std::min<qint64>(total, INT_MAX)))
            .arg(QLocale().toString(total));
    const QLocale locale;
    return tr("Rows %1–%2 of %3")
        .arg(locale.toString(first + 1), locale.toString(last + 1), locale.toString(total));
}

void DataView::updatePosition()
{
    m_position->setText(positionText());
}

void DataView::goToRow(qint64 row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_view->goToRow(row);
    updatePosition();
}

QString DataView::goToTimeColumn() const
{
    // In the view's order only: sorted by a timestamp column, or in key order by the first
    // timestamp column (start_timestamp first).
    const QString sort = m_model->sortColumn();
    const int sorted = m_model->columnIndex(sort);
    if (!sort.isEmpty())
        return sorted >= 0 && isTimestamp(m_model->columns()[sorted]) ? sort : QString();
    QString found;
    for (const TableColumn &column : m_model->columns()) {
        if (!isTimestamp(column))
            continue;
        if (column.name == QLatin1String("start_timestamp"))
            return column.name;
        if (found.isEmpty())
            found = column.name;
    }
    return found;
}

void DataView::showGoTo()
{
    if (m_model->table().isEmpty())
        return;
    if (!m_goTo) {
        m_goTo = new GoToDialog(this);
        m_goTo->setObjectName(QStringLiteral("goToDialog"));
        connect(m_goTo, &GoToDialog::rowRequested, this, [this](qint64 row) {
            if (row >= m_model->rowCount()) {
                m_goTo->showMessage(tr("The rows are still being counted; try again in a moment."));
                return;
            }
            goToRow(row);
            m_goTo->accept();
        });
        connect(m_goTo, &GoToDialog::timeRequested, m_model, &WarehouseTableModel::findTime);
    }
    m_goTo->setTarget(m_model->totalRows(), goToTimeColumn(), m_model->timeSpec());
    m_goTo->showMessage(QString());
    m_goTo->show();
    m_goTo->raise();
    m_goTo->activateWindow();
    m_goTo->rowEdit()->setFocus();
    m_goTo->rowEdit()->selectAll();
}

void DataView::onTimeFound(qint64 row)
{
    if (!m_goTo)
        return;
    if (row < 0) {
        m_goTo->showMessage(tr("No row is at or after %1: the last row is before it.")
                                .arg(m_goTo->timeEdit()->text().trimmed()));
        return;
    }
    goToRow(row);
    m_goTo->accept();
}

bool DataView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        updatePosition();
    // Before the view's own Ctrl+C, which copies the shown text of one cell.
    if (watched == m_view && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        copySelection();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void DataView::copySelection()
{
    // Absolute rows, sorted and disjoint: the selection may reach far outside the window.
    const QList<RowRange> selection = m_view->selectedRanges();
    if (selection.isEmpty())
        return;
    QStringList lines;
    qint64 missing = 0;
    for (const RowRange &range : selection) {
        int notLoaded = 0;
        lines << m_model->exactText(int(range.first), int(range.last), &notLoaded);
        missing += notLoaded;
    }
    QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
    m_note = missing == 0
        ? tr("Copied %n row(s).", nullptr, int(lines.size()))
        : tr("Copied %n row(s); %1 more are not loaded: scroll to them or use Export CSV….",
            nullptr, int(lines.size()))
              .arg(QLocale().toString(missing));
    updateStatus();
    m_note.clear();
}

void DataView::exportCsv()
{
    if (m_path.isEmpty() || m_model->table().isEmpty())
        return;
    CsvRequest request = m_model->csvRequest();
    qint64 rows = m_model->totalRows();
    // A contiguous block of selected rows is exported alone, when conditions can name it.
    const QList<RowRange> selected = m_view->selectedRanges();
    QString note;
    if (m_view->selectedRowCount() > 1) {
        const qint64 first = selected.first().first;
        const qint64 last = selected.last().last;
        const std::optional<CsvRequest> block =
            selected.size() == 1 ? m_model->csvRequest(int(first), int(last)) : std::nullopt;
        if (block) {
            request = *block;
            rows = last - first + 1;
        } else {
            note = tr("The selected rows are not one block, so the whole view is exported. To "
                      "export only some rows, select one block of adjacent rows.");
        }
    }
    auto *dialog = new ExportDialog(m_path, request, rows, this);
    dialog->setFilterSummary(filterSummary());
    dialog->setNote(note);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    Q_EMIT exportDialogOpened(dialog);
}

} // namespace Sluice
