// `sluice runs [FLOW] [--state S] [--limit N]`: the recent runs from runs.sqlite, newest first,
// one aligned line each: id, flow, logical time (run.time), state and duration. `runs show`
// goes to runRunsShow().

#include <QCoreApplication>
#include <QTextStream>

#include "commandline.h"
#include "historysource.h"
#include "settings/datafolder.h"
#include "texttable.h"
#include "timeoption.h"

namespace Sluice::Cli {

namespace {

    constexpr int DefaultLimit = 20;

    int usage(const QString &message)
    {
        err() << QCoreApplication::applicationName() << " runs: " << message << '\n'
              << QCoreApplication::translate("Sluice::CommandLine",
                     "Usage: sluice runs [FLOW] [--state S] [--limit N] | runs show RUN_ID")
              << '\n';
        return ExitUsage;
    }

} // namespace

QString runDuration(const FlowRunRecord &run)
{
    if (run.startedMs <= 0 || run.finishedMs < run.startedMs)
        return QStringLiteral("-");
    return QCoreApplication::translate("Sluice::CommandLine", "%1 s")
        .arg(double(run.finishedMs - run.startedMs) / 1000.0, 0, 'f', 1);
}

int runRuns(Context &context)
{
    if (context.arguments.value(0) == u"show")
        return runRunsShow(context);
    if (context.arguments.size() > 1)
        return usage(QCoreApplication::translate(
            "Sluice::CommandLine", "one flow at a time, or \"show RUN_ID\""));
    RunQuery query;
    query.flow = context.arguments.value(0);
    query.limit = DefaultLimit;
    if (context.parser.isSet(QStringLiteral("limit"))) {
        bool ok = false;
        const QString text = context.parser.value(QStringLiteral("limit"));
        query.limit = text.toInt(&ok);
        if (!ok || query.limit < 1)
            return usage(QCoreApplication::translate(
                "Sluice::CommandLine", "--limit: \"%1\" is not a whole number of at least 1")
                             .arg(text));
    }
    for (const QString &name : context.parser.values(QStringLiteral("state"))) {
        RunState state = RunState::Completed;
        if (!stateFromName(name, &state)) {
            QStringList names;
            for (int i = int(RunState::Scheduled); i <= int(RunState::Crashed); ++i)
                names << stateName(RunState(i));
            return usage(QCoreApplication::translate(
                "Sluice::CommandLine", "--state: unknown state \"%1\"; the states are %2")
                             .arg(name, names.join(QStringLiteral(", "))));
        }
        query.states << state;
    }

    bool badStore = false;
    Result<std::unique_ptr<HistorySource>> history = HistorySource::open(context, &badStore);
    if (!history) {
        if (badStore)
            return usage(history.error().message());
        err() << QCoreApplication::applicationName() << ": " << history.error().message() << '\n';
        return ExitFailure;
    }
    const RunHistoryReader &store = (*history)->reader();
    const Result<QList<FlowRunRecord>> runs = store.runs(query);
    if (!runs) {
        err() << QCoreApplication::applicationName() << ": " << runs.error().message() << '\n';
        return ExitFailure;
    }
    if (runs->isEmpty()) {
        err() << QCoreApplication::translate("Sluice::CommandLine", "no runs") << '\n';
        return ExitSuccess;
    }
    TextTable table;
    table.addRow({ QCoreApplication::translate("Sluice::CommandLine", "ID"),
        QCoreApplication::translate("Sluice::CommandLine", "FLOW"),
        QCoreApplication::translate("Sluice::CommandLine", "RUN TIME"),
        QCoreApplication::translate("Sluice::CommandLine", "STATE"),
        QCoreApplication::translate("Sluice::CommandLine", "DURATION") });
    for (const FlowRunRecord &run : *runs) {
        table.addRow({ QString::number(run.id), run.flow, TimeOption::format(run.timeMs),
            stateName(run.state), runDuration(run) });
    }
    table.print(out());
    return ExitSuccess;
}

} // namespace Sluice::Cli
