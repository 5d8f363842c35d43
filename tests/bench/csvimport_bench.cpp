// csvimport_bench: rows/s of a flow file's `import` step (ImportStep, run on an Engine) on a
// generated CSV of ROWS rows x 5 columns, next to the sqlite3 command-line tool's
// `.import --csv` of the same file into a file database with the same typed table, same run.
// Usage: csvimport_bench [ROWS]   (prints figures; no pass/fail)

#include <cstdio>
#include <random>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>

#include "flowsteprunner.h"

using namespace Sluice;

namespace {

constexpr int Runs = 3;

// id, ts, price, qty, symbol: what a sales or trades export holds.
bool generate(const QString &path, qint64 rows)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    std::mt19937_64 random(20261207);
    std::uniform_int_distribution<int> cents(3000000, 7000000);
    std::uniform_int_distribution<int> lots(1, 100000);
    const char *symbols[] = { "BTCUSDT", "ETHUSDT", "SOLUSDT", "needs, quoting" };
    QByteArray buffer = "id,ts,price,qty,symbol\n";
    char line[128];
    for (qint64 i = 0; i < rows; ++i) {
        const char *symbol = symbols[i % 4];
        const int n = std::snprintf(line, sizeof line,
            i % 4 == 3 ? "%lld,%lld,%d.%02d,%d.%03d,\"%s\"\n" : "%lld,%lld,%d.%02d,%d.%03d,%s\n",
            static_cast<long long>(i + 1), static_cast<long long>(1700000000000LL + i * 1000),
            cents(random) / 100, cents(random) % 100, lots(random) / 1000, lots(random) % 1000,
            symbol);
        buffer.append(line, n);
        if (buffer.size() > (1 << 22)) {
            file.write(buffer);
            buffer.clear();
        }
    }
    file.write(buffer);
    return file.flush();
}

const char *const Schema =
    "CREATE TABLE t (id INTEGER, ts INTEGER, price REAL, qty REAL, symbol TEXT)";

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1000000;
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));

    double best = 0;
    double bestTheirs = 0;
    for (int run = 0; run < Runs; ++run) {
        FlowStepRunner runner;
        const QString csv = runner.flowsPath() + QStringLiteral("/data.csv");
        if (!generate(csv, rows)) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(csv));
            return 1;
        }
        QElapsedTimer clock;
        clock.start();
        const FlowStepRunner::Outcome outcome = runner.run(
            "steps:\n  - id: load\n    import:\n      file: data.csv\n      into: t\n"
            "      columns: { id: integer, ts: integer, price: real, qty: real, symbol: text }\n",
            {}, QStringLiteral("bench"), 600000);
        const double seconds = clock.nsecsElapsed() / 1e9;
        if (outcome.state != RunState::Completed
            || outcome.outputs.value(QStringLiteral("load")).toLongLong() != rows) {
            std::fprintf(stderr, "import failed: %s %s\n", qPrintable(outcome.buildError),
                qPrintable(outcome.message));
            return 1;
        }
        best = run == 0 ? seconds : std::min(best, seconds);

        if (tool.isEmpty())
            continue;
        const QString database = runner.flowsPath() + QStringLiteral("/sqlite3.db");
        QProcess sqlite;
        clock.restart();
        sqlite.start(tool,
            { database, QString::fromLatin1(Schema),
                QStringLiteral(".import --csv --skip 1 %1 t").arg(csv) });
        sqlite.waitForFinished(600000);
        const double theirs = clock.nsecsElapsed() / 1e9;
        if (sqlite.exitCode() != 0) {
            std::fprintf(stderr, "sqlite3 failed: %s\n", sqlite.readAllStandardError().constData());
            return 1;
        }
        bestTheirs = run == 0 ? theirs : std::min(bestTheirs, theirs);
    }
    std::printf(
        "csvimport_bench: %lld rows x 5 columns, best of %d\n", static_cast<long long>(rows), Runs);
    std::printf("  import step      %8.3f s  %10.0f rows/s\n", best, rows / best);
    if (tool.isEmpty()) {
        std::printf("  sqlite3 not found: no comparison\n");
        return 0;
    }
    std::printf("  sqlite3 .import  %8.3f s  %10.0f rows/s\n", bestTheirs, rows / bestTheirs);
    std::printf("  ratio            %8.2fx (target >= 1.5x)\n", bestTheirs / best);
    return 0;
}
