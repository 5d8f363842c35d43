#include "storage/gapreading.h"

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

#include <QThread>

#include <sqlite3.h>

#include "storage/readaheadvfs.h"
#include "transform/timegrid.h"

namespace Sluice::GapReading {

namespace {

    // "WHERE coin = ?1 AND currency = ?2 AND timeframe = ?3" and its values bound from 1.
    QString seriesCondition(const TableShape &shape)
    {
        QStringList conditions;
        int index = 1;
        for (const QString &column : shape.seriesColumns)
            conditions << QStringLiteral("%1 = ?%2").arg(quoted(column)).arg(index++);
        conditions << QStringLiteral("%1 = ?%2").arg(quoted(TimeframeColumn)).arg(index);
        return conditions.join(QStringLiteral(" AND "));
    }

    int bindSeries(sqlite3_stmt *statement, const SeriesKey &key)
    {
        int index = 1;
        for (const QVariant &value : key.values)
            bindValue(statement, index++, value);
        bindValue(statement, index++, key.timeframe);
        return index;
    }

    // Rows read with no bound cost this much less than rows read under a bound on the key,
    // which SQLite compares with every row (callgrind, SQLite 3.40: about 420 instructions a
    // row against 670): the first band, when read from the table's start, is made this much
    // longer than the others so that the bands end together.
    constexpr double UnboundedSpeedup = 1.6;

    // sluice_gap_walk(start_timestamp): an aggregate that feeds every slot to the WalkState it
    // was registered with. SQLite calls it from inside its loop, which costs half of handing
    // each row out through sqlite3_step(). It stops the statement with an error when the walk
    // stops (the slot past its end, cancelled, out of order); the WalkState says which.
    void gapWalkStep(sqlite3_context *context, int, sqlite3_value **values)
    {
        auto *state = static_cast<WalkState *>(sqlite3_user_data(context));
        if (!state->see(sqlite3_value_int64(values[0])))
            sqlite3_result_error(context, "sluice_gap_walk stopped", -1);
    }

    void gapWalkFinal(sqlite3_context *context)
    {
        sqlite3_result_null(context);
    }

} // namespace

QString quoted(const QString &name)
{
    QString text = name;
    text.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

bool isCancelled(const GapRequest &request)
{
    return request.cancelled && request.cancelled->load(std::memory_order_relaxed);
}

Error cancelledError(const GapRequest &request)
{
    return Error{ GapMap::tr("cancelled"), request.table, ErrorCode::Cancelled };
}

Result<TableShape> tableShape(sqlite3 *db, const QString &table, const QString &path)
{
    Result<SqliteStatement> statement = prepareStatement(
        db, QStringLiteral("SELECT name, pk FROM pragma_table_info(?1) ORDER BY pk, cid"), path);
    if (!statement)
        return statement.error();
    const QByteArray name = table.toUtf8();
    sqlite3_bind_text(statement->get(), 1, name.constData(), int(name.size()), SQLITE_STATIC);
    TableShape shape;
    QStringList keyColumns;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(statement->get())) == SQLITE_ROW) {
        const QString column = columnValue(statement->get(), 0).toString();
        shape.columns << column;
        if (sqlite3_column_int(statement->get(), 1) > 0) {
            keyColumns << column;
            if (column != TimeframeColumn && column != TimestampColumn)
                shape.seriesColumns << column;
        }
    }
    if (rc != SQLITE_DONE)
        return SqliteConnection::sqliteError(db, GapMap::tr("cannot read the columns"), path);
    if (keyColumns != shape.seriesColumns + QStringList{ TimeframeColumn, TimestampColumn })
        return shape;
    // The key is (series..., timeframe, start_timestamp): the table is ordered when it is the
    // key's B-tree (WITHOUT ROWID), ascending, and no other index can be read instead.
    Result<SqliteStatement> ordered = prepareStatement(db,
        QStringLiteral(
            "SELECT coalesce((SELECT wr FROM pragma_table_list WHERE schema = 'main'"
            " AND name = ?1), 0) AND NOT EXISTS (SELECT 1 FROM pragma_index_list(?1)"
            " WHERE origin <> 'pk') AND NOT EXISTS (SELECT 1 FROM pragma_index_list(?1) AS l,"
            " pragma_index_xinfo(l.name) AS x WHERE l.origin = 'pk' AND x.key AND x.desc)"),
        path);
    if (!ordered)
        return shape; // an SQLite before 3.37 (no table_list): read it as any table
    sqlite3_bind_text(ordered->get(), 1, name.constData(), int(name.size()), SQLITE_STATIC);
    if (sqlite3_step(ordered->get()) != SQLITE_ROW)
        return SqliteConnection::sqliteError(db, GapMap::tr("cannot read the indexes"), path);
    shape.ordered = sqlite3_column_int(ordered->get(), 0) != 0;
    return shape;
}

