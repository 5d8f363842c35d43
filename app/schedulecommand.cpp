// `sluice schedule`: preview the fire times of a cron expression or an interval
// (`schedule next`); list and edit the flows' schedules.

#include <QCoreApplication>
#include <QDateTime>
#include <QTextStream>
#include <QTimeZone>

#include "commandline.h"
#include "engine/flowregistry.h"
#include "instance/flowfiles.h"
#include "instance/instance.h"
#include "schedule/defaultschedules.h"
#include "schedule/schedule.h"
#include "schedule/schedulestore.h"
#include "schedule/wallclock.h"
#include "settings/datafolder.h"

namespace Sluice::Cli {

namespace {

    constexpr int DefaultCount = 5;
    constexpr int MaximumCount = 1000;

    // The schedule the arguments give: a cron expression or --every, never both. showUsage
    // says whether the error is one of usage (add the usage text) or of the schedule itself.
    struct ParsedSchedule
    {
        Result<Schedule> schedule;
        bool showUsage = false;
    };

    ParsedSchedule scheduleFromArguments(
        const QCommandLineParser &parser, const QString &expression, const QString &zoneId)
    {
        const bool every = parser.isSet(QStringLiteral("every"));
        if (every && !expression.isEmpty())
            return { Error{ QCoreApplication::translate("Sluice::CommandLine",
                                "give either a cron expression or --every, not both"),
                         QString() },
                true };
        if (every)
            return { Schedule::fromInterval(parser.value(QStringLiteral("every")), {}, zoneId) };
        if (!expression.isEmpty())
            return { Schedule::fromCron(expression, zoneId) };
        return { Error{ QCoreApplication::translate("Sluice::CommandLine",
                            "a cron expression (quoted) or --every is needed"),
                     QString() },
            true };
    }

    int complain(int code, const QString &message, const QString &usage = QString())
    {
        err() << QCoreApplication::applicationName() << " schedule: " << message << '\n';
        if (!usage.isEmpty())
            err() << usage << '\n';
        return code;
    }

    QString usageText()
    {
        return QCoreApplication::translate("Sluice::CommandLine",
            "Usage: sluice schedule next \"CRON\" | --every INTERVAL [--from ISO8601] "
            "[--count N] [--tz ZONE]\n"
            "       sluice schedule list\n"
            "       sluice schedule set FLOW \"CRON\" | --every INTERVAL [--tz ZONE] "
            "[--misfire skip|run-once|catch-up]\n"
            "       sluice schedule pause FLOW | resume FLOW | clear FLOW");
    }

    // Options of `schedule` that a subcommand does not take.
    int refuseOptions(
        const QCommandLineParser &parser, const QString &subcommand, const QStringList &own)
    {
        for (const QString &name : parser.optionNames()) {
            if (name == u"data-dir" || name == u"lang" || own.contains(name))
                continue;
            return complain(ExitUsage,
                QCoreApplication::translate(
                    "Sluice::CommandLine", "the option \"--%1\" does not apply to \"schedule %2\"")
                    .arg(name, subcommand),
                usageText());
        }
        return ExitSuccess;
    }

    // The flow files' own schedules: defaults, as the built-in ones.
    QMap<QString, Schedule> fileDefaults(const Context &context)
    {
        if (!context.instance.loadFlows())
            return {};
        return context.instance.flowFiles().schedules();
    }

    // ISO 8601 with an offset or Z; a time without one is a wall time in `zone`.
    Result<QDateTime> parseFrom(const QString &text, const QTimeZone &zone)
    {
        const QString trimmed = text.trimmed();
        const QDateTime time = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
        if (time.isValid() && time.timeSpec() != Qt::LocalTime)
            return time; // it has Z or an offset
        // A wall time of `zone`. Read as UTC, so that the machine's own zone cannot shift or
        // refuse a time in its own DST gap.
        const QString wallText =
            trimmed.contains(QLatin1Char('T')) ? trimmed : trimmed + QStringLiteral("T00:00:00");
        const QDateTime wall =
            QDateTime::fromString(wallText + QLatin1Char('Z'), Qt::ISODateWithMs);
        if (!wall.isValid())
            return Error{ QCoreApplication::translate("Sluice::CommandLine",
                              "\"%1\" is not an ISO 8601 date and time, such as "
                              "2024-03-08T16:50:00Z")
                              .arg(text),
                QStringLiteral("--from") };
        const qint64 instant =
            WallClock::firstInstant(zone, WallClock::wallSeconds(wall.date(), wall.time()));
        return QDateTime::fromMSecsSinceEpoch(instant * 1000 + wall.time().msec(), Qt::UTC);
    }

