#include "models/warehousetablemodel.h"

#include <algorithm>
#include <climits>

#include <QDateTime>
#include <QLocale>
#include <QThread>

#include "data/queryreader.h"
#include "data/warehousereader.h"
#include "models/cellformat.h"

namespace Sluice {

namespace {

    constexpr int PageSize = WarehouseReader::PageSize;

} // namespace

WarehouseTableModel::WarehouseTableModel(QObject *parent)
    : WarehouseTableModel(Source::Table, parent)
{ }

WarehouseTableModel::WarehouseTableModel(Source source, QObject *parent)
    : PagedRowsModel(PageSize, parent)
    , m_thread(startThread(
          source == Source::Query ? QStringLiteral("sql-reader") : QStringLiteral("data-reader")))
    , m_source(source)
    , m_latest(std::make_shared<std::atomic_int>(0))
{
    const auto attach = [this](auto *reader) {
        using Reader = std::remove_pointer_t<decltype(reader)>;
        m_reader = reader;
        reader->moveToThread(m_thread.get());
        connect(m_thread.get(), &QThread::finished, reader, &QObject::deleteLater);
        connect(reader, &Reader::opened, this, &WarehouseTableModel::onOpened);
        connect(reader, &Reader::pageFetched, this, &WarehouseTableModel::onPageFetched);
        connect(reader, &Reader::counted, this, &WarehouseTableModel::onCounted);
        connect(reader, &Reader::failed, this, &WarehouseTableModel::onFailed);
        m_open = [reader](
                     int generation, const TableQuery &query) { reader->open(generation, query); };
        m_fetch = [reader](int generation, int page) { reader->fetchPage(generation, page); };
    };
    if (source == Source::Query) {
        qRegisterMetaType<QueryFailure>();
        auto *reader = new QueryReader(m_latest, m_interrupter);
        attach(reader);
        connect(reader, &QueryReader::queryFailed, this,
            [this](int generation, const QueryFailure &failure) {
                if (generation == m_generation)
                    Q_EMIT queryFailed(failure);
            });
    } else {
        auto *reader = new WarehouseReader(m_latest);
        attach(reader);
        connect(reader, &WarehouseReader::tablesListed, this, &WarehouseTableModel::tablesListed);
        connect(reader, &WarehouseReader::timeFound, this, [this](int generation, qint64 row) {
            if (generation == m_generation)
                Q_EMIT timeFound(row);
        });
        connect(reader, &WarehouseReader::keysSampled, this, [this](int generation) {
            if (generation == m_generation)
                Q_EMIT keysSampled();
        });
    }
}

WarehouseTableModel::~WarehouseTableModel()
{
    m_latest->store(-1); // whatever is queued is skipped
    m_interrupter.interrupt(); // and a statement that never ends stops
    m_thread.reset(); // the reader is deleted on its thread
}

void WarehouseTableModel::setWarehousePath(const QString &path)
{
    if (path == m_query.path)
        return;
    m_query.path = path;
    restart();
}

void WarehouseTableModel::setTable(const QString &table)
{
    if (table == m_query.table)
        return;
    m_query.table = table;
    m_query.conditions.clear();
    m_query.sortColumn.clear();
    m_query.order = Qt::AscendingOrder;
    restart();
}

void WarehouseTableModel::setConditions(const QList<TableCondition> &conditions)
{
    m_query.conditions = conditions;
    restart();
}

void WarehouseTableModel::setTimeSpec(Qt::TimeSpec spec)
{
    if (spec == m_timeSpec)
        return;
    m_timeSpec = spec;
    if (!m_columns.isEmpty())
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, int(m_columns.size()) - 1);
    if (m_rowCount > 0 && !m_columns.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(m_rowCount - 1, int(m_columns.size()) - 1));
}

void WarehouseTableModel::sort(int column, Qt::SortOrder order)
{
    const QString name =
        column >= 0 && column < m_columns.size() ? m_columns[column].name : QString();
    if (name == m_query.sortColumn && order == m_query.order)
        return;
    m_query.sortColumn = name;
    m_query.order = order;
    restart();
}

