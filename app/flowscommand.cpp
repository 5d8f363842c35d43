// `sluice flows`: the registered flows with their description, schedule, next fire time and
// the state of their last run (from runs.sqlite).

#include <QCoreApplication>
#include <QDateTime>
#include <QTextStream>

#include "commandline.h"
#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "instance/instance.h"
#include "schedule/defaultschedules.h"
#include "schedule/schedulestore.h"
#include "settings/datafolder.h"

namespace Sluice::Cli {

int runFlows(Context &context)
{
    if (!context.arguments.isEmpty()) {
        err() << QCoreApplication::applicationName() << " flows: "
              << QCoreApplication::translate("Sluice::CommandLine", "\"flows\" takes no arguments")
              << '\n'
              << QCoreApplication::translate("Sluice::CommandLine", "Usage: sluice flows") << '\n';
        return ExitUsage;
    }
    if (Result<void> ok = context.instance.loadFlows(); !ok) {
        err() << QCoreApplication::applicationName() << ": " << ok.error().message() << '\n';
        return ExitFailure;
    }
    const FlowRegistry &registry = context.instance.flows();
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

    const QMap<QString, Schedule> schedules = DefaultSchedules::effective(
        ScheduleStore(ScheduleStore::defaultPath(context.folder)), registry.names());
    const QDateTime now = QDateTime::currentDateTimeUtc();

    QList<QStringList> rows = { { QCoreApplication::translate("Sluice::CommandLine", "NAME"),
        QCoreApplication::translate("Sluice::CommandLine", "DESCRIPTION"),
        QCoreApplication::translate("Sluice::CommandLine", "SCHEDULE"),
        QCoreApplication::translate("Sluice::CommandLine", "NEXT FIRE"),
        QCoreApplication::translate("Sluice::CommandLine", "LAST RUN") } };
    for (const auto &flow : registry.flows()) {
        QString last = QStringLiteral("-");
        if (const auto found = lastRuns->constFind(flow->name()); found != lastRuns->cend()) {
            const qint64 at = found->finishedMs ? found->finishedMs : found->createdMs;
            last = QCoreApplication::translate("Sluice::CommandLine", "%1 (run %2, %3)")
                       .arg(stateName(found->state))
                       .arg(found->id)
                       .arg(QDateTime::fromMSecsSinceEpoch(at).toString(
                           QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        }
        QString schedule = QStringLiteral("-");
        QString next = QStringLiteral("-");
        if (const auto found = schedules.constFind(flow->name()); found != schedules.cend()) {
            schedule = found->expressionText();
            if (found->timeZoneId() != u"UTC")
                schedule += QLatin1Char(' ') + found->timeZoneId();
            if (found->isPaused())
                next = QCoreApplication::translate("Sluice::CommandLine", "paused");
            else if (Result<QDateTime> time = found->nextFireTime(now))
                next = Schedule::formatTime(*time);
        }
        rows << QStringList{ flow->name(), flow->description(), schedule, next, last };
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
