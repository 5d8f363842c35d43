#include "data/warehousereader.h"

#include <algorithm>

#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <sqlite3.h>

#include "storage/warehouse.h"

namespace Sluice {

namespace {

    // How long the walk of the keys steps before it lets waiting page requests in.
    constexpr qint64 WalkSliceMs = 4;
    // The rows from one sampled key to the next.
    constexpr qint64 SampleRows = qint64(WarehouseReader::PageSize) * WarehouseReader::SampleStride;

    bool sameQuery(const TableQuery &a, const TableQuery &b)
    {
        if (a.path != b.path || a.table != b.table || a.sortColumn != b.sortColumn
            || a.order != b.order || a.conditions.size() != b.conditions.size())
            return false;
        for (qsizetype i = 0; i < a.conditions.size(); ++i) {
            const TableCondition &x = a.conditions[i];
            const TableCondition &y = b.conditions[i];
            if (x.column != y.column || x.op != y.op || x.value != y.value)
                return false;
        }
        return true;
    }

} // namespace

WarehouseReader::WarehouseReader(std::shared_ptr<std::atomic_int> latest, QObject *parent)
    : QObject(parent)
    , m_latest(std::move(latest))
{ }

WarehouseReader::~WarehouseReader()
{
    resetWalk(); // before their connection closes
}

void WarehouseReader::resetWalk()
{
    m_hop.reset();
    m_hopInRun.reset();
    m_back.reset();
    m_backInRun.reset();
    m_walk.reset();
}

int WarehouseReader::interruptStale(void *reader)
{
    const auto *self = static_cast<const WarehouseReader *>(reader);
    const int running = self->m_running.load();
    return running >= 0 && self->isStale(running) ? 1 : 0;
}

Result<void> WarehouseReader::connectTo(const QString &path)
{
    if (m_connection && m_connection->path() == path)
        return {};
    resetWalk();
    m_connection.reset();
    Result<SqliteConnection> connection = SqliteConnection::open(
        path, QStringLiteral("data-reader"), SqliteConnection::Mode::ReadOnly);
    if (!connection)
        return connection.error();
    m_connection.emplace(std::move(*connection));
    // A sort of millions of rows asked for by a query the user has already left ends at once.
    if (Result<sqlite3 *> handle = m_connection->handle())
        sqlite3_progress_handler(*handle, 10'000, &WarehouseReader::interruptStale, this);
    return {};
}

void WarehouseReader::open(int generation, const TableQuery &query)
{
    if (isStale(generation))
        return;
    m_generation = generation;
    m_running = generation;
    resetWalk();
    m_walkKeys.clear();
    m_backKeys.clear();
    m_samples = 0;
    m_hopBack = false;
    m_firstRowid.reset();
    m_walked = 0;
    m_anchors.clear();
    // The same query again (newer data): its page keys still point at the right rows, or near
    // them, until the new walk has sampled them afresh.
    if (!m_query || !sameQuery(*m_query, query))
        m_pageKeys.clear();
    m_query = query;
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
    // An INTEGER PRIMARY KEY of a rowid table is its rowid: an integer, never a gap filled twice.
    m_keyIsRowid = false;
    if (key.size() == 1
        && columns.value(names.indexOf(key.first())).type == QLatin1String("INTEGER")) {
        QSqlQuery kind(db);
        kind.setForwardOnly(true);
        kind.prepare(
            QStringLiteral("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?"));
        kind.addBindValue(query.table);
        m_keyIsRowid = kind.exec() && kind.next() && kind.value(0).toInt() == 0;
    }
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
    const bool scansTable = sortScansTable();
    Q_EMIT opened(generation, columns, key, order, scansTable);

    qint64 skipped = 0;
    Result<TableRows> first = readPage(0, &skipped);
    if (!first) {
        Q_EMIT failed(generation, first.error().message());
        return;
    }
    Q_EMIT pageFetched(generation, 0, *first, skipped);
    if (isStale(generation))
        return;

    if (!scansTable) {
        // An index gives the order: the walk hops, and counts in its own snapshot.
        if (Result<void> started = startWalk(false); !started) {
            Q_EMIT failed(generation, started.error().message());
            return;
        }
        if (countInWalk(generation))
            walk(generation);
        return;
    }
    {
        // The rows at once, by a COUNT (which neither sorts nor hands out rows): the view
        // can be scrolled end to end long before the walk below has sampled every page key.
        QSqlQuery count(db);
        count.setForwardOnly(true);
        count.prepare(QStringLiteral("SELECT COUNT(*)") + m_filter->from());
        for (const QVariant &value : m_filter->bindings())
            count.addBindValue(value);
        if (!count.exec() || !count.next()) {
            if (!isStale(generation)) {
                Q_EMIT failed(generation,
                    tr("cannot count the rows of \"%1\" in %2: %3")
                        .arg(query.table, query.path, count.lastError().text()));
            }
            return;
        }
        m_count = count.value(0).toLongLong();
        Q_EMIT counted(generation, m_count);
    }
    // The walk of the keys samples every page's first key, and counts again (a writer may have
    // added rows since the COUNT; counted() again when so).
    if (Result<void> started = startWalk(true); !started) {
        Q_EMIT failed(generation, started.error().message());
        return;
    }
    walk(generation);
}

bool WarehouseReader::sortScansTable()
{
    if (m_keyOrdered || m_filter->orderColumns() == QStringList{ QStringLiteral("rowid") })
        return false;
    QSqlQuery plan(m_connection->database());
    plan.setForwardOnly(true);
    plan.prepare(QStringLiteral("EXPLAIN QUERY PLAN SELECT ") + m_filter->orderList()
        + m_filter->from() + m_filter->orderBy());
    for (const QVariant &value : m_filter->bindings())
        plan.addBindValue(value);
    if (!plan.exec())
        return false;
    while (plan.next()) {
        // "USE TEMP B-TREE FOR ORDER BY"; "... FOR RIGHT PART OF ORDER BY" sorts only runs of
        // equal values an index gives.
        if (plan.value(3).toString().contains(QLatin1String("TEMP B-TREE FOR ORDER BY")))
            return true;
    }
    return false;
}

Result<void> WarehouseReader::startWalk(bool stepRows)
{
    Result<sqlite3 *> db = m_connection->handle();
    if (!db)
        return db.error();
    auto prepare = [&](const QString &sql, SqliteStatement *into) -> Result<void> {
        Result<SqliteStatement> statement = prepareStatement(*db, sql, m_connection->path());
        if (!statement)
            return statement.error();
        int parameter = 0;
        for (const QVariant &value : m_filter->bindings())
            bindValue(statement->get(), ++parameter, value);
        *into = std::move(*statement);
        return {};
    };
    const QString keys = QStringLiteral("SELECT ") + m_filter->orderList();
    if (Result<void> walk = prepare(keys + m_filter->from() + m_filter->orderBy(), &m_walk); !walk)
        return walk;
    if (stepRows)
        return {};
    // Forward: the key SampleRows rows on, at or after the bound one; back: the key SampleRows
    // rows before it (the first row before it is one of them).
    const QString forward =
        m_filter->orderBy() + QStringLiteral(" LIMIT 1 OFFSET ") + QString::number(SampleRows);
    const QString back = m_filter->orderBy(true) + QStringLiteral(" LIMIT 1 OFFSET ")
        + QString::number(SampleRows - 1);
    using Seek = TableFilter::Seek;
    if (Result<void> hop =
            prepare(keys + m_filter->from(m_filter->seek(Seek::AtOrAfter)) + forward, &m_hop);
        !hop)
        return hop;
    if (Result<void> hop =
            prepare(keys + m_filter->from(m_filter->seek(Seek::Before)) + back, &m_back);
        !hop)
        return hop;
    if (m_filter->orderColumns().size() < 2)
        return {};
    if (Result<void> hop = prepare(
            keys + m_filter->from(m_filter->seekInRun(Seek::AtOrAfter)) + forward, &m_hopInRun);
        !hop)
        return hop;
    return prepare(keys + m_filter->from(m_filter->seekInRun(Seek::Before)) + back, &m_backInRun);
}

std::optional<QString> WarehouseReader::rowidRangeSql() const
{
    const QStringList order = m_filter->orderColumns();
    if (!m_query->conditions.isEmpty() || order.size() != 1)
        return std::nullopt;
    if (order.first() != QLatin1String("rowid")) {
        // An INTEGER PRIMARY KEY of a rowid table is its rowid.
        if (m_filter->key() != order || !m_keyIsRowid)
            return std::nullopt;
    }
    const QString column = m_filter->orderList();
    const QString from = m_filter->from();
    return QStringLiteral("SELECT (SELECT COUNT(*)%1), (SELECT MIN(%2)%1), (SELECT MAX(%2)%1)")
        .arg(from, column);
}

bool WarehouseReader::countInWalk(int generation)
{
    m_running = generation;
    // The first key; the statement stays open, so that the COUNT and every hop read its
    // snapshot.
    const int rc = sqlite3_step(m_walk.get());
    if (rc != SQLITE_ROW) {
        endWalk(generation, rc, 0);
        return false;
    }
    const int fields = int(m_tupleIndexes.size());
    QVariantList firstKey;
    for (int i = 0; i < fields; ++i)
        firstKey << columnValue(m_walk.get(), i);
    m_walkKeys.push_back(std::move(firstKey));

    // The rows at once, by a COUNT (which neither sorts nor hands out rows): the view can be
    // scrolled end to end long before the walk has sampled every page key.
    const std::optional<QString> rowids = rowidRangeSql();
    QSqlQuery count(m_connection->database());
    count.setForwardOnly(true);
    count.prepare(rowids ? *rowids : QStringLiteral("SELECT COUNT(*)") + m_filter->from());
    for (const QVariant &value : m_filter->bindings())
        count.addBindValue(value);
    if (!count.exec() || !count.next()) {
        const QString error = count.lastError().text();
        resetWalk();
        if (!isStale(generation)) {
            Q_EMIT failed(generation,
                tr("cannot count the rows of \"%1\" in %2: %3")
                    .arg(m_query->table, m_query->path, error));
        }
        return false;
    }
    m_count = count.value(0).toLongLong();
    m_samples = size_t((m_count + SampleRows - 1) / SampleRows);
    Q_EMIT counted(generation, m_count);
    if (rowids && m_count > 0) {
        const qint64 min = count.value(1).toLongLong();
        const qint64 max = count.value(2).toLongLong();
        if (max - min + 1 == m_count) {
            // Every rowid from min to max is there: the key of row k is min + k (descending:
            // max - k). No walk.
            const bool descending = m_filter->isDescending();
            std::vector<QVariantList> keys;
            keys.reserve(m_samples);
            for (size_t sample = 0; sample < m_samples; ++sample) {
                const qint64 rows = qint64(sample) * SampleRows;
                keys.push_back({ QVariant(descending ? max - rows : min + rows) });
            }
            count.finish();
            resetWalk();
            m_walkKeys.clear();
            m_pageKeys.swap(keys);
            m_firstRowid = descending ? max : min;
            Q_EMIT keysSampled(generation);
            return false;
        }
    }
    return true;
}

void WarehouseReader::walk(int generation)
{
    if (isStale(generation) || generation != m_generation || !m_walk)
        return;
    m_running = generation;
    if (m_hop)
        hopPages(generation);
    else
        stepRows(generation);
}

void WarehouseReader::stepRows(int generation, size_t until)
{
    QElapsedTimer slice;
    slice.start();
    sqlite3_stmt *statement = m_walk.get();
    const int fields = int(m_tupleIndexes.size());
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        if (m_walked % SampleRows == 0) {
            QVariantList key;
            key.reserve(fields);
            for (int i = 0; i < fields; ++i)
                key << columnValue(statement, i);
            m_walkKeys.push_back(std::move(key));
        }
        ++m_walked;
        if (m_walkKeys.size() >= until)
            return;
        if (until == SIZE_MAX && m_walked % 4096 == 0 && slice.elapsed() >= WalkSliceMs) {
            // The page requests queued meanwhile go first; the statement keeps its place (and
            // its snapshot of the table).
            QMetaObject::invokeMethod(
                this, [this, generation] { walk(generation); }, Qt::QueuedConnection);
            return;
        }
    }
    endWalk(generation, rc, m_walked);
}

const QVariantList *WarehouseReader::sampledKey(size_t sample) const
{
    if (sample < m_walkKeys.size())
        return &m_walkKeys[sample];
    if (sample < m_samples && m_samples - sample <= m_backKeys.size())
        return &m_backKeys[m_samples - 1 - sample];
    // The last walk of this query (or a table without gaps in its rowids).
    if (sample < m_pageKeys.size())
        return &m_pageKeys[sample];
    return nullptr;
}

namespace {

