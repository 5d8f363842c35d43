#pragma once

// The command line of the one `sluice` binary: global options, the verbs (README, "Command line"),
// usage errors (exit 2) and the dispatch of each verb to its handler. Runs on the main thread.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QMap>
#include <QStringList>

#include "engine/result.h"

class QTextStream;

namespace Sluice {

class DataFolder;
class Instance;
class Schedule;
class Settings;
struct FlowRunRecord;
struct RunOptions;

namespace Cli {

    enum ExitCode { ExitSuccess = 0, ExitFailure = 1, ExitUsage = 2 };

    QTextStream &out();
    QTextStream &err();

    // "sluice: warning: …" on stderr for each problem met reading the settings (settings.ini,
    // the environment). runVerb() calls it once for every verb but config, which decides.
    void printSettingsWarnings(const Settings &settings);

    // What a verb handler gets: its own arguments (after the verb), the parsed options, and the
    // opened data folder with its settings; the instance gives the flows, the engine and the
    // scheduler to the verbs that need them.
    struct Context
    {
        const QCommandLineParser &parser;
        QStringList arguments;
        const DataFolder &folder;
        Settings &settings;
        Instance &instance;
    };

    int runConfig(Context &context);
    int runFlows(Context &context); // `flows`, and dispatches check, new and show
    int runFlowsCheck(Context &context);
    int runFlowsNew(Context &context);
    int runFlowsShow(Context &context);
    // The names of the built-in flows, which a flow file may not take.
    QStringList builtinFlowNames(Context &context);
    // The templates of `flows new`: resources/flows/NAME.yaml.
    QStringList flowTemplateNames();
    int runRun(Context &context);
    // Starts a run of flow (loaded) with options and follows it as `run` does: task states
    // and log on stderr, the summary on stdout; the exit code. For `run` and `retry`.
    int followRun(Context &context, const QString &flow, RunOptions options);
    int runRuns(Context &context); // `runs`, and dispatches show
    int runRunsShow(Context &context);
    int runRetry(Context &context);
    int runBackfill(Context &context);
    // A run id given on the command line; 0 when the text is not one.
    qint64 runIdArgument(const QString &text);
    // "1.2 s" from its start to its end; "-" when it has not both.
    QString runDuration(const FlowRunRecord &run);
    int runExport(Context &context);
    int runGaps(Context &context);
    int runSchedule(Context &context);
    // The flows a schedule may name: the loaded flows and the flow files that cannot run.
    QStringList knownFlowNames(const Context &context);
    // The schedules in force: schedules.ini over the built-in and the flow files' defaults
    // (a flow file that cannot run keeps the schedule it had). problems: entries that do not
    // read.
    QMap<QString, Schedule> effectiveSchedules(
        const Context &context, QList<Error> *problems = nullptr);
    int runServe(Context &context);
    int runSendReport(Context &context);
    int runStore(Context &context);

} // namespace Cli

class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::CommandLine)

public:
    // Looks at argv before any QCoreApplication exists, to choose QApplication (the GUI:
    // no verb and no --help/--version) or QCoreApplication (everything else).
    static bool wantsGui(int argc, char **argv);
    // Whether a window can be shown at all (X11, Wayland, or a platform chosen explicitly).
    static bool hasDisplay(int argc, char **argv);

    // Parses QCoreApplication::arguments(); prints nothing yet.
    CommandLine();
    // Answers --help, --version and usage errors. Returns false when the program should end
    // with exitCode(); true to go on with verb(), or the GUI when verb() is empty.
    bool finishParsing();

    bool done() const { return m_done; }
    int exitCode() const { return m_exitCode; }
    QString verb() const { return m_verb; }
    QString dataDirOption() const;
    QString languageOption() const;
    // The data folder named by --data-dir or SLUICE_DATA_DIR must be UTF-8 bytes: Qt decodes
    // arguments and paths as UTF-8, so other bytes would name another folder. argc and argv
    // are main()'s, after the application object took its own options out. Usage error
    // (exit 2) otherwise, with a message naming the option and showing the bytes.
    Result<void> checkDataDirBytes(int argc, char **argv) const;

    // Runs a verb on the opened data folder; returns the exit code.
    int runVerb(Instance &instance);

    // Applies the UI language: --lang, else the ui.language setting, else the system locale.
    // Returns false with a message on stderr for an unknown --lang.
    static bool installTranslations(const QString &language);
    static QStringList languages();

private:
    void addGlobalOptions();
    void usageError(const QString &message);
    QString helpText() const;

    QCommandLineParser m_parser;
    QString m_verb;
    bool m_parsed = false;
    bool m_done = false;
    int m_exitCode = Cli::ExitSuccess;
};

} // namespace Sluice
