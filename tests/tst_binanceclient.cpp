// BinanceClient over real HTTP on loopback: the client runs on a worker thread with its own
// QNetworkAccessManager, as a flow task does; HttpFixture serves recorded and generated klines
// and faults on the main thread.

#include <atomic>
#include <memory>

#include <QDateTime>
#include <QElapsedTimer>
#include <QLocale>
#include <QSignalSpy>
#include <QtTest>

#include "httpfixture.h"
#include "klinearchive.h"
#include "sources/binanceclient.h"
#include "sources/sourceproxyfactory.h"

using namespace Sluice;

namespace {

// The message of a failed result, for QVERIFY2 (which evaluates its message even on success).
template <typename T> QByteArray failure(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message().toUtf8();
}

// 2024-10-01T00:00:00Z: the first kline of tests/fixtures/binance/btcusdt-5m-2024-10-01.json.
constexpr qint64 T0 = 1727740800;
constexpr qint64 Slot = 300;
const QString klinesPath = QStringLiteral("/api/v3/klines");

struct Outcome
{
    Result<QList<Kline>> result;
    FetchFailure failure;
    qint64 elapsedMs = 0;
};

// A kline in Binance's form with fixed prices; open time in ms.
QByteArray kline(qint64 openMs, const QByteArray &open = "\"63328.01000000\"")
{
    return "[" + QByteArray::number(openMs) + "," + open
        + R"(,"63400.00000000","63300.00000000","63350.00000000","1.00000000",)"
        + QByteArray::number(openMs + 299999) + R"(,"63000.00000000",12,"0.5","31000.0","0"])";
}

QByteArray klines(std::initializer_list<qint64> openSeconds)
{
    QList<QByteArray> parts;
    for (const qint64 seconds : openSeconds)
        parts << kline(seconds * 1000);
    return "[" + parts.join(',') + "]";
}

QByteArray httpDate(const QDateTime &utc)
{
    return QLocale::c().toString(utc, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}

} // namespace

class TestBinanceClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void recordedKlines_data();
    void recordedKlines();
    void paging_data();
    void paging();
    void klinesAtOrPastTheEndAreDropped();
    void faults_data();
    void faults();
    void pagingIsAllOrNothing_data();
    void pagingIsAllOrNothing();
    void timeout_data();
    void timeout();
    void connectionRefused();
    void cancellation_data();
    void cancellation();
    void requestHeaders();
    void basePathPrefix();
    void symbolAndInterval();
    void intervals_data();
    void intervals();
    void invalidRanges_data();
    void invalidRanges();
    void proxy_data();
    void proxy();
    void proxyChoice_data();
    void proxyChoice();
    void retryAfter_data();
    void retryAfter();
    void wrongThread();
    void tlsFailureIsPermanent();
    void redirectNamesTheTarget();
    void redirectToAnotherSchemeIsRefused();
    void redirectLoopStops();
    void redirectToAnotherHostIsLogged();

private:
    SourceOptions options() const;
    std::optional<Outcome> fetch(qint64 start, qint64 end, const SourceOptions &options,
        const QString &symbol = {}, const QString &interval = {});
    std::unique_ptr<HttpFixture> m_server;
};

void TestBinanceClient::init()
{
    m_server = std::make_unique<HttpFixture>();
    QVERIFY(m_server->listen());
}

void TestBinanceClient::cleanup()
{
    m_server.reset();
}

SourceOptions TestBinanceClient::options() const
{
    SourceOptions options;
    options.baseUrl = m_server->url();
    options.timeoutSeconds = 10;
    return options;
}

std::optional<Outcome> TestBinanceClient::fetch(qint64 start, qint64 end,
    const SourceOptions &options, const QString &symbol, const QString &interval)
{
    return runOnWorkerThread<Outcome>([=](QNetworkAccessManager *network) {
        BinanceClient client(network, options);
        if (!symbol.isEmpty())
            client.setSymbol(symbol);
        if (!interval.isEmpty() && !client.setInterval(interval))
            return Outcome{ Error{ QStringLiteral("bad interval"), {} }, {}, 0 };
        QElapsedTimer timer;
        timer.start();
        Result<QList<Kline>> result = client.fetchKlines(start, end);
        return Outcome{ std::move(result), client.lastFailure(), timer.elapsed() };
    });
}

void TestBinanceClient::recordedKlines_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<int>("firstIndex");
    QTest::addColumn<int>("count");

    QTest::newRow("three days") << T0 << T0 + 864 * Slot << 0 << 864;
    QTest::newRow("unaligned start and end") << T0 + 150 << T0 + 3610 << 1 << 12;
    QTest::newRow("one slot (live update)") << T0 + 100 * Slot << T0 + 101 * Slot << 100 << 1;
    QTest::newRow("past the recorded end") << T0 + 860 * Slot << T0 + 870 * Slot << 860 << 4;
}

void TestBinanceClient::recordedKlines()
{
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(int, firstIndex);
    QFETCH(int, count);
    const KlineArchive archive = KlineArchive::fromJson(
        HttpFixture::fixture(QStringLiteral("binance/btcusdt-5m-2024-10-01.json")));
    QCOMPARE(archive.size(), 864);
    m_server->route(klinesPath, archive.handler());

    const std::optional<Outcome> outcome = fetch(start, end, options());
    QVERIFY(outcome);
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    const QList<Kline> &got = *outcome->result;
    QCOMPARE(got.size(), count);
    QCOMPARE(outcome->failure.kind, FetchFailure::Kind::None);
    for (int i = 0; i < count; ++i) {
        // Expected values read from the fixture with Qt's own number parser, not the client's.
        const QJsonArray raw = archive.kline(firstIndex + i);
        const Kline &k = got.at(i);
        QCOMPARE(k.openTime, raw.at(0).toInteger() / 1000);
        QCOMPARE(k.open, raw.at(1).toString().toDouble());
        QCOMPARE(k.high, raw.at(2).toString().toDouble());
        QCOMPARE(k.low, raw.at(3).toString().toDouble());
        QCOMPARE(k.close, raw.at(4).toString().toDouble());
        QCOMPARE(k.volume, raw.at(5).toString().toDouble());
        QCOMPARE(k.closeTimeMs, raw.at(6).toInteger());
    }
    if (firstIndex == 0) {
        // The first kline of the file: [1727740800000,"63328.01000000","63405.67000000",...]
        QCOMPARE(got.first().openTime, T0);
        QCOMPARE(got.first().open, 63328.01);
        QCOMPARE(got.first().high, 63405.67);
        QCOMPARE(got.first().volume, 92.60807);
    }
}

