#pragma once

// The result of one statement of the SQL tab, for a QTableView, at any size: a QueryReader on
// the "sluice-sql-reader" thread spools the statement's rows once, a QueryPageReader on the
// "sluice-sql-pages" thread reads the pages spooled whole; the rows spooled so far are
// shown at once (the row count grows while it spools: past 100,000 rows by doublings or once a
// second) and read in pages by row number, a few dozen pages stay cached, and replies to an
// older statement are dropped by their generation. Rows are addressed by their absolute row
// number throughout. GUI thread.

#include <atomic>
#include <memory>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSet>

#include "data/queryreader.h"
#include "data/tablequery.h"
#include "engine/ownedthread.h"
#include "models/pagedrowsmodel.h"
#include "storage/csvexporter.h"
#include "storage/sqliteconnection.h"

namespace Sluice {

class QueryResultModel : public PagedRowsModel
{
    Q_OBJECT

public:
    static constexpr int PageSize = QueryReader::PageSize;
    // A page is one seek in the spool: fewer pages are kept than by the Data table.
    static constexpr int MaxCachedPages = 32;

    explicit QueryResultModel(QObject *parent = nullptr);
    ~QueryResultModel() override;

    void setWarehousePath(const QString &path);
    QString warehousePath() const { return m_query.path; }
    // Runs one read-only statement (again, when it is the same).
    void setSql(const QString &sql);
    QString sql() const { return m_query.sql; }
    // Stops the statement at once and says queryFailed(Cancelled); the rows spooled so far
    // stay and can still be scrolled.
    void cancel();
    // How long a statement waits for a writer's lock before it fails Busy.
    void setBusyTimeout(int milliseconds);
    // Where the spools are made; empty (the default): the system's temporary directory.
    void setSpoolDirectory(const QString &parent);

    QList<TableColumn> columns() const { return m_columns; }
    int columnIndex(const QString &name) const;
    // All the rows of the statement once it has ended, or -1 while it runs (or when it stopped).
    qint64 totalRows() const { return m_count; }
    // The rows spooled so far (the rows shown lag a little behind past 100,000 rows).
    qint64 spooledRows() const { return m_spooled; }
    bool isRunning() const { return m_running; }
    bool isRowLoaded(int row) const { return m_pages.contains(row / PageSize); }
    int cachedPages() const { return int(m_pages.size()); }
    // The export of this result: the same statement, run again by the exporter.
    CsvRequest csvRequest() const;

    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void queryOpened();
    // rows are read and shown so far (while the statement runs, and once more when it stops).
    void spooled(qint64 rows);
    // The statement ended with rows rows.
    void counted(qint64 rows);
    // Why the statement stopped (Cancelled included).
    void queryFailed(const Sluice::QueryFailure &failure);

private:
    void restart();
    void readPage(int page) override;
    void onOpened(int generation, const QList<Sluice::TableColumn> &columns);
    void onPageFetched(int generation, int page, const Sluice::TableRows &rows);
    void onSpooled(int generation, qint64 rows);
    void onCounted(int generation, qint64 rows);
    void onFailed(int generation, const Sluice::QueryFailure &failure);

    OwnedThread m_thread;
    QueryReader *m_reader; // on m_thread
    OwnedThread m_pagesThread;
    QueryPageReader *m_pageReader; // on m_pagesThread
    SqliteInterrupter m_interrupter;
    std::shared_ptr<std::atomic_int> m_latest;
    int m_generation = 0;
    TableQuery m_query;
    qint64 m_spooled = 0;
    qint64 m_count = -1;
    bool m_running = false;
    QElapsedTimer m_grown; // since the row count last grew while spooling
};

} // namespace Sluice
