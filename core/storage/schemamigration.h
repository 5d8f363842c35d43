#pragma once

// Brings the schema of a SQLite file to its latest version, for every file Sluice owns
// (warehouse.sqlite, runs.sqlite): steps[i] takes PRAGMA user_version i to i + 1. Each step is
// one IMMEDIATE transaction, so a killed process leaves the previous version whole, and the
// version is read again under the write lock, so two processes opening one new file at once
// do not both create its tables.

#include <functional>

#include <QList>
#include <QStringList>

#include "engine/result.h"

namespace Sluice {

class SqliteConnection;

// tooNew: the error for a file whose version is newer than steps.size() (a newer Sluice's).
Result<void> migrateSchema(const SqliteConnection &connection, const QList<QStringList> &steps,
    const std::function<Error(int version)> &tooNew);

} // namespace Sluice
