#pragma once

// The `export` step of a flow file (README, "Your own flows"): a query (binding the run's
// values, never `${}`) or a table of the warehouse or `database` to CSV through the exact
// exporter of `sluice export` (PgCsvExporter, with the same writer, when `database` is a
// PostgreSQL URL), written atomically to a regular file at `to` (its folder made
// when missing). A `to` that exists and is not a regular file (a folder, a FIFO, a device) is
// refused. Output: the path written.

#include <QCoreApplication>
#include <QVariant>

#include "engine/result.h"

namespace Sluice {

class StepContext;

class ExportStep
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::ExportStep)

public:
    static Result<QVariant> run(StepContext &context);
};

} // namespace Sluice
