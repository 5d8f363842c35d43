#pragma once

// Which run store a process uses: --store URL, else the setting store.url (which the
// environment variable SLUICE_STORE overrides, else settings.ini), else sqlite. A value that does
// not read is an error naming where it came from; it never falls back to another store, so a
// fleet worker with a mistyped URL does not quietly run on its own SQLite history.

#include <QString>

#include "engine/result.h"
#include "store/storeurl.h"

namespace Sluice {

class DataFolder;
class Settings;

struct StoreSelection
{
    StoreUrl url;
    QString source; // "--store", "env SLUICE_STORE", "settings.ini", "default"

    static Result<StoreSelection> choose(const QString &option, const Settings &settings);
    // For a PostgreSQL URL without a password: the password kept for the folder's store (config
    // set-password store), when there is one; else libpq reads PGPASSFILE. The error is the
    // credential store's (a credentials file it may not use). Asks the keyring: blocks (at most
    // a few seconds), not for the GUI thread.
    Result<void> addKeptPassword(const DataFolder &folder);
};

} // namespace Sluice