    int runNext(Context &context)
    {
        const QCommandLineParser &parser = context.parser;
        if (int refused = refuseOptions(parser, QStringLiteral("next"),
                { QStringLiteral("from"), QStringLiteral("count"), QStringLiteral("tz"),
                    QStringLiteral("every") }))
            return refused;

        const QString zoneId = parser.value(QStringLiteral("tz"));
        Result<QTimeZone> zone = Schedule::parseTimeZone(zoneId);
        if (!zone)
            return complain(ExitUsage, zone.error().message());

        // Unquoted fields arrive as several arguments: take them as one expression.
        const QString expression = context.arguments.mid(1).join(QLatin1Char(' '));
        ParsedSchedule parsed = scheduleFromArguments(parser, expression, zoneId);
        if (!parsed.schedule)
            return complain(ExitUsage, parsed.schedule.error().message(),
                parsed.showUsage ? usageText() : QString());
        Result<Schedule> schedule = std::move(parsed.schedule);

        QDateTime from = QDateTime::currentDateTimeUtc();
        if (parser.isSet(QStringLiteral("from"))) {
            Result<QDateTime> parsed = parseFrom(parser.value(QStringLiteral("from")), *zone);
            if (!parsed)
                return complain(ExitUsage, parsed.error().message());
            from = *parsed;
        }

        int count = DefaultCount;
        if (parser.isSet(QStringLiteral("count"))) {
            const QString text = parser.value(QStringLiteral("count"));
            bool ok = false;
            count = text.toInt(&ok);
            if (!ok || count < 1 || count > MaximumCount)
                return complain(ExitUsage,
                    QCoreApplication::translate(
                        "Sluice::CommandLine", "--count: \"%1\" is not a whole number from 1 to %2")
                        .arg(text)
                        .arg(MaximumCount));
        }

        Result<QList<QDateTime>> times = schedule->nextFireTimes(from, count);
        if (!times)
            return complain(ExitFailure, times.error().message());
        for (const QDateTime &time : *times)
            out() << Schedule::formatTime(time) << '\n';
        return ExitSuccess;
    }

    // "* * * * * (every minute), UTC, misfire run-once, next 2024-03-08T17:00:00+00:00"
    QString summary(const Schedule &schedule)
    {
        QString words = schedule.expressionText();
        const QString described = schedule.kind() == Schedule::Kind::Cron
            ? schedule.cron().describe()
            : schedule.interval().describe();
        if (described != words)
            words += QStringLiteral(" (%1)").arg(described);
        QString text = QCoreApplication::translate("Sluice::CommandLine", "%1, %2, misfire %3")
                           .arg(words, schedule.timeZoneId(),
                               Schedule::misfirePolicyName(schedule.misfirePolicy()));
        if (schedule.isPaused())
            return text + QStringLiteral(", ")
                + QCoreApplication::translate("Sluice::CommandLine", "paused");
        Result<QDateTime> next = schedule.nextFireTime(QDateTime::currentDateTimeUtc());
        if (next)
            text += QStringLiteral(", ")
                + QCoreApplication::translate("Sluice::CommandLine", "next %1")
                      .arg(Schedule::formatTime(*next));
        return text;
    }

