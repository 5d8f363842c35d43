#include "steps/sqlscript.h"

#include <algorithm>

#include <sqlite3.h>

#include <QDate>
#include <QDateTime>

#include "storage/sqliteconnection.h"

namespace Sluice {

namespace {

    // Finalizes the statement it holds.
    struct Statement
    {
        sqlite3_stmt *handle = nullptr;
        ~Statement() { sqlite3_finalize(handle); }
    };

    QString sqliteMessage(sqlite3 *db)
    {
        return QString::fromUtf8(sqlite3_errmsg(db));
    }

    int bind(sqlite3_stmt *statement, int index, const QVariant &value)
    {
        switch (value.typeId()) {
        case QMetaType::Bool:
            return sqlite3_bind_int64(statement, index, value.toBool() ? 1 : 0);
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::LongLong:
        case QMetaType::Long:
            return sqlite3_bind_int64(statement, index, value.toLongLong());
        case QMetaType::ULongLong:
        case QMetaType::ULong:
            if (value.toULongLong() > quint64(std::numeric_limits<qint64>::max()))
                return sqlite3_bind_double(statement, index, value.toDouble());
            return sqlite3_bind_int64(statement, index, value.toLongLong());
        case QMetaType::Double:
        case QMetaType::Float:
            return sqlite3_bind_double(statement, index, value.toDouble());
        case QMetaType::QDate:
            return sqlite3_bind_text(statement, index,
                value.toDate().toString(Qt::ISODate).toUtf8().constData(), -1, SQLITE_TRANSIENT);
        case QMetaType::QDateTime:
            return sqlite3_bind_text(statement, index,
                value.toDateTime().toUTC().toString(Qt::ISODate).toUtf8().constData(), -1,
                SQLITE_TRANSIENT);
        default:
            break;
        }
        if (value.isNull() || !value.isValid())
            return sqlite3_bind_null(statement, index);
        const QByteArray text = value.toString().toUtf8();
        return sqlite3_bind_text(
            statement, index, text.constData(), int(text.size()), SQLITE_TRANSIENT);
    }

    // Asked by SQLite every few thousand steps: a non-zero answer interrupts the statement.
    int interruptWhenCancelled(void *token)
    {
        return static_cast<const CancellationToken *>(token)->isCancelled() ? 1 : 0;
    }

    struct ProgressHandler
    {
        sqlite3 *db;
        ProgressHandler(sqlite3 *handle, const CancellationToken *token)
            : db(handle)
        {
            sqlite3_progress_handler(
                db, 1000, interruptWhenCancelled, const_cast<CancellationToken *>(token));
        }
        ~ProgressHandler() { sqlite3_progress_handler(db, 0, nullptr, nullptr); }
    };

    // Notes, as SQLite compiles each statement, the tables it may write: the authorizer sees
    // every table a statement (and its triggers) touches, WITHOUT ROWID tables included.
    struct WriteWatch
    {
        sqlite3 *db;
        QStringList *tables;
        WriteWatch(sqlite3 *handle, QStringList *written)
            : db(handle)
            , tables(written)
        {
            sqlite3_set_authorizer(db, &WriteWatch::authorize, tables);
        }
        ~WriteWatch() { sqlite3_set_authorizer(db, nullptr, nullptr); }

        static int authorize(void *data, int action, const char *first, const char *second,
            const char *database, const char *)
        {
            const char *table = nullptr;
            switch (action) {
            case SQLITE_INSERT:
            case SQLITE_UPDATE:
            case SQLITE_DELETE:
            case SQLITE_CREATE_TABLE:
            case SQLITE_DROP_TABLE:
                table = first;
                break;
            case SQLITE_ALTER_TABLE:
                table = second;
                database = first;
                break;
            default:
                return SQLITE_OK;
            }
            if (!table || (database && qstrcmp(database, "main") != 0))
                return SQLITE_OK;
            auto *tables = static_cast<QStringList *>(data);
            const QString name = QString::fromUtf8(table);
            if (!name.startsWith(QLatin1String("sqlite_")) && !tables->contains(name))
                tables->append(name);
            return SQLITE_OK;
        }
    };

} // namespace

Result<SqlScript::Outcome> SqlScript::run(SqliteConnection &connection, const QString &text,
    const QVariantMap &binds, const CancellationToken &token, int firstLine)
{
    Result<sqlite3 *> handle = connection.handle();
    if (!handle)
        return handle.error();
    sqlite3 *db = *handle;
    const QString where = connection.path();
    const ProgressHandler progress(db, &token);

    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        return Error{ tr("cannot begin a transaction: %1").arg(sqliteMessage(db)), where,
            sqlite3_errcode(db) == SQLITE_BUSY ? ErrorCode::Transient : ErrorCode::Unspecified };
    const auto rollBack = [db] { sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr); };

