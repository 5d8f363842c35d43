#include "storage/warehousewriter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <QSqlDriver>
#include <QStringList>
#include <QVariant>

#include <sqlite3.h>

#include "storage/warehouse.h"
#include "transform/seriesmerge.h"

namespace Sluice {

namespace {

    constexpr std::size_t TableCount = 4;
    // The raw tables, first in WarehouseTable: loaded from SlotRows. The clean table is joined
    // from what they hold.
    constexpr std::size_t RawTableCount = 3;

    // Rows a bulk insert statement takes: one statement execution opens the table's cursor
    // once, and as keys arrive in order SQLite seeks each next one from the last leaf instead
    // of the root. Measured on a year of slots (pipeline_bench): about 3.3M rows/s with 64 rows
    // a statement against 1.0M with one; 16 rows gave 2.9M, 256 no more than 64.
    constexpr int BulkRows = 64;

    // The insert of each table (indexed by WarehouseTable): key columns, the slot, the values.
    // Key parameters are ?1..?keyCount, shared by every row of a bulk insert and bound once a
    // load (sqlite3_reset keeps bindings).
    struct InsertShape
    {
        const char *table;
        const char *keyColumns;
        int keyCount;
        const char *valueColumns;
        int valueCount;
    };
    const InsertShape insertShapes[TableCount] = {
        { "coin_price", "coin, currency, timeframe", 3, "price", 1 },
        { "network_hash_rate", "network, timeframe", 2, "hash_rate", 1 },
        { "network_difficulty", "network, timeframe", 2, "difficulty", 1 },
        { "btc_usd_price_with_net_stat", "timeframe", 1, "price, hash_rate, difficulty", 3 },
    };

    // INSERT OR IGNORE of `rows` rows: row r binds its slot at keyCount + 1 + r * (1 +
    // valueCount) and its values right after.
    QString insertSql(const InsertShape &shape, int rows)
    {
        QString sql = QStringLiteral("INSERT OR IGNORE INTO %1 (%2, start_timestamp, %3) VALUES ")
                          .arg(QLatin1String(shape.table), QLatin1String(shape.keyColumns),
                              QLatin1String(shape.valueColumns));
        int parameter = shape.keyCount;
        for (int r = 0; r < rows; ++r) {
            sql += r == 0 ? QStringLiteral("(") : QStringLiteral(", (");
            for (int k = 1; k <= shape.keyCount; ++k)
                sql += QStringLiteral("?%1, ").arg(k);
            for (int v = 0; v <= shape.valueCount; ++v)
                sql += (v == 0 ? QStringLiteral("?%1") : QStringLiteral(", ?%1")).arg(++parameter);
            sql += u')';
        }
        return sql;
    }

    // The key values of a table in the order of its key columns.
    QStringList keyValues(WarehouseTable table, const SeriesKey &key)
    {
        switch (table) {
        case WarehouseTable::Price:
            return { key.coin, key.currency, key.timeframe };
        case WarehouseTable::HashRate:
        case WarehouseTable::Difficulty:
            return { key.network, key.timeframe };
        case WarehouseTable::Clean:
            break;
        }
        return { key.timeframe };
    }

    // "coin = ?1 AND currency = ?2 AND timeframe = ?3": the table's key prefix.
    QString keyCondition(WarehouseTable table)
    {
        switch (table) {
        case WarehouseTable::Price:
            return QStringLiteral("coin = ?1 AND currency = ?2 AND timeframe = ?3");
        case WarehouseTable::HashRate:
        case WarehouseTable::Difficulty:
            return QStringLiteral("network = ?1 AND timeframe = ?2");
        case WarehouseTable::Clean:
            break;
        }
        return QStringLiteral("timeframe = ?1");
    }

    // The stored rows of a raw table over a slot range, in slot order, read back to join the
    // clean rows: ?1.. the key (as keyCondition), then the range's first and last slot. Each
    // table is walked along its primary key: three sequential scans and a merge in memory
    // cost a third of what one SQL join does, which seeks two of the tables slot by slot.
    QString rangeSql(WarehouseTable table)
    {
        const InsertShape &shape = insertShapes[int(table)];
        return QStringLiteral("SELECT start_timestamp, %1 FROM %2 WHERE %3"
                              " AND start_timestamp BETWEEN ?%4 AND ?%5 ORDER BY start_timestamp")
            .arg(QLatin1String(shape.valueColumns), QLatin1String(shape.table), keyCondition(table))
            .arg(shape.keyCount + 1)
            .arg(shape.keyCount + 2);
    }

