#include "store/pgconnection.h"

#include <atomic>

#include <poll.h>

#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>

#include <libpq-fe.h>

#include "engine/displaytext.h"

namespace Sluice {

namespace {

    std::atomic_int nextConnection{ 0 };

    // The SQLSTATE in a message libpq built with PQERRORS_SQLSTATE ("...failed: FATAL:  28P01"):
    // five characters of digits and capitals ending a line. Empty when the failure never
    // reached a server (a client-side error has no SQLSTATE).
    QString sqlStateIn(const QString &message)
    {
        static const QRegularExpression code(
            QStringLiteral(R"(:\s+([0-9A-Z]{5})\s*$)"), QRegularExpression::MultilineOption);
        const QRegularExpressionMatch match = code.match(message);
        return match.hasMatch() ? match.captured(1) : QString();
    }

    StoreFailure failureFor(const QString &state)
    {
        if (state.isEmpty())
            return StoreFailure::Unreachable;
        if (state == u"28000" || state == u"28P01")
            return StoreFailure::AccessDenied;
        if (state == u"3D000")
            return StoreFailure::NoSuchDatabase;
        if (state.startsWith(u"08") || state == u"57P03") // connection failure, starting up
            return StoreFailure::Unreachable;
        return StoreFailure::Other;
    }

} // namespace

PgConnection::PgConnection(PgConnection &&other) noexcept
    : m_name(std::exchange(other.m_name, QString()))
    , m_url(other.m_url)
    , m_prepared(std::exchange(other.m_prepared, {}))
{ }

PgConnection &PgConnection::operator=(PgConnection &&other) noexcept
{
    if (this != &other) {
        close();
        m_name = std::exchange(other.m_name, QString());
        m_url = other.m_url;
        m_prepared = std::exchange(other.m_prepared, {});
    }
    return *this;
}

PgConnection::~PgConnection()
{
    close();
}

void PgConnection::close()
{
    if (m_name.isEmpty())
        return;
    // The driver goes first: the session's end frees its prepared statements on the server,
    // and queries that outlive their driver do not send DEALLOCATE (which, on a connection the
    // server dropped, only fills stderr with "Unable to free statement").
    QHash<QString, QSqlQuery> prepared;
    prepared.swap(m_prepared);
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
    prepared.clear();
    m_name.clear();
}

StoreFailure PgConnection::diagnose(const StoreUrl &url, QString *serverMessage)
{
    const auto params = url.connectionParameters();
    QList<const char *> keys;
    QList<const char *> values;
    for (const auto &[key, value] : params) {
        keys.append(key.constData());
        values.append(value.constData());
    }
    keys.append(nullptr);
    values.append(nullptr);
    PGconn *conn = PQconnectStartParams(keys.constData(), values.constData(), 0);
    if (!conn)
        return StoreFailure::Other;
    PQsetErrorVerbosity(conn, PQERRORS_SQLSTATE);
    // Poll to the end; the socket waits are libpq's own (connect_timeout bounds them).
    PostgresPollingStatusType status = PGRES_POLLING_WRITING;
    while (PQstatus(conn) != CONNECTION_BAD && status != PGRES_POLLING_OK
        && status != PGRES_POLLING_FAILED) {
        const int socket = PQsocket(conn);
        if (socket < 0)
            break;
        // A plain blocking wait on the socket, bounded like the connection itself.
        pollfd wait{ socket, short(status == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0 };
        const int ready = ::poll(&wait, 1, url.connectTimeoutSeconds() * 1000);
        if (ready <= 0) {
            PQfinish(conn);
            if (serverMessage)
                *serverMessage =
                    tr("no answer in %n second(s)", nullptr, url.connectTimeoutSeconds());
            return StoreFailure::Unreachable;
        }
        status = PQconnectPoll(conn);
    }
    StoreFailure failure = StoreFailure::None;
    if (PQstatus(conn) != CONNECTION_OK) {
        const QString message = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        // libpq's own refusal to go on without a password carries no SQLSTATE.
        failure = PQconnectionNeedsPassword(conn) ? StoreFailure::NoPassword
                                                  : failureFor(sqlStateIn(message));
        if (serverMessage)
            *serverMessage = message;
    }
    PQfinish(conn);
    return failure;
}

Result<PgConnection> PgConnection::open(
    const StoreUrl &url, const QString &role, StoreFailure *failure)
{
    const auto fail = [&](StoreFailure why, const QString &what) {
        if (failure)
            *failure = why;
        return Error{ what, url.redacted(),
            why == StoreFailure::Unreachable ? ErrorCode::Transient : ErrorCode::Permanent };
    };
    if (failure)
        *failure = StoreFailure::None;
    if (!url.isPostgres())
        return fail(StoreFailure::Other, tr("not a PostgreSQL store URL"));
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        return fail(StoreFailure::NoDriver,
            tr("Qt's PostgreSQL driver (QPSQL) is not installed; on Debian install "
               "libqt6sql6-psql"));
    }
    PgConnection connection;
    connection.m_url = url;
    connection.m_name = QStringLiteral("sluice-pg-%1-%2").arg(role).arg(nextConnection++);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection.m_name);
    db.setHostName(url.host());
    db.setPort(url.port());
    db.setDatabaseName(url.database());
    db.setUserName(url.user());
    if (url.hasPassword())
        db.setPassword(url.password());
    QStringList options = { QStringLiteral("connect_timeout=%1").arg(url.connectTimeoutSeconds()),
        QStringLiteral("application_name=sluice") };
    if (!url.sslMode().isEmpty())
        options.append(QStringLiteral("sslmode=") + url.sslMode());
    db.setConnectOptions(options.join(QLatin1Char(';')));
    if (!db.open()) {
        const QString driverMessage = db.lastError().databaseText().trimmed();
        QString serverMessage;
        const StoreFailure why = diagnose(url, &serverMessage);
        switch (why) {
        case StoreFailure::Unreachable:
            return fail(why,
                tr("no PostgreSQL server answers at %1 port %2 (%3)")
                    .arg(url.host())
                    .arg(url.port())
                    .arg(driverMessage.section(QLatin1Char('\n'), 0, 0)));
        case StoreFailure::AccessDenied:
            return fail(why,
                tr("the server refused user \"%1\": wrong password, unknown user, or not "
                   "allowed by pg_hba.conf (give the password in the URL, the credential "
                   "store or PGPASSFILE)")
                    .arg(url.user()));
        case StoreFailure::NoPassword:
            return fail(why,
                tr("the server asks for the password of user \"%1\" and none was given: put it "
                   "in the URL, keep it with \"sluice config set-password store\", or in "
                   "PGPASSFILE")
                    .arg(url.user()));
        case StoreFailure::NoSuchDatabase:
            return fail(why,
                tr("the database \"%1\" does not exist on the server; create it first "
                   "(createdb %1)")
                    .arg(url.database()));
        case StoreFailure::None: // connected on the second try: go on with a new open
            if (db.open())
                return connection;
            Q_FALLTHROUGH();
        default:
            return fail(StoreFailure::Other,
                tr("cannot connect: %1")
                    .arg(driverMessage.isEmpty() ? serverMessage : driverMessage));
        }
    }
    return connection;
}

