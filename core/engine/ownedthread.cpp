#include "engine/ownedthread.h"

#include <QThread>

namespace Sluice {

void QuitAndWait::operator()(QThread *thread) const
{
    thread->quit();
    thread->wait();
    delete thread;
}

namespace {

    OwnedThread started(QThread *thread, const QString &role)
    {
        thread->setObjectName(QStringLiteral("sluice-") + role);
        thread->start();
        return OwnedThread(thread);
    }

} // namespace

OwnedThread startThread(const QString &role)
{
    return started(new QThread, role);
}

OwnedThread startThread(const QString &role, std::function<void()> function)
{
    return started(QThread::create(std::move(function)), role);
}

} // namespace Sluice
