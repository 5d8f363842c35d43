#include "steps/tableload.h"

#include <sqlite3.h>

#include "storage/sqliteconnection.h"

namespace Sluice {

Result<std::unique_ptr<TableLoad>> TableLoad::begin(
    const SqliteConnection &connection, const TableSpec &spec, TableWriter::RowName rowName)
{
    if (Result<void> valid = spec.check(); !valid)
        return Error{ valid.error().what, valid.error().where, ErrorCode::Permanent };
    Result<sqlite3 *> db = connection.handle();
    if (!db)
        return db.error();
    if (sqlite3_exec(*db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        return SqliteConnection::sqliteError(
            *db, tr("cannot begin a write transaction"), connection.path());
    // The table is created inside the transaction: a failed load leaves no empty table.
    Result<TableWriter> writer = TableWriter::open(connection, spec);
    if (!writer) {
        sqlite3_exec(*db, "ROLLBACK", nullptr, nullptr, nullptr);
        return writer.error();
    }
    return std::unique_ptr<TableLoad>(new TableLoad(*db, std::move(*writer), std::move(rowName)));
}

TableLoad::TableLoad(sqlite3 *db, TableWriter writer, TableWriter::RowName rowName)
    : m_db(db)
    , m_writer(std::move(writer))
    , m_rowName(std::move(rowName))
    , m_columns(m_writer.spec().columns.size())
    , m_buffer(std::size_t(BatchRows * m_columns))
{ }

TableLoad::~TableLoad()
{
    if (m_open && !sqlite3_get_autocommit(m_db))
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> TableLoad::flush()
{
    if (m_filled == 0)
        return {};
    const qint64 first = m_flushedRows;
    const TableWriter::RowName name = [this, first](qint64 row) {
        return m_rowName ? m_rowName(first + row) : tr("row %1").arg(first + row + 1);
    };
    Result<qint64> stored = m_writer.insert(
        std::span<const SqlValue>(m_buffer.data(), std::size_t(m_filled * m_columns)), name);
    if (!stored)
        return stored.error();
    m_stored += *stored;
    m_flushedRows += m_filled;
    m_filled = 0;
    return {};
}

Result<qint64> TableLoad::commit()
{
    if (Result<void> flushed = flush(); !flushed)
        return flushed.error();
    m_open = false;
    if (sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        Error error = SqliteConnection::sqliteError(m_db,
            tr("cannot commit the rows of %1").arg(m_writer.spec().name),
            QString::fromUtf8(sqlite3_db_filename(m_db, "main")));
        if (!sqlite3_get_autocommit(m_db))
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        return error;
    }
    return m_stored;
}

} // namespace Sluice
