// `sluice send-report`: emails the full CSV report (every row of the clean table) to
// report.recipients now. It is a run of the daily-report flow with day=all, so it is recorded
// in the run history like any other run. Exit 0 when the mail was accepted, 1 with the
// reason (the server's reply, e.g. its 535) otherwise, 2 for usage errors.

#include <QTextStream>

#include "commandline.h"
#include "engine/engine.h"
#include "flows/dailyreportflow.h"
#include "instance/instance.h"
#include "runfollower.h"

namespace Sluice::Cli {

int runSendReport(Context &context)
{
    const QString name = QCoreApplication::applicationName() + QStringLiteral(" send-report: ");
    if (!context.arguments.isEmpty()) {
        err() << name
              << QCoreApplication::translate(
                     "Sluice::CommandLine", "\"send-report\" takes no arguments")
              << '\n'
              << QCoreApplication::translate("Sluice::CommandLine", "Usage: sluice send-report")
              << '\n';
        return ExitUsage;
    }
    if (Result<void> ok = context.instance.startEngine(); !ok) {
        err() << name << ok.error().message() << '\n';
        return ExitFailure;
    }
    Engine &engine = context.instance.engine();

    RunFollower follower(engine);
    QString sentLine;
    QObject receiver; // the connection below ends with it
    QObject::connect(&engine, &Engine::logLine, &receiver, [&](const LogEvent &event) {
        if (follower.runId() != 0 && event.runId == follower.runId() && event.task == u"email")
            sentLine = event.text;
    });
    const Result<RunFinishedEvent> finished = follower.run(QLatin1String(DailyReportFlow::Name),
        { { QLatin1String(DailyReportFlow::DayParameter),
            QLatin1String(DailyReportFlow::AllDays) } },
        QStringLiteral("send-report"));
    if (!finished) {
        err() << name << finished.error().message() << '\n';
        return ExitFailure;
    }
    const qint64 runId = finished->runId;
    if (Result<void> ok = engine.flush(); !ok)
        err() << name << QCoreApplication::translate("Sluice::CommandLine", "warning:") << ' '
              << ok.error().message() << '\n';

    if (finished->state == RunState::Completed) {
        out() << QCoreApplication::translate("Sluice::CommandLine", "Report sent (run %1): %2")
                     .arg(runId)
                     .arg(sentLine)
              << '\n';
        return ExitSuccess;
    }
    err() << name
          << QCoreApplication::translate(
                 "Sluice::CommandLine", "the report was not sent (run %1 ended %2): %3")
                 .arg(runId)
                 .arg(stateName(finished->state), finished->message)
          << '\n';
    return ExitFailure;
}

} // namespace Sluice::Cli
