// pgsteps_bench: rows/s of a flow file's `import` and `export` steps on a PostgreSQL
// `database:` (a real PostgreSQL 15, PgServer, over loopback TCP) for a generated CSV of ROWS
// rows x 5 columns, next to psql's `\copy` of the same file into and out of a table of the same
// types on the same server, same run: the floor of what a client can do.
// Usage: pgsteps_bench [ROWS]   (prints figures; no pass/fail)

#include <cstdio>
#include <random>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>

#include "flowsteprunner.h"
#include "pgserver.h"

using namespace Sluice;

namespace {

constexpr int Runs = 3;

// id, ts, price, qty, symbol: the file csvimport_bench imports.
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

// Seconds psql takes for one command, or a negative number when it fails.
double timePsql(const QString &psql, const QString &url, const QString &command)
{
    QProcess process;
    QElapsedTimer clock;
    clock.start();
    process.start(psql,
        { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
            QStringLiteral("ON_ERROR_STOP=1"), url, QStringLiteral("-c"), command });
    process.waitForFinished(600000);
    const double seconds = clock.nsecsElapsed() / 1e9;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        std::fprintf(stderr, "psql failed: %s\n", process.readAllStandardError().constData());
        return -1;
    }
    return seconds;
}

struct Figure
{
    const char *name;
    double best = 0;
    void add(int run, double seconds) { best = run == 0 ? seconds : std::min(best, seconds); }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1000000;
    const QString psql = QStandardPaths::findExecutable(QStringLiteral("psql"));
    PgServer server;
    if (!server.isRunning()) {
        std::fprintf(stderr, "no PostgreSQL server: %s\n", qPrintable(server.errorString()));
        return 1;
    }

    Figure import{ "import step" };
    Figure importKeyed{ "import step, key" };
    Figure copyIn{ "psql \\copy in" };
    Figure copyInKeyed{ "psql \\copy in, key" };
    Figure exportTable{ "export step, key" };
    Figure copyOut{ "psql \\copy out" };
    for (int run = 0; run < Runs; ++run) {
        const QString url = server.url(QStringLiteral("bench%1").arg(run));
        FlowStepRunner runner;
        const QString csv = runner.flowsPath() + QStringLiteral("/data.csv");
        if (!generate(csv, rows)) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(csv));
            return 1;
        }
        const auto step = [&](Figure &figure, const QByteArray &yaml, qint64 expected) {
            QElapsedTimer clock;
            clock.start();
            const FlowStepRunner::Outcome outcome =
                runner.run(yaml, {}, QStringLiteral("bench"), 600000);
            const double seconds = clock.nsecsElapsed() / 1e9;
            const QVariant output = outcome.outputs.value(QStringLiteral("s"));
            if (outcome.state != RunState::Completed
                || (expected >= 0 && output.toLongLong() != expected)) {
                std::fprintf(stderr, "%s failed: %s %s\n", figure.name,
                    qPrintable(outcome.buildError), qPrintable(outcome.message));
                return false;
            }
            figure.add(run, seconds);
            return true;
        };
        const QByteArray columns =
            "      columns: { id: integer, ts: integer, price: real, qty: real, symbol: text }\n";
        const QByteArray database = "      database: \"" + url.toUtf8() + "\"\n";
        if (!step(import,
                "steps:\n  - id: s\n    import:\n      file: data.csv\n      into: t\n" + columns
                    + database,
                rows)
            || !step(importKeyed,
                "steps:\n  - id: s\n    import:\n      file: data.csv\n      into: k\n" + columns
                    + "      key: id\n" + database,
                rows)
            || !step(exportTable,
                "steps:\n  - id: s\n    export:\n      table: k\n      to: out.csv\n" + database,
                -1))
            return 1;
        if (psql.isEmpty())
            continue;
        const QString outPath = runner.flowsPath() + QStringLiteral("/psql-out.csv");
        if (timePsql(psql, url,
                QStringLiteral("CREATE TABLE c (id BIGINT, ts BIGINT, price DOUBLE PRECISION,"
                               " qty DOUBLE PRECISION, symbol TEXT)"))
            < 0)
            return 1;
        if (timePsql(psql, url,
                QStringLiteral("CREATE TABLE ck (id BIGINT PRIMARY KEY, ts BIGINT, price DOUBLE "
                               "PRECISION, qty DOUBLE PRECISION, symbol TEXT)"))
            < 0)
            return 1;
        const double in = timePsql(
            psql, url, QStringLiteral("\\copy c from '%1' with (format csv, header)").arg(csv));
        const double inKeyed = timePsql(
            psql, url, QStringLiteral("\\copy ck from '%1' with (format csv, header)").arg(csv));
        const double out = timePsql(psql, url,
            QStringLiteral("\\copy (select * from k order by id) to '%1' with (format csv, header)")
                .arg(outPath));
        if (in < 0 || inKeyed < 0 || out < 0)
            return 1;
        copyIn.add(run, in);
        copyInKeyed.add(run, inKeyed);
        copyOut.add(run, out);
    }
    std::printf("pgsteps_bench: %lld rows x 5 columns on PostgreSQL over loopback, best of %d\n",
        static_cast<long long>(rows), Runs);
    for (const Figure *figure :
        { &import, &importKeyed, &copyIn, &copyInKeyed, &exportTable, &copyOut }) {
        if (figure->best > 0)
            std::printf("  %-18s %8.3f s  %10.0f rows/s\n", figure->name, figure->best,
                rows / figure->best);
    }
    if (psql.isEmpty()) {
        std::printf("  psql not found: no comparison\n");
        return 0;
    }
    std::printf("  import / \\copy in   %6.2fx the time (keyed %.2fx)\n", import.best / copyIn.best,
        importKeyed.best / copyInKeyed.best);
    std::printf("  export / \\copy out  %6.2fx the time\n", exportTable.best / copyOut.best);
    return 0;
}
