#include "storage/warehousewriter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <QStringList>

#include <sqlite3.h>

#include "transform/seriesmerge.h"

namespace Sluice {

namespace {

    constexpr std::size_t TableCount = 4;
    // The raw tables, first in WarehouseTable: loaded from SlotRows. The clean table is joined
    // from what they hold.
    constexpr std::size_t RawTableCount = 3;

    // The values of a table's rows go to its TableWriter a chunk of rows at a time, a multiple
    // of the bulk statement's rows, small enough to stay in the CPU's cache.
    constexpr std::size_t ChunkRows = 1024;

    constexpr WarehouseTable allTables[TableCount] = { WarehouseTable::Price,
        WarehouseTable::HashRate, WarehouseTable::Difficulty, WarehouseTable::Clean };

    // The columns that name a series (SeriesKey's fields) and the slot column; every other
    // column of a warehouse table holds a value of the row.
    struct KeyField
    {
        const char *column;
        QString SeriesKey::*field;
    };
    const KeyField keyFields[] = {
        { "timeframe", &SeriesKey::timeframe },
        { "coin", &SeriesKey::coin },
        { "currency", &SeriesKey::currency },
        { "network", &SeriesKey::network },
    };
    constexpr const char *SlotColumn = "start_timestamp";

    int keyFieldOf(const QString &column)
    {
        for (int i = 0; i < int(std::size(keyFields)); ++i) {
            if (column == QLatin1String(keyFields[i].column))
                return i;
        }
        return -1;
    }

    // "coin" = ?1 AND "currency" = ?2 AND "timeframe" = ?3: a table's series key.
    QString keyCondition(const QStringList &keyColumns)
    {
        QStringList terms;
        for (int i = 0; i < int(keyColumns.size()); ++i)
            terms << QStringLiteral("%1 = ?%2").arg(TableSpec::quote(keyColumns.at(i))).arg(i + 1);
        return terms.join(QLatin1String(" AND "));
    }

    QString quotedList(const QStringList &names)
    {
        QStringList quoted;
        for (const QString &name : names)
            quoted << TableSpec::quote(name);
        return quoted.join(QLatin1String(", "));
    }