    QVariantList keyOf(sqlite3_stmt *statement, int fields)
    {
        QVariantList key;
        key.reserve(fields);
        for (int i = 0; i < fields; ++i)
            key << columnValue(statement, i);
        return key;
    }

    // The key's values after the filter's.
    void bindKey(sqlite3_stmt *statement, int bindings, const QVariantList &key)
    {
        sqlite3_reset(statement);
        int parameter = bindings;
        for (const QVariant &value : key)
            bindValue(statement, ++parameter, value);
    }

} // namespace

int WarehouseReader::hopForward()
{
    const int fields = int(m_tupleIndexes.size());
    const int bindings = int(m_filter->bindings().size());
    // SQLite steps over the rows itself, without handing them out one by one; among the rows of
    // the key's run first, where it checks no row value on each.
    for (sqlite3_stmt *hop : { m_hopInRun.get(), m_hop.get() }) {
        if (!hop)
            continue;
        bindKey(hop, bindings, m_walkKeys.back());
        const int rc = sqlite3_step(hop);
        if (rc == SQLITE_ROW) {
            m_walkKeys.push_back(keyOf(hop, fields));
            sqlite3_reset(hop);
            return rc;
        }
        if (rc != SQLITE_DONE)
            return rc;
    }
    return SQLITE_DONE;
}

int WarehouseReader::hopBackward()
{
    const int fields = int(m_tupleIndexes.size());
    if (m_backKeys.empty()) {
        // The last sample: the rows after it counted from the end (fewer than SampleRows).
        const qint64 after = m_count - 1 - qint64(m_samples - 1) * SampleRows;
        Result<SqliteStatement> last = prepareStatement(sqlite3_db_handle(m_walk.get()),
            QStringLiteral("SELECT ") + m_filter->orderList() + m_filter->from()
                + m_filter->orderBy(true) + QStringLiteral(" LIMIT 1 OFFSET ")
                + QString::number(after),
            m_connection->path());
        if (!last)
            return SQLITE_ERROR;
        int parameter = 0;
        for (const QVariant &value : m_filter->bindings())
            bindValue(last->get(), ++parameter, value);
        const int rc = sqlite3_step(last->get());
        if (rc == SQLITE_ROW)
            m_backKeys.push_back(keyOf(last->get(), fields));
        return rc;
    }
    const int bindings = int(m_filter->bindings().size());
    for (sqlite3_stmt *hop : { m_backInRun.get(), m_back.get() }) {
        if (!hop)
            continue;
        bindKey(hop, bindings, m_backKeys.back());
        const int rc = sqlite3_step(hop);
        if (rc == SQLITE_ROW) {
            m_backKeys.push_back(keyOf(hop, fields));
            sqlite3_reset(hop);
            return rc;
        }
        if (rc != SQLITE_DONE)
            return rc;
    }
    return SQLITE_DONE;
}

void WarehouseReader::hopPages(int generation, size_t wanted)
{
    QElapsedTimer slice;
    slice.start();
    for (;;) {
        // Samples below front are known from the start, those from back on from the end.
        const size_t front = m_walkKeys.size();
        const size_t back = m_samples - std::min(m_samples, m_backKeys.size());
        if (front >= back) {
            endWalk(generation, SQLITE_DONE, m_count);
            return;
        }
        bool fromEnd = m_hopBack;
        if (wanted != SIZE_MAX) {
            if (wanted < front || wanted >= back)
                return;
            // Hops to it: wanted - front + 1 from the start, back - wanted from the end.
            fromEnd = back - wanted <= wanted - front;
        }
        const int rc = fromEnd ? hopBackward() : hopForward();
        if (rc == SQLITE_DONE) {
            // No row where the COUNT of the same snapshot has one: a key with a NULL in it
            // compares as unknown, so no row is after it. The walk stops with the keys from
            // the start it has; the pages past them are read by OFFSET.
            resetWalk();
            m_backKeys.clear();
            m_samples = 0;
            m_pageKeys.swap(m_walkKeys);
            m_walkKeys.clear();
            return;
        }
        if (rc != SQLITE_ROW) {
            endWalk(generation, rc, 0);
            return;
        }
        if (wanted == SIZE_MAX && slice.elapsed() >= WalkSliceMs) {
            // The page requests queued meanwhile go first; the other end hops next.
            m_hopBack = !m_hopBack;
            QMetaObject::invokeMethod(
                this, [this, generation] { walk(generation); }, Qt::QueuedConnection);
            return;
        }
    }
}

void WarehouseReader::endWalk(int generation, int rc, qint64 rows)
{
    const QString error = QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(m_walk.get())));
    resetWalk();
    if (isStale(generation))
        return; // interrupted: the user has moved on
    if (rc != SQLITE_DONE) {
        m_walkKeys.clear();
        m_backKeys.clear();
        Q_EMIT failed(generation,
            tr("cannot count the rows of \"%1\" in %2: %3")
                .arg(m_query->table, m_query->path, error));
        return;
    }
    // The keys sampled from the end follow those from the start.
    m_walkKeys.insert(m_walkKeys.end(), m_backKeys.rbegin(), m_backKeys.rend());
    m_backKeys.clear();
    m_backKeys.shrink_to_fit();
    m_samples = 0;
    m_pageKeys.swap(m_walkKeys);
    m_walkKeys.clear();
    m_walkKeys.shrink_to_fit();
    if (m_count != rows) {
        m_count = rows;
        Q_EMIT counted(generation, m_count);
    }
    Q_EMIT keysSampled(generation);
}

