// sql_bench: the SQL tab over a 10-million-row clean table. Prints the ms to the first rows of
// `SELECT * FROM btc_usd_price_with_net_stat`, to its row count, to the last page after a
// scroll to the end, per page while scrolling back up from there, the ms from Cancel to
// "Cancelled" for a statement that never ends, and the peak memory (VmHWM).
// Usage: sql_bench [rows] (default 10000000).

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>

#include "cleantablefixture.h"
#include "editor/codeeditor.h"
#include "models/warehousetablemodel.h"
#include "views/sqlview.h"

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

bool visibleRowsLoaded(QTableView *view, WarehouseTableModel *model)
{
    const int first = view->rowAt(0);
    int last = view->rowAt(view->viewport()->height() - 1);
    if (last < 0)
        last = model->rowCount() - 1;
    return first >= 0 && model->isRowLoaded(first) && model->isRowLoaded(last);
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
    const qint64 baseKb = peakRssKb();

    SqlView view;
    view.resize(1100, 700);
    view.show();
    view.setWarehousePath(path);
    WarehouseTableModel *model = view.model();
    QTableView *table = view.resultView();
    view.editor()->setPlainText(QStringLiteral("SELECT * FROM btc_usd_price_with_net_stat"));
    timer.restart();
    view.run();
    const qint64 firstRows = waitUntil([&] { return visibleRowsLoaded(table, model); });
    const qint64 counted = waitUntil([&] { return !view.isRunning(); }) + firstRows;
    printf("first rows: %lld ms; counted %lld rows: %lld ms\n", firstRows, model->totalRows(),
        counted);

    timer.restart();
    table->scrollToBottom();
    const qint64 toEnd = waitUntil([&] { return visibleRowsLoaded(table, model); });
    printf("scroll to the end (row %d): %lld ms\n", table->rowAt(0), toEnd);

    QList<qint64> back;
    for (int i = 0; i < 40; ++i) {
        QScrollBar *bar = table->verticalScrollBar();
        bar->setValue(bar->value() - bar->pageStep());
        back << waitUntil([&] { return visibleRowsLoaded(table, model); });
    }
    qint64 worst = 0;
    qint64 sum = 0;
    for (qint64 ms : std::as_const(back)) {
        worst = std::max(worst, ms);
        sum += ms;
    }
    printf("scroll back up from the end, 40 screens: mean %.1f ms, worst %lld ms\n",
        double(sum) / back.size(), worst);

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
    printf("peak memory: %lld MB (%lld MB over the built warehouse)\n", peakRssKb() / 1024,
        (peakRssKb() - baseKb) / 1024);
    return 0;
}
