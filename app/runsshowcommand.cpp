// `sluice runs show RUN_ID`: one run from runs.sqlite: its flow, trigger, logical time,
// parameters, state and message (and the SHA-256 of the definition it ran, for a file flow),
// its steps (state, attempts, duration, error, first line of the output) and its log. An
// unknown id exits 2.

#include <QCoreApplication>
#include <QTextStream>

#include "commandline.h"
#include "engine/message.h"
#include "historysource.h"
#include "settings/datafolder.h"
#include "texttable.h"
#include "timeoption.h"

namespace Sluice::Cli {

namespace {

    constexpr int LogLineLimit = 1000;

    int usage(const QString &message)
    {
        err() << QCoreApplication::applicationName() << " runs show: " << message << '\n'
              << QCoreApplication::translate(
                     "Sluice::CommandLine", "Usage: sluice runs show RUN_ID")
              << '\n';
        return ExitUsage;
    }

    QString clock(qint64 ms)
    {
        return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"));
    }

    QString taskDuration(const TaskRunRecord &task)
    {
        if (task.startedMs <= 0 || task.finishedMs < task.startedMs)
            return QStringLiteral("-");
        return QCoreApplication::translate("Sluice::CommandLine", "%1 s")
            .arg(double(task.finishedMs - task.startedMs) / 1000.0, 0, 'f', 1);
    }

    // "fail=true, sleep-ms=0", by name; "-" without any.
    QString parameterText(const QVariantMap &parameters)
    {
        QStringList pairs;
        for (auto it = parameters.cbegin(); it != parameters.cend(); ++it)
            pairs << it.key() + QLatin1Char('=') + it.value().toString();
        return pairs.isEmpty() ? QStringLiteral("-") : pairs.join(QStringLiteral(", "));
    }

} // namespace

qint64 runIdArgument(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    return ok && id > 0 && !text.startsWith(QLatin1Char('+')) ? id : 0;
}

int runRunsShow(Context &context)
{
    // arguments: "show" RUN_ID
    if (context.arguments.size() != 2)
        return usage(QCoreApplication::translate("Sluice::CommandLine", "one run id is needed"));
    const qint64 id = runIdArgument(context.arguments.at(1));
    if (id == 0)
        return usage(QCoreApplication::translate("Sluice::CommandLine", "\"%1\" is not a run id")
                         .arg(context.arguments.at(1)));

    bool badStore = false;
    Result<std::unique_ptr<HistorySource>> history = HistorySource::open(context, &badStore);
    if (!history) {
        if (badStore)
            return usage(history.error().message());
        err() << QCoreApplication::applicationName() << ": " << history.error().message() << '\n';
        return ExitFailure;
    }
    const RunHistoryReader &store = (*history)->reader();
    const Result<std::optional<FlowRunRecord>> found = store.run(id);
    const Result<QList<TaskRunRecord>> tasks = store.tasks(id);
    const Result<QList<LogRecord>> lines = store.logLines(id, LogLineLimit);
    for (const Error *error : { found ? nullptr : &found.error(), tasks ? nullptr : &tasks.error(),
             lines ? nullptr : &lines.error() }) {
        if (error) {
            err() << QCoreApplication::applicationName() << ": " << error->message() << '\n';
            return ExitFailure;
        }
    }
    if (!*found)
        return usage(QCoreApplication::translate("Sluice::CommandLine", "there is no run %1 in %2")
                         .arg(id)
                         .arg((*history)->where()));
    const FlowRunRecord &run = **found;

    const auto field = [](const char *label, const QString &value) {
        out() << TextTable::cell(
            QCoreApplication::translate("Sluice::CommandLine", label).leftJustified(12))
              << ' ' << TextTable::cell(value) << '\n';
    };
    out() << QCoreApplication::translate("Sluice::CommandLine", "Run %1 of flow \"%2\"")
                 .arg(id)
                 .arg(TextTable::cell(run.flow))
          << '\n';
    field(QT_TRANSLATE_NOOP("Sluice::CommandLine", "Trigger:"), run.trigger);
    field(QT_TRANSLATE_NOOP("Sluice::CommandLine", "Run time:"), TimeOption::format(run.timeMs));
    field(QT_TRANSLATE_NOOP("Sluice::CommandLine", "Parameters:"), parameterText(run.parameters));
    field(QT_TRANSLATE_NOOP("Sluice::CommandLine", "State:"), stateName(run.state));
    if (run.startedMs > 0)
        field(QT_TRANSLATE_NOOP("Sluice::CommandLine", "Started:"),
            QDateTime::fromMSecsSinceEpoch(run.startedMs)
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    field(QT_TRANSLATE_NOOP("Sluice::CommandLine", "Duration:"), runDuration(run));
    if (!run.message.isEmpty())
        field(QT_TRANSLATE_NOOP("Sluice::CommandLine", "Message:"),
            Message::shown(run.message, run.messageKey));
    if (!run.definitionSha256.isEmpty()) {
        field(QT_TRANSLATE_NOOP("Sluice::CommandLine", "Definition:"),
            QCoreApplication::translate("Sluice::CommandLine", "sha256 %1 (%2)")
                .arg(run.definitionSha256, run.sourcePath));
    }
    if (run.reusedFrom != 0)
        field(QT_TRANSLATE_NOOP("Sluice::CommandLine", "Retry of:"),
            QCoreApplication::translate("Sluice::CommandLine", "run %1").arg(run.reusedFrom));

    if (!tasks->isEmpty()) {
        out() << '\n' << QCoreApplication::translate("Sluice::CommandLine", "Steps:") << '\n';
        TextTable table;
        table.addRow(
            { QStringLiteral(" "), QCoreApplication::translate("Sluice::CommandLine", "STEP"),
                QCoreApplication::translate("Sluice::CommandLine", "STATE"),
                QCoreApplication::translate("Sluice::CommandLine", "ATTEMPTS"),
                QCoreApplication::translate("Sluice::CommandLine", "DURATION"),
                QCoreApplication::translate("Sluice::CommandLine", "ERROR OR OUTPUT") });
        for (const TaskRunRecord &task : *tasks) {
            // The error of a step that did not complete; else its output's first line (none
            // for an empty output).
            QString detail = Message::shown(task.message, task.messageKey);
            if (task.state == RunState::Completed && !task.output.isEmpty()) {
                const QString first = task.output.section(QLatin1Char('\n'), 0, 0);
                const QString output =
                    QCoreApplication::translate("Sluice::CommandLine", "output: %1")
                        .arg(first.size() < task.output.size() ? first + QStringLiteral(" …")
                                                               : first);
                detail = detail.isEmpty() ? output : detail + QStringLiteral("; ") + output;
            }
            table.addRow({ QString(), task.task, stateName(task.state),
                QString::number(task.attempts), taskDuration(task), detail });
        }
        table.print(out());
    }

    out() << '\n' << QCoreApplication::translate("Sluice::CommandLine", "Log:") << '\n';
    if (lines->isEmpty())
        out() << "  " << QCoreApplication::translate("Sluice::CommandLine", "(no lines)") << '\n';
    for (const LogRecord &line : *lines) {
        out() << "  " << clock(line.atMs) << "  " << TextTable::cell(line.task) << "  | ";
        if (line.level != LogLevel::Info)
            out() << levelName(line.level) << ": ";
        out() << TextTable::cell(Message::shown(line.text, line.textKey)) << '\n';
    }
    return ExitSuccess;
}

} // namespace Sluice::Cli