void WarehouseReader::fetchPage(int generation, int page)
{
    if (isStale(generation) || generation != m_generation || !m_filter)
        return;
    m_running = generation;
    qint64 skipped = 0;
    Result<TableRows> rows = readPage(page, &skipped);
    if (isStale(generation))
        return; // interrupted, or no longer wanted
    if (!rows) {
        Q_EMIT failed(generation, rows.error().message());
        return;
    }
    Q_EMIT pageFetched(generation, page, *rows, skipped);
}

void WarehouseReader::findTime(int generation, const QString &column, qint64 seconds)
{
    if (isStale(generation) || generation != m_generation || !m_filter)
        return;
    m_running = generation;
    TableFilter at = *m_filter;
    auto refuse = [&](const QString &cause) {
        Q_EMIT failed(generation,
            Error{ tr("cannot go to %1 %2: %3").arg(column).arg(seconds).arg(cause),
                m_connection->path() }
                .message());
    };
    if (Result<void> added = at.addCondition(
            { column, TableCondition::Operator::GreaterOrEqual, QVariant(seconds) });
        !added) {
        refuse(added.error().what);
        return;
    }
    // The row at or after the time: the smallest such value, ties in the view's order.
    QSqlQuery first(m_connection->database());
    first.setForwardOnly(true);
    QString order = TableFilter::quoted(column) + QStringLiteral(" ASC, ");
    order += m_filter->orderBy().mid(QStringLiteral(" ORDER BY ").size());
    first.prepare(QStringLiteral("SELECT ") + m_filter->orderList() + at.from()
        + QStringLiteral(" ORDER BY ") + order + QStringLiteral(" LIMIT 1"));
    for (const QVariant &value : at.bindings())
        first.addBindValue(value);
    if (!first.exec()) {
        if (!isStale(generation))
            refuse(first.lastError().text());
        return;
    }
    if (!first.next()) {
        Q_EMIT timeFound(generation, -1);
        return;
    }
    QVariantList key;
    for (int i = 0; i < m_tupleIndexes.size(); ++i)
        key << first.value(i);
    first.finish();
    // Its place: the rows before it in the view's order, counted with the view's conditions.
    QSqlQuery before(m_connection->database());
    before.setForwardOnly(true);
    before.prepare(QStringLiteral("SELECT COUNT(*)")
        + m_filter->from(m_filter->seek(TableFilter::Seek::Before)));
    for (const QVariant &value : m_filter->bindings())
        before.addBindValue(value);
    for (const QVariant &value : std::as_const(key))
        before.addBindValue(value);
    if (!before.exec() || !before.next()) {
        if (!isStale(generation))
            refuse(before.lastError().text());
        return;
    }
    Q_EMIT timeFound(generation, before.value(0).toLongLong());
}

