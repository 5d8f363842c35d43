// The `http` step of flow files (README, "Your own flows"): JSON over loopback from HttpFixture
// into a warehouse table, built from YAML and run on an Engine.

#include <QTest>

#include "flowsteprunner.h"
#include "httpfixture.h"

using namespace Sluice;

namespace {

QByteArray flowYaml(const QUrl &server, QByteArray rest, const QByteArray &head = {})
{
    return head + "steps:\n  - id: fetch\n" + rest.replace("URL", server.toEncoded());
}

// {"data":[{"id":1,"p":"10.5","q":3,"s":"a"},...]}
QByteArray items(const QList<QByteArray> &elements)
{
    QByteArray body = "{\"data\": [";
    for (qsizetype i = 0; i < elements.size(); ++i)
        body += (i ? "," : "") + elements.at(i);
    return body + "]}";
}

const QByteArray Columns = "    http:\n"
                           "      url: URL/api\n"
                           "      rows: /data\n"
                           "      into: prices\n"
                           "      key: [id]\n"
                           "      columns:\n"
                           "        id: { pointer: /id, type: integer }\n"
                           "        p: { pointer: /p, type: real }\n"
                           "        s: /s\n";

} // namespace

class TestHttpStep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storesNestedRowsTyped();
    void misfitNamesPointerAndStoresNothing();
    void integerBeyond64BitsFails();
    void retriesAfter429();
    void badJsonIsPermanent();
    void notFoundIsPermanent();
    void replaceAndIgnore();
    void queryValuesArePercentEncoded();
};

void TestHttpStep::storesNestedRowsTyped()
{
    HttpFixture server;
    QVERIFY(server.listen());
    server.route(QStringLiteral("/api"), HttpFixture::Response::json(R"({"result": {"rows": [
            {"id": 1, "m": {"p": "67012.5", "n": "7"}, "s": "BTC"},
            {"id": "2", "m": {"p": 3, "n": 8}, "s": 42},
            {"id": 3.0, "m": {"p": -1e3, "n": true}, "s": null}]}})"));
    FlowStepRunner runner;
    const FlowStepRunner::Outcome outcome = runner.run(flowYaml(server.url(),
        "    http:\n"
        "      url: URL/api\n"
        "      rows: /result/rows\n"
        "      into: nested\n"
        "      columns:\n"
        "        id: { pointer: /id, type: integer }\n"
        "        p: { pointer: /m/p, type: real }\n"
        "        n: { pointer: /m/n, type: integer }\n"
        "        s: /s\n"));
    QVERIFY2(outcome.buildError.isEmpty(), qPrintable(outcome.buildError));
    QCOMPARE(outcome.state, RunState::Completed);
    QCOMPARE(outcome.outputs.value(QStringLiteral("fetch")).toLongLong(), 3);
    const QList<QVariantList> rows = FlowStepRunner::rows(runner.warehousePath(),
        QStringLiteral(
            "SELECT id, typeof(id), p, typeof(p), n, s, typeof(s) FROM nested ORDER BY id"));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0], (QVariantList{ 1, "integer", 67012.5, "real", 7, "BTC", "text" }));
    QCOMPARE(rows[1], (QVariantList{ 2, "integer", 3.0, "real", 8, "42", "text" }));
    QCOMPARE(rows[2].mid(0, 5), (QVariantList{ 3, "integer", -1000.0, "real", 1 }));
    QCOMPARE(rows[2].at(6).toString(), QStringLiteral("null"));
}

