#include "models/pagedrowsmodel.h"

#include <algorithm>
#include <climits>
#include <cstdlib>

#include <QDateTime>
#include <QLocale>
#include <QTimer>

#include "models/cellformat.h"

namespace Sluice {

namespace {

    constexpr int MaxInFlight = 2;
    constexpr int MaxWanted = 6;

} // namespace

PagedRowsModel::PagedRowsModel(int pageSize, QObject *parent)
    : QAbstractTableModel(parent)
    , m_pageSize(pageSize)
    , m_dispatch(new QTimer(this))
{
    m_dispatch->setSingleShot(true);
    m_dispatch->setInterval(0);
    connect(m_dispatch, &QTimer::timeout, this, &PagedRowsModel::dispatch);
}

void PagedRowsModel::requestPage(int page) const
{
    m_lastPage = page;
    if (m_pages.contains(page) || m_inFlight.contains(page))
        return;
    m_wanted.removeOne(page);
    m_wanted.append(page);
    if (!m_dispatch->isActive())
        m_dispatch->start();
}

void PagedRowsModel::dispatch()
{
    // Only the newest wishes count: pages scrolled past while a read ran are not read.
    while (m_wanted.size() > MaxWanted)
        m_wanted.removeFirst();
    while (!m_wanted.isEmpty() && m_inFlight.size() < MaxInFlight) {
        const int page = m_wanted.takeLast();
        if (m_pages.contains(page) || m_inFlight.contains(page))
            continue;
        m_inFlight.insert(page);
        readPage(page);
    }
}

void PagedRowsModel::storePage(int page, const TableRows &rows, int maxPages)
{
    m_inFlight.remove(page);
    if (m_decimals.size() != m_columns.size() && !rows.isEmpty()) {
        // One count of decimals per column for the whole result: every row alike.
        m_decimals.clear();
        for (int column = 0; column < m_columns.size(); ++column) {
            QVariantList values;
            values.reserve(rows.size());
            for (const QVariantList &row : rows)
                values << row.value(column);
            m_decimals << CellFormat::decimalsFor(values);
        }
    }
    m_pages.insert(page, rows);
    while (m_pages.size() > maxPages) {
        int farthest = page;
        for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
            if (std::abs(it.key() - m_lastPage) > std::abs(farthest - m_lastPage))
                farthest = it.key();
        }
        if (farthest == m_lastPage)
            break;
        m_pages.remove(farthest);
    }
}

void PagedRowsModel::showPage(int page, int rows)
{
    const int first = page * m_pageSize;
    const int last = std::min(m_rowCount, first + rows) - 1;
    if (last >= first && !m_columns.isEmpty())
        Q_EMIT dataChanged(index(first, 0), index(last, int(m_columns.size()) - 1));
    Q_EMIT pageLoaded(page);
    dispatch();
}

void PagedRowsModel::setRowCount(qint64 count)
{
    const int rows = int(std::min<qint64>(count, INT_MAX));
    if (rows > m_rowCount) {
        beginInsertRows(QModelIndex(), m_rowCount, rows - 1);
        m_rowCount = rows;
        endInsertRows();
    } else if (rows < m_rowCount) {
        beginRemoveRows(QModelIndex(), rows, m_rowCount - 1);
        m_rowCount = rows;
        endRemoveRows();
    }
}

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
