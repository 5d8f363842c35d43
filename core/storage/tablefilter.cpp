#include "storage/tablefilter.h"

namespace Sluice {

namespace {

    const char *const StartColumn = "start_timestamp";
    const char *const RowId = "rowid";

    const char *sqlOperator(TableCondition::Operator op)
    {
        switch (op) {
        case TableCondition::Operator::Equal:
            return " = ?";
        case TableCondition::Operator::NotEqual:
            return " <> ?";
        case TableCondition::Operator::Less:
            return " < ?";
        case TableCondition::Operator::LessOrEqual:
            return " <= ?";
        case TableCondition::Operator::Greater:
            return " > ?";
        case TableCondition::Operator::GreaterOrEqual:
            return " >= ?";
        case TableCondition::Operator::Like:
            return " LIKE ?";
        case TableCondition::Operator::IsNull:
            return " IS NULL";
        case TableCondition::Operator::IsNotNull:
            return " IS NOT NULL";
        case TableCondition::Operator::Contains:
            return " LIKE ? ESCAPE '\\'";
        case TableCondition::Operator::Outside:
            break; // two columns: see addCondition
        }
        return " = ?";
    }

    bool takesValue(TableCondition::Operator op)
    {
        return op != TableCondition::Operator::IsNull && op != TableCondition::Operator::IsNotNull;
    }

    // %text% for LIKE ... ESCAPE backslash: its own backslashes, % and _ match only themselves.
    QString likePattern(const QString &text)
    {
        QString pattern = QStringLiteral("%");
        pattern.reserve(text.size() + 2);
        for (const QChar c : text) {
            if (c == QLatin1Char('\\') || c == QLatin1Char('%') || c == QLatin1Char('_'))
                pattern += QLatin1Char('\\');
            pattern += c;
        }
        return pattern + QLatin1Char('%');
    }

} // namespace

TableFilter::TableFilter(const QString &table, const QStringList &columns, const QStringList &key)
    : m_table(table)
    , m_columns(columns)
    , m_key(key)
    , m_order(key.isEmpty() ? QStringList{ QLatin1String(RowId) } : key)
{ }

Result<void> TableFilter::checkColumn(const QString &column) const
{
    if (m_columns.contains(column))
        return {};
    return Error{ tr("table %1 has no column \"%2\"; its columns are %3")
                      .arg(m_table, column, m_columns.join(QStringLiteral(", "))),
        QString() };
}

Result<void> TableFilter::addCondition(const TableCondition &condition)
{
    if (Result<void> known = checkColumn(condition.column); !known)
        return known;
    const QString name = quoted(condition.column);
    if (condition.op == TableCondition::Operator::Outside) {
        const QVariantList ends = condition.value.toList();
        if (ends.size() != 2) {
            return Error{ tr("a condition outside a range on \"%1\" needs its two ends")
                              .arg(condition.column),
                QString() };
        }
        m_where << QStringLiteral("(%1 < ? OR %1 >= ?)").arg(name);
        m_bindings << bindable(ends[0]) << bindable(ends[1]);
        return {};
    }
    m_where << name + QLatin1String(sqlOperator(condition.op));
    if (condition.op == TableCondition::Operator::Contains)
        m_bindings << likePattern(condition.value.toString());
    else if (takesValue(condition.op))
        m_bindings << bindable(condition.value);
    return {};
}

Result<void> TableFilter::setRange(std::optional<qint64> start, std::optional<qint64> end)
{
    if (!start && !end)
        return {};
    const QString column = QLatin1String(StartColumn);
    if (!m_columns.contains(column)) {
        return Error{ tr("table %1 has no start_timestamp column to limit a range on").arg(m_table),
            QString() };
    }
    if (start) {
        m_where << quoted(column) + QLatin1String(" >= ?");
        m_bindings << QVariant(*start);
    }
    if (end) {
        m_where << quoted(column) + QLatin1String(" < ?");
        m_bindings << QVariant(*end);
    }
    return {};
}

Result<void> TableFilter::setOrder(const QString &column, Qt::SortOrder order)
{
    if (!column.isEmpty()) {
        if (Result<void> known = checkColumn(column); !known)
            return known;
    }
    m_order.clear();
    if (!column.isEmpty())
        m_order << column;
    for (const QString &part : std::as_const(m_key)) {
        if (part != column)
            m_order << part;
    }
    if (m_key.isEmpty())
        m_order << QLatin1String(RowId);
    m_descending = order == Qt::DescendingOrder;
    return {};
}

QString TableFilter::sqlName(const QString &column) const
{
    // The rowid of a table without a key is no column of it; quoted, an unknown name could be
    // taken for a string.
    if (column == QLatin1String(RowId) && !m_columns.contains(column))
        return column;
    return quoted(column);
}

QString TableFilter::from(const QString &extra) const
{
    QStringList where = m_where;
    if (!extra.isEmpty())
        where << extra;
    QString sql = QStringLiteral(" FROM ") + quoted(m_table);
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QLatin1String(" AND "));
    return sql;
}

