#pragma once

// Turns SIGINT, SIGTERM and SIGHUP into a byte on a socket pair (the only work done in the
// handler) that a QSocketNotifier reads on the main thread, for `sluice run`, `sluice serve`
// and the window (SIGHUP only when not ignored, as under nohup). Restores the previous
// handlers when destroyed. One instance at a time; main thread only.

#include <QList>

struct sigaction;

namespace Sluice::Cli {

class TerminationSignals
{
public:
    TerminationSignals();
    ~TerminationSignals();
    TerminationSignals(const TerminationSignals &) = delete;
    TerminationSignals &operator=(const TerminationSignals &) = delete;

    // -1 when the handlers could not be installed.
    int readSocket() const;

    // The signal numbers received since the last call.
    static QList<int> take();
    // "SIGINT", "SIGTERM", "SIGHUP"
    static const char *name(int signal);

private:
    static void handle(int signal);

    struct Previous;
    Previous *m_previous = nullptr;
};

} // namespace Sluice::Cli
