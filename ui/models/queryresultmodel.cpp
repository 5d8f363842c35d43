#include "models/queryresultmodel.h"

#include <algorithm>
#include <climits>

#include <QDateTime>
#include <QElapsedTimer>
#include <QLocale>
#include <QThread>

#include "models/cellformat.h"

namespace Sluice {

namespace {

    // Adding rows to a QTableView costs time in proportion to the rows it has (its header
    // keeps one item a row): up to this many, rows are added as they are spooled; past it,
    // when the spooled rows have doubled or every GrowEveryMs, so that a growing result of
    // millions of rows stalls the window a dozen times rather than ten times a second.
    constexpr int CheapRows = 100'000;
    constexpr int GrowEveryMs = 1000;

} // namespace

QueryResultModel::QueryResultModel(QObject *parent)
    : PagedRowsModel(PageSize, parent)
    , m_thread(startThread(QStringLiteral("sql-reader")))
    , m_pagesThread(startThread(QStringLiteral("sql-pages")))
    , m_latest(std::make_shared<std::atomic_int>(0))
{
    qRegisterMetaType<QueryFailure>();
    auto slot = std::make_shared<QuerySpoolSlot>();
    m_reader = new QueryReader(m_latest, m_interrupter);
    m_reader->setSpoolSlot(slot);
    m_reader->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_reader, &QObject::deleteLater);
    m_pageReader = new QueryPageReader(m_latest, slot);
    m_pageReader->moveToThread(m_pagesThread.get());
    connect(m_pagesThread.get(), &QThread::finished, m_pageReader, &QObject::deleteLater);
    connect(m_pageReader, &QueryPageReader::pageWanted, m_reader, &QueryReader::fetchPage);
    connect(m_pageReader, &QueryPageReader::pageFetched, this,
        [this](int generation, int page, const TableRows &rows) {
            onPageFetched(generation, page, rows);
        });
    connect(m_reader, &QueryReader::opened, this,
        [this](
            int generation, const QList<TableColumn> &columns) { onOpened(generation, columns); });
    connect(m_reader, &QueryReader::pageFetched, this,
        [this](int generation, int page, const TableRows &rows) {
            onPageFetched(generation, page, rows);
        });
    connect(m_reader, &QueryReader::spooled, this, &QueryResultModel::onSpooled);
    connect(m_reader, &QueryReader::counted, this, &QueryResultModel::onCounted);
    connect(m_reader, &QueryReader::queryFailed, this, &QueryResultModel::onFailed);
}

QueryResultModel::~QueryResultModel()
{
    m_latest->store(-1); // whatever is queued is skipped, a statement running stops
    m_interrupter.interrupt();
    m_pagesThread.reset();
    m_thread.reset(); // the reader (and its spool) is deleted on its thread
}

void QueryResultModel::setWarehousePath(const QString &path)
{
    if (path == m_query.path)
        return;
    m_query.path = path;
    restart();
}

void QueryResultModel::setSql(const QString &sql)
{
    m_query.sql = sql;
    restart();
}

void QueryResultModel::cancel()
{
    if (!m_running)
        return;
    // The generation stays: the rows spooled so far can still be read.
    m_running = false;
    m_reader->cancel(m_generation);
    m_interrupter.interrupt();
    Q_EMIT queryFailed({ QueryFailure::Kind::Cancelled, -1, tr("Cancelled") });
}

void QueryResultModel::setBusyTimeout(int milliseconds)
{
    QMetaObject::invokeMethod(
        m_reader, [reader = m_reader, milliseconds] { reader->setBusyTimeout(milliseconds); },
        Qt::QueuedConnection);
}

void QueryResultModel::setSpoolDirectory(const QString &parent)
{
    QMetaObject::invokeMethod(
        m_reader, [reader = m_reader, parent] { reader->setSpoolDirectory(parent); },
        Qt::QueuedConnection);
}

int QueryResultModel::columnIndex(const QString &name) const
{
    for (int i = 0; i < m_columns.size(); ++i) {
        if (m_columns[i].name == name)
            return i;
    }
    return -1;
}

