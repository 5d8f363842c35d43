#include "data/queryreader.h"

#include <utility>

#include <QElapsedTimer>
#include <QFile>
#include <QThread>

#include <sqlite3.h>

#include "data/queryspool.h"
#include "data/warehousereader.h"

namespace Sluice {

namespace {

    static_assert(QueryReader::PageSize == WarehouseReader::PageSize,
        "WarehouseTableModel pages both readers alike");

    static_assert(QueryReader::PageSize == QuerySpool::PageSize, "a page is a page of the spool");

    constexpr int SpoolSliceMs = 5; // spooling yields to page reads this often
    constexpr int ProgressOps = 1000; // SQLite instructions between looks at Cancel
    constexpr int SpooledEveryMs = 100; // spooled() while it runs, at most this often
    constexpr int BusyStepMs = 10; // a lock is tried again this often

    // Only reading passes: a statement that writes, attaches or changes the schema fails to
    // prepare with SQLITE_AUTH, before anything runs. (The connection is read-only as well.)
    int allowReading(
        void *denied, int action, const char *, const char *, const char *, const char *)
    {
        switch (action) {
        case SQLITE_SELECT:
        case SQLITE_READ:
        case SQLITE_FUNCTION:
        case SQLITE_RECURSIVE:
        case SQLITE_PRAGMA:
        case SQLITE_TRANSACTION:
        case SQLITE_SAVEPOINT:
            return SQLITE_OK;
        default:
            // SQLite may report the refusal as SQLITE_ERROR (CREATE TABLE … AS): remember it.
            *static_cast<bool *>(denied) = true;
            return SQLITE_DENY;
        }
    }

    // Whether the rest of a text after one statement holds nothing but blanks, semicolons and
    // comments.
    bool onlyBlanks(const char *text, const char *end)
    {
        while (text < end) {
            if (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r' || *text == ';') {
                ++text;
            } else if (end - text >= 2 && text[0] == '-' && text[1] == '-') {
                while (text < end && *text != '\n')
                    ++text;
            } else if (end - text >= 2 && text[0] == '/' && text[1] == '*') {
                text += 2;
                while (end - text >= 2 && !(text[0] == '*' && text[1] == '/'))
                    ++text;
                text = end - text >= 2 ? text + 2 : end;
            } else {
                return false;
            }
        }
        return true;
    }

} // namespace

QueryReader::QueryReader(
    std::shared_ptr<std::atomic_int> latest, SqliteInterrupter interrupter, QObject *parent)
    : QObject(parent)
    , m_latest(std::move(latest))
    , m_interrupter(std::move(interrupter))
{ }

QueryReader::~QueryReader()
{
    close();
}

void QueryReader::close()
{
    m_cursor.reset();
    if (m_slot) {
        const QMutexLocker locker(&m_slot->mutex);
        m_slot->generation = -1;
        m_slot->spool.reset();
    }
    m_spool.reset(); // removes its directory (at once, or after a page read going on)
    m_pending.clear();
}

void QueryReader::setBusyTimeout(int milliseconds)
{
    m_busyTimeoutMs = milliseconds; // busy() reads it
}

void QueryReader::setSpoolDirectory(const QString &parent)
{
    m_spoolParent = parent;
}

int QueryReader::busy(void *reader, int count)
{
    // The busy timeout, in steps that look at Cancel: a Cancel during a wait for a lock stops
    // the wait (sqlite3_busy_timeout would sleep on).
    const auto *self = static_cast<const QueryReader *>(reader);
    if (self->shouldStop() || qint64(count) * BusyStepMs >= self->m_busyTimeoutMs)
        return 0;
    QThread::msleep(BusyStepMs);
    return 1;
}

int QueryReader::progress(void *reader)
{
    // Cancel, or a newer statement: the statement running now stops with SQLITE_INTERRUPT,
    // even one that has not begun when the Cancel comes (sqlite3_interrupt would miss it).
    return static_cast<const QueryReader *>(reader)->shouldStop() ? 1 : 0;
}

bool QueryReader::connectTo(int generation, const QString &path)
{
    if (m_connection && m_connection->path() == path)
        return true;
    close();
    m_connection.reset();
    {
        // A look at the file first, with this tab's busy timeout: a warehouse another
        // connection keeps locked is said as such, not as a failure to open.
        sqlite3 *probe = nullptr;
        int rc = sqlite3_open_v2(
            QFile::encodeName(path).constData(), &probe, SQLITE_OPEN_READONLY, nullptr);
        if (rc == SQLITE_OK) {
            sqlite3_extended_result_codes(probe, 1);
            sqlite3_busy_handler(probe, &QueryReader::busy, this);
            rc = sqlite3_exec(probe, "PRAGMA schema_version", nullptr, nullptr, nullptr);
        }
        sqlite3_close(probe);
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
            fail(generation, { QueryFailure::Kind::Busy, -1, lockedMessage() });
            return false;
        }
        // Any other failure is said by the connection's own open below, naming the file.
    }
    Result<SqliteConnection> connection = SqliteConnection::open(
        path, QStringLiteral("sql-reader"), SqliteConnection::Mode::ReadOnly);
    if (!connection) {
        fail(generation, { QueryFailure::Kind::Error, -1, connection.error().message() });
        return false;
    }
    Result<sqlite3 *> db = connection->handle();
    if (!db) {
        fail(generation, { QueryFailure::Kind::Error, -1, db.error().message() });
        return false;
    }
    if (Result<void> bound = connection->bindInterrupter(m_interrupter); !bound) {
        fail(generation, { QueryFailure::Kind::Error, -1, bound.error().message() });
        return false;
    }
    sqlite3_set_authorizer(*db, allowReading, &m_denied);
    sqlite3_busy_handler(*db, &QueryReader::busy, this);
    sqlite3_progress_handler(*db, ProgressOps, &QueryReader::progress, this);
    m_connection = std::make_unique<SqliteConnection>(std::move(*connection));
    return true;
}

