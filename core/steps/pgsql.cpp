#include "steps/pgsql.h"

#include <algorithm>
#include <cerrno>
#include <vector>

#include <poll.h>

#include <QDate>
#include <QDateTime>
#include <QSqlDriver>

#include <libpq-fe.h>

#include "storage/pythonfloat.h"
#include "store/pgconnection.h"

namespace Sluice {

namespace {

    // Milliseconds between looks at the cancel check while the server works.
    constexpr int PollMs = 100;

    bool isWordStart(char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
            || static_cast<unsigned char>(c) >= 0x80;
    }

    bool isWordChar(char c)
    {
        return isWordStart(c) || (c >= '0' && c <= '9') || c == '$';
    }

    bool isNameChar(char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
            || (c >= '0' && c <= '9');
    }

    // Notices ("table exists, skipping") would go to stderr: a step's log is no place for them.
    void dropNotice(void *, const char *) { }

    // The OIDs of the types a bound value declares (pg_type.dat); 0 lets the server infer.
    constexpr Oid BooleanOid = 16;
    constexpr Oid BigintOid = 20;
    constexpr Oid DoubleOid = 701;

} // namespace

void PgSql::ResultDeleter::operator()(PGresult *result) const
{
    PQclear(result);
}

QList<PgSql::Statement> PgSql::split(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    const char *const s = utf8.constData();
    const qsizetype n = utf8.size();
    QList<Statement> statements;
    Statement current;
    bool started = false;
    qsizetype copied = 0; // bytes before this are in current.text
    int line = 0;
    int depth = 0; // of parentheses: a ; inside them does not end the statement (as in psql)
    const auto finish = [&](qsizetype end) {
        if (started) {
            current.text += QByteArray(s + copied, end - copied);
            statements.append(current);
        }
        current = Statement();
        started = false;
        depth = 0;
    };
    // Skips a quoted text from its opening quote; backslashes escape in E'...'.
    const auto skipQuoted = [&](qsizetype i, char quote, bool escapes) {
        ++i;
        while (i < n) {
            if (escapes && s[i] == '\\' && i + 1 < n) {
                line += s[i + 1] == '\n' ? 1 : 0;
                i += 2;
                continue;
            }
            if (s[i] == '\n')
                ++line;
            if (s[i] == quote) {
                ++i;
                if (i < n && s[i] == quote) { // doubled: part of the text
                    ++i;
                    continue;
                }
                return i;
            }
            ++i;
        }
        return n;
    };

    qsizetype i = 0;
    while (i < n) {
        const char c = s[i];
        if (c == '\n') {
            ++line;
            ++i;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
            ++i;
            continue;
        }
        if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n')
                ++i;
            continue;
        }
        if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            int depth = 0;
            while (i < n) {
                if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
                    ++depth;
                    i += 2;
                } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
                    i += 2;
                    if (--depth == 0)
                        break;
                } else {
                    line += s[i] == '\n' ? 1 : 0;
                    ++i;
                }
            }
            continue;
        }
        if (c == ';' && depth == 0) {
            finish(i);
            ++i;
            continue;
        }
        if (!started) {
            started = true;
            copied = i;
            current.line = line;
        }
        if (c == '\'') {
            const bool escapes =
                i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !isWordChar(s[i - 2]));
            i = skipQuoted(i, '\'', escapes);
        } else if (c == '"') {
            i = skipQuoted(i, '"', false);
        } else if (c == '$') {
            // $tag$...$tag$ (the tag may be empty); $1 is a positional parameter.
            qsizetype j = i + 1;
            while (j < n && isWordChar(s[j]) && s[j] != '$'
                && !(j == i + 1 && s[j] >= '0' && s[j] <= '9'))
                ++j;
            if (j < n && s[j] == '$') {
                const QByteArray tag(s + i, j - i + 1);
                const qsizetype close = utf8.indexOf(tag, j + 1);
                const qsizetype end = close < 0 ? n : close + tag.size();
                for (qsizetype k = j + 1; k < end; ++k)
                    line += s[k] == '\n' ? 1 : 0;
                i = end;
            } else {
                ++i;
            }
        } else if (c == ':') {
            if (i + 1 < n && s[i + 1] == ':') { // a cast
                i += 2;
                continue;
            }
            qsizetype j = i + 1;
            if (j < n && isNameChar(s[j]) && !(s[j] >= '0' && s[j] <= '9')) {
                while (j < n && isNameChar(s[j]))
                    ++j;
                const QString name = QString::fromLatin1(s + i + 1, j - i - 1);
                qsizetype index = current.parameters.indexOf(name);
                if (index < 0) {
                    current.parameters.append(name);
                    index = current.parameters.size() - 1;
                }
                current.text += QByteArray(s + copied, i - copied);
                current.text += '$' + QByteArray::number(index + 1);
                copied = j;
                i = j;
            } else {
                ++i;
            }
        } else if (c == '(' || c == ')') {
            depth = std::max(0, depth + (c == '(' ? 1 : -1));
            ++i;
        } else if (isWordStart(c)) {
            while (i < n && isWordChar(s[i]))
                ++i;
        } else {
            ++i;
        }
    }
    finish(n);
    return statements;
}

