// sluice: the window by default, or a command-line verb (README, "Command line").

#include <memory>

#include <QApplication>
#include <QMessageBox>
#include <QTextStream>

#include "commandline.h"
#include "engine/displaytext.h"
#include "engine/engine.h"
#include "engine/message.h"
#include "instance/instance.h"
#include "mainwindow.h"
#include "schedule/schedulerunner.h"
#include "settings/settings.h"
#include "shutdownonsignal.h"
#include "terminationsignals.h"

using namespace Sluice;

namespace {

// How long the window may take to end after SIGTERM, SIGINT or SIGHUP: cancelling its runs,
// recording them and leaving. A session manager or systemd waits about 5 s before SIGKILL.
constexpr int SignalStopLimitMs = 4500;

QtMessageHandler s_qtMessageHandler = nullptr;

// Qt's and our own warnings go to the terminal too, and may quote what a server sent.
void escapingMessageHandler(
    QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    s_qtMessageHandler(type, context, escapeControls(message));
}

void setApplicationIdentity()
{
    // An empty organisation keeps the data folder at ~/.local/share/sluice.
    QCoreApplication::setApplicationName(QStringLiteral("sluice"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));
}

// "sluice: message" on stderr.
void printError(const QString &message)
{
    Cli::err() << QCoreApplication::applicationName() << ": " << message << '\n';
    Cli::err().flush();
}

// Shows an error that ends the start: the message, and for the window the text of its box.
using ShowError = void (*)(const QString &message, const QString &windowText);

// How the window and every command start: answers --help, --version and usage errors, applies
// --lang, checks --data-dir, opens the data folder with its settings and applies ui.language
// when no --lang was given. Null with exitCode set when the program ends here.
std::unique_ptr<Instance> openInstance(
    int argc, char **argv, CommandLine &cli, ShowError showError, int &exitCode)
{
    exitCode = Cli::ExitUsage;
    if (!CommandLine::installTranslations(cli.languageOption()))
        return nullptr;
    if (!cli.finishParsing()) {
        exitCode = cli.exitCode();
        return nullptr;
    }
    if (Result<void> ok = cli.checkDataDirBytes(argc, argv); !ok) {
        showError(ok.error().message(), ok.error().message());
        return nullptr;
    }
    Result<std::unique_ptr<Instance>> instance =
        Instance::open(DataFolder::resolve(cli.dataDirOption()));
    if (!instance) {
        const QString message = instance.error().message();
        showError(message,
            QCoreApplication::translate(
                "Sluice::CommandLine", "The data folder cannot be used.\n\n%1")
                .arg(message));
        exitCode = Cli::ExitFailure;
        return nullptr;
    }
    const QString language = (*instance)->settings().language();
    if (cli.languageOption().isEmpty() && language != u"system")
        CommandLine::installTranslations(language);
    return std::move(*instance);
}

void showGuiError(const QString &message, const QString &windowText)
{
    printError(message);
    QMessageBox::critical(nullptr,
        QCoreApplication::translate("Sluice::CommandLine", "Sluice cannot start"), windowText);
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
    // First, so that the shutdown below, the engine's included, is never cut short by a
    // second signal: it outlives everything that follows.
    Cli::TerminationSignals signalsToStop;
    setApplicationIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("Sluice"));
    QApplication::setDesktopFileName(QStringLiteral("org.sluice.Sluice"));

    CommandLine cli;
    int exitCode = Cli::ExitSuccess;
    const std::unique_ptr<Instance> opened = openInstance(argc, argv, cli, &showGuiError, exitCode);
    if (!opened)
        return exitCode;
    Instance &instance = *opened;

    // The engine, the scheduler (when this process holds the folder's scheduler lock) and the
    // window; the window goes first on the way out, then the instance.
    if (Result<void> ready = instance.startEngine(); !ready) {
        showGuiError(ready.error().message(), ready.error().message());
        return Cli::ExitFailure;
    }
    Engine &engine = instance.engine();
    instance.startAlerts();
    MainWindow::Services services;
    services.engine = &engine;
    services.flowFiles = &instance.flowFiles();
    instance.watchFlowFiles();
    if (Result<void> locked = instance.makeScheduler(); locked) {
        QObject::connect(instance.scheduler(), &ScheduleRunner::fireFailed, &engine,
            [](const QString &flow, const QDateTime &, const QString &error) {
                Cli::err() << QCoreApplication::applicationName() << ": " << flow << ": " << error
                           << '\n';
                Cli::err().flush();
            });
        instance.scheduler()->start();
        services.scheduler = instance.scheduler();
    } else {
        services.schedulerNote = QCoreApplication::translate(
            "Sluice::CommandLine", "another process schedules this data folder: %1")
                                     .arg(locked.error().message());
    }

    MainWindow window(&instance.settings(), instance.folder(), services);

    // SIGTERM, SIGINT, SIGHUP: stop scheduling, cancel the runs and leave once they are
    // recorded Cancelled, or when the time is up. A second signal changes nothing.
    Cli::ShutdownOnSignal shutdown(signalsToStop, engine,
        { [](const QString &signal, int runs) {
             Cli::err() << QCoreApplication::applicationName() << ": "
                        << QCoreApplication::translate(
                               "Sluice::CommandLine", "%1 received: closing (%2 run(s) to cancel)")
                               .arg(signal)
                               .arg(runs)
                        << '\n';
             Cli::err().flush();
         },
            [](const QString &signal) {
                Cli::err() << QCoreApplication::applicationName() << ": "
                           << QCoreApplication::translate(
                                  "Sluice::CommandLine", "%1 received: already stopping")
                                  .arg(signal)
                           << '\n';
                Cli::err().flush();
            },
            [](const QString &signal) {
                return QCoreApplication::translate(
                    "Sluice::CommandLine", "cancelled by %1: Sluice is closing")
                    .arg(signal);
            } });
    shutdown.setScheduler(instance.scheduler());
    shutdown.setLimitMs(SignalStopLimitMs - 500);
    // Unlike quit(), exit() is not refused by the tray.
    QObject::connect(&shutdown, &Cli::ShutdownOnSignal::stopped, &app,
        [] { QCoreApplication::exit(Cli::ExitSuccess); });

    window.showAtStart();
    const int code = app.exec();
    if (shutdown.isStopping()) {
        // What is left of the time goes to the tasks and the run store; then leave.
        engine.shutDown(std::max<int>(0, SignalStopLimitMs - int(shutdown.stoppingForMs())));
        return Cli::ExitSuccess;
    }
    engine.cancelAll(Message(
        "Sluice::CommandLine", QT_TRANSLATE_NOOP("Sluice::CommandLine", "Sluice was closed")));
    return code;
}

int runCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    setApplicationIdentity();

    CommandLine cli;
    int exitCode = Cli::ExitSuccess;
    const std::unique_ptr<Instance> instance = openInstance(
        argc, argv, cli, [](const QString &message, const QString &) { printError(message); },
        exitCode);
    if (!instance)
        return exitCode;
    return cli.runVerb(*instance);
}

} // namespace

int main(int argc, char **argv)
{
    s_qtMessageHandler = qInstallMessageHandler(escapingMessageHandler);
    return CommandLine::wantsGui(argc, argv) ? runGui(argc, argv) : runCommand(argc, argv);
}
