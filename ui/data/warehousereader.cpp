#include "data/warehousereader.h"

#include <algorithm>

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include "storage/warehouse.h"

namespace Sluice {

WarehouseReader::WarehouseReader(std::shared_ptr<std::atomic_int> latest, QObject *parent)
    : QObject(parent)
    , m_latest(std::move(latest))
{ }

WarehouseReader::~WarehouseReader() = default;

Result<void> WarehouseReader::connectTo(const QString &path)
{
    if (m_connection && m_connection->path() == path)
        return {};
    m_connection.reset();
    Result<SqliteConnection> connection = SqliteConnection::open(
        path, QStringLiteral("data-reader"), SqliteConnection::Mode::ReadOnly);
    if (!connection)
        return connection.error();
    m_connection.emplace(std::move(*connection));
    return {};
}

void WarehouseReader::open(int generation, const TableQuery &query)
{
    if (isStale(generation))
        return;
    m_generation = generation;
    m_anchors.clear();
    m_pageKeys.clear();
    m_scanLast.clear();
    m_scanned = 0;
    m_count = -1;
    m_filter.reset();
    if (Result<void> connected = connectTo(query.path); !connected) {
        Q_EMIT failed(generation, connected.error().message());
        return;
    }
    QSqlDatabase db = m_connection->database();

    // Names come from the schema; what the user typed is only ever bound.
    QSqlQuery info(db);
    info.prepare(QStringLiteral("SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid"));
    info.addBindValue(query.table);
    QList<TableColumn> columns;
    QStringList names;
    std::map<int, QString> keyByPosition;
    if (info.exec()) {
        while (info.next()) {
            const QString name = info.value(0).toString();
            columns.append({ name, info.value(1).toString().toUpper() });
            names << name;
            if (info.value(2).toInt() > 0)
                keyByPosition[info.value(2).toInt()] = name;
        }
    }
    if (columns.isEmpty() || query.table.startsWith(QLatin1String("sqlite_"))) {
        Q_EMIT failed(generation,
            tr("cannot open table \"%1\" of %2: no such table").arg(query.table, query.path));
        return;
    }
    QStringList key;
    for (const auto &[position, name] : keyByPosition)
        key << name;

    TableFilter filter(query.table, names, key);
    auto refuse = [&](const Error &error) {
        Q_EMIT failed(generation, Error{ error.what, query.path }.message());
    };
    for (const TableCondition &condition : query.conditions) {
        if (Result<void> added = filter.addCondition(condition); !added) {
            refuse(added.error());
            return;
        }
    }
    // A key column sorts in key order: the key's index gives it without sorting the table.
    const QString sortColumn = key.contains(query.sortColumn) ? QString() : query.sortColumn;
    if (Result<void> ordered = filter.setOrder(sortColumn, query.order); !ordered) {
        refuse(ordered.error());
        return;
    }

    const QStringList order = filter.orderColumns();
    m_keyOrdered = !key.isEmpty() && order == key;
    m_selected = TableFilter::quotedList(names);
    m_tupleIndexes.clear();
    qsizetype extra = names.size();
    for (const QString &column : order) {
        qsizetype index = names.indexOf(column);
        if (index < 0) { // rowid, the one order column that is no column: read it after them
            index = extra++;
            m_selected += QStringLiteral(", ") + column;
        }
        m_tupleIndexes << int(index);
    }
    m_filter.emplace(std::move(filter));
    Q_EMIT opened(generation, columns, key, order);

    Result<TableRows> first = readPage(0);
    if (!first) {
        Q_EMIT failed(generation, first.error().message());
        return;
    }
    Q_EMIT pageFetched(generation, 0, *first);
    if (isStale(generation))
        return;

    QSqlQuery count(db);
    count.setForwardOnly(true);
    count.prepare(QStringLiteral("SELECT COUNT(*)") + m_filter->from());
    for (const QVariant &value : m_filter->bindings())
        count.addBindValue(value);
    if (!count.exec() || !count.next()) {
        Q_EMIT failed(generation,
            tr("cannot count the rows of \"%1\" in %2: %3")
                .arg(query.table, query.path, count.lastError().text()));
        return;
    }
    m_count = count.value(0).toLongLong();
    Q_EMIT counted(generation, m_count);
    // Only an order the key's index gives can be walked cheaply; any other needs a full sort
    // per query, so it keeps reading from the nearest known page.
    if (m_count > 64 * PageSize && m_keyOrdered)
        scanKeys(generation);
}

void WarehouseReader::scanKeys(int generation)
{
    if (isStale(generation) || generation != m_generation)
        return;
    constexpr int ChunkRows = 128 * PageSize;
    const QString after =
        m_scanLast.isEmpty() ? QString() : m_filter->seek(TableFilter::Seek::After);
    QSqlQuery query(m_connection->database());
    query.setForwardOnly(true);
    if (!query.prepare(QStringLiteral("SELECT ") + m_filter->orderList() + m_filter->from(after)
            + m_filter->orderBy() + QStringLiteral(" LIMIT ?")))
        return; // pages are still read from the nearest known page
    for (const QVariant &value : m_filter->bindings())
        query.addBindValue(value);
    for (const QVariant &value : std::as_const(m_scanLast))
        query.addBindValue(value);
    query.addBindValue(ChunkRows);
    if (!query.exec())
        return;
    const int fields = int(m_tupleIndexes.size());
    int rows = 0;
    QVariantList key;
    while (query.next()) {
        if (isStale(generation))
            return;
        key.clear();
        for (int i = 0; i < fields; ++i)
            key << query.value(i);
        if (m_scanned % PageSize == 0)
            m_pageKeys.push_back(key);
        ++m_scanned;
        ++rows;
    }
    if (rows < ChunkRows)
        return; // the end of the query
    m_scanLast = key; // the next chunk starts after it
    QMetaObject::invokeMethod(
        this, [this, generation] { scanKeys(generation); }, Qt::QueuedConnection);
}

void WarehouseReader::fetchPage(int generation, int page)
{
    if (isStale(generation) || generation != m_generation || !m_filter)
        return;
    Result<TableRows> rows = readPage(page);
    if (!rows) {
        Q_EMIT failed(generation, rows.error().message());
        return;
    }
    Q_EMIT pageFetched(generation, page, *rows);
}

Result<TableRows> WarehouseReader::readPage(int page)
{
    const qint64 start = qint64(page) * PageSize;
    if (page >= 0 && size_t(page) < m_pageKeys.size()) {
        // The scan knows where this page starts: one seek, nothing skipped.
        Result<TableRows> rows =
            select(TableFilter::Seek::AtOrAfter, m_pageKeys[size_t(page)], true, PageSize, 0);
        if (rows)
            remember(page, *rows);
        return rows;
    }
    // Candidates: from the start, from the end, after the nearest known page below, before the
    // nearest known page above. The one that skips the fewest rows wins.
    enum class From { Start, End, After, Before } from = From::Start;
    qint64 skip = start;
    int limit = PageSize;
    int anchorPage = -1;
    if (m_count >= 0) {
        const qint64 end = std::min(m_count, start + PageSize);
        if (end <= start)
            return TableRows{};
        if (m_count - end < skip) {
            from = From::End;
            skip = m_count - end;
            limit = int(end - start);
        }
    }
    const auto above = m_anchors.upper_bound(page);
    const auto atOrAbove = m_anchors.lower_bound(page);
    if (atOrAbove != m_anchors.begin()) {
        const auto below = std::prev(atOrAbove);
        const qint64 rows = qint64(page - below->first - 1) * PageSize;
        if (rows < skip) {
            from = From::After;
            skip = rows;
            limit = PageSize;
            anchorPage = below->first;
        }
    }
    if (above != m_anchors.end()) {
        const qint64 rows = qint64(above->first - page - 1) * PageSize;
        if (rows < skip) {
            from = From::Before;
            skip = rows;
            limit = PageSize;
            anchorPage = above->first;
        }
    }

    Result<TableRows> rows = TableRows{};
    switch (from) {
    case From::Start:
        rows = select(std::nullopt, {}, true, limit, skip);
        break;
    case From::End:
        rows = select(std::nullopt, {}, false, limit, skip);
        break;
    case From::After:
        rows = select(TableFilter::Seek::After, m_anchors[anchorPage].last, true, limit, skip);
        break;
    case From::Before:
        rows = select(TableFilter::Seek::Before, m_anchors[anchorPage].first, false, limit, skip);
        break;
    }
    if (!rows)
        return rows;
    if (from == From::End || from == From::Before)
        std::reverse(rows->begin(), rows->end());
    remember(page, *rows);
    return rows;
}

Result<TableRows> WarehouseReader::select(std::optional<TableFilter::Seek> seek,
    const QVariantList &key, bool forward, int limit, qint64 offset)
{
    // Read backwards, the rows come in reverse order; the caller turns them round.
    const QString sql = QStringLiteral("SELECT ") + m_selected
        + m_filter->from(seek ? m_filter->seek(*seek) : QString()) + m_filter->orderBy(!forward)
        + QStringLiteral(" LIMIT ? OFFSET ?");

    QSqlQuery query(m_connection->database());
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return Error{ tr("cannot read rows: %1").arg(query.lastError().text()),
            m_connection->path() };
    for (const QVariant &value : m_filter->bindings())
        query.addBindValue(value);
    for (const QVariant &value : key)
        query.addBindValue(value);
    query.addBindValue(limit);
    query.addBindValue(offset);
    if (!query.exec())
        return Error{ tr("cannot read rows: %1").arg(query.lastError().text()),
            m_connection->path() };
    TableRows rows;
    rows.reserve(limit);
    const int fields = query.record().count();
    while (query.next()) {
        QVariantList row;
        row.reserve(fields);
        for (int i = 0; i < fields; ++i)
            row << query.value(i);
        rows << row;
    }
    return rows;
}

void WarehouseReader::remember(int page, const TableRows &rows)
{
    if (rows.isEmpty())
        return;
    auto keyOf = [this](const QVariantList &row) {
        QVariantList key;
        for (int index : std::as_const(m_tupleIndexes))
            key << row.value(index);
        return key;
    };
    // A few thousand pages of keys at most: far ones go first.
    if (m_anchors.size() >= 4096) {
        const int firstPage = m_anchors.begin()->first;
        const int lastPage = m_anchors.rbegin()->first;
        m_anchors.erase(
            page - firstPage > lastPage - page ? m_anchors.begin() : std::prev(m_anchors.end()));
    }
    m_anchors[page] = Anchor{ keyOf(rows.first()), keyOf(rows.last()) };
}

void WarehouseReader::listTables(const QString &path)
{
    QList<TableSummary> tables;
    if (connectTo(path)) {
        QSqlDatabase db = m_connection->database();
        QSqlQuery names(db);
        names.setForwardOnly(true);
        QStringList found;
        if (names.exec(
                QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"
                               " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"))) {
            while (names.next())
                found << names.value(0).toString();
        }
        const QString clean = QLatin1String(Warehouse::CleanTable);
        if (found.removeAll(clean) > 0)
            found.prepend(clean);
        for (const QString &name : std::as_const(found)) {
            QSqlQuery count(db);
            count.setForwardOnly(true);
            TableSummary summary{ name, -1 };
            if (count.exec(QStringLiteral("SELECT COUNT(*) FROM ") + TableFilter::quoted(name))
                && count.next())
                summary.rows = count.value(0).toLongLong();
            tables << summary;
        }
    }
    Q_EMIT tablesListed(tables);
}

} // namespace Sluice
