#pragma once
// Ends the process groups of `run` steps when this process dies, however it dies (SIGKILL
// included), so that no child outlives its server: a small watchdog process, forked once on
// first use, holds one end of a socket whose other end only this process has. ChildProcess
// tells it each group it starts and each group that is gone; when the socket reads end of file
// (this process is gone) it sends SIGTERM to every group still listed and, after the grace,
// SIGKILL to what is left, then exits. Any thread.

#include <sys/types.h>

namespace Sluice {

class ChildGroupReaper
{
public:
    static constexpr int KillGraceMs = 5000; // SIGTERM to SIGKILL, as for a cancelled step
    static constexpr int MaximumGroups = 4096; // listed at once; more are not watched

    // Starts the watchdog if it is not running yet; false when it cannot be started (then
    // groups are not watched). Call before spawning, so that a group is never listed late.
    static bool start();
    // In a child between fork() and exec(), after setpgid(0, 0): lists its group (its pid).
    // Async-signal-safe. Listed by the child itself, a group is never unwatched while its
    // program runs, however early this process dies.
    static void watchSelf();
    // The group has no process left: it is not the watchdog's to end any more.
    static void release(pid_t group);
};

} // namespace Sluice
