// `sluice flows`: the registered flows with their description, schedule, next fire time and
// the state of their last run (from runs.sqlite).

#include <QDateTime>
#include <QTextStream>

#include "commandline.h"
#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "flows/builtinflows.h"
#include "settings/datafolder.h"

namespace Sluice::Cli {

namespace {

    QString tr(const char *text)
    {
        return QCoreApplication::translate("Sluice::CommandLine", text);
    }

} // namespace

int runFlows(Context &context)
{
    if (!context.arguments.isEmpty()) {
        err() << QCoreApplication::applicationName()
              << " flows: " << tr("\"flows\" takes no arguments") << '\n'
              << tr("Usage: sluice flows") << '\n';
        return ExitUsage;
    }
    FlowRegistry registry;
    if (Result<void> ok = registerBuiltinFlows(registry); !ok) {
        err() << QCoreApplication::applicationName() << ": " << ok.error().message() << '\n';
        return ExitFailure;
    }
    Result<std::unique_ptr<RunStore>> store = RunStore::open(context.folder.runsPath());
    if (!store) {
        err() << QCoreApplication::applicationName() << ": " << store.error().message() << '\n';
        return ExitFailure;
    }
    Result<QHash<QString, FlowRunRecord>> lastRuns = (*store)->lastRuns();
    if (!lastRuns) {
        err() << QCoreApplication::applicationName() << ": " << lastRuns.error().message() << '\n';
        return ExitFailure;
    }

    QList<QStringList> rows = { { tr("NAME"), tr("DESCRIPTION"), tr("SCHEDULE"), tr("NEXT FIRE"),
        tr("LAST RUN") } };
    for (const auto &flow : registry.flows()) {
        QString last = QStringLiteral("-");
        if (const auto found = lastRuns->constFind(flow->name()); found != lastRuns->cend()) {
            const qint64 at = found->finishedMs ? found->finishedMs : found->createdMs;
            last = tr("%1 (run %2, %3)")
                       .arg(stateName(found->state))
                       .arg(found->id)
                       .arg(QDateTime::fromMSecsSinceEpoch(at).toString(
                           QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        }
        // Schedules are not kept yet: "-" until the scheduler stores them.
        rows << QStringList{ flow->name(), flow->description(), QStringLiteral("-"),
            QStringLiteral("-"), last };
    }
    QList<qsizetype> widths(rows.first().size(), 0);
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row[i].leftJustified(widths[i] + 2) : row[i];
        out() << line << '\n';
    }
    return ExitSuccess;
}

} // namespace Sluice::Cli
