// MempoolClient over real HTTP on loopback: the client runs on a worker thread with its own
// QNetworkAccessManager, as a flow task does; HttpFixture serves recorded-style payloads and
// faults on the main thread. Exact expected integers come from Python (int(), int(float())).

#include <QDateTime>
#include <QtTest>

#include "httpfixture.h"
#include "sources/mempoolclient.h"

using namespace Sluice;

namespace {

// The message of a failed result, for QVERIFY2 (which evaluates its message even on success).
template <typename T> QByteArray failure(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message().toUtf8();
}

const QString hashratePath = QStringLiteral("/api/v1/mining/hashrate/");
const QString adjustmentsPath = QStringLiteral("/api/v1/mining/difficulty-adjustments/");

struct HashrateOutcome
{
    Result<HashrateHistory> result;
    FetchFailure failure;
};

struct AdjustmentOutcome
{
    Result<QList<DifficultyAdjustment>> result;
    FetchFailure failure;
};

// A hash rate payload with the given samples ("timestamp:avgHashrate" tokens as written).
QByteArray hashratePayload(const QList<QByteArray> &samples,
    const QByteArray &current = "755064447000000000000",
    const QByteArray &difficulty = "88404191961276.9")
{
    QList<QByteArray> parts;
    for (const QByteArray &sample : samples) {
        const qsizetype colon = sample.indexOf(':');
        parts << "{\"timestamp\":" + sample.left(colon)
                + ",\"avgHashrate\":" + sample.mid(colon + 1) + "}";
    }
    return "{\"hashrates\":[" + parts.join(',')
        + "],\"difficulty\":[{\"time\":1727335872,\"height\":862848,\"difficulty\":"
          "88404191961276.9,\"adjustment\":1.02251}],\"currentHashrate\":"
        + current + ",\"currentDifficulty\":" + difficulty + "}";
}

QString exact(Int128 value)
{
    return ExactInteger::toString(value);
}

} // namespace

class TestMempoolClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void recordedHashrates_data();
    void recordedHashrates();
    void hashrateNumbers_data();
    void hashrateNumbers();
    void hashrateOrder_data();
    void hashrateOrder();
    void hashrateFaults_data();
    void hashrateFaults();
    void currentUnavailable();
    void recordedAdjustments();
    void adjustmentOrder_data();
    void adjustmentOrder();
    void adjustmentFaults_data();
    void adjustmentFaults();
    void httpFaults_data();
    void httpFaults();
    void periodReaching_data();
    void periodReaching();
    void periodTexts();

private:
    std::optional<HashrateOutcome> fetchHashrates(MiningPeriod period);
    std::optional<AdjustmentOutcome> fetchAdjustments(MiningPeriod period);
    std::unique_ptr<HttpFixture> m_server;
};

void TestMempoolClient::init()
{
    m_server = std::make_unique<HttpFixture>();
    QVERIFY(m_server->listen());
}

void TestMempoolClient::cleanup()
{
    m_server.reset();
}

std::optional<HashrateOutcome> TestMempoolClient::fetchHashrates(MiningPeriod period)
{
    SourceOptions options;
    options.baseUrl = m_server->url();
    options.timeoutSeconds = 10;
    return runOnWorkerThread<HashrateOutcome>([=](QNetworkAccessManager *network) {
        MempoolClient client(network, options);
        Result<HashrateHistory> result = client.fetchHashrates(period);
        return HashrateOutcome{ std::move(result), client.lastFailure() };
    });
}

std::optional<AdjustmentOutcome> TestMempoolClient::fetchAdjustments(MiningPeriod period)
{
    SourceOptions options;
    options.baseUrl = m_server->url();
    options.timeoutSeconds = 10;
    return runOnWorkerThread<AdjustmentOutcome>([=](QNetworkAccessManager *network) {
        MempoolClient client(network, options);
        Result<QList<DifficultyAdjustment>> result = client.fetchDifficultyAdjustments(period);
        return AdjustmentOutcome{ std::move(result), client.lastFailure() };
    });
}

