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

QVariant columnValue(sqlite3_stmt *statement, int column)
{
    switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
        return QVariant(qint64(sqlite3_column_int64(statement, column)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(statement, column));
    case SQLITE_TEXT:
        return QVariant(QString::fromUtf8(
            reinterpret_cast<const char *>(sqlite3_column_text(statement, column)),
            sqlite3_column_bytes(statement, column)));
    case SQLITE_BLOB:
        return QVariant(
            QByteArray(static_cast<const char *>(sqlite3_column_blob(statement, column)),
                sqlite3_column_bytes(statement, column)));
    default:
        return QVariant();
    }
}

int bindValue(sqlite3_stmt *statement, int parameter, const QVariant &value)
{
    if (value.isNull())
        return sqlite3_bind_null(statement, parameter);
    switch (value.typeId()) {
    case QMetaType::LongLong:
        return sqlite3_bind_int64(statement, parameter, value.toLongLong());
    case QMetaType::Double:
        return sqlite3_bind_double(statement, parameter, value.toDouble());
    case QMetaType::QByteArray: {
        const QByteArray bytes = value.toByteArray();
        return sqlite3_bind_blob64(
            statement, parameter, bytes.constData(), quint64(bytes.size()), SQLITE_TRANSIENT);
    }
    default: {
        const QByteArray utf8 = value.toString().toUtf8();
        return sqlite3_bind_text64(statement, parameter, utf8.constData(), quint64(utf8.size()),
            SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    }
}

} // namespace Sluice