QString TableFilter::orderBy(bool reversed) const
{
    const bool descending = m_descending != reversed;
    QStringList parts;
    for (const QString &column : m_order)
        parts << sqlName(column) + (descending ? QLatin1String(" DESC") : QLatin1String(" ASC"));
    return QStringLiteral(" ORDER BY ") + parts.join(QLatin1String(", "));
}

QString TableFilter::orderList() const
{
    QStringList names;
    for (const QString &column : m_order)
        names << sqlName(column);
    return names.join(QLatin1String(", "));
}

QString TableFilter::seek(Seek where) const
{
    // In a descending view the rows after a key are the smaller ones.
    QString comparison;
    switch (where) {
    case Seek::After:
        comparison = m_descending ? QStringLiteral(" < ") : QStringLiteral(" > ");
        break;
    case Seek::AtOrAfter:
        comparison = m_descending ? QStringLiteral(" <= ") : QStringLiteral(" >= ");
        break;
    case Seek::Before:
        comparison = m_descending ? QStringLiteral(" > ") : QStringLiteral(" < ");
        break;
    }
    QStringList marks;
    for (qsizetype i = 0; i < m_order.size(); ++i)
        marks << QStringLiteral("?");
    return QLatin1Char('(') + orderList() + QLatin1Char(')') + comparison + QLatin1Char('(')
        + marks.join(QLatin1String(", ")) + QLatin1Char(')');
}

QString TableFilter::seekInRun(Seek where) const
{
    if (m_order.size() < 2)
        return QString();
    QString comparison;
    switch (where) {
    case Seek::After:
        comparison = m_descending ? QStringLiteral(" < ?") : QStringLiteral(" > ?");
        break;
    case Seek::AtOrAfter:
        comparison = m_descending ? QStringLiteral(" <= ?") : QStringLiteral(" >= ?");
        break;
    case Seek::Before:
        comparison = m_descending ? QStringLiteral(" > ?") : QStringLiteral(" < ?");
        break;
    }
    QStringList parts;
    for (qsizetype i = 0; i + 1 < m_order.size(); ++i)
        parts << sqlName(m_order[i]) + QStringLiteral(" = ?");
    parts << sqlName(m_order.last()) + comparison;
    return QLatin1Char('(') + parts.join(QLatin1String(" AND ")) + QLatin1Char(')');
}

QString TableFilter::quoted(const QString &name)
{
    QString text = name;
    text.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString TableFilter::quotedList(const QStringList &names)
{
    QStringList parts;
    for (const QString &name : names)
        parts << quoted(name);
    return parts.join(QLatin1String(", "));
}

QVariant TableFilter::bindable(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return QVariant();
    switch (value.typeId()) {
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return QVariant(value.toLongLong());
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::ULongLong:
        return QVariant(value.toDouble());
    case QMetaType::QByteArray: {
        const QByteArray bytes = value.toByteArray();
        return QVariant(bytes.isNull() ? QByteArray("") : bytes);
    }
    default: {
        const QString text = value.toString();
        return QVariant(text.isNull() ? QString(QLatin1String("")) : text);
    }
    }
}

} // namespace Sluice
