#pragma once

// SQL of flow-file steps on a PostgreSQL `database:` (README, "Your own flows"), through libpq
// on the connection a PgConnection opened (Qt's QPSQL driver hands out its PGconn): a text split
// into statements where PostgreSQL splits it (outside quotes, comments and dollar quotes), each
// `:name` turned into a `$n` parameter bound from the run's values, never spliced in; statements
// sent one at a time, waiting on the socket so that a cancel reaches the server. Lives on the
// thread of its connection.

#include <functional>
#include <memory>

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include "engine/cancellationtoken.h"
#include "engine/result.h"
#include "steps/sqlscript.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace Sluice {

class PgConnection;

class PgSql
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::PgSql)

public:
    // One statement of a text, ready for libpq.
    struct Statement
    {
        QByteArray text; // UTF-8, `$1`... where the text had `:name`
        QStringList parameters; // the name of `$n` at n - 1 (without ':')
        int line = 0; // of its first word, from 0 at the text's first line
    };

    // The statements of text in order, blanks and comments between them left out: split at
    // `;` outside parentheses, '...', E'...', "...", $tag$...$tag$, -- and /* */ (nested)
    // comments, as psql splits. A `:name`
    // there becomes `$n` (the same name the same n); `::` casts are left alone.
    static QList<Statement> split(const QString &text);

    struct ResultDeleter
    {
        void operator()(PGresult *result) const;
    };
    using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

    // True when the work should stop: checked while waiting for the server.
    using CancelCheck = std::function<bool()>;

    // The libpq connection of a QPSQL connection; nullptr when it is not open.
    static PGconn *handle(const PgConnection &connection);

    // Sends statement with its parameters bound from binds (a name binds lacks is an error
    // naming it and the names it has): integers as bigint, reals as double precision, booleans
    // as boolean, the rest as text of a type the server infers. singleRow: rows come one
    // result each (PQsetSingleRowMode) through next().
    static Result<void> send(
        PGconn *conn, const Statement &statement, const QVariantMap &binds, bool singleRow = false);
    // The next result of what send() sent, waiting on the socket; a null result when there is
    // no more. When cancelled says so, the server is asked to cancel the statement (once), and
    // the wait goes on for its answer.
    static Result<ResultPtr> next(PGconn *conn, const CancelCheck &cancelled);
    // Sends and collects every result; the error is the first failed result's.
    static Result<ResultPtr> exec(PGconn *conn, const Statement &statement,
        const QVariantMap &binds, const CancelCheck &cancelled);
    // A statement without parameters, for transaction control and the catalog.
    static Result<ResultPtr> exec(PGconn *conn, const QString &sql, const QStringList &values = {});

    // Whether a result is a success (rows or a command done).
    static bool succeeded(const PGresult *result);
    // The failure of a result or of the connection: the server's message and SQLSTATE;
    // a lost connection, serialization failure or deadlock is Transient, a statement the
    // cancel stopped is Cancelled, the rest Permanent.
    static Error failure(PGconn *conn, const PGresult *result, bool cancelRequested = false);
    static QByteArray sqlState(const PGresult *result);

    // The statements of a `sql` step in one transaction: any error rolls everything back and
    // names the line its statement starts on (firstLine: the text's first line in its file).
    // The outcome as SqlScript's: the first column of the first row of the last statement
    // that returns rows, else the rows inserted, updated or deleted; no tablesWritten.
    static Result<SqlScript::Outcome> runScript(const PgConnection &connection, const QString &text,
        const QVariantMap &binds, const CancellationToken &token, int firstLine = 1);
};

} // namespace Sluice
