#pragma once

// Fills the clean table of a fresh warehouse with generated 5-minute rows in one statement
// (a recursive CTE), fast enough for a million rows in a test. Row i has start_timestamp
// Base + 300 i, price 20000 + i % 1000, hash_rate 5e20 + i, difficulty 7e13 + i; rows whose i is
// in [gapFirst, gapLast] are left out.

#include <QString>

#include "storage/sqliteconnection.h"
#include "storage/warehouse.h"

namespace CleanTableFixture {

inline constexpr qint64 Base = 1'700'000'000 - 1'700'000'000 % 300;
inline constexpr qint64 Step = 300;
inline constexpr const char *CleanTable = Sluice::Warehouse::CleanTable;

inline QString fill(const QString &path, qint64 rows, qint64 gapFirst = -1, qint64 gapLast = -2)
{
    if (Sluice::Result<void> made = Sluice::Warehouse::initialize(path); !made)
        return made.error().message();
    auto connection = Sluice::SqliteConnection::open(path, QStringLiteral("fixture"));
    if (!connection)
        return connection.error().message();
    if (rows <= 0)
        return QString();
    const QString sql = QStringLiteral(
        "INSERT INTO btc_usd_price_with_net_stat"
        " (timeframe, start_timestamp, price, hash_rate, difficulty)"
        " WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %1)"
        " SELECT '5m', %2 + i * %3, 20000.0 + i %% 1000, 5e20 + i, 7e13 + i FROM n"
        " WHERE i < %4 OR i > %5")
                            .arg(rows - 1)
                            .arg(Base)
                            .arg(Step)
                            .arg(gapFirst < 0 ? rows : gapFirst)
                            .arg(gapLast);
    QString fixed = sql;
    fixed.replace(QLatin1String("%%"), QLatin1String("%"));
    if (Sluice::Result<void> done = connection->exec(fixed); !done)
        return done.error().message();
    return QString();
}

} // namespace CleanTableFixture