void TestBinanceClient::paging_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<QString>("startTimes");
    QTest::addColumn<QString>("endTimes");
    QTest::addColumn<QString>("limits");
    QTest::addColumn<int>("count");

    QTest::newRow("3 days: one request") << T0 << T0 + 3 * 86400 << "1727740800000"
                                         << "1727999999999"
                                         << "864" << 864;
    QTest::newRow("8 days: three requests")
        << T0 << T0 + 8 * 86400 << "1727740800000,1728040800000,1728340800000"
        << "1728040799999,1728340799999,1728431999999"
        << "1000,1000,304" << 2304;
    QTest::newRow("8 days, unaligned")
        << T0 + 17 << T0 + 8 * 86400 + 17 << "1727741100000,1728041100000,1728341100000"
        << "1728041099999,1728341099999,1728432016999"
        << "1000,1000,304" << 2304;
    QTest::newRow("exactly 1000 slots") << T0 << T0 + 1000 * Slot << "1727740800000"
                                        << "1728040799999"
                                        << "1000" << 1000;
    QTest::newRow("a year: 106 requests") << T0 << T0 + 365 * 86400 << ""
                                          << ""
                                          << "" << 105120;
    QTest::newRow("1001 slots") << T0 << T0 + 1001 * Slot << "1727740800000,1728040800000"
                                << "1728040799999,1728041099999"
                                << "1000,1" << 1001;
}

void TestBinanceClient::paging()
{
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(QString, startTimes);
    QFETCH(QString, endTimes);
    QFETCH(QString, limits);
    QFETCH(int, count);
    const KlineArchive archive = KlineArchive::generate(T0, int((end - T0) / Slot) + 288);
    m_server->route(klinesPath, archive.handler());

    const std::optional<Outcome> outcome = fetch(start, end, options());
    QVERIFY(outcome);
    QVERIFY2(outcome->result, failure(outcome->result).constData());

    QStringList gotStarts;
    QStringList gotEnds;
    QStringList gotLimits;
    for (const HttpFixture::Request &request : m_server->requests()) {
        QCOMPARE(request.path, klinesPath);
        QCOMPARE(request.queryValue(QStringLiteral("symbol")), QStringLiteral("BTCUSDT"));
        QCOMPARE(request.queryValue(QStringLiteral("interval")), QStringLiteral("5m"));
        gotStarts << request.queryValue(QStringLiteral("startTime"));
        gotEnds << request.queryValue(QStringLiteral("endTime"));
        gotLimits << request.queryValue(QStringLiteral("limit"));
    }
    if (!startTimes.isEmpty()) {
        QCOMPARE(gotStarts.join(u','), startTimes);
        QCOMPARE(gotEnds.join(u','), endTimes);
        QCOMPARE(gotLimits.join(u','), limits);
    }
    // Pages follow each other without gap or overlap and ask for no more than 1000 klines.
    QCOMPARE(gotStarts.size(), (count + 999) / 1000);
    int asked = 0;
    for (qsizetype i = 0; i < gotStarts.size(); ++i) {
        QVERIFY(gotLimits.at(i).toInt() <= 1000);
        asked += gotLimits.at(i).toInt();
        if (i > 0)
            QCOMPARE(gotEnds.at(i - 1).toLongLong() + 1, gotStarts.at(i).toLongLong());
    }
    QCOMPARE(asked, count);

    const QList<Kline> &got = *outcome->result;
    qInfo("%lld klines in %lld requests: %lld ms", qint64(got.size()),
        qint64(m_server->requests().size()), outcome->elapsedMs);
    QCOMPARE(got.size(), count);
    const int firstIndex = int((got.first().openTime - T0) / Slot);
    QCOMPARE(got.first().openTime, (start + Slot - 1) / Slot * Slot);
    for (int i = 0; i < got.size(); ++i) {
        QCOMPARE(got.at(i).openTime * 1000, archive.openTimeMs(firstIndex + i));
        QCOMPARE(got.at(i).open, archive.openText(firstIndex + i).toDouble());
    }
}

void TestBinanceClient::klinesAtOrPastTheEndAreDropped()
{
    // A server that ignores endTime and adds the kline in progress: kept out of [start, end).
    m_server->route(klinesPath,
        HttpFixture::Response::json(klines({ T0, T0 + Slot, T0 + 2 * Slot, T0 + 3 * Slot })));
    const std::optional<Outcome> outcome = fetch(T0, T0 + 2 * Slot, options());
    QVERIFY(outcome);
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    QCOMPARE(outcome->result->size(), 2);
    QCOMPARE(outcome->result->at(0).openTime, T0);
    QCOMPARE(outcome->result->at(1).openTime, T0 + Slot);
}

