#include "steps/exportstep.h"

#include <atomic>

#include <QDir>
#include <QFileInfo>

#include "engine/taskcontext.h"
#include "steps/pgcsvexporter.h"
#include "steps/stepcontext.h"
#include "steps/stepdatabase.h"
#include "storage/csvexporter.h"
#include "store/pgconnection.h"

namespace Sluice {

Result<QVariant> ExportStep::run(StepContext &context)
{
    const ExportSpec &spec = context.step().exportSpec;
    TaskContext &task = context.task();

    Result<QString> to = context.substitute(spec.to);
    if (!to)
        return to.error();
    const QString path = context.resolvePath(*to);
    Result<StepDatabase> database = StepDatabase::resolve(context, spec.database);
    if (!database)
        return database.error();

    // Only a regular file is replaced, and only by rename: never write into a FIFO, a device
    // or a folder that happens to have the name.
    const QFileInfo target(path);
    if (target.exists() && !target.isFile()) {
        return Error{
            tr("cannot write the CSV to %1: it exists and is not a regular file").arg(path),
            context.where(), ErrorCode::Permanent
        };
    }
    if (!QDir().mkpath(target.absolutePath())) {
        return Error{ tr("cannot create the folder %1").arg(target.absolutePath()), context.where(),
            ErrorCode::Permanent };
    }

    CsvRequest request;
    if (spec.query) {
        request.query = spec.query->value;
        request.binds = context.sqlBinds();
    } else {
        request.table = spec.table;
    }
    request.format.delimiter = spec.delimiter.unicode() <= 127 ? char(spec.delimiter.unicode()) : 0;
    request.format.header = spec.header;
    request.format.lineEnding = spec.crlf ? CsvFormat::LineEnding::CrLf : CsvFormat::LineEnding::Lf;
    request.format.spreadsheetSafe = spec.spreadsheetSafe;

    std::atomic_bool cancelled = false;
    const auto progress = [&](qint64 done, qint64 total) {
        if (task.isCancelled())
            cancelled.store(true);
        if (total >= 0)
            task.setProgress(done, total);
    };
    Result<CsvSummary> summary = CsvSummary();
    CsvExporter::Failure failure = CsvExporter::Failure::None;
    if (database->isPostgres()) {
        // A connection of this attempt's own, on this thread; closed when the attempt ends.
        Result<PgConnection> connection =
            PgConnection::open(*database->url, QStringLiteral("export-step"));
        if (!connection) {
            return Error{ tr("%1 (database %2)").arg(connection.error().what, database->shown()),
                context.where(), connection.error().code };
        }
        PgCsvExporter exporter(*connection);
        exporter.setCancelFlag(&cancelled);
        exporter.setProgressHandler(progress);
        summary = exporter.exportToFile(request, path);
        failure = exporter.failure();
    } else {
        CsvExporter exporter(database->path);
        exporter.setCancelFlag(&cancelled);
        exporter.setProgressHandler(progress);
        summary = exporter.exportToFile(request, path);
        failure = exporter.failure();
    }
    if (!summary) {
        Error error = summary.error();
        switch (failure) {
        case CsvExporter::Failure::BadRequest:
            error.code = ErrorCode::Permanent;
            break;
        case CsvExporter::Failure::Cancelled:
            error.code = ErrorCode::Cancelled;
            break;
        default:
            break;
        }
        return error;
    }
    task.info(tr("wrote %n row(s) to %1", nullptr, int(summary->rows)).arg(path));
    return QVariant(path);
}

} // namespace Sluice
