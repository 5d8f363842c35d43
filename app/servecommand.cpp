// `sluice serve`: the scheduler without a window. Takes the data folder's scheduler lock (or
// says which process holds it and exits 1), runs the flows on their schedules, logs every fire
// and outcome to stderr with a timestamp, follows the flow files (README, "Your own flows"),
// emails failure alerts, and on SIGINT/SIGTERM cancels the running flows, waits until they are
// recorded Cancelled and exits 0.
//
// On a PostgreSQL store (--store, SLUICE_STORE or store.url) it is one worker of a fleet
// (README, "Fleet mode"): no folder lock; it claims queued runs up to --slots, records them in
// the store, and while it holds the store's leader lock its schedules queue the fires.

#include <memory>

#include <QDateTime>
#include <QEventLoop>
#include <QTextStream>

#include "commandline.h"
#include "engine/displaytext.h"
#include "engine/engine.h"
#include "instance/flowfiles.h"
#include "instance/instance.h"
#include "notify/alertnotifier.h"
#include "schedule/schedulerunner.h"
#include "settings/datafolder.h"
#include "shutdownonsignal.h"
#include "store/fleetworker.h"
#include "store/pghistorywriter.h"
#include "store/storeselection.h"
#include "terminationsignals.h"

namespace Sluice::Cli {

namespace {

    // The longest a shutdown waits for cancelled runs to be recorded; the engine itself ends a
    // run whose task ignores the cancel after FlowRun::CancelGraceMs.
    constexpr int ShutdownLimitMs = 15000;

    // Every line starts with the UTC time, so a log of several days reads unambiguously.
    QTextStream &log()
    {
        return err() << QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) << "  ";
    }

    QString seconds(qint64 ms)
    {
        return QCoreApplication::translate("Sluice::CommandLine", "%1 s")
            .arg(double(ms) / 1000.0, 0, 'f', 1);
    }

    // A fleet worker's own lines, and its runner following the leadership.
    void connectFleetLog(FleetWorker &worker, ScheduleRunner &runner, QEventLoop &loop)
    {
        runner.setFireHandler([&worker](const QString &flow, const RunOptions &options) {
            return worker.queueFire(flow, options);
        });
        runner.setLastScheduledLookup(
            [&worker](const QString &flow) { return worker.lastQueuedFire(flow); });
        QObject::connect(&worker, &FleetWorker::leadershipChanged, &loop, [&runner](bool leads) {
            log() << (leads ? QCoreApplication::translate("Sluice::CommandLine",
                          "this worker leads the fleet: it queues the schedules' fires")
                            : QCoreApplication::translate(
                                "Sluice::CommandLine", "this worker no longer leads the fleet"))
                  << '\n';
            err().flush();
            if (leads)
                runner.start();
            else
                runner.stop();
        });
        QObject::connect(&worker, &FleetWorker::claimed, &loop,
            [](qint64 runId, const QString &flow, int attempt) {
                log() << (attempt > 1
                        ? QCoreApplication::translate(
                            "Sluice::CommandLine", "claimed run %1 of %2 (attempt %3)")
                              .arg(runId)
                              .arg(flow)
                              .arg(attempt)
                        : QCoreApplication::translate("Sluice::CommandLine", "claimed run %1 of %2")
                              .arg(runId)
                              .arg(flow))
                      << '\n';
                err().flush();
            });
        QObject::connect(&worker, &FleetWorker::problem, &loop, [](const QString &message) {
            log() << QCoreApplication::translate("Sluice::CommandLine", "warning: %1").arg(message)
                  << '\n';
            err().flush();
        });
        QObject::connect(&worker, &FleetWorker::reconnected, &loop, [] {
            log() << QCoreApplication::translate(
                "Sluice::CommandLine", "connected to the store again")
                  << '\n';
            err().flush();
        });
        QObject::connect(&worker, &FleetWorker::presumedDead, &loop, [](qint64 old, qint64 now) {
            log() << QCoreApplication::translate("Sluice::CommandLine",
                "worker %1 was presumed dead by the fleet and its runs handed on; registered "
                "again as worker %2")
                         .arg(old)
                         .arg(now)
                  << '\n';
            err().flush();
        });
        QObject::connect(&worker, &FleetWorker::cancelRequested, &loop, [](qint64 runId) {
            log() << QCoreApplication::translate(
                "Sluice::CommandLine", "cancel of run %1 asked through the store")
                         .arg(runId)
                  << '\n';
            err().flush();
        });
    }

} // namespace

