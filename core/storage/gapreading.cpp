#include "storage/gapreading.h"

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

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

    // sluice_gap_walk(start_timestamp): an aggregate that feeds every slot to the WalkState it
    // was registered with. SQLite calls it from inside its loop, which costs half of handing
    // each row out through sqlite3_step().
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
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(statement->get())) == SQLITE_ROW) {
        const QString column = columnValue(statement->get(), 0).toString();
        shape.columns << column;
        if (sqlite3_column_int(statement->get(), 1) > 0 && column != TimeframeColumn
            && column != TimestampColumn)
            shape.seriesColumns << column;
    }
    if (rc != SQLITE_DONE)
        return SqliteConnection::sqliteError(db, GapMap::tr("cannot read the columns"), path);
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

void WalkState::start(qint64 from)
{
    expected = from;
    previous = std::numeric_limits<qint64>::min();
    walked = {};
    cancelled = false;
    unordered = false;
}

bool WalkState::see(qint64 slot)
{
    if (slot < previous) {
        unordered = true;
        return false;
    }
    previous = slot;
    if (slot >= expected) {
        // A slot off the grid counts for the slot that holds it.
        const qint64 skipped = (slot - expected) / step;
        if (skipped > 0)
            walked.gaps.append({ expected, expected + skipped * step });
        expected += (skipped + 1) * step;
    }
    if ((++walked.rows & (CancelCheckRows - 1)) == 0 && isCancelled(*request)) {
        cancelled = true;
        return false;
    }
    return true;
}

void WalkState::finish(qint64 to)
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

Result<Walked> SeriesWalker::walk(qint64 from, qint64 to)
{
    if (!m_aggregate) {
        if (sqlite3_create_function_v2(m_db, "sluice_gap_walk", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                &m_state, nullptr, gapWalkStep, gapWalkFinal, nullptr)
            != SQLITE_OK)
            return failure();
        Result<SqliteStatement> aggregate =
            prepare(QStringLiteral("sluice_gap_walk(%1)").arg(quoted(TimestampColumn)), {});
        if (!aggregate)
            return aggregate.error();
        m_aggregate = std::move(*aggregate);
    }
    m_state.start(from);
    int rc = run(m_aggregate.get(), from, to);
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
        m_state.start(from);
        rc = run(m_ordered.get(), from, to);
        if (m_state.cancelled)
            return cancelledError(m_request);
    }
    if (rc != SQLITE_DONE)
        return failure();
    m_state.finish(to);
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

// "SELECT <what> FROM table WHERE <series> AND start_timestamp in [?, ?)<tail>".
Result<SqliteStatement> SeriesWalker::prepare(const QString &what, const QString &tail)
{
    return prepareStatement(m_db,
        QStringLiteral("SELECT ") + what
            + QStringLiteral(" FROM %1 WHERE %2 AND %3 >= ?%4 AND %3 < ?%5")
                  .arg(quoted(m_request.table), seriesCondition(m_shape), quoted(TimestampColumn),
                      QString::number(m_shape.seriesColumns.size() + 2),
                      QString::number(m_shape.seriesColumns.size() + 3))
            + tail,
        m_request.warehousePath);
}

void SeriesWalker::bindRange(sqlite3_stmt *statement, qint64 from, qint64 to)
{
    sqlite3_reset(statement);
    const int index = bindSeries(statement, m_key);
    sqlite3_bind_int64(statement, index, from);
    sqlite3_bind_int64(statement, index + 1, to);
}

// Steps statement over [from, to), feeding each slot it returns to the walk; the aggregate
// feeds itself and answers one row.
int SeriesWalker::run(sqlite3_stmt *statement, qint64 from, qint64 to)
{
    bindRange(statement, from, to);
    int rc = SQLITE_OK;
    if (statement == m_aggregate.get()) {
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
    return rc;
}

Error SeriesWalker::failure() const
{
    return SqliteConnection::sqliteError(m_db,
        GapMap::tr("cannot read the slots of %1").arg(m_request.table), m_request.warehousePath);
}

namespace {

    // The gaps of [from, to) of one series, read on a connection of this thread.
    Result<Walked> walkBand(const GapRequest &request, const TableShape &shape,
        const SeriesKey &key, qint64 step, qint64 from, qint64 to)
    {
        Result<ReaderConnection> connection = ReaderConnection::open(request.warehousePath);
        if (!connection)
            return connection.error();
        SeriesWalker walker(connection->handle(), request, shape, key, step);
        return walker.walk(from, to);
    }

} // namespace

// The gaps of [from, to) in bands read at once, joined where a gap crosses a band's end.
Result<Walked> walk(const GapRequest &request, const TableShape &shape, const SeriesKey &key,
    qint64 step, qint64 from, qint64 to)
{
    const qint64 slots = (to - from) / step;
    const int bands = int(std::clamp<qint64>(
        slots / std::max<qint64>(1, request.minBandSlots), 1, std::max(1, request.threads)));
    if (bands == 1)
        return walkBand(request, shape, key, step, from, to);
    std::vector<std::optional<Result<Walked>>> results(bands);
    std::vector<std::thread> threads;
    const qint64 perBand = (slots + bands - 1) / bands;
    for (int i = 0; i < bands; ++i) {
        const qint64 begin = from + i * perBand * step;
        const qint64 end = std::min(to, begin + perBand * step);
        threads.emplace_back(
            [&, i, begin, end] { results[i] = walkBand(request, shape, key, step, begin, end); });
    }
    for (std::thread &thread : threads)
        thread.join();
    Walked joined;
    for (auto &result : results) {
        if (!*result)
            return result->error();
        joined.rows += (*result)->rows;
        for (const SlotGap &gap : (*result)->gaps) {
            if (!joined.gaps.isEmpty() && joined.gaps.last().end == gap.start)
                joined.gaps.last().end = gap.end;
            else
                joined.gaps.append(gap);
        }
    }
    return joined;
}

} // namespace Sluice::GapReading