    int runList(Context &context)
    {
        if (int refused = refuseOptions(context.parser, QStringLiteral("list"), {}))
            return refused;
        if (context.arguments.size() != 1)
            return complain(ExitUsage,
                QCoreApplication::translate("Sluice::CommandLine", "\"list\" takes no arguments"),
                usageText());
        QList<Error> problems;
        const QMap<QString, Schedule> schedules = effectiveSchedules(context, &problems);
        for (const Error &problem : std::as_const(problems))
            err() << QCoreApplication::applicationName()
                  << " schedule: " << QCoreApplication::translate("Sluice::CommandLine", "warning:")
                  << ' ' << problem.message() << '\n';
        if (schedules.isEmpty()) {
            out() << QCoreApplication::translate("Sluice::CommandLine",
                "No schedules. Set one with: sluice schedule set FLOW \"CRON\"")
                  << '\n';
            return ExitSuccess;
        }

        const QDateTime now = QDateTime::currentDateTimeUtc();
        QList<QStringList> rows = { { QCoreApplication::translate("Sluice::CommandLine", "FLOW"),
            QCoreApplication::translate("Sluice::CommandLine", "STATE"),
            QCoreApplication::translate("Sluice::CommandLine", "SCHEDULE"),
            QCoreApplication::translate("Sluice::CommandLine", "ZONE"),
            QCoreApplication::translate("Sluice::CommandLine", "MISFIRE"),
            QCoreApplication::translate("Sluice::CommandLine", "NEXT") } };
        for (auto it = schedules.cbegin(); it != schedules.cend(); ++it) {
            const Schedule &schedule = it.value();
            Result<QDateTime> next = schedule.nextFireTime(now);
            rows.append({ it.key(),
                schedule.isPaused() ? QCoreApplication::translate("Sluice::CommandLine", "paused")
                                    : QCoreApplication::translate("Sluice::CommandLine", "active"),
                schedule.expressionText(), schedule.timeZoneId(),
                Schedule::misfirePolicyName(schedule.misfirePolicy()),
                schedule.isPaused() || !next ? QStringLiteral("-") : Schedule::formatTime(*next) });
        }
        QList<qsizetype> widths(rows.first().size(), 0);
        for (const QStringList &row : std::as_const(rows)) {
            for (qsizetype i = 0; i < row.size(); ++i)
                widths[i] = qMax(widths[i], row.at(i).size());
        }
        for (const QStringList &row : std::as_const(rows)) {
            QString line;
            for (qsizetype i = 0; i < row.size(); ++i)
                line += i + 1 < row.size() ? row.at(i).leftJustified(widths[i] + 2) : row.at(i);
            out() << line << '\n';
        }
        return ExitSuccess;
    }

    int runSet(Context &context)
    {
        const QCommandLineParser &parser = context.parser;
        if (int refused = refuseOptions(parser, QStringLiteral("set"),
                { QStringLiteral("tz"), QStringLiteral("every"), QStringLiteral("misfire") }))
            return refused;
        const QString flowName = context.arguments.value(1);
        if (flowName.isEmpty())
            return complain(ExitUsage,
                QCoreApplication::translate(
                    "Sluice::CommandLine", "\"set\" takes a FLOW and a cron expression or --every"),
                usageText());
        if (Result<void> name = ScheduleStore::checkFlowName(flowName); !name)
            return complain(ExitUsage, name.error().message());
        if (const QStringList flows = knownFlowNames(context); !flows.contains(flowName))
            return complain(ExitUsage,
                QCoreApplication::translate(
                    "Sluice::CommandLine", "unknown flow \"%1\"; the flows are %2")
                    .arg(flowName, flows.join(QStringLiteral(", "))));

        const QString expression = context.arguments.mid(2).join(QLatin1Char(' '));
        const QString zoneId = parser.value(QStringLiteral("tz"));
        ParsedSchedule parsed = scheduleFromArguments(parser, expression, zoneId);
        if (!parsed.schedule)
            return complain(ExitUsage, parsed.schedule.error().message(),
                parsed.showUsage ? usageText() : QString());
        Result<Schedule> schedule = std::move(parsed.schedule);
        if (parser.isSet(QStringLiteral("misfire"))) {
            Result<Schedule::MisfirePolicy> policy =
                Schedule::parseMisfirePolicy(parser.value(QStringLiteral("misfire")));
            if (!policy)
                return complain(ExitUsage, policy.error().message());
            schedule->setMisfirePolicy(*policy);
        }

        ScheduleStore store(ScheduleStore::defaultPath(context.folder));
        // A paused flow stays paused when its schedule changes: no surprise runs.
        if (Result<Schedule> old = store.schedule(flowName); old && old->isPaused())
            schedule->setPaused(true);
        if (Result<void> stored = store.setSchedule(flowName, *schedule); !stored)
            return complain(ExitFailure, stored.error().message());
        if (Result<void> ok = DefaultSchedules::setCleared(store, flowName, false); !ok)
            return complain(ExitFailure, ok.error().message());
        out() << QCoreApplication::translate("Sluice::CommandLine", "%1: %2")
                     .arg(flowName, summary(*schedule))
              << '\n';
        return ExitSuccess;
    }

