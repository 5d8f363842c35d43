#include "widgets/columnwidths.h"

#include <algorithm>

#include <QFontMetrics>
#include <QHeaderView>
#include <QSettings>
#include <QTableView>
#include <QUrl>

#include "windowsettings.h"

namespace Sluice {

namespace {

    constexpr char Group[] = "columnWidths";
    constexpr int Padding = 12; // the cell's margins around the widest text

} // namespace

ColumnWidths::ColumnWidths(QTableView *view)
    : QObject(view)
    , m_view(view)
{
    QAbstractItemModel *model = view->model();
    connect(model, &QAbstractItemModel::modelReset, this, &ColumnWidths::onReset);
    connect(model, &QAbstractItemModel::dataChanged, this, &ColumnWidths::onRowsChanged);
    connect(model, &QAbstractItemModel::rowsInserted, this, &ColumnWidths::onRowsChanged);
    connect(view->horizontalHeader(), &QHeaderView::sectionResized, this,
        &ColumnWidths::onSectionResized);
}

void ColumnWidths::setTable(const QString &table)
{
    if (table == m_table)
        return;
    m_table = table;
    // Read once a table: fit() runs on every filter and must stay cheap.
    m_userWidths.clear();
    QSettings settings = windowSettings();
    settings.beginGroup(QLatin1String(Group));
    settings.beginGroup(QString::fromLatin1(QUrl::toPercentEncoding(m_table)));
    for (const QString &key : settings.childKeys()) {
        const QString column = QUrl::fromPercentEncoding(key.toLatin1());
        m_userWidths.insert(column, settings.value(key).toInt());
    }
}

int ColumnWidths::userWidth(const QString &column) const
{
    return m_userWidths.value(column, 0);
}

void ColumnWidths::fit()
{
    QHeaderView *header = m_view->horizontalHeader();
    const int count = header->count();
    m_applying = true;
    for (int section = 0; section < count; ++section) {
        if (header->stretchLastSection() && section == header->logicalIndex(count - 1))
            continue; // it takes what is left
        int width = userWidth(columnName(section));
        if (width <= 0) {
            width = std::max(header->sectionSizeHint(section), contentWidth(section) + Padding);
            width = std::clamp(width, MinWidth, MaxWidth);
        }
        header->resizeSection(section, width);
    }
    m_applying = false;
}

int ColumnWidths::contentWidth(int section) const
{
    // The rows on screen only (QTableView::sizeHintForColumn() reads a thousand, or all rows
    // of a hidden view): a table may have millions, read page by page.
    const QAbstractItemModel *model = m_view->model();
    int first = m_view->rowAt(0);
    int last = m_view->rowAt(m_view->viewport()->height() - 1);
    if (first < 0)
        first = 0;
    if (last < 0)
        last = model->rowCount() - 1;
    last = std::min(last, first + MaxSampleRows - 1);
    const QFontMetrics metrics = m_view->fontMetrics();
    int width = 0;
    for (int row = first; row <= last; ++row) {
        const QString text = model->index(row, section).data().toString();
        width = std::max(width, metrics.horizontalAdvance(text));
    }
    return width;
}

void ColumnWidths::onReset()
{
    fit(); // the headers now; the rows once they come
    m_waitingForRows = true;
}

void ColumnWidths::onRowsChanged()
{
    if (!m_waitingForRows || m_view->model()->rowCount() == 0)
        return;
    const QModelIndex top = m_view->indexAt(QPoint(0, 0));
    const QModelIndex first = top.isValid() ? top : m_view->model()->index(0, 0);
    if (!first.data().isValid())
        return; // the rows on screen are still being read
    m_waitingForRows = false;
    fit();
}

void ColumnWidths::onSectionResized(int section, int, int newSize)
{
    QHeaderView *header = m_view->horizontalHeader();
    if (m_applying || m_table.isEmpty()
        || (header->stretchLastSection() && section == header->logicalIndex(header->count() - 1)))
        return;
    const QString column = columnName(section);
    if (column.isEmpty())
        return;
    m_userWidths.insert(column, newSize);
    windowSettings().setValue(settingsKey(column), newSize);
}

QString ColumnWidths::columnName(int section) const
{
    // The model's own name of the column, not its shown header ("start_timestamp (UTC)").
    const QVariant name = m_view->model()->headerData(section, Qt::Horizontal, Qt::UserRole);
    if (name.isValid())
        return name.toString();
    return m_view->model()->headerData(section, Qt::Horizontal).toString();
}

QString ColumnWidths::settingsKey(const QString &column) const
{
    // Table and column names may hold '/', which QSettings reads as a group.
    return QLatin1String(Group) + QLatin1Char('/')
        + QString::fromLatin1(QUrl::toPercentEncoding(m_table)) + QLatin1Char('/')
        + QString::fromLatin1(QUrl::toPercentEncoding(column));
}

} // namespace Sluice
