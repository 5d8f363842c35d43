#pragma once

// The `sql` kind of a flow-file step (README, "Your own flows"): its statements in one
// transaction on `database:` (default the warehouse; an SQLite file or a PostgreSQL URL, run by
// PgSql), the run's values bound as :name, never spliced in. Each attempt opens its own
// connection on the pool thread that calls run() and closes it when the attempt ends.

#include <QCoreApplication>
#include <QVariant>

#include "engine/result.h"

namespace Sluice {

class StepContext;

class SqlStep
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::SqlStep)

public:
    static Result<QVariant> run(StepContext &context);
};

} // namespace Sluice