void WarehouseTableModel::setSql(const QString &sql)
{
    m_query.sql = sql;
    m_interrupter.interrupt(); // a statement still running gives way to this one
    restart();
}

void WarehouseTableModel::cancel()
{
    if (m_source != Source::Query)
        return;
    // Whatever the reader does next for this query is dropped; what it runs now stops.
    ++m_generation;
    m_latest->store(m_generation);
    m_interrupter.interrupt();
    m_inFlight.clear();
    m_wanted.clear();
    const QueryFailure cancelled{ QueryFailure::Kind::Cancelled, -1, tr("Cancelled") };
    Q_EMIT queryFailed(cancelled);
    Q_EMIT loadFailed(cancelled.message);
}

void WarehouseTableModel::setBusyTimeout(int milliseconds)
{
    if (auto *reader = qobject_cast<QueryReader *>(m_reader)) {
        QMetaObject::invokeMethod(
            reader, [reader, milliseconds] { reader->setBusyTimeout(milliseconds); },
            Qt::QueuedConnection);
    }
}

void WarehouseTableModel::reload()
{
    // Same query, newer data: the rows stay (a reset of millions of rows costs the view a
    // long pause), the pages are read again and the count grows or shrinks to the new one.
    restart(true);
    Q_EMIT reloaded();
}

void WarehouseTableModel::listTables()
{
    auto *reader = qobject_cast<WarehouseReader *>(m_reader);
    if (m_query.path.isEmpty() || !reader)
        return;
    QMetaObject::invokeMethod(
        reader, [reader, path = m_query.path] { reader->listTables(path); }, Qt::QueuedConnection);
}

void WarehouseTableModel::findTime(const QString &column, qint64 seconds)
{
    auto *reader = qobject_cast<WarehouseReader *>(m_reader);
    if (m_query.table.isEmpty() || !reader)
        return;
    QMetaObject::invokeMethod(
        reader,
        [reader, generation = m_generation, column, seconds] {
            reader->findTime(generation, column, seconds);
        },
        Qt::QueuedConnection);
}

int WarehouseTableModel::columnIndex(const QString &name) const
{
    for (int i = 0; i < m_columns.size(); ++i) {
        if (m_columns[i].name == name)
            return i;
    }
    return -1;
}

bool WarehouseTableModel::isRowLoaded(int row) const
{
    return m_pages.contains(row / PageSize);
}

CsvRequest WarehouseTableModel::csvRequest() const
{
    CsvRequest request;
    if (m_source == Source::Query) {
        request.query = m_query.sql; // the exporter runs the same statement
        return request;
    }
    request.table = m_query.table;
    request.conditions = m_query.conditions;
    // The reader's order is TableFilter's order led by its first column; the export builds its
    // statement with TableFilter too, so naming that column gives the same rows in the same
    // order (rowid is what a table without a key falls back to anyway).
    const QString first = m_order.value(0);
    request.orderBy = first == QLatin1String("rowid") ? QString() : first;
    request.order = m_query.order;
    return request;
}

std::optional<CsvRequest> WarehouseTableModel::csvRequest(int first, int last) const
{
    if (first > last)
        std::swap(first, last);
    if (m_key.isEmpty() || m_order != m_key || first < 0 || last >= m_rowCount
        || !isRowLoaded(first) || !isRowLoaded(last))
        return std::nullopt;
    CsvRequest request = csvRequest();
    auto value = [this](int row, const QString &column) {
        return data(index(row, columnIndex(column)), RawRole);
    };
    for (int i = 0; i + 1 < m_key.size(); ++i) {
        const QVariant a = value(first, m_key[i]);
        if (a != value(last, m_key[i]))
            return std::nullopt;
        request.conditions << TableCondition{ m_key[i], TableCondition::Operator::Equal, a };
    }
    const QString column = m_key.last();
    const bool descending = m_query.order == Qt::DescendingOrder;
    request.conditions << TableCondition{ column, TableCondition::Operator::GreaterOrEqual,
        value(descending ? last : first, column) };
    request.conditions << TableCondition{ column, TableCondition::Operator::LessOrEqual,
        value(descending ? first : last, column) };
    return request;
}

