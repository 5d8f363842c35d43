#include "storage/schemamigration.h"

#include <QCoreApplication>
#include <QSqlQuery>

#include "storage/sqliteconnection.h"

namespace Sluice {

namespace {

    Result<int> readVersion(const SqliteConnection &connection)
    {
        QSqlQuery query(connection.database());
        if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
            return Error{ QCoreApplication::translate(
                              "Sluice::SchemaMigration", "cannot read the schema version"),
                connection.path() };
        return query.value(0).toInt();
    }

} // namespace

Result<void> migrateSchema(const SqliteConnection &connection, const QList<QStringList> &steps,
    const std::function<Error(int version)> &tooNew)
{
    const int latest = int(steps.size());
    Result<int> version = readVersion(connection);
    if (!version)
        return version.error();
    if (*version > latest)
        return tooNew(*version);
    int step = *version;
    while (step < latest) {
        if (Result<void> ok = connection.exec(QStringLiteral("BEGIN IMMEDIATE")); !ok)
            return ok;
        const auto rollBack = [&] { (void)connection.exec(QStringLiteral("ROLLBACK")); };
        // Another process may have migrated since the version was read.
        version = readVersion(connection);
        if (!version || *version != step) {
            rollBack();
            if (!version)
                return version.error();
            if (*version > latest)
                return tooNew(*version);
            step = *version;
            continue;
        }
        for (const QString &sql : steps.at(step)) {
            if (Result<void> ok = connection.exec(sql); !ok) {
                rollBack();
                return ok;
            }
        }
        if (Result<void> ok =
                connection.exec(QStringLiteral("PRAGMA user_version = %1").arg(step + 1));
            !ok) {
            rollBack();
            return ok;
        }
        if (Result<void> ok = connection.exec(QStringLiteral("COMMIT")); !ok) {
            rollBack();
            return ok;
        }
        ++step;
    }
    return {};
}

} // namespace Sluice
