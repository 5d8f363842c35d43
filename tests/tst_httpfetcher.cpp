// HttpFetcher, the one HTTP client of every source and of the http flow step, over real HTTP on
// loopback: JSON endpoints below a base URL, absolute URLs with a method, headers and a body,
// redirects of a POST, and arrays streamed element by element with their errors.

#include <memory>

#include <QtTest>

#include "httpfixture.h"
#include "sources/httpfetcher.h"

using namespace Sluice;

namespace {

// The message of a failed result, for QVERIFY2 (which evaluates its message even on success).
template <typename T> QByteArray failure(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message().toUtf8();
}

} // namespace

class TestHttpFetcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void fetchJson();
    void fetchJsonFailures_data();
    void fetchJsonFailures();
    void postWithHeadersAndBody();
    void redirectsOfAPost_data();
    void redirectsOfAPost();
    void streamedRows();
    void streamedRowsErrors();

private:
    SourceOptions options() const;

    std::unique_ptr<HttpFixture> m_server;
};

void TestHttpFetcher::init()
{
    m_server = std::make_unique<HttpFixture>();
    QVERIFY(m_server->listen());
}

void TestHttpFetcher::cleanup()
{
    m_server.reset();
}

SourceOptions TestHttpFetcher::options() const
{
    SourceOptions options;
    options.baseUrl = m_server->url();
    options.timeoutSeconds = 10;
    return options;
}

void TestHttpFetcher::fetchJson()
{
    // The one JSON call of every client: base path + path + query, GET, parse.
    m_server->route(
        QStringLiteral("/mirror/api/v2/things"), HttpFixture::Response::json(R"({"a":[1,2.50]})"));
    SourceOptions options = this->options();
    options.baseUrl = QUrl(m_server->url().toString() + QStringLiteral("/mirror/"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("name"), QStringLiteral("a b&c=d#é"));
    struct Got
    {
        Result<JsonResponse> response;
        QUrl endpoint;
    };
    const std::optional<Got> got = runOnWorkerThread<Got>([=](QNetworkAccessManager *network) {
        HttpFetcher fetcher(network, options);
        const JsonRequest request(QStringLiteral("/api/v2/things"), query);
        return Got{ fetcher.fetchJson(request), fetcher.endpoint(request.path, request.query) };
    });
    QVERIFY(got);
    QVERIFY2(got->response, failure(got->response).constData());
    QCOMPARE(got->response->url, got->endpoint);
    const JsonNode *a = got->response->document.member("a");
    QVERIFY(a && a->isArray());
    QCOMPARE(a->items.size(), size_t(2));
    QCOMPARE(a->items[1].text, QByteArray("2.50"));
    const QList<HttpFixture::Request> requests = m_server->requests();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests[0].path, QStringLiteral("/mirror/api/v2/things"));
    // Hostile text in a value arrives as sent: percent-encoded, not split into more items.
    QCOMPARE(requests[0].query.queryItems(QUrl::FullyDecoded).size(), 1);
    QCOMPARE(requests[0].query.queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded),
        QStringLiteral("a b&c=d#é"));
}

void TestHttpFetcher::fetchJsonFailures_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("maxBodyBytes");
    QTest::addColumn<QString>("what");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("code");

    const qint64 standard = HttpFetcher::MaxBodyBytes;
    const int invalid = int(FetchFailure::Kind::InvalidResponse);
    const int httpStatus = int(FetchFailure::Kind::HttpStatus);
    const int permanent = int(ErrorCode::Permanent);
    QTest::newRow("not JSON") << QByteArray("<html>") << 200 << standard
                              << "invalid JSON at offset 0: expected a JSON value, found '<' "
                                 "(HTTP 200 OK)"
                              << invalid << permanent;
    QTest::newRow("truncated JSON")
        << QByteArray("{\"a\":") << 200 << standard
        << "invalid JSON at offset 5: unexpected end of data (HTTP 200 OK)" << invalid << permanent;
    QTest::newRow("empty body") << QByteArray() << 200 << standard
                                << "invalid JSON at offset 0: the document is empty (HTTP 200 OK)"
                                << invalid << permanent;
    QTest::newRow("over the limit")
        << QByteArray("[1,2,3,4,5,6,7,8]") << 200 << qint64(16)
        << "response larger than 16 byte(s) (HTTP 200 OK)" << invalid << permanent;
    QTest::newRow("at the limit") << QByteArray("[1,2,3,4,5,6,7]") << 200 << qint64(15) << QString()
                                  << 0 << 0;
    QTest::newRow("HTTP 404, the server's words")
        << QByteArray(R"({"msg":"no such thing"})") << 404 << standard
        << "HTTP 404 Not Found: no such thing" << httpStatus << permanent;
    QTest::newRow("HTTP 503") << QByteArray() << 503 << standard << "HTTP 503 Service Unavailable"
                              << httpStatus << int(ErrorCode::Transient);
}

