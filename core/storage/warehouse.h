#pragma once

// The warehouse schema (README, "Where data lives"): raw series tables and the clean merged table,
// versioned with PRAGMA user_version and migrated forward on open. Callable from any thread; it
// opens its own connection.

#include <QString>

#include "engine/result.h"
#include "storage/tablespec.h"

namespace Sluice {

class SqliteConnection;

// The warehouse's tables: the three raw series and the clean join of them.
enum class WarehouseTable { Price, HashRate, Difficulty, Clean };

namespace Warehouse {

    // 1: the four tables. 2: clean rows that differ from the join of the raw rows (made by
    // Sluice before it joined them in the warehouse) rebuilt from the raw rows.
    inline constexpr int SchemaVersion = 2;

    // The table names, clean table first.
    inline constexpr const char *CleanTable = "btc_usd_price_with_net_stat";
    inline constexpr const char *PriceTable = "coin_price";
    inline constexpr const char *HashRateTable = "network_hash_rate";
    inline constexpr const char *DifficultyTable = "network_difficulty";

    // The description of each table as the migrations leave it: the series key columns, then
    // start_timestamp (the slot), then the values; keyed by all but the values, first write
    // wins. The writer checks the stored tables against these when it opens them.
    const TableSpec &tableSpec(WarehouseTable table);

    // Creates the file if needed and brings its schema to SchemaVersion. Refuses a file written
    // by a newer Sluice, a file that is not a database, or one that cannot be written.
    Result<void> initialize(const QString &path);
    Result<void> migrate(const SqliteConnection &connection);

} // namespace Warehouse
} // namespace Sluice
