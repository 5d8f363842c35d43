#pragma once

// Fills one table for an `http` or `import` step (README, "Your own flows"), all or nothing:
// one write transaction that also creates the table when it is missing, rows handed over one
// at a time into a reused buffer and inserted in batches through a TableWriter. Nothing is
// stored unless commit() succeeds: destroying an uncommitted load rolls everything back. Lives
// on the thread of its connection.

#include <memory>
#include <span>
#include <vector>

#include <QCoreApplication>

#include "engine/result.h"
#include "storage/sqlvalue.h"
#include "storage/tablespec.h"
#include "storage/tablewriter.h"

struct sqlite3;

namespace Sluice {

class SqliteConnection;

class TableLoad
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::TableLoad)

public:
    // Begins the transaction (BEGIN IMMEDIATE) and opens a writer on spec's table. rowName
    // names a row (from 0, of all rows added) in errors: "sales.csv:12", "/data/4".
    static Result<std::unique_ptr<TableLoad>> begin(
        const SqliteConnection &connection, const TableSpec &spec, TableWriter::RowName rowName);
    ~TableLoad(); // rolls back unless committed
    TableLoad(const TableLoad &) = delete;
    TableLoad &operator=(const TableLoad &) = delete;

    // The values of the next row, one per column, to fill in place (they keep what the row
    // before them held); then addRow().
    std::span<SqlValue> nextRow()
    {
        return { m_buffer.data() + m_filled * m_columns, std::size_t(m_columns) };
    }
    // Takes the row nextRow() gave; inserts the batch when it is full.
    Result<void> addRow()
    {
        if (++m_filled == m_batchRows)
            return flush();
        return {};
    }
    // Inserts what is left and commits; the rows stored (a row ignored on conflict counts
    // nothing).
    Result<qint64> commit();

    qint64 rowsAdded() const { return m_flushedRows + m_filled; }

    // Rows inserted at once: enough for TableWriter's bulk statements.
    static constexpr qsizetype BatchRows = 4096;

private:
    TableLoad(sqlite3 *db, TableWriter writer, TableWriter::RowName rowName);
    Result<void> flush();

    sqlite3 *m_db;
    TableWriter m_writer;
    TableWriter::RowName m_rowName;
    qsizetype m_columns;
    qsizetype m_batchRows = BatchRows;
    std::vector<SqlValue> m_buffer;
    qsizetype m_filled = 0; // rows of the buffer taken
    qint64 m_flushedRows = 0;
    qint64 m_stored = 0;
    bool m_open = true; // the transaction is ours to end
};

} // namespace Sluice