void TestHttpFetcher::fetchJsonFailures()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(qint64, maxBodyBytes);
    QFETCH(QString, what);
    QFETCH(int, kind);
    QFETCH(int, code);
    m_server->route(QStringLiteral("/api/thing"), HttpFixture::Response::json(body, status));
    const SourceOptions options = this->options();
    struct Got
    {
        Result<JsonResponse> response;
        FetchFailure failure;
        QUrl endpoint;
    };
    const std::optional<Got> got = runOnWorkerThread<Got>([=](QNetworkAccessManager *network) {
        HttpFetcher fetcher(network, options);
        JsonRequest request(QStringLiteral("api/thing"));
        request.maxBodyBytes = maxBodyBytes;
        Result<JsonResponse> response = fetcher.fetchJson(request);
        return Got{ std::move(response), fetcher.lastFailure(), fetcher.endpoint(request.path) };
    });
    QVERIFY(got);
    QCOMPARE(int(got->failure.kind), kind);
    if (what.isEmpty()) {
        QVERIFY2(got->response, failure(got->response).constData());
        QCOMPARE(got->response->document.items.size(), size_t(7));
        return;
    }
    QVERIFY(!got->response);
    const Error &error = got->response.error();
    QCOMPARE(error.what, what);
    QCOMPARE(error.where, QStringLiteral("GET ") + got->endpoint.toDisplayString());
    QCOMPARE(int(error.code), code);
}

void TestHttpFetcher::postWithHeadersAndBody()
{
    m_server->route(QStringLiteral("/v1/query"), HttpFixture::Response::json(R"({"ok":true})"));
    const QUrl url(m_server->url().toString() + QStringLiteral("/v1/query?x=1"));
    const SourceOptions options = this->options();
    const std::optional<Result<JsonResponse>> got =
        runOnWorkerThread<Result<JsonResponse>>([=](QNetworkAccessManager *network) {
            HttpFetcher fetcher(network, options);
            JsonRequest request = JsonRequest::to(url);
            request.message.method = "POST";
            request.message.headers = { { "Content-Type", "application/json" },
                { "Authorization", "Bearer t0k3n" }, { "Accept", "application/vnd.x+json" } };
            request.message.body = R"({"q":"a\"b"})";
            return fetcher.fetchJson(request);
        });
    QVERIFY(got);
    QVERIFY2(*got, failure(*got).constData());
    QCOMPARE((*got)->url, url);
    const QList<HttpFixture::Request> requests = m_server->requests();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests[0].method, QByteArray("POST"));
    QCOMPARE(requests[0].queryValue(QStringLiteral("x")), QStringLiteral("1"));
    QCOMPARE(requests[0].header("authorization"), QByteArray("Bearer t0k3n"));
    QCOMPARE(requests[0].header("accept"), QByteArray("application/vnd.x+json"));
    QCOMPARE(requests[0].body, QByteArray(R"({"q":"a\"b"})"));

    // Errors name the method.
    const QUrl missing(m_server->url().toString() + QStringLiteral("/v1/missing"));
    const std::optional<Result<JsonResponse>> failed =
        runOnWorkerThread<Result<JsonResponse>>([=](QNetworkAccessManager *network) {
            HttpFetcher fetcher(network, options);
            JsonRequest request = JsonRequest::to(missing);
            request.message.method = "DELETE";
            return fetcher.fetchJson(request);
        });
    QVERIFY(failed && !*failed);
    QCOMPARE(failed->error().where, QStringLiteral("DELETE ") + missing.toDisplayString());
}

void TestHttpFetcher::redirectsOfAPost_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("method"); // of the second request
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("301") << 301 << QByteArray("GET") << QByteArray();
    QTest::newRow("302") << 302 << QByteArray("GET") << QByteArray();
    QTest::newRow("303") << 303 << QByteArray("GET") << QByteArray();
    QTest::newRow("307") << 307 << QByteArray("POST") << QByteArray("payload");
    QTest::newRow("308") << 308 << QByteArray("POST") << QByteArray("payload");
}