void TestMempoolClient::recordedHashrates_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("period");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("exponentForms");
    QTest::addColumn<int>("index");
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("currentValue");
    QTest::addColumn<double>("currentDifficulty");

    // Plain digits, as JavaScript writes doubles below 1e21: read exactly as written.
    QTest::newRow("2024, plain digits")
        << "mempool/hashrate-3m-2024-10-03.json"
        << "3m" << 90 << 0 << 0 << qint64(1720224000) << "715064498795602500000"
        << "715064498795602500000"
        << "755064447000000000000" << 88404191961276.9;
    QTest::newRow("2024, last sample")
        << "mempool/hashrate-3m-2024-10-03.json"
        << "3m" << 90 << 0 << 89 << qint64(1727913600) << "781373219428673900000"
        << "781373219428673900000"
        << "755064447000000000000" << 88404191961276.9;
    // Exponent form, as JavaScript writes doubles of 1e21 and more: the double's integer.
    QTest::newRow("2025, exponent form")
        << "mempool/hashrate-1m-2025-09-20.json"
        << "1m" << 30 << 16 << 5 << qint64(1756252800) << "1.0048528120852139e+21"
        << "1004852812085213921280"
        << "1029235778999999922176" << 134702563859232.36;
    QTest::newRow("2025, plain digits")
        << "mempool/hashrate-1m-2025-09-20.json"
        << "1m" << 30 << 16 << 0 << qint64(1755820800) << "976711064854484900000"
        << "976711064854484900000"
        << "1029235778999999922176" << 134702563859232.36;
}

void TestMempoolClient::recordedHashrates()
{
    QFETCH(QString, file);
    QFETCH(QString, period);
    QFETCH(int, count);
    QFETCH(int, exponentForms);
    QFETCH(int, index);
    QFETCH(qint64, timestamp);
    QFETCH(QString, text);
    QFETCH(QString, value);
    QFETCH(QString, currentValue);
    QFETCH(double, currentDifficulty);
    const QByteArray payload = HttpFixture::fixture(file);
    QVERIFY(!payload.isEmpty());
    m_server->route(hashratePath + period, HttpFixture::Response::json(payload));

    const std::optional<HashrateOutcome> outcome =
        fetchHashrates(*MempoolClient::periodFromText(period));
    QVERIFY(outcome);
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    const HashrateHistory &history = *outcome->result;
    QCOMPARE(history.samples.size(), count);
    const HashrateSample &sample = history.samples.at(index);
    QCOMPARE(sample.timestamp, timestamp);
    QCOMPARE(QString::fromLatin1(sample.text), text);
    QCOMPARE(exact(sample.hashrate), value);
    QCOMPARE(exact(history.currentHashrate), currentValue);
    QCOMPARE(history.currentDifficulty, currentDifficulty);
    QVERIFY(history.hasCurrent());

    int exponents = 0;
    for (qsizetype i = 0; i < history.samples.size(); ++i) {
        const HashrateSample &s = history.samples.at(i);
        if (i > 0)
            QCOMPARE_GT(s.timestamp, history.samples.at(i - 1).timestamp);
        if (s.text.contains('e')) {
            ++exponents;
            // The integer of the double the text denotes: the same double again.
            QCOMPARE(ExactInteger::toDouble(s.hashrate), s.text.toDouble());
        } else {
            QCOMPARE(exact(s.hashrate), QString::fromLatin1(s.text));
        }
    }
    QCOMPARE(exponents, exponentForms);
    QCOMPARE(m_server->requests().size(), 1);
    QCOMPARE(m_server->requests().first().path, hashratePath + period);
}

