#pragma once

// The run history a command reads (`runs`, `runs show`): runs.sqlite in the data folder, or the
// fleet's PostgreSQL store when one is chosen (--store, SLUICE_STORE, store.url). Main thread.

#include <memory>
#include <optional>

#include "commandline.h"
#include "engine/runhistoryreader.h"
#include "engine/runstore.h"
#include "store/pgconnection.h"

namespace Sluice::Cli {

class HistorySource
{
public:
    // The error names the store and why it cannot be read (exit 1), or a --store that does not
    // read (*usage set: exit 2).
    static Result<std::unique_ptr<HistorySource>> open(Context &context, bool *usage = nullptr);

    const RunHistoryReader &reader() const { return *m_reader; }
    // Where the history is: the runs.sqlite path or the redacted URL.
    QString where() const { return m_where; }
    bool isFleet() const { return m_pg.has_value(); }

private:
    std::unique_ptr<RunStore> m_store;
    std::optional<PgConnection> m_pg;
    std::optional<RunHistoryReader> m_reader;
    QString m_where;
};

} // namespace Sluice::Cli