void TestHttpFetcher::redirectsOfAPost()
{
    QFETCH(int, status);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    m_server->route(QStringLiteral("/old"), HttpFixture::Response::redirect("/new", status));
    m_server->route(QStringLiteral("/new"), HttpFixture::Response::json("[]"));
    const QUrl url(m_server->url().toString() + QStringLiteral("/old"));
    const SourceOptions options = this->options();
    const std::optional<Result<JsonResponse>> got =
        runOnWorkerThread<Result<JsonResponse>>([=](QNetworkAccessManager *network) {
            HttpFetcher fetcher(network, options);
            JsonRequest request = JsonRequest::to(url);
            request.message.method = "POST";
            request.message.body = "payload";
            return fetcher.fetchJson(request);
        });
    QVERIFY(got);
    QVERIFY2(*got, failure(*got).constData());
    const QList<HttpFixture::Request> requests = m_server->requests(QStringLiteral("/new"));
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests[0].method, method);
    QCOMPARE(requests[0].body, body);
}

void TestHttpFetcher::streamedRows()
{
    QByteArray body = R"({"count": 1000, "data": [)";
    for (int i = 0; i < 1000; ++i)
        body += (i ? "," : "") + QByteArray(R"({"p": ")") + QByteArray::number(i) + R"("})";
    body += "]}";
    m_server->route(QStringLiteral("/rows"), HttpFixture::Response::json(body));
    const QUrl url(m_server->url().toString() + QStringLiteral("/rows"));
    const SourceOptions options = this->options();
    struct Got
    {
        Result<JsonResponse> response;
        qint64 sum = 0;
        qsizetype count = 0;
    };
    const std::optional<Got> got = runOnWorkerThread<Got>([=](QNetworkAccessManager *network) {
        HttpFetcher fetcher(network, options);
        JsonRequest request = JsonRequest::to(url);
        request.rows = *JsonPointer::parse(QStringLiteral("/data"));
        const JsonPointer price = *JsonPointer::parse(QStringLiteral("/p"));
        Got got{ Error{}, 0, 0 };
        request.onElement = [&](qsizetype index, const JsonNode &element) -> Result<void> {
            const JsonNode *p = price.find(element);
            if (!p || p->text.toLongLong() != index)
                return Error{ QStringLiteral("unexpected"), {} };
            got.sum += p->text.toLongLong();
            ++got.count;
            return {};
        };
        got.response = fetcher.fetchJson(request);
        return got;
    });
    QVERIFY(got);
    QVERIFY2(got->response, failure(got->response).constData());
    QCOMPARE(got->count, 1000);
    QCOMPARE(got->sum, qint64(999) * 1000 / 2);
    const JsonNode *data = got->response->document.member("data");
    QVERIFY(data && data->isArray() && data->items.empty());
    QCOMPARE(got->response->document.member("count")->text, QByteArray("1000"));
}

void TestHttpFetcher::streamedRowsErrors()
{
    m_server->route(
        QStringLiteral("/rows"), HttpFixture::Response::json(R"({"data": [1, 2, "x"]})"));
    m_server->route(QStringLiteral("/object"), HttpFixture::Response::json(R"({"data": {}})"));
    const QString base = m_server->url().toString();
    const SourceOptions options = this->options();
    const auto fetch = [&](const QString &path) {
        return runOnWorkerThread<Result<JsonResponse>>([=](QNetworkAccessManager *network) {
            HttpFetcher fetcher(network, options);
            JsonRequest request = JsonRequest::to(QUrl(base + path));
            request.rows = *JsonPointer::parse(QStringLiteral("/data"));
            request.onElement = [](qsizetype index, const JsonNode &element) -> Result<void> {
                if (!element.isNumber())
                    return Error{
                        QStringLiteral("is %1, expected a number").arg(element.typeName()),
                        JsonPointer::element(QStringLiteral("/data"), index), ErrorCode::Permanent
                    };
                return {};
            };
            return fetcher.fetchJson(request);
        });
    };
    // The element function's error comes back as it is, naming the element.
    std::optional<Result<JsonResponse>> got = fetch(QStringLiteral("/rows"));
    QVERIFY(got && !*got);
    QCOMPARE(got->error().message(), QStringLiteral("/data/2: is a string, expected a number"));
    // No array there: an invalid response naming the URL.
    got = fetch(QStringLiteral("/object"));
    QVERIFY(got && !*got);
    QVERIFY2(got->error().what.contains(QLatin1String("is an object, expected an array")),
        failure(*got).constData());
    QCOMPARE(got->error().where, QStringLiteral("GET ") + base + QStringLiteral("/object"));
    QCOMPARE(got->error().code, ErrorCode::Permanent);
}

QTEST_GUILESS_MAIN(TestHttpFetcher)
#include "tst_httpfetcher.moc"
