#pragma once

// Streams a table of warehouse.sqlite, or a filtered and sorted view of one, to CSV (README,
// "Exporting CSV") in constant memory. Runs on the thread that calls it (a worker for long exports)
// and opens its own read-only connection there.

#include <atomic>
#include <functional>
#include <optional>

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include "engine/result.h"
#include "storage/csvwriter.h"
#include "storage/tablefilter.h"
#include "storage/warehouse.h"

class QIODevice;
struct sqlite3;

namespace Sluice {

// What to export. The default is the clean table, every row, ordered by start_timestamp.
struct CsvRequest
{
    QString table = QLatin1String(Warehouse::CleanTable);
    std::optional<qint64> start; // start_timestamp >= start (unix seconds)
    std::optional<qint64> end; // start_timestamp < end
    QList<TableCondition> conditions; // all must hold
    // Rows by this column, ties by the key (TableFilter::setOrder); empty: time order
    // (start_timestamp, then timeframe) for the clean table, else the table's key.
    QString orderBy;
    Qt::SortOrder order = Qt::AscendingOrder;
    CsvFormat format;
    // When set, the rows of this one SELECT instead of the table (an `export` step of a flow
    // file): the header is its result's column names, :name parameters bind from binds (a
    // parameter binds has no value for is refused), and nothing of the table, range,
    // conditions and order above applies.
    QString query;
    QVariantMap binds;
};

struct CsvSummary
{
    qint64 rows = 0; // data rows, without the header
    qint64 bytes = 0;
};

class CsvExporter
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::CsvExporter)

public:
    // Why the last export failed, so that a caller can tell its user's mistake from a fault.
    enum class Failure {
        None,
        BadRequest, // unknown table or column, bad range or delimiter: the request's fault
        Cancelled,
        Io, // the warehouse could not be read or the output not written
    };

    // Called on the exporting thread with the rows written so far and the rows in all, or -1
    // when unknown: once at the start, then at most about ten times a second, and at the end.
    // Counting the rows costs a scan, so it happens only when a handler is set.
    using ProgressHandler = std::function<void(qint64 rowsDone, qint64 rowsTotal)>;

    explicit CsvExporter(const QString &warehousePath);

    void setProgressHandler(ProgressHandler handler) { m_progress = std::move(handler); }
    // The export stops with Failure::Cancelled soon after *flag becomes true (checked between
    // chunks of rows). The flag may be set from any thread and must outlive the export.
    void setCancelFlag(const std::atomic_bool *flag) { m_cancel = flag; }

    // A new or regular file is written under a temporary name beside it and renamed over it
    // only when everything was written: a failed or cancelled export leaves an existing file
    // untouched and no partial file behind. A path that exists and is not a regular file (a
    // device, a FIFO, /dev/stdout) is written in place, never renamed over; a folder is refused
    // (CsvOutputFile).
    Result<CsvSummary> exportToFile(const CsvRequest &request, const QString &path);
    // Streams to an open device (standard output, a socket, a QBuffer); name is used in errors.
    Result<CsvSummary> exportToDevice(
        const CsvRequest &request, QIODevice *device, const QString &name);

    Failure failure() const { return m_failure; }

    // The warehouse's tables, sorted by name, and a table's columns in order: what a request
    // may name.
    static Result<QStringList> tables(const QString &warehousePath);
    static Result<QStringList> columns(const QString &warehousePath, const QString &table);
    // One ASCII character other than a letter, a digit, "." "+" "-" '"' "'" CR LF and NUL, or
    // "tab" or "\t" for a tab; the error says what is allowed.
    static Result<char> parseDelimiter(const QString &text);

private:
    struct Query;

    // Opens the warehouse, checks the request and prepares its statement: BadRequest errors
    // come out here, before any output is created.
    Result<Query> prepare(const CsvRequest &request);
    Result<void> prepareQuery(const CsvRequest &request, Query &query, sqlite3 *db);
    // A new export: prepare() unless the export is already cancelled.
    Result<Query> begin(const CsvRequest &request, const QString &name);
    Result<CsvSummary> stream(
        Query &query, const CsvFormat &format, QIODevice *device, const QString &name);
    bool isCancelled() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }
    Error fail(Failure failure, Error error);
    Error cancelled(const QString &name);

    QString m_warehousePath;
    ProgressHandler m_progress;
    const std::atomic_bool *m_cancel = nullptr;
    Failure m_failure = Failure::None;
};

} // namespace Sluice