Result<TableRows> WarehouseReader::readPage(int page, qint64 *skipped)
{
    *skipped = 0;
    const qint64 start = qint64(page) * PageSize;
    const size_t sample = size_t(std::max(page, 0) / SampleStride);
    // A page the walk under way has not reached, with no page read before it near: the walk
    // goes on to it first (from the nearer end). Stepping over the rows to reach it costs as
    // much, and this way the walk, which must be done anyway, is that much further (no jump
    // steps over rows twice).
    if (m_walk && m_running.load() == m_generation && page >= 0 && !sampledKey(sample)) {
        const auto atOrAbove = m_anchors.lower_bound(page);
        const bool nearBelow = atOrAbove != m_anchors.begin()
            && qint64(page - std::prev(atOrAbove)->first) * PageSize <= SampleRows;
        const bool nearAbove = atOrAbove != m_anchors.end()
            && qint64(atOrAbove->first - page) * PageSize <= SampleRows;
        if (!nearBelow && !nearAbove) {
            if (m_hop)
                hopPages(m_generation, sample);
            else
                stepRows(m_generation, sample + 1);
        }
    }
    // The walk under way knows the pages it has passed; the last walk of this query the rest.
    const QVariantList *sampled = page >= 0 ? sampledKey(sample) : nullptr;
    qint64 sampledRow = qint64(sample) * SampleRows;
    QVariantList computed;
    if (m_firstRowid && page >= 0) {
        // Rowids without a gap: the page's own first key, one seek.
        computed = { QVariant(
            m_filter->isDescending() ? *m_firstRowid - start : *m_firstRowid + start) };
        sampled = &computed;
        sampledRow = start;
    }
    // Candidates: from the sampled key at or before the page (a seek, then at most a few pages
    // stepped over), from the start, from the end, after the nearest known page below, before
    // the nearest known page above. The one that skips the fewest rows wins.
    enum class From { Sample, Start, End, After, Before } from = From::Start;
    qint64 skip = start;
    int limit = PageSize;
    int anchorPage = -1;
    if (sampled) {
        from = From::Sample;
        skip = start - sampledRow;
    }
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

    *skipped = skip;
    Result<TableRows> rows = TableRows{};
    switch (from) {
    case From::Sample:
        rows = select(TableFilter::Seek::AtOrAfter, *sampled, true, limit, skip);
        break;
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
    if (offset > 0) {
        // Stepping over rows that an index orders costs a lookup of each in the table when all
        // columns are selected: step over their order keys alone (the index), to the key just
        // before the page, then read the page from there.
        QSqlQuery step(m_connection->database());
        step.setForwardOnly(true);
        if (!step.prepare(QStringLiteral("SELECT ") + m_filter->orderList()
                + m_filter->from(seek ? m_filter->seek(*seek) : QString())
                + m_filter->orderBy(!forward) + QStringLiteral(" LIMIT 1 OFFSET ?")))
            return Error{ tr("cannot read rows: %1").arg(step.lastError().text()),
                m_connection->path() };
        for (const QVariant &value : m_filter->bindings())
            step.addBindValue(value);
        for (const QVariant &value : key)
            step.addBindValue(value);
        step.addBindValue(offset - 1);
        if (!step.exec())
            return Error{ tr("cannot read rows: %1").arg(step.lastError().text()),
                m_connection->path() };
        if (!step.next())
            return TableRows{}; // no rows that far
        QVariantList before;
        for (int i = 0; i < m_tupleIndexes.size(); ++i)
            before << step.value(i);
        step.finish();
        return select(forward ? TableFilter::Seek::After : TableFilter::Seek::Before, before,
            forward, limit, 0);
    }
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
    m_running = -1; // no query of the view's: nothing here is interrupted
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
