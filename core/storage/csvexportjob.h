#pragma once

// One CSV export on a thread of its own ("sluice-csv-export"), so that whoever starts it never
// waits: connect to its signals, then start(). The job owns itself: when the export ends it
// says so and is deleted, with its thread, on its own. Whoever started it only cancels (the
// token stays valid after the job is gone) and lets its connections go. A cancelled export
// leaves no partial file (CsvExporter). Created on any thread, lives on its own after start().

#include <atomic>
#include <memory>

#include <QObject>
#include <QString>

#include "engine/cancellationtoken.h"
#include "storage/csvexporter.h"

namespace Sluice {

class CsvExportJob : public QObject
{
    Q_OBJECT

public:
    CsvExportJob(const QString &warehousePath, const CsvRequest &request, const QString &path);

    // Moves the job to a new thread and runs the export there; returns at once.
    void start();
    // Cancels the export from any thread, also after the job is gone.
    CancellationToken cancellationToken() const { return CancellationToken(m_cancel); }

Q_SIGNALS:
    // At most about ten times a second; total is -1 when unknown.
    void progressed(qint64 done, qint64 total);
    // The last signal: message is empty on success.
    void finished(bool ok, qint64 rows, const QString &message, bool cancelled);

private:
    void run();

    const QString m_warehousePath;
    const CsvRequest m_request;
    const QString m_path;
    const std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
};

} // namespace Sluice