void TestMempoolClient::hashrateNumbers_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("expected"); // the exact integer, or a part of the error

    QTest::newRow("plain digits beyond int64")
        << QByteArray("736575040256689400000") << "736575040256689400000";
    QTest::newRow("exponent form")
        << QByteArray("7.365750402566894e+20") << "736575040256689438720";
    QTest::newRow("15 digits, exponent form")
        << QByteArray("7.36575040256689e+20") << "736575040256689045504";
    QTest::newRow("fraction") << QByteArray("736575040256689400000.0") << "736575040256689438720";
    QTest::newRow("small fraction floors") << QByteArray("12345.9") << "12345";
    QTest::newRow("2^127 - 1") << QByteArray("170141183460469231731687303715884105727")
                               << "170141183460469231731687303715884105727";
    QTest::newRow("2^127") << QByteArray("170141183460469231731687303715884105728")
                           << "hash rate sample 0: avgHashrate: the number "
                              "\"170141183460469231731687303715884105728\" is beyond the "
                              "128-bit range (HTTP 200 OK)";
    QTest::newRow("1e400") << QByteArray("1e400")
                           << "hash rate sample 0: avgHashrate: the number \"1e400\" is beyond "
                              "the 128-bit range";
    QTest::newRow("zero") << QByteArray("0") << "hash rate sample 0: avgHashrate 0 is not positive";
    QTest::newRow("negative") << QByteArray("-7e20")
                              << "hash rate sample 0: avgHashrate -7e20 is not positive";
    QTest::newRow("a string") << QByteArray("\"736575040256689400000\"")
                              << "hash rate sample 0: avgHashrate is a string, expected a number";
    QTest::newRow("null") << QByteArray("null")
                          << "hash rate sample 0: avgHashrate is null, expected a number";
}

void TestMempoolClient::hashrateNumbers()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, expected);
    m_server->route(hashratePath + QStringLiteral("1m"),
        HttpFixture::Response::json(hashratePayload({ "1727913600:" + token })));
    const std::optional<HashrateOutcome> outcome = fetchHashrates(MiningPeriod::OneMonth);
    QVERIFY(outcome);
    if (expected.at(0).isDigit()) {
        QVERIFY2(outcome->result, failure(outcome->result).constData());
        QCOMPARE(exact(outcome->result->samples.first().hashrate), expected);
        QCOMPARE(outcome->result->samples.first().text, token);
    } else {
        QVERIFY(!outcome->result);
        QVERIFY2(outcome->result.error().what.contains(expected),
            qPrintable(outcome->result.error().what));
        QCOMPARE(outcome->failure.kind, FetchFailure::Kind::InvalidResponse);
    }
}

void TestMempoolClient::hashrateOrder_data()
{
    QTest::addColumn<QList<QByteArray>>("samples");
    QTest::addColumn<QString>("expected"); // the timestamps after normalisation, or the error

    QTest::newRow("oldest first (documented)") << QList<QByteArray>{ "1727740800:1", "1727827200:2",
        "1727913600:3" } << "1727740800,1727827200,1727913600";
    QTest::newRow("newest first") << QList<QByteArray>{ "1727913600:3", "1727827200:2",
        "1727740800:1" } << "1727740800,1727827200,1727913600";
    QTest::newRow("one sample") << QList<QByteArray>{ "1727913600:3" } << "1727913600";
    QTest::newRow("unsorted")
        << QList<QByteArray>{ "1727740800:1", "1727913600:3", "1727827200:2" }
        << "hash rate sample 2: timestamp 1727827200 breaks the order of the list (neither "
           "oldest first nor newest first)";
    QTest::newRow("duplicate") << QList<QByteArray>{ "1727740800:1", "1727827200:2",
        "1727827200:3" } << "hash rate sample 2: duplicate timestamp 1727827200";
}

void TestMempoolClient::hashrateOrder()
{
    QFETCH(QList<QByteArray>, samples);
    QFETCH(QString, expected);
    m_server->route(
        hashratePath + QStringLiteral("1m"), HttpFixture::Response::json(hashratePayload(samples)));
    const std::optional<HashrateOutcome> outcome = fetchHashrates(MiningPeriod::OneMonth);
    QVERIFY(outcome);
    if (!expected.at(0).isDigit()) {
        QVERIFY(!outcome->result);
        QVERIFY2(outcome->result.error().what.startsWith(expected),
            qPrintable(outcome->result.error().what));
        return;
    }
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    QStringList timestamps;
    for (const HashrateSample &sample : outcome->result->samples) {
        timestamps << QString::number(sample.timestamp);
        // Values travel with their timestamps: 1 at the oldest, 3 at the newest.
        QCOMPARE(
            exact(sample.hashrate), QString::number((sample.timestamp - 1727740800) / 86400 + 1));
    }
    QCOMPARE(timestamps.join(u','), expected);
}

