#include "sources/httpfetcher.h"

#include <cmath>
#include <memory>

#include <QEventLoop>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThread>
#include <QTimer>

#include "sources/jsonreader.h"
#include "sources/sourceproxyfactory.h"

namespace Sluice {

namespace {

    struct ReasonPhrase
    {
        int status;
        const char *text;
    };

    // The standard phrases of the statuses the sources send (RFC 9110, 6585; 418 from RFC 2324
    // as Binance uses it for an IP ban). Not translated: they are protocol text.
    constexpr ReasonPhrase reasonPhrases[] = {
        { 400, "Bad Request" },
        { 401, "Unauthorized" },
        { 403, "Forbidden" },
        { 404, "Not Found" },
        { 405, "Method Not Allowed" },
        { 408, "Request Timeout" },
        { 410, "Gone" },
        { 418, "I'm a teapot" },
        { 425, "Too Early" },
        { 429, "Too Many Requests" },
        { 500, "Internal Server Error" },
        { 501, "Not Implemented" },
        { 502, "Bad Gateway" },
        { 503, "Service Unavailable" },
        { 504, "Gateway Timeout" },
        { 200, "OK" },
        { 203, "Non-Authoritative Information" },
        { 204, "No Content" },
        { 206, "Partial Content" },
    };

    // A short, single-line excerpt of an error body worth quoting: Binance's {"code":-1121,
    // "msg":"Invalid symbol."} gives its msg; plain text is quoted; HTML pages are skipped.
    QString bodyExcerpt(const QByteArray &body)
    {
        const QByteArray trimmed = body.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith('<'))
            return {};
        QString text;
        if (trimmed.startsWith('{')) {
            const Result<JsonNode> json = JsonReader::read(trimmed);
            if (json) {
                const JsonNode *message = json->member("msg");
                if (!message)
                    message = json->member("message");
                if (!message)
                    message = json->member("error");
                if (message && message->isString())
                    text = QString::fromUtf8(message->text);
            }
        }
        if (text.isEmpty())
            text = QString::fromUtf8(trimmed.left(400));
        text = text.simplified();
        text.removeIf([](QChar c) { return !c.isPrint(); });
        constexpr int limit = 160;
        if (text.size() > limit)
            text = text.left(limit - 1) + QChar(0x2026);
        return text;
    }

    std::optional<QDateTime> parseHttpDate(const QString &text)
    {
        // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete RFC 850 form "Sunday,
        // 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994". The weekday is
        // dropped: Qt would check it against a two-digit year read as 19xx.
        const QString simplified = text.simplified();
        const qsizetype comma = simplified.indexOf(QLatin1Char(','));
        const QString afterWeekday = comma >= 0 ? simplified.mid(comma + 1).trimmed()
                                                : simplified.section(QLatin1Char(' '), 1);
        static const char *const formats[] = { "dd MMM yyyy HH:mm:ss 'GMT'",
            "dd-MMM-yy HH:mm:ss 'GMT'", "MMM d HH:mm:ss yyyy" };
        const QLocale c = QLocale::c();
        for (const char *format : formats) {
            QDateTime parsed = c.toDateTime(afterWeekday, QString::fromLatin1(format));
            if (!parsed.isValid())
                continue;
            // Two-digit years are read as 19xx; HTTP means the nearest such year in the past.
            if (parsed.date().year() < 1970)
                parsed = parsed.addYears(100);
            return QDateTime(parsed.date(), parsed.time(), Qt::UTC);
        }
        return std::nullopt;
    }

} // namespace

bool FetchFailure::isTransient() const
{
    switch (kind) {
    case Kind::TimedOut:
    case Kind::Network:
        return true;
    case Kind::HttpStatus:
        return httpStatus == 408 || httpStatus == 418 || httpStatus == 425 || httpStatus == 429
            || httpStatus >= 500;
    case Kind::None:
    case Kind::Cancelled:
    case Kind::InvalidResponse:
    case Kind::InvalidRequest:
        return false;
    }
    return false;
}