void TestBinanceClient::faults_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfterHeader");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qsizetype>("truncateAt");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("retryMin"); // -1: no Retry-After
    QTest::addColumn<int>("retryMax");
    QTest::addColumn<bool>("transient");

    const int http = int(FetchFailure::Kind::HttpStatus);
    const int invalid = int(FetchFailure::Kind::InvalidResponse);
    const int network = int(FetchFailure::Kind::Network);
    const QByteArray good = klines({ T0, T0 + Slot, T0 + 2 * Slot });
    const qint64 ms = T0 * 1000;
    const auto row = [](const char *name) -> QTestData & { return QTest::newRow(name); };

    row("HTTP 500") << 500 << QByteArray() << QByteArray() << qsizetype(-1)
                    << "HTTP 500 Internal Server Error" << http << -1 << -1 << true;
    row("HTTP 500 with a text body")
        << 500 << QByteArray() << QByteArray("upstream   exploded\n") << qsizetype(-1)
        << "HTTP 500 Internal Server Error: upstream exploded" << http << -1 << -1 << true;
    row("HTTP 429, Retry-After in seconds")
        << 429 << QByteArray("30") << QByteArray(R"({"code":-1003,"msg":"Too many requests."})")
        << qsizetype(-1) << "HTTP 429 Too Many Requests, retry after 30 s: Too many requests."
        << http << 30 << 30 << true;
    row("HTTP 429, Retry-After as HTTP-date")
        << 429 << httpDate(QDateTime::currentDateTimeUtc().addSecs(120)) << QByteArray()
        << qsizetype(-1) << "HTTP 429 Too Many Requests, retry after 1" << http << 118 << 121
        << true;
    row("HTTP 418 (IP banned), Retry-After")
        << 418 << QByteArray("120") << QByteArray() << qsizetype(-1)
        << "HTTP 418 I'm a teapot, retry after 120 s" << http << 120 << 120 << true;
    row("HTTP 503, Retry-After in the past")
        << 503 << httpDate(QDateTime::currentDateTimeUtc().addSecs(-3600)) << QByteArray()
        << qsizetype(-1) << "HTTP 503 Service Unavailable, retry after 0 s" << http << 0 << 0
        << true;
    row("HTTP 502") << 502 << QByteArray() << QByteArray() << qsizetype(-1)
                    << "HTTP 502 Bad Gateway" << http << -1 << -1 << true;
    row("HTTP 408") << 408 << QByteArray() << QByteArray() << qsizetype(-1)
                    << "HTTP 408 Request Timeout" << http << -1 << -1 << true;
    row("HTTP 425") << 425 << QByteArray() << QByteArray() << qsizetype(-1) << "HTTP 425 Too Early"
                    << http << -1 << -1 << true;
    row("HTTP 429 without Retry-After") << 429 << QByteArray() << QByteArray() << qsizetype(-1)
                                        << "HTTP 429 Too Many Requests" << http << -1 << -1 << true;
    // A ban without its length: asking again at once would only lengthen it.
    row("HTTP 418 without Retry-After") << 418 << QByteArray() << QByteArray() << qsizetype(-1)
                                        << "HTTP 418 I'm a teapot" << http << -1 << -1 << false;
    row("HTTP 404") << 404 << QByteArray() << QByteArray("no such path\n") << qsizetype(-1)
                    << "HTTP 404 Not Found: no such path" << http << -1 << -1 << false;
    row("HTTP 400 with Binance's message")
        << 400 << QByteArray() << QByteArray(R"({"code":-1121,"msg":"Invalid symbol."})")
        << qsizetype(-1) << "HTTP 400 Bad Request: Invalid symbol." << http << -1 << -1 << false;
    row("truncated JSON") << 200 << QByteArray() << good.left(100) << qsizetype(-1)
                          << "invalid JSON at offset 100: unexpected end of data (HTTP 200 OK)"
                          << invalid << -1 << -1 << false;
    row("connection closed mid-body")
        << 200 << QByteArray() << good << qsizetype(100)
        << "the server closed the connection before the response was complete (HTTP 200 OK)"
        << network << -1 << -1 << true;
    row("malformed JSON")
        << 200 << QByteArray() << QByteArray(R"([[1727740800000,"1" "2"]])") << qsizetype(-1)
        << "invalid JSON at offset 20: expected ',' or ']', found '\"' (HTTP 200 OK)" << invalid
        << -1 << -1 << false;
    row("an HTML page") << 200 << QByteArray() << QByteArray("<html>maintenance</html>")
                        << qsizetype(-1)
                        << "invalid JSON at offset 0: expected a JSON value, found '<'" << invalid
                        << -1 << -1 << false;
    row("empty body") << 200 << QByteArray() << QByteArray() << qsizetype(-1)
                      << "invalid JSON at offset 0: the document is empty (HTTP 200 OK)" << invalid
                      << -1 << -1 << false;
    row("an object instead of an array")
        << 200 << QByteArray() << QByteArray(R"({"code":0,"msg":"ok"})") << qsizetype(-1)
        << "expected a JSON array of klines, got an object (HTTP 200 OK)" << invalid << -1 << -1
        << false;
    row("empty array") << 200 << QByteArray() << QByteArray("[]") << qsizetype(-1)
                       << "empty response: no klines in [2024-10-01T00:00:00Z, "
                          "2024-10-01T00:15:00Z) (HTTP 200 OK)"
                       << invalid << -1 << -1 << false;
    row("kline not an array") << 200 << QByteArray() << QByteArray(R"([{"t":1}])") << qsizetype(-1)
                              << "kline 0: expected an array, got an object" << invalid << -1 << -1
                              << false;
    row("too few fields") << 200 << QByteArray()
                          << QByteArray(R"([[1727740800000,"1.0","2.0","0.5","1.5"]])")
                          << qsizetype(-1) << "kline 0: expected at least 7 fields, got 5"
                          << invalid << -1 << -1 << false;
    row("price as a number") << 200 << QByteArray() << "[" + kline(ms, "63328.01") + "]"
                             << qsizetype(-1)
                             << "kline 0: open price is a number, expected a decimal string"
                             << invalid << -1 << -1 << false;
    row("open time as a string") << 200 << QByteArray()
                                 << "["
            + kline(ms).replace("[1727740800000,", "[\"1727740800000\",") + "]"
                                 << qsizetype(-1)
                                 << "kline 0: open time is a string, expected an integer" << invalid
                                 << -1 << -1 << false;
    row("open time not whole")
        << 200 << QByteArray()
        << "[" + kline(ms).replace("[1727740800000,", "[1727740800000.5,") + "]" << qsizetype(-1)
        << "kline 0: open time 1727740800000.5 is not a whole number of milliseconds" << invalid
        << -1 << -1 << false;
    row("price not a number") << 200 << QByteArray() << "[" + kline(ms, "\"abc\"") + "]"
                              << qsizetype(-1)
                              << "kline 0: open price \"abc\" is not a decimal number" << invalid
                              << -1 << -1 << false;
    row("price NaN") << 200 << QByteArray() << "[" + kline(ms, "\"NaN\"") + "]" << qsizetype(-1)
                     << "kline 0: open price \"NaN\" is not a decimal number" << invalid << -1 << -1
                     << false;
    row("price zero") << 200 << QByteArray() << "[" + kline(ms, "\"0.00000000\"") + "]"
                      << qsizetype(-1) << "kline 0: open price \"0.00000000\" is not positive"
                      << invalid << -1 << -1 << false;
    row("high below open") << 200 << QByteArray() << "[" + kline(ms, "\"63500.00000000\"") + "]"
                           << qsizetype(-1)
                           << "kline 0: prices are inconsistent: open "
                              "63500.00000000, high 63400.00000000"
                           << invalid << -1 << -1 << false;
    row("open time not a multiple of 5 minutes")
        << 200 << QByteArray() << "[" + kline(ms) + "," + kline(ms + 300123) + "]" << qsizetype(-1)
        << "kline 1: open time 1727741100123 is not a multiple of 300000 ms" << invalid << -1 << -1
        << false;
    row("out of order") << 200 << QByteArray() << klines({ T0, T0 + 2 * Slot, T0 + Slot })
                        << qsizetype(-1)
                        << "kline 2: open time 1727741100000 comes before the previous kline's "
                           "1727741400000 (out of order)"
                        << invalid << -1 << -1 << false;
    row("duplicate") << 200 << QByteArray() << klines({ T0, T0 + Slot, T0 + Slot }) << qsizetype(-1)
                     << "kline 2: duplicate open time 1727741100000" << invalid << -1 << -1
                     << false;
    row("before the requested start")
        << 200 << QByteArray() << klines({ T0 - Slot, T0 }) << qsizetype(-1)
        << "kline 0: open time 1727740500000 is before the requested start 1727740800000" << invalid
        << -1 << -1 << false;
    row("close time before open time")
        << 200 << QByteArray()
        << "[" + kline(ms).replace(",1727741099999,", ",1727740799999,") + "]" << qsizetype(-1)
        << "kline 0: close time 1727740799999 is not after open time 1727740800000" << invalid << -1
        << -1 << false;
}

