#include "terminationsignals.h"

#include <cerrno>
#include <csignal>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Sluice::Cli {

namespace {

    int s_sockets[2] = { -1, -1 };

} // namespace

struct TerminationSignals::Previous
{
    struct sigaction interrupt = {};
    struct sigaction terminate = {};
    struct sigaction hangUp = {};
};

TerminationSignals::TerminationSignals()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s_sockets) != 0)
        return;
    ::fcntl(s_sockets[0], F_SETFL, ::fcntl(s_sockets[0], F_GETFL) | O_NONBLOCK);
    ::fcntl(s_sockets[1], F_SETFL, ::fcntl(s_sockets[1], F_GETFL) | O_NONBLOCK);
    struct sigaction action = {};
    action.sa_handler = &TerminationSignals::handle;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    m_previous = new Previous;
    ::sigaction(SIGINT, &action, &m_previous->interrupt);
    ::sigaction(SIGTERM, &action, &m_previous->terminate);
    // A hang-up the process was started ignoring stays ignored: that is what `nohup sluice
    // serve` asks for.
    ::sigaction(SIGHUP, nullptr, &m_previous->hangUp);
    if (m_previous->hangUp.sa_handler != SIG_IGN)
        ::sigaction(SIGHUP, &action, nullptr);
}

TerminationSignals::~TerminationSignals()
{
    if (!m_previous)
        return;
    ::sigaction(SIGINT, &m_previous->interrupt, nullptr);
    ::sigaction(SIGTERM, &m_previous->terminate, nullptr);
    ::sigaction(SIGHUP, &m_previous->hangUp, nullptr);
    ::close(s_sockets[0]);
    ::close(s_sockets[1]);
    s_sockets[0] = s_sockets[1] = -1;
    delete m_previous;
}

int TerminationSignals::readSocket() const
{
    return m_previous ? s_sockets[0] : -1;
}

QList<int> TerminationSignals::take()
{
    QList<int> received;
    unsigned char byte = 0;
    while (::read(s_sockets[0], &byte, 1) == 1)
        received << int(byte);
    return received;
}

const char *TerminationSignals::name(int signal)
{
    switch (signal) {
    case SIGINT:
        return "SIGINT";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "SIGTERM";
    }
}

void TerminationSignals::handle(int signal)
{
    const int savedErrno = errno;
    const unsigned char byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t written = ::write(s_sockets[1], &byte, 1);
    errno = savedErrno;
}

} // namespace Sluice::Cli