void TestHttpStep::misfitNamesPointerAndStoresNothing()
{
    HttpFixture server;
    QVERIFY(server.listen());
    QByteArray body = items({ R"({"id":1,"p":"1.5","s":"a"})", R"({"id":2,"p":2,"s":"b"})" });
    server.route(QStringLiteral("/api"),
        [&](const HttpFixture::Request &) { return HttpFixture::Response::json(body); });
    FlowStepRunner runner;
    const QByteArray yaml = flowYaml(server.url(), Columns);
    QCOMPARE(runner.run(yaml).state, RunState::Completed);

    // Rows 0..2 fit and would replace the stored ones; row 3 does not: nothing changes.
    body = items({ R"({"id":1,"p":"9","s":"x"})", R"({"id":2,"p":9,"s":"y"})",
        R"({"id":5,"p":9,"s":"z"})", R"({"id":6,"p":"abc","s":"w"})" });
    const FlowStepRunner::Outcome outcome =
        runner.run(flowYaml(server.url(), QByteArray(Columns) + "      on-conflict: replace\n"));
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(outcome.message.contains(QLatin1String("/data/3/p")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("`p`")), qPrintable(outcome.message));
    QCOMPARE(FlowStepRunner::rows(
                 runner.warehousePath(), QStringLiteral("SELECT id, p, s FROM prices ORDER BY id")),
        (QList<QVariantList>{ { 1, 1.5, "a" }, { 2, 2.0, "b" } }));

    // A missing pointer in a fresh table: the table is not even created.
    body = items({ R"({"id":1,"p":1,"s":"a"})", R"({"id":2,"s":"b"})" });
    const FlowStepRunner::Outcome missing = runner.run(
        flowYaml(server.url(), QByteArray(Columns).replace("into: prices", "into: fresh")));
    QCOMPARE(missing.state, RunState::Failed);
    QVERIFY2(missing.message.contains(QLatin1String("/data/1/p")), qPrintable(missing.message));
    QVERIFY(FlowStepRunner::rows(runner.warehousePath(),
        QStringLiteral("SELECT name FROM sqlite_master WHERE name = 'fresh'"))
                .isEmpty());
}

void TestHttpStep::integerBeyond64BitsFails()
{
    HttpFixture server;
    QVERIFY(server.listen());
    server.route(QStringLiteral("/api"),
        HttpFixture::Response::json(items({ R"({"id":9223372036854775808,"p":1,"s":"a"})" })));
    FlowStepRunner runner;
    const FlowStepRunner::Outcome outcome = runner.run(flowYaml(server.url(), Columns));
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(outcome.message.contains(QLatin1String("/data/0/id")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("64-bit")), qPrintable(outcome.message));
}

void TestHttpStep::retriesAfter429()
{
    HttpFixture server;
    QVERIFY(server.listen());
    int calls = 0;
    server.route(QStringLiteral("/api"), [&](const HttpFixture::Request &) {
        if (++calls == 1)
            return HttpFixture::Response::text(429, "slow down").withHeader("Retry-After", "0");
        return HttpFixture::Response::json(items({ R"({"id":1,"p":1,"s":"a"})" }));
    });
    FlowStepRunner runner;
    const FlowStepRunner::Outcome outcome = runner.run(
        flowYaml(server.url(), QByteArray(Columns) + "    retries: 2\n    retry-delay: 0s\n"));
    QCOMPARE(outcome.state, RunState::Completed);
    QCOMPARE(calls, 2);
    QCOMPARE(outcome.outputs.value(QStringLiteral("fetch")).toLongLong(), 1);
    bool retried = false;
    for (const TaskStateEvent &e : outcome.states)
        retried =
            retried || (e.state == RunState::Retrying && e.message.contains(QLatin1String("429")));
    QVERIFY(retried);
}

void TestHttpStep::badJsonIsPermanent()
{
    HttpFixture server;
    QVERIFY(server.listen());
    server.route(QStringLiteral("/api"),
        HttpFixture::Response::json(R"({"data": [{"id": 1, "p": 1, "s": "a"}, {"id": 2,)"));
    FlowStepRunner runner;
    const FlowStepRunner::Outcome outcome = runner.run(
        flowYaml(server.url(), QByteArray(Columns) + "    retries: 2\n    retry-delay: 0s\n"));
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(outcome.message.contains(QLatin1String("JSON")), qPrintable(outcome.message));
    QCOMPARE(server.requests(QStringLiteral("/api")).size(), 1);
    // The element read before the error is not stored.
    QVERIFY(FlowStepRunner::rows(runner.warehousePath(),
        QStringLiteral("SELECT name FROM sqlite_master WHERE name = 'prices'"))
                .isEmpty());
}