QSqlDatabase PgConnection::database() const
{
    return QSqlDatabase::database(m_name, false);
}

QString PgConnection::sqlState(const QSqlQuery &query)
{
    return query.lastError().nativeErrorCode();
}

Error PgConnection::queryError(const QSqlQuery &query, const QString &sql) const
{
    const QSqlError error = query.lastError();
    const QString state = error.nativeErrorCode();
    // A lost connection is worth trying again on a new one.
    const bool lost = error.type() == QSqlError::ConnectionError || state.startsWith(u"08")
        || state == u"57P01" || state == u"57P02" || state == u"57P03";
    // The driver's text ends with the SQLSTATE in brackets already. libpq's own texts span
    // lines ("server closed the connection unexpectedly\n\tThis probably means..."): one line
    // here, with anything else the server sent escaped, for the log.
    const QString what =
        tr("PostgreSQL error in \"%1\": %2")
            .arg(sql.simplified().left(80), escapeControls(error.databaseText().simplified()));
    return Error{ what, m_url.redacted(), lost ? ErrorCode::Transient : ErrorCode::Unspecified };
}

Result<QSqlQuery> PgConnection::exec(const QString &sql, const QVariantList &values) const
{
    if (values.isEmpty()) {
        QSqlQuery query(database());
        if (!query.exec(sql))
            return queryError(query, sql);
        return query;
    }
    auto cached = m_prepared.find(sql);
    if (cached == m_prepared.end()) {
        QSqlQuery query(database());
        if (!query.prepare(sql))
            return queryError(query, sql);
        cached = m_prepared.insert(sql, query);
    }
    QSqlQuery &query = *cached;
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    if (!query.exec()) {
        const Error error = queryError(query, sql);
        m_prepared.erase(cached); // prepared again next time (the connection may be new)
        return error;
    }
    return query;
}

Result<void> PgConnection::execAll(const QStringList &statements) const
{
    for (const QString &sql : statements) {
        Result<QSqlQuery> done = exec(sql);
        if (!done)
            return done.error();
    }
    return {};
}

} // namespace Sluice
