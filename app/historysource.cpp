#include "historysource.h"

#include "settings/datafolder.h"
#include "settings/settings.h"
#include "store/pgschema.h"
#include "store/storeselection.h"

namespace Sluice::Cli {

Result<std::unique_ptr<HistorySource>> HistorySource::open(Context &context, bool *usage)
{
    if (usage)
        *usage = false;
    Result<StoreSelection> store =
        StoreSelection::choose(context.parser.value(QStringLiteral("store")), context.settings);
    if (!store) {
        if (usage)
            *usage = true;
        return store.error();
    }
    if (Result<void> kept = store->addKeptPassword(context.folder); !kept)
        return kept.error();
    std::unique_ptr<HistorySource> source(new HistorySource);
    if (!store->url.isPostgres()) {
        Result<std::unique_ptr<RunStore>> opened = RunStore::open(context.folder.runsPath());
        if (!opened)
            return opened.error();
        source->m_store = std::move(*opened);
        source->m_reader = source->m_store->reader();
        source->m_where = context.folder.runsPath();
        return source;
    }
    Result<PgConnection> connection = PgConnection::open(store->url, QStringLiteral("history"));
    if (!connection)
        return connection.error();
    // Reading makes no schema: a store no worker has used yet has no history.
    Result<int> version = PgSchema::version(*connection);
    if (!version)
        return version.error();
    if (*version == 0)
        return Error{ QCoreApplication::translate("Sluice::CommandLine",
                          "the store has no run history yet: no worker has used it"),
            store->url.redacted() };
    if (*version > PgSchema::Version)
        return Error{ QCoreApplication::translate("Sluice::CommandLine",
                          "the store's schema is version %1, newer than this Sluice knows (%2)")
                          .arg(*version)
                          .arg(PgSchema::Version),
            store->url.redacted() };
    source->m_pg = std::move(*connection);
    source->m_reader = RunHistoryReader(
        source->m_pg->database(), RunHistoryReader::Dialect::Postgres, store->url.redacted());
    source->m_where = store->url.redacted();
    return source;
}

} // namespace Sluice::Cli
