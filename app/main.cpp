// sluice: the window by default, or a command-line verb (DESIGN.md, "Command line").

#include <memory>

#include <QApplication>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>

#include "commandline.h"
#include "engine/displaytext.h"
#include "engine/engine.h"
#include "flows/builtinflows.h"
#include "mainwindow.h"
#include "notify/alertnotifier.h"
#include "schedule/schedulerlock.h"
#include "schedule/schedulerunner.h"
#include "schedule/schedulestore.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
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
    // First, so that the shutdown below, the engine's included, is never cut short by a
    // second signal: it outlives everything that follows.
    Cli::TerminationSignals signalsToStop;
    setApplicationIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("Sluice"));
    QApplication::setDesktopFileName(QStringLiteral("org.sluice.Sluice"));

    CommandLine cli;
    if (!CommandLine::installTranslations(cli.languageOption()))
        return Cli::ExitUsage;
    if (!cli.finishParsing())
        return cli.exitCode();
    if (Result<void> ok = cli.checkDataDirBytes(argc, argv); !ok) {
        const QString message = ok.error().message();
        Cli::err() << QCoreApplication::applicationName() << ": " << message << '\n';
        Cli::err().flush();
        QMessageBox::critical(nullptr,
            QCoreApplication::translate("Sluice::CommandLine", "Sluice cannot start"), message);
        return Cli::ExitUsage;
    }

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

    // The engine, the scheduler (when this process holds the folder's scheduler lock) and the
    // window; the window goes first on the way out, the engine last.
    FlowRegistry registry;
    Result<void> ready = registerBuiltinFlows(registry, folder->path());
    Engine engine(registry);
    if (ready)
        ready = engine.enablePersistence(folder->runsPath(), settings->retentionDays());
    if (!ready) {
        const QString message = ready.error().message();
        Cli::err() << QCoreApplication::applicationName() << ": " << message << '\n';
        Cli::err().flush();
        QMessageBox::critical(nullptr,
            QCoreApplication::translate("Sluice::CommandLine", "Sluice cannot start"), message);
        return Cli::ExitFailure;
    }
    AlertNotifier alerts(folder->path(), *settings);
    alerts.watch(engine);
    MainWindow::Services services;
    services.engine = &engine;
    SchedulerLock lock(folder->lockPath());
    std::unique_ptr<ScheduleRunner> scheduler;
    if (Result<void> locked = lock.tryLock(); locked) {
        scheduler = std::make_unique<ScheduleRunner>(
            engine, ScheduleStore::defaultPath(*folder), folder->runsPath());
        QObject::connect(scheduler.get(), &ScheduleRunner::fireFailed, &engine,
            [](const QString &flow, const QDateTime &, const QString &error) {
                Cli::err() << QCoreApplication::applicationName() << ": " << flow << ": " << error
                           << '\n';
                Cli::err().flush();
            });
        scheduler->start();
        services.scheduler = scheduler.get();
    } else {
        services.schedulerNote = QCoreApplication::translate(
            "Sluice::CommandLine", "another process schedules this data folder: %1")
                                     .arg(locked.error().message());
    }

    MainWindow window(settings.get(), *folder, services);

    // SIGTERM, SIGINT, SIGHUP: stop scheduling, cancel the runs and leave once they are
    // recorded Cancelled, or when the time is up. A second signal changes nothing.
    QElapsedTimer stopping;
    const auto leaveWhenIdle = [&] {
        if (stopping.isValid() && engine.activeRuns().isEmpty())
            QCoreApplication::exit(Cli::ExitSuccess); // unlike quit(), not refused by the tray
    };
    QObject::connect(
        &engine, &Engine::runFinished, &app, [&] { QTimer::singleShot(0, &app, leaveWhenIdle); });
    std::unique_ptr<QSocketNotifier> notifier;
    if (signalsToStop.readSocket() >= 0)
        notifier =
            std::make_unique<QSocketNotifier>(signalsToStop.readSocket(), QSocketNotifier::Read);
    if (notifier) {
        QObject::connect(notifier.get(), &QSocketNotifier::activated, &app, [&] {
            for (int signal : Cli::TerminationSignals::take()) {
                const QString name = QLatin1String(Cli::TerminationSignals::name(signal));
                if (stopping.isValid()) {
                    Cli::err() << QCoreApplication::applicationName() << ": "
                               << QCoreApplication::translate(
                                      "Sluice::CommandLine", "%1 received: already stopping")
                                      .arg(name)
                               << '\n';
                    Cli::err().flush();
                    continue;
                }
                stopping.start();
                Cli::err() << QCoreApplication::applicationName() << ": "
                           << QCoreApplication::translate("Sluice::CommandLine",
                                  "%1 received: closing (%2 run(s) to cancel)")
                                  .arg(name)
                                  .arg(engine.activeRuns().size())
                           << '\n';
                Cli::err().flush();
                if (scheduler)
                    scheduler->stop();
                engine.cancelAll(QCoreApplication::translate(
                    "Sluice::CommandLine", "cancelled by %1: Sluice is closing")
                                     .arg(name));
                QTimer::singleShot(SignalStopLimitMs - 500, &app,
                    [] { QCoreApplication::exit(Cli::ExitSuccess); });
                leaveWhenIdle();
            }
        });
    }

    window.show();
    const int code = app.exec();
    if (stopping.isValid()) {
        // What is left of the time goes to the tasks and the run store; then leave.
        engine.shutDown(std::max<int>(0, SignalStopLimitMs - int(stopping.elapsed())));
        return Cli::ExitSuccess;
    }
    engine.cancelAll(QCoreApplication::translate("Sluice::CommandLine", "Sluice was closed"));
    return code;
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
    if (Result<void> ok = cli.checkDataDirBytes(argc, argv); !ok) {
        Cli::err() << QCoreApplication::applicationName() << ": " << ok.error().message() << '\n';
        Cli::err().flush();
        return Cli::ExitUsage;
    }

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
    s_qtMessageHandler = qInstallMessageHandler(escapingMessageHandler);
    return CommandLine::wantsGui(argc, argv) ? runGui(argc, argv) : runCommand(argc, argv);
}
