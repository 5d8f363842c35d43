#pragma once

// The one way a long-lived thread is owned: a unique_ptr whose deleter quits the thread's event
// loop and waits for it to end. The wait happens only where the owner is destroyed (at the end
// of a view, a model or the process), never while the thread is in use; cancellation in use is
// a flag the work checks, not a wait. Threads are named "sluice-<role>".

#include <functional>
#include <memory>

#include <QString>

class QThread;

namespace Sluice {

struct QuitAndWait
{
    void operator()(QThread *thread) const;
};

using OwnedThread = std::unique_ptr<QThread, QuitAndWait>;

// A started thread "sluice-<role>" running an event loop, for QObjects moved to it.
OwnedThread startThread(const QString &role);
// A started thread "sluice-<role>" running function, which must return when told to stop by its
// owner (a flag and a condition variable: quit() does not reach it).
OwnedThread startThread(const QString &role, std::function<void()> function);

} // namespace Sluice