void WarehouseTableModel::restart(bool keepRows)
{
    ++m_generation;
    m_latest->store(m_generation);
    if (!keepRows)
        beginResetModel();
    m_pages.clear();
    m_inFlight.clear();
    m_wanted.clear();
    m_count = -1;
    m_sortScansTable = false;
    m_skipped = 0;
    if (!keepRows) {
        m_decimals.clear();
        m_rowCount = 0;
        if (m_source == Source::Query)
            m_columns.clear(); // a statement that fails shows none of the last one's columns
        endResetModel();
    }
    if (m_query.path.isEmpty()
        || (m_source == Source::Query ? m_query.sql.isEmpty() : m_query.table.isEmpty()))
        return;
    QMetaObject::invokeMethod(
        m_reader,
        [open = m_open, generation = m_generation, query = m_query] { open(generation, query); },
        Qt::QueuedConnection);
    m_inFlight.insert(0); // open() reads the first page
}

void WarehouseTableModel::readPage(int page)
{
    QMetaObject::invokeMethod(
        m_reader, [fetch = m_fetch, generation = m_generation, page] { fetch(generation, page); },
        Qt::QueuedConnection);
}

void WarehouseTableModel::onOpened(int generation, const QList<TableColumn> &columns,
    const QStringList &key, const QStringList &order, bool sortScansTable)
{
    if (generation != m_generation)
        return;
    m_order = order;
    m_key = key;
    m_sortScansTable = sortScansTable;
    if (columns != m_columns) {
        beginResetModel();
        m_columns = columns;
        endResetModel();
    }
    Q_EMIT queryOpened();
}

void WarehouseTableModel::onPageFetched(
    int generation, int page, const TableRows &rows, qint64 skipped)
{
    if (generation != m_generation)
        return;
    m_skipped += skipped;
    storePage(page, rows, MaxCachedPages);
    if (m_count < 0 && page == 0 && m_rowCount < rows.size())
        setRowCount(int(rows.size()));
    showPage(page, int(rows.size()));
}

void WarehouseTableModel::onCounted(int generation, qint64 rows)
{
    if (generation != m_generation)
        return;
    m_count = rows;
    setRowCount(rows);
    Q_EMIT counted(rows);
}

void WarehouseTableModel::onFailed(int generation, const QString &message)
{
    if (generation != m_generation)
        return;
    m_inFlight.clear();
    Q_EMIT loadFailed(message);
}

QStringList WarehouseTableModel::exactText(int first, int last, int *missing) const
{
    QStringList lines;
    int notLoaded = 0;
    first = std::max(first, 0);
    last = std::min(last, m_rowCount - 1);
    for (int page = first / PageSize; first <= last && page <= last / PageSize; ++page) {
        const int from = std::max(first, page * PageSize);
        const int to = std::min(last, page * PageSize + PageSize - 1);
        const auto it = m_pages.constFind(page);
        if (it == m_pages.cend()) {
            notLoaded += to - from + 1;
            continue;
        }
        for (int row = from; row <= to; ++row) {
            const QVariantList values = it->value(row % PageSize);
            QStringList cells;
            for (int column = 0; column < m_columns.size(); ++column)
                cells << CellFormat::exact(values.value(column));
            lines << cells.join(QLatin1Char('\t'));
        }
    }
    if (missing)
        *missing = notLoaded;
    return lines;
}

QVariant WarehouseTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return QLocale().toString(section + 1);
        return {};
    }
    if (section < 0 || section >= m_columns.size())
        return {};
    const TableColumn &column = m_columns[section];
    if (role == Qt::DisplayRole) {
        if (isTimestamp(column)) {
            return m_timeSpec == Qt::UTC ? tr("%1 (UTC)").arg(column.name)
                                         : tr("%1 (local)").arg(column.name);
        }
        return column.name;
    }
    if (role == Qt::ToolTipRole)
        return tr("%1, %2").arg(column.name, column.type);
    if (role == Qt::UserRole)
        return column.name;
    return {};
}

} // namespace Sluice