void TestMempoolClient::hashrateFaults_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    const QByteArray sample = "{\"timestamp\":1727913600,\"avgHashrate\":7e20}";
    const QString future = QString::number(QDateTime::currentSecsSinceEpoch() + 3 * 86400);
    QTest::newRow("an array") << QByteArray("[]") << "expected a JSON object, got an array";
    QTest::newRow("no hashrates") << QByteArray(R"({"currentHashrate":1,"currentDifficulty":1})")
                                  << "no \"hashrates\" member";
    QTest::newRow("hashrates not an array")
        << QByteArray(R"({"hashrates":{},"currentHashrate":1,"currentDifficulty":1})")
        << "\"hashrates\" is an object, expected an array";
    QTest::newRow("empty hashrates")
        << hashratePayload({}) << "empty response: no hash rate samples for period 1m";
    QTest::newRow("sample not an object") << QByteArray(
        R"({"hashrates":[[1727913600,7e20]],"currentHashrate":1,"currentDifficulty":1})")
                                          << "hash rate sample 0: expected an object, got an array";
    QTest::newRow("no timestamp") << QByteArray(
        R"({"hashrates":[{"avgHashrate":7e20}],"currentHashrate":1,"currentDifficulty":1})")
                                  << "hash rate sample 0: no \"timestamp\" member";
    QTest::newRow("no avgHashrate") << QByteArray(
        R"({"hashrates":[{"timestamp":1727913600}],"currentHashrate":1,"currentDifficulty":1})")
                                    << "hash rate sample 0: no \"avgHashrate\" member";
    QTest::newRow("timestamp as a string") << hashratePayload({ "\"1727913600\":7e20" })
                                           << "hash rate sample 0: timestamp is a string, "
                                              "expected an integer";
    QTest::newRow("timestamp with a fraction")
        << hashratePayload({ "1727913600.5:7e20" })
        << "hash rate sample 0: timestamp 1727913600.5 is not a whole number of seconds";
    QTest::newRow("timestamp in milliseconds") << hashratePayload(
        { "1727913600000:7e20" }) << "hash rate sample 0: timestamp 1727913600000 is in the future";
    QTest::newRow("timestamp before Bitcoin")
        << hashratePayload({ "1000000000:7e20" })
        << "hash rate sample 0: timestamp 1000000000 (2001-09-09T01:46:40Z) is before Bitcoin's "
           "first block";
    QTest::newRow("timestamp in the future") << hashratePayload({ future.toLatin1() + ":7e20" })
                                             << "hash rate sample 0: timestamp " + future + " (";
    QTest::newRow("no currentHashrate")
        << QByteArray("{\"hashrates\":[" + sample + "],\"currentDifficulty\":1}")
        << "no \"currentHashrate\" member";
    QTest::newRow("currentHashrate as a string") << hashratePayload(
        { "1727913600:7e20" }, "\"7e20\"") << "currentHashrate is a string, expected a number";
    QTest::newRow("negative currentHashrate")
        << hashratePayload({ "1727913600:7e20" }, "-1") << "currentHashrate -1 is negative";
    QTest::newRow("no currentDifficulty")
        << QByteArray("{\"hashrates\":[" + sample + "],\"currentHashrate\":1}")
        << "no \"currentDifficulty\" member";
    QTest::newRow("difficulty not an array") << QByteArray("{\"hashrates\":[" + sample
        + "],\"difficulty\":7,\"currentHashrate\":1,\"currentDifficulty\":1}")
                                             << "\"difficulty\" is a number, expected an array";
    QTest::newRow("truncated") << hashratePayload({ "1727913600:7e20" }).left(60)
                               << "invalid JSON at offset 60: unexpected end of data";
}

void TestMempoolClient::hashrateFaults()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    m_server->route(hashratePath + QStringLiteral("1m"), HttpFixture::Response::json(body));
    const std::optional<HashrateOutcome> outcome = fetchHashrates(MiningPeriod::OneMonth);
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    const Error &error = outcome->result.error();
    QVERIFY2(error.what.startsWith(expected), qPrintable(error.what));
    QVERIFY2(error.what.endsWith(QStringLiteral(" (HTTP 200 OK)")), qPrintable(error.what));
    QCOMPARE(error.where,
        QStringLiteral("GET %1/api/v1/mining/hashrate/1m").arg(m_server->url().toString()));
    QCOMPARE(outcome->failure.kind, FetchFailure::Kind::InvalidResponse);
    QCOMPARE(outcome->failure.httpStatus, 200);
    QVERIFY(!outcome->failure.isTransient());
}

