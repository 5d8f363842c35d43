#pragma once

// Where the run store lives: `sqlite` (the data folder's runs.sqlite, the default) or a
// PostgreSQL URL, `postgresql://user[:password]@host[:port]/db[?sslmode=...]` as libpq reads
// it. Parsed strictly: an unknown parameter, a bad port or sslmode is an error naming it, never
// ignored. The password is kept apart and never shown: redacted() is what logs and errors print.

#include <QCoreApplication>
#include <QString>

#include "engine/result.h"

namespace Sluice {

class StoreUrl
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::StoreUrl)

public:
    enum class Kind { Sqlite, Postgres };

    static constexpr int DefaultPort = 5432;

    // "sqlite", or "postgresql://..." ("postgres://" too). where names the source in errors
    // ("--store", "SLUICE_STORE", "store.url").
    static Result<StoreUrl> parse(const QString &text, const QString &where = {});
    // Whether text is written as a PostgreSQL URL (its scheme is postgresql: or postgres:,
    // whatever follows): where a file path is also allowed, such a text is parsed as a URL.
    static bool isPostgresUrl(const QString &text);

    Kind kind() const { return m_kind; }
    bool isPostgres() const { return m_kind == Kind::Postgres; }

    QString user() const { return m_user; }
    QString password() const { return m_password; }
    bool hasPassword() const { return m_hasPassword; }
    void setPassword(const QString &password)
    {
        m_password = password;
        m_hasPassword = true;
    }
    // A host name or address, or a socket folder (starts with '/'); empty: libpq's default.
    QString host() const { return m_host; }
    int port() const { return m_port; }
    QString database() const { return m_database; }
    QString sslMode() const { return m_sslMode; } // empty: libpq's default (prefer)
    int connectTimeoutSeconds() const { return m_connectTimeout; }

    // The URL without its password ("postgresql://ann@db.example:5432/sluice"): safe to log.
    QString redacted() const;

    // libpq's keyword/value pairs for this URL (with the password when it has one), for
    // PQconnectdbParams; the values are passed as they are, never spliced into a string.
    QList<QPair<QByteArray, QByteArray>> connectionParameters() const;

    bool operator==(const StoreUrl &other) const = default;

private:
    Kind m_kind = Kind::Sqlite;
    QString m_user;
    QString m_password;
    bool m_hasPassword = false;
    QString m_host;
    int m_port = DefaultPort;
    QString m_database;
    QString m_sslMode;
    int m_connectTimeout = 10;
};

} // namespace Sluice
