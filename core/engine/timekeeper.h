#pragma once

// Runs callbacks at deadlines on its own thread ("sluice-timers"): retry delays, task and flow
// timeouts and cancel grace periods, without holding a pool thread or needing an event loop.
// schedule() and cancel() may be called from any thread; callbacks must be short.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <QtGlobal>

#include "engine/ownedthread.h"

namespace Sluice {

class Timekeeper
{
public:
    using Clock = std::chrono::steady_clock;

    Timekeeper();
    ~Timekeeper(); // drops the timers that have not fired and joins the thread
    Timekeeper(const Timekeeper &) = delete;
    Timekeeper &operator=(const Timekeeper &) = delete;

    // Returns an id for cancel(), never 0.
    quint64 schedule(Clock::time_point deadline, std::function<void()> callback);
    quint64 scheduleAfter(int ms, std::function<void()> callback)
    {
        return schedule(Clock::now() + std::chrono::milliseconds(ms), std::move(callback));
    }
    // Forgets a timer that has not fired; a callback already running is not waited for.
    void cancel(quint64 id);

private:
    void loop();

    using Key = std::pair<Clock::time_point, quint64>;
    std::mutex m_mutex; // guards the members below
    std::condition_variable m_wake;
    std::map<Key, std::function<void()>> m_timers;
    std::unordered_map<quint64, Clock::time_point> m_deadlines;
    quint64 m_nextId = 1;
    bool m_stopping = false;

    OwnedThread m_thread;
};

} // namespace Sluice