HttpFetcher::HttpFetcher(QNetworkAccessManager *network, SourceOptions options)
    : m_network(network)
    , m_options(std::move(options))
{ }

QUrl HttpFetcher::endpoint(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_options.baseUrl;
    QString joined = url.path();
    while (joined.endsWith(QLatin1Char('/')))
        joined.chop(1);
    joined += path.startsWith(QLatin1Char('/')) ? path : QLatin1Char('/') + path;
    url.setPath(joined);
    url.setQuery(query);
    url.setFragment({});
    return url;
}

QString HttpFetcher::where(const QUrl &url)
{
    return QStringLiteral("GET ") + url.toDisplayString();
}

QString HttpFetcher::statusText(int status, const QString &serverReason)
{
    for (const ReasonPhrase &phrase : reasonPhrases) {
        if (phrase.status == status)
            return QStringLiteral("HTTP %1 %2").arg(status).arg(QLatin1String(phrase.text));
    }
    const QString reason = serverReason.simplified();
    if (!reason.isEmpty())
        return QStringLiteral("HTTP %1 %2").arg(status).arg(reason);
    return QStringLiteral("HTTP %1").arg(status);
}

std::optional<std::chrono::seconds> HttpFetcher::parseRetryAfter(
    const QByteArray &value, const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool isNumber = true;
    for (const char c : trimmed)
        isNumber = isNumber && c >= '0' && c <= '9';
    if (isNumber) {
        // More than a day is not a delay a client honours by waiting: cap it there.
        constexpr qint64 day = 24 * 3600;
        if (trimmed.size() > 6)
            return std::chrono::seconds(day);
        return std::chrono::seconds(std::min(trimmed.toLongLong(), day));
    }
    const std::optional<QDateTime> date = parseHttpDate(QString::fromLatin1(trimmed));
    if (!date)
        return std::nullopt;
    const qint64 ms = now.msecsTo(*date);
    if (ms <= 0)
        return std::chrono::seconds(0);
    return std::chrono::seconds((ms + 999) / 1000);
}

QByteArray HttpFetcher::userAgent()
{
    return QByteArrayLiteral("Sluice/" SLUICE_VERSION);
}

Error HttpFetcher::fail(FetchFailure::Kind kind, const QUrl &url, const QString &what)
{
    m_failure.kind = kind;
    return Error{ what, where(url) };
}

Error HttpFetcher::invalidResponse(const QUrl &url, const QString &problem)
{
    m_failure = {};
    m_failure.httpStatus = m_lastStatus;
    return fail(FetchFailure::Kind::InvalidResponse, url,
        tr("%1 (%2)").arg(problem, statusText(m_lastStatus, m_lastReason)));
}

Error HttpFetcher::invalidRequest(const QUrl &url, const QString &problem)
{
    m_failure = {};
    return fail(FetchFailure::Kind::InvalidRequest, url, problem);
}

