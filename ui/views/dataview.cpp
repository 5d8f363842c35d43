#include "views/dataview.h"

#include <algorithm>
#include <optional>

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
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
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "dialogs/exportdialog.h"
#include "engine/displaytext.h"
#include "models/warehousetablemodel.h"
#include "storage/warehouse.h"
#include "views/sqlview.h"
#include "widgets/columnwidths.h"
#include "widgets/emptystate.h"

namespace Sluice {

namespace {

    enum class FilterKind {
        Contains,
        Equal,
        NotEqual,
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,
        Between
    };

    bool isTimestamp(const TableColumn &column)
    {
        return column.name.endsWith(QLatin1String("timestamp")) && column.isNumeric();
    }

    QString operatorText(TableCondition::Operator op)
    {
        switch (op) {
        case TableCondition::Operator::Equal:
            return QStringLiteral("=");
        case TableCondition::Operator::NotEqual:
            return QStringLiteral("≠");
        case TableCondition::Operator::Less:
            return QStringLiteral("<");
        case TableCondition::Operator::LessOrEqual:
            return QStringLiteral("≤");
        case TableCondition::Operator::Greater:
            return QStringLiteral(">");
        case TableCondition::Operator::GreaterOrEqual:
            return QStringLiteral("≥");
        case TableCondition::Operator::Like:
            return QStringLiteral("~");
        case TableCondition::Operator::IsNull:
        case TableCondition::Operator::IsNotNull:
            return QString();
        }
        return QString();
    }

    constexpr int RowsRole = Qt::UserRole + 1; // a table's rows in the list, -1 unknown

