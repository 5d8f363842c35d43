// export_bench: rows/s and MB/s of CsvExporter on 1M realistic clean rows, next to the sqlite3
// command-line tool's `-csv` export of the same query in the same run.
// Usage: export_bench [ROWS]   (prints figures; no pass/fail)

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <sqlite3.h>

#include "storage/csvexporter.h"
#include "storage/pythonfloat.h"
#include "storage/warehouse.h"

using namespace Sluice;

namespace {

constexpr int Runs = 3;

struct Figure
{
    double seconds = 0;
    qint64 bytes = 0;
};

// Prices 30000-70000 with cents, hash rates ~7e20 with 16 significant digits, difficulties
// ~9e13 with cents: what the BTC flows store, one row a 5-minute slot.
bool fill(const QString &path, qint64 rows)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
        return false;
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt *insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO btc_usd_price_with_net_stat VALUES ('5m', ?, ?, ?, ?)", -1,
        &insert, nullptr);
    std::mt19937_64 random(20240308);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    char text[64];
    for (qint64 i = 0; i < rows; ++i) {
        std::snprintf(text, sizeof text, "%.15e", 6e20 + unit(random) * 2e20);
        sqlite3_bind_int64(insert, 1, 1609459200 + i * 300);
        sqlite3_bind_double(insert, 2, std::round((30000 + unit(random) * 40000) * 100) / 100);
        sqlite3_bind_double(insert, 3, std::strtod(text, nullptr));
        sqlite3_bind_double(insert, 4, std::round((8e13 + unit(random) * 2e13) * 100) / 100);
        if (sqlite3_step(insert) != SQLITE_DONE)
            return false;
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    const bool ok = sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

Figure best(const std::function<Figure()> &run)
{
    Figure fastest;
    for (int i = 0; i < Runs; ++i) {
        const Figure figure = run();
        if (figure.bytes < 0)
            return figure;
        if (i == 0 || figure.seconds < fastest.seconds)
            fastest = figure;
    }
    return fastest;
}

void print(const char *what, qint64 rows, const Figure &figure)
{
    if (figure.bytes < 0) {
        std::printf("%-62s failed\n", what);
        return;
    }
    std::printf("%-62s %7.3f s  %10.0f rows/s  %7.1f MB/s  (%.1f MB)\n", what, figure.seconds,
        double(rows) / figure.seconds, double(figure.bytes) / 1e6 / figure.seconds,
        double(figure.bytes) / 1e6);
}

Figure exportWith(
    const QString &warehouse, const std::function<Result<CsvSummary>(CsvExporter &)> &call)
{
    CsvExporter exporter(warehouse);
    QElapsedTimer clock;
    clock.start();
    Result<CsvSummary> summary = call(exporter);
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    if (!summary) {
        std::fprintf(stderr, "%s\n", qPrintable(summary.error().message()));
        return { 0, -1 };
    }
    return { seconds, summary->bytes };
}

Figure sqlite3Cli(
    const QString &tool, const QString &warehouse, const QString &orderBy, const QString &output)
{
    QProcess process;
    process.setStandardOutputFile(output);
    QElapsedTimer clock;
    clock.start();
    process.start(tool,
        { QStringLiteral("-csv"), QStringLiteral("-header"), warehouse,
            QStringLiteral("SELECT timeframe, start_timestamp, price, hash_rate, difficulty"
                           " FROM btc_usd_price_with_net_stat ORDER BY ")
                + orderBy });
    if (!process.waitForFinished(600000) || process.exitCode() != 0)
        return { 0, -1 };
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    return { seconds, output == u"/dev/null" ? -2 : QFileInfo(output).size() };
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1000000;
    QTemporaryDir dir;
    const QString warehouse = dir.filePath(QStringLiteral("warehouse.sqlite"));
    const QString ours = dir.filePath(QStringLiteral("sluice.csv"));
    const QString theirs = dir.filePath(QStringLiteral("sqlite3.csv"));
    if (!dir.isValid() || !Warehouse::initialize(warehouse) || !fill(warehouse, rows)) {
        std::fprintf(stderr, "cannot create the warehouse in %s\n", qPrintable(dir.path()));
        return 1;
    }
    std::printf("export_bench: %lld clean rows, best of %d runs, warehouse %.1f MB\n\n", rows, Runs,
        double(QFileInfo(warehouse).size()) / 1e6);

    const Figure toFile = best([&] {
        return exportWith(
            warehouse, [&](CsvExporter &e) { return e.exportToFile(CsvRequest(), ours); });
    });
    print("sluice CsvExporter -> file (temp + rename)", rows, toFile);
    const Figure toNull = best([&] {
        QFile null(QStringLiteral("/dev/null"));
        null.open(QIODevice::WriteOnly | QIODevice::Unbuffered);
        return exportWith(warehouse, [&](CsvExporter &e) {
            return e.exportToDevice(CsvRequest(), &null, QStringLiteral("/dev/null"));
        });
    });
    print("sluice CsvExporter -> /dev/null", rows, toNull);

    const QString tool = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
    if (tool.isEmpty()) {
        std::printf("sqlite3 command-line tool not found: no comparison\n");
        return 0;
    }
    const Figure cli = best(
        [&] { return sqlite3Cli(tool, warehouse, QStringLiteral("start_timestamp"), theirs); });
    print("sqlite3 -csv ORDER BY start_timestamp -> file", rows, cli);
    Figure cliKey = best([&] {
        return sqlite3Cli(tool, warehouse, QStringLiteral("timeframe, start_timestamp"), theirs);
    });
    print("sqlite3 -csv ORDER BY timeframe, start_timestamp -> file", rows, cliKey);
    Figure cliNull = best([&] {
        return sqlite3Cli(tool, warehouse, QStringLiteral("timeframe, start_timestamp"),
            QStringLiteral("/dev/null"));
    });
    cliNull.bytes = cliKey.bytes;
    print("sqlite3 -csv ORDER BY timeframe, start_timestamp -> /dev/null", rows, cliNull);

    std::printf("\nsluice / sqlite3 speed (file, same order): %.2fx; sqlite3 prints 15 digits "
                "(%.1f MB), sluice exact repr (%.1f MB)\n",
        cli.seconds / toFile.seconds, double(cli.bytes) / 1e6, double(toFile.bytes) / 1e6);

    // The formatter alone, for scale.
    std::mt19937_64 random(1);
    std::uniform_real_distribution<double> unit(6e20, 8e20);
    char buffer[PythonFloat::MaxLength];
    qint64 chars = 0;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 3000000; ++i)
        chars += PythonFloat::write(unit(random), buffer) - buffer;
    std::printf("PythonFloat::write: %.0f ns a double (%lld chars)\n",
        double(clock.nsecsElapsed()) / 3e6, chars);
    return 0;
}
