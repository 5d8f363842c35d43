// `sluice run FLOW [--param k=v ...]`: runs one flow now, recorded in runs.sqlite, with each
// task state change live on stderr and a summary on stdout. SIGINT (Ctrl-C) and SIGTERM
// cancel the run cleanly. Exit 0 only when the run Completed.

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <memory>
#include <optional>

#include <QDateTime>
#include <QEventLoop>
#include <QSocketNotifier>
#include <QTextStream>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "commandline.h"
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "flows/builtinflows.h"
#include "settings/datafolder.h"
#include "settings/settings.h"

namespace Sluice::Cli {

namespace {

    QString tr(const char *text, int n = -1)
    {
        return QCoreApplication::translate("Sluice::CommandLine", text, nullptr, n);
    }

    int usage(const QString &message)
    {
        err() << QCoreApplication::applicationName() << " run: " << message << '\n'
              << tr("Usage: sluice run FLOW [--param NAME=VALUE ...]") << '\n';
        return ExitUsage;
    }

    // Turns SIGINT and SIGTERM into a byte on a socket pair (the only work done in the handler)
    // that a QSocketNotifier reads on the main thread. Restores the previous handlers when done.
    class TerminationSignals
    {
    public:
        TerminationSignals()
        {
            if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s_sockets) != 0)
                return;
            ::fcntl(s_sockets[0], F_SETFL, ::fcntl(s_sockets[0], F_GETFL) | O_NONBLOCK);
            ::fcntl(s_sockets[1], F_SETFL, ::fcntl(s_sockets[1], F_GETFL) | O_NONBLOCK);
            struct sigaction action = {};
            action.sa_handler = &TerminationSignals::handle;
            sigemptyset(&action.sa_mask);
            action.sa_flags = SA_RESTART;
            ::sigaction(SIGINT, &action, &m_previousInt);
            ::sigaction(SIGTERM, &action, &m_previousTerm);
            m_installed = true;
        }
        ~TerminationSignals()
        {
            if (!m_installed)
                return;
            ::sigaction(SIGINT, &m_previousInt, nullptr);
            ::sigaction(SIGTERM, &m_previousTerm, nullptr);
            ::close(s_sockets[0]);
            ::close(s_sockets[1]);
            s_sockets[0] = s_sockets[1] = -1;
        }
        TerminationSignals(const TerminationSignals &) = delete;
        TerminationSignals &operator=(const TerminationSignals &) = delete;

        int readSocket() const { return m_installed ? s_sockets[0] : -1; }

        // The signal numbers received since the last call.
        static QList<int> take()
        {
            QList<int> signals_;
            unsigned char byte = 0;
            while (::read(s_sockets[0], &byte, 1) == 1)
                signals_ << int(byte);
            return signals_;
        }

    private:
        static void handle(int signal)
        {
            const int savedErrno = errno;
            const unsigned char byte = static_cast<unsigned char>(signal);
            [[maybe_unused]] const ssize_t written = ::write(s_sockets[1], &byte, 1);
            errno = savedErrno;
        }

        static inline int s_sockets[2] = { -1, -1 };
        struct sigaction m_previousInt = {};
        struct sigaction m_previousTerm = {};
        bool m_installed = false;
    };

    // What the summary needs of each task, gathered from the events.
    struct TaskLine
    {
        QString name;
        RunState state = RunState::Pending;
        int attempt = 0;
        qint64 startedMs = 0;
        qint64 finishedMs = 0;
        QString message;
    };

    QString clock(qint64 ms)
    {
        return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"));
    }

    QString seconds(qint64 ms)
    {
        return tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    }

    void printSummary(const RunFinishedEvent &finished, const QList<TaskLine> &tasks, int width)
    {
        const qint64 duration = finished.finishedMs - finished.startedMs;
        if (finished.state == RunState::Completed) {
            out() << tr("Run %1 of flow \"%2\" completed in %3.")
                         .arg(finished.runId)
                         .arg(finished.flow, seconds(duration))
                  << '\n';
        } else {
            out() << tr("Run %1 of flow \"%2\" ended %3 after %4.")
                         .arg(finished.runId)
                         .arg(finished.flow, stateName(finished.state), seconds(duration))
                  << '\n';
        }
        for (const TaskLine &task : tasks) {
            out() << "  " << task.name.leftJustified(width) << "  "
                  << stateName(task.state).leftJustified(10);
            if (task.startedMs > 0 && task.finishedMs >= task.startedMs)
                out() << "  " << seconds(task.finishedMs - task.startedMs).rightJustified(7);
            else
                out() << "  " << QString().rightJustified(7);
            if (task.attempt > 1)
                out() << "  " << tr("%n attempt(s)", task.attempt);
            if (!task.message.isEmpty() && task.state != RunState::Completed)
                out() << "  " << task.message;
            out() << '\n';
        }
        if (!finished.failedTask.isEmpty()) {
            const auto failed = std::find_if(tasks.cbegin(), tasks.cend(),
                [&](const TaskLine &task) { return task.name == finished.failedTask; });
            out() << tr("Failed task: %1: %2")
                         .arg(finished.failedTask,
                             failed != tasks.cend() ? failed->message : finished.message)
                  << '\n';
        } else if (finished.state != RunState::Completed && !finished.message.isEmpty()) {
            out() << tr("Reason: %1").arg(finished.message) << '\n';
        }
    }

} // namespace