PGconn *PgSql::handle(const PgConnection &connection)
{
    const QSqlDatabase db = connection.database();
    if (!db.isOpen() || !db.driver())
        return nullptr;
    const QVariant native = db.driver()->handle();
    // Registered as PGconn*, which Qt 6 names by the struct it stands for.
    const char *type = native.isValid() ? native.typeName() : nullptr;
    if (!type || (qstrcmp(type, "PGconn*") != 0 && qstrcmp(type, "pg_conn*") != 0))
        return nullptr;
    PGconn *conn = *static_cast<PGconn *const *>(native.constData());
    if (conn)
        PQsetNoticeProcessor(conn, dropNotice, nullptr);
    return conn;
}

QByteArray PgSql::sqlState(const PGresult *result)
{
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    return state ? QByteArray(state) : QByteArray();
}

bool PgSql::succeeded(const PGresult *result)
{
    switch (result ? PQresultStatus(result) : PGRES_FATAL_ERROR) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_SINGLE_TUPLE:
    case PGRES_EMPTY_QUERY:
        return true;
    default:
        return false;
    }
}

Error PgSql::failure(PGconn *conn, const PGresult *result, bool cancelRequested)
{
    const QByteArray state = sqlState(result);
    QString what;
    if (result) {
        what = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
        if (const char *detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL))
            what += QStringLiteral(" (%1)").arg(QString::fromUtf8(detail).trimmed());
    }
    if (what.isEmpty())
        what = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    if (what.isEmpty())
        what = tr("no answer from the server");
    ErrorCode code = ErrorCode::Permanent;
    const bool lost = PQstatus(conn) == CONNECTION_BAD || state.startsWith("08") || state == "57P01"
        || state == "57P02" || state == "57P03";
    if (lost || state == "40001" || state == "40P01") // also serialization failure, deadlock
        code = ErrorCode::Transient;
    else if (state == "57014" && cancelRequested)
        code = ErrorCode::Cancelled;
    if (!state.isEmpty())
        what = tr("%1 (SQLSTATE %2)").arg(what, QString::fromLatin1(state));
    return Error{ what, QString(), code };
}

Result<void> PgSql::send(
    PGconn *conn, const Statement &statement, const QVariantMap &binds, bool singleRow)
{
    const qsizetype count = statement.parameters.size();
    std::vector<Oid> types(std::size_t(count), 0);
    std::vector<QByteArray> texts{ std::size_t(count) };
    std::vector<const char *> values(std::size_t(count), nullptr);
    for (qsizetype p = 0; p < count; ++p) {
        const QString &name = statement.parameters.at(p);
        const auto found = binds.constFind(name);
        if (found == binds.cend()) {
            QStringList known = binds.keys();
            for (QString &each : known)
                each.prepend(QLatin1Char(':'));
            return Error{ tr("unknown parameter :%1; the parameters are %2")
                              .arg(name, known.join(QStringLiteral(", "))),
                QString(), ErrorCode::Permanent };
        }
        const QVariant &value = *found;
        QByteArray &text = texts[std::size_t(p)];
        Oid &type = types[std::size_t(p)];
        switch (value.typeId()) {
        case QMetaType::Bool:
            type = BooleanOid;
            text = value.toBool() ? "t" : "f";
            break;
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::Long:
        case QMetaType::LongLong:
            type = BigintOid;
            text = QByteArray::number(value.toLongLong());
            break;
        case QMetaType::ULong:
        case QMetaType::ULongLong:
            if (value.toULongLong() > quint64(std::numeric_limits<qint64>::max())) {
                type = DoubleOid;
                text = PythonFloat::toUtf8(value.toDouble());
            } else {
                type = BigintOid;
                text = QByteArray::number(value.toLongLong());
            }
            break;
        case QMetaType::Double:
        case QMetaType::Float:
            type = DoubleOid;
            text = PythonFloat::toUtf8(value.toDouble());
            break;
        case QMetaType::QDate:
            text = value.toDate().toString(Qt::ISODate).toUtf8();
            break;
        case QMetaType::QDateTime:
            text = value.toDateTime().toUTC().toString(Qt::ISODate).toUtf8();
            break;
        default:
            if (!value.isNull() && value.isValid())
                text = value.toString().toUtf8();
            break;
        }
        values[std::size_t(p)] = text.isNull() ? nullptr : text.constData();
    }
    if (!PQsendQueryParams(conn, statement.text.constData(), int(count), types.data(),
            values.data(), nullptr, nullptr, 0))
        return failure(conn, nullptr);
    if (singleRow)
        PQsetSingleRowMode(conn);
    return {};
}