    void setTableRows(QListWidgetItem *item, qint64 rows)
    {
        const QString name = item->data(Qt::UserRole).toString();
        const QString shown = rows < 0 ? DataView::tr("?") : QLocale().toString(rows);
        item->setText(DataView::tr("%1\n%2 rows").arg(name, shown));
        item->setData(RowsRole, rows);
    }

} // namespace

DataView::DataView(QWidget *parent)
    : QWidget(parent)
    , m_model(new WarehouseTableModel(this))
    , m_tables(new QListWidget)
    , m_view(new QTableView)
    , m_filterColumn(new QComboBox)
    , m_filterOperator(new QComboBox)
    , m_filterValue(new QLineEdit)
    , m_filterValue2(new QLineEdit)
    , m_addFilter(new QPushButton(tr("Add filter")))
    , m_clearFilters(new QPushButton(tr("Clear filters")))
    , m_localTime(new QCheckBox(tr("Local time")))
    , m_export(new QPushButton(tr("Export CSV…")))
    , m_filters(new QLabel)
    , m_status(new QLabel)
{
    m_tables->setObjectName(QStringLiteral("tableList"));
    m_view->setObjectName(QStringLiteral("dataTable"));
    m_filterColumn->setObjectName(QStringLiteral("filterColumn"));
    m_filterOperator->setObjectName(QStringLiteral("filterOperator"));
    m_filterValue->setObjectName(QStringLiteral("filterValue"));
    m_filterValue2->setObjectName(QStringLiteral("filterValue2"));
    m_addFilter->setObjectName(QStringLiteral("addFilter"));
    m_clearFilters->setObjectName(QStringLiteral("clearFilters"));
    m_localTime->setObjectName(QStringLiteral("localTime"));
    m_export->setObjectName(QStringLiteral("exportCsv"));
    m_filters->setObjectName(QStringLiteral("activeFilters"));
    m_status->setObjectName(QStringLiteral("rowStatus"));

    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->horizontalHeader()->setSortIndicatorShown(true);
    m_view->setSortingEnabled(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setDefaultSectionSize(170);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->installEventFilter(this);
    m_widths = new ColumnWidths(m_view);
    m_filterColumn->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_filterOperator->addItem(tr("contains"), int(FilterKind::Contains));
    m_filterOperator->addItem(tr("equals"), int(FilterKind::Equal));
    m_filterOperator->addItem(tr("is not"), int(FilterKind::NotEqual));
    m_filterOperator->addItem(tr("less than"), int(FilterKind::Less));
    m_filterOperator->addItem(tr("at most"), int(FilterKind::LessOrEqual));
    m_filterOperator->addItem(tr("greater than"), int(FilterKind::Greater));
    m_filterOperator->addItem(tr("at least"), int(FilterKind::GreaterOrEqual));
    m_filterOperator->addItem(tr("between"), int(FilterKind::Between));
    m_filterValue2->setVisible(false);
    m_filters->setWordWrap(true);

    auto *filterBar = new QHBoxLayout;
    filterBar->addWidget(new QLabel(tr("Filter:")));
    filterBar->addWidget(m_filterColumn);
    filterBar->addWidget(m_filterOperator);
    filterBar->addWidget(m_filterValue, 1);
    filterBar->addWidget(m_filterValue2, 1);
    filterBar->addWidget(m_addFilter);
    filterBar->addWidget(m_clearFilters);
    auto *statusBar = new QHBoxLayout;
    statusBar->addWidget(m_status);
    statusBar->addWidget(m_filters, 1);
    statusBar->addWidget(m_localTime);
    statusBar->addWidget(m_export);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(filterBar);
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
    connect(m_filterColumn, &QComboBox::currentIndexChanged, this, [this] {
        const TableColumn column = m_model->columns().value(m_filterColumn->currentIndex());
        m_filterValue->setPlaceholderText(isTimestamp(column)
                ? tr("yyyy-MM-dd HH:mm or seconds")
                : (column.isNumeric() ? tr("number") : tr("text")));
        m_filterValue2->setPlaceholderText(m_filterValue->placeholderText());
    });
    connect(m_filterOperator, &QComboBox::currentIndexChanged, this, [this] {
        m_filterValue2->setVisible(
            m_filterOperator->currentData().toInt() == int(FilterKind::Between));
    });
    connect(m_addFilter, &QPushButton::clicked, this, &DataView::addFilter);
    connect(m_filterValue, &QLineEdit::returnPressed, this, &DataView::addFilter);
    connect(m_filterValue2, &QLineEdit::returnPressed, this, &DataView::addFilter);
    connect(m_clearFilters, &QPushButton::clicked, this, &DataView::clearFilters);
    connect(m_localTime, &QCheckBox::toggled, this, [this](bool local) {
        m_model->setTimeSpec(local ? Qt::LocalTime : Qt::UTC);
        updateStatus();
    });
    connect(m_export, &QPushButton::clicked, this, &DataView::exportCsv);
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
    m_model->listTables();
}

void DataView::refresh()
{
    if (m_path.isEmpty())
        return;
    m_model->listTables();
    if (!m_model->table().isEmpty())
        m_model->reload();
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
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_widths->setTable(table);
    m_model->setTable(table);
}

void DataView::updateFilterEditors()
{
    const QString previous = m_filterColumn->currentText();
    QSignalBlocker blocker(m_filterColumn);
    m_filterColumn->clear();
    for (const TableColumn &column : m_model->columns())
        m_filterColumn->addItem(column.name);
    const int index = m_filterColumn->findText(previous);
    m_filterColumn->setCurrentIndex(index >= 0 ? index : 0);
    blocker.unblock();
    Q_EMIT m_filterColumn->currentIndexChanged(m_filterColumn->currentIndex());

    QStringList shown;
    for (const TableCondition &condition : m_model->conditions()) {
        QString value = condition.value.toString();
        const int column = m_model->columnIndex(condition.column);
        if (column >= 0 && isTimestamp(m_model->columns()[column])) {
            value = QDateTime::fromSecsSinceEpoch(condition.value.toLongLong(), m_model->timeSpec())
                        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        }
        shown << tr("%1 %2 “%3”").arg(condition.column, operatorText(condition.op), value);
    }
    m_filters->setText(shown.isEmpty() ? QString() : tr("Filters: %1").arg(shown.join(tr(", "))));
    m_clearFilters->setEnabled(!shown.isEmpty());
}

bool DataView::parseValue(const TableColumn &column, const QString &text, QVariant *value)
{
    const QString trimmed = text.trimmed();
    bool ok = false;
    if (isTimestamp(column)) {
        const qint64 seconds = trimmed.toLongLong(&ok);
        if (ok) {
            *value = seconds;
            return true;
        }
        for (const QString &format : { QStringLiteral("yyyy-MM-dd HH:mm:ss"),
                 QStringLiteral("yyyy-MM-dd HH:mm"), QStringLiteral("yyyy-MM-dd") }) {
            QDateTime time = QDateTime::fromString(trimmed, format);
            if (time.isValid()) {
                time.setTimeSpec(m_model->timeSpec());
                *value = time.toSecsSinceEpoch();
                return true;
            }
        }
        m_error = tr("cannot filter %1: “%2” is not a date time (yyyy-MM-dd HH:mm) or seconds")
                      .arg(column.name, trimmed);
        return false;
    }
    if (column.isNumeric()) {
        double number = QLocale().toDouble(trimmed, &ok);
        if (!ok)
            number = trimmed.toDouble(&ok);
        if (!ok) {
            m_error = tr("cannot filter %1: “%2” is not a number").arg(column.name, trimmed);
            return false;
        }
        *value = number;
        return true;
    }
    *value = text;
    return true;
}

void DataView::addFilter()
{
    const QList<TableColumn> columns = m_model->columns();
    const int index = m_filterColumn->currentIndex();
    if (index < 0 || index >= columns.size())
        return;
    const TableColumn column = columns[index];
    const auto kind = FilterKind(m_filterOperator->currentData().toInt());
    m_error.clear();
    QList<TableCondition> conditions = m_model->conditions();
    if (kind == FilterKind::Contains) {
        // LIKE with the text bound as a parameter; % and _ in it act as wildcards.
        conditions << TableCondition{ column.name, TableCondition::Operator::Like,
            QStringLiteral("%") + m_filterValue->text() + QStringLiteral("%") };
    } else {
        QVariant first;
        if (!parseValue(column, m_filterValue->text(), &first)) {
            updateStatus();
            return;
        }
        using Op = TableCondition::Operator;
        switch (kind) {
        case FilterKind::Equal:
            conditions << TableCondition{ column.name, Op::Equal, first };
            break;
        case FilterKind::NotEqual:
            conditions << TableCondition{ column.name, Op::NotEqual, first };
            break;
        case FilterKind::Less:
            conditions << TableCondition{ column.name, Op::Less, first };
            break;
        case FilterKind::LessOrEqual:
            conditions << TableCondition{ column.name, Op::LessOrEqual, first };
            break;
        case FilterKind::Greater:
            conditions << TableCondition{ column.name, Op::Greater, first };
            break;
        case FilterKind::GreaterOrEqual:
            conditions << TableCondition{ column.name, Op::GreaterOrEqual, first };
            break;
        case FilterKind::Between: {
            QVariant second;
            if (!parseValue(column, m_filterValue2->text(), &second)) {
                updateStatus();
                return;
            }
            conditions << TableCondition{ column.name, Op::GreaterOrEqual, first };
            // A time range is half open, [from, to); a number range is closed.
            conditions << TableCondition{ column.name,
                isTimestamp(column) ? Op::Less : Op::LessOrEqual, second };
            break;
        }
        case FilterKind::Contains:
            break;
        }
    }
    m_model->setConditions(conditions);
}

void DataView::clearFilters()
{
    m_error.clear();
    m_model->setConditions({});
}

void DataView::updateStatus()
{
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
        m_status->setText(tr("%1 rows").arg(QLocale().toString(m_model->totalRows())));
    m_export->setEnabled(!m_model->table().isEmpty());
}

bool DataView::eventFilter(QObject *watched, QEvent *event)
{
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
    QItemSelection selection = m_view->selectionModel()->selection();
    if (selection.isEmpty())
        return;
    std::sort(selection.begin(), selection.end(),
        [](const QItemSelectionRange &a, const QItemSelectionRange &b) {
            return a.top() < b.top();
        });
    QStringList lines;
    int missing = 0;
    int last = -1;
    for (const QItemSelectionRange &range : selection) {
        const int first = std::max(range.top(), last + 1); // ranges of one row per column overlap
        int notLoaded = 0;
        lines << m_model->exactText(first, range.bottom(), &notLoaded);
        missing += notLoaded;
        last = std::max(last, range.bottom());
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
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    QString note;
    if (selected.size() > 1) {
        int first = selected.first().row();
        int last = first;
        for (const QModelIndex &index : selected) {
            first = std::min(first, index.row());
            last = std::max(last, index.row());
        }
        const std::optional<CsvRequest> block =
            last - first + 1 == selected.size() ? m_model->csvRequest(first, last) : std::nullopt;
        if (block) {
            request = *block;
            rows = last - first + 1;
        } else {
            note = tr("The selected rows are not one block, so the whole view is exported. To "
                      "export only some rows, select one block of adjacent rows.");
        }
    }
    auto *dialog = new ExportDialog(m_path, request, rows, this);
    dialog->setNote(note);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    Q_EMIT exportDialogOpened(dialog);
}

} // namespace Sluice
