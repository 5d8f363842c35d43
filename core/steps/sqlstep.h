#pragma once

// The `sql` kind of a flow-file step (README, "Your own flows"): its statements in one
// transaction on `database:` (default the warehouse), the run's values bound as :name, never
// spliced in. Each attempt opens its own connection on the pool thread that calls run().

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
