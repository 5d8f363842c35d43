#pragma once

// The SQL of one view of a warehouse table: which rows (conditions on columns, a range of
// start_timestamp) in which order (a column, ties broken by the key). The table view and the CSV
// export both build their statements here, so an export writes the rows the view shows, in the
// order it shows them. Names are checked against the table's columns and quoted; values are only
// ever bound. A plain value, used on the thread that reads.

#include <optional>

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "engine/result.h"

namespace Sluice {

// One condition of a filter: column, operator and a value that is always bound as a parameter,
// never spliced into the SQL.
struct TableCondition
{
    enum class Operator {
        Equal,
        NotEqual,
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,
        Like, // SQLite LIKE: % and _ are wildcards, ASCII case-insensitive
        IsNull, // value unused
        IsNotNull, // value unused
        Contains, // the value's text anywhere in the column's, as written (LIKE with % and _
                  // escaped), ASCII case-insensitive
        Outside, // value: a QVariantList {low, high}; below low or at or above high
    };

    QString column;
    Operator op = Operator::Equal;
    QVariant value;

    bool operator==(const TableCondition &other) const = default;
};

class TableFilter
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::TableFilter)

public:
    // Where a keyset read starts, relative to a row whose order key is bound, in the order of
    // the view (a read from the other end uses orderBy(true) with Before).
    enum class Seek { After, AtOrAfter, Before };

    // columns: what conditions and the order may name; key: the primary key's columns in key
    // order, empty for a table without one (its rows are then ordered by rowid). The filter
    // starts with every row, in key order.
    TableFilter(const QString &table, const QStringList &columns, const QStringList &key);

    // The error names the column the table lacks; the filter is unchanged then.
    Result<void> addCondition(const TableCondition &condition);
    // start_timestamp >= start and < end, each when given; an empty range matches no row.
    Result<void> setRange(std::optional<qint64> start, std::optional<qint64> end);
    // Rows ordered by column (empty: by the key alone), ties by the key's other columns (rowid
    // without a key): a total order, the same on every read. All ascending or all descending.
    Result<void> setOrder(const QString &column, Qt::SortOrder order);

    const QString &table() const { return m_table; }
    const QStringList &key() const { return m_key; }
    // The columns of the order, first to last; "rowid" for a table without a key.
    const QStringList &orderColumns() const { return m_order; }
    bool isDescending() const { return m_descending; }

    // " FROM "table"", then " WHERE " and the conditions joined with AND; extra (a seek) is
    // ANDed last.
    QString from(const QString &extra = QString()) const;
    // The values for from()'s placeholders, in order; a seek's values come after them.
    const QVariantList &bindings() const { return m_bindings; }
    // " ORDER BY ..." of orderColumns(); reversed reads the same order from its other end.
    QString orderBy(bool reversed = false) const;
    // ("a", "b") > (?, ?): the rows after, at or after, or before the bound order key.
    QString seek(Seek where) const;
    // The rows of seek(where) that share all but the last order column with the bound key:
    // "a" = ? AND "b" >= ? (same placeholders as seek()). An index reads them by a range on its
    // columns, where a row value comparison is checked again on every row it steps over; empty
    // when the order has a single column (seek() is such a range then).
    QString seekInRun(Seek where) const;
    // The order columns for a SELECT: "a", "b" (rowid bare).
    QString orderList() const;

    // "name" with inner quotes doubled: the one way a name goes into SQL.
    static QString quoted(const QString &name);
    // Names quoted and joined with ", " for a SELECT.
    static QString quotedList(const QStringList &names);
    // The value as it is bound: null, an integer, a real, text or bytes, so that the Qt SQLite
    // driver and sqlite3_bind_* store the same thing (a null QString becomes empty text).
    static QVariant bindable(const QVariant &value);

private:
    Result<void> checkColumn(const QString &column) const;
    QString sqlName(const QString &column) const;

    QString m_table;
    QStringList m_columns;
    QStringList m_key;
    QStringList m_where; // conditions, each with "?" for its value
    QVariantList m_bindings;
    QStringList m_order;
    bool m_descending = false;
};

} // namespace Sluice
