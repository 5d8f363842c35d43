#include "commandline.h"

#include <algorithm>
#include <cstring>
#include <iterator>

#include <QLibraryInfo>
#include <QLocale>
#include <QTextStream>
#include <QTranslator>

#include "instance/instance.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
#include "terminalwriter.h"

namespace Sluice {

namespace {

    // The verbs (README, "Command line"); a verb whose handler is null answers "not available yet".
    struct Verb
    {
        const char *name;
        const char *synopsis;
        const char *summary;
        int (*handler)(Cli::Context &);
        QLatin1String options; // the verb's own options, space-separated
    };

    const Verb verbs[] = {
        { "serve", "[--store URL] [--slots N]",
            QT_TRANSLATE_NOOP("Sluice::CommandLine",
                "run the scheduler without a window; with a PostgreSQL store, as a fleet worker"),
            &Cli::runServe, QLatin1String("store slots") },
        { "flows", "[check [FILE ...] | new NAME [--template T] | show FLOW [--dot]]",
            QT_TRANSLATE_NOOP(
                "Sluice::CommandLine", "list flows; check, create and show flow files"),
            &Cli::runFlows, QLatin1String("template dot") },
        { "run", "FLOW [--param k=v ...] [--time ISO8601]",
            QT_TRANSLATE_NOOP("Sluice::CommandLine", "run one flow now"), &Cli::runRun,
            QLatin1String("param time") },
        { "runs", "[FLOW] [--state S] [--limit N] | show RUN_ID [--store URL]",
            QT_TRANSLATE_NOOP("Sluice::CommandLine", "list recent runs; show one run"),
            &Cli::runRuns, QLatin1String("state limit store") },
        { "retry", "RUN_ID [--all]",
            QT_TRANSLATE_NOOP(
                "Sluice::CommandLine", "run a run again, reusing the steps that completed"),
            &Cli::runRetry, QLatin1String("all") },
        { "backfill", "FLOW --from ISO8601 --to ISO8601 [--parallel N] [--dry-run]",
            QT_TRANSLATE_NOOP(
                "Sluice::CommandLine", "run a flow once for each of its fire times in a range"),
            &Cli::runBackfill, QLatin1String("from to parallel dry-run") },
        { "export", "-o FILE [--start TS] [--end TS] [--table NAME] [--delimiter C] [--no-header]",
            QT_TRANSLATE_NOOP("Sluice::CommandLine", "write CSV of a table"), &Cli::runExport,
            QLatin1String("o output start end table delimiter no-header") },
        { "gaps", "[--table T] [--from ISO8601] [--to ISO8601] [--format text|csv|json]",
            QT_TRANSLATE_NOOP("Sluice::CommandLine",
                "list the slots missing from the slotted tables, as half-open ranges"),
            &Cli::runGaps, QLatin1String("table from to format") },
        { "schedule", "next|list|set|pause|resume|clear ...",
            QT_TRANSLATE_NOOP("Sluice::CommandLine", "show and edit schedules"), &Cli::runSchedule,
            QLatin1String("from count tz every misfire") },
        { "config", "list | get KEY | set KEY VALUE | unset KEY | set-password [smtp|store]",
            QT_TRANSLATE_NOOP("Sluice::CommandLine", "show and edit settings"), &Cli::runConfig,
            QLatin1String("store") },
        { "store", "[check] [--store URL]",
            QT_TRANSLATE_NOOP("Sluice::CommandLine",
                "show which run store is used (sqlite or PostgreSQL) and check it"),
            &Cli::runStore, QLatin1String("store") },
        { "send-report", "",
            QT_TRANSLATE_NOOP("Sluice::CommandLine", "email the full CSV report now"),
            &Cli::runSendReport, {} },
    };

    const Verb *findVerb(const QString &name)
    {
        for (const Verb &verb : verbs) {
            if (name == QLatin1String(verb.name))
                return &verb;
        }
        return nullptr;
    }

    // Options that take a value, so that the value is not mistaken for a verb before parsing.
    // Qt's own GUI options (-platform, -style, …) are among them.
    bool takesValue(const char *arg)
    {
        static const char *const withValue[] = {
            "--data-dir",
            "--lang",
            "-platform",
            "-platformpluginpath",
            "-platformtheme",
            "-plugin",
            "-qwindowgeometry",
            "-qwindowicon",
            "-qwindowtitle",
            "-session",
            "-style",
            "-stylesheet",
            "-display",
            "-geometry",
            "-title",
            "-name",
        };
        for (const char *option : withValue) {
            if (std::strcmp(arg, option) == 0)
                return true;
        }
        return false;
    }

} // namespace

namespace Cli {

    // Both escape control characters on the way (TerminalWriter): what they print may quote
    // a server, a step or a file.
    QTextStream &out()
    {
        static TerminalWriter device(stdout);
        static QTextStream stream(&device);
        return stream;
    }

