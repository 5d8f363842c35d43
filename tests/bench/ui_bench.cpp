// ui_bench: the Data view over a 10-million-row clean table. Prints the ms to show the first
// page, to count the rows and to sample the page keys, the ms per jump (page by page, random
// jumps right after opening and later, random jumps sorted by price: mean, p99 and worst), the
// view's peak memory (VmHWM, reset after the warehouse is built; also without file pages,
// sampled), and the longest GUI-thread stall (lateness of a 1 ms timer) while a writer thread
// inserts rows and the view reloads. Last, random jumps right after opening a table of as many
// rows keyed by an INTEGER PRIMARY KEY without gaps (/tmp/sluice-ui-bench-rowid-<rows>.sqlite,
// built once), whose page keys need no walk.
// Usage: ui_bench [rows] [--warehouse PATH] (default 10000000 rows in
// /tmp/sluice-ui-bench-<rows>.sqlite, built once and reused; the bench leaves it as it found it).
// Targets: first page < 100 ms, jumps mean <= 10 ms and worst <= 30 ms (also sorted), view peak
// memory <= 120 MB, no stall over 50 ms.

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QProcess>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSqlQuery>
#include <QTableView>
#include <QTimer>

#include "cleantablefixture.h"
#include "models/warehousetablemodel.h"
#include "storage/tablefilter.h"
#include "views/dataview.h"
#include "widgets/windowscroller.h"

using namespace Sluice;

namespace {

qint64 statusKb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

qint64 peakRssKb()
{
    return statusKb("VmHWM:");
}

// Linux: "5" resets the peak RSS to the current RSS, so that the view's peak is measured alone.
void resetPeakRss()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

// Waits until every row the view shows is loaded; returns false after 60 s.
bool waitForVisibleRows(WindowedTableView *view, WarehouseTableModel *model)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 60'000) {
        QApplication::processEvents(QEventLoop::AllEvents, 5);
        const qint64 first = view->firstVisibleRow();
        const qint64 last = view->lastVisibleRow();
        if (first >= 0 && model->isRowLoaded(int(first)) && model->isRowLoaded(int(last)))
            return true;
    }
    return false;
}

bool waitForCount(WarehouseTableModel *model, qint64 ms = 600'000)
{
    QElapsedTimer timer;
    timer.start();
    while (model->totalRows() < 0 && timer.elapsed() < ms)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    return model->totalRows() >= 0;
}

qint64 rowsIn(const QString &path)
{
    auto connection = SqliteConnection::open(
        path, QStringLiteral("bench-count"), SqliteConnection::Mode::ReadOnly);
    if (!connection)
        return -1;
    QSqlQuery count(connection->database());
    if (!count.exec(QStringLiteral("SELECT COUNT(*) FROM btc_usd_price_with_net_stat"))
        || !count.next())
        return -1;
    return count.value(0).toLongLong();
}

qint64 rowidRowsIn(const QString &path)
{
    if (!QFile::exists(path))
        return -1;
    auto connection = SqliteConnection::open(
        path, QStringLiteral("bench-count"), SqliteConnection::Mode::ReadOnly);
    if (!connection)
        return -1;
    QSqlQuery count(connection->database());
    if (!count.exec(QStringLiteral("SELECT COUNT(*) FROM ids")) || !count.next())
        return -1;
    return count.value(0).toLongLong();
}

} // namespace