void TestBinanceClient::faults()
{
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfterHeader);
    QFETCH(QByteArray, body);
    QFETCH(qsizetype, truncateAt);
    QFETCH(QString, expected);
    QFETCH(int, kind);
    QFETCH(int, retryMin);
    QFETCH(int, retryMax);
    QFETCH(bool, transient);

    HttpFixture::Response response = body.startsWith('[') || body.startsWith('{')
        ? HttpFixture::Response::json(body, status)
        : HttpFixture::Response::text(status, body);
    if (!retryAfterHeader.isEmpty())
        response.withHeader("Retry-After", retryAfterHeader);
    response.truncateAt = truncateAt;
    m_server->route(klinesPath, response);

    const std::optional<Outcome> outcome = fetch(T0, T0 + 3 * Slot, options());
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    const Error &error = outcome->result.error();
    QVERIFY2(error.what.contains(expected), qPrintable(error.what));
    // Every error names the URL it met and the HTTP status.
    const QString url = m_server->url().toString() + klinesPath
        + QStringLiteral("?symbol=BTCUSDT&interval=5m&startTime=1727740800000"
                         "&endTime=1727741699999&limit=3");
    QCOMPARE(error.where, QStringLiteral("GET ") + url);
    QVERIFY2(error.what.contains(QStringLiteral("HTTP %1").arg(status)), qPrintable(error.what));
    QVERIFY(error.message().startsWith(QStringLiteral("GET ") + url + QStringLiteral(": ")));

    QCOMPARE(int(outcome->failure.kind), kind);
    QCOMPARE(outcome->failure.httpStatus, status);
    QCOMPARE(outcome->failure.isTransient(), transient);
    QCOMPARE(error.code, transient ? ErrorCode::Transient : ErrorCode::Permanent);
    if (retryMin < 0) {
        QVERIFY(!outcome->failure.retryAfter);
    } else {
        QVERIFY(outcome->failure.retryAfter);
        QVERIFY2(outcome->failure.retryAfter->count() >= retryMin
                && outcome->failure.retryAfter->count() <= retryMax,
            qPrintable(QString::number(outcome->failure.retryAfter->count())));
    }
}

void TestBinanceClient::pagingIsAllOrNothing_data()
{
    QTest::addColumn<QString>("failingStartTime");
    QTest::addColumn<bool>("invalidBody"); // else HTTP 500
    QTest::addColumn<int>("requestCount");

    QTest::newRow("second page answers 500") << "1728040800000" << false << 2;
    QTest::newRow("third page is invalid") << "1728340800000" << true << 3;
}

