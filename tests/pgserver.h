#pragma once

// A real PostgreSQL 15 server for one test: a cluster made by initdb in a temporary folder
// (copied from a template made once per machine in /dev/shm, which saves initdb's seconds),
// started with pg_ctl on a free loopback port, its socket in the folder, fsync off. As root it
// runs as user postgres through runuser, with the folder owned by postgres (postgres refuses
// root). Stopped and removed when destroyed. Local socket connections are trusted; TCP
// connections need a password (scram-sha-256), except the superuser postgres.

#include <memory>

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

class PgServer
{
public:
    PgServer();
    ~PgServer();
    PgServer(const PgServer &) = delete;
    PgServer &operator=(const PgServer &) = delete;

    // Why the server did not start (binaries missing, initdb or pg_ctl failed); empty: running.
    QString errorString() const { return m_error; }
    bool isRunning() const { return m_error.isEmpty() && m_port != 0; }

    quint16 port() const { return m_port; }
    QString socketDir() const; // the folder of the server's Unix socket

    // Runs SQL as the superuser through psql on the socket; false (with errorString) on failure.
    bool psql(const QString &sql, const QString &database = QStringLiteral("postgres"));
    // A login role with a password, and a database it owns.
    bool createUser(const QString &user, const QString &password);
    bool createDatabase(const QString &database, const QString &owner);
    // A fresh database owned by user "sluice" (password "sluice-test"), made on first call, and
    // its URL over TCP with the password.
    QString url(const QString &database = QStringLiteral("sluice"));

    // SIGKILL to the postmaster: the server dies as on a crash (its backends follow).
    void kill();
    // Starts it again on the same port and data.
    bool start();

private:
    QStringList asPostgres(const QString &program, const QStringList &arguments) const;
    bool runTool(const QString &program, const QStringList &arguments, int timeoutMs = 60000);
    bool makeTemplate(const QString &templateDir);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_data;
    quint16 m_port = 0;
    QString m_error;
    QStringList m_databases;
};
