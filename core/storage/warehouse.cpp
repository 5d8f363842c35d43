#include "storage/warehouse.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QStringList>

#include "storage/sqliteconnection.h"

namespace Sluice::Warehouse {

namespace {

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
        };
        return steps;
    }

} // namespace

Result<void> migrate(const SqliteConnection &connection)
{
    QSqlQuery query(connection.database());
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return Error{ QCoreApplication::translate(
                          "Sluice::Warehouse", "cannot read the schema version"),
            connection.path() };
    const int version = query.value(0).toInt();
    query.finish();
    if (version > SchemaVersion) {
        return Error{ QCoreApplication::translate("Sluice::Warehouse",
                          "the warehouse has schema version %1, newer than this Sluice understands "
                          "(%2); use a newer Sluice or another data folder")
                          .arg(version)
                          .arg(SchemaVersion),
            connection.path() };
    }
    for (int step = version; step < SchemaVersion; ++step) {
        // One transaction a step: a killed process leaves the previous version intact.
        if (Result<void> ok = connection.exec(QStringLiteral("BEGIN IMMEDIATE")); !ok)
            return ok;
        for (const QString &sql : migrations().at(step)) {
            if (Result<void> ok = connection.exec(sql); !ok) {
                (void)connection.exec(QStringLiteral("ROLLBACK"));
                return ok;
            }
        }
        if (Result<void> ok =
                connection.exec(QStringLiteral("PRAGMA user_version = %1").arg(step + 1));
            !ok) {
            (void)connection.exec(QStringLiteral("ROLLBACK"));
            return ok;
        }
        if (Result<void> ok = connection.exec(QStringLiteral("COMMIT")); !ok)
            return ok;
    }
    return {};
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
