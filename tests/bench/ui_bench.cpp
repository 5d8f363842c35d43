// ui_bench: the Data view over a 10-million-row clean table. Prints the ms to show the first
// page, the ms per page jump while scrolling (page by page and random jumps), the peak memory
// (VmHWM), and the longest GUI-thread stall while a writer thread inserts rows and the view
// reloads. Usage: ui_bench [rows] (default 10000000). Targets: first page < 100 ms, page jump
// < 30 ms, memory < 200 MB, no stall over 50 ms.

#include <algorithm>
#include <atomic>
#include <thread>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include "cleantablefixture.h"
#include "models/warehousetablemodel.h"
#include "views/dataview.h"

using namespace Sluice;

namespace {

qint64 peakRssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Waits until every row the view shows is loaded; returns false after 30 s.
bool waitForVisibleRows(QTableView *view, WarehouseTableModel *model)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 30'000) {
        QApplication::processEvents(QEventLoop::AllEvents, 5);
        const int first = view->rowAt(0);
        int last = view->rowAt(view->viewport()->height() - 1);
        if (last < 0)
            last = model->rowCount() - 1;
        if (first >= 0 && model->isRowLoaded(first) && model->isRowLoaded(last))
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 10'000'000;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QElapsedTimer timer;
    timer.start();
    if (const QString error = CleanTableFixture::fill(path, rows); !error.isEmpty()) {
        qCritical("cannot build the warehouse: %s", qPrintable(error));
        return 1;
    }
    printf("built %lld rows in %lld ms (peak %lld MB so far)\n", rows, timer.elapsed(),
        peakRssKb() / 1024);
    fflush(stdout);

    DataView view;
    view.resize(1100, 700);
    view.show();
    WarehouseTableModel *model = view.model();
    QTableView *table = view.tableView();
    timer.restart();
    view.setWarehousePath(path);
    if (!waitForVisibleRows(table, model)) {
        printf("first page never came\n");
        return 1;
    }
    printf("first page shown: %lld ms\n", timer.elapsed());
    timer.restart();
    while (model->totalRows() < 0 && timer.elapsed() < 60'000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    printf(
        "rows counted (%lld): %lld ms after the first page\n", model->totalRows(), timer.elapsed());

    QScrollBar *bar = table->verticalScrollBar();
    timer.restart();
    bar->setValue(bar->maximum());
    waitForVisibleRows(table, model);
    printf("jump to the end: %lld ms\n", timer.elapsed());

    auto jumps = [&](const char *what, int count, auto next) {
        qint64 worst = 0;
        qint64 total = 0;
        for (int i = 0; i < count; ++i) {
            QElapsedTimer one;
            one.start();
            bar->setValue(next(i));
            waitForVisibleRows(table, model);
            worst = std::max(worst, one.elapsed());
            total += one.elapsed();
        }
        printf("%s: %.1f ms a jump on average, worst %lld ms (%d jumps)\n", what,
            double(total) / count, worst, count);
    };
    bar->setValue(bar->maximum() / 2);
    waitForVisibleRows(table, model);
    const int start = bar->value();
    jumps(
        "page down while scrolling", 200, [&](int i) { return start + (i + 1) * bar->pageStep(); });
    jumps("page up while scrolling", 100,
        [&](int i) { return start + 200 * bar->pageStep() - (i + 1) * bar->pageStep(); });
    auto *random = QRandomGenerator::global();
    jumps("random jumps", 30, [&](int) { return int(random->bounded(bar->maximum() + 1)); });
    printf(
        "cached pages: %d (cap %d)\n", model->cachedPages(), WarehouseTableModel::MaxCachedPages);
    printf("peak memory (VmHWM): %lld MB\n", peakRssKb() / 1024);
    fflush(stdout);

    // The longest gap between 5 ms ticks of the GUI thread while a writer inserts rows in
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
    tick.start();
    qint64 stall = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&] { stall = std::max(stall, tick.restart()); });
    ticker.start(5);
    QTimer reloader;
    QObject::connect(&reloader, &QTimer::timeout, [&] { view.refresh(); });
    reloader.start(500);
    QTimer scroller;
    QObject::connect(&scroller, &QTimer::timeout,
        [&] { bar->setValue(std::min(bar->maximum(), bar->value() + bar->pageStep())); });
    scroller.start(50);
    QElapsedTimer run;
    run.start();
    tick.restart();
    while (run.elapsed() < 4000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    stop = true;
    writer.join();
    printf("longest GUI-thread stall: %lld ms over 4 s (writer inserted %lld rows, 8 reloads)\n",
        stall, qint64(inserted));
    printf("peak memory (VmHWM) at the end: %lld MB\n", peakRssKb() / 1024);
    return 0;
}
