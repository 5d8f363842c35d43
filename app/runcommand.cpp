// `sluice run FLOW [--param k=v ...] [--time ISO8601]`: runs one flow now, recorded in
// runs.sqlite, with each task state change live on stderr and a summary on stdout. followRun()
// is the same for `sluice retry`. SIGINT (Ctrl-C) and SIGTERM
// cancel the run cleanly. Exit 0 only when the run Completed.

#include <algorithm>
#include <csignal>
#include <memory>

#include <QCoreApplication>
#include <QDateTime>
#include <QTextStream>

#include "commandline.h"
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/message.h"
#include "engine/runoptions.h"
#include "instance/instance.h"
#include "invalidflowfile.h"
#include "notify/alertnotifier.h"
#include "runfollower.h"
#include "shutdownonsignal.h"
#include "terminationsignals.h"
#include "timeoption.h"

namespace Sluice::Cli {

namespace {

    int usage(const QString &message)
    {
        err() << QCoreApplication::applicationName() << " run: " << message << '\n'
              << QCoreApplication::translate("Sluice::CommandLine",
                     "Usage: sluice run FLOW [--param NAME=VALUE ...] [--time ISO8601]")
              << '\n';
        return ExitUsage;
    }

    // What the summary needs of each task, gathered from the events.
    struct TaskLine
    {
        QString name;
        RunState state = RunState::Pending;
        int attempt = 0;
        qint64 startedMs = 0;
        qint64 finishedMs = 0;
        QString message;
    };

    QString clock(qint64 ms)
    {
        return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"));
    }

    QString seconds(qint64 ms)
    {
        return QCoreApplication::translate("Sluice::CommandLine", "%1 s")
            .arg(double(ms) / 1000.0, 0, 'f', 1);
    }