    // The stored value of a raw table at one slot: ?1.. the key, then the slot.
    QString slotSql(WarehouseTable table)
    {
        const InsertShape &shape = insertShapes[int(table)];
        return QStringLiteral("SELECT %1 FROM %2 WHERE %3 AND start_timestamp = ?%4")
            .arg(QLatin1String(shape.valueColumns), QLatin1String(shape.table), keyCondition(table))
            .arg(shape.keyCount + 1);
    }

    qint64 timestampOf(const SlotValue &row)
    {
        return row.startTimestamp;
    }
    qint64 timestampOf(const CleanRow &row)
    {
        return row.startTimestamp;
    }
    bool isFinite(const SlotValue &row)
    {
        return std::isfinite(row.value);
    }

    struct BadRow
    {
        qint64 slot;
        bool outOfOrder; // else a value is not finite
    };

    // The first row out of slot order or holding a value that is not finite, if any.
    std::optional<BadRow> firstBadRow(const std::vector<SlotValue> &rows)
    {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (!isFinite(rows[i]))
                return BadRow{ timestampOf(rows[i]), false };
            if (i > 0 && timestampOf(rows[i]) < timestampOf(rows[i - 1]))
                return BadRow{ timestampOf(rows[i]), true };
        }
        return std::nullopt;
    }

    // Binds one row's slot to parameter `first` and its values to the ones after it.
    int bindRow(sqlite3_stmt *statement, int first, const SlotValue &row)
    {
        int rc = sqlite3_bind_int64(statement, first, row.startTimestamp);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_double(statement, first + 1, row.value);
        return rc;
    }
    int bindRow(sqlite3_stmt *statement, int first, const CleanRow &row)
    {
        int rc = sqlite3_bind_int64(statement, first, row.startTimestamp);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_double(statement, first + 1, row.price);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_double(statement, first + 2, row.hashRate);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_double(statement, first + 3, row.difficulty);
        return rc;
    }

    // The rows of the three raw tables, addressed by table index, for the batching walk.
    struct TableRows
    {
        const SlotRows &rows;

        const std::vector<SlotValue> &table(std::size_t index) const
        {
            switch (index) {
            case 0:
                return rows.prices;
            case 1:
                return rows.hashRates;
            }
            return rows.difficulties;
        }
        std::size_t size(std::size_t index) const { return table(index).size(); }
        qint64 timestamp(std::size_t index, std::size_t i) const
        {
            return table(index)[i].startTimestamp;
        }
        // Moves `cursor` past the smallest slot any table has next; false when all are done.
        bool advance(std::array<std::size_t, RawTableCount> &cursor) const
        {
            qint64 slot = std::numeric_limits<qint64>::max();
            bool any = false;
            for (std::size_t t = 0; t < RawTableCount; ++t) {
                if (cursor[t] < size(t)) {
                    slot = std::min(slot, timestamp(t, cursor[t]));
                    any = true;
                }
            }
            for (std::size_t t = 0; t < RawTableCount; ++t) {
                while (cursor[t] < size(t) && timestamp(t, cursor[t]) == slot)
                    ++cursor[t];
            }
            return any;
        }
    };

} // namespace

void WarehouseWriter::StatementDeleter::operator()(sqlite3_stmt *statement) const
{
    sqlite3_finalize(statement);
}

WarehouseWriter::WarehouseWriter(WarehouseWriter &&other) noexcept
    : m_connection(std::move(other.m_connection))
    , m_db(std::exchange(other.m_db, nullptr))
    , m_inserts(std::move(other.m_inserts))
    , m_bulkInserts(std::move(other.m_bulkInserts))
    , m_rangeReads(std::move(other.m_rangeReads))
    , m_slotReads(std::move(other.m_slotReads))
{ }

