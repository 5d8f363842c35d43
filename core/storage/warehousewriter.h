#pragma once

// Loads SlotRows into warehouse.sqlite, first write wins, one transaction a batch of slots,
// through a TableWriter a table (Warehouse::tableSpec) on its own connection; and answers what
// is stored.
// The clean table is never loaded from outside: each batch joins it from the stored raw rows,
// so it always equals the join of the raw tables. Lives on the thread that opened it: open
// another writer on another thread.

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <QCoreApplication>
#include <QString>

#include "engine/result.h"
#include "storage/sqliteconnection.h"
#include "storage/sqlitestatement.h"
#include "storage/sqlvalue.h"
#include "storage/tablewriter.h"
#include "storage/warehouse.h"
#include "transform/slotrows.h"

struct sqlite3;
struct sqlite3_stmt;

namespace Sluice {

class WarehouseWriter
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::WarehouseWriter)

public:
    // Rows actually inserted (sqlite3_changes), per table; slots already stored count nothing.
    struct Counts
    {
        qint64 prices = 0;
        qint64 hashRates = 0;
        qint64 difficulties = 0;
        qint64 clean = 0;

        qint64 total() const { return prices + hashRates + difficulties + clean; }
        friend bool operator==(const Counts &, const Counts &) = default;
    };

    // After each committed batch: distinct slots written so far (of any table) and in all,
    // and the rows inserted so far.
    struct Progress
    {
        qint64 slotsDone = 0;
        qint64 slotsTotal = 0;
        Counts inserted;
    };

    struct LoadOptions
    {
        // Slots a transaction: all rows of these slots, in all four tables, or none of them.
        qint64 batchSlots = 20000;
        // Asked before each batch; true stops the load with an Error, the batches committed so
        // far staying in place.
        std::function<bool()> isCancelled;
        std::function<void(const Progress &)> progressed;
    };

    WarehouseWriter(WarehouseWriter &&other) noexcept;
    WarehouseWriter &operator=(WarehouseWriter &&other) noexcept;
    WarehouseWriter(const WarehouseWriter &) = delete;
    WarehouseWriter &operator=(const WarehouseWriter &) = delete;
    ~WarehouseWriter();

    // Opens the file with SqliteConnection (role "warehouse-writer"), brings its schema up to
    // date (Warehouse::migrate), checks each table against its description and prepares the
    // statements.
    static Result<WarehouseWriter> open(const QString &path);

    // Inserts every raw row of `rows` the warehouse does not hold yet; a stored slot keeps its
    // values. Then, in the same transaction, inserts a clean row at each slot where all three
    // raw tables now hold a row (under `rows.key`) and the clean table has none, made of the
    // stored raw values: a slot completed by a later load joins the values stored first.
    // Rows of each table must be in slot order (SeriesMerge produces them so) with finite
    // values, else nothing is written and the Error says which table and slot. Batches commit
    // one by one; a failing batch is rolled back whole and its Error names the table, the slot
    // and SQLite's message.
    Result<Counts> load(const SlotRows &rows, const LoadOptions &options);
    Result<Counts> load(const SlotRows &rows);

    // The latest slot stored in `table` for `key` (the clean table looks at the timeframe
    // only), or nullopt when there is none.
    Result<std::optional<qint64>> lastSlot(WarehouseTable table, const SeriesKey &key = {}) const;
    // Whether `table` holds `slot` for `key`.
    Result<bool> hasSlot(WarehouseTable table, qint64 slot, const SeriesKey &key = {}) const;

    // How long a write waits for another connection's lock before failing (the connection's
    // default is 5000 ms).
    void setBusyTimeout(int milliseconds);

    QString path() const { return m_connection.path(); }
    static QString tableName(WarehouseTable table);

private:
    using Statement = SqliteStatement;

    // Where each column of a table takes its value from, found by the column's name.
    struct Layout
    {
        enum class From { Key, Slot, Value };
        struct Column
        {
            From from = From::Value;
            int index = 0; // From::Key: a series key field; From::Value: the row's value
        };
        std::vector<Column> columns;
        // The series key columns (all of the table's key but the slot), their fields.
        QStringList keyColumns;
        std::vector<int> keyFields;
        QStringList valueColumns;
        std::vector<int> valuePositions; // the column of each value
        QString slotColumn;
        int slotPosition = 0;
    };

    WarehouseWriter() = default;
    Result<Statement> prepare(const QString &sql) const;
    Result<void> bindKey(const SeriesKey &key);
    // Inserts rows[from, to) of `table` (SlotValue or CleanRow rows) through its TableWriter.
    template <typename Row>
    Result<qint64> insertRows(
        WarehouseTable table, const std::vector<Row> &rows, std::size_t from, std::size_t to);
    Result<Counts> writeBatch(const SlotRows &rows, const std::array<std::size_t, 3> &begin,
        const std::array<std::size_t, 3> &end);
    // The clean rows of a batch whose raw rows all went in, appended to out: at each slot of
    // the batch, the batch's values, and a stored row looked up where the batch has none.
    std::optional<Error> joinBatch(const SlotRows &rows, const std::array<std::size_t, 3> &begin,
        const std::array<std::size_t, 3> &end, std::vector<CleanRow> &out) const;
    // Appends the rows `table` (a raw table) holds for the bound key in [first, last] to out.
    std::optional<Error> readRange(
        WarehouseTable table, qint64 first, qint64 last, std::vector<SlotValue> &out) const;
    // The value `table` (a raw table) holds for the bound key at slot, or none.
    std::optional<Error> readSlot(
        WarehouseTable table, qint64 slot, std::optional<double> &value) const;
    Error sqliteError(const QString &what) const;

    // Declared before the statements: they are finalized before the connection closes.
    SqliteConnection m_connection;
    sqlite3 *m_db = nullptr;
    std::array<Layout, 4> m_layouts; // indexed by WarehouseTable
    std::vector<TableWriter> m_tables; // indexed by WarehouseTable
    std::vector<SqlValue> m_keyValues; // of the load, by series key field
    // By table: the values of a chunk of rows, the key columns set once a load (bindKey), the
    // others overwritten row by row.
    std::array<std::vector<SqlValue>, 4> m_chunks;
    std::array<Statement, 3> m_rangeReads; // a raw table's rows over a slot range
    std::array<Statement, 3> m_slotReads; // a raw table's value at one slot
};

} // namespace Sluice
