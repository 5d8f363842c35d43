#pragma once

// The `database:` of a `sql`, `import` or `export` step (README, "Your own flows"): an SQLite
// file (relative to the flow's folder; default the warehouse) or a PostgreSQL URL,
// `postgresql://user[:password]@host[:port]/db[?sslmode=...]`, its variables substituted
// (percent-encoded inside a written URL). The password, written or substituted, is never
// shown: shown() is what messages print.

#include <optional>

#include <QCoreApplication>
#include <QString>

#include "engine/result.h"
#include "flowfile/flowdefinition.h"
#include "store/storeurl.h"

namespace Sluice {

class StepContext;

struct StepDatabase
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::StepDatabase)

public:
    QString path; // the SQLite file, when url is not set
    std::optional<StoreUrl> url;

    bool isPostgres() const { return url.has_value(); }
    // The redacted URL, or the path.
    QString shown() const { return url ? url->redacted() : path; }

    // written (default the warehouse) for this attempt. A URL that does not parse fails naming
    // what is wrong, never the URL itself.
    static Result<StepDatabase> resolve(
        const StepContext &context, const std::optional<PositionedText> &written);
};

} // namespace Sluice