CsvRequest QueryResultModel::csvRequest() const
{
    CsvRequest request;
    request.query = m_query.sql; // the exporter runs the same statement
    return request;
}

void QueryResultModel::restart()
{
    ++m_generation;
    m_latest->store(m_generation); // a statement still running gives way to this one
    beginResetModel();
    m_pages.clear();
    m_inFlight.clear();
    m_wanted.clear();
    m_decimals.clear();
    m_columns.clear(); // a statement that fails shows none of the last one's columns
    m_rowCount = 0;
    m_spooled = 0;
    m_count = -1;
    m_running = false;
    m_grown.invalidate();
    endResetModel();
    if (m_query.path.isEmpty() || m_query.sql.isEmpty())
        return;
    m_running = true;
    QMetaObject::invokeMethod(
        m_reader,
        [reader = m_reader, generation = m_generation, query = m_query] {
            reader->open(generation, query);
        },
        Qt::QueuedConnection);
    m_inFlight.insert(0); // the reader sends the first page when it has it
}

void QueryResultModel::readPage(int page)
{
    QMetaObject::invokeMethod(
        m_pageReader,
        [reader = m_pageReader, generation = m_generation, page] {
            reader->fetchPage(generation, page);
        },
        Qt::QueuedConnection);
}

void QueryResultModel::onOpened(int generation, const QList<TableColumn> &columns)
{
    if (generation != m_generation)
        return;
    beginResetModel();
    m_columns = columns;
    endResetModel();
    Q_EMIT queryOpened();
}

void QueryResultModel::onPageFetched(int generation, int page, const TableRows &rows)
{
    if (generation != m_generation)
        return;
    storePage(page, rows, MaxCachedPages);
    // A page is sent once it is spooled: its rows are shown even before the next progress.
    setRowCount(std::max<qint64>(m_rowCount, qint64(page) * PageSize + rows.size()));
    showPage(page, int(rows.size()));
}

void QueryResultModel::onSpooled(int generation, qint64 rows)
{
    if (generation != m_generation)
        return;
    m_spooled = rows;
    if (m_running && rows > CheapRows && rows < 2 * qint64(m_rowCount) && m_grown.isValid()
        && m_grown.elapsed() < GrowEveryMs) {
        Q_EMIT spooled(rows); // the rows are read; they are shown at the next growth
        return;
    }
    m_grown.start();
    // A page that came with fewer rows than it now has is read again when it is shown.
    QList<int> grown;
    for (auto it = m_pages.begin(); it != m_pages.end();) {
        if (it->size() < PageSize && qint64(it.key()) * PageSize + it->size() < rows) {
            grown << it.key();
            it = m_pages.erase(it);
        } else {
            ++it;
        }
    }
    setRowCount(rows);
    for (const int page : std::as_const(grown)) {
        const int first = page * PageSize;
        const int last = std::min(m_rowCount, first + PageSize) - 1;
        if (last >= first && !m_columns.isEmpty())
            Q_EMIT dataChanged(index(first, 0), index(last, int(m_columns.size()) - 1));
    }
    Q_EMIT spooled(rows);
}

void QueryResultModel::onCounted(int generation, qint64 rows)
{
    if (generation != m_generation)
        return;
    m_spooled = rows;
    m_count = rows;
    setRowCount(rows);
    if (!m_running)
        return; // cancelled as it ended: Cancelled was said
    m_running = false;
    Q_EMIT counted(rows);
}

void QueryResultModel::onFailed(int generation, const QueryFailure &failure)
{
    if (generation != m_generation)
        return;
    m_inFlight.clear();
    if (!m_running)
        return; // a Cancel said it already
    m_running = false;
    Q_EMIT queryFailed(failure);
}

QVariant QueryResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return QLocale().toString(section + 1);
        return {};
    }
    if (section < 0 || section >= m_columns.size())
        return {};
    const TableColumn &column = m_columns[section];
    if (role == Qt::DisplayRole)
        return isTimestamp(column) ? tr("%1 (UTC)").arg(column.name) : column.name;
    if (role == Qt::ToolTipRole)
        return tr("%1, %2").arg(column.name, column.type);
    if (role == Qt::UserRole)
        return column.name;
    return {};
}

} // namespace Sluice
