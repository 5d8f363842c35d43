#include "models/logfiltermodel.h"

#include "engine/displaytext.h"
#include "models/logmodel.h"

namespace Sluice {

LogFilterModel::LogFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{ }

void LogFilterModel::setMinimumLevel(LogLevel level)
{
    if (level == m_minimum)
        return;
    m_minimum = level;
    invalidateRowsFilter();
}

void LogFilterModel::setSearchText(const QString &text)
{
    if (text == m_search)
        return;
    m_search = text;
    invalidateRowsFilter();
}

void LogFilterModel::setTaskFilter(const QString &task)
{
    if (task == m_task)
        return;
    m_task = task;
    // The model shows task names escaped; a step id has no control characters anyway.
    m_shownTask = escapeControls(task);
    invalidateRowsFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    if (model->data(first, LogModel::LevelRole).toInt() < int(m_minimum))
        return false;
    if (!m_task.isEmpty()
        && model->data(model->index(sourceRow, LogModel::Task, sourceParent)).toString()
            != m_shownTask)
        return false;
    if (m_search.isEmpty())
        return true;
    for (const int column : { int(LogModel::Text), int(LogModel::Task) }) {
        const QString text = model->data(model->index(sourceRow, column, sourceParent)).toString();
        if (text.contains(m_search, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace Sluice