void TestBinanceClient::pagingIsAllOrNothing()
{
    QFETCH(QString, failingStartTime);
    QFETCH(bool, invalidBody);
    QFETCH(int, requestCount);
    const KlineArchive archive = KlineArchive::generate(T0, 9 * 288);
    m_server->route(klinesPath, [&](const HttpFixture::Request &request) {
        if (request.queryValue(QStringLiteral("startTime")) != failingStartTime)
            return archive.respond(request);
        if (invalidBody) {
            const qint64 start = failingStartTime.toLongLong() / 1000;
            return HttpFixture::Response::json(klines({ start, start + Slot, start + Slot }));
        }
        return HttpFixture::Response::text(500);
    });

    const std::optional<Outcome> outcome = fetch(T0, T0 + 8 * 86400, options());
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    QVERIFY2(
        outcome->result.error().where.contains(QStringLiteral("startTime=") + failingStartTime),
        qPrintable(outcome->result.error().message()));
    QCOMPARE(m_server->requests().size(), requestCount);
}

void TestBinanceClient::timeout_data()
{
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<int>("bodyDelayMs");
    QTest::addColumn<QString>("expected");

    QTest::newRow("no response") << 3000 << 0 << "timed out after 1 s";
    QTest::newRow("body stalls after the headers")
        << 0 << 3000 << "timed out after 1 s (HTTP 200 OK, body incomplete)";
}

void TestBinanceClient::timeout()
{
    QFETCH(int, delayMs);
    QFETCH(int, bodyDelayMs);
    QFETCH(QString, expected);
    HttpFixture::Response response = HttpFixture::Response::json(klines({ T0 }));
    response.delayMs = delayMs;
    response.bodyDelayMs = bodyDelayMs;
    m_server->route(klinesPath, response);

    SourceOptions options = this->options();
    options.timeoutSeconds = 1;
    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options);
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    QCOMPARE(outcome->result.error().what, expected);
    QVERIFY(outcome->result.error().where.startsWith(QStringLiteral("GET http://127.0.0.1:")));
    QCOMPARE(outcome->failure.kind, FetchFailure::Kind::TimedOut);
    QVERIFY(outcome->failure.isTransient());
    qInfo("timed out after %lld ms", outcome->elapsedMs);
    QVERIFY2(outcome->elapsedMs >= 950 && outcome->elapsedMs < 1500,
        qPrintable(QString::number(outcome->elapsedMs)));
}

void TestBinanceClient::connectionRefused()
{
    SourceOptions options = this->options();
    const quint16 port = HttpFixture::unusedPort();
    QVERIFY(port != 0);
    options.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options);
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    QCOMPARE(outcome->result.error().what, QStringLiteral("connection refused"));
    QCOMPARE(outcome->result.error().where,
        QStringLiteral("GET http://127.0.0.1:%1/api/v3/klines?symbol=BTCUSDT&interval=5m&"
                       "startTime=1727740800000&endTime=1727741099999&limit=1")
            .arg(port));
    QCOMPARE(outcome->failure.kind, FetchFailure::Kind::Network);
    QCOMPARE(outcome->failure.httpStatus, 0);
    QVERIFY(outcome->failure.isTransient());
}

void TestBinanceClient::cancellation_data()
{
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<int>("bodyDelayMs");
    QTest::addColumn<bool>("cancelFirst");

    QTest::newRow("while waiting for the response") << 20000 << 0 << false;
    QTest::newRow("while the body stalls") << 0 << 20000 << false;
    QTest::newRow("before the request") << 0 << 0 << true;
}

void TestBinanceClient::cancellation()
{
    QFETCH(int, delayMs);
    QFETCH(int, bodyDelayMs);
    QFETCH(bool, cancelFirst);
    HttpFixture::Response response = HttpFixture::Response::json(klines({ T0 }));
    response.delayMs = delayMs;
    response.bodyDelayMs = bodyDelayMs;
    m_server->route(klinesPath, response);

    const auto cancelled = std::make_shared<std::atomic<bool>>(cancelFirst);
    QElapsedTimer sinceCancel;
    if (cancelFirst)
        sinceCancel.start();
    connect(m_server.get(), &HttpFixture::requestReceived, this, [&] {
        // Cancel a moment after the request arrived, from this (another) thread.
        QTimer::singleShot(200, this, [&] {
            sinceCancel.start();
            cancelled->store(true);
        });
    });
    SourceOptions options = this->options();
    options.timeoutSeconds = 60;
    options.isCancelled = [cancelled] { return cancelled->load(); };
    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options);
    QVERIFY(outcome);
    QVERIFY(sinceCancel.isValid());
    const qint64 latency = sinceCancel.elapsed();
    qInfo("returned %lld ms after the cancel", latency);
    QVERIFY(!outcome->result);
    QCOMPARE(outcome->result.error().what, QStringLiteral("cancelled"));
    QVERIFY(outcome->result.error().where.startsWith(QStringLiteral("GET http://127.0.0.1:")));
    QCOMPARE(outcome->failure.kind, FetchFailure::Kind::Cancelled);
    QVERIFY(!outcome->failure.isTransient());
    QVERIFY2(latency < 1000, qPrintable(QString::number(latency)));
    QCOMPARE(m_server->requests().size(), cancelFirst ? 0 : 1);
}

void TestBinanceClient::requestHeaders()
{
    m_server->route(klinesPath, HttpFixture::Response::json(klines({ T0 })));
    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options());
    QVERIFY(outcome);
    QVERIFY(outcome->result);
    QCOMPARE(m_server->requests().size(), 1);
    const HttpFixture::Request request = m_server->requests().first();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.header("User-Agent"), QByteArray("Sluice/" SLUICE_VERSION));
    QCOMPARE(request.header("Accept"), QByteArray("application/json"));
}

void TestBinanceClient::basePathPrefix()
{
    m_server->route(QStringLiteral("/mirror/binance/api/v3/klines"),
        HttpFixture::Response::json(klines({ T0 })));
    SourceOptions options = this->options();
    options.baseUrl = QUrl(m_server->url().toString() + QStringLiteral("/mirror/binance/"));
    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options);
    QVERIFY(outcome);
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    QCOMPARE(outcome->result->size(), 1);
}