void TestMempoolClient::currentUnavailable()
{
    // mempool.space answers 0 and 0 when its own node is unavailable.
    m_server->route(hashratePath + QStringLiteral("1m"),
        HttpFixture::Response::json(hashratePayload({ "1727913600:7e20" }, "0", "0")));
    const std::optional<HashrateOutcome> outcome = fetchHashrates(MiningPeriod::OneMonth);
    QVERIFY(outcome);
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    QVERIFY(!outcome->result->hasCurrent());
    QCOMPARE(outcome->result->samples.size(), 1);
    QCOMPARE(
        exact(outcome->result->samples.first().hashrate), QStringLiteral("700000000000000000000"));
}

void TestMempoolClient::recordedAdjustments()
{
    const QByteArray payload =
        HttpFixture::fixture(QStringLiteral("mempool/difficulty-adjustments-1y-2024-10-03.json"));
    QVERIFY(!payload.isEmpty());
    QVERIFY(payload.startsWith("[[1727335872,862848,")); // recorded newest first
    m_server->route(adjustmentsPath + QStringLiteral("1y"), HttpFixture::Response::json(payload));

    const std::optional<AdjustmentOutcome> outcome = fetchAdjustments(MiningPeriod::OneYear);
    QVERIFY(outcome);
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    const QList<DifficultyAdjustment> &adjustments = *outcome->result;
    QCOMPARE(adjustments.size(), 27);
    QCOMPARE(adjustments.first(),
        (DifficultyAdjustment{ 1696526132, 810432, 53010387747823.2, 1.03949 }));
    QCOMPARE(adjustments.last(),
        (DifficultyAdjustment{ 1727335872, 862848, 88404191961276.9, 1.02251 }));
    QCOMPARE(
        adjustments.at(25), (DifficultyAdjustment{ 1726148231, 860832, 86458198418980.4, 1.0453 }));
    for (qsizetype i = 1; i < adjustments.size(); ++i) {
        QCOMPARE_GT(adjustments.at(i).timestamp, adjustments.at(i - 1).timestamp);
        QCOMPARE(adjustments.at(i).height, adjustments.at(i - 1).height + 2016);
    }
    QCOMPARE(m_server->requests().first().path, adjustmentsPath + QStringLiteral("1y"));
}

void TestMempoolClient::adjustmentOrder_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected"); // heights after normalisation, or the error

    QTest::newRow("newest first (documented)")
        << QByteArray("[[1727335872,862848,88404191961276.9,1.02251],"
                      "[1726148231,860832,86458198418980.4,1.0453]]")
        << "860832,862848";
    QTest::newRow("oldest first") << QByteArray("[[1726148231,860832,86458198418980.4,1.0453],"
                                                "[1727335872,862848,88404191961276.9,1.02251]]")
                                  << "860832,862848";
    QTest::newRow("unsorted") << QByteArray(
        "[[1727335872,862848,8.8e13,1.02],[1724961165,858816,8.3e13,1.0],"
        "[1726148231,860832,8.6e13,1.04]]")
                              << "adjustment 2: timestamp 1726148231 breaks the order of the list";
    QTest::newRow("duplicate") << QByteArray("[[1727335872,862848,8.8e13,1.02],"
                                             "[1727335872,862848,8.8e13,1.02]]")
                               << "adjustment 1: duplicate timestamp 1727335872";
    QTest::newRow("heights against timestamps")
        << QByteArray("[[1727335872,860832,8.8e13,1.02],[1726148231,862848,8.6e13,1.04]]")
        << "adjustment 1: height 862848 does not follow the order of the timestamps";
}

void TestMempoolClient::adjustmentOrder()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    m_server->route(adjustmentsPath + QStringLiteral("1m"), HttpFixture::Response::json(body));
    const std::optional<AdjustmentOutcome> outcome = fetchAdjustments(MiningPeriod::OneMonth);
    QVERIFY(outcome);
    if (!expected.at(0).isDigit()) {
        QVERIFY(!outcome->result);
        QVERIFY2(outcome->result.error().what.startsWith(expected),
            qPrintable(outcome->result.error().what));
        return;
    }
    QVERIFY2(outcome->result, failure(outcome->result).constData());
    QStringList heights;
    for (const DifficultyAdjustment &adjustment : *outcome->result)
        heights << QString::number(adjustment.height);
    QCOMPARE(heights.join(u','), expected);
    QCOMPARE(outcome->result->last().difficulty, 88404191961276.9);
}

