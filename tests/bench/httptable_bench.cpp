// httptable_bench: rows/s of a flow file's `http` step (HttpStep, run on an Engine) storing ROWS
// JSON objects served over loopback by HttpFixture, next to Python doing the same job on the
// same payload in the same run: fetching it from the same server with urllib, json.loads and
// executemany into SQLite (the ratio of the target), and, for reference, reading the bytes from
// a file instead of over HTTP.
// Usage: httptable_bench [ROWS]   (prints figures; no pass/fail)

#include <cstdio>
#include <random>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>

#include "flowsteprunner.h"
#include "httpfixture.h"

using namespace Sluice;

namespace {

constexpr int Runs = 5;

// {"data":[{"id":1,"ts":1700000000000,"p":"67012.53","q":0.512,"s":"BTCUSDT"},...]}: prices as
// strings, as Binance sends them.
QByteArray payload(qint64 rows)
{
    std::mt19937_64 random(20261207);
    std::uniform_int_distribution<int> cents(3000000, 7000000);
    std::uniform_int_distribution<int> lots(1, 100000);
    QByteArray body = "{\"data\":[";
    body.reserve(rows * 80);
    char line[160];
    for (qint64 i = 0; i < rows; ++i) {
        const int n = std::snprintf(line, sizeof line,
            "%s{\"id\":%lld,\"ts\":%lld,\"p\":\"%d.%02d\",\"q\":%d.%03d,\"s\":\"BTCUSDT\"}",
            i ? "," : "", static_cast<long long>(i + 1),
            static_cast<long long>(1700000000000LL + i * 1000), cents(random) / 100,
            cents(random) % 100, lots(random) / 1000, lots(random) % 1000);
        body.append(line, n);
    }
    return body + "]}";
}

const char *const Python = R"(
import json, sqlite3, sys, urllib.request
if sys.argv[1].startswith('http'):
    with urllib.request.urlopen(sys.argv[1]) as response:
        document = json.loads(response.read())
else:
    with open(sys.argv[1], 'rb') as f:
        document = json.load(f)
db = sqlite3.connect(sys.argv[2])
db.execute('PRAGMA journal_mode=WAL')
db.execute('CREATE TABLE t (id INTEGER, ts INTEGER, p REAL, q REAL, s TEXT)')
db.executemany('INSERT INTO t VALUES (?, ?, ?, ?, ?)',
    ((o['id'], o['ts'], float(o['p']), o['q'], o['s']) for o in document['data']))
db.commit()
print(db.execute('SELECT COUNT(*) FROM t').fetchone()[0])
)";

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1000000;
    const QByteArray body = payload(rows);
    HttpFixture server;
    if (!server.listen())
        return 1;
    server.route(QStringLiteral("/rows"), HttpFixture::Response::json(body));

    double best = 0;
    double bestPython = 0;
    double bestFile = 0;
    for (int run = 0; run < Runs; ++run) {
        FlowStepRunner runner;
        QElapsedTimer clock;
        clock.start();
        const FlowStepRunner::Outcome outcome =
            runner.run("steps:\n  - id: fetch\n    http:\n      url: " + server.url().toEncoded()
                    + "/rows\n      rows: /data\n      into: t\n"
                      "      columns:\n"
                      "        id: { pointer: /id, type: integer }\n"
                      "        ts: { pointer: /ts, type: integer }\n"
                      "        p: { pointer: /p, type: real }\n"
                      "        q: { pointer: /q, type: real }\n"
                      "        s: /s\n",
                {}, QStringLiteral("bench"), 600000);
        const double seconds = clock.nsecsElapsed() / 1e9;
        if (outcome.state != RunState::Completed
            || outcome.outputs.value(QStringLiteral("fetch")).toLongLong() != rows) {
            std::fprintf(stderr, "http step failed: %s %s\n", qPrintable(outcome.buildError),
                qPrintable(outcome.message));
            return 1;
        }
        best = run == 0 ? seconds : std::min(best, seconds);

        const QString json = runner.flowsPath() + QStringLiteral("/rows.json");
        QFile file(json);
        if (!file.open(QIODevice::WriteOnly) || file.write(body) != body.size())
            return 1;
        file.close();
        // The event loop runs meanwhile: the server answers Python's request.
        const auto python = [&](const QString &source, const QString &database) -> double {
            QProcess process;
            QEventLoop loop;
            QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
            QElapsedTimer timer;
            timer.start();
            process.start(QStringLiteral("/usr/bin/python3"),
                { QStringLiteral("-c"), QString::fromLatin1(Python), source,
                    runner.flowsPath() + QLatin1Char('/') + database });
            loop.exec();
            const double elapsed = timer.nsecsElapsed() / 1e9;
            if (process.exitCode() != 0
                || process.readAllStandardOutput().trimmed().toLongLong() != rows) {
                std::fprintf(
                    stderr, "python failed: %s\n", process.readAllStandardError().constData());
                return -1;
            }
            return elapsed;
        };
        const double theirs = python(
            server.url().toString() + QStringLiteral("/rows"), QStringLiteral("python-http.db"));
        const double fromFile = python(json, QStringLiteral("python-file.db"));
        if (theirs < 0 || fromFile < 0)
            return 1;
        bestFile = run == 0 ? fromFile : std::min(bestFile, fromFile);
        bestPython = run == 0 ? theirs : std::min(bestPython, theirs);
    }
    std::printf("httptable_bench: %lld JSON objects (%.1f MB), best of %d\n",
        static_cast<long long>(rows), body.size() / 1e6, Runs);
    std::printf(
        "  http step                           %8.3f s  %10.0f rows/s\n", best, rows / best);
    std::printf("  python urllib + json + executemany  %8.3f s  %10.0f rows/s\n", bestPython,
        rows / bestPython);
    std::printf("  ratio                               %8.2fx (target >= 2x)\n", bestPython / best);
    std::printf("  python from a file, for reference   %8.3f s  %10.0f rows/s (ratio %.2fx)\n",
        bestFile, rows / bestFile, bestFile / best);
    return 0;
}
