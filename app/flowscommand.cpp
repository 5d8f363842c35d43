// `sluice flows`: the built-in and file flows with their description, schedule, next fire
// time and the state of their last run (from runs.sqlite); a file flow that does not pass the
// check shows its first error. `flows check|new|show` are in their own files.

#include <QCoreApplication>
#include <QDateTime>
#include <QTextStream>

#include "commandline.h"
#include "engine/displaytext.h"
#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "flowfile/flowfilereader.h"
#include "instance/flowfiles.h"
#include "instance/instance.h"
#include "schedule/defaultschedules.h"
#include "schedule/schedulestore.h"
#include "settings/datafolder.h"

namespace Sluice::Cli {

QStringList builtinFlowNames(Context &context)
{
    // A malformed built-in (a programming error) is reported by `sluice flows` itself.
    if (!context.instance.loadFlows())
        return {};
    return context.instance.flows().builtinNames();
}

namespace {

    int usageError(const QString &message)
    {
        err() << QCoreApplication::applicationName() << " flows: " << message << '\n'
              << QCoreApplication::translate("Sluice::CommandLine",
                     "Usage: sluice flows\n"
                     "       sluice flows check [FILE ...]\n"
                     "       sluice flows new NAME [--template %1]\n"
                     "       sluice flows show FLOW [--dot]")
                     .arg(flowTemplateNames().join(u'|'))
              << '\n';
        return ExitUsage;
    }

    // Options of `flows` that a subcommand does not take.
    bool refuseOptions(const QCommandLineParser &parser, const QString &subcommand,
        const QStringList &own, int &code)
    {
        for (const QString &name : parser.optionNames()) {
            if (name == u"data-dir" || name == u"lang" || own.contains(name))
                continue;
            code = usageError(QCoreApplication::translate(
                "Sluice::CommandLine", "the option \"--%1\" does not apply to \"%2\"")
                                  .arg(name, subcommand));
            return true;
        }
        return false;
    }

} // namespace

int runFlows(Context &context)
{
    const QString subcommand = context.arguments.value(0);
    int code = ExitUsage;
    if (subcommand.isEmpty() || subcommand == u"check" || subcommand == u"new"
        || subcommand == u"show") {
        const QStringList own = subcommand == u"new" ? QStringList{ QStringLiteral("template") }
            : subcommand == u"show"                  ? QStringList{ QStringLiteral("dot") }
                                                     : QStringList{};
        if (refuseOptions(context.parser,
                subcommand.isEmpty() ? QStringLiteral("flows")
                                     : QStringLiteral("flows ") + subcommand,
                own, code))
            return code;
    }
    if (!subcommand.isEmpty()) {
        Context rest{ context.parser, context.arguments.mid(1), context.folder, context.settings,
            context.instance };
        if (subcommand == u"check")
            return runFlowsCheck(rest);
        if (subcommand == u"new")
            return runFlowsNew(rest);
        if (subcommand == u"show")
            return runFlowsShow(rest);
        return usageError(QCoreApplication::translate(
            "Sluice::CommandLine", "unknown subcommand \"%1\"; \"flows\" takes check, new or show")
                              .arg(escapeControls(subcommand)));
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

    // Flow files that cannot run keep the schedule they had (their fires are recorded Failed).
    const FlowFiles &files = context.instance.flowFiles();
    const QMap<QString, Schedule> schedules = effectiveSchedules(context);
    const QDateTime now = QDateTime::currentDateTimeUtc();

    QList<QStringList> rows = { { QCoreApplication::translate("Sluice::CommandLine", "NAME"),
        QCoreApplication::translate("Sluice::CommandLine", "DESCRIPTION"),
        QCoreApplication::translate("Sluice::CommandLine", "SCHEDULE"),
        QCoreApplication::translate("Sluice::CommandLine", "NEXT FIRE"),
        QCoreApplication::translate("Sluice::CommandLine", "LAST RUN") } };
    // "Failed (run 3, 2026-12-06 14:47:16)", or "-".
    const auto lastRun = [&](const QString &name) {
        const auto found = lastRuns->constFind(name);
        if (found == lastRuns->cend())
            return QStringLiteral("-");
        const qint64 at = found->finishedMs ? found->finishedMs : found->createdMs;
        return QCoreApplication::translate("Sluice::CommandLine", "%1 (run %2, %3)")
            .arg(stateName(found->state))
            .arg(found->id)
            .arg(
                QDateTime::fromMSecsSinceEpoch(at).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    };
    const auto addRow = [&](const QString &name, const QString &description) {
        QString schedule = QStringLiteral("-");
        QString next = QStringLiteral("-");
        if (const auto found = schedules.constFind(name); found != schedules.cend()) {
            schedule = found->expressionText();
            if (found->timeZoneId() != u"UTC")
                schedule += QLatin1Char(' ') + found->timeZoneId();
            if (found->isPaused())
                next = QCoreApplication::translate("Sluice::CommandLine", "paused");
            else if (Result<QDateTime> time = found->nextFireTime(now))
                next = Schedule::formatTime(*time);
        }
        rows << QStringList{ escapeControls(name), escapeControls(description), schedule, next,
            lastRun(name) };
    };
    // The built-in flows, then the file flows (their source: "file: ..."); an invalid file shows
    // its first error instead of a description.
    for (const auto &flow : registry.flows()) {
        addRow(flow->name(),
            flow->sourcePath().isEmpty()
                ? flow->description()
                : QCoreApplication::translate("Sluice::CommandLine", "file: %1")
                      .arg(flow->description()));
    }
    for (const FlowFiles::InvalidFile &file : files.invalidFiles()) {
        addRow(file.name,
            QCoreApplication::translate("Sluice::CommandLine", "invalid file: %1:%2: %3")
                .arg(file.firstError.line)
                .arg(file.firstError.column)
                .arg(file.firstError.message));
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