    // pause, resume, clear
    int runChange(Context &context, const QString &action)
    {
        if (int refused = refuseOptions(context.parser, action, {}))
            return refused;
        if (context.arguments.size() != 2)
            return complain(ExitUsage,
                QCoreApplication::translate("Sluice::CommandLine", "\"%1\" takes one FLOW")
                    .arg(action),
                usageText());
        const QString flowName = context.arguments.at(1);
        if (Result<void> name = ScheduleStore::checkFlowName(flowName); !name)
            return complain(ExitUsage, name.error().message());
        ScheduleStore store(ScheduleStore::defaultPath(context.folder));
        // A built-in default in force is not in the file yet: write it there to pause it, or
        // remember that it was cleared.
        const QMap<QString, Schedule> files = fileDefaults(context);
        const QMap<QString, Schedule> inForce = effectiveSchedules(context);
        const bool defaultOnly = inForce.contains(flowName) && !store.contains(flowName);
        Result<void> done;
        if (action == u"clear") {
            done = DefaultSchedules::clear(store, flowName, files);
        } else {
            if (defaultOnly)
                done = store.setSchedule(flowName, inForce.value(flowName));
            if (done)
                done = store.setPaused(flowName, action == u"pause");
        }
        if (!done)
            return complain(ExitFailure, done.error().message());
        if (action == u"clear") {
            out() << QCoreApplication::translate("Sluice::CommandLine", "%1: schedule cleared")
                         .arg(flowName)
                  << '\n';
        } else {
            Result<Schedule> schedule = store.schedule(flowName);
            if (!schedule)
                return complain(ExitFailure, schedule.error().message());
            out() << QCoreApplication::translate("Sluice::CommandLine", "%1: %2")
                         .arg(flowName, summary(*schedule))
                  << '\n';
        }
        return ExitSuccess;
    }

} // namespace

QStringList knownFlowNames(const Context &context)
{
    if (!context.instance.loadFlows())
        return {};
    QStringList names = context.instance.flows().names();
    for (const BrokenFlow &broken : context.instance.flows().brokenFlows())
        names << broken.name;
    return names;
}

QMap<QString, Schedule> effectiveSchedules(const Context &context, QList<Error> *problems)
{
    return DefaultSchedules::effective(ScheduleStore(ScheduleStore::defaultPath(context.folder)),
        knownFlowNames(context), fileDefaults(context), problems);
}

int runSchedule(Context &context)
{
    const QString action = context.arguments.value(0);
    if (action.isEmpty())
        return complain(ExitUsage,
            QCoreApplication::translate("Sluice::CommandLine",
                "a subcommand is needed: next, list, set, pause, resume "
                "or clear"),
            usageText());
    if (action == u"next")
        return runNext(context);
    if (action == u"list")
        return runList(context);
    if (action == u"set")
        return runSet(context);
    if (action == u"pause" || action == u"resume" || action == u"clear")
        return runChange(context, action);
    return complain(ExitUsage,
        QCoreApplication::translate("Sluice::CommandLine", "unknown subcommand \"%1\"").arg(action),
        usageText());
}

} // namespace Sluice::Cli
