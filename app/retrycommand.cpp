// `sluice retry RUN_ID [--all]`: a new run of the same flow with the same parameters and
// logical time, on the flow's current definition. The tasks that Completed in RUN_ID are
// reused (Completed at once, "reused from run N", their stored outputs handed downstream);
// the rest run. --all reruns everything. Exit 0 when the new run Completed, 1 when it did
// not, 2 for a usage error or an unknown run.

#include <QCoreApplication>
#include <QTextStream>

#include "commandline.h"
#include "engine/flowregistry.h"
#include "engine/runoptions.h"
#include "engine/runstore.h"
#include "instance/instance.h"
#include "settings/datafolder.h"

namespace Sluice::Cli {

namespace {

    constexpr const char *Trigger = "retry";

    int usage(const QString &message)
    {
        err() << QCoreApplication::applicationName() << " retry: " << message << '\n'
              << QCoreApplication::translate(
                     "Sluice::CommandLine", "Usage: sluice retry RUN_ID [--all]")
              << '\n';
        return ExitUsage;
    }

    int failure(const Error &error)
    {
        err() << QCoreApplication::applicationName() << ": " << error.message() << '\n';
        return ExitFailure;
    }

} // namespace

int runRetry(Context &context)
{
    if (context.arguments.size() != 1)
        return usage(QCoreApplication::translate("Sluice::CommandLine", "one run id is needed"));
    const qint64 id = runIdArgument(context.arguments.first());
    if (id == 0)
        return usage(QCoreApplication::translate("Sluice::CommandLine", "\"%1\" is not a run id")
                         .arg(context.arguments.first()));

    FlowRunRecord run;
    QList<TaskRunRecord> tasks;
    {
        Result<std::unique_ptr<RunStore>> store = RunStore::open(context.folder.runsPath());
        if (!store)
            return failure(store.error());
        const Result<std::optional<FlowRunRecord>> found = (*store)->run(id);
        if (!found)
            return failure(found.error());
        if (!*found)
            return usage(
                QCoreApplication::translate("Sluice::CommandLine", "there is no run %1 in %2")
                    .arg(id)
                    .arg(context.folder.runsPath()));
        run = **found;
        Result<QList<TaskRunRecord>> taskRuns = (*store)->tasks(id);
        if (!taskRuns)
            return failure(taskRuns.error());
        tasks = std::move(*taskRuns);
    }
    if (!isFinal(run.state))
        return usage(QCoreApplication::translate(
            "Sluice::CommandLine", "run %1 is still in progress (%2); retry it once it ended")
                         .arg(id)
                         .arg(stateName(run.state)));

    Instance &instance = context.instance;
    if (Result<void> ok = instance.loadFlows(); !ok)
        return failure(ok.error());
    const std::shared_ptr<const Flow> flow = instance.flows().flow(run.flow);
    if (!flow)
        return usage(QCoreApplication::translate(
            "Sluice::CommandLine", "run %1 is of flow \"%2\", which no longer exists")
                         .arg(id)
                         .arg(run.flow));

    RunOptions options;
    // The run's values of the parameters the flow still declares; a new one takes its default.
    for (const ParameterSpec &spec : flow->parameters()) {
        if (const auto value = run.parameters.constFind(spec.name); value != run.parameters.cend())
            options.parameters.insert(spec.name, *value);
    }
    options.trigger = QLatin1String(Trigger);
    options.time = QDateTime::fromMSecsSinceEpoch(run.timeMs, Qt::UTC);
    options.reusedFrom = id;
    if (!context.parser.isSet(QStringLiteral("all"))) {
        // A task the current definition no longer has is not reused, nor one whose result
        // was not kept as text.
        for (const TaskRunRecord &task : std::as_const(tasks)) {
            if (task.state == RunState::Completed && !task.output.isNull()
                && flow->indexOf(task.task) >= 0)
                options.reusedOutputs.insert(task.task, task.output);
        }
    }
    if (Result<QVariantMap> parameters =
            Parameters::resolve(flow->parameters(), options.parameters, run.flow, options.time, {});
        !parameters)
        return usage(parameters.error().message());
    return followRun(context, run.flow, std::move(options));
}

} // namespace Sluice::Cli