// Every (series columns..., timeframe) of the table, by skipping along the key index from
// one to the next rather than reading every row.
Result<QList<SeriesKey>> seriesKeys(
    sqlite3 *db, const QString &table, const TableShape &shape, const GapRequest &request)
{
    QStringList keyColumns;
    for (const QString &column : shape.seriesColumns)
        keyColumns << quoted(column);
    keyColumns << quoted(TimeframeColumn);
    const QString list = keyColumns.join(QStringLiteral(", "));
    QStringList placeholders;
    for (int i = 1; i <= keyColumns.size(); ++i)
        placeholders << QStringLiteral("?%1").arg(i);
    const QString select = QStringLiteral("SELECT %1 FROM %2").arg(list, quoted(table));
    const QString order = QStringLiteral(" ORDER BY %1 LIMIT 1").arg(list);
    Result<SqliteStatement> first = prepareStatement(db, select + order, request.warehousePath);
    if (!first)
        return first.error();
    Result<SqliteStatement> next = prepareStatement(db,
        select
            + QStringLiteral(" WHERE (%1) > (%2)")
                  .arg(list, placeholders.join(QStringLiteral(", ")))
            + order,
        request.warehousePath);
    if (!next)
        return next.error();

    QList<SeriesKey> keys;
    sqlite3_stmt *statement = first->get();
    for (;;) {
        if (isCancelled(request))
            return cancelledError(request);
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW)
            return SqliteConnection::sqliteError(
                db, GapMap::tr("cannot read the series of %1").arg(table), request.warehousePath);
        SeriesKey key;
        const int count = int(keyColumns.size());
        for (int i = 0; i < count - 1; ++i)
            key.values << columnValue(statement, i);
        key.timeframe = columnValue(statement, count - 1).toString();
        sqlite3_reset(next->get());
        for (int i = 0; i < count - 1; ++i)
            bindValue(next->get(), i + 1, key.values.at(i));
        bindValue(next->get(), count, key.timeframe);
        keys << key;
        statement = next->get();
    }
    return keys;
}

// The first (or last) stored start_timestamp of a series.
Result<std::optional<qint64>> endSlot(sqlite3 *db, const QString &table, const TableShape &shape,
    const SeriesKey &key, bool last, const QString &path)
{
    Result<SqliteStatement> statement = prepareStatement(db,
        QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY %1 %4 LIMIT 1")
            .arg(quoted(TimestampColumn), quoted(table), seriesCondition(shape),
                last ? QStringLiteral("DESC") : QStringLiteral("ASC")),
        path);
    if (!statement)
        return statement.error();
    bindSeries(statement->get(), key);
    const int rc = sqlite3_step(statement->get());
    if (rc == SQLITE_DONE)
        return std::optional<qint64>();
    if (rc != SQLITE_ROW)
        return SqliteConnection::sqliteError(
            db, GapMap::tr("cannot read the slots of %1").arg(table), path);
    return std::optional<qint64>(sqlite3_column_int64(statement->get(), 0));
}

// All the rows of table, by SQLite's count of its pages' cells.
Result<qint64> rowCount(sqlite3 *db, const QString &table, const QString &path)
{
    Result<SqliteStatement> statement =
        prepareStatement(db, QStringLiteral("SELECT count(*) FROM %1").arg(quoted(table)), path);
    if (!statement)
        return statement.error();
    if (sqlite3_step(statement->get()) != SQLITE_ROW)
        return SqliteConnection::sqliteError(
            db, GapMap::tr("cannot count the rows of %1").arg(table), path);
    return qint64(sqlite3_column_int64(statement->get(), 0));
}

// The first slot of the grid through `phase` at or after t.
qint64 gridCeil(qint64 t, qint64 phase, qint64 step)
{
    return phase + TimeGrid::slotCeil(t - phase, step);
}

// Rows of one series: for the timeframes that are no label, which no walk counts.
Result<qint64> seriesRows(
    sqlite3 *db, const GapRequest &request, const TableShape &shape, const SeriesKey &key)
{
    Result<SqliteStatement> statement = prepareStatement(db,
        QStringLiteral("SELECT count(*) FROM %1 WHERE %2")
            .arg(quoted(request.table), seriesCondition(shape)),
        request.warehousePath);
    if (!statement)
        return statement.error();
    bindSeries(statement->get(), key);
    if (sqlite3_step(statement->get()) != SQLITE_ROW)
        return SqliteConnection::sqliteError(db,
            GapMap::tr("cannot count the rows of %1").arg(request.table), request.warehousePath);
    return qint64(sqlite3_column_int64(statement->get(), 0));
}

