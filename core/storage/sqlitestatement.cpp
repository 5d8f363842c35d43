#include "storage/sqlitestatement.h"

#include <QCoreApplication>

#include <sqlite3.h>

#include "storage/sqliteconnection.h"

namespace Sluice {

void SqliteStatementDeleter::operator()(sqlite3_stmt *statement) const
{
    sqlite3_finalize(statement);
}

Result<SqliteStatement> prepareStatement(sqlite3 *db, const QString &sql, const QString &path)
{
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(
            db, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &statement, nullptr)
        != SQLITE_OK) {
        sqlite3_finalize(statement);
        return SqliteConnection::sqliteError(db,
            QCoreApplication::translate("Sluice::SqliteStatement", "cannot prepare \"%1\"")
                .arg(sql.left(80)),
            path);
    }
    return SqliteStatement(statement);
}

} // namespace Sluice
