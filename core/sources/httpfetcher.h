#pragma once

// One blocking HTTP GET at a time for the source clients, on the calling thread: a flow task's
// pool thread, never the GUI thread. It waits on a local QEventLoop over the QNetworkAccessManager
// of that thread, with a whole-request timeout, a cancellation check and the source proxy, and
// turns every failure into an Error naming the URL and the HTTP status.

#include <chrono>
#include <functional>
#include <optional>

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include "engine/result.h"
#include "sources/jsonpointer.h"
#include "sources/jsonreader.h"

class QNetworkAccessManager;

namespace Sluice {

struct JsonRequest;
struct JsonResponse;

// What goes out besides the URL.
struct HttpMessage
{
    QByteArray method = QByteArrayLiteral("GET");
    QList<std::pair<QByteArray, QByteArray>>
        headers; // after User-Agent and Accept: may replace them
    QByteArray body;
};

// What a client needs to reach one source; copied from Settings on the GUI thread.
struct SourceOptions
{
    QUrl baseUrl; // Settings::binanceUrl() / mempoolUrl(); may carry a path prefix
    QUrl proxy; // Settings::proxy(); empty: https_proxy/http_proxy/all_proxy
    int timeoutSeconds = 30; // Settings::timeoutSeconds(): each request, connect to last byte
    // Polled every 50 ms while a request runs (and before each one): true aborts the request
    // and the call fails with "cancelled". May be empty. Called on the fetching thread.
    std::function<bool()> isCancelled;
    // Told what a user should know of a request that did not fail, such as a redirect to
    // another host. May be empty. Called on the fetching thread.
    std::function<void(const QString &)> warn;
};

// Why the last call failed, beyond its message: lets the engine's retry decide whether and when
// to try again.
struct FetchFailure
{
    enum class Kind {
        None, // the last call succeeded
        Cancelled, // isCancelled() said so
        TimedOut, // no complete response within timeoutSeconds
        Network, // connection refused, host not found, closed mid-response, proxy, TLS
        HttpStatus, // the server answered with a status outside 2xx
        InvalidResponse, // a 2xx response whose body is not what the API documents
        InvalidRequest, // a bad base URL, proxy URL or argument: nothing was sent
        Tls, // the TLS handshake failed: no certificate the system trusts, not TLS at all
        Redirect, // a redirect loop (more than MaxRedirects), or a redirect from https to http
    };

    Kind kind = Kind::None;
    int httpStatus = 0; // 0 when no status was received
    // From a Retry-After header (seconds or HTTP-date, never negative), on any status; Binance
    // sends it with 429 and 418 and expects the client to wait that long.
    std::optional<std::chrono::seconds> retryAfter;

    // Worth trying again later: timeouts, network failures (connection refused and host not
    // found included: a laptop may be offline for a while), 408, 425, 429 and 5xx, and 418
    // only with a Retry-After (Binance's IP ban after ignored 429s: asking again before it
    // ends makes the ban longer). Not: cancelled, other 4xx, invalid responses, invalid
    // requests, TLS failures, redirect loops.
    bool isTransient() const;
    // What the Error of this failure carries: Transient, Permanent, or Cancelled.
    ErrorCode errorCode() const;
};

class HttpFetcher
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::HttpFetcher)

