// sluice: the window by default, or a command-line verb (DESIGN.md, "Command line").

#include <memory>

#include <QApplication>
#include <QMessageBox>
#include <QTextStream>

#include "commandline.h"
#include "mainwindow.h"
#include "settings/datafolder.h"
#include "settings/settings.h"

using namespace Sluice;

namespace {

void setApplicationIdentity()
{
    // An empty organisation keeps the data folder at ~/.local/share/sluice.
    QCoreApplication::setApplicationName(QStringLiteral("sluice"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));
}

// Opens the data folder and its settings and applies the language; prints what went wrong.
std::unique_ptr<Settings> openFolder(const CommandLine &cli, Result<DataFolder> &folder)
{
    folder = DataFolder::open(DataFolder::resolve(cli.dataDirOption()));
    if (!folder)
        return nullptr;
    auto settings = std::make_unique<Settings>(folder->settingsPath());
    if (cli.languageOption().isEmpty() && settings->language() != u"system")
        CommandLine::installTranslations(settings->language());
    return settings;
}

int runGui(int argc, char **argv)
{
    if (!CommandLine::hasDisplay(argc, argv)) {
        QCoreApplication app(argc, argv);
        setApplicationIdentity();
        Cli::err() << QCoreApplication::applicationName() << ": "
                   << QCoreApplication::translate("Sluice::CommandLine",
                          "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY "
                          "is set). Run \"sluice serve\" for the scheduler without a window, or "
                          "\"sluice --help\" for the commands.")
                   << '\n';
        Cli::err().flush();
        return Cli::ExitFailure;
    }
    QApplication app(argc, argv);
    setApplicationIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("Sluice"));
    QApplication::setDesktopFileName(QStringLiteral("org.sluice.Sluice"));

    CommandLine cli;
    if (!CommandLine::installTranslations(cli.languageOption()))
        return Cli::ExitUsage;
    if (!cli.finishParsing())
        return cli.exitCode();

    Result<DataFolder> folder = Error{};
    std::unique_ptr<Settings> settings = openFolder(cli, folder);
    if (!settings) {
        const QString message = folder.error().message();
        Cli::err() << QCoreApplication::applicationName() << ": " << message << '\n';
        Cli::err().flush();
        QMessageBox::critical(nullptr,
            QCoreApplication::translate("Sluice::CommandLine", "Sluice cannot start"),
            QCoreApplication::translate(
                "Sluice::CommandLine", "The data folder cannot be used.\n\n%1")
                .arg(message));
        return Cli::ExitFailure;
    }

    MainWindow window(settings.get(), *folder);
    window.show();
    return app.exec();
}

int runCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    setApplicationIdentity();

    CommandLine cli;
    if (!CommandLine::installTranslations(cli.languageOption()))
        return Cli::ExitUsage;
    if (!cli.finishParsing())
        return cli.exitCode();

    Result<DataFolder> folder = Error{};
    std::unique_ptr<Settings> settings = openFolder(cli, folder);
    if (!settings) {
        Cli::err() << QCoreApplication::applicationName() << ": " << folder.error().message()
                   << '\n';
        Cli::err().flush();
        return Cli::ExitFailure;
    }
    return cli.runVerb(*folder, *settings);
}

} // namespace

int main(int argc, char **argv)
{
    return CommandLine::wantsGui(argc, argv) ? runGui(argc, argv) : runCommand(argc, argv);
}
