#pragma once

// A prepared statement of the SQLite C API, finalized when it dies, and the one way the
// writers prepare one. Lives on the thread of its connection.

#include <memory>

#include <QString>

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

} // namespace Sluice
