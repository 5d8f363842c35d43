#include "storage/csvexportjob.h"

#include <QCoreApplication>
#include <QThread>

namespace Sluice {

CsvExportJob::CsvExportJob(
    const QString &warehousePath, const CsvRequest &request, const QString &path)
    : m_warehousePath(warehousePath)
    , m_request(request)
    , m_path(path)
{ }

void CsvExportJob::start()
{
    QThread *thread = QThread::create([this] { run(); });
    thread->setObjectName(QStringLiteral("sluice-csv-export"));
    moveToThread(thread);
    // finished is emitted on the ending thread, which then deletes the job; the thread object
    // lives on the starting thread and is deleted there.
    connect(thread, &QThread::finished, this, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    // At the end of the process an export still running is cancelled and waited for, so that
    // it removes its temporary file before the process goes.
    if (QCoreApplication *app = QCoreApplication::instance()) {
        connect(app, &QCoreApplication::aboutToQuit, thread, [thread, token = cancellationToken()] {
            token.cancel();
            thread->wait();
        });
    }
    thread->start();
}

void CsvExportJob::run()
{
    CsvExporter exporter(m_warehousePath);
    exporter.setCancelFlag(m_cancel.get());
    exporter.setProgressHandler(
        [this](qint64 done, qint64 total) { Q_EMIT progressed(done, total); });
    const Result<CsvSummary> result = exporter.exportToFile(m_request, m_path);
    const bool cancelled = exporter.failure() == CsvExporter::Failure::Cancelled;
    Q_EMIT finished(bool(result), result ? result->rows : 0,
        result ? QString() : result.error().message(), cancelled);
}

} // namespace Sluice