void TestBinanceClient::symbolAndInterval()
{
    const KlineArchive archive = KlineArchive::generate(T0, 48, 3600);
    m_server->route(klinesPath, archive.handler());
    const std::optional<Outcome> outcome =
        fetch(T0, T0 + 86400, options(), QStringLiteral("ETHUSDT"), QStringLiteral("1h"));
    QVERIFY(outcome);
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    QCOMPARE(outcome->result->size(), 24);
    QCOMPARE(outcome->result->at(23).openTime, T0 + 23 * 3600);
    const HttpFixture::Request request = m_server->requests().first();
    QCOMPARE(request.queryValue(QStringLiteral("symbol")), QStringLiteral("ETHUSDT"));
    QCOMPARE(request.queryValue(QStringLiteral("interval")), QStringLiteral("1h"));
    QCOMPARE(request.queryValue(QStringLiteral("limit")), QStringLiteral("24"));

    // 5-minute klines where hourly ones were asked for are refused.
    m_server->route(klinesPath, HttpFixture::Response::json(klines({ T0, T0 + Slot })));
    const std::optional<Outcome> wrong =
        fetch(T0, T0 + 86400, options(), QStringLiteral("ETHUSDT"), QStringLiteral("1h"));
    QVERIFY(wrong);
    QVERIFY(!wrong->result);
    QVERIFY2(wrong->result.error().what.startsWith(QStringLiteral(
                 "kline 1: open time 1727741100000 is not a multiple of 3600000 ms")),
        qPrintable(wrong->result.error().what));
}

void TestBinanceClient::intervals_data()
{
    QTest::addColumn<QString>("interval");
    QTest::addColumn<qint64>("seconds"); // 0: refused

    QTest::newRow("5m") << "5m" << qint64(300);
    QTest::newRow("1m") << "1m" << qint64(60);
    QTest::newRow("1h") << "1h" << qint64(3600);
    QTest::newRow("1d") << "1d" << qint64(86400);
    QTest::newRow("1w: weeks start on Monday") << "1w" << qint64(0);
    QTest::newRow("1M: months vary") << "1M" << qint64(0);
    QTest::newRow("empty") << "" << qint64(0);
    QTest::newRow("5 minutes") << "5 minutes" << qint64(0);
}

void TestBinanceClient::intervals()
{
    QFETCH(QString, interval);
    QFETCH(qint64, seconds);
    BinanceClient client(nullptr, options());
    const Result<void> set = client.setInterval(interval);
    QCOMPARE(set.hasValue(), seconds != 0);
    if (seconds) {
        QCOMPARE(client.intervalSeconds(), seconds);
        QCOMPARE(client.interval(), interval);
    } else {
        QVERIFY(set.error().what.contains(QStringLiteral("unsupported kline interval")));
        QCOMPARE(set.error().code, ErrorCode::Permanent);
        QCOMPARE(client.interval(), QStringLiteral("5m"));
    }
}

void TestBinanceClient::invalidRanges_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<QString>("expected");

    QTest::newRow("end before start") << T0 + Slot << T0 << "no 5m kline starts in [";
    QTest::newRow("empty") << T0 << T0 << "no 5m kline starts in [";
    QTest::newRow("no slot starts inside") << T0 + 10 << T0 + 200
                                           << "no 5m kline starts in [2024-10-01T00:00:10Z, "
                                              "2024-10-01T00:03:20Z)";
}

void TestBinanceClient::invalidRanges()
{
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(QString, expected);
    m_server->route(klinesPath, HttpFixture::Response::json(klines({ T0 })));
    const std::optional<Outcome> outcome = fetch(start, end, options());
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    QVERIFY2(outcome->result.error().what.startsWith(expected),
        qPrintable(outcome->result.error().what));
    QCOMPARE(outcome->failure.kind, FetchFailure::Kind::InvalidRequest);
    QVERIFY(m_server->requests().isEmpty());
}

void TestBinanceClient::proxy_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("expectedError"); // empty: success

    QTest::newRow("configured proxy") << "configured"
                                      << "";
    QTest::newRow("proxy from http_proxy") << "environment"
                                           << "";
    QTest::newRow("loopback never goes through the proxy") << "loopback"
                                                           << "";
    QTest::newRow("unsupported proxy scheme")
        << "ftp"
        << "unusable proxy ftp://proxy.example:21: unsupported proxy scheme \"ftp\" (use "
           "http:// or socks5://)";
}

void TestBinanceClient::proxy()
{
    QFETCH(QString, mode);
    QFETCH(QString, expectedError);
    m_server->route(klinesPath, HttpFixture::Response::json(klines({ T0 })));

    // The fixture plays the proxy for a host that does not resolve: the request can only
    // arrive through it, in the absolute form a client sends to an HTTP proxy.
    SourceOptions options = this->options();
    options.baseUrl = QUrl(QStringLiteral("http://binance.invalid"));
    const QByteArray savedProxy = qgetenv("http_proxy");
    const QByteArray savedNoProxy = qgetenv("no_proxy");
    const auto restore = qScopeGuard([&] {
        qputenv("http_proxy", savedProxy);
        qputenv("no_proxy", savedNoProxy);
    });
    qunsetenv("no_proxy");
    if (mode == QLatin1String("configured")) {
        options.proxy = m_server->url();
    } else if (mode == QLatin1String("environment")) {
        qputenv("http_proxy", m_server->url().toString().toLatin1());
    } else if (mode == QLatin1String("loopback")) {
        options.baseUrl = m_server->url();
        options.proxy = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(HttpFixture::unusedPort()));
    } else {
        options.proxy = QUrl(QStringLiteral("ftp://proxy.example:21"));
    }

    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options);
    QVERIFY(outcome);
    if (!expectedError.isEmpty()) {
        QVERIFY(!outcome->result);
        QCOMPARE(outcome->result.error().what, expectedError);
        QCOMPARE(outcome->failure.kind, FetchFailure::Kind::InvalidRequest);
        QVERIFY(m_server->requests().isEmpty());
        return;
    }
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    QCOMPARE(outcome->result->size(), 1);
    QCOMPARE(m_server->requests().size(), 1);
    const QByteArray target = m_server->requests().first().target;
    if (mode == QLatin1String("loopback"))
        QVERIFY2(target.startsWith("/api/v3/klines?"), target.constData());
    else
        QVERIFY2(target.startsWith("http://binance.invalid/api/v3/klines?"), target.constData());
}

