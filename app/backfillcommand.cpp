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
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/runoptions.h"
#include "engine/runstore.h"
#include "instance/instance.h"
#include "notify/alertnotifier.h"
#include "schedule/firetimes.h"
#include "settings/datafolder.h"
#include "shutdownonsignal.h"
#include "terminationsignals.h"
#include "timeoption.h"

namespace Sluice::Cli {

namespace {

    constexpr const char *Trigger = "backfill";
    // More fire times than this in one backfill is surely a mistake (`every: 1s` over a year).
    constexpr int MaximumFireTimes = 10000;
    constexpr int MaximumParallel = 64;

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

    // The logical times of the flow's Completed runs, in ms.
    Result<QSet<qint64>> completedTimes(const QString &runsPath, const QString &flow)
    {
        Result<std::unique_ptr<RunStore>> store = RunStore::open(runsPath);
        if (!store)
            return store.error();
        RunQuery query;
        query.flow = flow;
        query.states = { RunState::Completed };
        query.limit = 0;
        Result<QList<FlowRunRecord>> runs = (*store)->runs(query);
        if (!runs)
            return runs.error();
        QSet<qint64> times;
        for (const FlowRunRecord &run : std::as_const(*runs))
            times.insert(run.timeMs);
        return times;
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
        if (!ok || parallel < 1 || parallel > MaximumParallel)
            return usage(QCoreApplication::translate(
                "Sluice::CommandLine", "--parallel must be a whole number in 1..%1, not \"%2\"")
                             .arg(MaximumParallel)
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
    const Result<QList<QDateTime>> fires =
        FireTimes::between(*schedule, *from, *to, MaximumFireTimes);
    if (!fires)
        return usage(fires.error().message());
    const Result<QSet<qint64>> completed = completedTimes(context.folder.runsPath(), flowName);
    if (!completed)
        return failure(completed.error());

    struct Fire
    {
        QDateTime time;
        QDateTime previous;
    };
    QList<Fire> todo;
    int skipped = 0;
    for (qsizetype i = 0; i < fires->size(); ++i) {
        const QDateTime &time = fires->at(i);
        const QDateTime previous = i > 0 ? fires->at(i - 1) : FireTimes::before(*schedule, time);
        const bool done = completed->contains(time.toMSecsSinceEpoch());
        if (done)
            ++skipped;
        else
            todo << Fire{ time, previous };
        if (dryRun) {
            out() << TimeOption::format(time.toMSecsSinceEpoch()) << "  "
                  << (done ? QCoreApplication::translate(
                          "Sluice::CommandLine", "skip: a run of it completed")
                           : QCoreApplication::translate("Sluice::CommandLine", "run"))
                  << '\n';
        }
    }
    out() << QCoreApplication::translate("Sluice::CommandLine",
        "backfill of \"%1\": %2 fire times in [%3, %4), %5 completed before, %6 to run")
                 .arg(flowName)
                 .arg(fires->size())
                 .arg(TimeOption::format(from->toMSecsSinceEpoch()),
                     TimeOption::format(to->toMSecsSinceEpoch()))
                 .arg(skipped)
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
    QHash<qint64, QDateTime> active; // fire time by ticket
    qsizetype next = 0;
    int finished = 0;
    int failed = 0;
    bool stopping = false;
    const auto startNext = [&] {
        while (!stopping && active.size() < parallel && next < todo.size()) {
            const Fire &fire = todo.at(next++);
            RunOptions options;
            options.trigger = QLatin1String(Trigger);
            options.time = fire.time;
            options.previousTime = fire.previous;
            options.allowOverlap = parallel > 1;
            Result<qint64> ticket = engine.start(flowName, std::move(options));
            if (!ticket) {
                err() << QCoreApplication::applicationName() << ": " << ticket.error().message()
                      << '\n';
                ++failed;
                stopping = true;
                break;
            }
            active.insert(*ticket, fire.time);
        }
        if (active.isEmpty())
            loop.quit();
    };
    const auto ended = [&](qint64 ticket, const QString &state, bool ok, qint64 runId,
                           const QString &message) {
        const auto it = active.constFind(ticket);
        if (it == active.cend())
            return;
        ++finished;
        if (!ok)
            ++failed;
        QTextStream &stream = ok ? out() : err();
        stream << TimeOption::format(it->toMSecsSinceEpoch()) << "  "
               << QCoreApplication::translate("Sluice::CommandLine", "run %1 %2 (%3 of %4)")
                      .arg(runId)
                      .arg(state)
                      .arg(finished)
                      .arg(todo.size());
        if (!message.isEmpty())
            stream << ": " << message;
        stream << '\n';
        stream.flush();
        active.erase(it);
        startNext();
    };
    QObject receiver;
    QObject::connect(&engine, &Engine::runFinished, &receiver, [&](const RunFinishedEvent &event) {
        ended(event.ticket, stateName(event.state), event.state == RunState::Completed, event.runId,
            event.message);
    });
    QObject::connect(
        &engine, &Engine::runStartFailed, &receiver, [&](const RunStartFailedEvent &event) {
            ended(event.ticket, QCoreApplication::translate("Sluice::CommandLine", "not started"),
                false, 0, event.error.message());
        });
    // SIGINT, SIGTERM, SIGHUP: start nothing more and cancel the runs in progress.
    TerminationSignals signalsToCancel;
    ShutdownOnSignal cancelOnSignal(signalsToCancel, engine,
        { [&](const QString &signal, int) {
             stopping = true;
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

    startNext();
    if (!active.isEmpty())
        loop.exec();
    if (Result<void> ok = engine.flush(); !ok)
        err() << QCoreApplication::applicationName() << ": " << ok.error().message() << '\n';
    instance.alerts().waitForIdle(-1);
    const qsizetype notRun = todo.size() - finished;
    out() << QCoreApplication::translate("Sluice::CommandLine",
        "backfill of \"%1\": %2 completed, %3 did not, %4 not run, %5 skipped")
                 .arg(flowName)
                 .arg(finished - failed)
                 .arg(failed)
                 .arg(notRun)
                 .arg(skipped)
          << '\n';
    return failed == 0 && notRun == 0 ? ExitSuccess : ExitFailure;
}

} // namespace Sluice::Cli
