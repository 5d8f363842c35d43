#include "sources/httpfetcher.h"

#include <climits>
#include <cmath>
#include <functional>
#include <memory>

#include <QDeadlineTimer>
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

    bool isRedirect(int status)
    {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    bool isHttpUrl(const QUrl &url)
    {
        return url.isValid() && !url.host().isEmpty()
            && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
    }

    // One request and its response, without following redirects.
    struct Exchange
    {
        std::unique_ptr<QNetworkReply> reply;
        bool timedOut = false;
        bool cancelled = false;
        bool tooLarge = false;
    };

    // Sends the message to url and waits, on a local event loop, until the response is complete,
    // the deadline passes, isCancelled() says so (polled every pollMs) or the body grows past
    // maxBody.
    Exchange exchange(QNetworkAccessManager *network, const QUrl &url, const HttpMessage &message,
        const QDeadlineTimer &deadline, const std::function<bool()> &isCancelled, int pollMs,
        qint64 maxBody)
    {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::UserAgentHeader, HttpFetcher::userAgent());
        request.setRawHeader("Accept", "application/json");
        for (const auto &[name, value] : message.headers)
            request.setRawHeader(name, value);
        // HttpFetcher::get() follows redirects itself: Qt's own following sends some requests
        // twice, and would not let it name, count or log each hop.
        request.setAttribute(
            QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        Exchange done;
        // Deleted by the caller, after finished() has returned: never inside a signal of its own.
        if (message.method == "GET" && message.body.isEmpty())
            done.reply.reset(network->get(request));
        else
            done.reply.reset(network->sendCustomRequest(request, message.method, message.body));
        QNetworkReply *reply = done.reply.get();

        QEventLoop loop;
        QTimer timeout;
        timeout.setSingleShot(true);
        timeout.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early
        QObject::connect(&timeout, &QTimer::timeout, &loop, [&] {
            done.timedOut = true;
            reply->abort();
        });
        QTimer poll;
        poll.setInterval(pollMs);
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (isCancelled()) {
                done.cancelled = true;
                reply->abort();
            }
        });
        QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
            if (reply->bytesAvailable() > maxBody) {
                done.tooLarge = true;
                reply->abort();
            }
        });
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        timeout.start(std::max<qint64>(0, deadline.remainingTime()));
        if (isCancelled)
            poll.start();
        if (!reply->isFinished())
            loop.exec(QEventLoop::ExcludeUserInputEvents);
        return done;
    }

} // namespace

bool FetchFailure::isTransient() const
{
    switch (kind) {
    case Kind::TimedOut:
    case Kind::Network:
        return true;
    case Kind::HttpStatus:
        if (httpStatus == 418)
            return retryAfter.has_value();
        return httpStatus == 408 || httpStatus == 425 || httpStatus == 429
            || (httpStatus >= 500 && httpStatus <= 599);
    case Kind::None:
    case Kind::Cancelled:
    case Kind::InvalidResponse:
    case Kind::InvalidRequest:
    case Kind::Tls:
    case Kind::Redirect:
        return false;
    }
    return false;
}

