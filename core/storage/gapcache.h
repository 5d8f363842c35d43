#pragma once

// The gap maps of a warehouse's tables as last computed, kept in a file beside the warehouse
// ("warehouse.sqlite.gapcache") so that the next GapMap::compute reads only what can have
// changed: each with the facts it was made from, checked against the table before the map is
// trusted. A cache is never the truth: a file that is missing, corrupt, of another format or
// of another warehouse, or facts that disagree, only cost a full compute. Any thread but the
// GUI's (update() reads the table).

#include <optional>

#include <QList>
#include <QString>

#include "engine/result.h"
#include "storage/gapmap.h"
#include "storage/gapreading.h"

struct sqlite3;

namespace Sluice {

// The gap map of one table and what it was computed from.
struct GapCacheEntry
{
    QString table;
    qint64 schemaVersion = 0; // PRAGMA schema_version: a table dropped, re-created or altered
    qint64 rootPage = 0; // the table's B-tree in sqlite_master
    qint64 rowCount = 0; // count(*) of the whole table, every series and timeframe
    // Every series of a label timeframe, unwindowed: from is its first stored slot, to the slot
    // after its last (the watermark past which rows are new).
    QList<GapSeries> series;
};

class GapCache
{
public:
    // The cache file of the warehouse at warehousePath.
    static QString pathFor(const QString &warehousePath);

    // The entry of table in the cache file of the warehouse, or nullopt when there is none
    // or the file is unreadable, corrupt or not a gap cache.
    static std::optional<GapCacheEntry> load(const QString &warehousePath, const QString &table);

    // Puts entry in the cache file in place of the table's earlier one, replacing the file at
    // once (a reader sees the old or the new one). A path that is no regular file, or a file
    // that is not a gap cache, is left alone.
    static Result<void> store(const QString &warehousePath, const GapCacheEntry &entry);

    // The facts of request.table on db now: its schema version and B-tree (rowCount and
    // series left empty).
    static Result<GapCacheEntry> facts(sqlite3 *db, const GapRequest &request);

    // cached brought up to date in one read transaction on db, reading only where rows can
    // have come since it was made: before each series' first slot, inside its gaps, after its
    // watermark, and new series. Rows deleted or stored anywhere else make the table's
    // count(*) differ from the cached count plus the rows found new; then, or when the
    // schema, the table's B-tree, a series' first or last slot or a slot beside a gap
    // disagree, the answer is nullopt and only a full compute is right.
    static Result<std::optional<GapCacheEntry>> update(sqlite3 *db, const GapRequest &request,
        const GapReading::TableShape &shape, const GapCacheEntry &cached);

    // Whether two entries hold the same map and count (then there is nothing to store).
    static bool sameMap(const GapCacheEntry &a, const GapCacheEntry &b);

    // Bumped when the layout changes: a file of another format is ignored and rewritten.
    static constexpr quint32 FormatVersion = 1;
};

} // namespace Sluice