QString QueryReader::lockedMessage() const
{
    return tr("The warehouse is locked: a flow or another program kept it locked for more than "
              "%1 ms. Run the query again when it is done.")
        .arg(m_busyTimeoutMs);
}

QueryFailure QueryReader::failureOf(int code) const
{
    sqlite3 *db = nullptr;
    if (m_connection) {
        if (Result<sqlite3 *> handle = m_connection->handle())
            db = *handle;
    }
    QueryFailure failure;
    const QString message = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString();
    switch (code & 0xff) {
    case SQLITE_INTERRUPT:
        failure.kind = QueryFailure::Kind::Cancelled;
        failure.message = tr("Cancelled");
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        failure.kind = QueryFailure::Kind::Busy;
        failure.message = lockedMessage();
        break;
    case SQLITE_READONLY:
    case SQLITE_AUTH:
        failure.kind = QueryFailure::Kind::ReadOnly;
        failure.message =
            tr("The SQL tab is read-only: this statement writes to the warehouse (or attaches "
               "or changes a database). Change data with a flow's sql step.");
        break;
    default:
        failure.message = message;
#if SQLITE_VERSION_NUMBER >= 3038000
        if (db)
            failure.offset = sqlite3_error_offset(db);
#endif
        break;
    }
    return failure;
}

void QueryReader::fail(int generation, QueryFailure failure)
{
    // The statement ends here (a pending interrupt stays while it is active); the rows spooled
    // before stay readable until the next statement.
    m_cursor.reset();
    if (m_spool) {
        Q_EMIT spooled(generation, m_spool->rows());
        if (failure.kind != QueryFailure::Kind::Spool)
            sendPending(generation);
    }
    m_pending.clear();
    Q_EMIT queryFailed(generation, failure);
    Q_EMIT failed(generation, failure.message);
}

bool QueryReader::prepare(int generation, const QByteArray &sql, SqliteStatement *statement)
{
    sqlite3 *db = *m_connection->handle();
    sqlite3_stmt *raw = nullptr;
    const char *tail = nullptr;
    m_denied = false;
    const int rc = sqlite3_prepare_v3(db, sql.constData(), int(sql.size()), 0, &raw, &tail);
    statement->reset(raw);
    if (rc != SQLITE_OK) {
        fail(generation, failureOf(m_denied ? SQLITE_AUTH : sqlite3_extended_errcode(db)));
        return false;
    }
    if (!raw) {
        fail(generation, { QueryFailure::Kind::Error, -1, tr("There is no statement to run.") });
        return false;
    }
    if (!onlyBlanks(tail, sql.constData() + sql.size())) {
        fail(generation,
            { QueryFailure::Kind::Error, int(tail - sql.constData()),
                tr("Run one statement at a time: put the cursor in it or select it.") });
        return false;
    }
    if (!sqlite3_stmt_readonly(raw)) {
        fail(generation, failureOf(SQLITE_READONLY));
        return false;
    }
    if (sqlite3_column_count(raw) == 0) {
        fail(generation,
            { QueryFailure::Kind::Error, -1,
                tr("The statement returns no rows: the SQL tab runs queries (SELECT, WITH, "
                   "PRAGMA, EXPLAIN).") });
        return false;
    }
    return true;
}