ErrorCode FetchFailure::errorCode() const
{
    if (kind == Kind::Cancelled)
        return ErrorCode::Cancelled;
    return isTransient() ? ErrorCode::Transient : ErrorCode::Permanent;
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

QString HttpFetcher::where(const QUrl &url, const QByteArray &method)
{
    return QString::fromLatin1(method) + QLatin1Char(' ') + url.toDisplayString();
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
    return Error{ what, where(url, m_method), m_failure.errorCode() };
}

Error HttpFetcher::invalidResponse(const QUrl &url, const QString &problem)
{
    m_failure = {};
    m_failure.httpStatus = m_lastStatus;
    const QString status = statusText(m_lastStatus, m_lastReason);
    if (m_lastFinalUrl.isValid() && m_lastFinalUrl != url)
        return fail(FetchFailure::Kind::InvalidResponse, url,
            tr("%1 (%2 from %3, where the request was redirected)")
                .arg(problem, status, m_lastFinalUrl.toDisplayString()));
    return fail(FetchFailure::Kind::InvalidResponse, url, tr("%1 (%2)").arg(problem, status));
}

Error HttpFetcher::invalidRequest(const QUrl &url, const QString &problem)
{
    m_failure = {};
    return fail(FetchFailure::Kind::InvalidRequest, url, problem);
}

Result<JsonResponse> HttpFetcher::fetchJson(const JsonRequest &request)
{
    const QUrl url = request.url.isValid() ? request.url : endpoint(request.path, request.query);
    const Result<QByteArray> body = send(url, request.message, request.maxBodyBytes);
    if (!body)
        return body.error();
    bool elementFailed = false;
    const JsonReader::ElementFunction element = [&](qsizetype index, const JsonNode &node) {
        Result<void> ok = request.onElement(index, node);
        elementFailed = !ok;
        return ok;
    };
    Result<JsonNode> document =
        request.rows ? JsonReader::read(*body, *request.rows, element) : JsonReader::read(*body);
    if (!document && elementFailed)
        return document.error(); // the element function's own, naming its row
    if (!document)
        return invalidResponse(url, document.error().what);
    return JsonResponse{ url, std::move(*document) };
}

QString HttpFetcher::tooLargeText(qint64 maxBodyBytes, const QString &status)
{
    constexpr qint64 mb = 1024 * 1024;
    if (maxBodyBytes >= mb && maxBodyBytes % mb == 0)
        return tr("response larger than %1 MB (%2)").arg(maxBodyBytes / mb).arg(status);
    return tr("response larger than %n byte(s) (%1)", nullptr,
        int(std::min<qint64>(maxBodyBytes, INT_MAX)))
        .arg(status);
}

Result<QByteArray> HttpFetcher::get(const QUrl &url, qint64 maxBodyBytes)
{
    return send(url, HttpMessage{}, maxBodyBytes);
}

Result<QByteArray> HttpFetcher::send(
    const QUrl &url, const HttpMessage &original, qint64 maxBodyBytes)
{
    using Kind = FetchFailure::Kind;
    HttpMessage message = original;
    m_method = message.method;
    m_failure = {};
    m_lastStatus = 0;
    m_lastReason.clear();
    m_lastFinalUrl = url;

    if (!m_network)
        return invalidRequest(url, tr("no network access manager"));
    if (QThread::currentThread() != m_network->thread())
        return invalidRequest(
            url, tr("called on a thread other than its network access manager's"));
    if (!isHttpUrl(url))
        return invalidRequest(url, tr("not an http:// or https:// URL"));
    if (const Result<QNetworkProxy> proxy = SourceProxyFactory(m_options.proxy).proxyFor(url);
        !proxy)
        return invalidRequest(
            url, tr("unusable proxy %1: %2").arg(proxy.error().where, proxy.error().what));
    if (m_options.isCancelled && m_options.isCancelled())
        return fail(Kind::Cancelled, url, tr("cancelled"));

    // Set for each request: another client on this thread's manager may have set its own.
    m_network->setProxyFactory(new SourceProxyFactory(m_options.proxy));
    // One deadline for the request and every redirect after it.
    const int timeoutSeconds = std::max(1, m_options.timeoutSeconds);
    const QDeadlineTimer deadline(std::chrono::seconds(timeoutSeconds), Qt::PreciseTimer);
    QUrl target = url;
    for (int hops = 0;; ++hops) {
        const Exchange done = exchange(m_network, target, message, deadline, m_options.isCancelled,
            CancelPollMs, maxBodyBytes);
        QNetworkReply *reply = done.reply.get();
        const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        m_lastStatus = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
        m_lastReason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        m_lastFinalUrl = target;
        m_failure = {};
        m_failure.httpStatus = m_lastStatus;
        const QString status = m_lastStatus ? statusText(m_lastStatus, m_lastReason) : QString();
        const QByteArray retryAfterHeader = reply->rawHeader("Retry-After");
        if (!retryAfterHeader.isEmpty())
            m_failure.retryAfter = parseRetryAfter(retryAfterHeader);

        // A failure after a redirect names the URL that failed, not only the one requested.
        const auto failAt = [&](Kind kind, const QString &what) {
            if (target != url)
                return fail(
                    kind, url, tr("redirected to %1: %2").arg(target.toDisplayString(), what));
            return fail(kind, url, what);
        };

        if (done.cancelled)
            return fail(Kind::Cancelled, url, tr("cancelled"));
        if (done.timedOut) {
            if (m_lastStatus)
                return failAt(Kind::TimedOut,
                    tr("timed out after %n s (%1, body incomplete)", nullptr, timeoutSeconds)
                        .arg(status));
            return failAt(Kind::TimedOut, tr("timed out after %n s", nullptr, timeoutSeconds));
        }
        if (done.tooLarge)
            return failAt(Kind::InvalidResponse, tooLargeText(maxBodyBytes, status));

        const QByteArray location = reply->rawHeader("Location");
        if (isRedirect(m_lastStatus) && !location.isEmpty()) {
            const QUrl next = target.resolved(QUrl::fromEncoded(location.trimmed()));
            if (hops == MaxRedirects)
                return fail(Kind::Redirect, url,
                    tr("redirect loop: still redirected after %n hop(s), the last from %1 to %2",
                        nullptr, MaxRedirects)
                        .arg(target.toDisplayString(), next.toDisplayString()));
            if (!isHttpUrl(next))
                return failAt(Kind::Redirect,
                    tr("%1 to %2, which is not an http:// or https:// URL")
                        .arg(status, next.toDisplayString()));
            if (target.scheme() == QLatin1String("https") && next.scheme() == QLatin1String("http"))
                return failAt(Kind::Redirect,
                    tr("%1 to %2: refused, a redirect from https to http would drop the "
                       "encryption")
                        .arg(status, next.toDisplayString()));
            if (const Result<QNetworkProxy> proxy =
                    SourceProxyFactory(m_options.proxy).proxyFor(next);
                !proxy)
                return failAt(Kind::InvalidRequest,
                    tr("%1 to %2: unusable proxy %3: %4")
                        .arg(status, next.toDisplayString(), proxy.error().where,
                            proxy.error().what));
            if (m_options.warn && next.host().compare(target.host(), Qt::CaseInsensitive) != 0) {
                m_options.warn(tr("%1 redirects to another host, %2: %3")
                                   .arg(where(target), next.host(), next.toDisplayString()));
            }
            if (m_lastStatus == 303
                || ((m_lastStatus == 301 || m_lastStatus == 302) && message.method == "POST")) {
                message.method = QByteArrayLiteral("GET");
                message.body.clear();
            }
            target = next;
            continue;
        }

        if (m_lastStatus && (m_lastStatus < 200 || m_lastStatus > 299)) {
            QString what = status;
            if (m_failure.retryAfter)
                what = tr("%1, retry after %n s", nullptr, int(m_failure.retryAfter->count()))
                           .arg(status);
            const QString excerpt = bodyExcerpt(reply->readAll());
            if (!excerpt.isEmpty())
                what = tr("%1: %2").arg(what, excerpt);
            return failAt(Kind::HttpStatus, what);
        }

        if (reply->error() != QNetworkReply::NoError) {
            Kind kind = Kind::Network;
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
                kind = Kind::Tls;
                what = tr("TLS handshake failed: %1").arg(reply->errorString());
                break;
            default:
                what = reply->errorString();
                break;
            }
            if (m_lastStatus)
                what = tr("%1 (%2)").arg(what, status);
            return failAt(kind, what);
        }
        if (!m_lastStatus)
            return failAt(Kind::InvalidResponse, tr("no HTTP status in the response"));

        QByteArray body = reply->readAll();
        // exchange() checks the size on readyRead; this also covers a reply that finished
        // before its loop ran.
        if (body.size() > maxBodyBytes)
            return failAt(Kind::InvalidResponse, tooLargeText(maxBodyBytes, status));
        m_failure = {};
        return body;
    }
}

} // namespace Sluice