void TestMempoolClient::adjustmentFaults_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    QTest::newRow("an object") << QByteArray("{}")
                               << "expected a JSON array of adjustments, got an object";
    QTest::newRow("empty") << QByteArray("[]")
                           << "empty response: no difficulty adjustments for period 1m";
    QTest::newRow("entry not an array") << QByteArray(R"([{"time":1727335872}])")
                                        << "adjustment 0: expected an array, got an object";
    QTest::newRow("three fields") << QByteArray("[[1727335872,862848,8.8e13]]")
                                  << "adjustment 0: expected at least 4 fields, got 3";
    QTest::newRow("timestamp as a string") << QByteArray("[[\"1727335872\",862848,8.8e13,1.02]]")
                                           << "adjustment 0: timestamp is a string, expected "
                                              "an integer";
    QTest::newRow("height with a fraction") << QByteArray("[[1727335872,862848.5,8.8e13,1.02]]")
                                            << "adjustment 0: height 862848.5 is not a whole "
                                               "number >= 0";
    QTest::newRow("difficulty as a string") << QByteArray("[[1727335872,862848,\"8.8e13\",1.02]]")
                                            << "adjustment 0: difficulty is a string, expected "
                                               "a number";
    QTest::newRow("difficulty zero") << QByteArray("[[1727335872,862848,0,1.02]]")
                                     << "adjustment 0: difficulty 0 is not a finite number > 0";
    QTest::newRow("ratio negative") << QByteArray("[[1727335872,862848,8.8e13,-1]]")
                                    << "adjustment 0: change ratio -1 is not a finite number > 0";
    QTest::newRow("before Bitcoin") << QByteArray("[[1230000000,0,1,1]]")
                                    << "adjustment 0: timestamp 1230000000 "
                                       "(2008-12-23T02:40:00Z) is before Bitcoin's first block";
    QTest::newRow("malformed") << QByteArray("[[1727335872,862848,8.8e13,1.02]")
                               << "invalid JSON at offset 32: unexpected end of data";
}

void TestMempoolClient::adjustmentFaults()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    m_server->route(adjustmentsPath + QStringLiteral("1m"), HttpFixture::Response::json(body));
    const std::optional<AdjustmentOutcome> outcome = fetchAdjustments(MiningPeriod::OneMonth);
    QVERIFY(outcome);
    QVERIFY(!outcome->result);
    const Error &error = outcome->result.error();
    QVERIFY2(error.what.startsWith(expected), qPrintable(error.what));
    QVERIFY2(error.what.endsWith(QStringLiteral(" (HTTP 200 OK)")), qPrintable(error.what));
    QCOMPARE(error.where,
        QStringLiteral("GET %1/api/v1/mining/difficulty-adjustments/1m")
            .arg(m_server->url().toString()));
    QCOMPARE(outcome->failure.kind, FetchFailure::Kind::InvalidResponse);
}

void TestMempoolClient::httpFaults_data()
{
    QTest::addColumn<bool>("adjustments"); // else hash rates
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    QTest::newRow("hash rate, 500 with mempool's text")
        << false << 500 << QByteArray() << QByteArray("Cannot fetch network hashrate history")
        << "HTTP 500 Internal Server Error: Cannot fetch network hashrate history";
    QTest::newRow("hash rate, 429") << false << 429 << QByteArray("60") << QByteArray()
                                    << "HTTP 429 Too Many Requests, retry after 60 s";
    QTest::newRow("adjustments, 404")
        << true << 404 << QByteArray() << QByteArray() << "HTTP 404 Not Found";
    QTest::newRow("adjustments, 502 HTML page")
        << true << 502 << QByteArray() << QByteArray("<html><body>Bad gateway</body></html>")
        << "HTTP 502 Bad Gateway";
}

