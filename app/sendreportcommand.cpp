// `sluice send-report`: emails the full CSV report (every row of the clean table) to
// report.recipients now. It is a run of the daily-report flow with day=all, so it is recorded
// in the run history like any other run. Exit 0 when the mail was accepted, 1 with the
// reason (the server's reply, e.g. its 535) otherwise, 2 for usage errors.

#include <optional>

#include <QEventLoop>
#include <QTextStream>

#include "commandline.h"
#include "engine/engine.h"
#include "flows/dailyreportflow.h"
#include "instance/instance.h"

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

    QEventLoop loop;
    qint64 ticket = 0;
    qint64 runId = 0; // once the run has its row
    std::optional<RunFinishedEvent> finished;
    std::optional<Error> startFailure;
    QString sentLine;
    QObject::connect(&engine, &Engine::runStarted, &loop, [&](const RunStartedEvent &event) {
        if (event.ticket == ticket)
            runId = event.runId;
    });
    QObject::connect(
        &engine, &Engine::runStartFailed, &loop, [&](const RunStartFailedEvent &event) {
            if (event.ticket != ticket)
                return;
            startFailure = event.error;
            loop.quit();
        });
    QObject::connect(&engine, &Engine::logLine, &loop, [&](const LogEvent &event) {
        if (runId != 0 && event.runId == runId && event.task == u"email")
            sentLine = event.text;
    });
    QObject::connect(&engine, &Engine::runFinished, &loop, [&](const RunFinishedEvent &event) {
        if (event.ticket != ticket)
            return;
        runId = event.runId;
        finished = event;
        loop.quit();
    });
    Result<qint64> started = engine.start(QLatin1String(DailyReportFlow::Name),
        { { QLatin1String(DailyReportFlow::DayParameter),
            QLatin1String(DailyReportFlow::AllDays) } },
        QStringLiteral("send-report"));
    if (!started) {
        err() << name << started.error().message() << '\n';
        return ExitFailure;
    }
    ticket = *started;
    loop.exec();
    if (startFailure) {
        err() << name << startFailure->message() << '\n';
        return ExitFailure;
    }
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
