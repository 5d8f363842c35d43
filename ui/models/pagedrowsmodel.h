#pragma once

// What the Data table's model and the SQL tab's result model share: rows held in pages of
// pageSize rows, read off the GUI thread on request (only the newest few wishes, two reads at
// once), the pages kept near the one last shown, and the cells they show (timestamps as date
// and time, hash rates in EH/s, numbers with one count of decimals per column), their
// alignment, exact tooltips and the raw value. A subclass fills m_columns and m_rowCount, sends
// a page's read in readPage() and hands the rows to storePage(). GUI thread.

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

#include "data/tablequery.h"

class QTimer;

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

Q_SIGNALS:
    // A page's rows are in and shown.
    void pageLoaded(int page);

protected:
    PagedRowsModel(int pageSize, QObject *parent);

    // Asks for a page not in m_pages, read soon (dispatch()); its rows come to storePage().
    void requestPage(int page) const;
    // Sends the wishes that fit: the newest first, at most two reads at once.
    void dispatch();
    // Sends the read of page to the subclass's reader.
    virtual void readPage(int page) = 0;
    // Keeps a page read (no longer in flight); the pages farthest from the one last shown go
    // past maxPages. The first page with rows chooses each column's decimals.
    void storePage(int page, const TableRows &rows, int maxPages);
    // Tells the view the rows stored for page (those below m_rowCount), then sends the next
    // wishes.
    void showPage(int page, int rows);
    // Rows come and go at the end (at most INT_MAX of them shown).
    void setRowCount(qint64 rows);
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
    mutable QList<int> m_wanted; // pages data() asked for, newest last
    QSet<int> m_inFlight; // pages sent to the reader and not back yet
    QTimer *m_dispatch; // sends the wishes once the current paint has asked for all of them
};

} // namespace Sluice
