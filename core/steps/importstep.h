#pragma once

// The `import` step of a flow file (README, "Your own flows"): a CSV file (RFC 4180, read by
// CsvReader) into the table `into` of the warehouse or of `database:` (an SQLite file, or a
// PostgreSQL URL filled by PgTableLoad), all in one transaction, typed by `columns`. With a header
// the columns are found by their names in it, else by position. A value that does not fit its
// column fails the step naming `file:line` (the physical line the record starts on) and the
// column; nothing is stored then. Output: the rows stored.

#include <QCoreApplication>
#include <QVariant>

#include "engine/result.h"

namespace Sluice {

class StepContext;

class ImportStep
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::ImportStep)

public:
    static Result<QVariant> run(StepContext &context);
};

} // namespace Sluice
