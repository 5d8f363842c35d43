#include "storage/sqliteconnection.h"

#include <atomic>
#include <utility>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <sqlite3.h>

namespace Sluice {

namespace {
    std::atomic<int> s_connectionCounter{ 0 };
} // namespace

SqliteInterrupter::SqliteInterrupter()
    : m_state(std::make_shared<State>())
{ }

void SqliteInterrupter::interrupt() const
{
    std::lock_guard lock(m_state->mutex);
    if (m_state->db)
        sqlite3_interrupt(m_state->db);
}

SqliteConnection::SqliteConnection(SqliteConnection &&other) noexcept
    : m_name(std::exchange(other.m_name, QString()))
    , m_path(std::exchange(other.m_path, QString()))
    , m_interrupter(std::exchange(other.m_interrupter, SqliteInterrupter()))
{ }

SqliteConnection &SqliteConnection::operator=(SqliteConnection &&other) noexcept
{
    if (this != &other) {
        close();
        m_name = std::exchange(other.m_name, QString());
        m_path = std::exchange(other.m_path, QString());
        m_interrupter = std::exchange(other.m_interrupter, SqliteInterrupter());
    }
    return *this;
}

SqliteConnection::~SqliteConnection()
{
    close();
}

void SqliteConnection::close()
{
    if (m_name.isEmpty())
        return;
    {
        std::lock_guard lock(m_interrupter.m_state->mutex);
        m_interrupter.m_state->db = nullptr;
    }
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
    m_name.clear();
}

Result<SqliteConnection> SqliteConnection::open(const QString &path, const QString &role, Mode mode)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        return Error{
            tr("the Qt SQLite driver is not installed (Debian package libqt6sql6-sqlite)"), path
        };
    }
    SqliteConnection connection;
    connection.m_name = QStringLiteral("sluice-%1-%2").arg(role).arg(++s_connectionCounter);
    connection.m_path = path;
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection.m_name);
    db.setDatabaseName(path);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(BusyTimeoutMs);
    if (mode == Mode::ReadOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    db.setConnectOptions(options);
    if (!db.open())
        return Error{ tr("cannot open the database: %1").arg(db.lastError().text()), path };

    // The first statement reads the header: a file that is not SQLite fails here.
    if (mode == Mode::ReadWrite) {
        if (Result<void> ok = connection.switchToWal(); !ok)
            return ok.error();
        if (Result<void> ok = connection.exec(QStringLiteral("PRAGMA synchronous=NORMAL")); !ok)
            return ok.error();
    } else if (Result<void> ok = connection.exec(QStringLiteral("PRAGMA schema_version")); !ok) {
        return ok.error();
    } else if (Result<void> only = connection.exec(QStringLiteral("PRAGMA query_only=1")); !only) {
        return only.error();
    }
    return connection;
}

QSqlDatabase SqliteConnection::database() const
{
    return QSqlDatabase::database(m_name, false);
}

Result<void> SqliteConnection::switchToWal() const
{
    // Changing the journal mode needs the file to itself for a moment. When other connections
    // open the same file at that instant, SQLite answers SQLITE_BUSY/LOCKED at once instead of
    // waiting out the busy timeout, so wait here, as long as the busy timeout would.
    const QString sql = QStringLiteral("PRAGMA journal_mode=WAL");
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        QSqlQuery query(database());
        if (query.exec(sql))
            return {};
        const QString code = query.lastError().nativeErrorCode();
        const bool busy = code == u"5" || code == u"6";
        if (!busy || waited.elapsed() > BusyTimeoutMs)
            return Error{ tr("SQLite error in \"%1\": %2").arg(sql, query.lastError().text()),
                m_path };
        QThread::msleep(10);
    }
}

Result<void> SqliteConnection::bindInterrupter(const SqliteInterrupter &interrupter)
{
    Result<sqlite3 *> db = handle();
    if (!db)
        return db.error();
    {
        std::lock_guard lock(m_interrupter.m_state->mutex);
        m_interrupter.m_state->db = nullptr;
    }
    m_interrupter = interrupter;
    std::lock_guard lock(m_interrupter.m_state->mutex);
    m_interrupter.m_state->db = *db;
    return {};
}

Result<void> SqliteConnection::exec(const QString &sql) const
{
    QSqlQuery query(database());
    if (!query.exec(sql)) {
        return Error{ tr("SQLite error in \"%1\": %2").arg(sql.left(80), query.lastError().text()),
            m_path };
    }
    return {};
}

Result<sqlite3 *> SqliteConnection::handle() const
{
    const QVariant handle = database().driver()->handle();
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0
        || !*static_cast<sqlite3 *const *>(handle.constData()))
        return Error{ tr("the Qt SQLite driver gives no SQLite handle"), m_path };
    return *static_cast<sqlite3 *const *>(handle.constData());
}

Error SqliteConnection::sqliteError(sqlite3 *db, const QString &what, const QString &path)
{
    return Error{ tr("%1: %2 (SQLite error %3)")
                      .arg(what, QString::fromUtf8(sqlite3_errmsg(db)))
                      .arg(sqlite3_extended_errcode(db)),
        path };
}

} // namespace Sluice
