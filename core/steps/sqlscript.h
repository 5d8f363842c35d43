#pragma once
// The statements of a `sql` step, run in one transaction on one connection: every statement
// in order, each with its named parameters (`:day`) bound from the run's values, never spliced
// into the text. Any error rolls everything back and names the line its statement starts on.

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include "engine/cancellationtoken.h"
#include "engine/result.h"

namespace Sluice {

class SqliteConnection;

class SqlScript
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::SqlScript)

public:
    struct Outcome
    {
        // The first column of the first row of the last statement that returns rows (empty
        // when that statement returns none); when no statement returns rows, the number of
        // rows changed.
        QString output;
        qint64 rowsChanged = 0;
        int statements = 0;
        // The tables of the main database the statements insert into, update, delete from,
        // create, alter or drop (also through triggers), in the order first met.
        QStringList tablesWritten;
    };

    // binds: name (without ':') -> value; a parameter the script names but binds lacks is an
    // error naming it. firstLine: the line of the text's first line in its file, for messages.
    static Result<Outcome> run(SqliteConnection &connection, const QString &text,
        const QVariantMap &binds, const CancellationToken &token, int firstLine = 1);
};

} // namespace Sluice
