// A year's backfill from local payloads: btc-backfill with days=365 run through the Engine into
// an empty file-backed warehouse, with Binance klines (106 pages) and mempool.space payloads
// served by the loopback HttpFixture in this process. Prints the wall time of the whole run and
// of each task; asserts nothing. Target (issue 6): under 2 s.

#include <algorithm>

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include "btcfixture.h"
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "flows/btcbackfillflow.h"

using namespace Sluice;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    constexpr int Days = 365;
    constexpr int Rounds = 3;

    HttpFixture server;
    if (!server.listen()) {
        out() << "cannot listen on loopback" << Qt::endl;
        return 1;
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const BtcTest::Payloads payloads = BtcTest::Payloads::generate(now, Days);
    payloads.serve(server);
    qint64 serverNs = 0;
    server.route(BtcTest::klinesPath, [&](const HttpFixture::Request &request) {
        QElapsedTimer timer;
        timer.start();
        HttpFixture::Response response = payloads.klines.respond(request);
        serverNs += timer.nsecsElapsed();
        return response;
    });

    double best = 1e300;
    for (int round = 0; round < Rounds; ++round) {
        QTemporaryDir dir;
        BtcFlowOptions options;
        options.warehousePath = dir.filePath(QStringLiteral("warehouse.sqlite"));
        options.binance.baseUrl = options.mempool.baseUrl = server.url();
        options.now = [now] { return now; };
        FlowRegistry registry;
        if (!registry.add(BtcBackfillFlow::create(options)))
            return 1;
        Engine engine(registry);
        QHash<QString, qint64> started;
        QStringList taskTimes;
        bool done = false;
        RunState state = RunState::Pending;
        QString message;
        QObject::connect(&engine, &Engine::taskStateChanged, &app, [&](const TaskStateEvent &e) {
            if (e.state == RunState::Running)
                started[e.task] = e.atMs;
            else if (isFinal(e.state))
                taskTimes << QStringLiteral("%1 %2 ms").arg(e.task).arg(e.atMs - started[e.task]);
        });
        QObject::connect(&engine, &Engine::runFinished, &app, [&](const RunFinishedEvent &e) {
            done = true;
            state = e.state;
            message = e.message;
        });
        serverNs = 0;
        QElapsedTimer timer;
        timer.start();
        if (!engine.start(QLatin1String(BtcBackfillFlow::Name), { { "days", Days } }))
            return 1;
        // A plain event loop: QTest::qWaitFor would sleep 10 ms between its rounds of events,
        // and the fixture server answers on this thread.
        QEventLoop loop;
        QObject::connect(&engine, &Engine::runFinished, &loop, &QEventLoop::quit);
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        if (!done)
            loop.exec();
        if (!done) {
            out() << "the backfill did not finish within two minutes" << Qt::endl;
            return 1;
        }
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        if (state != RunState::Completed) {
            out() << "the backfill ended " << stateName(state) << ": " << message << Qt::endl;
            return 1;
        }
        best = std::min(best, seconds);
        out() << QStringLiteral("round %1: %2 ms (%3; the fixture built kline pages for %4 ms)")
                     .arg(round + 1)
                     .arg(seconds * 1e3, 0, 'f', 0)
                     .arg(taskTimes.join(QStringLiteral(", ")))
                     .arg(double(serverNs) / 1e6, 0, 'f', 0)
              << Qt::endl;
    }
    const qint64 slotCount = qint64(Days) * 288;
    out() << QStringLiteral("year backfill from local payloads: %1 slots in %2 ms (best of %3): "
                            "%4 slots/s; target under 2000 ms")
                 .arg(slotCount)
                 .arg(best * 1e3, 0, 'f', 0)
                 .arg(Rounds)
                 .arg(double(slotCount) / best, 0, 'f', 0)
          << Qt::endl;
    return 0;
}