    QTextStream &err()
    {
        static TerminalWriter device(stderr);
        static QTextStream stream(&device);
        return stream;
    }

    void printSettingsWarnings(const Settings &settings)
    {
        for (const QString &warning : settings.warnings()) {
            err() << QCoreApplication::applicationName() << ": " << CommandLine::tr("warning:")
                  << ' ' << warning << '\n';
        }
        err().flush();
    }

} // namespace Cli

bool CommandLine::wantsGui(int argc, char **argv)
{
    // Flags of Qt's own GUI options, which QApplication consumes.
    static const char *const guiFlags[] = { "-reverse", "-nograb", "-dograb", "-sync",
        "-widgetcount" };
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        if (std::strcmp(arg, "--") == 0)
            return i + 1 >= argc;
        if (arg[0] != '-')
            return false; // a verb
        if (takesValue(arg)) {
            ++i;
            continue;
        }
        if (std::strncmp(arg, "--data-dir=", 11) == 0 || std::strncmp(arg, "--lang=", 7) == 0)
            continue;
        const bool guiFlag = std::any_of(std::begin(guiFlags), std::end(guiFlags),
            [arg](const char *flag) { return std::strcmp(arg, flag) == 0; });
        // --help, --version and unknown options are answered on the terminal, without a window.
        if (!guiFlag)
            return false;
    }
    return true;
}

bool CommandLine::hasDisplay(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY")
        || qEnvironmentVariableIsSet("WAYLAND_DISPLAY"))
        return true;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "-platform") == 0)
            return true;
    }
    return false;
}

CommandLine::CommandLine()
{
    const QStringList arguments = QCoreApplication::arguments();
    m_parser.setApplicationDescription(
        tr("Sluice runs, schedules and watches local ETL jobs. Without a command it opens "
           "the window."));
    addGlobalOptions();

    // Every verb's options are known to the parser; a verb checks that it was given only
    // its own. The first positional argument is the verb.
    m_parser.addPositionalArgument(QStringLiteral("command"), tr("The command to run; see below."),
        QStringLiteral("[command]"));
    m_parser.addOption(
        { QStringLiteral("param"), tr("A flow parameter (run)."), QStringLiteral("k=v") });
    m_parser.addOption({ { QStringLiteral("o"), QStringLiteral("output") },
        tr("Output file, - for standard output (export)."), QStringLiteral("FILE") });
    m_parser.addOption({ QStringLiteral("start"), tr("First timestamp, inclusive (export)."),
        QStringLiteral("TS") });
    m_parser.addOption(
        { QStringLiteral("end"), tr("Last timestamp, exclusive (export)."), QStringLiteral("TS") });
    m_parser.addOption({ QStringLiteral("table"),
        tr("Table to export (export); slotted table to look at (gaps)."), QStringLiteral("NAME") });
    m_parser.addOption({ QStringLiteral("delimiter"),
        tr("Field delimiter (export): one character other than a letter, a digit, . + - \" ', or "
           "tab."),
        QStringLiteral("C") });
    m_parser.addOption({ QStringLiteral("no-header"), tr("Leave out the header line (export).") });
    m_parser.addOption({ QStringLiteral("from"),
        tr("Start time for the preview (schedule next); first fire time, inclusive (backfill); "
           "start of the slots looked at, inclusive (gaps)."),
        QStringLiteral("ISO8601") });
    m_parser.addOption({ QStringLiteral("to"),
        tr("End of the fire times, exclusive (backfill); end of the slots looked at, exclusive "
           "(gaps)."),
        QStringLiteral("ISO8601") });
    m_parser.addOption({ QStringLiteral("parallel"), tr("Runs at once (backfill; default 1)."),
        QStringLiteral("N") });
    m_parser.addOption({ QStringLiteral("dry-run"),
        tr("List the fire times and what would run, run nothing (backfill).") });
    m_parser.addOption({ QStringLiteral("count"), tr("Number of fire times (schedule next)."),
        QStringLiteral("N") });
    m_parser.addOption(
        { QStringLiteral("tz"), tr("IANA time zone of a schedule."), QStringLiteral("ZONE") });
    m_parser.addOption({ QStringLiteral("every"),
        tr("Interval schedule such as 90s, 5m, 2h (schedule set)."), QStringLiteral("INTERVAL") });
    m_parser.addOption({ QStringLiteral("misfire"),
        tr("skip, run-once or catch-up (schedule set)."), QStringLiteral("POLICY") });
    m_parser.addOption({ QStringLiteral("store"),
        tr("keyring or file (config set-password); the run store, sqlite or "
           "postgresql://user@host[:port]/database (store, serve, runs)."),
        QStringLiteral("STORE") });
    m_parser.addOption({ QStringLiteral("slots"),
        tr("Runs a fleet worker runs at once (serve on a PostgreSQL store; default 4)."),
        QStringLiteral("N") });
    m_parser.addOption({ QStringLiteral("template"),
        tr("shell, sql, http-to-table, csv-import or export-email (flows new)."),
        QStringLiteral("NAME") });
    m_parser.addOption({ QStringLiteral("dot"), tr("Print a Graphviz graph (flows show).") });
    m_parser.addOption({ QStringLiteral("time"),
        tr("The run's logical time, e.g. 2026-12-06T06:30:00Z or 2026-12-06 (run)."),
        QStringLiteral("ISO8601") });
    m_parser.addOption({ QStringLiteral("state"),
        tr("Only runs in this state, e.g. Failed; may be repeated (runs)."), QStringLiteral("S") });
    m_parser.addOption(
        { QStringLiteral("limit"), tr("At most N runs (runs; default 20)."), QStringLiteral("N") });
    m_parser.addOption({ QStringLiteral("all"), tr("Rerun every step, reusing none (retry).") });
    m_parser.addOption({ QStringLiteral("format"),
        tr("text, csv or json (gaps; default text). A gap is FIRST MISSING up to END, the first "
           "slot after it (half-open)."),
        QStringLiteral("FORMAT") });

    m_parsed = m_parser.parse(arguments);
    const QStringList positional = m_parser.positionalArguments();
    m_verb = positional.value(0);
}