    const QByteArray utf8 = text.toUtf8();
    const char *const begin = utf8.constData();
    const char *const end = begin + utf8.size();
    const char *next = begin;
    const sqlite3_int64 changesBefore = sqlite3_total_changes64(db);
    Outcome outcome;
    const WriteWatch watch(db, &outcome.tablesWritten);
    bool returnedRows = false;
    while (next < end) {
        const char *start = next;
        Statement statement;
        const int prepared =
            sqlite3_prepare_v2(db, start, int(end - start), &statement.handle, &next);
        // The statement's first line: skip the blanks and comments before it.
        const char *first = start;
        while (first < next) {
            if (*first == ' ' || *first == '\t' || *first == '\n' || *first == '\r') {
                ++first;
            } else if (first + 1 < next && first[0] == '-' && first[1] == '-') {
                while (first < next && *first != '\n')
                    ++first;
            } else if (first + 1 < next && first[0] == '/' && first[1] == '*') {
                const char *close = std::search(first + 2, next, "*/", "*/" + 2);
                first = close == next ? next : close + 2;
            } else {
                break;
            }
        }
        const int line = firstLine + int(std::count(begin, first, '\n'));
        const auto failure = [&](const QString &what) {
            const ErrorCode code = sqlite3_errcode(db) == SQLITE_INTERRUPT && token.isCancelled()
                ? ErrorCode::Cancelled
                : (sqlite3_errcode(db) == SQLITE_BUSY ? ErrorCode::Transient
                                                      : ErrorCode::Permanent);
            Error error{ tr("line %1: %2").arg(line).arg(what), where, code };
            rollBack();
            return error;
        };
        if (prepared != SQLITE_OK)
            return failure(sqliteMessage(db));
        if (!statement.handle)
            continue; // only blanks or comments were left
        ++outcome.statements;

        const int parameters = sqlite3_bind_parameter_count(statement.handle);
        for (int index = 1; index <= parameters; ++index) {
            const char *name = sqlite3_bind_parameter_name(statement.handle, index);
            if (!name || (name[0] != ':' && name[0] != '@' && name[0] != '$'))
                return failure(tr("only named parameters (:name) can be bound"));
            const QString key = QString::fromUtf8(name + 1);
            const auto found = binds.constFind(key);
            if (found == binds.cend()) {
                QStringList known = binds.keys();
                for (QString &each : known)
                    each.prepend(QLatin1Char(':'));
                return failure(tr("unknown parameter %1; the parameters are %2")
                                   .arg(QString::fromUtf8(name), known.join(QStringLiteral(", "))));
            }
            if (bind(statement.handle, index, *found) != SQLITE_OK)
                return failure(sqliteMessage(db));
        }

        const bool hasColumns = sqlite3_column_count(statement.handle) > 0;
        bool firstRow = true;
        while (true) {
            const int stepped = sqlite3_step(statement.handle);
            if (stepped == SQLITE_DONE)
                break;
            if (stepped != SQLITE_ROW)
                return failure(sqliteMessage(db));
            if (firstRow && hasColumns) {
                const unsigned char *value = sqlite3_column_text(statement.handle, 0);
                outcome.output = value ? QString::fromUtf8(reinterpret_cast<const char *>(value),
                                     sqlite3_column_bytes(statement.handle, 0))
                                       : QString();
            }
            firstRow = false;
        }
        if (hasColumns) {
            returnedRows = true;
            if (firstRow)
                outcome.output.clear(); // the last statement with columns returned none
        }
    }
    outcome.rowsChanged = sqlite3_total_changes64(db) - changesBefore;
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        Error error{ tr("cannot commit: %1").arg(sqliteMessage(db)), where,
            sqlite3_errcode(db) == SQLITE_BUSY ? ErrorCode::Transient : ErrorCode::Unspecified };
        rollBack();
        return error;
    }
    if (!returnedRows)
        outcome.output = QString::number(outcome.rowsChanged);
    return outcome;
}

} // namespace Sluice
