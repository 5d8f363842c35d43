// `sluice retry RUN_ID [--all]`: a new run of the same flow with the same parameters and
// logical time, on the flow's current definition. The tasks that Completed in RUN_ID are
// reused (Completed at once, "reused from run N", their stored outputs handed downstream);
// the rest run. --all reruns everything. Exit 0 when the new run Completed, 1 when it did
// not, 2 for a usage error or an unknown run.

#include <QCoreApplication>
#include <QTextStream>

#include "commandline.h"
#include "engine/flowregistry.h"
#include "engine/retryoptions.h"
#include "engine/runoptions.h"
#include "engine/runstore.h"
#include "instance/instance.h"
#include "settings/datafolder.h"

namespace Sluice::Cli {

namespace {

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

    RunOptions options =
        RetryOptions::make(run, tasks, *flow, context.parser.isSet(QStringLiteral("all")));
    if (Result<QVariantMap> parameters =
            Parameters::resolve(flow->parameters(), options.parameters, run.flow, options.time, {});
        !parameters)
        return usage(parameters.error().message());
    return followRun(context, run.flow, std::move(options));
}

} // namespace Sluice::Cli
