#pragma once

// Filters a LogModel by minimum level and by a search text (case-insensitive, in the task
// or the message). GUI thread.

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

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    LogLevel m_minimum = LogLevel::Info;
    QString m_search;
};

} // namespace Sluice
