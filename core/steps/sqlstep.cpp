#include "steps/sqlstep.h"

#include "engine/taskcontext.h"
#include "steps/pgsql.h"
#include "steps/sqlscript.h"
#include "steps/stepcontext.h"
#include "steps/stepdatabase.h"
#include "storage/sqliteconnection.h"
#include "store/pgconnection.h"

namespace Sluice {

Result<QVariant> SqlStep::run(StepContext &context)
{
    const SqlSpec &spec = context.step().sql;
    Result<StepDatabase> database = StepDatabase::resolve(context, spec.database);
    if (!database)
        return database.error();
    const QString path = database->path;
    if (!database->isPostgres() && path.isEmpty())
        return Error{ tr("no database to run on"), context.where(), ErrorCode::Permanent };

    // A block (`sql: |`) starts on the line after its key; a one-line value on the key's.
    const PositionedText &statements = spec.statements;
    const int firstLine = statements.position.isValid()
        ? statements.position.line + (statements.value.contains(QLatin1Char('\n')) ? 1 : 0)
        : 1;

    if (database->isPostgres()) {
        // A connection of this attempt's own, on this thread; closed when the attempt ends.
        Result<PgConnection> connection =
            PgConnection::open(*database->url, QStringLiteral("sql-step"));
        if (!connection)
            return Error{ tr("%1 (database %2)").arg(connection.error().what, database->shown()),
                context.where(), connection.error().code };
        const Result<SqlScript::Outcome> ran = PgSql::runScript(
            *connection, statements.value, context.sqlBinds(), context.task().token(), firstLine);
        if (!ran) {
            return Error{ tr("%1 (database %2)").arg(ran.error().what, database->shown()),
                context.where(), ran.error().code };
        }
        return QVariant(ran->output);
    }

    // A connection of this attempt's own, on this thread; closed when the attempt ends.
    Result<SqliteConnection> connection = SqliteConnection::open(path, QStringLiteral("sql-step"));
    if (!connection)
        return Error{ connection.error().message(), context.where(), connection.error().code };

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
