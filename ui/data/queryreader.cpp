#include "data/queryreader.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include <QElapsedTimer>

#include <sqlite3.h>

#include "data/warehousereader.h"

namespace Sluice {

namespace {

    static_assert(QueryReader::PageSize == WarehouseReader::PageSize,
        "WarehouseTableModel pages both readers alike");

    constexpr int StaleCheckRows = 4096; // rows skipped between looks at the generation
    constexpr int CountSliceMs = 30; // counting yields to page reads this often
    constexpr qint64 SeekGapRows = 64 * QueryReader::PageSize; // farther ahead: seek, not step

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

    QVariant valueOf(sqlite3_stmt *statement, int column)
    {
        switch (sqlite3_column_type(statement, column)) {
        case SQLITE_INTEGER:
            return qlonglong(sqlite3_column_int64(statement, column));
        case SQLITE_FLOAT:
            return sqlite3_column_double(statement, column);
        case SQLITE_TEXT:
            return QString::fromUtf8(
                reinterpret_cast<const char *>(sqlite3_column_text(statement, column)),
                sqlite3_column_bytes(statement, column));
        case SQLITE_BLOB:
            return QByteArray(static_cast<const char *>(sqlite3_column_blob(statement, column)),
                sqlite3_column_bytes(statement, column));
        default:
            return QVariant();
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
    m_counter.reset();
}

void QueryReader::setBusyTimeout(int milliseconds)
{
    m_busyTimeoutMs = milliseconds;
    if (m_connection) {
        if (Result<sqlite3 *> db = m_connection->handle())
            sqlite3_busy_timeout(*db, m_busyTimeoutMs);
    }
}

Result<void> QueryReader::connectTo(const QString &path)
{
    if (m_connection && m_connection->path() == path)
        return {};
    close();
    m_connection.reset();
    Result<SqliteConnection> connection = SqliteConnection::open(
        path, QStringLiteral("sql-reader"), SqliteConnection::Mode::ReadOnly);
    if (!connection)
        return connection.error();
    Result<sqlite3 *> db = connection->handle();
    if (!db)
        return db.error();
    if (Result<void> bound = connection->bindInterrupter(m_interrupter); !bound)
        return bound.error();
    sqlite3_set_authorizer(*db, allowReading, &m_denied);
    sqlite3_busy_timeout(*db, m_busyTimeoutMs);
    m_connection = std::make_unique<SqliteConnection>(std::move(*connection));
    return {};
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
        failure.message = tr("The warehouse is locked: a flow or another program kept it locked "
                             "for more than %1 ms. Run the query again when it is done.")
                              .arg(m_busyTimeoutMs);
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
    // Reset both cursors: an interrupt stays pending while any statement is active.
    close();
    m_count = -1;
    Q_EMIT queryFailed(generation, failure);
    Q_EMIT failed(generation, failure.message);
}

bool QueryReader::prepare(int generation, const QByteArray &sql, SqliteStatement *statement)
{
    sqlite3 *db = *m_connection->handle();
    sqlite3_stmt *raw = nullptr;
    const char *tail = nullptr;
    m_denied = false;
    const int rc = sqlite3_prepare_v3(
        db, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, &tail);
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
    m_count = -1;
    m_counted = 0;
    m_cursorRow = 0;
    m_cursorDone = false;
    if (Result<void> connected = connectTo(query.path); !connected) {
        fail(generation, { QueryFailure::Kind::Error, -1, connected.error().message() });
        return;
    }
    m_sql = query.sql.toUtf8();
    if (!prepare(generation, m_sql, &m_cursor))
        return;
    sqlite3_stmt *statement = m_cursor.get();
    QList<TableColumn> columns;
    for (int i = 0; i < sqlite3_column_count(statement); ++i) {
        const char *type = sqlite3_column_decltype(statement, i);
        columns.append({ QString::fromUtf8(sqlite3_column_name(statement, i)),
            type ? QString::fromUtf8(type).toUpper() : QString() });
    }
    Q_EMIT opened(generation, columns, {}, {}, false);

    // Wrapped, the statement skips rows without computing them (OFFSET), so that a jump costs
    // a walk of the rows before it but not their values, and counts them without producing
    // them. A statement that cannot be wrapped (PRAGMA, EXPLAIN) is stepped as it is.
    QByteArray inner = sqlite3_sql(statement);
    while (!inner.isEmpty() && (inner.endsWith(';') || std::isspace(uchar(inner.back()))))
        inner.chop(1);
    m_seekable = false;
    if (SqliteStatement wrapped = prepareWrapped(
            "SELECT * FROM (\n" + inner + "\n) LIMIT -1 OFFSET ?1", columns.size())) {
        sqlite3_bind_int64(wrapped.get(), 1, 0);
        m_cursor = std::move(wrapped);
        m_seekable = true;
    }
    if (!readPages(generation, 0, 0) || m_count >= 0)
        return;
    m_countWrapped = false;
    if (m_seekable) {
        m_counter = prepareWrapped("SELECT COUNT(*) FROM (\n" + inner + "\n)", 1);
        m_countWrapped = bool(m_counter);
    }
    if (!m_counter && !prepare(generation, m_sql, &m_counter))
        return;
    QMetaObject::invokeMethod(
        this, [this, generation] { countSlice(generation); }, Qt::QueuedConnection);
}

SqliteStatement QueryReader::prepareWrapped(const QByteArray &sql, qsizetype columns)
{
    sqlite3 *db = *m_connection->handle();
    sqlite3_stmt *raw = nullptr;
    const char *tail = nullptr;
    m_denied = false;
    const int rc = sqlite3_prepare_v3(
        db, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    SqliteStatement statement(raw);
    if (rc != SQLITE_OK || !raw || m_denied || !onlyBlanks(tail, sql.constData() + sql.size())
        || sqlite3_column_count(raw) != columns || !sqlite3_stmt_readonly(raw))
        return nullptr;
    return statement;
}

void QueryReader::fetchPage(int generation, int page)
{
    if (isStale(generation) || generation != m_generation || !m_cursor)
        return;
    const qint64 first = qint64(page) * PageSize;
    if (first >= m_cursorRow)
        readPages(generation, page, page);
    else // behind the cursor: a restart costs a walk from the start, so read a few pages
        readPages(generation, std::max(0, page - BackwardPages + 1), page);
}

bool QueryReader::readPages(int generation, int firstPage, int lastPage)
{
    sqlite3_stmt *statement = m_cursor.get();
    const qint64 first = qint64(firstPage) * PageSize;
    qint64 skipped = 0; // rows stepped over (OFFSET or here) to reach the first page
    if (m_seekable && (first < m_cursorRow || first - m_cursorRow > SeekGapRows)) {
        sqlite3_reset(statement);
        sqlite3_bind_int64(statement, 1, first);
        skipped = first;
        m_cursorRow = first;
        m_cursorDone = false;
        m_cursorCounts = first == 0;
    } else if (first < m_cursorRow) {
        sqlite3_reset(statement);
        m_cursorRow = 0;
        m_cursorDone = false;
        m_cursorCounts = true;
    }
    auto step = [&]() -> bool {
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE) {
            m_cursorDone = true;
            return true;
        }
        fail(generation, failureOf(rc));
        return false;
    };
    while (m_cursorRow < first && !m_cursorDone) {
        if (!step())
            return false;
        ++skipped;
        if (!m_cursorDone && ++m_cursorRow % StaleCheckRows == 0 && isStale(generation)) {
            close(); // a newer statement comes; let go of this one's read transaction
            return false;
        }
    }
    const int columns = sqlite3_column_count(statement);
    for (int page = firstPage; page <= lastPage; ++page) {
        TableRows rows;
        while (rows.size() < PageSize && !m_cursorDone) {
            if (!step())
                return false;
            if (m_cursorDone)
                break;
            m_cursorCounts = true; // a row, then the end: the rows are counted
            QVariantList row;
            row.reserve(columns);
            for (int i = 0; i < columns; ++i)
                row << valueOf(statement, i);
            rows << row;
            ++m_cursorRow;
        }
        Q_EMIT pageFetched(generation, page, rows, std::exchange(skipped, 0));
    }
    if (m_cursorDone && m_cursorCounts && m_count < 0) {
        // The cursor saw the end: the count is known without the counting cursor.
        m_counter.reset();
        m_count = m_cursorRow;
        Q_EMIT counted(generation, m_count);
    }
    return true;
}

void QueryReader::countSlice(int generation)
{
    if (generation != m_generation || m_count >= 0 || !m_counter)
        return;
    if (isStale(generation)) {
        close(); // cancelled, or a newer statement comes
        return;
    }
    QElapsedTimer slice;
    slice.start();
    sqlite3_stmt *statement = m_counter.get();
    if (m_countWrapped) {
        // One step: SQLite counts without producing the rows (Cancel interrupts it).
        const int rc = sqlite3_step(statement);
        if (rc != SQLITE_ROW) {
            fail(generation, failureOf(rc));
            return;
        }
        m_count = sqlite3_column_int64(statement, 0);
        m_counter.reset();
        Q_EMIT counted(generation, m_count);
        return;
    }
    for (;;) {
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            fail(generation, failureOf(rc));
            return;
        }
        if (++m_counted % StaleCheckRows == 0) {
            if (isStale(generation)) {
                close();
                return;
            }
            if (slice.elapsed() >= CountSliceMs) {
                QMetaObject::invokeMethod(
                    this, [this, generation] { countSlice(generation); }, Qt::QueuedConnection);
                return;
            }
        }
    }
    m_counter.reset();
    m_count = m_counted;
    Q_EMIT counted(generation, m_count);
}

} // namespace Sluice