// ui_bench --create-index PATH TABLE INDEX: the bench's own work, in a process of its own so that
// its memory is not counted as the view's.
int createIndex(const QStringList &args)
{
    auto connection = SqliteConnection::open(args.value(2), QStringLiteral("bench-index"));
    const bool made = connection
        && connection->exec(
            QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON %2 (price)")
                .arg(TableFilter::quoted(args.value(4)), TableFilter::quoted(args.value(3))));
    return made ? 0 : 1;
}

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (app.arguments().value(1) == QLatin1String("--create-index"))
        return createIndex(app.arguments());
    qint64 rows = 10'000'000;
    QString path;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--warehouse") && i + 1 < args.size())
            path = args[++i];
        else
            rows = args[i].toLongLong();
    }
    if (path.isEmpty())
        path = QStringLiteral("/tmp/sluice-ui-bench-%1.sqlite").arg(rows);
    QElapsedTimer timer;
    timer.start();
    if (rowsIn(path) != rows) {
        QFile::remove(path);
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        if (const QString error = CleanTableFixture::fill(path, rows); !error.isEmpty()) {
            qCritical("cannot build the warehouse: %s", qPrintable(error));
            return 1;
        }
        printf("built %lld rows in %s in %lld ms\n", rows, qPrintable(path), timer.elapsed());
    } else {
        printf("reusing %s (%lld rows)\n", qPrintable(path), rows);
    }
    fflush(stdout);
    const QString table = QLatin1String(Warehouse::CleanTable);
    const QString index = QStringLiteral("%1_price").arg(table);
    // The plain table of `rows` rows: without the bench's index and inserted rows (a run stopped
    // half way may have left them), and with the WAL folded in (a WAL of hundreds of MB left by
    // a run slows every read of the next).
    auto restoreWarehouse = [&] {
        auto connection = SqliteConnection::open(path, QStringLiteral("bench-restore"));
        if (!connection)
            return;
        static_cast<void>(
            connection->exec(QStringLiteral("DROP INDEX IF EXISTS ") + TableFilter::quoted(index)));
        static_cast<void>(connection->exec(
            QStringLiteral("DELETE FROM btc_usd_price_with_net_stat WHERE start_timestamp >= %1")
                .arg(CleanTableFixture::Base + rows * CleanTableFixture::Step)));
        static_cast<void>(connection->exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
    };
    restoreWarehouse();
    resetPeakRss();
    printf("memory before the view: %lld MB\n", statusKb("VmRSS:") / 1024);

    // File pages count in VmHWM too: those of the warehouse that a reader maps (the gap map reads
    // it through mmap) are the file's, not memory the view holds; sampled apart.
    qint64 peakAnonKb = statusKb("RssAnon:");
    QTimer anonSampler;
    QObject::connect(&anonSampler, &QTimer::timeout,
        [&] { peakAnonKb = std::max(peakAnonKb, statusKb("RssAnon:")); });
    anonSampler.start(50);
    DataView view;
    view.resize(1100, 700);
    view.show();
    WarehouseTableModel *model = view.model();
    WindowedTableView *tableView = view.tableView();
    timer.restart();
    view.setWarehousePath(path);
    if (!waitForVisibleRows(tableView, model)) {
        printf("first page never came\n");
        return 1;
    }
    printf("first page shown: %lld ms\n", timer.elapsed());
    timer.restart();
    // When the walk has sampled every page key (after the count): jumps are one seek from then.
    QElapsedTimer sinceFirstPage;
    sinceFirstPage.start();
    qint64 sampledAt = -1;
    QObject::connect(model, &WarehouseTableModel::keysSampled, [&] {
        if (sampledAt < 0)
            sampledAt = sinceFirstPage.elapsed();
    });
    waitForCount(model);
    printf("rows counted (%lld): %lld ms after the first page (memory now %lld MB)\n",
        model->totalRows(), timer.elapsed(), statusKb("VmRSS:") / 1024);

    QScrollBar *bar = tableView->rowScrollBar();
    auto *random = QRandomGenerator::global();
    auto jumps = [&](const char *what, int count, auto next) {
        std::vector<qint64> times;
        qint64 total = 0;
        for (int i = 0; i < count; ++i) {
            QElapsedTimer one;
            one.start();
            bar->setValue(next(i));
            waitForVisibleRows(tableView, model);
            times.push_back(one.elapsed());
            total += one.elapsed();
        }
        std::sort(times.begin(), times.end());
        const size_t p99 = std::min(times.size() - 1, size_t(double(times.size()) * 0.99));
        printf("%s: mean %.1f ms, p99 %lld ms, worst %lld ms (%d jumps)\n", what,
            double(total) / count, times[p99], times.back(), count);
        fflush(stdout);
    };
    auto randomRow = [&](int) { return int(random->bounded(bar->maximum() + 1)); };
    // Right after the count: whatever the reader still does in the background competes.
    jumps("random jumps right after opening", 200, randomRow);
    printf("page keys sampled: %lld ms after the first page\n", sampledAt);

    timer.restart();
    bar->setValue(bar->maximum());
    waitForVisibleRows(tableView, model);
    printf("jump to the end: %lld ms\n", timer.elapsed());
    bar->setValue(bar->maximum() / 2);
    waitForVisibleRows(tableView, model);
    const int start = bar->value();
    jumps("page down", 200, [&](int i) { return start + (i + 1) * bar->pageStep(); });
    jumps("page up", 100,
        [&](int i) { return start + 200 * bar->pageStep() - (i + 1) * bar->pageStep(); });
    jumps("random jumps", 200, randomRow);

    // Sorted by price (a column with many equal values): without an index, then with one.
    const int price = model->columnIndex(QStringLiteral("price"));
    timer.restart();
    tableView->horizontalHeader()->setSortIndicator(price, Qt::AscendingOrder);
    if (!waitForVisibleRows(tableView, model)) {
        printf("sorted first page never came\n");
        return 1;
    }
    printf("sorted by price without an index: first page %lld ms", timer.elapsed());
    fflush(stdout);
    waitForCount(model);
    printf(", counted %lld ms\n", timer.elapsed());
    printf("view peak memory (VmHWM) so far: %lld MB\n", peakRssKb() / 1024);
    timer.restart();
    if (QProcess::execute(
            app.applicationFilePath(), { QStringLiteral("--create-index"), path, table, index })
        != 0) {
        printf("cannot create the index\n");
        return 1;
    }
    printf("created index on price (another process): %lld ms\n", timer.elapsed());
    timer.restart();
    tableView->horizontalHeader()->setSortIndicator(price, Qt::DescendingOrder);
    waitForVisibleRows(tableView, model);
    printf("sorted by price with an index: first page %lld ms", timer.elapsed());
    waitForCount(model);
    printf(", counted %lld ms\n", timer.elapsed());
    jumps("sorted random jumps right after sorting", 200, randomRow);
    jumps("sorted random jumps", 200, randomRow);
    tableView->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    model->sort(-1);
    waitForVisibleRows(tableView, model);
    waitForCount(model);
    printf(
        "cached pages: %d (cap %d)\n", model->cachedPages(), WarehouseTableModel::MaxCachedPages);
    printf("view peak memory (VmHWM): %lld MB\n", peakRssKb() / 1024);
    // File pages count in the peak too: those of the warehouse that a reader maps (the gap map
    // reads it through mmap) are the file's, not the view's own memory.
    printf("view peak memory without file pages (RssAnon, sampled every 50 ms): %lld MB\n",
        peakAnonKb / 1024);
    fflush(stdout);

    // The longest lateness of a 1 ms timer on the GUI thread while a writer inserts rows in
    // batches, the view reloads twice a second and the user pages down.
    std::atomic_bool stop{ false };
    std::atomic<qint64> inserted{ 0 };
    std::thread writer([&] {
        auto connection = SqliteConnection::open(path, QStringLiteral("bench-writer"));
        if (!connection)
            return;
        qint64 next = CleanTableFixture::Base + rows * CleanTableFixture::Step;
        while (!stop) {
            static_cast<void>(connection->exec(QStringLiteral("BEGIN")));
            for (int i = 0; i < 288; ++i, next += CleanTableFixture::Step) {
                static_cast<void>(connection->exec(QStringLiteral(
                    "INSERT INTO btc_usd_price_with_net_stat VALUES ('5m', %1, 1, 1, 1)")
                                                       .arg(next)));
            }
            static_cast<void>(connection->exec(QStringLiteral("COMMIT")));
            inserted += 288;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    QElapsedTimer tick;
    qint64 stall = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(
        &ticker, &QTimer::timeout, [&] { stall = std::max(stall, tick.restart() - 1); });
    QTimer reloader;
    int reloads = 0;
    QObject::connect(&reloader, &QTimer::timeout, [&] {
        view.refresh();
        ++reloads;
    });
    reloader.start(500);
    QTimer scroller;
    QObject::connect(&scroller, &QTimer::timeout,
        [&] { bar->setValue(std::min(bar->maximum(), bar->value() + bar->pageStep())); });
    scroller.start(50);
    QElapsedTimer run;
    run.start();
    tick.start();
    ticker.start(1);
    while (run.elapsed() < 4000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    stop = true;
    writer.join();
    reloader.stop();
    scroller.stop();
    ticker.stop();
    printf("longest GUI-thread stall: %lld ms over 4 s (writer inserted %lld rows, %d reloads)\n",
        stall, qint64(inserted), reloads);
    printf("view peak memory (VmHWM) at the end: %lld MB; without file pages (RssAnon, sampled): "
           "%lld MB\n",
        peakRssKb() / 1024, peakAnonKb / 1024);
    fflush(stdout);
    restoreWarehouse();

    // A table in rowid order whose rowids have no gap: the key of row k is min + k.
    const QString rowidPath = QStringLiteral("/tmp/sluice-ui-bench-rowid-%1.sqlite").arg(rows);
    if (rowidRowsIn(rowidPath) != rows) {
        QFile::remove(rowidPath);
        QFile::remove(rowidPath + QStringLiteral("-wal"));
        QFile::remove(rowidPath + QStringLiteral("-shm"));
        timer.restart();
        auto connection = SqliteConnection::open(rowidPath, QStringLiteral("bench-rowid"));
        if (!connection
            || !connection->exec(QStringLiteral(
                "CREATE TABLE ids (id INTEGER PRIMARY KEY, start_timestamp INTEGER, price REAL)"))
            || !connection->exec(
                QStringLiteral("INSERT INTO ids WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
                               " SELECT i + 1 FROM n WHERE i < %1) SELECT i, %2 + i * 300,"
                               " 20000.0 + i %% 1000 FROM n")
                    .arg(rows)
                    .arg(CleanTableFixture::Base)
                    .replace(QLatin1String("%%"), QLatin1String("%")))
            || !connection->exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"))) {
            printf("cannot build the rowid table\n");
            return 1;
        }
        printf("built %lld rows keyed by rowid in %s in %lld ms\n", rows, qPrintable(rowidPath),
            timer.elapsed());
    }
    DataView rowidView;
    rowidView.resize(1100, 700);
    rowidView.show();
    model = rowidView.model();
    tableView = rowidView.tableView();
    bar = tableView->rowScrollBar();
    timer.restart();
    rowidView.setWarehousePath(rowidPath);
    if (!waitForVisibleRows(tableView, model)) {
        printf("rowid table: first page never came\n");
        return 1;
    }
    printf("rowid table: first page %lld ms", timer.elapsed());
    waitForCount(model);
    printf(", counted (%lld) %lld ms\n", model->totalRows(), timer.elapsed());
    jumps("rowid table: random jumps right after opening", 200, randomRow);
    return 0;
}
