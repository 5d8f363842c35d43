#pragma once

// A PostgreSQL connection of the run store, through Qt's QPSQL driver, owned by the thread that
// opened it (named "sluice-pg-<role>-<n>", closed and removed when the object dies), like
// SqliteConnection. When the server refuses, the error says why in words a user can act on: the
// server cannot be reached, the password or user is wrong, the database does not exist. That
// reason is read from libpq's SQLSTATE (PQERRORS_SQLSTATE), never from the message text.

#include <QCoreApplication>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include "engine/result.h"
#include "store/storeurl.h"

namespace Sluice {

// Why a connection to a PostgreSQL store failed.
enum class StoreFailure {
    None,
    Unreachable, // no server answered (down, wrong host or port, firewall, timeout)
    AccessDenied, // wrong password, unknown user, or pg_hba refuses (28000, 28P01)
    NoPassword, // the server asks for a password and none was given
    NoSuchDatabase, // 3D000
    NoDriver, // Qt's QPSQL driver is not installed
    Other, // any other refusal; the server's words are in the message
};

class PgConnection
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::PgConnection)

public:
    PgConnection() = default;
    PgConnection(PgConnection &&other) noexcept;
    PgConnection &operator=(PgConnection &&other) noexcept;
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;
    ~PgConnection();

    // Connects; on failure the error names the redacted URL and the reason, and failure (when
    // given) says which reason it is. Unreachable is Transient, the others Permanent.
    static Result<PgConnection> open(
        const StoreUrl &url, const QString &role, StoreFailure *failure = nullptr);

    // Asks libpq directly why a connection to url fails (StoreFailure::None: it connects).
    static StoreFailure diagnose(const StoreUrl &url, QString *serverMessage = nullptr);

    QSqlDatabase database() const;
    bool isOpen() const { return !m_name.isEmpty(); }
    const StoreUrl &url() const { return m_url; }

    // Runs one statement with its values bound in order; the error names the store and quotes
    // the server's message with its SQLSTATE. A statement with values is prepared on the server
    // once per connection and kept: its result is valid until the same statement runs again.
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &values = {}) const;
    // Each statement in its own exec; stops at the first error.
    Result<void> execAll(const QStringList &statements) const;

    // The error of a failed query on this connection, "what (SQLSTATE 23505)".
    Error queryError(const QSqlQuery &query, const QString &sql) const;
    // The SQLSTATE of a failed query ("23505"), empty when the driver gave none.
    static QString sqlState(const QSqlQuery &query);

private:
    void close();

    QString m_name;
    StoreUrl m_url;
    mutable QHash<QString, QSqlQuery> m_prepared; // by SQL text
};

} // namespace Sluice
