#pragma once

// The warehouse schema (DESIGN.md): raw series tables and the clean merged table, versioned
// with PRAGMA user_version and migrated forward on open. Callable from any thread; it opens
// its own connection.

#include <QString>

#include "engine/result.h"

namespace Sluice {

class SqliteConnection;

namespace Warehouse {

    // 1: the four tables. 2: clean rows that differ from the join of the raw rows (made by
    // Sluice before it joined them in the warehouse) rebuilt from the raw rows.
    inline constexpr int SchemaVersion = 2;

    // The table names, clean table first.
    inline constexpr const char *CleanTable = "btc_usd_price_with_net_stat";
    inline constexpr const char *PriceTable = "coin_price";
    inline constexpr const char *HashRateTable = "network_hash_rate";
    inline constexpr const char *DifficultyTable = "network_difficulty";

    // Creates the file if needed and brings its schema to SchemaVersion. Refuses a file written
    // by a newer Sluice, a file that is not a database, or one that cannot be written.
    Result<void> initialize(const QString &path);
    Result<void> migrate(const SqliteConnection &connection);

} // namespace Warehouse
} // namespace Sluice