void TestMempoolClient::httpFaults()
{
    QFETCH(bool, adjustments);
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfter);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    HttpFixture::Response response = HttpFixture::Response::text(status, body);
    if (!retryAfter.isEmpty())
        response.withHeader("Retry-After", retryAfter);
    const QString path = (adjustments ? adjustmentsPath : hashratePath) + QStringLiteral("6m");
    m_server->route(path, response);

    Error error;
    FetchFailure failure;
    if (adjustments) {
        const std::optional<AdjustmentOutcome> outcome = fetchAdjustments(MiningPeriod::SixMonths);
        QVERIFY(outcome);
        QVERIFY(!outcome->result);
        error = outcome->result.error();
        failure = outcome->failure;
    } else {
        const std::optional<HashrateOutcome> outcome = fetchHashrates(MiningPeriod::SixMonths);
        QVERIFY(outcome);
        QVERIFY(!outcome->result);
        error = outcome->result.error();
        failure = outcome->failure;
    }
    QCOMPARE(error.what, expected);
    QCOMPARE(error.where, QStringLiteral("GET ") + m_server->url().toString() + path);
    QCOMPARE(failure.kind, FetchFailure::Kind::HttpStatus);
    QCOMPARE(failure.httpStatus, status);
    QCOMPARE(failure.retryAfter.has_value(), !retryAfter.isEmpty());
}

void TestMempoolClient::periodReaching_data()
{
    QTest::addColumn<qint64>("daysBack");
    QTest::addColumn<qint64>("marginDays");
    QTest::addColumn<QString>("expected"); // a period, or empty for an error

    QTest::newRow("update: today, hash rate margin") << qint64(0) << qint64(2) << "1m";
    QTest::newRow("26 days + 2 = 28: 1m") << qint64(26) << qint64(2) << "1m";
    QTest::newRow("27 days + 2 = 29: 3m") << qint64(27) << qint64(2) << "3m";
    QTest::newRow("10 days, difficulty margin") << qint64(10) << qint64(35) << "3m";
    QTest::newRow("30-day backfill, difficulty margin") << qint64(30) << qint64(35) << "3m";
    QTest::newRow("60 days, difficulty margin") << qint64(60) << qint64(35) << "6m";
    QTest::newRow("200 days") << qint64(200) << qint64(2) << "1y";
    QTest::newRow("400 days") << qint64(400) << qint64(35) << "2y";
    QTest::newRow("1000 days") << qint64(1000) << qint64(35) << "3y";
    QTest::newRow("beyond 3y") << qint64(1090) << qint64(35) << "";
    QTest::newRow("in the future") << qint64(-1) << qint64(0) << "1m";
}

void TestMempoolClient::periodReaching()
{
    QFETCH(qint64, daysBack);
    QFETCH(qint64, marginDays);
    QFETCH(QString, expected);
    const qint64 now = 1727913600;
    const Result<MiningPeriod> period =
        MempoolClient::periodReaching(now - daysBack * 86400, marginDays * 86400, now);
    if (expected.isEmpty()) {
        QVERIFY(!period);
        QVERIFY2(period.error().what.contains(QStringLiteral("further back than the 3y period")),
            qPrintable(period.error().what));
        QCOMPARE(period.error().code, ErrorCode::Permanent); // asking again reaches no further
        return;
    }
    QVERIFY2(period, failure(period).constData());
    QCOMPARE(MempoolClient::periodText(*period), expected);
    QVERIFY(MempoolClient::periodSeconds(*period) >= (daysBack + marginDays) * 86400);
}

void TestMempoolClient::periodTexts()
{
    const QList<MiningPeriod> periods{ MiningPeriod::OneMonth, MiningPeriod::ThreeMonths,
        MiningPeriod::SixMonths, MiningPeriod::OneYear, MiningPeriod::TwoYears,
        MiningPeriod::ThreeYears };
    QStringList texts;
    for (const MiningPeriod period : periods) {
        texts << MempoolClient::periodText(period);
        QCOMPARE(MempoolClient::periodFromText(texts.last()), period);
    }
    QCOMPARE(texts.join(u','), QStringLiteral("1m,3m,6m,1y,2y,3y"));
    QVERIFY(!MempoolClient::periodFromText(QStringLiteral("all")));
    QVERIFY(!MempoolClient::periodFromText(QStringLiteral("1w")));
}

QTEST_GUILESS_MAIN(TestMempoolClient)
#include "tst_mempoolclient.moc"