// Printing waits until here so that messages come out in the language chosen by --lang.
bool CommandLine::finishParsing()
{
    if (!m_parsed) {
        usageError(m_parser.errorText());
        return false;
    }
    if (m_parser.isSet(QStringLiteral("help"))) {
        Cli::out() << helpText();
        Cli::out().flush();
        m_done = true;
        return false;
    }
    if (m_parser.isSet(QStringLiteral("version"))) {
        Cli::out() << QCoreApplication::applicationName() << ' '
                   << QCoreApplication::applicationVersion() << '\n';
        Cli::out().flush();
        m_done = true;
        return false;
    }
    if (m_verb.isEmpty())
        return true; // the GUI
    const Verb *verb = findVerb(m_verb);
    if (!verb) {
        usageError(tr("unknown command \"%1\"").arg(m_verb));
        return false;
    }
    static const QStringList global = { QStringLiteral("data-dir"), QStringLiteral("lang") };
    const QStringList own = QString(verb->options).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &name : m_parser.optionNames()) {
        if (!global.contains(name) && !own.contains(name)) {
            usageError(
                tr("the option \"%1\" does not apply to \"%2\"")
                    .arg((name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name,
                        m_verb));
            return false;
        }
    }
    return true;
}

void CommandLine::addGlobalOptions()
{
    m_parser.addOption(
        { { QStringLiteral("h"), QStringLiteral("help") }, tr("Show this help and exit.") });
    m_parser.addOption(
        { { QStringLiteral("v"), QStringLiteral("version") }, tr("Show the version and exit.") });
    m_parser.addOption({ QStringLiteral("data-dir"),
        tr("The data folder to use (default: %1, or $%2).")
            .arg(DataFolder::defaultPath(), QLatin1String(DataFolder::EnvironmentVariable)),
        QStringLiteral("DIR") });
    m_parser.addOption({ QStringLiteral("lang"),
        tr("Language of the interface: %1.").arg(languages().join(QStringLiteral(", "))),
        QStringLiteral("CODE") });
}

QString CommandLine::dataDirOption() const
{
    return m_parser.value(QStringLiteral("data-dir"));
}

QString CommandLine::languageOption() const
{
    return m_parser.value(QStringLiteral("lang"));
}

Result<void> CommandLine::checkDataDirBytes(int argc, char **argv) const
{
    const QString value = dataDirOption();
    if (value.isEmpty()) {
        return DataFolder::checkPathBytes(qgetenv(DataFolder::EnvironmentVariable),
            QLatin1String(DataFolder::EnvironmentVariable));
    }
    // Qt decoded each argument, bytes that are not UTF-8 becoming U+FFFD; find the bytes the
    // value came from: "--data-dir VALUE" or "--data-dir=VALUE".
    if (!value.contains(QChar::ReplacementCharacter))
        return {};
    static const QByteArray option = "--data-dir";
    for (int i = 1; i < argc; ++i) {
        QByteArray bytes = argv[i];
        if (bytes.startsWith(option + '='))
            bytes.remove(0, option.size() + 1);
        else if (std::strcmp(argv[i - 1], option.constData()) != 0)
            continue;
        if (QString::fromLocal8Bit(bytes) != value)
            continue;
        if (Result<void> ok = DataFolder::checkPathBytes(bytes, QString::fromLatin1(option)); !ok)
            return ok;
    }
    return {};
}

