#pragma once

// Fills one table on a PostgreSQL `database:` for an `import` step (README, "Your own flows"),
// all or nothing, as TableLoad does on SQLite: one transaction that also creates the table when
// it is missing (integer -> bigint, real -> double precision, text -> text, PRIMARY KEY(key)),
// rows checked by TableWriter's rules as they are added (a misfit names its row and column)
// and streamed with COPY. With a key the rows go through a temporary table, then, with the
// table locked against other writers, an UPDATE of the keys stored (replace: the last row of a
// key wins) and an INSERT of the others (ignore: the first wins). Destroying an uncommitted
// load rolls everything back. Lives on the thread of its connection.

#include <memory>
#include <span>
#include <vector>

#include <QByteArray>
#include <QCoreApplication>

#include "engine/result.h"
#include "storage/sqlvalue.h"
#include "storage/tablespec.h"
#include "storage/tablewriter.h"

typedef struct pg_conn PGconn;

namespace Sluice {

class PgConnection;

class PgTableLoad
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::PgTableLoad)

public:
    // Begins the transaction, creates or checks spec's table and starts the COPY. rowName
    // names a row (from 0, of all rows added) in errors: "sales.csv:12".
    static Result<std::unique_ptr<PgTableLoad>> begin(
        const PgConnection &connection, const TableSpec &spec, TableWriter::RowName rowName);
    ~PgTableLoad(); // rolls back unless committed
    PgTableLoad(const PgTableLoad &) = delete;
    PgTableLoad &operator=(const PgTableLoad &) = delete;

    // The values of the next row, one per column, to fill in place; then addRow().
    std::span<SqlValue> nextRow() { return { m_row.data(), m_row.size() }; }
    // Checks and encodes the row nextRow() gave; sends the buffer when it is full.
    Result<void> addRow();
    // Ends the COPY, merges keyed rows and commits; the rows stored (a row ignored on conflict
    // counts nothing).
    Result<qint64> commit();

    qint64 rowsAdded() const { return m_rows; }

    // Bytes of COPY data sent at once.
    static constexpr qsizetype FlushBytes = 1 << 20;

private:
    PgTableLoad(PGconn *conn, QString where, TableSpec spec, TableWriter::RowName rowName);
    Result<void> createOrCheck();
    Result<void> startCopy();
    Result<void> flush();
    // Keyed rows from the temporary table into the table: the rows stored.
    Result<qint64> merge();
    Error failed(const Error &error) const;

    PGconn *m_conn;
    QString m_where; // the redacted URL
    TableSpec m_spec;
    TableWriter::RowName m_rowName;
    std::vector<SqlValue> m_row;
    std::vector<char> m_nullable; // by column: neither notNull nor in the key
    QByteArray m_buffer; // COPY text rows not sent yet
    qint64 m_rows = 0;
    bool m_open = true; // the transaction is ours to end
    bool m_copying = false;
};

} // namespace Sluice