    // The values of one row: a raw row has one, a clean row three.
    struct RowValues
    {
        qint64 slot;
        double values[3];
        int count;
    };
    RowValues valuesOf(const SlotValue &row)
    {
        return { row.startTimestamp, { row.value, 0, 0 }, 1 };
    }
    RowValues valuesOf(const CleanRow &row)
    {
        return { row.startTimestamp, { row.price, row.hashRate, row.difficulty }, 3 };
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
            if (!std::isfinite(rows[i].value))
                return BadRow{ rows[i].startTimestamp, false };
            if (i > 0 && rows[i].startTimestamp < rows[i - 1].startTimestamp)
                return BadRow{ rows[i].startTimestamp, true };
        }
        return std::nullopt;
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

WarehouseWriter::WarehouseWriter(WarehouseWriter &&other) noexcept
    : m_connection(std::move(other.m_connection))
    , m_db(std::exchange(other.m_db, nullptr))
    , m_layouts(std::move(other.m_layouts))
    , m_tables(std::move(other.m_tables))
    , m_keyValues(std::move(other.m_keyValues))
    , m_chunks(std::move(other.m_chunks))
    , m_rangeReads(std::move(other.m_rangeReads))
    , m_slotReads(std::move(other.m_slotReads))
{ }

WarehouseWriter &WarehouseWriter::operator=(WarehouseWriter &&other) noexcept
{
    if (this != &other) {
        // Finalize our statements before our connection closes.
        m_tables.clear();
        m_rangeReads = {};
        m_slotReads = {};
        m_connection = std::move(other.m_connection);
        m_db = std::exchange(other.m_db, nullptr);
        m_layouts = std::move(other.m_layouts);
        m_tables = std::move(other.m_tables);
        m_keyValues = std::move(other.m_keyValues);
        m_chunks = std::move(other.m_chunks);
        m_rangeReads = std::move(other.m_rangeReads);
        m_slotReads = std::move(other.m_slotReads);
    }
    return *this;
}

WarehouseWriter::~WarehouseWriter()
{
    // Finalize the statements before the connection closes.
    m_tables.clear();
    m_rangeReads = {};
    m_slotReads = {};
}

QString WarehouseWriter::tableName(WarehouseTable table)
{
    return Warehouse::tableSpec(table).name;
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
    Result<sqlite3 *> db = writer.m_connection.handle();
    if (!db)
        return db.error();
    writer.m_db = *db;

    for (const WarehouseTable table : allTables) {
        const TableSpec &spec = Warehouse::tableSpec(table);
        Result<TableWriter> tableWriter = TableWriter::open(writer.m_connection, spec);
        if (!tableWriter)
            return tableWriter.error();
        writer.m_tables.push_back(std::move(*tableWriter));
        Layout &layout = writer.m_layouts[std::size_t(table)];
        for (const ColumnSpec &column : spec.columns) {
            if (column.name == QLatin1String(SlotColumn)) {
                layout.slotPosition = int(layout.columns.size());
                layout.columns.push_back({ Layout::From::Slot, 0 });
                layout.slotColumn = column.name;
            } else if (const int field = keyFieldOf(column.name); field >= 0) {
                layout.columns.push_back({ Layout::From::Key, field });
                layout.keyColumns << column.name;
                layout.keyFields.push_back(field);
            } else {
                layout.valuePositions.push_back(int(layout.columns.size()));
                layout.columns.push_back({ Layout::From::Value, int(layout.valueColumns.size()) });
                layout.valueColumns << column.name;
            }
        }
    }

    // The reads that join the clean rows: each raw table's rows over a slot range in slot order
    // (?1.. the key, then the range's first and last slot), and its value at one slot. Each
    // table is walked along its primary key: three sequential scans and a merge in memory
    // cost a third of what one SQL join does, which seeks two of the tables slot by slot.
    for (std::size_t t = 0; t < RawTableCount; ++t) {
        const Layout &layout = writer.m_layouts[t];
        const QString table = TableSpec::quote(tableName(WarehouseTable(t)));
        const QString slot = TableSpec::quote(layout.slotColumn);
        const QString values = quotedList(layout.valueColumns);
        const QString key = keyCondition(layout.keyColumns);
        const int keyCount = int(layout.keyColumns.size());
        Result<Statement> range = writer.prepare(
            QStringLiteral("SELECT %1, %2 FROM %3 WHERE %4 AND %1 BETWEEN ?%5 AND ?%6 ORDER BY %1")
                .arg(slot, values, table, key)
                .arg(keyCount + 1)
                .arg(keyCount + 2));
        if (!range)
            return range.error();
        writer.m_rangeReads[t] = std::move(*range);
        Result<Statement> one =
            writer.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE %3 AND %4 = ?%5")
                               .arg(values, table, key, slot)
                               .arg(keyCount + 1));
        if (!one)
            return one.error();
        writer.m_slotReads[t] = std::move(*one);
    }
    return Result<WarehouseWriter>(std::move(writer));
}

void WarehouseWriter::setBusyTimeout(int milliseconds)
{
    sqlite3_busy_timeout(m_db, milliseconds);
}

Error WarehouseWriter::sqliteError(const QString &what) const
{
    return SqliteConnection::sqliteError(m_db, what, path());
}

Result<WarehouseWriter::Statement> WarehouseWriter::prepare(const QString &sql) const
{
    return prepareStatement(m_db, sql, path());
}

Result<void> WarehouseWriter::bindKey(const SeriesKey &key)
{
    m_keyValues.clear();
    for (const KeyField &field : keyFields)
        m_keyValues.push_back(SqlValue::text(key.*field.field));
    for (std::size_t t = 0; t < TableCount; ++t) {
        const std::vector<Layout::Column> &columns = m_layouts[t].columns;
        m_chunks[t].assign(ChunkRows * columns.size(), SqlValue());
        for (std::size_t r = 0; r < ChunkRows; ++r) {
            for (std::size_t c = 0; c < columns.size(); ++c) {
                if (columns[c].from == Layout::From::Key)
                    m_chunks[t][r * columns.size() + c] =
                        m_keyValues[std::size_t(columns[c].index)];
            }
        }
    }
    for (std::size_t t = 0; t < RawTableCount; ++t) {
        const Layout &layout = m_layouts[t];
        for (sqlite3_stmt *statement : { m_rangeReads[t].get(), m_slotReads[t].get() }) {
            for (int i = 0; i < int(layout.keyFields.size()); ++i) {
                const QByteArray &text =
                    m_keyValues[std::size_t(layout.keyFields[std::size_t(i)])].utf8Text();
                if (sqlite3_bind_text(
                        statement, i + 1, text.constData(), int(text.size()), SQLITE_TRANSIENT)
                    != SQLITE_OK) {
                    return sqliteError(
                        tr("cannot bind the key of %1").arg(tableName(WarehouseTable(t))));
                }
            }
        }
    }
    return {};
}

template <typename Row>
Result<qint64> WarehouseWriter::insertRows(
    WarehouseTable table, const std::vector<Row> &rows, std::size_t from, std::size_t to)
{
    const Layout &layout = m_layouts[std::size_t(table)];
    const std::size_t columns = layout.columns.size();
    std::vector<SqlValue> &values = m_chunks[std::size_t(table)];
    qint64 stored = 0;
    for (std::size_t chunk = from; chunk < to; chunk += ChunkRows) {
        const std::size_t end = std::min(to, chunk + ChunkRows);
        // The key columns hold the load's key already.
        SqlValue *out = values.data();
        for (std::size_t i = chunk; i < end; ++i, out += columns) {
            const RowValues row = valuesOf(rows[i]);
            out[layout.slotPosition].setInteger(row.slot);
            for (std::size_t v = 0; v < layout.valuePositions.size(); ++v)
                out[layout.valuePositions[v]].setReal(row.values[v]);
        }
        Result<qint64> inserted = m_tables[std::size_t(table)].insert(
            std::span<const SqlValue>(values.data(), (end - chunk) * columns), [&](qint64 row) {
                return tr("slot %1").arg(rows[chunk + std::size_t(row)].startTimestamp);
            });
        if (!inserted)
            return inserted;
        stored += *inserted;
    }
    return stored;
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
    const auto insert = [&](WarehouseTable table, const auto &tableRows, std::size_t from,
                            std::size_t to) -> std::optional<Error> {
        Result<qint64> stored = insertRows(table, tableRows, from, to);
        if (!stored)
            return stored.error();
        *inserted[std::size_t(table)] += *stored;
        return std::nullopt;
    };
    const TableRows tables{ rows };
    qint64 first = std::numeric_limits<qint64>::max();
    qint64 last = std::numeric_limits<qint64>::min();
    for (std::size_t t = 0; t < RawTableCount; ++t) {
        if (std::optional<Error> error =
                insert(WarehouseTable(t), tables.table(t), begin[t], end[t]))
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
    if (std::optional<Error> error = insert(WarehouseTable::Clean, clean, 0, clean.size()))
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
    const int keyCount = int(m_layouts[std::size_t(table)].keyColumns.size());
    int rc = sqlite3_bind_int64(read, keyCount + 1, slot);
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
    const int keyCount = int(m_layouts[std::size_t(table)].keyColumns.size());
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
    const Layout &layout = m_layouts[std::size_t(table)];
    Result<Statement> statement =
        prepare(QStringLiteral("SELECT max(%1) FROM %2 WHERE %3")
                    .arg(TableSpec::quote(layout.slotColumn), TableSpec::quote(tableName(table)),
                        keyCondition(layout.keyColumns)));
    if (!statement)
        return statement.error();
    for (int i = 0; i < int(layout.keyFields.size()); ++i) {
        const QByteArray utf8 = (key.*keyFields[layout.keyFields[std::size_t(i)]].field).toUtf8();
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
    const Layout &layout = m_layouts[std::size_t(table)];
    const int keyCount = int(layout.keyFields.size());
    Result<Statement> statement =
        prepare(QStringLiteral("SELECT 1 FROM %1 WHERE %2 AND %3 = ?%4")
                    .arg(TableSpec::quote(tableName(table)), keyCondition(layout.keyColumns),
                        TableSpec::quote(layout.slotColumn))
                    .arg(keyCount + 1));
    if (!statement)
        return statement.error();
    for (int i = 0; i < keyCount; ++i) {
        const QByteArray utf8 = (key.*keyFields[layout.keyFields[std::size_t(i)]].field).toUtf8();
        sqlite3_bind_text(
            statement->get(), i + 1, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(statement->get(), keyCount + 1, slot);
    const int rc = sqlite3_step(statement->get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqliteError(tr("cannot look up slot %1 in %2").arg(slot).arg(tableName(table)));
    return rc == SQLITE_ROW;
}

} // namespace Sluice
