#include "models/pagedrowsmodel.h"

#include <QDateTime>
#include <QLocale>

#include "models/cellformat.h"

namespace Sluice {

PagedRowsModel::PagedRowsModel(int pageSize, QObject *parent)
    : QAbstractTableModel(parent)
    , m_pageSize(pageSize)
{ }

bool PagedRowsModel::isTimestamp(const TableColumn &column)
{
    return column.name.endsWith(QLatin1String("timestamp")) && column.isNumeric();
}

int PagedRowsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rowCount;
}

int PagedRowsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant PagedRowsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rowCount || index.column() >= m_columns.size())
        return {};
    const bool alignment = role == Qt::TextAlignmentRole;
    if (alignment && m_columns[index.column()].isNumeric())
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (!alignment && role != Qt::DisplayRole && role != Qt::ToolTipRole && role != RawRole)
        return {};
    const int page = index.row() / m_pageSize;
    const auto it = m_pages.constFind(page);
    if (alignment) {
        // A column without a numeric type may still hold numbers (SQLite types values).
        const bool number = it != m_pages.cend()
            && CellFormat::isNumber(it->value(index.row() % m_pageSize).value(index.column()));
        return QVariant((number ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    if (it == m_pages.cend()) {
        if (role == Qt::DisplayRole)
            requestPage(page);
        return {};
    }
    m_lastPage = page;
    const QVariant value = it->value(index.row() % m_pageSize).value(index.column());
    if (role == RawRole)
        return value;
    if (role == Qt::ToolTipRole)
        return CellFormat::exact(value);
    return display(value, index.column());
}

QString PagedRowsModel::display(const QVariant &value, int column) const
{
    if (value.isNull())
        return QString();
    const TableColumn &info = m_columns[column];
    const QLocale locale;
    if (isTimestamp(info) && value.typeId() == QMetaType::LongLong) {
        return QDateTime::fromSecsSinceEpoch(value.toLongLong(), timeSpec())
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    if (info.name == QLatin1String("hash_rate") && value.typeId() == QMetaType::Double)
        return tr("%1 EH/s").arg(locale.toString(value.toDouble() / 1e18, 'f', 3));
    return CellFormat::number(locale, value, m_decimals.value(column, 0));
}

} // namespace Sluice
