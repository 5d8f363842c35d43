#pragma once

// How the Data area writes a warehouse value: numbers with the UI locale's digit grouping and
// one count of decimals per column (so every row of a column looks alike), never in scientific
// notation; and the exact text SQLite stored (Python-float text for REAL), for tooltips and
// copies. Pure functions; any thread.

#include <QLocale>
#include <QString>
#include <QVariant>
#include <QVariantList>

namespace Sluice {

class CellFormat
{
public:
    // More decimals than this are rounded in the view; the tooltip and a copy keep them all.
    static constexpr int MaxDecimals = 8;

    // The decimals that show every REAL in values as stored, at most MaxDecimals.
    static int decimalsFor(const QVariantList &values);
    // value for the view: grouped digits, a REAL with exactly decimals decimals.
    static QString number(const QLocale &locale, const QVariant &value, int decimals);
    // value exactly as stored: integers and text as they are, a REAL as Python writes it.
    static QString exact(const QVariant &value);
    static bool isNumber(const QVariant &value);
};

} // namespace Sluice
