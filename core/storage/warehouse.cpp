#include "storage/warehouse.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QStringList>

#include "storage/schemamigration.h"
#include "storage/sqliteconnection.h"

namespace Sluice::Warehouse {

namespace {

    // The raw rows of BTC/USD beside the hash rate and difficulty of their slot: what a clean
    // row is made of (the FROM and WHERE of a query over `p`, `h` and `d`).
    QString joinedRawRows()
    {
        return QStringLiteral(" FROM coin_price AS p"
                              " JOIN network_hash_rate AS h ON h.network = 'BTC'"
                              "  AND h.timeframe = p.timeframe"
                              "  AND h.start_timestamp = p.start_timestamp"
                              " JOIN network_difficulty AS d ON d.network = 'BTC'"
                              "  AND d.timeframe = p.timeframe"
                              "  AND d.start_timestamp = p.start_timestamp"
                              " WHERE p.coin = 'BTC' AND p.currency = 'USD'");
    }

    // Each entry takes the schema from version (index) to version (index + 1). Tables are
    // WITHOUT ROWID with the natural key as primary key: one B-tree a table, and the key
    // makes INSERT OR IGNORE the first-write-wins rule.
    const QList<QStringList> &migrations()
    {
        static const QList<QStringList> steps = {
            {
                QStringLiteral("CREATE TABLE coin_price ("
                               " coin TEXT NOT NULL, currency TEXT NOT NULL,"
                               " timeframe TEXT NOT NULL, start_timestamp INTEGER NOT NULL,"
                               " price REAL NOT NULL,"
                               " PRIMARY KEY (coin, currency, timeframe, start_timestamp)"
                               ") WITHOUT ROWID"),
                QStringLiteral("CREATE TABLE network_hash_rate ("
                               " network TEXT NOT NULL,"
                               " timeframe TEXT NOT NULL, start_timestamp INTEGER NOT NULL,"
                               " hash_rate REAL NOT NULL,"
                               " PRIMARY KEY (network, timeframe, start_timestamp)"
                               ") WITHOUT ROWID"),
                QStringLiteral("CREATE TABLE network_difficulty ("
                               " network TEXT NOT NULL,"
                               " timeframe TEXT NOT NULL, start_timestamp INTEGER NOT NULL,"
                               " difficulty REAL NOT NULL,"
                               " PRIMARY KEY (network, timeframe, start_timestamp)"
                               ") WITHOUT ROWID"),
                QStringLiteral("CREATE TABLE btc_usd_price_with_net_stat ("
                               " timeframe TEXT NOT NULL, start_timestamp INTEGER NOT NULL,"
                               " price REAL NOT NULL, hash_rate REAL NOT NULL,"
                               " difficulty REAL NOT NULL,"
                               " PRIMARY KEY (timeframe, start_timestamp)"
                               ") WITHOUT ROWID"),
            },
            // Until version 2 a clean row was made from the run that completed its slot, so a
            // slot whose kline came late could join that run's recomputed hash rate while the
            // raw row kept the first one. Rebuild such rows from the raw rows of BTC/USD (the
            // clean table's series, as its name says), and add any join row that is missing;
            // clean rows with no raw rows at all are kept, having nothing to be rebuilt from.
            {
                QStringLiteral("DELETE FROM btc_usd_price_with_net_stat WHERE EXISTS ("
                               " SELECT 1")
                    + joinedRawRows()
                    + QStringLiteral(
                        "  AND p.timeframe = btc_usd_price_with_net_stat.timeframe"
                        "  AND p.start_timestamp"
                        "   = btc_usd_price_with_net_stat.start_timestamp"
                        "  AND (p.price IS NOT btc_usd_price_with_net_stat.price"
                        "   OR h.hash_rate IS NOT btc_usd_price_with_net_stat.hash_rate"
                        "   OR d.difficulty IS NOT btc_usd_price_with_net_stat.difficulty))"),
                QStringLiteral("INSERT OR IGNORE INTO btc_usd_price_with_net_stat"
                               " (timeframe, start_timestamp, price, hash_rate, difficulty)"
                               " SELECT p.timeframe, p.start_timestamp, p.price, h.hash_rate,"
                               "  d.difficulty")
                    + joinedRawRows(),
            },
        };
        return steps;
    }

    TableSpec seriesTable(
        const char *name, const QStringList &keyColumns, const QStringList &valueColumns)
    {
        TableSpec spec;
        spec.name = QLatin1String(name);
        for (const QString &column : keyColumns)
            spec.columns.append({ column, ColumnType::Text, true });
        spec.columns.append({ QStringLiteral("start_timestamp"), ColumnType::Integer, true });
        for (const QString &column : valueColumns)
            spec.columns.append({ column, ColumnType::Real, true });
        spec.key = keyColumns;
        spec.key.append(QStringLiteral("start_timestamp"));
        spec.onConflict = ConflictRule::Ignore;
        return spec;
    }

} // namespace

const TableSpec &tableSpec(WarehouseTable table)
{
    static const TableSpec specs[] = {
        seriesTable(PriceTable,
            { QStringLiteral("coin"), QStringLiteral("currency"), QStringLiteral("timeframe") },
            { QStringLiteral("price") }),
        seriesTable(HashRateTable, { QStringLiteral("network"), QStringLiteral("timeframe") },
            { QStringLiteral("hash_rate") }),
        seriesTable(DifficultyTable, { QStringLiteral("network"), QStringLiteral("timeframe") },
            { QStringLiteral("difficulty") }),
        seriesTable(CleanTable, { QStringLiteral("timeframe") },
            { QStringLiteral("price"), QStringLiteral("hash_rate"), QStringLiteral("difficulty") }),
    };
    return specs[int(table)];
}

Result<void> migrate(const SqliteConnection &connection)
{
    return migrateSchema(connection, migrations(), [&](int version) {
        return Error{ QCoreApplication::translate("Sluice::Warehouse",
                          "the warehouse has schema version %1, newer than this Sluice understands "
                          "(%2); use a newer Sluice or another data folder")
                          .arg(version)
                          .arg(SchemaVersion),
            connection.path() };
    });
}

Result<void> initialize(const QString &path)
{
    Result<SqliteConnection> connection =
        SqliteConnection::open(path, QStringLiteral("warehouse-init"));
    if (!connection)
        return connection.error();
    return migrate(*connection);
}

} // namespace Sluice::Warehouse