void TestHttpStep::notFoundIsPermanent()
{
    HttpFixture server;
    QVERIFY(server.listen());
    FlowStepRunner runner;
    const FlowStepRunner::Outcome outcome = runner.run(
        flowYaml(server.url(), QByteArray(Columns) + "    retries: 2\n    retry-delay: 0s\n"));
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(outcome.message.contains(QLatin1String("404")), qPrintable(outcome.message));
    QCOMPARE(server.requests(QStringLiteral("/api")).size(), 1);
}

void TestHttpStep::replaceAndIgnore()
{
    HttpFixture server;
    QVERIFY(server.listen());
    QByteArray body = items({ R"({"id":1,"p":1,"s":"first"})" });
    server.route(QStringLiteral("/api"),
        [&](const HttpFixture::Request &) { return HttpFixture::Response::json(body); });
    FlowStepRunner runner;
    QCOMPARE(runner.run(flowYaml(server.url(), Columns)).state, RunState::Completed);
    body = items({ R"({"id":1,"p":2,"s":"second"})", R"({"id":2,"p":2,"s":"new"})" });
    const FlowStepRunner::Outcome ignored = runner.run(flowYaml(server.url(), Columns));
    QCOMPARE(ignored.state, RunState::Completed);
    QCOMPARE(ignored.outputs.value(QStringLiteral("fetch")).toLongLong(), 1);
    QCOMPARE(FlowStepRunner::rows(
                 runner.warehousePath(), QStringLiteral("SELECT s FROM prices ORDER BY id")),
        (QList<QVariantList>{ { "first" }, { "new" } }));
    body = items({ R"({"id":1,"p":3,"s":"third"})" });
    const FlowStepRunner::Outcome replaced =
        runner.run(flowYaml(server.url(), QByteArray(Columns) + "      on-conflict: replace\n"));
    QCOMPARE(replaced.state, RunState::Completed);
    QCOMPARE(FlowStepRunner::rows(
                 runner.warehousePath(), QStringLiteral("SELECT s FROM prices ORDER BY id")),
        (QList<QVariantList>{ { "third" }, { "new" } }));
}

void TestHttpStep::queryValuesArePercentEncoded()
{
    HttpFixture server;
    QVERIFY(server.listen());
    server.route(QStringLiteral("/api"), HttpFixture::Response::json(items({})));
    FlowStepRunner runner;
    const QString hostile = QStringLiteral("a b&x=1#frag+%20/é");
    const FlowStepRunner::Outcome outcome = runner.run(
        flowYaml(server.url(),
            QByteArray(Columns).replace("url: URL/api", "url: \"URL/api?fixed=1&u=${params.q}\"")
                + "      query: { q: \"${params.q}\", plain: yes }\n"
                  "      headers: { X-Value: \"${params.q}\" }\n",
            "params:\n  q: { type: string }\n"),
        { { QStringLiteral("q"), hostile } });
    QVERIFY2(outcome.buildError.isEmpty(), qPrintable(outcome.buildError));
    QCOMPARE(outcome.state, RunState::Completed);
    QCOMPARE(outcome.outputs.value(QStringLiteral("fetch")).toLongLong(), 0);
    const QList<HttpFixture::Request> requests = server.requests(QStringLiteral("/api"));
    QCOMPARE(requests.size(), 1);
    const QUrlQuery &query = requests.first().query;
    QCOMPARE(query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded), hostile);
    QCOMPARE(query.queryItemValue(QStringLiteral("u"), QUrl::FullyDecoded), hostile);
    QCOMPARE(query.queryItemValue(QStringLiteral("fixed")), QStringLiteral("1"));
    QCOMPARE(query.queryItemValue(QStringLiteral("plain")), QStringLiteral("yes"));
    QVERIFY(!query.hasQueryItem(QStringLiteral("x")));
    QCOMPARE(QString::fromUtf8(requests.first().header("x-value")), hostile);
    // An empty table is created all the same.
    QVERIFY(!FlowStepRunner::rows(runner.warehousePath(),
        QStringLiteral("SELECT name FROM sqlite_master WHERE name = 'prices'"))
                 .isEmpty());
}

QTEST_GUILESS_MAIN(TestHttpStep)
#include "tst_httpstep.moc"