int runRun(Context &context)
{
    if (context.arguments.isEmpty())
        return usage(tr("the name of a flow is needed"));
    if (context.arguments.size() > 1)
        return usage(tr("one flow at a time; parameters go with --param NAME=VALUE"));
    const QString flowName = context.arguments.first();

    FlowRegistry registry;
    if (Result<void> ok = registerBuiltinFlows(registry); !ok) {
        err() << QCoreApplication::applicationName() << ": " << ok.error().message() << '\n';
        return ExitFailure;
    }
    const std::shared_ptr<const Flow> flow = registry.flow(flowName);
    if (!flow) {
        return usage(tr("unknown flow \"%1\"; the flows are %2")
                         .arg(flowName, registry.names().join(QStringLiteral(", "))));
    }
    Result<QVariantMap> given =
        Parameters::parseAssignments(context.parser.values(QStringLiteral("param")));
    if (!given)
        return usage(given.error().message());
    Result<QVariantMap> parameters = Parameters::resolve(flow->parameters(), *given, flowName);
    if (!parameters)
        return usage(parameters.error().message());

    Engine engine(registry);
    if (Result<void> ok =
            engine.enablePersistence(context.folder.runsPath(), context.settings.retentionDays());
        !ok) {
        err() << QCoreApplication::applicationName() << ": " << ok.error().message() << '\n';
        return ExitFailure;
    }

    int width = 0;
    for (const TaskSpec &task : flow->tasks())
        width = std::max(width, int(task.name.size()));
    qint64 runId = 0;
    QList<TaskLine> tasks;
    std::optional<RunFinishedEvent> finished;
    QEventLoop loop;

    QObject::connect(&engine, &Engine::runStarted, &loop, [&](const RunStartedEvent &event) {
        if (event.runId != runId)
            return;
        for (const QString &name : event.tasks)
            tasks << TaskLine{ name, RunState::Pending, 0, 0, 0, {} };
        err() << clock(event.startedMs) << "  "
              << tr("run %1 of flow \"%2\" started").arg(runId).arg(flowName) << '\n';
        err().flush();
    });
    QObject::connect(&engine, &Engine::taskStateChanged, &loop, [&](const TaskStateEvent &event) {
        if (event.runId != runId || event.taskIndex >= tasks.size())
            return;
        TaskLine &task = tasks[event.taskIndex];
        task.state = event.state;
        task.attempt = event.attempt;
        if (event.state == RunState::Running && task.startedMs == 0)
            task.startedMs = event.atMs;
        if (isFinal(event.state))
            task.finishedMs = event.atMs;
        task.message = event.message;
        err() << clock(event.atMs) << "  " << event.task.leftJustified(width) << "  "
              << stateName(event.state);
        if (event.state == RunState::Running || event.state == RunState::Retrying)
            err() << ' ' << tr("(attempt %1)").arg(event.attempt);
        if (!event.message.isEmpty())
            err() << ": " << event.message;
        err() << '\n';
        err().flush();
    });
    QObject::connect(&engine, &Engine::logLine, &loop, [&](const LogEvent &event) {
        if (event.runId != runId)
            return;
        err() << clock(event.atMs) << "  " << event.task.leftJustified(width) << "  | ";
        if (event.level != LogLevel::Info)
            err() << levelName(event.level) << ": ";
        err() << event.text << '\n';
        err().flush();
    });
    QObject::connect(&engine, &Engine::runFinished, &loop, [&](const RunFinishedEvent &event) {
        if (event.runId != runId)
            return;
        finished = event;
        loop.quit();
    });

    TerminationSignals signalsToCancel;
    std::unique_ptr<QSocketNotifier> notifier;
    if (signalsToCancel.readSocket() >= 0)
        notifier =
            std::make_unique<QSocketNotifier>(signalsToCancel.readSocket(), QSocketNotifier::Read);
    if (notifier)
        QObject::connect(notifier.get(), &QSocketNotifier::activated, &loop, [&] {
            for (int signal : TerminationSignals::take()) {
                const QString name =
                    signal == SIGINT ? QStringLiteral("SIGINT") : QStringLiteral("SIGTERM");
                if (engine.cancel(runId, tr("cancelled by %1").arg(name))) {
                    err() << clock(QDateTime::currentMSecsSinceEpoch()) << "  "
                          << tr("%1 received: cancelling the run").arg(name) << '\n';
                    err().flush();
                }
            }
        });

    Result<qint64> started = engine.start(flowName, *parameters);
    if (!started) {
        err() << QCoreApplication::applicationName() << ": " << started.error().message() << '\n';
        return ExitFailure;
    }
    runId = *started;
    loop.exec();

    if (Result<void> ok = engine.flush(); !ok)
        err() << QCoreApplication::applicationName() << ": " << tr("warning:") << ' '
              << ok.error().message() << '\n';
    err().flush();
    printSummary(*finished, tasks, width);
    return finished->state == RunState::Completed ? ExitSuccess : ExitFailure;
}

} // namespace Sluice::Cli