void TestBinanceClient::proxyChoice_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QString>("environment"); // name=value;name=value
    QTest::addColumn<QString>("expected"); // "none", "http host:port", "socks5 host:port"

    const QString binance = QStringLiteral("https://api.binance.com/api/v3/klines");
    QTest::newRow("nothing set") << binance << ""
                                 << ""
                                 << "none";
    QTest::newRow("configured http") << binance << "http://proxy.lan:3128"
                                     << ""
                                     << "http proxy.lan:3128";
    QTest::newRow("configured socks5, default port") << binance << "socks5://proxy.lan"
                                                     << ""
                                                     << "socks5 proxy.lan:1080";
    QTest::newRow("https_proxy for https") << binance << ""
                                           << "https_proxy=http://p:8080"
                                           << "http p:8080";
    QTest::newRow("upper-case HTTPS_PROXY") << binance << ""
                                            << "HTTPS_PROXY=p:8080"
                                            << "http p:8080";
    QTest::newRow("http_proxy is not for https") << binance << ""
                                                 << "http_proxy=http://p:8080"
                                                 << "none";
    QTest::newRow("http_proxy for http") << "http://example.org/x"
                                         << ""
                                         << "http_proxy=http://p:8080"
                                         << "http p:8080";
    QTest::newRow("all_proxy") << binance << ""
                               << "all_proxy=socks5://s:1080"
                               << "socks5 s:1080";
    QTest::newRow("no_proxy suffix") << binance << ""
                                     << "https_proxy=p:1;no_proxy=.binance.com"
                                     << "none";
    QTest::newRow("no_proxy other host") << binance << ""
                                         << "https_proxy=p:1;no_proxy=mempool.space,example.org"
                                         << "http p:1";
    QTest::newRow("no_proxy star") << binance << ""
                                   << "https_proxy=p:1;no_proxy=*"
                                   << "none";
    QTest::newRow("loopback, configured") << "http://127.0.0.1:8080/api"
                                          << "http://p:1"
                                          << ""
                                          << "none";
    QTest::newRow("localhost, environment") << "http://localhost:8080/api"
                                            << ""
                                            << "http_proxy=p:1"
                                            << "none";
    QTest::newRow("IPv6 loopback") << "http://[::1]:8080/api"
                                   << "http://p:1"
                                   << ""
                                   << "none";
}

void TestBinanceClient::proxyChoice()
{
    QFETCH(QString, url);
    QFETCH(QString, configured);
    QFETCH(QString, environment);
    QFETCH(QString, expected);
    QMap<QString, QString> variables;
    variables.insert(QStringLiteral("unrelated"), QStringLiteral("1")); // not the process's
    for (const QString &pair : environment.split(u';', Qt::SkipEmptyParts))
        variables.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    const SourceProxyFactory factory(QUrl(configured), variables);
    const Result<QNetworkProxy> proxy = factory.proxyFor(QUrl(url));
    QVERIFY(proxy);
    QString got = QStringLiteral("none");
    if (proxy->type() == QNetworkProxy::HttpProxy)
        got = QStringLiteral("http %1:%2").arg(proxy->hostName()).arg(proxy->port());
    else if (proxy->type() == QNetworkProxy::Socks5Proxy)
        got = QStringLiteral("socks5 %1:%2").arg(proxy->hostName()).arg(proxy->port());
    QCOMPARE(got, expected);
}

void TestBinanceClient::retryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("seconds"); // -1: not understood

    QTest::newRow("seconds") << QByteArray("30") << 30;
    QTest::newRow("zero") << QByteArray("0") << 0;
    QTest::newRow("spaces") << QByteArray(" 120 ") << 120;
    QTest::newRow("capped at a day") << QByteArray("99999999") << 86400;
    QTest::newRow("IMF-fixdate") << QByteArray("Wed, 21 Oct 2015 07:28:00 GMT") << 60;
    QTest::newRow("RFC 850") << QByteArray("Wednesday, 21-Oct-15 07:28:00 GMT") << 60;
    QTest::newRow("asctime") << QByteArray("Wed Oct 21 07:28:00 2015") << 60;
    QTest::newRow("date in the past") << QByteArray("Wed, 21 Oct 2015 07:00:00 GMT") << 0;
    QTest::newRow("negative") << QByteArray("-5") << -1;
    QTest::newRow("words") << QByteArray("soon") << -1;
    QTest::newRow("empty") << QByteArray("") << -1;
}

void TestBinanceClient::retryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(int, seconds);
    const QDateTime now(QDate(2015, 10, 21), QTime(7, 27, 0, 500), Qt::UTC);
    const std::optional<std::chrono::seconds> got = HttpFetcher::parseRetryAfter(value, now);
    if (seconds < 0) {
        QVERIFY(!got);
        return;
    }
    QVERIFY(got);
    // From 07:27:00.500 to 07:28:00 is 59.5 s: rounded up to 60.
    QCOMPARE(int(got->count()), seconds);
}