Result<QByteArray> HttpFetcher::get(const QUrl &url)
{
    using Kind = FetchFailure::Kind;
    m_failure = {};
    m_lastStatus = 0;
    m_lastReason.clear();

    if (!m_network)
        return invalidRequest(url, tr("no network access manager"));
    if (QThread::currentThread() != m_network->thread())
        return invalidRequest(
            url, tr("called on a thread other than its network access manager's"));
    const QString scheme = url.scheme();
    if (!url.isValid() || url.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return invalidRequest(url, tr("not an http:// or https:// URL"));
    if (const Result<QNetworkProxy> proxy = SourceProxyFactory(m_options.proxy).proxyFor(url);
        !proxy)
        return invalidRequest(
            url, tr("unusable proxy %1: %2").arg(proxy.error().where, proxy.error().what));
    if (m_options.isCancelled && m_options.isCancelled())
        return fail(Kind::Cancelled, url, tr("cancelled"));

    // Set for each request: another client on this thread's manager may have set its own.
    m_network->setProxyFactory(new SourceProxyFactory(m_options.proxy));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    // Deleted here, after finished() has returned: never inside a signal of its own.
    const std::unique_ptr<QNetworkReply> reply(m_network->get(request));

    QEventLoop loop;
    bool timedOut = false;
    bool cancelled = false;
    bool tooLarge = false;
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        reply->abort();
    });
    QTimer poll;
    poll.setInterval(CancelPollMs);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (m_options.isCancelled()) {
            cancelled = true;
            reply->abort();
        }
    });
    QObject::connect(reply.get(), &QNetworkReply::readyRead, &loop, [&] {
        if (reply->bytesAvailable() > MaxBodyBytes) {
            tooLarge = true;
            reply->abort();
        }
    });
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    const int timeoutSeconds = std::max(1, m_options.timeoutSeconds);
    deadline.start(std::chrono::seconds(timeoutSeconds));
    if (m_options.isCancelled)
        poll.start();
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    deadline.stop();
    poll.stop();

    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    m_lastStatus = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
    m_lastReason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    m_failure.httpStatus = m_lastStatus;
    const QString status = m_lastStatus ? statusText(m_lastStatus, m_lastReason) : QString();
    const QByteArray retryAfterHeader = reply->rawHeader("Retry-After");
    if (!retryAfterHeader.isEmpty())
        m_failure.retryAfter = parseRetryAfter(retryAfterHeader);

    if (cancelled)
        return fail(Kind::Cancelled, url, tr("cancelled"));
    if (timedOut) {
        if (m_lastStatus)
            return fail(Kind::TimedOut, url,
                tr("timed out after %n s (%1, body incomplete)", nullptr, timeoutSeconds)
                    .arg(status));
        return fail(Kind::TimedOut, url, tr("timed out after %n s", nullptr, timeoutSeconds));
    }
    if (tooLarge)
        return fail(Kind::InvalidResponse, url,
            tr("response larger than %1 MB (%2)").arg(MaxBodyBytes / (1024 * 1024)).arg(status));

    if (m_lastStatus && (m_lastStatus < 200 || m_lastStatus > 299)) {
        QString what = status;
        if (m_failure.retryAfter)
            what =
                tr("%1, retry after %n s", nullptr, int(m_failure.retryAfter->count())).arg(status);
        const QString excerpt = bodyExcerpt(reply->readAll());
        if (!excerpt.isEmpty())
            what = tr("%1: %2").arg(what, excerpt);
        return fail(Kind::HttpStatus, url, what);
    }

    if (reply->error() != QNetworkReply::NoError) {
        QString what;
        switch (reply->error()) {
        case QNetworkReply::ConnectionRefusedError:
            what = tr("connection refused");
            break;
        case QNetworkReply::HostNotFoundError:
            what = tr("host not found");
            break;
        case QNetworkReply::RemoteHostClosedError:
            what = m_lastStatus
                ? tr("the server closed the connection before the response was complete")
                : tr("the server closed the connection without a response");
            break;
        case QNetworkReply::TimeoutError:
            what = tr("the connection timed out");
            break;
        case QNetworkReply::ProxyConnectionRefusedError:
            what = tr("the proxy refused the connection");
            break;
        case QNetworkReply::ProxyNotFoundError:
            what = tr("proxy host not found");
            break;
        case QNetworkReply::ProxyAuthenticationRequiredError:
            what = tr("the proxy requires authentication");
            break;
        case QNetworkReply::ProxyConnectionClosedError:
        case QNetworkReply::ProxyTimeoutError:
            what = tr("the proxy failed: %1").arg(reply->errorString());
            break;
        case QNetworkReply::SslHandshakeFailedError:
            what = tr("TLS handshake failed: %1").arg(reply->errorString());
            break;
        default:
            what = reply->errorString();
            break;
        }
        if (m_lastStatus)
            what = tr("%1 (%2)").arg(what, status);
        return fail(Kind::Network, url, what);
    }
    if (!m_lastStatus)
        return fail(Kind::InvalidResponse, url, tr("no HTTP status in the response"));

    m_failure = {};
    return reply->readAll();
}

} // namespace Sluice
