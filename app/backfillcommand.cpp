// `sluice backfill FLOW --from ISO8601 --to ISO8601 [--parallel N] [--dry-run]`: one run per
// fire time of the flow's schedule in [from, to), each with run.time = that fire and
// run.prev-time = the fire before it. Fire times that already have a Completed run are
// skipped; at most N runs at once (default 1, in time order). A line per run as it ends, then a
// summary. Exit 0 when every run Completed (or nothing was left to do), 1 when one did not, 2
// for a usage error, a flow without a schedule or too long a range.

#include <QCoreApplication>
#include <QEventLoop>
#include <QSet>
#include <QTextStream>

#include "commandline.h"
#include "engine/backfillrunner.h"
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "instance/instance.h"
#include "notify/alertnotifier.h"
#include "schedule/backfillplan.h"
#include "settings/datafolder.h"
#include "shutdownonsignal.h"
#include "terminationsignals.h"
#include "timeoption.h"

namespace Sluice::Cli {

namespace {

    int usage(const QString &message)
    {
        err() << QCoreApplication::applicationName() << " backfill: " << message << '\n'
              << QCoreApplication::translate("Sluice::CommandLine",
                     "Usage: sluice backfill FLOW --from ISO8601 --to ISO8601 [--parallel N] "
                     "[--dry-run]")
              << '\n';
        return ExitUsage;
    }

