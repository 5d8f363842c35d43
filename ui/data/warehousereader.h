#pragma once

// Reads windows of rows of one warehouse table for WarehouseTableModel: lives on its own
// "sluice-data-reader" thread with a read-only connection of its own. The rows are counted by a
// COUNT first; then the order keys of the query are walked once, noting the first key of every
// SampleStride-th page (a sampled key index): afterwards any page is one index seek and a few
// pages stepped over away, so a jump anywhere costs about one page.
// An index giving the order, the walk hops from the start and from the end by turns, the COUNT
// read in the walk's snapshot placing the keys sampled from the end; a page the walk has not
// reached makes the nearer end walk on to the page first (stepping over the rows to reach it
// would cost as much), unless a page read before is near; at a key with a NULL in it (no row
// compares after it) the walk stops, and pages past its keys are read by OFFSET. Without a
// filter, a table in rowid order whose rowids leave no gap (max - min + 1 rows) needs no walk:
// the key of row k is min + k, every page one seek. Requests of an outdated generation are
// skipped unread, and a statement of an outdated generation is interrupted.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <QObject>
#include <QStringList>

#include "data/tablequery.h"
#include "storage/sqliteconnection.h"
#include "storage/sqlitestatement.h"
#include "storage/tablefilter.h"

namespace Sluice {

class WarehouseReader : public QObject
{
    Q_OBJECT

public:
    static constexpr int PageSize = 256;
    // The walk samples the first key of every SampleStride-th page: a page is then one seek
    // and at most SampleStride - 1 pages stepped over away, and the walk hops in few steps.
    static constexpr int SampleStride = 16;

    // latest is the newest generation the model asked for; older requests are dropped.
    explicit WarehouseReader(std::shared_ptr<std::atomic_int> latest, QObject *parent = nullptr);
    ~WarehouseReader() override;

public Q_SLOTS:
    // Checks the query against the schema, reads the first page, counts the rows, then samples
    // the page keys. Opened again (a reload: newer data), the page keys sampled before
    // serve until the new walk has replaced them.
    void open(int generation, const Sluice::TableQuery &query);
    void fetchPage(int generation, int page);
    // The first row in the open query's order whose column is at or after seconds: the row
    // with the smallest such value (ties in the view's order), and its place is the count of
    // the rows before it.
    void findTime(int generation, const QString &column, qint64 seconds);
    // The tables of the warehouse (sqlite_* hidden) with their row counts, clean table first.
    void listTables(const QString &path);

Q_SIGNALS:
    // sortScansTable: the order is by a column no index gives, so every read sorts the table.
    void opened(int generation, const QList<Sluice::TableColumn> &columns, const QStringList &key,
        const QStringList &order, bool sortScansTable);
    // skipped: the rows the read stepped over (OFFSET) to reach the page, 0 after a seek.
    void pageFetched(int generation, int page, const Sluice::TableRows &rows, qint64 skipped);
    void counted(int generation, qint64 rows);
    // The walk has sampled the page keys of the whole query.
    void keysSampled(int generation);
    void timeFound(int generation, qint64 row); // -1: no row is at or after the time
    void failed(int generation, const QString &message);
    void tablesListed(const QList<Sluice::TableSummary> &tables);

private:
    struct Anchor
    {
        QVariantList first;
        QVariantList last;
    };

    Result<void> connectTo(const QString &path);
    Result<TableRows> readPage(int page, qint64 *skipped);
    // Rows from the start (or, with seek, from the bound key) forward in the view's order, or
    // backward from its end.
    Result<TableRows> select(std::optional<TableFilter::Seek> seek, const QVariantList &key,
        bool forward, int limit, qint64 offset);
    void remember(int page, const TableRows &rows);
    // Whether reading the query in its order needs a sort of all its rows (no index gives it).
    bool sortScansTable();
    // stepRows: step through every row (a sort no index gives is done once, by the walk), else
    // hop from page key to page key with an OFFSET inside SQLite.
    Result<void> startWalk(bool stepRows);
    // The hopping walk: reads the first key and counts the rows in the walk's snapshot; a table
    // in rowid order without gaps gets its page keys at once and no walk. True when the walk is
    // to go on (false: no rows, no walk needed, a failure said, or an outdated generation).
    bool countInWalk(int generation);
    // The rows and the smallest and largest rowid, when the query is a table in rowid order
    // without a filter: {count, min, max}; empty otherwise.
    std::optional<QString> rowidRangeSql() const;
    // Walks the query's order keys for a few ms, noting the first key of every page, then
    // queues the rest behind the page requests waiting; counted() when it has ended.
    void walk(int generation);
    // Until the walk has sampled until keys (then it stops there, its continuation queued
    // already), or a slice of time has passed (then it queues its continuation).
    void stepRows(int generation, size_t until = SIZE_MAX);
    // Until sample wanted is known, from whichever end of the walk is nearer, or (SIZE_MAX) a
    // slice of time long from the start and from the end by turns.
    void hopPages(int generation, size_t wanted = SIZE_MAX);
    // One hop from the start's side (forward) or from the end's side; SQLite's result code
    // (SQLITE_ROW: a key more).
    int hopForward();
    int hopBackward();
    // The sampled key of sample (page sample * SampleStride), or null while unknown.
    const QVariantList *sampledKey(size_t sample) const;
    void endWalk(int generation, int rc, qint64 rows);
    void resetWalk();
    bool isStale(int generation) const { return generation != m_latest->load(); }
    // SQLite's progress handler: interrupts a statement once its generation is outdated.
    static int interruptStale(void *reader);

    std::shared_ptr<std::atomic_int> m_latest;
    std::optional<SqliteConnection> m_connection;
    int m_generation = -1;
    std::optional<TableQuery> m_query; // the open query
    std::optional<TableFilter> m_filter; // its rows and order
    QString m_selected; // "a", "b": the columns, then rowid when the order needs it
    QList<int> m_tupleIndexes; // where the order columns are in a row
    bool m_keyOrdered = false; // the order is the table's key
    bool m_keyIsRowid = false; // the key is an INTEGER PRIMARY KEY of a rowid table
    qint64 m_count = -1;
    std::map<int, Anchor> m_anchors; // page -> its first and last order keys
    // First order key of pages 0, SampleStride, 2 SampleStride...
    std::vector<QVariantList> m_pageKeys;
    // The walk of the order keys under way: its statement, open until the walk ends, holds the
    // snapshot every hop (and the COUNT) reads; a hop reads the key PageSize * SampleStride
    // rows on (back: before), first among the rows that share all but the key's last column
    // with it (InRun, where an index checks no row value on every row), else among all.
    SqliteStatement m_walk;
    SqliteStatement m_hop;
    SqliteStatement m_hopInRun;
    SqliteStatement m_back;
    SqliteStatement m_backInRun;
    std::vector<QVariantList> m_walkKeys; // what the walk has sampled so far from the start
    // Sampled from the end: keys of samples m_samples - 1, m_samples - 2...
    std::vector<QVariantList> m_backKeys;
    size_t m_samples = 0; // the hopping walk's samples: its rows / SampleRows rounded up
    bool m_hopBack = false; // the next slice of the walk hops from the end
    // The rowid of the first row, when the query's rows are rowids without a gap.
    std::optional<qint64> m_firstRowid;
    qint64 m_walked = 0;
    // The generation whose statements run now; -1 while none may be interrupted.
    std::atomic_int m_running{ -1 };
};

} // namespace Sluice