WarehouseWriter &WarehouseWriter::operator=(WarehouseWriter &&other) noexcept
{
    if (this != &other) {
        // Finalize our statements before our connection closes.
        m_inserts = {};
        m_bulkInserts = {};
        m_rangeReads = {};
        m_slotReads = {};
        m_connection = std::move(other.m_connection);
        m_db = std::exchange(other.m_db, nullptr);
        m_inserts = std::move(other.m_inserts);
        m_bulkInserts = std::move(other.m_bulkInserts);
        m_rangeReads = std::move(other.m_rangeReads);
        m_slotReads = std::move(other.m_slotReads);
    }
    return *this;
}

WarehouseWriter::~WarehouseWriter()
{
    m_inserts = {};
    m_bulkInserts = {};
    m_rangeReads = {};
    m_slotReads = {};
}

QString WarehouseWriter::tableName(WarehouseTable table)
{
    switch (table) {
    case WarehouseTable::Price:
        return QString::fromLatin1(Warehouse::PriceTable);
    case WarehouseTable::HashRate:
        return QString::fromLatin1(Warehouse::HashRateTable);
    case WarehouseTable::Difficulty:
        return QString::fromLatin1(Warehouse::DifficultyTable);
    case WarehouseTable::Clean:
        break;
    }
    return QString::fromLatin1(Warehouse::CleanTable);
}

Result<WarehouseWriter> WarehouseWriter::open(const QString &path)
{
    Result<SqliteConnection> connection =
        SqliteConnection::open(path, QStringLiteral("warehouse-writer"));
    if (!connection)
        return connection.error();
    if (Result<void> migrated = Warehouse::migrate(*connection); !migrated)
        return migrated.error();

    WarehouseWriter writer;
    writer.m_connection = std::move(*connection);
    // Debian's Qt SQLite driver links the system libsqlite3, the library this file calls.
    const QVariant handle = writer.m_connection.database().driver()->handle();
    if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
        writer.m_db = *static_cast<sqlite3 *const *>(handle.constData());
    if (!writer.m_db)
        return Error{ tr("the Qt SQLite driver did not give its SQLite handle"), path };

    for (std::size_t t = 0; t < TableCount; ++t) {
        Result<Statement> single = writer.prepare(insertSql(insertShapes[t], 1), true);
        if (!single)
            return single.error();
        writer.m_inserts[t] = std::move(*single);
        Result<Statement> bulk = writer.prepare(insertSql(insertShapes[t], BulkRows), true);
        if (!bulk)
            return bulk.error();
        writer.m_bulkInserts[t] = std::move(*bulk);
    }
    for (std::size_t t = 0; t < RawTableCount; ++t) {
        Result<Statement> read = writer.prepare(rangeSql(WarehouseTable(t)), true);
        if (!read)
            return read.error();
        writer.m_rangeReads[t] = std::move(*read);
        Result<Statement> slot = writer.prepare(slotSql(WarehouseTable(t)), true);
        if (!slot)
            return slot.error();
        writer.m_slotReads[t] = std::move(*slot);
    }
    return Result<WarehouseWriter>(std::move(writer));
}

void WarehouseWriter::setBusyTimeout(int milliseconds)
{
    sqlite3_busy_timeout(m_db, milliseconds);
}

Error WarehouseWriter::sqliteError(const QString &what) const
{
    return Error{ tr("%1: %2 (SQLite error %3)")
                      .arg(what, QString::fromUtf8(sqlite3_errmsg(m_db)))
                      .arg(sqlite3_extended_errcode(m_db)),
        path() };
}

Result<WarehouseWriter::Statement> WarehouseWriter::prepare(
    const QString &sql, bool persistent) const
{
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(m_db, utf8.constData(), int(utf8.size()),
            persistent ? SQLITE_PREPARE_PERSISTENT : 0, &statement, nullptr)
        != SQLITE_OK) {
        sqlite3_finalize(statement);
        return sqliteError(tr("cannot prepare \"%1\"").arg(sql.left(80)));
    }
    return Statement(statement);
}

