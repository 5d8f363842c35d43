#include "steps/sqlstep.h"

#include "engine/taskcontext.h"
#include "steps/sqlscript.h"
#include "steps/stepcontext.h"
#include "storage/sqliteconnection.h"

namespace Sluice {

Result<QVariant> SqlStep::run(StepContext &context)
{
    const SqlSpec &spec = context.step().sql;
    QString path = context.warehousePath();
    if (spec.database) {
        Result<QString> database = context.substitute(*spec.database);
        if (!database)
            return database.error();
        path = context.resolvePath(*database);
    }
    if (path.isEmpty())
        return Error{ tr("no database to run on"), context.where(), ErrorCode::Permanent };

    // A connection of this attempt's own, on this thread; closed when the attempt ends.
    Result<SqliteConnection> connection = SqliteConnection::open(path, QStringLiteral("sql-step"));
    if (!connection)
        return Error{ connection.error().message(), context.where(), connection.error().code };

    // A block (`sql: |`) starts on the line after its key; a one-line value on the key's.
    const PositionedText &statements = spec.statements;
    const int firstLine = statements.position.isValid()
        ? statements.position.line + (statements.value.contains(QLatin1Char('\n')) ? 1 : 0)
        : 1;
    const Result<SqlScript::Outcome> ran = SqlScript::run(
        *connection, statements.value, context.sqlBinds(), context.task().token(), firstLine);
    if (!ran) {
        return Error{ tr("%1 (database %2)").arg(ran.error().what, path), context.where(),
            ran.error().code };
    }
    // Rows of the warehouse changed: the views showing these tables re-read them.
    if (path == context.warehousePath()) {
        for (const QString &table : ran->tablesWritten)
            context.task().noteStored(table, -1);
    }
    return QVariant(ran->output);
}

} // namespace Sluice
