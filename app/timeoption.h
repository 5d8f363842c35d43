#pragma once

// The ISO 8601 times the command line takes (run --time): 2026-12-06T06:30:00Z, the same with
// an offset (+02:00) instead of Z, or a date alone, 2026-12-06, meaning its midnight UTC.
// Anything else is refused with a message naming the option.

#include <QDateTime>
#include <QString>

#include "engine/result.h"

namespace Sluice::Cli::TimeOption {

// The time in UTC; option ("--time") is named in the error.
Result<QDateTime> parse(const QString &text, const QString &option);

// "2026-12-06T06:30:00Z": how the command line shows a run's logical time.
QString format(qint64 ms);

} // namespace Sluice::Cli::TimeOption
