#pragma once

// The built-in "daily-report" flow: exports a day of the clean table as CSV and emails it to
// report.recipients. By default the previous UTC day [00:00, 24:00) (its default schedule is
// 00:01 UTC); --param day=YYYY-MM-DD resends a given day, day=all sends every row (what
// `sluice send-report` does). No recipients: the run says so and ends Skipped.

#include <optional>

#include <QDate>
#include <QString>

#include "engine/flow.h"
#include "engine/result.h"

namespace Sluice {
class Settings;
}

namespace Sluice::DailyReportFlow {

inline constexpr const char *Name = "daily-report";
inline constexpr const char *DayParameter = "day";
inline constexpr const char *AllDays = "all";

// What a day parameter asks for: a UTC day, or nothing for every row. An empty text means
// the day before `today`.
struct Day
{
    std::optional<QDate> date; // empty: every row
    static Result<Day> parse(const QString &text, const QDate &today);
    // [00:00, 24:00) UTC of the date, in Unix seconds.
    qint64 startSeconds() const;
    qint64 endSeconds() const;
    // "sluice-report-2024-03-08.csv", "sluice-report-all-2024-03-09.csv"
    QString fileName(const QDate &today) const;
};

// dataFolder: the folder whose warehouse and credentials the runs use; settings: its live
// settings, read when each task starts (Settings::values()), so a change of the recipients or
// of smtp.* applies from the next run on. settings must outlive the flow.
Flow create(const QString &dataFolder, const Settings &settings);

} // namespace Sluice::DailyReportFlow
