#pragma once

// The run store's schema on PostgreSQL, versioned in table sluice_schema and migrated on first
// use, like runs.sqlite's PRAGMA user_version. Several processes may start at once: the check
// and the migration run in one transaction under a transaction-scoped advisory lock, so exactly
// one of them creates or migrates and the others see the result. A store whose schema is newer
// than this binary knows is refused, naming both versions; nothing is written to it.

#include <QCoreApplication>

#include "engine/result.h"

namespace Sluice {

class PgConnection;

class PgSchema
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::PgSchema)

public:
    static constexpr int Version = 1;
    // The advisory lock key of schema changes (any constant other Sluice locks do not use).
    static constexpr qint64 LockKey = 0x736c7569636501; // "sluice" 01

    // Creates or migrates the schema to Version. Returns the version found before (0: empty).
    static Result<int> ensure(const PgConnection &connection);

    // The version the store has now (0: no schema), without changing anything.
    static Result<int> version(const PgConnection &connection);
};

} // namespace Sluice