void TestBinanceClient::wrongThread()
{
    // A manager of this thread, used from a worker: refused instead of undefined behaviour.
    QNetworkAccessManager mainThreadNetwork;
    const SourceOptions options = this->options();
    const std::optional<QString> what = runOnWorkerThread<QString>([&](QNetworkAccessManager *) {
        HttpFetcher fetcher(&mainThreadNetwork, options);
        const Result<QByteArray> got = fetcher.get(fetcher.endpoint(klinesPath));
        return got ? QString() : got.error().what;
    });
    QVERIFY(what);
    QCOMPARE(*what, QStringLiteral("called on a thread other than its network access manager's"));
}

void TestBinanceClient::tlsFailureIsPermanent()
{
    // https:// to a plain HTTP server: the handshake fails, and would fail the same way again.
    SourceOptions options = this->options();
    options.baseUrl = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_server->port()));
    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options);
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    const Error &error = outcome->result.error();
    QVERIFY2(
        error.what.startsWith(QLatin1String("TLS handshake failed: ")), qPrintable(error.what));
    QCOMPARE(outcome->failure.kind, FetchFailure::Kind::Tls);
    QVERIFY(!outcome->failure.isTransient());
    QCOMPARE(error.code, ErrorCode::Permanent);
    QCOMPARE(m_server->tlsHandshakes(), 1);
}

void TestBinanceClient::redirectNamesTheTarget()
{
    m_server->route(klinesPath, HttpFixture::Response::redirect("/moved/klines"));
    m_server->route(QStringLiteral("/moved/klines"), HttpFixture::Response::text(404, "gone\n"));
    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options());
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    const Error &error = outcome->result.error();
    const QString target = m_server->url().toString() + QStringLiteral("/moved/klines");
    QCOMPARE(error.what, QStringLiteral("redirected to %1: HTTP 404 Not Found: gone").arg(target));
    QVERIFY2(
        error.where.startsWith(QStringLiteral("GET ") + m_server->url().toString() + klinesPath),
        qPrintable(error.where));
    QCOMPARE(error.code, ErrorCode::Permanent);

    // A target that answers with something else than klines is named too.
    m_server->route(
        QStringLiteral("/moved/klines"), HttpFixture::Response::json("<html>login</html>"));
    const std::optional<Outcome> html = fetch(T0, T0 + Slot, options());
    QVERIFY(html);
    QVERIFY(!html->result);
    QVERIFY2(
        html->result.error().what.contains(
            QStringLiteral("(HTTP 200 OK from %1, where the request was redirected)").arg(target)),
        qPrintable(html->result.error().what));
}

void TestBinanceClient::redirectToAnotherSchemeIsRefused()
{
    m_server->route(klinesPath, HttpFixture::Response::redirect("ftp://127.0.0.1/klines"));
    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options());
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    const Error &error = outcome->result.error();
    QCOMPARE(error.what,
        QStringLiteral(
            "HTTP 302 Found to ftp://127.0.0.1/klines, which is not an http:// or https:// URL"));
    QCOMPARE(outcome->failure.kind, FetchFailure::Kind::Redirect);
    QCOMPARE(error.code, ErrorCode::Permanent);
    QCOMPARE(m_server->requests().size(), 1);
}

void TestBinanceClient::redirectLoopStops()
{
    m_server->route(klinesPath, HttpFixture::Response::redirect("/a"));
    m_server->route(QStringLiteral("/a"), HttpFixture::Response::redirect("/b"));
    m_server->route(QStringLiteral("/b"), HttpFixture::Response::redirect("/a"));
    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options());
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    const Error &error = outcome->result.error();
    QVERIFY2(error.what.startsWith(QLatin1String("redirect loop: ")), qPrintable(error.what));
    QCOMPARE(outcome->failure.kind, FetchFailure::Kind::Redirect);
    QCOMPARE(error.code, ErrorCode::Permanent);
    // The request and HttpFetcher::MaxRedirects redirects followed.
    QCOMPARE(m_server->requests().size(), HttpFetcher::MaxRedirects + 1);
}

void TestBinanceClient::redirectToAnotherHostIsLogged()
{
    // Another server on another loopback address: another host, no name to resolve.
    HttpFixture elsewhere;
    QVERIFY(elsewhere.listen(QHostAddress(QStringLiteral("127.0.0.2"))));
    const QByteArray target = elsewhere.url().toEncoded()
        + "/elsewhere/klines?symbol=BTCUSDT&interval=5m&startTime=1727740800000"
          "&endTime=1727741099999&limit=1";
    m_server->route(klinesPath, HttpFixture::Response::redirect(target));
    elsewhere.route(
        QStringLiteral("/elsewhere/klines"), HttpFixture::Response::json(klines({ T0 })));
    m_server->route(
        QStringLiteral("/elsewhere/klines"), HttpFixture::Response::json(klines({ T0 })));
    // Logged on the fetching thread; read here after it ended.
    const auto warnings = std::make_shared<QStringList>();
    SourceOptions options = this->options();
    options.warn = [warnings](const QString &text) { warnings->append(text); };
    const std::optional<Outcome> outcome = fetch(T0, T0 + Slot, options);
    QVERIFY(outcome);
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    QCOMPARE(outcome->result->size(), 1);
    QCOMPARE(elsewhere.requests().size(), 1);
    QCOMPARE(warnings->size(), 1);
    QVERIFY2(warnings->first().contains(QLatin1String("redirects to another host, 127.0.0.2: "
                                                      "http://127.0.0.2:")),
        qPrintable(warnings->first()));

    // A redirect on the same host is not worth a warning.
    warnings->clear();
    m_server->route(klinesPath, HttpFixture::Response::redirect("/elsewhere/klines"));
    const std::optional<Outcome> same = fetch(T0, T0 + Slot, options);
    QVERIFY(same);
    QVERIFY2(same->result, failure(same->result).constData());
    QVERIFY(warnings->isEmpty());
}

QTEST_GUILESS_MAIN(TestBinanceClient)
#include "tst_binanceclient.moc"