// The one integer a statement answers ("PRAGMA data_version", a count), with text bound
// to ?1 when given.
Result<qint64> integerOf(
    sqlite3 *db, const QString &sql, const QString &text, const QString &what, const QString &path)
{
    Result<SqliteStatement> statement = prepareStatement(db, sql, path);
    if (!statement)
        return statement.error();
    const QByteArray utf8 = text.toUtf8();
    if (!text.isNull())
        sqlite3_bind_text(statement->get(), 1, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(statement->get());
    if (rc == SQLITE_DONE)
        return qint64(0);
    if (rc != SQLITE_ROW)
        return SqliteConnection::sqliteError(db, what, path);
    return qint64(sqlite3_column_int64(statement->get(), 0));
}

// Appends gaps, joining one that starts where the last ends.
void appendGaps(QList<SlotGap> &into, const QList<SlotGap> &gaps)
{
    for (const SlotGap &gap : gaps) {
        if (!into.isEmpty() && into.last().end == gap.start)
            into.last().end = gap.end;
        else
            into.append(gap);
    }
}
Result<ReaderConnection> ReaderConnection::open(const QString &path)
{
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db,
        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, ReadAheadVfs::name());
    ReaderConnection connection(db); // closes db, also when it did not open
    if (rc != SQLITE_OK)
        return SqliteConnection::sqliteError(db, GapMap::tr("cannot open the database"), path);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, SqliteConnection::BusyTimeoutMs);
    // The first statement reads the header: a file that is not SQLite fails here.
    if (sqlite3_exec(db, "PRAGMA query_only=1; PRAGMA schema_version", nullptr, nullptr, nullptr)
        != SQLITE_OK)
        return SqliteConnection::sqliteError(db, GapMap::tr("cannot open the database"), path);
    return connection;
}

