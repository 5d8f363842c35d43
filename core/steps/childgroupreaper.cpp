#include "steps/childgroupreaper.h"

#include <cerrno>
#include <cstdint>
#include <mutex>

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace Sluice {

namespace {

    int writeEnd = -1; // this process's end of the socket; -1: no watchdog
    std::once_flag started;

    // The groups the watchdog still has to end. A fixed array: after fork() in a process with
    // threads the watchdog may only make async-signal-safe calls, so it never allocates.
    pid_t groups[ChildGroupReaper::MaximumGroups];

    bool anyGroupLeft(int count)
    {
        for (int i = 0; i < count; ++i) {
            if (groups[i] > 0 && (::kill(-groups[i], 0) == 0 || errno == EPERM))
                return true;
        }
        return false;
    }

    // The watchdog: lists and unlists groups until end of file, then ends what is listed.
    [[noreturn]] void watchdog(int readEnd)
    {
        int count = 0;
        std::int32_t messages[256];
        std::size_t pending = 0; // bytes of a message cut in two by a read
        char *bytes = reinterpret_cast<char *>(messages);
        while (true) {
            const ssize_t got = ::read(readEnd, bytes + pending, sizeof messages - pending);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                break;
            pending += std::size_t(got);
            const std::size_t whole = pending / sizeof(std::int32_t);
            for (std::size_t i = 0; i < whole; ++i) {
                const std::int32_t message = messages[i];
                if (message > 0) {
                    int slot = 0;
                    while (slot < count && groups[slot] > 0)
                        ++slot;
                    if (slot < ChildGroupReaper::MaximumGroups) {
                        groups[slot] = message;
                        if (slot == count)
                            ++count;
                    }
                } else if (message < 0) {
                    for (int slot = 0; slot < count; ++slot) {
                        if (groups[slot] == -message)
                            groups[slot] = 0;
                    }
                    while (count > 0 && groups[count - 1] <= 0)
                        --count;
                }
            }
            const std::size_t rest = pending - whole * sizeof(std::int32_t);
            for (std::size_t i = 0; i < rest; ++i)
                bytes[i] = bytes[whole * sizeof(std::int32_t) + i];
            pending = rest;
        }
        // The process that started the groups is gone: end them as a cancel would.
        for (int i = 0; i < count; ++i) {
            if (groups[i] > 0)
                ::kill(-groups[i], SIGTERM);
        }
        const timespec step{ 0, 50 * 1000 * 1000 };
        for (int waited = 0; waited < ChildGroupReaper::KillGraceMs && anyGroupLeft(count);
             waited += 50)
            ::nanosleep(&step, nullptr);
        for (int i = 0; i < count; ++i) {
            if (groups[i] > 0)
                ::kill(-groups[i], SIGKILL);
        }
        ::_exit(0);
    }

    void send(std::int32_t message)
    {
        if (writeEnd < 0)
            return;
        // Four bytes on a stream socket go whole; MSG_NOSIGNAL: a watchdog someone killed
        // must not take this process with it (SIGPIPE).
        while (::send(writeEnd, &message, sizeof message, MSG_NOSIGNAL) < 0 && errno == EINTR) { }
    }

} // namespace

bool ChildGroupReaper::start()
{
    std::call_once(started, [] {
        int ends[2];
        // Close-on-exec on both ends: no child of this process may hold the socket open, or
        // the watchdog would not see this process die.
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
            return;
        const pid_t pid = ::fork();
        if (pid < 0) {
            ::close(ends[0]);
            ::close(ends[1]);
            return;
        }
        if (pid == 0) {
            // The watchdog: async-signal-safe calls only from here on. A session of its own,
            // so a terminal's Ctrl-C or hangup does not end it before the groups it watches;
            // nothing of this process's files held open but its end of the socket.
            ::setsid();
            for (const int signal : { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP })
                ::signal(signal, SIG_IGN);
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            const int devNull = ::open("/dev/null", O_RDWR);
            if (devNull >= 0) {
                ::dup2(devNull, STDIN_FILENO);
                ::dup2(devNull, STDOUT_FILENO);
                ::dup2(devNull, STDERR_FILENO);
            }
            ::dup2(ends[0], 3); // clears close-on-exec on the copy, which does not matter
            ::syscall(SYS_close_range, 4U, ~0U, 0U);
            watchdog(3);
        }
        ::close(ends[0]);
        writeEnd = ends[1];
    });
    return writeEnd >= 0;
}

void ChildGroupReaper::watchSelf()
{
    send(std::int32_t(::getpid()));
}

void ChildGroupReaper::release(pid_t group)
{
    if (group > 0)
        send(-std::int32_t(group));
}

} // namespace Sluice
