// `sluice config`: list, read and change the settings of the data folder.

#include <QTextStream>

#include "commandline.h"
#include "settings/settings.h"

namespace Sluice::Cli {

namespace {

    int usage(const QString &message)
    {
        err()
            << QCoreApplication::applicationName() << " config: " << message << '\n'
            << CommandLine::tr(
                   "Usage: sluice config list | get KEY | set KEY VALUE | unset KEY | set-password "
                   "[--store keyring|file]")
            << '\n';
        return ExitUsage;
    }

    int refused(const Error &error)
    {
        err() << QCoreApplication::applicationName() << " config: " << error.message() << '\n';
        return ExitUsage;
    }

    void printWarnings(const Settings &settings)
    {
        for (const QString &warning : settings.warnings())
            err() << QCoreApplication::applicationName() << ": " << CommandLine::tr("warning:")
                  << ' ' << warning << '\n';
    }

} // namespace

int runConfig(Context &context)
{
    const QStringList &args = context.arguments;
    Settings &settings = context.settings;
    const QString action = args.value(0);

    if (action.isEmpty())
        return usage(CommandLine::tr("a subcommand is needed"));

    if (action == u"list") {
        if (args.size() != 1)
            return usage(CommandLine::tr("\"list\" takes no arguments"));
        printWarnings(settings);
        for (const SettingSpec &spec : Settings::specs()) {
            out() << spec.key << " = " << settings.text(spec.key);
            if (settings.source(spec.key) != Settings::Source::Default)
                out() << "    # " << settings.sourceText(spec.key);
            out() << '\n';
        }
        return ExitSuccess;
    }

    if (action == u"get") {
        if (args.size() != 2)
            return usage(CommandLine::tr("\"get\" takes one KEY"));
        if (!Settings::spec(args.at(1)))
            return refused(Settings::parse(args.at(1), QString()).error());
        printWarnings(settings);
        out() << settings.text(args.at(1)) << '\n';
        return ExitSuccess;
    }

    if (action == u"set") {
        if (args.size() != 3)
            return usage(
                CommandLine::tr("\"set\" takes a KEY and one VALUE (quote a value with spaces)"));
        const QString &key = args.at(1);
        if (!Settings::spec(key))
            return refused(Settings::parse(key, QString()).error());
        if (Result<QVariant> parsed = Settings::parse(key, args.at(2)); !parsed)
            return refused(parsed.error());
        if (Result<void> ok = settings.setText(key, args.at(2)); !ok) {
            err() << QCoreApplication::applicationName() << " config: " << ok.error().message()
                  << '\n';
            // A valid value that could not be written is a failure, not a usage error.
            return ok.error().where == settings.filePath() ? ExitFailure : ExitUsage;
        }
        if (settings.source(key) != Settings::Source::File) {
            err() << QCoreApplication::applicationName() << ": "
                  << CommandLine::tr("note: %1 is overridden here by the %2")
                         .arg(key, settings.sourceText(key))
                  << '\n';
        }
        return ExitSuccess;
    }

    if (action == u"unset") {
        if (args.size() != 2)
            return usage(CommandLine::tr("\"unset\" takes one KEY"));
        if (Result<void> ok = settings.unset(args.at(1)); !ok) {
            err() << QCoreApplication::applicationName() << " config: " << ok.error().message()
                  << '\n';
            return ok.error().where == settings.filePath() ? ExitFailure : ExitUsage;
        }
        return ExitSuccess;
    }

    if (action == u"set-password") {
        err() << QCoreApplication::applicationName() << ": "
              << CommandLine::tr(
                     "\"config set-password\" is not available yet in this version of Sluice")
              << '\n';
        return ExitUsage;
    }

    return usage(CommandLine::tr("unknown subcommand \"%1\"").arg(action));
}

} // namespace Sluice::Cli
