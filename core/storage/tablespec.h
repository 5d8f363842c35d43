#pragma once

// The description of a table a writer fills: its name, typed columns, key and conflict rule.
// Data, not code: the warehouse's own tables are descriptions, and the flow steps that store
// rows build one from their YAML. Names are checked identifiers and always quoted in SQL.
// A plain value; read it from any thread.

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include "engine/result.h"

namespace Sluice {

// The storage class a column holds; its SQL declared type is INTEGER, REAL or TEXT.
enum class ColumnType { Integer, Real, Text };

// What an insert does with a row whose key is stored already.
enum class ConflictRule {
    Ignore, // the stored row stays: first write wins
    Replace, // the new row replaces it
};

struct ColumnSpec
{
    QString name;
    ColumnType type = ColumnType::Text;
    bool notNull = false; // key columns are never null, whatever this says

    friend bool operator==(const ColumnSpec &, const ColumnSpec &) = default;
};

struct TableSpec
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::TableSpec)

public:
    QString name;
    QList<ColumnSpec> columns; // in the order rows give their values
    QStringList key; // the primary key's columns, in order; empty: none (a rowid table)
    ConflictRule onConflict = ConflictRule::Ignore;

    // Longest table or column name accepted.
    static constexpr int MaxIdentifierLength = 64;

    // Whether the names are identifiers (a letter or _, then letters, digits or _, at most
    // MaxIdentifierLength, not sqlite_...), there is a column, none twice (SQLite ignores
    // case), and every key column is a column, once. The error names the table and column.
    Result<void> check() const;

    // The index of the column named `column` (ignoring case, as SQLite does), or -1.
    int indexOf(const QString &column) const;
    bool isKey(int column) const;

    // CREATE TABLE IF NOT EXISTS with typed columns, NOT NULL where asked and on key columns,
    // PRIMARY KEY(key) and WITHOUT ROWID when keyed. Valid for a spec that passes check().
    QString createSql() const;

    // "integer", "real", "text": the words a flow file uses.
    static QString typeName(ColumnType type);
    // A letter or _, then letters, digits or _; at most MaxIdentifierLength; not sqlite_...
    static bool isIdentifier(const QString &name);
    // "name" with any " doubled: safe for any text, though checked names never need it.
    static QString quote(const QString &identifier);

    friend bool operator==(const TableSpec &, const TableSpec &) = default;
};

} // namespace Sluice