Result<PgSql::ResultPtr> PgSql::next(PGconn *conn, const CancelCheck &cancelled)
{
    bool asked = false;
    while (PQisBusy(conn)) {
        if (!asked && cancelled && cancelled()) {
            asked = true;
            if (PGcancel *cancel = PQgetCancel(conn)) {
                char message[256];
                PQcancel(cancel, message, int(sizeof message));
                PQfreeCancel(cancel);
            }
        }
        pollfd wait{ PQsocket(conn), POLLIN, 0 };
        if (wait.fd < 0)
            return failure(conn, nullptr);
        if (::poll(&wait, 1, PollMs) < 0 && errno != EINTR)
            return failure(conn, nullptr);
        if (!PQconsumeInput(conn))
            return failure(conn, nullptr);
    }
    return ResultPtr(PQgetResult(conn));
}

Result<PgSql::ResultPtr> PgSql::exec(PGconn *conn, const Statement &statement,
    const QVariantMap &binds, const CancelCheck &cancelled)
{
    if (Result<void> sent = send(conn, statement, binds); !sent)
        return sent.error();
    ResultPtr last;
    std::optional<Error> failed;
    while (true) {
        Result<ResultPtr> result = next(conn, cancelled);
        if (!result)
            return result.error(); // the connection is gone
        if (!*result)
            break;
        switch (PQresultStatus(result->get())) {
        case PGRES_COPY_IN: // COPY ... FROM STDIN: a step has no input to give
            PQputCopyEnd(conn, "COPY FROM STDIN is not supported in a step");
            continue;
        case PGRES_COPY_OUT: { // COPY ... TO STDOUT: read and dropped
            char *buffer = nullptr;
            while (PQgetCopyData(conn, &buffer, 0) > 0)
                PQfreemem(buffer);
            continue;
        }
        default:
            break;
        }
        if (!failed && !succeeded(result->get()))
            failed = failure(conn, result->get(), cancelled && cancelled());
        last = std::move(*result);
    }
    if (failed)
        return *failed;
    return last;
}

Result<PgSql::ResultPtr> PgSql::exec(PGconn *conn, const QString &sql, const QStringList &values)
{
    std::vector<QByteArray> texts;
    std::vector<const char *> pointers;
    for (const QString &value : values)
        texts.push_back(value.toUtf8());
    for (const QByteArray &text : texts)
        pointers.push_back(text.constData());
    ResultPtr result(PQexecParams(conn, sql.toUtf8().constData(), int(pointers.size()), nullptr,
        pointers.data(), nullptr, nullptr, 0));
    if (!succeeded(result.get()))
        return failure(conn, result.get());
    return result;
}

Result<SqlScript::Outcome> PgSql::runScript(const PgConnection &connection, const QString &text,
    const QVariantMap &binds, const CancellationToken &token, int firstLine)
{
    const QString where = connection.url().redacted();
    PGconn *conn = handle(connection);
    if (!conn)
        return Error{ tr("the connection is not open"), where, ErrorCode::Transient };
    const CancelCheck cancelled = [&token] { return token.isCancelled(); };

    if (Result<ResultPtr> begun = exec(conn, QStringLiteral("BEGIN")); !begun) {
        Error error = begun.error();
        error.what = tr("cannot begin a transaction: %1").arg(error.what);
        error.where = where;
        return error;
    }
    const auto rollBack = [conn] { ResultPtr(PQexec(conn, "ROLLBACK")); };

    SqlScript::Outcome outcome;
    bool returnedRows = false;
    for (const Statement &statement : split(text)) {
        Result<ResultPtr> done = exec(conn, statement, binds, cancelled);
        if (!done) {
            rollBack();
            Error error = done.error();
            error.what = tr("line %1: %2").arg(firstLine + statement.line).arg(error.what);
            error.where = where;
            return error;
        }
        ++outcome.statements;
        const PGresult *result = done->get();
        if (!result)
            continue;
        if (PQresultStatus(result) == PGRES_TUPLES_OK && PQnfields(result) > 0) {
            returnedRows = true;
            outcome.output = PQntuples(result) > 0 && !PQgetisnull(result, 0, 0)
                ? QString::fromUtf8(PQgetvalue(result, 0, 0), PQgetlength(result, 0, 0))
                : QString();
        } else if (PQresultStatus(result) == PGRES_COMMAND_OK) {
            // Rows changed, as SQLite counts them: by INSERT, UPDATE, DELETE (and MERGE).
            const QByteArray tag = PQcmdStatus(const_cast<PGresult *>(result));
            if (tag.startsWith("INSERT ") || tag.startsWith("UPDATE ") || tag.startsWith("DELETE ")
                || tag.startsWith("MERGE "))
                outcome.rowsChanged +=
                    QByteArray(PQcmdTuples(const_cast<PGresult *>(result))).toLongLong();
        }
    }
    Result<ResultPtr> committed = exec(conn, QStringLiteral("COMMIT"));
    if (!committed) {
        rollBack();
        Error error = committed.error();
        error.what = tr("cannot commit: %1").arg(error.what);
        error.where = where;
        return error;
    }
    if (!returnedRows)
        outcome.output = QString::number(outcome.rowsChanged);
    return outcome;
}

} // namespace Sluice
