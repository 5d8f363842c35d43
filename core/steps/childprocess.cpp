#include "steps/childprocess.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "steps/childgroupreaper.h"

namespace Sluice {

namespace {

    // Closes what it holds when it goes out of scope.
    struct Fd
    {
        int fd = -1;
        Fd() = default;
        Fd(const Fd &) = delete;
        Fd &operator=(const Fd &) = delete;
        ~Fd() { reset(); }
        void reset()
        {
            if (fd >= 0)
                ::close(fd);
            fd = -1;
        }
    };

    // Tells the parent why the child could not start (errno) and ends it. After fork().
    [[noreturn]] void failStart(int report)
    {
        const int error = errno;
        while (::write(report, &error, sizeof error) < 0 && errno == EINTR) { }
        ::_exit(127);
    }

    // After fork() in the child, which may only make async-signal-safe calls (this process
    // has threads): a group of its own, listed with the watchdog before anything runs in it;
    // every signal at its default and none blocked, whatever this process set up for itself
    // (Qt ignores SIGPIPE; the CLI catches SIGTERM); stdin on /dev/null, stdout and stderr on
    // the pipes; then the program. A failure before the program runs is reported on report
    // (errno) and ends the child with 127.
    [[noreturn]] void startChild(const char *program, char *const *argv, char *const *envp, int out,
        int err, const char *directory, int report)
    {
        ::setpgid(0, 0);
        ChildGroupReaper::watchSelf();
        struct sigaction initial;
        std::memset(&initial, 0, sizeof initial);
        initial.sa_handler = SIG_DFL;
        for (int signal = 1; signal < NSIG; ++signal) {
            if (signal != SIGKILL && signal != SIGSTOP)
                ::sigaction(signal, &initial, nullptr);
        }
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        const int input = ::open("/dev/null", O_RDONLY);
        if (input < 0 || ::dup2(input, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0
            || ::dup2(err, STDERR_FILENO) < 0)
            failStart(report);
        if (directory && ::chdir(directory) != 0)
            failStart(report);
        ::execve(program, argv, envp);
        failStart(report);
    }

    // The program to start: a name with a '/' as it is (relative to the working directory),
    // else the first executable of that name on the child's PATH.
    QString findProgram(const QString &name, const QStringList &environment)
    {
        if (name.contains(QLatin1Char('/')))
            return name;
        QString path = QStringLiteral("/usr/local/bin:/usr/bin:/bin");
        for (const QString &entry : environment) {
            if (entry.startsWith(QLatin1String("PATH="))) {
                path = entry.mid(5);
                break;
            }
        }
        for (QString folder : path.split(QLatin1Char(':'))) {
            if (folder.isEmpty())
                folder = QStringLiteral(".");
            const QString candidate = folder + QLatin1Char('/') + name;
            const QByteArray bytes = QFile::encodeName(candidate);
            struct stat info;
            if (::stat(bytes.constData(), &info) == 0 && S_ISREG(info.st_mode)
                && ::access(bytes.constData(), X_OK) == 0)
                return candidate;
        }
        return {};
    }

    // Splits what a stream sends into lines for the sink, keeping at most lineLimit bytes of
    // a line in memory however long it grows.
    class LineSplitter
    {
    public:
        LineSplitter(ChildProcess::Stream stream, qsizetype lineLimit,
            const ChildProcess::LineSink &sink, QString *lastLine)
            : m_stream(stream)
            , m_lineLimit(std::max<qsizetype>(lineLimit, 16))
            , m_sink(sink)
            , m_lastLine(lastLine)
        { }

        void add(const char *data, qsizetype size)
        {
            qsizetype start = 0;
            while (start < size) {
                const void *found = std::memchr(data + start, '\n', std::size_t(size - start));
                const qsizetype end =
                    found ? qsizetype(static_cast<const char *>(found) - data) : size;
                append(data + start, end - start);
                if (!found)
                    break;
                emitLine();
                start = end + 1;
            }
        }

        void finish()
        {
            if (!m_line.isEmpty() || m_cut)
                emitLine();
        }

    private:
        void append(const char *data, qsizetype size)
        {
            const qsizetype room = m_lineLimit - m_line.size();
            if (size > room) {
                m_line.append(data, std::max<qsizetype>(room, 0));
                m_cut = true;
            } else {
                m_line.append(data, size);
            }
        }

        void emitLine()
        {
            if (m_line.endsWith('\r'))
                m_line.chop(1);
            QString line = QString::fromUtf8(m_line);
            if (m_cut)
                line += QStringLiteral(" [...]");
            m_line.clear();
            m_cut = false;
            if (m_lastLine && !line.trimmed().isEmpty())
                *m_lastLine = line.trimmed();
            if (m_sink)
                m_sink(m_stream, line);
        }

        ChildProcess::Stream m_stream;
        qsizetype m_lineLimit;
        const ChildProcess::LineSink &m_sink;
        QString *m_lastLine;
        QByteArray m_line;
        bool m_cut = false;
    };

    // Whether a live process (not a zombie waiting for its reaper) is left in the group.
    bool groupExists(pid_t group)
    {
        if (::kill(-group, 0) != 0 && errno != EPERM)
            return false;
        DIR *proc = ::opendir("/proc");
        if (!proc)
            return true;
        bool alive = false;
        while (const dirent *entry = ::readdir(proc)) {
            if (entry->d_name[0] < '1' || entry->d_name[0] > '9')
                continue;
            char path[300];
            std::snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
            const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                continue;
            char text[512];
            const ssize_t size = ::read(fd, text, sizeof text - 1);
            ::close(fd);
            if (size <= 0)
                continue;
            text[size] = '\0';
            // "pid (comm) S ppid pgrp ...": the name may hold spaces and parentheses.
            const char *close = std::strrchr(text, ')');
            char state = 0;
            long parent = 0, processGroup = 0;
            if (close && std::sscanf(close + 1, " %c %ld %ld", &state, &parent, &processGroup) == 3
                && processGroup == group && state != 'Z' && state != 'X') {
                alive = true;
                break;
            }
        }
        ::closedir(proc);
        return alive;
    }

} // namespace

Result<ChildProcess::Outcome> ChildProcess::run(
    const Options &options, const CancellationToken &token, const LineSink &sink)
{
    if (options.arguments.isEmpty() || options.arguments.first().isEmpty())
        return Error{ tr("no program to run"), {}, ErrorCode::Permanent };
    if (!options.workingDirectory.isEmpty() && !QFileInfo(options.workingDirectory).isDir()) {
        return Error{ tr("the working directory does not exist"),
            QDir::toNativeSeparators(options.workingDirectory), ErrorCode::Permanent };
    }
    const QString program = findProgram(options.arguments.first(), options.environment);
    if (program.isEmpty()) {
        return Error{ tr("program not found on the PATH"), options.arguments.first(),
            ErrorCode::Permanent };
    }

    Fd outRead, outWrite, errRead, errWrite;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return Error{ tr("cannot make a pipe: %1").arg(QString::fromLocal8Bit(strerror(errno))),
            {} };
    outRead.fd = fds[0];
    outWrite.fd = fds[1];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return Error{ tr("cannot make a pipe: %1").arg(QString::fromLocal8Bit(strerror(errno))),
            {} };
    errRead.fd = fds[0];
    errWrite.fd = fds[1];

    const QByteArray directory = QFile::encodeName(options.workingDirectory);
    QList<QByteArray> argumentBytes;
    std::vector<char *> argv;
    for (const QString &argument : options.arguments)
        argumentBytes << argument.toLocal8Bit();
    QList<QByteArray> environmentBytes;
    std::vector<char *> envp;
    for (const QString &entry : options.environment)
        environmentBytes << entry.toLocal8Bit();
    for (QByteArray &bytes : argumentBytes)
        argv.push_back(bytes.data());
    argv.push_back(nullptr);
    for (QByteArray &bytes : environmentBytes)
        envp.push_back(bytes.data());
    envp.push_back(nullptr);

    const QByteArray programBytes = QFile::encodeName(program);
    // Should this process die before the group is gone, the watchdog ends it; the child lists
    // itself before its program runs, so there is no moment it runs unwatched.
    ChildGroupReaper::start();
    Fd reportRead, reportWrite;
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return Error{ tr("cannot make a pipe: %1").arg(QString::fromLocal8Bit(strerror(errno))),
            {} };
    reportRead.fd = fds[0];
    reportWrite.fd = fds[1];
    const pid_t pid = ::fork();
    if (pid == 0) {
        startChild(programBytes.constData(), argv.data(), envp.data(), outWrite.fd, errWrite.fd,
            directory.isEmpty() ? nullptr : directory.constData(), reportWrite.fd);
    }
    if (pid < 0) {
        return Error{ tr("cannot start: %1").arg(QString::fromLocal8Bit(strerror(errno))),
            program };
    }
    reportWrite.reset();
    // End of file: the program runs (the pipe closed on exec); else why it could not start.
    int startError = 0;
    ssize_t reported = 0;
    do {
        reported = ::read(reportRead.fd, &startError, sizeof startError);
    } while (reported < 0 && errno == EINTR);
    if (reported == sizeof startError) {
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) { }
        ChildGroupReaper::release(pid);
        return Error{ tr("cannot start: %1").arg(QString::fromLocal8Bit(strerror(startError))),
            program,
            startError == ENOENT || startError == EACCES ? ErrorCode::Permanent
                                                         : ErrorCode::Unspecified };
    }
    outWrite.reset();
    errWrite.reset();
    // Readable once the program ends: poll() wakes for its end as for its output, with no
    // sleeping in between (-1 on kernels before 5.3: then a short sleep does).
    Fd ended;
    // (glibc 2.36's <sys/pidfd.h> lacks extern "C": the system call itself.)
    ended.fd = int(::syscall(SYS_pidfd_open, pid, 0));
    ::fcntl(outRead.fd, F_SETFL, ::fcntl(outRead.fd, F_GETFL) | O_NONBLOCK);
    ::fcntl(errRead.fd, F_SETFL, ::fcntl(errRead.fd, F_GETFL) | O_NONBLOCK);