    void printSummary(const RunFinishedEvent &finished, const QList<TaskLine> &tasks, int width)
    {
        const QString message = Message::shown(finished.message, finished.messageKey);
        const qint64 duration = finished.finishedMs - finished.startedMs;
        if (finished.state == RunState::Completed) {
            out() << QCoreApplication::translate(
                "Sluice::CommandLine", "Run %1 of flow \"%2\" completed in %3.")
                         .arg(finished.runId)
                         .arg(finished.flow, seconds(duration))
                  << '\n';
        } else {
            out() << QCoreApplication::translate(
                "Sluice::CommandLine", "Run %1 of flow \"%2\" ended %3 after %4.")
                         .arg(finished.runId)
                         .arg(finished.flow, stateName(finished.state), seconds(duration))
                  << '\n';
        }
        for (const TaskLine &task : tasks) {
            out() << "  " << task.name.leftJustified(width) << "  "
                  << stateName(task.state).leftJustified(10);
            if (task.startedMs > 0 && task.finishedMs >= task.startedMs)
                out() << "  " << seconds(task.finishedMs - task.startedMs).rightJustified(7);
            else
                out() << "  " << QString().rightJustified(7);
            if (task.attempt > 1)
                out() << "  "
                      << QCoreApplication::translate(
                             "Sluice::CommandLine", "%n attempt(s)", nullptr, task.attempt);
            if (!task.message.isEmpty()) // also "reused from run N" of a Completed one
                out() << "  " << task.message;
            out() << '\n';
        }
        if (!finished.failedTask.isEmpty()) {
            const auto failed = std::find_if(tasks.cbegin(), tasks.cend(),
                [&](const TaskLine &task) { return task.name == finished.failedTask; });
            out() << QCoreApplication::translate("Sluice::CommandLine", "Failed task: %1: %2")
                         .arg(finished.failedTask,
                             failed != tasks.cend() ? failed->message : message)
                  << '\n';
        } else if (finished.state != RunState::Completed && !message.isEmpty()) {
            out() << QCoreApplication::translate("Sluice::CommandLine", "Reason: %1").arg(message)
                  << '\n';
        }
    }

} // namespace

int runRun(Context &context)
{
    if (context.arguments.isEmpty())
        return usage(
            QCoreApplication::translate("Sluice::CommandLine", "the name of a flow is needed"));
    if (context.arguments.size() > 1)
        return usage(QCoreApplication::translate(
            "Sluice::CommandLine", "one flow at a time; parameters go with --param NAME=VALUE"));
    const QString flowName = context.arguments.first();

    Instance &instance = context.instance;
    if (Result<void> ok = instance.loadFlows(); !ok) {
        err() << QCoreApplication::applicationName() << ": " << ok.error().message() << '\n';
        return ExitFailure;
    }
    if (const int refused = refuseInvalidFlowFile(context, flowName); refused >= 0)
        return refused;
    const std::shared_ptr<const Flow> flow = instance.flows().flow(flowName);
    if (!flow) {
        return usage(QCoreApplication::translate(
            "Sluice::CommandLine", "unknown flow \"%1\"; the flows are %2")
                         .arg(flowName, instance.flows().names().join(QStringLiteral(", "))));
    }
    RunOptions options;
    if (const QString time = context.parser.value(QStringLiteral("time")); !time.isEmpty()) {
        Result<QDateTime> parsed = TimeOption::parse(time, QStringLiteral("--time"));
        if (!parsed)
            return usage(parsed.error().message());
        options.time = *parsed;
    }
    Result<QVariantMap> given =
        Parameters::parseAssignments(context.parser.values(QStringLiteral("param")));
    if (!given)
        return usage(given.error().message());
    // Checked here for exit 2; the engine resolves them again for the run's own time.
    const QDateTime checkTime = options.time.isValid()
        ? options.time
        : QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
    Result<QVariantMap> parameters =
        Parameters::resolve(flow->parameters(), *given, flowName, checkTime, {});
    if (!parameters)
        return usage(parameters.error().message());
    options.parameters = *given;
    return followRun(context, flowName, std::move(options));
}

int followRun(Context &context, const QString &flowName, RunOptions options)
{
    Instance &instance = context.instance;
    const std::shared_ptr<const Flow> flow = instance.flows().flow(flowName);
    if (!flow)
        return usage(QCoreApplication::translate("Sluice::CommandLine", "unknown flow \"%1\"")
                         .arg(flowName));
    if (Result<void> ok = instance.startEngine(); !ok) {
        err() << QCoreApplication::applicationName() << ": " << ok.error().message() << '\n';
        return ExitFailure;
    }
    Engine &engine = instance.engine();
    AlertNotifier &alerts = instance.startAlerts();
    QObject::connect(&alerts, &AlertNotifier::alertSent, &alerts,
        [](const QString &, qint64, const QStringList &to) {
            err() << QCoreApplication::translate("Sluice::CommandLine", "alert emailed to %1")
                         .arg(to.join(QStringLiteral(", ")))
                  << '\n';
        });
    QObject::connect(&alerts, &AlertNotifier::alertSuppressed, &alerts,
        [](const QString &, qint64, const QString &reason) {
            err() << QCoreApplication::translate("Sluice::CommandLine", "no alert sent: %1")
                         .arg(reason)
                  << '\n';
        });
    QObject::connect(&alerts, &AlertNotifier::alertFailed, &alerts,
        [](const QString &, qint64, const QString &error) {
            err() << QCoreApplication::translate(
                "Sluice::CommandLine", "the alert could not be sent: %1")
                         .arg(error)
                  << '\n';
        });

    int width = 0;
    for (const TaskSpec &task : flow->tasks())
        width = std::max(width, int(task.name.size()));
    QList<TaskLine> tasks;
    RunFollower follower(engine);
    QObject receiver; // the connections below end with it
    QObject::connect(&engine, &Engine::runStarted, &receiver, [&](const RunStartedEvent &event) {
        if (event.ticket != follower.ticket())
            return;
        const qint64 runId = event.runId;
        for (const QString &name : event.tasks)
            tasks << TaskLine{ name, RunState::Pending, 0, 0, 0, {} };
        err() << clock(event.startedMs) << "  "
              << QCoreApplication::translate("Sluice::CommandLine", "run %1 of flow \"%2\" started")
                     .arg(runId)
                     .arg(flowName)
              << '\n';
        err().flush();
    });
    QObject::connect(
        &engine, &Engine::taskStateChanged, &receiver, [&](const TaskStateEvent &event) {
            if (event.runId != follower.runId() || event.taskIndex >= tasks.size())
                return;
            TaskLine &task = tasks[event.taskIndex];
            task.state = event.state;
            task.attempt = event.attempt;
            if (event.state == RunState::Running && task.startedMs == 0)
                task.startedMs = event.atMs;
            if (isFinal(event.state))
                task.finishedMs = event.atMs;
            task.message = Message::shown(event.message, event.messageKey);
            err() << clock(event.atMs) << "  " << event.task.leftJustified(width) << "  "
                  << stateName(event.state);
            if (event.state == RunState::Running || event.state == RunState::Retrying)
                err() << ' '
                      << QCoreApplication::translate("Sluice::CommandLine", "(attempt %1)")
                             .arg(event.attempt);
            if (!task.message.isEmpty())
                err() << ": " << task.message;
            err() << '\n';
            err().flush();
        });
    QObject::connect(&engine, &Engine::logLine, &receiver, [&](const LogEvent &event) {
        if (event.runId != follower.runId())
            return;
        err() << clock(event.atMs) << "  " << event.task.leftJustified(width) << "  | ";
        if (event.level != LogLevel::Info)
            err() << levelName(event.level) << ": ";
        err() << Message::shown(event.text, event.textKey) << '\n';
        err().flush();
    });
    // SIGINT, SIGTERM, SIGHUP: cancel the run; it ends Cancelled and the loop above ends.
    TerminationSignals signalsToCancel;
    ShutdownOnSignal cancelOnSignal(signalsToCancel, engine,
        { [](const QString &signal, int) {
             // The one run of this command, active or still waiting for its row (not counted
             // among the active runs, but cancelled all the same).
             err() << clock(QDateTime::currentMSecsSinceEpoch()) << "  "
                   << QCoreApplication::translate(
                          "Sluice::CommandLine", "%1 received: cancelling the run")
                          .arg(signal)
                   << '\n';
             err().flush();
         },
            {},
            [](const QString &signal) {
                return QCoreApplication::translate("Sluice::CommandLine", "cancelled by %1")
                    .arg(signal);
            } });

    const Result<RunFinishedEvent> finished = follower.run(flowName, std::move(options));
    if (!finished) {
        err() << QCoreApplication::applicationName() << ": " << finished.error().message() << '\n';
        return ExitFailure;
    }

    if (Result<void> ok = engine.flush(); !ok) {
        err() << QCoreApplication::applicationName() << ": "
              << QCoreApplication::translate("Sluice::CommandLine", "warning:") << ' '
              << ok.error().message() << '\n';
        err().flush();
        engine.shutDown(0); // a last try, then what stays unwritten is said
    }
    // A failure alert goes out before the process ends (the Mailer's own timeouts bound it).
    alerts.waitForIdle(-1);
    err().flush();
    printSummary(*finished, tasks, width);
    return finished->state == RunState::Completed ? ExitSuccess : ExitFailure;
}

} // namespace Sluice::Cli
