#include "storage/tablespec.h"

#include <QSet>

#include "engine/displaytext.h"

namespace Sluice {

QString TableSpec::typeName(ColumnType type)
{
    switch (type) {
    case ColumnType::Integer:
        return QStringLiteral("integer");
    case ColumnType::Real:
        return QStringLiteral("real");
    case ColumnType::Text:
        break;
    }
    return QStringLiteral("text");
}

bool TableSpec::isIdentifier(const QString &name)
{
    if (name.isEmpty() || name.size() > MaxIdentifierLength)
        return false;
    // SQLite reserves the prefix for its own tables.
    if (name.startsWith(QLatin1String("sqlite_"), Qt::CaseInsensitive))
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        const bool letter = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
        const bool digit = c >= u'0' && c <= u'9';
        if (!letter && !(digit && i > 0))
            return false;
    }
    return true;
}

QString TableSpec::quote(const QString &identifier)
{
    QString quoted = identifier;
    quoted.replace(u'"', QLatin1String("\"\""));
    return u'"' + quoted + u'"';
}

int TableSpec::indexOf(const QString &column) const
{
    for (qsizetype i = 0; i < columns.size(); ++i) {
        if (columns.at(i).name.compare(column, Qt::CaseInsensitive) == 0)
            return int(i);
    }
    return -1;
}

bool TableSpec::isKey(int column) const
{
    const QString &columnName = columns.at(column).name;
    for (const QString &k : key) {
        if (k.compare(columnName, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

Result<void> TableSpec::check() const
{
    const auto fail = [this](const QString &what) {
        return Error{ what, {}, ErrorCode::Permanent };
    };
    if (!isIdentifier(name)) {
        return fail(tr("the table name \"%1\" is not an identifier (a letter or _, then letters, "
                       "digits or _, at most %2, not sqlite_...)")
                        .arg(escapeControls(name))
                        .arg(MaxIdentifierLength));
    }
    if (columns.isEmpty())
        return fail(tr("table %1 has no columns").arg(name));
    QSet<QString> seen;
    for (const ColumnSpec &column : columns) {
        if (!isIdentifier(column.name)) {
            return fail(tr("table %1: the column name \"%2\" is not an identifier (a letter or _, "
                           "then letters, digits or _, at most %3, not sqlite_...)")
                            .arg(name, escapeControls(column.name))
                            .arg(MaxIdentifierLength));
        }
        const QString folded = column.name.toLower();
        if (seen.contains(folded))
            return fail(tr("table %1: the column %2 is named twice").arg(name, column.name));
        seen.insert(folded);
    }
    QSet<QString> keySeen;
    for (const QString &k : key) {
        if (indexOf(k) < 0)
            return fail(
                tr("table %1: the key column %2 is not a column").arg(name, escapeControls(k)));
        if (keySeen.contains(k.toLower()))
            return fail(tr("table %1: the key names the column %2 twice").arg(name, k));
        keySeen.insert(k.toLower());
    }
    return {};
}

QString TableSpec::createSql() const
{
    QStringList parts;
    for (int i = 0; i < int(columns.size()); ++i) {
        const ColumnSpec &column = columns.at(i);
        QString part = quote(column.name) + u' ' + typeName(column.type).toUpper();
        if (column.notNull || isKey(i))
            part += QLatin1String(" NOT NULL");
        parts << part;
    }
    if (!key.isEmpty()) {
        QStringList quoted;
        for (const QString &k : key)
            quoted << quote(k);
        parts << QStringLiteral("PRIMARY KEY (%1)").arg(quoted.join(QLatin1String(", ")));
    }
    return QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (%2)%3")
        .arg(quote(name), parts.join(QLatin1String(", ")),
            key.isEmpty() ? QString() : QStringLiteral(" WITHOUT ROWID"));
}

} // namespace Sluice