int runServe(Context &context)
{
    const auto usage = [](const QString &problem) {
        err() << QCoreApplication::applicationName() << " serve: " << problem << '\n'
              << QCoreApplication::translate(
                     "Sluice::CommandLine", "Usage: sluice serve [--store URL] [--slots N]")
              << '\n';
        return ExitUsage;
    };
    if (!context.arguments.isEmpty())
        return usage(
            QCoreApplication::translate("Sluice::CommandLine", "\"serve\" takes no arguments"));
    Instance &instance = context.instance;
    Result<StoreSelection> store =
        StoreSelection::choose(context.parser.value(QStringLiteral("store")), context.settings);
    if (!store)
        return usage(store.error().message());
    if (Result<void> kept = store->addKeptPassword(context.folder); !kept) {
        err() << QCoreApplication::applicationName() << " serve: " << kept.error().message()
              << '\n';
        return ExitFailure;
    }
    int slots = FleetWorker::DefaultSlots;
    if (context.parser.isSet(QStringLiteral("slots"))) {
        bool ok = false;
        slots = context.parser.value(QStringLiteral("slots")).toInt(&ok);
        if (!ok || slots < 1 || slots > 256)
            return usage(QCoreApplication::translate("Sluice::CommandLine",
                "--slots takes a number of runs at once from 1 to 256, not \"%1\"")
                             .arg(escapeControls(context.parser.value(QStringLiteral("slots")))));
        if (!store->url.isPostgres())
            return usage(QCoreApplication::translate("Sluice::CommandLine",
                "--slots is for a fleet worker on a PostgreSQL store (--store URL)"));
    }
    const bool fleet = store->url.isPostgres();

    // A fleet worker: connected and registered before anything runs, so that a wrong URL or
    // password starts nothing.
    std::unique_ptr<FleetWorker> worker;
    if (fleet) {
        const auto workerId = std::make_shared<std::atomic<qint64>>(0);
        Result<void> ok = instance.startEngine(
            PgHistoryWriter::opener(store->url, workerId), store->url.redacted());
        if (ok) {
            worker = std::make_unique<FleetWorker>(instance.engine(), store->url, slots, workerId);
            ok = worker->open();
        }
        if (!ok) {
            err() << QCoreApplication::applicationName() << " serve: " << ok.error().message()
                  << '\n';
            return ExitFailure;
        }
    } else {
        if (Result<void> locked = instance.lockScheduler(); !locked) {
            err() << QCoreApplication::applicationName() << " serve: "
                  << QCoreApplication::translate(
                         "Sluice::CommandLine", "another scheduler drives this data folder: %1")
                         .arg(locked.error().message())
                  << '\n';
            return ExitFailure;
        }
        if (Result<void> ok = instance.startEngine(); !ok) {
            err() << QCoreApplication::applicationName() << ": " << ok.error().message() << '\n';
            return ExitFailure;
        }
    }
    Engine &engine = instance.engine();
    AlertNotifier &alerts = instance.startAlerts();
    (void)instance.makeScheduler(!fleet); // the lock is held, or not needed
    ScheduleRunner &runner = *instance.scheduler();
    QEventLoop loop;

    // The flow files are followed: each reload names the files that cannot run.
    instance.watchFlowFiles();
    const auto logInvalidFiles = [&instance] {
        for (const FlowFiles::InvalidFile &file : instance.flowFiles().invalidFiles())
            log() << QCoreApplication::translate("Sluice::CommandLine", "warning: %1")
                         .arg(escapeControls(file.firstError.toString()))
                  << '\n';
        err().flush();
    };
    logInvalidFiles();
    QObject::connect(&instance.flowFiles(), &FlowFiles::flowsChanged, &loop, [&] {
        log() << QCoreApplication::translate("Sluice::CommandLine", "flow files reloaded") << '\n';
        logInvalidFiles();
    });

    // Every save of schedules.ini (and other changes in the folder) reloads: log only what
    // changed.
    QString loadedBefore;
    QObject::connect(&runner, &ScheduleRunner::schedulesLoaded, &loop,
        [&](const QStringList &flows, const QStringList &problems) {
            QString loaded = problems.join(QLatin1Char('\n'));
            for (const QString &flow : flows)
                loaded += QLatin1Char('\n') + flow + runner.scheduler().schedule(flow).toText();
            if (loaded == loadedBefore)
                return;
            loadedBefore = loaded;
            for (const QString &problem : problems)
                log() << QCoreApplication::translate("Sluice::CommandLine", "warning: %1")
                             .arg(problem)
                      << '\n';
            QStringList lines;
            for (const QString &flow : flows) {
                const QDateTime next = runner.scheduler().nextFireTime(flow);
                const Schedule schedule = runner.scheduler().schedule(flow);
                lines << QCoreApplication::translate("Sluice::CommandLine", "%1 (%2, next %3)")
                             .arg(flow, schedule.expressionText(),
                                 schedule.isPaused()
                                     ? QCoreApplication::translate("Sluice::CommandLine", "paused")
                                     : next.isValid() ? Schedule::formatTime(next)
                                                      : QStringLiteral("-"));
            }
            log() << (flows.isEmpty()
                    ? QCoreApplication::translate("Sluice::CommandLine",
                        "no schedules; set one with: sluice schedule set FLOW "
                        "\"CRON\"")
                    : QCoreApplication::translate("Sluice::CommandLine", "schedules: %1")
                          .arg(lines.join(QStringLiteral(", "))))
                  << '\n';
            err().flush();
        });
    QObject::connect(&runner, &ScheduleRunner::fired, &loop,
        [](const QString &flow, const QDateTime &slot, qint64 runId) {
            if (runId == 0) // a fleet's fire that another leader queued first
                log() << QCoreApplication::translate(
                    "Sluice::CommandLine", "%1 for %2 is queued already")
                             .arg(flow, Schedule::formatTime(slot))
                      << '\n';
            else
                log() << QCoreApplication::translate(
                    "Sluice::CommandLine", "fired %1 for %2: run %3")
                             .arg(flow, Schedule::formatTime(slot))
                             .arg(runId)
                      << '\n';
            err().flush();
        });
    if (worker)
        connectFleetLog(*worker, runner, loop);
    QObject::connect(&runner, &ScheduleRunner::fireFailed, &loop,
        [](const QString &flow, const QDateTime &slot, const QString &error) {
            log() << QCoreApplication::translate(
                "Sluice::CommandLine", "could not start %1 for %2: %3")
                         .arg(flow, Schedule::formatTime(slot), error)
                  << '\n';
            err().flush();
        });
    QObject::connect(&runner, &ScheduleRunner::slotsMissed, &loop,
        [](const QString &flow, const QDateTime &since, const QDateTime &until) {
            log() << QCoreApplication::translate("Sluice::CommandLine",
                "%1: slots between %2 and %3 were missed and not run (misfire policy)")
                         .arg(flow, Schedule::formatTime(since), Schedule::formatTime(until))
                  << '\n';
            err().flush();
        });
    QObject::connect(&engine, &Engine::runFinished, &loop, [](const RunFinishedEvent &event) {
        QString line =
            QCoreApplication::translate("Sluice::CommandLine", "run %1 of %2 ended %3 after %4")
                .arg(event.runId)
                .arg(event.flow, stateName(event.state),
                    seconds(event.finishedMs - event.startedMs));
        if (!event.failedTask.isEmpty())
            line += QStringLiteral(": ")
                + QCoreApplication::translate("Sluice::CommandLine", "task %1: %2")
                      .arg(event.failedTask, event.message);
        else if (!event.message.isEmpty())
            line += QStringLiteral(": ") + event.message;
        log() << line << '\n';
        err().flush();
    });
    QObject::connect(&alerts, &AlertNotifier::alertSent, &loop,
        [](const QString &flow, qint64 runId, const QStringList &to) {
            log() << QCoreApplication::translate(
                "Sluice::CommandLine", "alert for run %1 of %2 emailed to %3")
                         .arg(runId)
                         .arg(flow, to.join(QStringLiteral(", ")))
                  << '\n';
            err().flush();
        });
    QObject::connect(&alerts, &AlertNotifier::alertSuppressed, &loop,
        [](const QString &flow, qint64 runId, const QString &reason) {
            log() << QCoreApplication::translate(
                "Sluice::CommandLine", "no alert for run %1 of %2: %3")
                         .arg(runId)
                         .arg(flow, reason)
                  << '\n';
            err().flush();
        });
    QObject::connect(&alerts, &AlertNotifier::alertFailed, &loop,
        [](const QString &flow, qint64 runId, const QString &error) {
            log() << QCoreApplication::translate(
                "Sluice::CommandLine", "the alert for run %1 of %2 could not be sent: %3")
                         .arg(runId)
                         .arg(flow, error)
                  << '\n';
            err().flush();
        });

    // Shutdown: stop firing, cancel what runs, leave once every run has ended.
    TerminationSignals signalsToStop;
    ShutdownOnSignal shutdown(signalsToStop, engine,
        { [&worker](const QString &signal, int runs) {
             if (worker)
                 worker->stopClaiming();
             log() << QCoreApplication::translate(
                 "Sluice::CommandLine", "%1 received: stopping (%2 run(s) to cancel)")
                          .arg(signal)
                          .arg(runs)
                   << '\n';
             err().flush();
         },
            [](const QString &signal) {
                log() << QCoreApplication::translate(
                    "Sluice::CommandLine", "%1 received: already stopping")
                             .arg(signal)
                      << '\n';
                err().flush();
            },
            [](const QString &signal) {
                return QCoreApplication::translate(
                    "Sluice::CommandLine", "cancelled by %1: sluice serve is stopping")
                    .arg(signal);
            } });
    shutdown.setScheduler(&runner);
    shutdown.setLimitMs(ShutdownLimitMs);
    QObject::connect(&shutdown, &ShutdownOnSignal::stopped, &loop, &QEventLoop::quit);

    log() << QCoreApplication::translate(
        "Sluice::CommandLine", "sluice serve started on %1 (process %2)")
                 .arg(context.folder.path())
                 .arg(QCoreApplication::applicationPid())
          << '\n';
    if (worker)
        log() << QCoreApplication::translate(
            "Sluice::CommandLine", "worker %1 of the fleet on %2, %3 slot(s) (%4)")
                     .arg(worker->workerId())
                     .arg(worker->url().redacted())
                     .arg(slots)
                     .arg(store->source)
              << '\n';
    err().flush();
    if (worker)
        worker->start(); // the runner starts when this worker leads
    else
        runner.start();
    loop.exec();

    int code = ExitSuccess;
    if (Result<void> ok = engine.flush(); !ok) {
        log() << QCoreApplication::translate("Sluice::CommandLine", "warning: %1")
                     .arg(ok.error().message())
              << '\n';
        code = ExitFailure;
        err().flush();
        engine.shutDown(0); // a last try, then what stays unwritten is said
    }
    alerts.waitForIdle(ShutdownLimitMs);
    if (worker)
        worker->retire();
    log() << QCoreApplication::translate("Sluice::CommandLine", "sluice serve stopped") << '\n';
    err().flush();
    return code;
}

} // namespace Sluice::Cli
