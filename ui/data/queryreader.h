#pragma once

// Reads the rows of one SQL statement of the SQL tab for WarehouseTableModel: lives on its own
// "sluice-sql-reader" thread with a read-only connection (SQLITE_OPEN_READONLY, query_only)
// whose statements the GUI thread can interrupt. A statement has no key to seek by, so pages
// are read by stepping one cursor forward, wrapped as SELECT * FROM (…) LIMIT -1 OFFSET ?; a
// page far ahead or behind restarts it at an offset (behind, a block of pages up to it).
// Rows are counted by COUNT(*) of the wrapped statement (or, when it cannot be wrapped, by a
// second cursor in slices between page reads).

#include <atomic>
#include <memory>

#include <QMetaType>
#include <QObject>

#include "data/tablequery.h"
#include "storage/sqliteconnection.h"
#include "storage/sqlitestatement.h"

namespace Sluice {

// Why a statement of the SQL tab failed, chosen from SQLite's result code.
struct QueryFailure
{
    enum class Kind {
        Error, // SQLite refused or failed the statement
        ReadOnly, // it writes (or attaches): the SQL tab only reads
        Busy, // the warehouse stayed locked past the busy timeout
        Cancelled, // interrupted by Cancel
    };
    Kind kind = Kind::Error;
    int offset = -1; // bytes into the UTF-8 statement where SQLite saw the error, or -1
    QString message; // for the user, translated
};

class QueryReader : public QObject
{
    Q_OBJECT

public:
    static constexpr int PageSize = 256;
    // Pages read at once when the view moves back behind the cursor.
    static constexpr int BackwardPages = 16;

    // latest is the newest generation the model asked for; older requests are dropped.
    // interrupter is bound to every connection this reader opens.
    QueryReader(std::shared_ptr<std::atomic_int> latest, SqliteInterrupter interrupter,
        QObject *parent = nullptr);
    ~QueryReader() override;

public Q_SLOTS:
    // Prepares query.sql on query.path, reads the first page, then counts the rows.
    void open(int generation, const Sluice::TableQuery &query);
    void fetchPage(int generation, int page);
    void setBusyTimeout(int milliseconds);

Q_SIGNALS:
    // The same signals as WarehouseReader's: key and order empty, a result never "scans".
    void opened(int generation, const QList<Sluice::TableColumn> &columns, const QStringList &key,
        const QStringList &order, bool sortScansTable);
    // skipped: the rows stepped over to reach the page (OFFSET or one by one).
    void pageFetched(int generation, int page, const Sluice::TableRows &rows, qint64 skipped);
    void counted(int generation, qint64 rows);
    void failed(int generation, const QString &message);
    void queryFailed(int generation, const Sluice::QueryFailure &failure);

private:
    Result<void> connectTo(const QString &path);
    // Prepares the statement; a failure says what and where.
    bool prepare(int generation, const QByteArray &sql, SqliteStatement *statement);
    // The statement wrapped to skip or count its rows, or null when it cannot be (a PRAGMA).
    SqliteStatement prepareWrapped(const QByteArray &sql, qsizetype columns);
    // Steps the cursor to row first (restarting it when it is past), then reads pages.
    bool readPages(int generation, int firstPage, int lastPage);
    void countSlice(int generation);
    void fail(int generation, QueryFailure failure);
    // The failure of the last call on the connection, by its result code.
    QueryFailure failureOf(int code) const;
    void close();
    bool isStale(int generation) const { return generation != m_latest->load(); }

    std::shared_ptr<std::atomic_int> m_latest;
    SqliteInterrupter m_interrupter;
    std::unique_ptr<SqliteConnection> m_connection;
    int m_busyTimeoutMs = SqliteConnection::BusyTimeoutMs;
    bool m_denied = false; // the authorizer refused a part of the statement being prepared
    int m_generation = -1;
    QByteArray m_sql;
    SqliteStatement m_cursor;
    qint64 m_cursorRow = 0; // the row the next step of the cursor returns
    bool m_cursorDone = false;
    bool m_seekable = false; // m_cursor skips to its ?1 OFFSET
    bool m_cursorCounts = true; // at its end, m_cursorRow is the row count
    bool m_countWrapped = false; // m_counter is a COUNT(*) of the statement
    SqliteStatement m_counter;
    qint64 m_counted = 0;
    qint64 m_count = -1;
};

} // namespace Sluice

Q_DECLARE_METATYPE(Sluice::QueryFailure)
