#pragma once

// Filters a LogModel by minimum level, by a search text (case-insensitive, in the task or the
// message) and by task (exactly its lines; the flow graph's clicked step). GUI thread.

#include <QSortFilterProxyModel>

#include "engine/runstate.h"

namespace Sluice {

class LogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LogFilterModel(QObject *parent = nullptr);

    void setMinimumLevel(LogLevel level);
    LogLevel minimumLevel() const { return m_minimum; }
    void setSearchText(const QString &text);
    // Only the lines of this task; empty: every task's.
    void setTaskFilter(const QString &task);
    QString taskFilter() const { return m_task; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    LogLevel m_minimum = LogLevel::Info;
    QString m_search;
    QString m_task;
    QString m_shownTask;
};

} // namespace Sluice