    Outcome outcome;
    LineSplitter outLines(Stream::Output, options.lineLimit, sink, nullptr);
    LineSplitter errLines(Stream::Errors, options.lineLimit, sink, &outcome.lastErrorLine);

    bool reaped = false;
    bool terminated = false; // SIGTERM sent to the group
    bool killed = false; // SIGKILL sent
    QDeadlineTimer killDeadline(QDeadlineTimer::Forever);
    QDeadlineTimer drainDeadline(QDeadlineTimer::Forever);
    const auto endGroup = [&] {
        if (!terminated) {
            terminated = true;
            ::kill(-pid, SIGTERM);
            killDeadline.setRemainingTime(options.killGraceMs);
        }
    };

    char buffer[65536];
    while (true) {
        if (!reaped && !outcome.stopped && token.isCancelled()) {
            outcome.stopped = true;
            endGroup();
        }
        if (terminated && !killed && killDeadline.hasExpired()) {
            killed = true;
            ::kill(-pid, SIGKILL);
        }
        if (!reaped) {
            int status = 0;
            const pid_t done = ::waitpid(pid, &status, WNOHANG);
            if (done == pid || (done < 0 && errno == ECHILD)) {
                reaped = true;
                outcome.exited = done == pid && WIFEXITED(status);
                outcome.exitCode = outcome.exited ? WEXITSTATUS(status) : 0;
                outcome.signal = done == pid && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
            }
        }
        if (reaped) {
            // What the program left behind in its group goes too.
            if (groupExists(pid))
                endGroup();
            else if (drainDeadline.isForever())
                drainDeadline.setRemainingTime(200); // a pipe kept open outside the group
        }
        if (outRead.fd < 0 && errRead.fd < 0 && reaped && !groupExists(pid))
            break;
        if (drainDeadline.hasExpired())
            break;

        pollfd polled[3];
        nfds_t count = 0;
        for (const Fd *fd : { &outRead, &errRead }) {
            if (fd->fd >= 0)
                polled[count++] = pollfd{ fd->fd, POLLIN, 0 };
        }
        const bool pipes = count > 0;
        if (!reaped && ended.fd >= 0)
            polled[count++] = pollfd{ ended.fd, POLLIN, 0 };
        if (count == 0) {
            ::usleep(20000);
            continue;
        }
        const int ready = ::poll(polled, count, 50);
        if (ready <= 0 || !pipes)
            continue;
        for (nfds_t i = 0; i < count; ++i) {
            if (polled[i].fd == ended.fd)
                continue; // the program ended: waitpid() above reaps it
            if (!(polled[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const bool isOutput = polled[i].fd == outRead.fd;
            Fd &fd = isOutput ? outRead : errRead;
            while (true) {
                const ssize_t got = ::read(fd.fd, buffer, sizeof buffer);
                if (got > 0) {
                    if (isOutput) {
                        const qsizetype room = options.outputLimit - outcome.output.size();
                        if (got > room)
                            outcome.outputTruncated = true;
                        outcome.output.append(buffer, std::min<qsizetype>(got, room));
                        outLines.add(buffer, got);
                    } else {
                        errLines.add(buffer, got);
                    }
                    continue;
                }
                if (got < 0 && errno == EINTR)
                    continue;
                if (got == 0 || (got < 0 && errno != EAGAIN))
                    fd.reset();
                break;
            }
        }
    }
    ChildGroupReaper::release(pid);
    outLines.finish();
    errLines.finish();
    return outcome;
}

QString ChildProcess::describe(const Outcome &outcome)
{
    if (outcome.exited)
        return tr("exited %1").arg(outcome.exitCode);
    const char *name = sigabbrev_np(outcome.signal);
    return name ? tr("killed by signal %1 (SIG%2)").arg(outcome.signal).arg(QLatin1String(name))
                : tr("killed by signal %1").arg(outcome.signal);
}

} // namespace Sluice
