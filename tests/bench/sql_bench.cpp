// sql_bench: the SQL tab over a 10-million-row clean table. Prints, for
// `SELECT * FROM btc_usd_price_with_net_stat`: the ms to the first rows, random jumps among the
// rows already read while the statement still spools, the ms until all rows are spooled (and the
// spool's size), then random jumps over the whole result (mean, p99, worst), the ms to the last
// page after a scroll to the end and per screen while scrolling back up from there; the ms from
// Cancel to the next result for a statement that never ends; and the peak memory (VmHWM, of the
// process and since the warehouse was built).
// Usage: sql_bench [rows] (default 10000000).
// Targets (issue 18): jumps mean <= 10 ms, worst <= 30 ms, peak memory <= 120 MB.

#include <algorithm>
#include <vector>

#include <QApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>

#include "cleantablefixture.h"
#include "editor/codeeditor.h"
#include "models/queryresultmodel.h"
#include "views/sqlview.h"
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

// Runs the event loop until done() or 120 s; the ms it took, or -1.
template <typename Done> qint64 waitUntil(Done done)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 120'000) {
        if (done())
            return timer.elapsed();
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return -1;
}

bool visibleRowsLoaded(WindowedTableView *view, QueryResultModel *model)
{
    const qint64 first = view->firstVisibleRow();
    qint64 last = view->lastVisibleRow();
    if (last < 0)
        last = model->rowCount() - 1;
    return first >= 0 && model->isRowLoaded(int(first)) && model->isRowLoaded(int(last));
}

qint64 directorySize(const QString &path)
{
    qint64 bytes = 0;
    QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        bytes += it.fileInfo().size();
    }
    return bytes;
}

void printTimes(const char *what, std::vector<qint64> times)
{
    if (times.empty()) {
        printf("%s: none\n", what);
        return;
    }
    std::sort(times.begin(), times.end());
    qint64 total = 0;
    for (qint64 ms : times)
        total += ms;
    const size_t p99 = std::min(times.size() - 1, size_t(double(times.size()) * 0.99));
    printf("%s: mean %.1f ms, p99 %lld ms, worst %lld ms (%zu)\n", what,
        double(total) / double(times.size()), times[p99], times.back(), times.size());
    fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 10'000'000;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    const QString spools = dir.filePath(QStringLiteral("spools"));
    QDir().mkpath(spools);
    QElapsedTimer timer;
    timer.start();
    if (const QString error = CleanTableFixture::fill(path, rows); !error.isEmpty()) {
        qCritical("cannot build the warehouse: %s", qPrintable(error));
        return 1;
    }
    printf("built %lld rows in %lld ms (peak %lld MB so far)\n", rows, timer.elapsed(),
        peakRssKb() / 1024);
    fflush(stdout);
    resetPeakRss();
    const qint64 baseKb = peakRssKb();

    SqlView view;
    view.resize(1100, 700);
    view.show();
    view.setWarehousePath(path);
    QueryResultModel *model = view.model();
    model->setSpoolDirectory(spools);
    WindowedTableView *table = view.resultView();
    auto *random = QRandomGenerator::global();
    view.editor()->setPlainText(QStringLiteral("SELECT * FROM btc_usd_price_with_net_stat"));
    timer.restart();
    view.run();
    const qint64 firstRows = waitUntil([&] { return visibleRowsLoaded(table, model); });
    printf("first rows: %lld ms\n", firstRows);
    fflush(stdout);

    // While it spools: jumps to rows already read, one every 100 ms.
    std::vector<qint64> spoolingJumps;
    while (view.isRunning()) {
        QElapsedTimer pause;
        pause.start();
        waitUntil([&] { return pause.elapsed() >= 100 || !view.isRunning(); });
        if (!view.isRunning() || model->rowCount() < 2)
            break;
        const int row = int(random->bounded(model->rowCount()));
        QElapsedTimer one;
        one.start();
        table->scrollToRow(row, QAbstractItemView::PositionAtTop);
        waitUntil([&] { return visibleRowsLoaded(table, model); });
        spoolingJumps.push_back(one.elapsed());
    }
    waitUntil([&] { return !view.isRunning(); });
    const qint64 spooled = timer.elapsed();
    printf("spooled %lld rows: %lld ms (spool file %lld MB; memory now %lld MB, peak %lld MB)\n",
        model->totalRows(), spooled, directorySize(spools) / (1024 * 1024),
        statusKb("VmRSS:") / 1024, peakRssKb() / 1024);
    printTimes("random jumps while spooling", spoolingJumps);

    std::vector<qint64> jumps;
    for (int i = 0; i < 200; ++i) {
        const int row = int(random->bounded(model->rowCount()));
        QElapsedTimer one;
        one.start();
        table->scrollToRow(row, QAbstractItemView::PositionAtTop);
        waitUntil([&] { return visibleRowsLoaded(table, model); });
        jumps.push_back(one.elapsed());
    }
    printTimes("random jumps after the spool", jumps);

    timer.restart();
    table->scrollToRow(model->rowCount() - 1);
    const qint64 toEnd = waitUntil([&] { return visibleRowsLoaded(table, model); });
    printf("scroll to the end (row %lld): %lld ms\n", table->firstVisibleRow(), toEnd);

    std::vector<qint64> back;
    for (int i = 0; i < 40; ++i) {
        QScrollBar *bar = table->rowScrollBar();
        bar->setValue(bar->value() - bar->pageStep());
        back.push_back(waitUntil([&] { return visibleRowsLoaded(table, model); }));
    }
    printTimes("scroll back up from the end, screens", back);

    view.editor()->setPlainText(QStringLiteral(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"));
    view.run();
    QElapsedTimer running;
    running.start();
    waitUntil([&] { return running.elapsed() >= 300; });
    timer.restart();
    view.cancel();
    // The reader is free again once the interrupted statement has stopped.
    view.editor()->setPlainText(QStringLiteral("SELECT 1"));
    view.run();
    const qint64 freed = waitUntil([&] { return !view.isRunning(); });
    printf("cancel of a statement that never ends, to the next result: %lld ms\n", freed);
    printf("spool left after the next result: %lld bytes\n", directorySize(spools));
    printf("peak memory since the warehouse was built: %lld MB (%lld MB over its start)\n",
        peakRssKb() / 1024, (peakRssKb() - baseKb) / 1024);
    return 0;
}
