#pragma once

// A prepared statement of the SQLite C API, finalized when it dies, and the one way the
// writers prepare one. Lives on the thread of its connection.

#include <memory>

#include <QString>
#include <QVariant>

#include "engine/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace Sluice {

struct SqliteStatementDeleter
{
    void operator()(sqlite3_stmt *statement) const;
};
using SqliteStatement = std::unique_ptr<sqlite3_stmt, SqliteStatementDeleter>;

// Prepares sql on db for repeated use (SQLITE_PREPARE_PERSISTENT); the error quotes the start
// of the SQL and SQLite's message, at path.
Result<SqliteStatement> prepareStatement(sqlite3 *db, const QString &sql, const QString &path);

// A column of the statement's current row as the Qt driver gives it (integer, real, text,
// bytes or null), so that a value read here binds like one read through QSqlQuery.
QVariant columnValue(sqlite3_stmt *statement, int column);
// Binds value to the statement's parameter as its type says (a null value as NULL, bytes as a
// BLOB, anything else but numbers as text); SQLite's result code.
int bindValue(sqlite3_stmt *statement, int parameter, const QVariant &value);

} // namespace Sluice