ReaderConnection::ReaderConnection(ReaderConnection &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
{ }

ReaderConnection::~ReaderConnection()
{
    sqlite3_close_v2(m_db);
}

void WalkState::start(qint64 begin, qint64 end)
{
    from = begin;
    to = end;
    expected = begin;
    previous = std::numeric_limits<qint64>::min();
    walked = {};
    cancelled = false;
    unordered = false;
    ended = false;
}

bool WalkState::checkCancel()
{
    cancelled = isCancelled(*request);
    return !cancelled;
}

bool WalkState::seeOther(qint64 slot)
{
    if (slot < previous) {
        unordered = true;
        return false;
    }
    previous = slot;
    if (slot >= to) {
        ended = true;
        return false;
    }
    if (slot < from)
        return true; // read from the table's start: not yet the walk's
    if (slot >= expected) {
        // A slot off the grid counts for the slot that holds it.
        const qint64 skipped = (slot - expected) / step;
        if (skipped > 0)
            walked.gaps.append({ expected, expected + skipped * step });
        expected += (skipped + 1) * step;
    }
    return (++walked.rows & (CancelCheckRows - 1)) != 0 || checkCancel();
}

void WalkState::finish()
{
    if (expected < to)
        walked.gaps.append({ expected, to });
}

SeriesWalker::SeriesWalker(sqlite3 *db, const GapRequest &request, const TableShape &shape,
    const SeriesKey &key, qint64 step)
    : m_db(db)
    , m_request(request)
    , m_shape(shape)
    , m_key(key)
{
    m_state.request = &request;
    m_state.step = step;
}

Result<Walked> SeriesWalker::walk(qint64 from, qint64 to, bool tableHead)
{
    if (!m_aggregate) {
        if (sqlite3_create_function_v2(m_db, "sluice_gap_walk", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                &m_state, nullptr, gapWalkStep, gapWalkFinal, nullptr)
            != SQLITE_OK)
            return failure();
        // An ordered table's walk stops itself at its end: SQLite then compares each row
        // with the series alone, not with the series and the end.
        Result<SqliteStatement> aggregate =
            prepare(QStringLiteral("sluice_gap_walk(%1)").arg(quoted(TimestampColumn)), {},
                !m_shape.ordered);
        if (!aggregate)
            return aggregate.error();
        m_aggregate = std::move(*aggregate);
    }
    if (!tableHead || !m_shape.ordered)
        return walkRange(from, to, false);
    // The check and the walk see one state of the table: in one read transaction, unless the
    // caller holds one already.
    const bool own = sqlite3_get_autocommit(m_db) != 0;
    if (own && sqlite3_exec(m_db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        return failure();
    Result<bool> head = readsFromTableStart(to);
    Result<Walked> walked = head ? walkRange(from, to, *head) : Result<Walked>(head.error());
    if (own)
        sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr); // it only read
    return walked;
}

// Whether the series' rows are the table's first and the walk to `to` ends inside them: a row
// of the series at or after to stops it, or there is no other series after it.
Result<bool> SeriesWalker::readsFromTableStart(qint64 to)
{
    if (!m_headCheck) {
        QStringList key;
        for (const QString &column : m_shape.seriesColumns)
            key << quoted(column);
        key << quoted(TimeframeColumn);
        const QString list = key.join(QStringLiteral(", ")); // the series and timeframe
        key << quoted(TimestampColumn);
        const QString ascending = key.join(QStringLiteral(", "));
        const QString descending = key.join(QStringLiteral(" DESC, ")) + QStringLiteral(" DESC");
        const QString condition = seriesCondition(m_shape);
        const QString table = quoted(m_request.table);
        // The table's first row is the series', and a row of it at or after ?n, or the table's
        // last row is the series' too.
        Result<SqliteStatement> check = prepareStatement(m_db,
            QStringLiteral("SELECT EXISTS (SELECT 1 FROM (SELECT %1 FROM %2 ORDER BY %3 LIMIT 1)"
                           " WHERE %4) AND (EXISTS (SELECT 1 FROM %2 WHERE %4 AND %5 >= ?%6)"
                           " OR EXISTS (SELECT 1 FROM (SELECT %1 FROM %2 ORDER BY %7 LIMIT 1)"
                           " WHERE %4))")
                .arg(list, table, ascending, condition, quoted(TimestampColumn),
                    QString::number(m_shape.seriesColumns.size() + 2), descending),
            m_request.warehousePath);
        if (!check)
            return check.error();
        m_headCheck = std::move(*check);
        Result<SqliteStatement> unbounded = prepareStatement(m_db,
            QStringLiteral("SELECT sluice_gap_walk(%1) FROM %2")
                .arg(quoted(TimestampColumn), table),
            m_request.warehousePath);
        if (!unbounded)
            return unbounded.error();
        m_unbounded = std::move(*unbounded);
    }
    sqlite3_stmt *statement = m_headCheck.get();
    sqlite3_reset(statement);
    const int index = bindSeries(statement, m_key);
    sqlite3_bind_int64(statement, index, to);
    const int rc = sqlite3_step(statement);
    const bool head = rc == SQLITE_ROW && sqlite3_column_int(statement, 0) != 0;
    sqlite3_reset(statement);
    if (rc != SQLITE_ROW)
        return failure();
    return head;
}

// The gaps of [from, to), read from the table's start (the series' first rows) or from a seek
// to the series' slot from.
Result<Walked> SeriesWalker::walkRange(qint64 from, qint64 to, bool fromTableStart)
{
    m_state.start(from, to);
    int rc = run(fromTableStart ? m_unbounded.get() : m_aggregate.get(), from, to);
    if (m_state.cancelled)
        return cancelledError(m_request);
    if (m_state.unordered) {
        // The planner read an index that is not in slot order: ask for the order.
        if (!m_ordered) {
            Result<SqliteStatement> ordered = prepare(quoted(TimestampColumn),
                QStringLiteral(" ORDER BY %1").arg(quoted(TimestampColumn)));
            if (!ordered)
                return ordered.error();
            m_ordered = std::move(*ordered);
        }
        m_state.start(from, to);
        rc = run(m_ordered.get(), from, to);
        if (m_state.cancelled)
            return cancelledError(m_request);
    }
    if (rc != SQLITE_DONE)
        return failure();
    m_state.finish();
    return m_state.walked;
}

Result<bool> SeriesWalker::holds(qint64 from, qint64 to)
{
    if (!m_exists) {
        Result<SqliteStatement> exists = prepare(QStringLiteral("1"), QStringLiteral(" LIMIT 1"));
        if (!exists)
            return exists.error();
        m_exists = std::move(*exists);
    }
    sqlite3_stmt *statement = m_exists.get();
    bindRange(statement, from, to);
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return failure();
    return rc == SQLITE_ROW;
}

// "SELECT <what> FROM table WHERE <series> AND start_timestamp in [?, ?)<tail>", or without the
// upper bound unless bounded.
Result<SqliteStatement> SeriesWalker::prepare(
    const QString &what, const QString &tail, bool bounded)
{
    const QString first = QString::number(m_shape.seriesColumns.size() + 2);
    QString range = QStringLiteral("%1 >= ?%2").arg(quoted(TimestampColumn), first);
    if (bounded) {
        range +=
            QStringLiteral(" AND %1 < ?%2")
                .arg(quoted(TimestampColumn), QString::number(m_shape.seriesColumns.size() + 3));
    }
    return prepareStatement(m_db,
        QStringLiteral("SELECT ") + what
            + QStringLiteral(" FROM %1 WHERE %2 AND %3")
                  .arg(quoted(m_request.table), seriesCondition(m_shape), range)
            + tail,
        m_request.warehousePath);
}

void SeriesWalker::bindRange(sqlite3_stmt *statement, qint64 from, qint64 to)
{
    sqlite3_reset(statement);
    if (sqlite3_bind_parameter_count(statement) == 0)
        return; // read from the table's start
    const int index = bindSeries(statement, m_key);
    sqlite3_bind_int64(statement, index, from);
    if (sqlite3_bind_parameter_count(statement) > index)
        sqlite3_bind_int64(statement, index + 1, to);
}

// Steps statement over [from, to), feeding each slot it returns to the walk; an aggregate
// feeds itself and answers one row. SQLITE_DONE also when the walk stopped at its end.
int SeriesWalker::run(sqlite3_stmt *statement, qint64 from, qint64 to)
{
    bindRange(statement, from, to);
    int rc = SQLITE_OK;
    if (statement == m_aggregate.get() || statement == m_unbounded.get()) {
        rc = sqlite3_step(statement);
        if (rc == SQLITE_ROW)
            rc = sqlite3_step(statement);
    } else {
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
            if (!m_state.see(sqlite3_column_int64(statement, 0)))
                break;
        }
    }
    sqlite3_reset(statement);
    return m_state.ended ? SQLITE_DONE : rc;
}

Error SeriesWalker::failure() const
{
    return SqliteConnection::sqliteError(m_db,
        GapMap::tr("cannot read the slots of %1").arg(m_request.table), m_request.warehousePath);
}

namespace {

    // The gaps of [from, to) of one series, read on a connection of this thread.
    Result<Walked> walkBand(const GapRequest &request, const TableShape &shape,
        const SeriesKey &key, qint64 step, qint64 from, qint64 to, bool tableHead)
    {
        if (isCancelled(request))
            return cancelledError(request);
        Result<ReaderConnection> connection = ReaderConnection::open(request.warehousePath);
        if (!connection)
            return connection.error();
        SeriesWalker walker(connection->handle(), request, shape, key, step);
        return walker.walk(from, to, tableHead);
    }

} // namespace

int bandCount(const GapRequest &request, qint64 slots)
{
    const int threads = request.threads > 0 ? request.threads : QThread::idealThreadCount();
    return int(std::clamp<qint64>(
        slots / std::max<qint64>(1, request.minBandSlots), 1, std::max(1, threads)));
}

QList<qint64> bandEdges(qint64 from, qint64 to, qint64 step, int bands, bool fromTableStart)
{
    const qint64 slots = (to - from) / step;
    const double first = fromTableStart ? UnboundedSpeedup : 1.0;
    const double whole = first + (bands - 1);
    QList<qint64> edges{ from };
    for (int i = 1; i < bands; ++i) {
        const qint64 slot = std::llround(slots * (first + (i - 1)) / whole);
        edges << std::clamp(from + slot * step, edges.last(), to);
    }
    edges << to;
    return edges;
}

// The gaps of [from, to) in bands read at once, joined where a gap crosses a band's end. The
// calling thread reads the first band.
Result<Walked> walk(const GapRequest &request, const TableShape &shape, const SeriesKey &key,
    qint64 step, qint64 from, qint64 to, bool tableHead)
{
    const int bands = bandCount(request, (to - from) / step);
    tableHead = tableHead && shape.ordered;
    if (bands == 1)
        return walkBand(request, shape, key, step, from, to, tableHead);
    const QList<qint64> edges = bandEdges(from, to, step, bands, tableHead);
    std::vector<std::optional<Result<Walked>>> results(bands);
    std::vector<std::thread> threads;
    for (int i = 1; i < bands; ++i) {
        threads.emplace_back([&, i] {
            results[i] = walkBand(request, shape, key, step, edges.at(i), edges.at(i + 1), false);
        });
    }
    results[0] = walkBand(request, shape, key, step, edges.at(0), edges.at(1), tableHead);
    for (std::thread &thread : threads)
        thread.join();
    Walked joined;
    for (auto &result : results) {
        if (!*result)
            return result->error();
        joined.rows += (*result)->rows;
        appendGaps(joined.gaps, (*result)->gaps);
    }
    return joined;
}

} // namespace Sluice::GapReading
