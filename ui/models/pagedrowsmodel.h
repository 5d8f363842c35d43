#pragma once

// What the Data table's model and the SQL tab's result model share: rows held in pages of
// pageSize rows (read off the GUI thread, on request), the cells they show (timestamps as date
// and time, hash rates in EH/s, numbers with one count of decimals per column), their alignment,
// exact tooltips and the raw value. A subclass fills m_columns, m_pages, m_rowCount and
// m_decimals and asks for a page in requestPage(). GUI thread.

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include "data/tablequery.h"

namespace Sluice {

class PagedRowsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // The stored value of a cell, unformatted.
    enum Role { RawRole = Qt::UserRole + 1 };

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // Whether a column holds times as seconds since the epoch (named ...timestamp, numeric).
    static bool isTimestamp(const TableColumn &column);

protected:
    PagedRowsModel(int pageSize, QObject *parent);

    // Asks for a page not in m_pages; its rows arrive later.
    virtual void requestPage(int page) const = 0;
    // How timestamps are shown: UTC unless the subclass shows local time.
    virtual Qt::TimeSpec timeSpec() const { return Qt::UTC; }
    // value as the view shows it in column.
    QString display(const QVariant &value, int column) const;

    const int m_pageSize;
    QList<TableColumn> m_columns;
    int m_rowCount = 0;
    QHash<int, TableRows> m_pages;
    QList<int> m_decimals; // per column, for REAL values
    mutable int m_lastPage = 0; // the page last shown, for the cache's eviction
};

} // namespace Sluice