public:
    // network: the calling thread's manager (ThreadResources::network()); get() installs a
    // SourceProxyFactory for options.proxy on it. Both must be used on that thread only.
    HttpFetcher(QNetworkAccessManager *network, SourceOptions options);

    const SourceOptions &options() const { return m_options; }

    // baseUrl with path appended to its own path ("http://h/prefix" + "/api/v3/klines").
    QUrl endpoint(const QString &path, const QUrlQuery &query = {}) const;

    // The body of a 2xx response to GET url, or an Error whose where is "GET <url>" and whose
    // what names the status and the problem ("HTTP 429 Too Many Requests, retry after 30 s",
    // "timed out after 10 s", "connection refused"), and after a redirect the URL that failed
    // ("redirected to <url>: HTTP 404 Not Found"). Its code is Transient, Permanent or
    // Cancelled (FetchFailure::errorCode()). Redirects are followed up to MaxRedirects, only
    // to http:// and https:// URLs and never from https to http; one to another host is told
    // to options.warn. The timeout covers the request and its redirects. Blocks the calling
    // thread until done; lastFailure() tells more about an error.
    // A body larger than maxBodyBytes fails the call as an invalid response.
    Result<QByteArray> get(const QUrl &url, qint64 maxBodyBytes = MaxBodyBytes);

    // The same with another method, headers and a body: a redirect 303 (and 301/302 of a
    // POST, as browsers do) goes on as a GET without the body; 307 and 308 repeat the method
    // and the body. Errors name the method ("POST <url>").
    Result<QByteArray> send(const QUrl &url, const HttpMessage &message, qint64 maxBodyBytes);

    // The one way to call a JSON endpoint: send request.message to request.url, or to
    // endpoint(request.path, request.query) when it has none, then the body read by JsonReader
    // (elements of the array at request.rows handed to request.onElement, when it is set). Errors
    // are get()'s, and a body that is not JSON is invalidResponse() naming the URL and the parser's
    // problem (ErrorCode::Permanent). The response carries the URL, for the caller's own
    // invalidResponse() about the document.
    Result<JsonResponse> fetchJson(const JsonRequest &request);

    // An Error about the body of the last successful get() of url, which a client found
    // invalid: "<problem> (HTTP 200 OK)" at "GET <url>". Records an InvalidResponse failure.
    Error invalidResponse(const QUrl &url, const QString &problem);
    // An Error for a request refused before anything was sent; records InvalidRequest.
    Error invalidRequest(const QUrl &url, const QString &problem);

    const FetchFailure &lastFailure() const { return m_failure; }

    // "GET http://host/path?query", the where of every error.
    static QString where(const QUrl &url, const QByteArray &method = QByteArrayLiteral("GET"));
    // "HTTP 404 Not Found"; the standard reason phrase of known codes (HTTP/2 sends none),
    // else the server's, else just the code.
    static QString statusText(int status, const QString &serverReason = {});
    // A Retry-After value: delay seconds ("30") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00
    // GMT", also RFC 850 and asctime forms), as a delay from now, rounded up, at least 0.
    static std::optional<std::chrono::seconds> parseRetryAfter(
        const QByteArray &value, const QDateTime &now = QDateTime::currentDateTimeUtc());
    // "Sluice/0.1.0"
    static QByteArray userAgent();

    // A response body larger than this is refused (a kline page is ~150 KB).
    static constexpr qint64 MaxBodyBytes = 64 * 1024 * 1024;
    // How often isCancelled() is polled while a request runs.
    static constexpr int CancelPollMs = 50;
    // Redirects followed for one request; one more is a "redirect loop".
    static constexpr int MaxRedirects = 10;

private:
    static QString tooLargeText(qint64 maxBodyBytes, const QString &status);
    Error fail(FetchFailure::Kind kind, const QUrl &url, const QString &what);

    QNetworkAccessManager *m_network;
    SourceOptions m_options;
    FetchFailure m_failure;
    int m_lastStatus = 0;
    QString m_lastReason;
    QUrl m_lastFinalUrl; // where the last response came from, after redirects
    QByteArray m_method = QByteArrayLiteral("GET"); // of the last request, for where()
};

// A GET of a JSON API below SourceOptions::baseUrl.
struct JsonRequest
{
    explicit JsonRequest(QString path, QUrlQuery query = {})
        : path(std::move(path))
        , query(std::move(query))
    { }

    // A request to an absolute URL (an `http` flow step), not below SourceOptions::baseUrl.
    static JsonRequest to(const QUrl &url)
    {
        JsonRequest request{ QString() };
        request.url = url;
        return request;
    }

    QString path; // "/api/v3/klines", appended to the base URL's own path
    QUrlQuery query; // percent-encoded by QUrl: values may hold any text
    QUrl url; // when valid, the URL as it is, instead of the base URL, path and query
    HttpMessage message;
    qint64 maxBodyBytes = HttpFetcher::MaxBodyBytes; // a larger body fails the request
    // When set, the elements of this array go to onElement as they are read, and the
    // response's document holds it empty (JsonReader::read with a pointer).
    std::optional<JsonPointer> rows;
    JsonReader::ElementFunction onElement;
};

// What HttpFetcher::fetchJson() read.
struct JsonResponse
{
    QUrl url; // as requested, before any redirect: the URL errors about the document name
    JsonNode document;
};

} // namespace Sluice
