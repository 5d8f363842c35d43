#pragma once

// Reads the rows of one SQL statement of the SQL tab: lives on its own "sluice-sql-reader"
// thread with a read-only connection (SQLITE_OPEN_READONLY, query_only) whose statements the
// GUI thread can stop. A statement has no key to seek by, so the reader steps it once, in
// slices that leave room for page reads, and writes its rows into a QuerySpool: a page is then
// one seek by row number, wherever it is. Pages already spooled are read at once while the rest
// spools (spooled() says how far it is), those written whole by a QueryPageReader on a thread of
// its own; the count is known when the statement ends. The spool is removed when the next
// statement opens or the reader dies.

#include <atomic>
#include <memory>
#include <set>

#include <QElapsedTimer>
#include <QMetaType>
#include <QMutex>
#include <QObject>

#include "data/tablequery.h"
#include "storage/sqliteconnection.h"
#include "storage/sqlitestatement.h"

namespace Sluice {

class QuerySpool;

// Why a statement of the SQL tab failed, chosen from SQLite's result code.
struct QueryFailure
{
    enum class Kind {
        Error, // SQLite refused or failed the statement
        ReadOnly, // it writes (or attaches): the SQL tab only reads
        Busy, // the warehouse stayed locked past the busy timeout
        Cancelled, // interrupted by Cancel
        Spool, // the rows could not be written to (or read from) the temporary spool
    };
    Kind kind = Kind::Error;
    int offset = -1; // bytes into the UTF-8 statement where SQLite saw the error, or -1
    QString message; // for the user, translated
};

// The spool of the statement a QueryReader reads, for its QueryPageReader on another thread.
struct QuerySpoolSlot
{
    QMutex mutex; // guards the two below
    int generation = -1;
    std::shared_ptr<QuerySpool> spool;
};

class QueryReader : public QObject
{
    Q_OBJECT

public:
    static constexpr int PageSize = 256;

    // latest is the newest generation the model asked for; older requests are dropped and a
    // statement of an older generation stops. interrupter is bound to every connection this
    // reader opens.
    QueryReader(std::shared_ptr<std::atomic_int> latest, SqliteInterrupter interrupter,
        QObject *parent = nullptr);
    ~QueryReader() override;

    // Any thread: the statement of generation stops at its next step (or within its current
    // one) and fails Cancelled; the rows spooled so far stay readable.
    void cancel(int generation) { m_cancelled.store(generation); }
    // Before the reader moves to its thread: where it puts each spool for a QueryPageReader.
    void setSpoolSlot(std::shared_ptr<QuerySpoolSlot> slot) { m_slot = std::move(slot); }

public Q_SLOTS:
    // Prepares query.sql on query.path and spools its rows; page 0 comes when it is whole (or
    // the statement ended before).
    void open(int generation, const Sluice::TableQuery &query);
    // A page comes when it is spooled whole or the statement ends (or, for a statement slow to
    // give its rows, with the rows it has so far).
    void fetchPage(int generation, int page);
    void setBusyTimeout(int milliseconds);
    // Where the spool's directory is made; empty: the system's temporary directory.
    void setSpoolDirectory(const QString &parent);

Q_SIGNALS:
    // The same signals as WarehouseReader's: key and order empty, a result never "scans".
    void opened(int generation, const QList<Sluice::TableColumn> &columns, const QStringList &key,
        const QStringList &order, bool sortScansTable);
    // skipped is always 0: a page is one seek in the spool.
    void pageFetched(int generation, int page, const Sluice::TableRows &rows, qint64 skipped);
    // rows are spooled, readable by fetchPage; said every 100 ms or so, and once at the end.
    void spooled(int generation, qint64 rows);
    // The statement ended: all its rows are spooled.
    void counted(int generation, qint64 rows);
    void failed(int generation, const QString &message);
    void queryFailed(int generation, const Sluice::QueryFailure &failure);

private:
    bool connectTo(int generation, const QString &path);
    // Prepares the statement; a failure says what and where.
    bool prepare(int generation, const QByteArray &sql, SqliteStatement *statement);
    // Steps the statement into the spool for a slice of time, then comes again (queued).
    void spoolSlice(int generation);
    // Sends the pending pages that are whole now (all of them once the statement ended, and
    // with partial those that hold some rows).
    bool sendPending(int generation, bool partial = false);
    bool sendPage(int generation, int page);
    void fail(int generation, QueryFailure failure);
    // The failure of the last call on the connection, by its result code.
    QueryFailure failureOf(int code) const;
    QString lockedMessage() const;
    void close();
    bool isStale(int generation) const { return generation != m_latest->load(); }
    bool shouldStop() const { return isStale(m_generation) || m_cancelled.load() == m_generation; }
    static int progress(void *reader);
    static int busy(void *reader, int count);

    std::shared_ptr<std::atomic_int> m_latest;
    SqliteInterrupter m_interrupter;
    std::atomic_int m_cancelled{ -1 };
    std::unique_ptr<SqliteConnection> m_connection;
    int m_busyTimeoutMs = SqliteConnection::BusyTimeoutMs;
    QString m_spoolParent;
    bool m_denied = false; // the authorizer refused a part of the statement being prepared
    int m_generation = -1;
    SqliteStatement m_cursor; // while the statement spools
    std::shared_ptr<QuerySpool> m_spool;
    std::shared_ptr<QuerySpoolSlot> m_slot;
    std::set<int> m_pending; // pages asked for that are not spooled whole yet
    QElapsedTimer m_progress; // since spooled() was last said
};

// Reads the pages a QueryReader has written whole to its spool, on a thread of its own, so that
// a page already spooled comes at once while the QueryReader is busy stepping the statement;
// any other page is left to the QueryReader (pageWanted).
class QueryPageReader : public QObject
{
    Q_OBJECT

public:
    QueryPageReader(std::shared_ptr<std::atomic_int> latest, std::shared_ptr<QuerySpoolSlot> slot,
        QObject *parent = nullptr);

public Q_SLOTS:
    void fetchPage(int generation, int page);

Q_SIGNALS:
    void pageFetched(int generation, int page, const Sluice::TableRows &rows, qint64 skipped);
    // Not in the file whole yet (or not readable here): for QueryReader::fetchPage.
    void pageWanted(int generation, int page);

private:
    std::shared_ptr<std::atomic_int> m_latest;
    std::shared_ptr<QuerySpoolSlot> m_slot;
};

} // namespace Sluice

Q_DECLARE_METATYPE(Sluice::QueryFailure)
