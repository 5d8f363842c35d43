#pragma once

// What a person types in the filter box under a column's header, read into conditions for
// TableFilter (ANDed, values always bound):
//
//   (empty)        no condition
//   NULL, !NULL    the value is missing / present (any letter case)
//   =x  !=x  <>x   equal / not equal
//   >x >=x <x <=x  compared
//   a..b a.. ..b   a range, both ends included (numbers and times only)
//   x              numbers and times: equal; text: contains x (letter case ignored for ASCII)
//   "x"            x as written, for text that starts with an operator or has spaces at its ends
//                  (a quote inside is doubled: "say ""hi""")
//
// A time is seconds since 1970 or a date and time, yyyy-MM, yyyy-MM-dd, yyyy-MM-dd HH:mm or
// yyyy-MM-dd HH:mm:ss (T for the space, a trailing Z for UTC), read in the view's time zone. A
// time stands for its whole extent: 2024-01-05 is that day, so "=2024-01-05" is every row of
// the day, "<=2024-01-05" runs to its end and "2024-01..2024-03" is January to March. A number
// is read in the UI's locale (digit grouping allowed) or as C writes it (5e20).
// A plain function of its input, for any thread.

#include <QCoreApplication>
#include <QList>
#include <QString>

#include "engine/result.h"
#include "storage/tablefilter.h"

namespace Sluice {

class ColumnFilter
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::ColumnFilter)

public:
    enum class Kind { Text, Number, Time };

    // The conditions of text on column; times are read in spec (Qt::UTC or Qt::LocalTime). The
    // error's where names the column, its what the part that could not be read.
    static Result<QList<TableCondition>> parse(
        const QString &column, Kind kind, const QString &text, Qt::TimeSpec spec = Qt::UTC);
};

} // namespace Sluice
