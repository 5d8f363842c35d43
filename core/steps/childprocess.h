#pragma once
// One program run for a `run` step, to its end, on the calling (pool) thread. The child starts
// in a process group of its own with stdin on /dev/null; its stdout and stderr are read line by
// line as they come. When the token is cancelled (cancel, run or step timeout) the whole group
// gets SIGTERM and, after the grace, SIGKILL; when the program itself ends, whatever it left
// running in its group is ended the same way. So no child outlives its step; and should this
// process die, even by SIGKILL, ChildGroupReaper ends the group.

#include <functional>

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "engine/cancellationtoken.h"
#include "engine/result.h"

namespace Sluice {

class ChildProcess
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::ChildProcess)

public:
    enum class Stream { Output, Errors };

    struct Options
    {
        QStringList arguments; // the program (found on PATH when it has no '/') and its arguments
        QString workingDirectory; // empty: this process's
        QStringList environment; // NAME=value, the child's whole environment
        int killGraceMs = 5000; // SIGTERM to SIGKILL
        qsizetype outputLimit = 64 * 1024; // bytes of stdout kept as the step's output
        qsizetype lineLimit = 4096; // bytes of one line handed to the sink; the rest is cut
    };

    struct Outcome
    {
        bool exited = false; // ended by exit(); else by a signal
        int exitCode = 0;
        int signal = 0;
        bool stopped = false; // ended because the token was cancelled
        QByteArray output; // stdout, at most outputLimit bytes
        bool outputTruncated = false;
        QString lastErrorLine; // the last non-empty stderr line
    };

    // Called on the calling thread for each line (without its end, cut to lineLimit and with
    // invalid UTF-8 replaced); a last line without a newline is handed over at the end.
    using LineSink = std::function<void(Stream stream, const QString &line)>;

    // An Error only when the program cannot be started (not found, not executable, no such
    // working directory); everything after that is in the Outcome.
    static Result<Outcome> run(
        const Options &options, const CancellationToken &token, const LineSink &sink);

    // "exited 3", "killed by signal 9 (Killed)": how the Outcome ended, for a message.
    static QString describe(const Outcome &outcome);
};

} // namespace Sluice