Result<void> WarehouseWriter::bindKey(const SeriesKey &key)
{
    const auto bindText = [](sqlite3_stmt *statement, int parameter, const QString &text) {
        const QByteArray utf8 = text.toUtf8();
        return sqlite3_bind_text(
            statement, parameter, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    };
    for (std::size_t t = 0; t < TableCount; ++t) {
        const QStringList values = keyValues(WarehouseTable(t), key);
        const bool raw = t < RawTableCount;
        for (sqlite3_stmt *statement : { m_inserts[t].get(), m_bulkInserts[t].get(),
                 raw ? m_rangeReads[t].get() : nullptr, raw ? m_slotReads[t].get() : nullptr }) {
            for (int i = 0; statement && i < values.size(); ++i) {
                if (bindText(statement, i + 1, values.at(i)) != SQLITE_OK) {
                    return sqliteError(
                        tr("cannot bind the key of %1").arg(tableName(WarehouseTable(t))));
                }
            }
        }
    }
    return {};
}

Result<WarehouseWriter::Counts> WarehouseWriter::load(const SlotRows &rows)
{
    return load(rows, LoadOptions());
}

Result<WarehouseWriter::Counts> WarehouseWriter::load(
    const SlotRows &rows, const LoadOptions &options)
{
    // Refuse bad input before writing anything.
    const auto refuse = [&](WarehouseTable table, const BadRow &bad) {
        return Error{ bad.outOfOrder
                ? tr("the rows for %1 are not in slot order at slot %2")
                      .arg(tableName(table))
                      .arg(bad.slot)
                : tr("the row for %1 at slot %2 holds a value that is not a finite number")
                      .arg(tableName(table))
                      .arg(bad.slot),
            path() };
    };
    if (auto bad = firstBadRow(rows.prices))
        return refuse(WarehouseTable::Price, *bad);
    if (auto bad = firstBadRow(rows.hashRates))
        return refuse(WarehouseTable::HashRate, *bad);
    if (auto bad = firstBadRow(rows.difficulties))
        return refuse(WarehouseTable::Difficulty, *bad);
    if (Result<void> bound = bindKey(rows.key); !bound)
        return bound.error();

    const TableRows tables{ rows };
    const std::array<std::size_t, RawTableCount> sizes = { rows.prices.size(),
        rows.hashRates.size(), rows.difficulties.size() };
    Progress progress;
    for (std::array<std::size_t, RawTableCount> cursor{}; tables.advance(cursor);)
        ++progress.slotsTotal;

    const qint64 batchSlots = std::max<qint64>(options.batchSlots, 1);
    std::array<std::size_t, RawTableCount> begin{};
    while (begin != sizes) {
        if (options.isCancelled && options.isCancelled()) {
            return Error{ tr("the load was cancelled after %1 of %2 slots")
                              .arg(progress.slotsDone)
                              .arg(progress.slotsTotal),
                path() };
        }
        std::array<std::size_t, RawTableCount> end = begin;
        qint64 batchSize = 0;
        while (batchSize < batchSlots && tables.advance(end))
            ++batchSize;
        Result<Counts> written = writeBatch(rows, begin, end);
        if (!written)
            return written.error();
        progress.inserted.prices += written->prices;
        progress.inserted.hashRates += written->hashRates;
        progress.inserted.difficulties += written->difficulties;
        progress.inserted.clean += written->clean;
        progress.slotsDone += batchSize;
        begin = end;
        if (options.progressed)
            options.progressed(progress);
    }
    return progress.inserted;
}

Result<WarehouseWriter::Counts> WarehouseWriter::writeBatch(const SlotRows &rows,
    const std::array<std::size_t, 3> &begin, const std::array<std::size_t, 3> &end)
{
    if (sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqliteError(tr("cannot begin a write transaction"));
    const auto rollBack = [this](Error error) {
        // Some errors end the transaction themselves; roll back what is left of it.
        if (!sqlite3_get_autocommit(m_db))
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        return error;
    };

    Counts counts;
    qint64 *const inserted[TableCount] = { &counts.prices, &counts.hashRates, &counts.difficulties,
        &counts.clean };
    // Inserts tableRows[i] for from <= i < to into `table`.
    const auto insert = [&](std::size_t table, const auto &tableRows, std::size_t from,
                            std::size_t to) -> std::optional<Error> {
        const InsertShape &shape = insertShapes[table];
        const int perRow = 1 + shape.valueCount;
        std::size_t i = from;
        sqlite3_stmt *bulk = m_bulkInserts[table].get();
        while (to - i >= std::size_t(BulkRows)) {
            int rc = SQLITE_OK;
            for (int r = 0; r < BulkRows && rc == SQLITE_OK; ++r)
                rc = bindRow(bulk, shape.keyCount + 1 + r * perRow, tableRows[i + std::size_t(r)]);
            if (rc == SQLITE_OK)
                rc = sqlite3_step(bulk);
            if (rc != SQLITE_DONE) {
                Error error =
                    sqliteError(tr("cannot insert into %1 at slots %2 to %3")
                                    .arg(tableName(WarehouseTable(table)))
                                    .arg(timestampOf(tableRows[i]))
                                    .arg(timestampOf(tableRows[i + std::size_t(BulkRows) - 1])));
                sqlite3_reset(bulk);
                if (sqlite3_get_autocommit(m_db))
                    return error; // the transaction is gone with the statement
                // SQLite undid the failed statement alone: insert its rows one by one below,
                // which names the row at fault.
                break;
            }
            *inserted[table] += sqlite3_changes(m_db);
            sqlite3_reset(bulk);
            i += std::size_t(BulkRows);
        }
        sqlite3_stmt *statement = m_inserts[table].get();
        for (; i < to; ++i) {
            int rc = bindRow(statement, shape.keyCount + 1, tableRows[i]);
            if (rc == SQLITE_OK)
                rc = sqlite3_step(statement);
            if (rc != SQLITE_DONE) {
                Error error = sqliteError(tr("cannot insert into %1 at slot %2")
                                              .arg(tableName(WarehouseTable(table)))
                                              .arg(timestampOf(tableRows[i])));
                sqlite3_reset(statement);
                return error;
            }
            *inserted[table] += sqlite3_changes(m_db);
            sqlite3_reset(statement);
        }
        return std::nullopt;
    };
    const TableRows tables{ rows };
    qint64 first = std::numeric_limits<qint64>::max();
    qint64 last = std::numeric_limits<qint64>::min();
    for (std::size_t t = 0; t < RawTableCount; ++t) {
        if (std::optional<Error> error = insert(t, tables.table(t), begin[t], end[t]))
            return rollBack(*error);
        if (begin[t] < end[t]) {
            first = std::min(first, tables.timestamp(t, begin[t]));
            last = std::max(last, tables.timestamp(t, end[t] - 1));
        }
    }

    // The clean rows the batch adds: the join of what the raw tables now hold (this batch's
    // rows and those stored before, which win over this batch's), in the same transaction. So
    // the clean table always equals the join of the raw tables, also for a slot whose last raw
    // row arrives in a later load than the others. It did before the batch (every writer
    // keeps it so, and schema version 2 repaired older files), and raw rows never change: the
    // join gains rows only at slots where a raw row went in.
    qint64 batchRows = 0;
    for (std::size_t t = 0; t < RawTableCount; ++t)
        batchRows += qint64(end[t] - begin[t]);
    const qint64 rawInserted = counts.prices + counts.hashRates + counts.difficulties;
    std::vector<CleanRow> clean;
    if (rawInserted == batchRows) {
        // Every row went in (a fresh load): the stored values are the batch's.
        if (std::optional<Error> error = joinBatch(rows, begin, end, clean))
            return rollBack(*error);
    } else if (rawInserted > 0) {
        // Some rows were stored before: read the batch's slot range back.
        std::array<std::vector<SlotValue>, RawTableCount> stored;
        for (std::size_t t = 0; t < RawTableCount; ++t) {
            if (std::optional<Error> error = readRange(WarehouseTable(t), first, last, stored[t]))
                return rollBack(*error);
        }
        clean = SeriesMerge::cleanRows(
            std::move(stored[0]), std::move(stored[1]), std::move(stored[2]));
    }
    if (std::optional<Error> error =
            insert(std::size_t(WarehouseTable::Clean), clean, 0, clean.size()))
        return rollBack(*error);

    if (sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        return rollBack(sqliteError(tr("cannot commit the batch")));
    return counts;
}

std::optional<Error> WarehouseWriter::joinBatch(const SlotRows &rows,
    const std::array<std::size_t, 3> &begin, const std::array<std::size_t, 3> &end,
    std::vector<CleanRow> &out) const
{
    const TableRows tables{ rows };
    std::array<std::size_t, RawTableCount> cursor = begin;
    for (;;) {
        qint64 slot = std::numeric_limits<qint64>::max();
        for (std::size_t t = 0; t < RawTableCount; ++t) {
            if (cursor[t] < end[t])
                slot = std::min(slot, tables.timestamp(t, cursor[t]));
        }
        if (slot == std::numeric_limits<qint64>::max())
            return std::nullopt;
        std::array<std::optional<double>, RawTableCount> values;
        for (std::size_t t = 0; t < RawTableCount; ++t) {
            if (cursor[t] < end[t] && tables.timestamp(t, cursor[t]) == slot)
                values[t] = tables.table(t)[cursor[t]++].value;
        }
        // A table without a row of the batch here may hold one from before (a price gap
        // filled by an earlier load): look it up.
        bool complete = true;
        for (std::size_t t = 0; t < RawTableCount && complete; ++t) {
            if (!values[t]) {
                if (std::optional<Error> error = readSlot(WarehouseTable(t), slot, values[t]))
                    return error;
                complete = values[t].has_value();
            }
        }
        if (complete)
            out.push_back({ slot, *values[0], *values[1], *values[2] });
    }
}

std::optional<Error> WarehouseWriter::readSlot(
    WarehouseTable table, qint64 slot, std::optional<double> &value) const
{
    sqlite3_stmt *read = m_slotReads[std::size_t(table)].get();
    int rc = sqlite3_bind_int64(read, insertShapes[int(table)].keyCount + 1, slot);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(read);
    if (rc == SQLITE_ROW)
        value = sqlite3_column_double(read, 0);
    std::optional<Error> error;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        error = sqliteError(tr("cannot look up slot %1 in %2").arg(slot).arg(tableName(table)));
    sqlite3_reset(read);
    return error;
}

std::optional<Error> WarehouseWriter::readRange(
    WarehouseTable table, qint64 first, qint64 last, std::vector<SlotValue> &out) const
{
    sqlite3_stmt *read = m_rangeReads[std::size_t(table)].get();
    const int keyCount = insertShapes[int(table)].keyCount;
    int rc = sqlite3_bind_int64(read, keyCount + 1, first);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(read, keyCount + 2, last);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(read)) == SQLITE_ROW)
            out.push_back({ sqlite3_column_int64(read, 0), sqlite3_column_double(read, 1) });
    }
    std::optional<Error> error;
    if (rc != SQLITE_DONE) {
        error = sqliteError(
            tr("cannot read back %1 at slots %2 to %3").arg(tableName(table)).arg(first).arg(last));
    }
    sqlite3_reset(read);
    return error;
}

