#include "steps/exportstep.h"

#include <atomic>

#include <QDir>
#include <QFileInfo>

#include "engine/taskcontext.h"
#include "steps/stepcontext.h"
#include "storage/csvexporter.h"

namespace Sluice {

Result<QVariant> ExportStep::run(StepContext &context)
{
    const ExportSpec &spec = context.step().exportSpec;
    TaskContext &task = context.task();

    Result<QString> to = context.substitute(spec.to);
    if (!to)
        return to.error();
    const QString path = context.resolvePath(*to);
    QString database = context.warehousePath();
    if (spec.database) {
        Result<QString> written = context.substitute(*spec.database);
        if (!written)
            return written.error();
        database = context.resolvePath(*written);
    }

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

    CsvExporter exporter(database);
    std::atomic_bool cancelled = false;
    exporter.setCancelFlag(&cancelled);
    exporter.setProgressHandler([&](qint64 done, qint64 total) {
        if (task.isCancelled())
            cancelled.store(true);
        if (total >= 0)
            task.setProgress(done, total);
    });
    Result<CsvSummary> summary = exporter.exportToFile(request, path);
    if (!summary) {
        Error error = summary.error();
        switch (exporter.failure()) {
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
