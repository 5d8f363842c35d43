#include "store/storeurl.h"

#include <QUrl>
#include <QUrlQuery>

#include "engine/displaytext.h"

namespace Sluice {

namespace {

    const QStringList SslModes = { QStringLiteral("disable"), QStringLiteral("allow"),
        QStringLiteral("prefer"), QStringLiteral("require"), QStringLiteral("verify-ca"),
        QStringLiteral("verify-full") };

    // Hostile input quoted in an error, escaped so that the error stays one line: tab and
    // newline too, which escapeControls() leaves for multi-line text.
    QString shown(const QString &text)
    {
        return escapeControls(text)
            .replace(QLatin1Char('\n'), QLatin1String("\\n"))
            .replace(QLatin1Char('\t'), QLatin1String("\\t"));
    }

} // namespace

Result<StoreUrl> StoreUrl::parse(const QString &text, const QString &where)
{
    const QString trimmed = text.trimmed();
    const auto fail = [&where](const QString &what) {
        return Error{ what, where.isEmpty() ? tr("store URL") : where, ErrorCode::Permanent };
    };
    StoreUrl url;
    if (trimmed.isEmpty() || trimmed.compare(QLatin1String("sqlite"), Qt::CaseInsensitive) == 0)
        return url;

    const QString scheme = trimmed.section(QLatin1Char(':'), 0, 0).toLower();
    if (scheme != QLatin1String("postgresql") && scheme != QLatin1String("postgres")) {
        // Only the scheme is quoted: the rest may hold a password.
        return fail(tr("\"%1\" is not a store: use sqlite or "
                       "postgresql://user@host[:port]/database")
                        .arg(shown(trimmed.contains(QLatin1Char(':')) ? scheme + QLatin1Char(':')
                                                                      : trimmed.left(40))));
    }
    for (const QChar c : trimmed) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == QLatin1Char(' '))
            return fail(tr("the URL has a space or control character (write it as %20)"));
    }
    const QUrl parsed(trimmed, QUrl::StrictMode);
    if (!parsed.isValid())
        // QUrl's own message quotes the whole URL, password and all: not shown.
        return fail(tr("not a valid URL: check the host and port, and write @ : / # ? in the "
                       "user or password as %40 %3A %2F %23 %3F"));
    if (parsed.hasFragment())
        return fail(tr("a store URL has no #fragment"));

    url.m_kind = Kind::Postgres;
    url.m_user = parsed.userName(QUrl::FullyDecoded);
    if (!parsed.password(QUrl::FullyDecoded).isNull()) {
        url.m_password = parsed.password(QUrl::FullyDecoded);
        url.m_hasPassword = true;
    }
    url.m_host = parsed.host(QUrl::FullyDecoded);
    if (parsed.port() != -1) {
        if (parsed.port() < 1 || parsed.port() > 65535)
            return fail(tr("port %1 is not from 1 to 65535").arg(parsed.port()));
        url.m_port = parsed.port();
    }
    QString path = parsed.path(QUrl::FullyDecoded);
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (path.isEmpty())
        return fail(tr("the URL names no database: add /DATABASE after the host"));
    if (path.contains(QLatin1Char('/'))) {
        // An unencoded / in a password moves the rest of it, and the @, into the path: such
        // a path is not quoted.
        if (path.contains(QLatin1Char('@')))
            return fail(tr("the path after the host is more than a database name: write @ : / "
                           "# ? in the user or password as %40 %3A %2F %23 %3F"));
        return fail(tr("\"%1\" is not a database name").arg(shown(path)));
    }
    url.m_database = path;

    const QUrlQuery query(parsed);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("sslmode")) {
            if (!SslModes.contains(value)) {
                return fail(tr("sslmode \"%1\" is not one of %2")
                                .arg(shown(value), SslModes.join(QStringLiteral(", "))));
            }
            url.m_sslMode = value;
        } else if (key == QLatin1String("connect_timeout")) {
            bool ok = false;
            const int seconds = value.toInt(&ok);
            if (!ok || seconds < 1 || seconds > 600)
                return fail(
                    tr("connect_timeout must be 1 to 600 seconds, not \"%1\"").arg(shown(value)));
            url.m_connectTimeout = seconds;
        } else if (key == QLatin1String("host")) {
            if (!value.startsWith(QLatin1Char('/')))
                return fail(tr("host= in the query must be a socket folder (starting with /)"));
            url.m_host = value;
        } else {
            return fail(tr("unknown parameter \"%1\" (known: sslmode, connect_timeout, host)")
                            .arg(shown(key)));
        }
    }
    if (url.m_host.isEmpty())
        return fail(tr("the URL names no host: postgresql://user@HOST/database"));
    return url;
}

bool StoreUrl::isPostgresUrl(const QString &text)
{
    const QString trimmed = text.trimmed();
    return trimmed.startsWith(QLatin1String("postgresql:"), Qt::CaseInsensitive)
        || trimmed.startsWith(QLatin1String("postgres:"), Qt::CaseInsensitive);
}

QString StoreUrl::redacted() const
{
    if (m_kind == Kind::Sqlite)
        return QStringLiteral("sqlite");
    const auto encoded = [](const QString &part) {
        return QString::fromLatin1(QUrl::toPercentEncoding(part));
    };
    const bool socket = m_host.startsWith(QLatin1Char('/'));
    QString text = QStringLiteral("postgresql://");
    if (!m_user.isEmpty())
        text += encoded(m_user) + QLatin1Char('@');
    // A socket folder goes in the query (as libpq reads it), after a placeholder host.
    if (socket)
        text += QStringLiteral("localhost");
    else if (m_host.contains(QLatin1Char(':')))
        text += QLatin1Char('[') + m_host + QLatin1Char(']');
    else
        text += encoded(m_host);
    text += QLatin1Char(':') + QString::number(m_port) + QLatin1Char('/') + encoded(m_database);
    QStringList query;
    if (socket)
        query.append(QStringLiteral("host=") + encoded(m_host));
    if (!m_sslMode.isEmpty())
        query.append(QStringLiteral("sslmode=") + m_sslMode);
    if (!query.isEmpty())
        text += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return text;
}

QList<QPair<QByteArray, QByteArray>> StoreUrl::connectionParameters() const
{
    QList<QPair<QByteArray, QByteArray>> params;
    const auto add = [&params](const char *key, const QByteArray &value) {
        params.append(qMakePair(QByteArray(key), value));
    };
    add("host", m_host.toUtf8());
    add("port", QByteArray::number(m_port));
    add("dbname", m_database.toUtf8());
    if (!m_user.isEmpty())
        add("user", m_user.toUtf8());
    if (m_hasPassword)
        add("password", m_password.toUtf8());
    if (!m_sslMode.isEmpty())
        add("sslmode", m_sslMode.toUtf8());
    add("connect_timeout", QByteArray::number(m_connectTimeout));
    add("application_name", "sluice");
    return params;
}

} // namespace Sluice