    int failure(const Error &error)
    {
        err() << QCoreApplication::applicationName() << ": " << error.message() << '\n';
        return ExitFailure;
    }

} // namespace

int runBackfill(Context &context)
{
    if (context.arguments.size() != 1)
        return usage(QCoreApplication::translate("Sluice::CommandLine", "one FLOW is needed"));
    const QString flowName = context.arguments.first();
    if (!context.parser.isSet(QStringLiteral("from"))
        || !context.parser.isSet(QStringLiteral("to")))
        return usage(
            QCoreApplication::translate("Sluice::CommandLine", "--from and --to are needed"));
    const Result<QDateTime> from =
        TimeOption::parse(context.parser.value(QStringLiteral("from")), QStringLiteral("--from"));
    if (!from)
        return usage(from.error().message());
    const Result<QDateTime> to =
        TimeOption::parse(context.parser.value(QStringLiteral("to")), QStringLiteral("--to"));
    if (!to)
        return usage(to.error().message());
    if (*to <= *from)
        return usage(
            QCoreApplication::translate("Sluice::CommandLine", "--to must be later than --from"));
    int parallel = 1;
    if (context.parser.isSet(QStringLiteral("parallel"))) {
        bool ok = false;
        parallel = context.parser.value(QStringLiteral("parallel")).toInt(&ok);
        if (!ok || parallel < 1 || parallel > BackfillPlan::MaximumParallel)
            return usage(QCoreApplication::translate(
                "Sluice::CommandLine", "--parallel must be a whole number in 1..%1, not \"%2\"")
                             .arg(BackfillPlan::MaximumParallel)
                             .arg(context.parser.value(QStringLiteral("parallel"))));
    }
    const bool dryRun = context.parser.isSet(QStringLiteral("dry-run"));

    Instance &instance = context.instance;
    if (Result<void> ok = instance.loadFlows(); !ok)
        return failure(ok.error());
    if (!instance.flows().flow(flowName) && !instance.flows().brokenFlow(flowName))
        return usage(QCoreApplication::translate("Sluice::CommandLine", "unknown flow \"%1\"")
                         .arg(flowName));
    // The schedule in force: schedules.ini, else the built-in or the file's default. A paused
    // schedule still has its fire times: backfilling them is what a user pausing may want.
    const QMap<QString, Schedule> schedules = effectiveSchedules(context);
    const auto schedule = schedules.constFind(flowName);
    if (schedule == schedules.cend())
        return usage(QCoreApplication::translate("Sluice::CommandLine",
            "flow \"%1\" has no schedule to take fire times from; set one with: sluice "
            "schedule set %1 \"CRON\"")
                         .arg(flowName));
    Result<QSet<qint64>> completed = [&]() -> Result<QSet<qint64>> {
        Result<std::unique_ptr<RunStore>> store = RunStore::open(context.folder.runsPath());
        if (!store)
            return store.error();
        return BackfillPlan::completedTimes(**store, flowName);
    }();
    if (!completed)
        return failure(completed.error());
    const Result<BackfillPlan> plan = BackfillPlan::make(*schedule, *from, *to, *completed);
    if (!plan)
        return usage(plan.error().message());
    if (dryRun) {
        for (const BackfillFire &fire : plan->fires()) {
            out() << TimeOption::format(fire.time.toMSecsSinceEpoch()) << "  "
                  << (fire.completedBefore
                             ? QCoreApplication::translate(
                                 "Sluice::CommandLine", "skip: a run of it completed")
                             : QCoreApplication::translate("Sluice::CommandLine", "run"))
                  << '\n';
        }
    }
    const QList<BackfillFire> todo = plan->toRun();
    out() << QCoreApplication::translate("Sluice::CommandLine",
        "backfill of \"%1\": %2 fire times in [%3, %4), %5 completed before, %6 to run")
                 .arg(flowName)
                 .arg(plan->fires().size())
                 .arg(TimeOption::format(from->toMSecsSinceEpoch()),
                     TimeOption::format(to->toMSecsSinceEpoch()))
                 .arg(plan->skipped())
                 .arg(todo.size())
          << '\n';
    out().flush();
    if (dryRun || todo.isEmpty())
        return ExitSuccess;

    if (Result<void> ok = instance.startEngine(); !ok)
        return failure(ok.error());
    Engine &engine = instance.engine();
    instance.startAlerts();

    QEventLoop loop;
    BackfillRunner runner(engine, flowName, todo, parallel);
    BackfillRunner::Summary summary;
    QObject::connect(&runner, &BackfillRunner::startRefused, &loop, [](int, const Error &error) {
        err() << QCoreApplication::applicationName() << ": " << error.message() << '\n';
    });
    QObject::connect(
        &runner, &BackfillRunner::runEnded, &loop, [&](const BackfillRunner::RunEnd &end) {
            QTextStream &stream = end.isCompleted() ? out() : err();
            const QString state = end.started
                ? stateName(end.state)
                : QCoreApplication::translate("Sluice::CommandLine", "not started");
            stream << TimeOption::format(todo.at(end.index).time.toMSecsSinceEpoch()) << "  "
                   << QCoreApplication::translate("Sluice::CommandLine", "run %1 %2 (%3 of %4)")
                          .arg(end.runId)
                          .arg(state)
                          .arg(end.finished)
                          .arg(todo.size());
            if (!end.message.isEmpty())
                stream << ": " << end.message;
            stream << '\n';
            stream.flush();
        });
    QObject::connect(
        &runner, &BackfillRunner::finished, &loop, [&](const BackfillRunner::Summary &result) {
            summary = result;
            loop.quit();
        });
    // SIGINT, SIGTERM, SIGHUP: start nothing more and cancel the runs in progress.
    TerminationSignals signalsToCancel;
    ShutdownOnSignal cancelOnSignal(signalsToCancel, engine,
        { [&](const QString &signal, int) {
             runner.stopStarting();
             err() << QCoreApplication::translate(
                 "Sluice::CommandLine", "%1 received: cancelling the backfill")
                          .arg(signal)
                   << '\n';
             err().flush();
         },
            {},
            [](const QString &signal) {
                return QCoreApplication::translate("Sluice::CommandLine", "cancelled by %1")
                    .arg(signal);
            } });

    runner.start();
    if (runner.isRunning())
        loop.exec();
    if (Result<void> ok = engine.flush(); !ok)
        err() << QCoreApplication::applicationName() << ": " << ok.error().message() << '\n';
    instance.alerts().waitForIdle(-1);
    out() << QCoreApplication::translate("Sluice::CommandLine",
        "backfill of \"%1\": %2 completed, %3 did not, %4 not run, %5 skipped")
                 .arg(flowName)
                 .arg(summary.completed)
                 .arg(summary.failed)
                 .arg(summary.notRun)
                 .arg(plan->skipped())
          << '\n';
    return summary.failed == 0 && summary.notRun == 0 ? ExitSuccess : ExitFailure;
}

} // namespace Sluice::Cli
