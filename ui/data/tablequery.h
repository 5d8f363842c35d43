#pragma once

// What a table view over the warehouse shows: the table, its filter and its sort, plus what
// the reader learned about the table's columns. Plain values, copied between threads.

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "storage/tablefilter.h"

namespace Sluice {

struct TableColumn
{
    QString name;
    QString type; // declared type, upper case: INTEGER, REAL, TEXT...

    bool isNumeric() const
    {
        return type.contains(QLatin1String("INT")) || type.contains(QLatin1String("REAL"))
            || type.contains(QLatin1String("FLOA")) || type.contains(QLatin1String("DOUB"))
            || type.contains(QLatin1String("NUM"));
    }
    bool operator==(const TableColumn &other) const = default;
};

struct TableQuery
{
    QString path; // warehouse.sqlite
    QString table;
    QList<TableCondition> conditions; // all must hold; values are always bound
    QString sortColumn; // empty: the table's key
    Qt::SortOrder order = Qt::AscendingOrder;
    QString sql; // the SQL tab's statement (QueryReader): then no table, condition or sort
};

// A table of the warehouse and its rows, for the list in the Data area.
struct TableSummary
{
    QString name;
    qint64 rows = -1; // -1: could not be counted
};

using TableRows = QList<QVariantList>;

} // namespace Sluice

Q_DECLARE_METATYPE(Sluice::TableQuery)
Q_DECLARE_METATYPE(Sluice::TableColumn)
Q_DECLARE_METATYPE(Sluice::TableSummary)