void CommandLine::usageError(const QString &message)
{
    Cli::err()
        << QCoreApplication::applicationName() << ": " << message << '\n'
        << tr("Usage: %1 [options] [command] [arguments]").arg(QCoreApplication::applicationName())
        << '\n'
        << tr("Try \"%1 --help\" for the commands and options.")
               .arg(QCoreApplication::applicationName())
        << '\n';
    Cli::err().flush();
    m_done = true;
    m_exitCode = Cli::ExitUsage;
}

QString CommandLine::helpText() const
{
    // Qt's first line names the binary's full path; name the command as users type it.
    QString text = m_parser.helpText();
    text = tr("Usage: %1 [options] [command] [arguments]").arg(QCoreApplication::applicationName())
        + text.mid(text.indexOf(QLatin1Char('\n')));
    QString commands = tr("Commands:") + QLatin1Char('\n');
    commands +=
        QStringLiteral("  %1  %2\n").arg(tr("(none)").leftJustified(24), tr("open the window"));
    for (const Verb &verb : verbs) {
        QString left = QLatin1String(verb.name);
        commands += QStringLiteral("  %1  %2\n")
                        .arg(left.leftJustified(24),
                            QCoreApplication::translate("Sluice::CommandLine", verb.summary));
        if (*verb.synopsis)
            commands += QStringLiteral("      %1 %2\n").arg(left, QLatin1String(verb.synopsis));
    }
    return text + QLatin1Char('\n') + commands;
}

int CommandLine::runVerb(Instance &instance)
{
    const Verb *verb = findVerb(m_verb);
    Q_ASSERT(verb);
    if (!verb->handler) {
        Cli::err() << QCoreApplication::applicationName() << ": "
                   << tr("\"%1\" is not available yet in this version of Sluice").arg(m_verb)
                   << '\n';
        Cli::err().flush();
        return Cli::ExitUsage;
    }
    // Settings problems are told once, before the verb's output; config tells them itself,
    // since "config set" refuses to write a settings.ini it cannot read instead.
    if (m_verb != u"config")
        Cli::printSettingsWarnings(instance.settings());
    Cli::Context context{ m_parser, m_parser.positionalArguments().mid(1), instance.folder(),
        instance.settings(), instance };
    const int code = verb->handler(context);
    Cli::out().flush();
    Cli::err().flush();
    return code;
}

QStringList CommandLine::languages()
{
    return { QStringLiteral("system"), QStringLiteral("en"), QStringLiteral("zh_CN") };
}

bool CommandLine::installTranslations(const QString &language)
{
    static QTranslator *appTranslator = nullptr;
    static QTranslator *qtTranslator = nullptr;
    QString code = language;
    code.replace(QLatin1Char('-'), QLatin1Char('_'));
    if (code.compare(QLatin1String("zh"), Qt::CaseInsensitive) == 0)
        code = QStringLiteral("zh_CN");
    const QStringList known = languages();
    auto match = std::find_if(known.cbegin(), known.cend(),
        [&](const QString &k) { return k.compare(code, Qt::CaseInsensitive) == 0; });
    if (!code.isEmpty() && match == known.cend()) {
        Cli::err() << QCoreApplication::applicationName() << ": "
                   << tr("unknown language \"%1\"; the languages are %2")
                          .arg(language, known.join(QStringLiteral(", ")))
                   << '\n';
        Cli::err().flush();
        return false;
    }
    if (match != known.cend())
        code = *match;

    for (QTranslator **translator : { &appTranslator, &qtTranslator }) {
        if (*translator) {
            QCoreApplication::removeTranslator(*translator);
            delete *translator;
            *translator = nullptr;
        }
    }
    const QLocale locale =
        (code.isEmpty() || code == u"system") ? QLocale::system() : QLocale(code);
    // Numbers and dates shown (digit grouping in the Data area, chart axes) follow the language.
    QLocale::setDefault(locale);
    // English is the source language; sluice_en carries only its plural forms, and is also
    // the fallback for a locale Sluice has no translation for.
    auto *app = new QTranslator;
    const bool loaded = code == u"en" ? false
                                      : app->load(locale, QStringLiteral("sluice"),
                                          QStringLiteral("_"), QStringLiteral(":/i18n"));
    if (!loaded && app->load(QStringLiteral(":/i18n/sluice_en.qm"))) {
        QCoreApplication::installTranslator(app);
        appTranslator = app;
        return true;
    }
    if (loaded) {
        QCoreApplication::installTranslator(app);
        appTranslator = app;
        auto *qt = new QTranslator;
        if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(qt);
            qtTranslator = qt;
        } else {
            delete qt;
        }
    } else {
        delete app;
    }
    return true;
}

} // namespace Sluice
