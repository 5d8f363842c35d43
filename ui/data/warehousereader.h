#pragma once

// Reads windows of rows of one warehouse table for WarehouseTableModel: lives on its own
// "sluice-data-reader" thread with a read-only connection of its own. A page is read by keyset
// from the nearest page whose keys it already knows (or from either end), so that scrolling and
// jumping cost one short index walk; requests of an outdated generation are skipped unread.

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <QObject>
#include <QStringList>

#include "data/tablequery.h"
#include "storage/sqliteconnection.h"
#include "storage/tablefilter.h"

namespace Sluice {

class WarehouseReader : public QObject
{
    Q_OBJECT

public:
    static constexpr int PageSize = 256;

    // latest is the newest generation the model asked for; older requests are dropped.
    explicit WarehouseReader(std::shared_ptr<std::atomic_int> latest, QObject *parent = nullptr);
    ~WarehouseReader() override;

public Q_SLOTS:
    // Checks the query against the schema, reads the first page, then counts the rows.
    void open(int generation, const Sluice::TableQuery &query);
    void fetchPage(int generation, int page);
    // The tables of the warehouse (sqlite_* hidden) with their row counts, clean table first.
    void listTables(const QString &path);

Q_SIGNALS:
    void opened(int generation, const QList<Sluice::TableColumn> &columns, const QStringList &key,
        const QStringList &order);
    void pageFetched(int generation, int page, const Sluice::TableRows &rows);
    void counted(int generation, qint64 rows);
    void failed(int generation, const QString &message);
    void tablesListed(const QList<Sluice::TableSummary> &tables);

private:
    struct Anchor
    {
        QVariantList first;
        QVariantList last;
    };

    Result<void> connectTo(const QString &path);
    Result<TableRows> readPage(int page);
    // Rows from the start (or, with seek, from the bound key) forward in the view's order, or
    // backward from its end.
    Result<TableRows> select(std::optional<TableFilter::Seek> seek, const QVariantList &key,
        bool forward, int limit, qint64 offset);
    void remember(int page, const TableRows &rows);
    // Walks the keys of the whole query in chunks, between page reads, noting the first key of
    // every page: afterwards any page is one index seek away.
    void scanKeys(int generation);
    bool isStale(int generation) const { return generation != m_latest->load(); }

    std::shared_ptr<std::atomic_int> m_latest;
    std::optional<SqliteConnection> m_connection;
    int m_generation = -1;
    std::optional<TableFilter> m_filter; // the open query's rows and order
    QString m_selected; // "a", "b": the columns, then rowid when the order needs it
    QList<int> m_tupleIndexes; // where the order columns are in a row
    bool m_keyOrdered = false; // the order is the table's key
    qint64 m_count = -1;
    std::map<int, Anchor> m_anchors; // page -> its first and last order keys
    std::vector<QVariantList> m_pageKeys; // first order key of pages 0, 1, 2...
    QVariantList m_scanLast; // the last key the scan has seen
    qint64 m_scanned = 0;
};

} // namespace Sluice