Result<std::optional<qint64>> WarehouseWriter::lastSlot(
    WarehouseTable table, const SeriesKey &key) const
{
    Result<Statement> statement =
        prepare(QStringLiteral("SELECT max(start_timestamp) FROM %1 WHERE %2")
                    .arg(tableName(table), keyCondition(table)));
    if (!statement)
        return statement.error();
    const QStringList values = keyValues(table, key);
    for (int i = 0; i < values.size(); ++i) {
        const QByteArray utf8 = values.at(i).toUtf8();
        sqlite3_bind_text(
            statement->get(), i + 1, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    }
    if (sqlite3_step(statement->get()) != SQLITE_ROW)
        return sqliteError(tr("cannot read the last slot of %1").arg(tableName(table)));
    if (sqlite3_column_type(statement->get(), 0) == SQLITE_NULL)
        return std::optional<qint64>();
    return std::optional<qint64>(sqlite3_column_int64(statement->get(), 0));
}

Result<bool> WarehouseWriter::hasSlot(WarehouseTable table, qint64 slot, const SeriesKey &key) const
{
    const QStringList values = keyValues(table, key);
    Result<Statement> statement =
        prepare(QStringLiteral("SELECT 1 FROM %1 WHERE %2 AND start_timestamp = ?%3")
                    .arg(tableName(table), keyCondition(table))
                    .arg(values.size() + 1));
    if (!statement)
        return statement.error();
    for (int i = 0; i < values.size(); ++i) {
        const QByteArray utf8 = values.at(i).toUtf8();
        sqlite3_bind_text(
            statement->get(), i + 1, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(statement->get(), int(values.size()) + 1, slot);
    const int rc = sqlite3_step(statement->get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqliteError(tr("cannot look up slot %1 in %2").arg(slot).arg(tableName(table)));
    return rc == SQLITE_ROW;
}

} // namespace Sluice