void QueryReader::open(int generation, const TableQuery &query)
{
    if (isStale(generation))
        return;
    m_generation = generation;
    close();
    if (m_cancelled.load() == generation)
        return; // cancelled before it began: the model has said so
    if (!connectTo(generation, query.path))
        return;
    SqliteStatement statement;
    if (!prepare(generation, query.sql.toUtf8(), &statement))
        return;
    QList<TableColumn> columns;
    for (int i = 0; i < sqlite3_column_count(statement.get()); ++i) {
        const char *type = sqlite3_column_decltype(statement.get(), i);
        columns.append({ QString::fromUtf8(sqlite3_column_name(statement.get(), i)),
            type ? QString::fromUtf8(type).toUpper() : QString() });
    }
    Q_EMIT opened(generation, columns, {}, {}, false);

    m_spool = std::make_shared<QuerySpool>(int(columns.size()));
    if (!m_spool->open(m_spoolParent)) {
        fail(generation, { QueryFailure::Kind::Spool, -1, m_spool->error() });
        m_spool.reset();
        return;
    }
    if (m_slot) {
        const QMutexLocker locker(&m_slot->mutex);
        m_slot->generation = generation;
        m_slot->spool = m_spool;
    }
    m_cursor = std::move(statement);
    m_progress.invalidate(); // the first slice's rows are shown at once
    m_pending.insert(0); // the model waits for the first page
    spoolSlice(generation);
}

void QueryReader::spoolSlice(int generation)
{
    if (generation != m_generation || !m_cursor)
        return;
    if (isStale(generation)) {
        close(); // a newer statement comes; let go of this one's read transaction
        return;
    }
    if (m_cancelled.load() == generation) {
        fail(generation, failureOf(SQLITE_INTERRUPT));
        return;
    }
    QElapsedTimer slice;
    slice.start();
    sqlite3_stmt *statement = m_cursor.get();
    for (;;) {
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            fail(generation, failureOf(rc));
            return;
        }
        if (!m_spool->append(statement)) {
            fail(generation, { QueryFailure::Kind::Spool, -1, m_spool->error() });
            return;
        }
        const qint64 rows = m_spool->rows();
        if (rows % PageSize == 0 && !m_pending.empty() && !sendPending(generation))
            return;
        if (slice.elapsed() >= SpoolSliceMs) { // every row: a row may be slow to come
            if (!m_progress.isValid() || m_progress.elapsed() >= SpooledEveryMs) {
                m_progress.start();
                Q_EMIT spooled(generation, rows);
                // A statement slow to give its rows: the rows of a page so far are shown
                // (the model asks again for the rest).
                if (!sendPending(generation, true))
                    return;
            }
            QMetaObject::invokeMethod(
                this, [this, generation] { spoolSlice(generation); }, Qt::QueuedConnection);
            return;
        }
    }
    m_cursor.reset(); // ends the read transaction
    const qint64 rows = m_spool->rows();
    Q_EMIT spooled(generation, rows);
    if (!sendPending(generation))
        return;
    Q_EMIT counted(generation, rows);
}

bool QueryReader::sendPending(int generation, bool partial)
{
    const qint64 rows = m_spool->rows();
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        const int page = *it;
        const bool whole = !m_cursor || qint64(page + 1) * PageSize <= rows;
        if (!whole && !(partial && qint64(page) * PageSize < rows))
            break; // nor any page after it
        it = m_pending.erase(it);
        if (!sendPage(generation, page))
            return false;
    }
    return true;
}

bool QueryReader::sendPage(int generation, int page)
{
    TableRows rows;
    if (!m_spool->readPage(page, &rows)) {
        fail(generation, { QueryFailure::Kind::Spool, -1, m_spool->error() });
        return false;
    }
    Q_EMIT pageFetched(generation, page, rows, 0);
    return true;
}

void QueryReader::fetchPage(int generation, int page)
{
    if (isStale(generation) || generation != m_generation || !m_spool)
        return;
    if (m_cursor && qint64(page + 1) * PageSize > m_spool->rows())
        m_pending.insert(page); // sent when the spool has it whole
    else
        sendPage(generation, page);
}

QueryPageReader::QueryPageReader(
    std::shared_ptr<std::atomic_int> latest, std::shared_ptr<QuerySpoolSlot> slot, QObject *parent)
    : QObject(parent)
    , m_latest(std::move(latest))
    , m_slot(std::move(slot))
{ }

void QueryPageReader::fetchPage(int generation, int page)
{
    if (generation != m_latest->load())
        return;
    std::shared_ptr<QuerySpool> spool;
    {
        const QMutexLocker locker(&m_slot->mutex);
        if (m_slot->generation == generation)
            spool = m_slot->spool;
    }
    TableRows rows;
    QString error;
    if (spool && page < spool->wholePages() && spool->readWholePage(page, &rows, &error)) {
        Q_EMIT pageFetched(generation, page, rows, 0);
        return;
    }
    Q_EMIT pageWanted(generation, page); // the QueryReader sends it, or says why it cannot
}

} // namespace Sluice
