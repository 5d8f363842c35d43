#pragma once

// A QSqlDatabase connection owned by the thread that opened it: named uniquely
// ("sluice-<role>-<n>"), configured for WAL and a busy timeout, closed and removed when
// the object dies. Never hand one to another thread; open another there.

#include <memory>
#include <mutex>

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

#include "engine/result.h"

struct sqlite3;

namespace Sluice {

// Stops what a connection is running, from any thread (a Cancel button): sqlite3_interrupt()
// while the connection it is bound to is open, nothing before or after. Copies share one state.
class SqliteInterrupter
{
public:
    SqliteInterrupter();
    void interrupt() const;

private:
    friend class SqliteConnection;
    struct State
    {
        std::mutex mutex; // guards db against the connection closing
        sqlite3 *db = nullptr;
    };
    std::shared_ptr<State> m_state;
};

class SqliteConnection
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::SqliteConnection)

public:
    SqliteConnection() = default;
    SqliteConnection(SqliteConnection &&other) noexcept;
    SqliteConnection &operator=(SqliteConnection &&other) noexcept;
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;
    ~SqliteConnection();

    enum class Mode { ReadWrite, ReadOnly };
    // Opens (and for ReadWrite creates) the file; the error names the file and the cause.
    // ReadOnly opens with SQLITE_OPEN_READONLY and sets PRAGMA query_only.
    static Result<SqliteConnection> open(
        const QString &path, const QString &role, Mode mode = Mode::ReadWrite);

    QSqlDatabase database() const;
    QString name() const { return m_name; }
    QString path() const { return m_path; }
    bool isOpen() const { return !m_name.isEmpty(); }

    // The SQLite handle under the Qt driver (Debian's driver links the system libsqlite3), for
    // statements Qt cannot express (scripts of several statements, reused prepared
    // statements); owned by this connection.
    Result<sqlite3 *> handle() const;

    // From now until this connection closes, interrupter.interrupt() stops its statements.
    Result<void> bindInterrupter(const SqliteInterrupter &interrupter);

    // Runs one statement; the error names the file and quotes SQLite's message.
    Result<void> exec(const QString &sql) const;

    // "what: db's last message (SQLite error N)" at path: the error of a failed C API call.
    static Error sqliteError(sqlite3 *db, const QString &what, const QString &path);

    // How long a statement waits for another connection's lock.
    static constexpr int BusyTimeoutMs = 5000;

private:
    void close();
    Result<void> switchToWal() const;

    QString m_name;
    QString m_path;
    SqliteInterrupter m_interrupter; // bound to this connection while it is open
};

} // namespace Sluice
