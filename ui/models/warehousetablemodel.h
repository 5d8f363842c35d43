#pragma once

// A read-only window over one warehouse table of any size, for a QTableView: the row count
// comes from one COUNT per query, rows come in pages from a WarehouseReader on the
// "sluice-data-reader" thread, a few dozen pages stay cached and replies to an older query are
// dropped by their generation. Sorting and filtering happen in SQL. The same window shows the
// result of one SQL statement of the SQL tab (Source::Query, read by a QueryReader). GUI thread.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

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

class WarehouseTableModel : public PagedRowsModel
{
    Q_OBJECT

public:
    static constexpr int MaxCachedPages = 64;

    enum class Source { Table, Query };

    explicit WarehouseTableModel(QObject *parent = nullptr);
    WarehouseTableModel(Source source, QObject *parent);
    ~WarehouseTableModel() override;

    void setWarehousePath(const QString &path);
    QString warehousePath() const { return m_query.path; }
    void setTable(const QString &table);
    QString table() const { return m_query.table; }
    void setConditions(const QList<TableCondition> &conditions);
    QList<TableCondition> conditions() const { return m_query.conditions; }
    QString sortColumn() const { return m_query.sortColumn; }
    Qt::SortOrder sortOrder() const { return m_query.order; }
    // Timestamps shown in UTC or in local time.
    void setTimeSpec(Qt::TimeSpec spec);
    Qt::TimeSpec timeSpec() const override { return m_timeSpec; }

    QList<TableColumn> columns() const { return m_columns; }
    int columnIndex(const QString &name) const;
    // The rows the query matches, or -1 while they are being counted.
    qint64 totalRows() const { return m_count; }
    // The view is sorted by a column no index gives: every read sorts the whole table.
    bool sortScansTable() const { return m_sortScansTable; }
    // Finds the first row (0-based, in the view's order, with its conditions) whose column is at
    // or after seconds, off the GUI thread: timeFound(row), or timeFound(-1) when every row is
    // before it.
    void findTime(const QString &column, qint64 seconds);
    int cachedPages() const { return int(m_pages.size()); }
    // The rows the reads of this query stepped over to reach their pages (OFFSET): 0 while
    // every read was one seek to a known key.
    qint64 rowsSkipped() const { return m_skipped; }
    bool isRowLoaded(int row) const;
    // The export of exactly this view: its table, conditions and order.
    CsvRequest csvRequest() const;
    // The export of rows first..last of this view, when conditions can say exactly which: the
    // view is in key order, both rows are loaded, and they differ only in the last key column.
    std::optional<CsvRequest> csvRequest(int first, int last) const;

    // The exact stored text of the loaded rows among first..last, tab separated, one line a row;
    // *missing counts the rows left out because they are not loaded (nothing is read for them).
    QStringList exactText(int first, int last, int *missing = nullptr) const;

    // Source::Query: runs one read-only statement (again, when it is the same).
    void setSql(const QString &sql);
    QString sql() const { return m_query.sql; }
    // Source::Query: stops the statement at once (sqlite3_interrupt from this thread) and
    // says queryFailed(Cancelled); the rows read so far stay.
    void cancel();
    // How long a statement waits for a writer's lock before it fails Busy.
    void setBusyTimeout(int milliseconds);

    // Reads the query again (new data was stored); asks the reader for the list of tables.
    void reload();
    void listTables();

    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void counted(qint64 rows);
    // Source::Table: the page keys of the whole query are sampled (after counted()): from now
    // on a jump anywhere is one seek and at most a few pages stepped over.
    void keysSampled();
    // The reader has checked the query (columns, order, whether its sort scans the table).
    void queryOpened();
    void timeFound(qint64 row);
    void loadFailed(const QString &message);
    void tablesListed(const QList<Sluice::TableSummary> &tables);
    // Source::Query: why the statement stopped (before loadFailed with its message).
    void queryFailed(const Sluice::QueryFailure &failure);
    // reload() began reading the same query again.
    void reloaded();

private:
    void restart(bool keepRows = false);
    void readPage(int page) override;
    void onOpened(int generation, const QList<Sluice::TableColumn> &columns, const QStringList &key,
        const QStringList &order, bool sortScansTable);
    void onPageFetched(int generation, int page, const Sluice::TableRows &rows, qint64 skipped);
    void onCounted(int generation, qint64 rows);
    void onFailed(int generation, const QString &message);

    OwnedThread m_thread;
    const Source m_source;
    QObject *m_reader; // a WarehouseReader or a QueryReader, on m_thread
    // Call the reader's open() and fetchPage(), on its thread.
    std::function<void(int, const TableQuery &)> m_open;
    std::function<void(int, int)> m_fetch;
    SqliteInterrupter m_interrupter;
    std::shared_ptr<std::atomic_int> m_latest;
    int m_generation = 0;
    TableQuery m_query;
    QStringList m_order;
    QStringList m_key;
    Qt::TimeSpec m_timeSpec = Qt::UTC;
    qint64 m_count = -1;
    bool m_sortScansTable = false;
    qint64 m_skipped = 0;
};

} // namespace Sluice
