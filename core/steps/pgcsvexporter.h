#pragma once

// An `export` step's CSV from a PostgreSQL `database:` (README, "Your own flows"): a table (in
// its key's order) or one read-only SELECT, streamed row by row (libpq's single-row mode) in one
// read-only snapshot through the exporter's CsvWriter, so that the same values give the same
// bytes as an export from SQLite: integer types as integers, double precision and real as
// Python's repr of the double, numeric as an integer when whole and within 64 bits else as a
// double, boolean as 1 or 0, bytea as hex, NULL as an empty field, any other type as
// PostgreSQL's text of it. Written atomically (CsvOutputFile). Runs on the thread of its
// connection.

#include <atomic>

#include <QCoreApplication>
#include <QString>

#include "engine/result.h"
#include "storage/csvexporter.h"

namespace Sluice {

class PgConnection;

class PgCsvExporter
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::PgCsvExporter)

public:
    explicit PgCsvExporter(const PgConnection &connection);

    void setProgressHandler(CsvExporter::ProgressHandler handler)
    {
        m_progress = std::move(handler);
    }
    void setCancelFlag(const std::atomic_bool *flag) { m_cancel = flag; }

    // request.table or request.query (binding request.binds) in request.format; its range,
    // conditions and order are not used. A bad request (unknown table, not one SELECT, a
    // statement that writes, an unbound parameter) fails before the file is touched.
    Result<CsvSummary> exportToFile(const CsvRequest &request, const QString &path);

    CsvExporter::Failure failure() const { return m_failure; }

private:
    struct Query;

    Result<void> prepare(const CsvRequest &request, Query &query);
    Result<CsvSummary> stream(
        Query &query, const CsvFormat &format, QIODevice *device, const QString &name);
    bool isCancelled() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }
    Error fail(CsvExporter::Failure failure, Error error);

    const PgConnection &m_connection;
    QString m_where; // the redacted URL
    CsvExporter::ProgressHandler m_progress;
    const std::atomic_bool *m_cancel = nullptr;
    CsvExporter::Failure m_failure = CsvExporter::Failure::None;
};

} // namespace Sluice
