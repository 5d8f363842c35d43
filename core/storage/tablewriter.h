#pragma once

// Writes typed rows into one table that a TableSpec describes, through the SQLite C API on a
// connection it borrows: creates the table when it is missing, refuses one whose columns do
// not match, and inserts with bound parameters through statements prepared once. Every value
// must fit its column's type; one that does not fails the write naming the row and column.
// Lives on the thread of its connection.

#include <functional>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include <QCoreApplication>
#include <QString>

#include "engine/result.h"
#include "storage/sqliteconnection.h"
#include "storage/sqlitestatement.h"
#include "storage/sqlvalue.h"
#include "storage/tablespec.h"

struct sqlite3;
struct sqlite3_stmt;

namespace Sluice {

class TableWriter
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::TableWriter)

public:
    // Names row `row` (from 0, of the values given) in an error: the default says "row 5"; a
    // CSV import says "sales.csv:12", an HTTP step "/data/4".
    using RowName = std::function<QString(qint64 row)>;

    TableWriter(TableWriter &&other) noexcept;
    TableWriter &operator=(TableWriter &&other) noexcept;
    TableWriter(const TableWriter &) = delete;
    TableWriter &operator=(const TableWriter &) = delete;
    ~TableWriter();

    // Checks spec, creates its table when missing, else checks the table has each described
    // column with the same type (by SQLite's affinity rules), the described key as its primary
    // key and no other column that must be set; prepares the inserts. `connection` must stay
    // open, on this thread, while the writer lives.
    static Result<TableWriter> open(const SqliteConnection &connection, const TableSpec &spec);

    // Stores rows all or nothing, in one transaction of its own. `values` holds the rows one
    // after another, spec().columns.size() values each, in the order of the columns. Returns
    // the rows stored: a row ignored on conflict counts nothing.
    //
    // How values fit: an integer column takes integers, reals that hold a whole number, and
    // texts that read wholly as one ("42"); a real column takes integers, finite reals and
    // texts that read wholly as a finite number ("67012.5", "1e3"); a text column takes any
    // value, numbers stored as their text. Null fits a column that is neither notNull nor in
    // the key.
    Result<qint64> write(std::span<const SqlValue> values, const RowName &rowName = {});
    // The same inside the caller's transaction: on an error rows before the failing one may be
    // in, and the caller rolls back.
    Result<qint64> insert(std::span<const SqlValue> values, const RowName &rowName = {});

    const TableSpec &spec() const { return m_spec; }

    // The rules of write() for a text: "-12" reads as an integer (an optional minus and
    // digits, within 64 bits); "67012.5", "-1e3", "5" as a finite real.
    static bool readsAsInteger(const QByteArray &text, qint64 &value);
    static bool readsAsReal(const QByteArray &text, double &value);
    // The error of a value that does not fit the column `column` of spec at the row `row`
    // ("sales.csv:12"); where names the database.
    static Error misfitError(const TableSpec &spec, const SqlValue &value, const QString &row,
        int column, const QString &where);

private:
    using Statement = SqliteStatement;

    TableWriter() = default;
    Result<void> createOrCheck();
    Result<Statement> prepare(const QString &sql) const;
    // Binds `rows` rows from values[first * columns] at parameters 1..; false with failedRow
    // and failedColumn set when a value does not fit, or rc set when SQLite refuses a bind.
    bool bindRows(sqlite3_stmt *statement, std::span<const SqlValue> values, qint64 first, int rows,
        qint64 &failedRow, int &failedColumn, int &rc);
    Error misfit(const SqlValue &value, qint64 row, int column, const RowName &rowName) const;
    QString nameOf(qint64 row, const RowName &rowName) const;
    Error sqliteError(const QString &what) const;

    sqlite3 *m_db = nullptr; // borrowed from the connection
    QString m_path;
    TableSpec m_spec;
    std::vector<ColumnType> m_types; // by column, read while binding
    std::vector<char> m_nullable; // by column: neither notNull nor in the key
    int m_bulkRows = 1;
    Statement m_insert; // one row
    Statement m_bulkInsert; // m_bulkRows rows
    // By parameter: the text bound there while an insert runs, else none. Valid only within
    // one insert(), whose values hold the bytes.
    using BoundText = std::pair<const char *, qsizetype>; // data and size
    std::vector<BoundText> m_singleBound;
    std::vector<BoundText> m_bulkBound;
};

} // namespace Sluice
