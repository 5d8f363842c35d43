#include "engine/timekeeper.h"

namespace Sluice {

Timekeeper::Timekeeper()
{
    m_thread = startThread(QStringLiteral("timers"), [this] { loop(); });
}

Timekeeper::~Timekeeper()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_timers.clear();
        m_deadlines.clear();
    }
    m_wake.notify_all();
    m_thread.reset();
}

quint64 Timekeeper::schedule(Clock::time_point deadline, std::function<void()> callback)
{
    bool earliest = false;
    quint64 id = 0;
    {
        std::lock_guard lock(m_mutex);
        id = m_nextId++;
        auto it = m_timers.emplace(Key{ deadline, id }, std::move(callback)).first;
        m_deadlines.emplace(id, deadline);
        earliest = it == m_timers.begin();
    }
    if (earliest)
        m_wake.notify_one();
    return id;
}

void Timekeeper::cancel(quint64 id)
{
    std::lock_guard lock(m_mutex);
    const auto found = m_deadlines.find(id);
    if (found == m_deadlines.end())
        return;
    m_timers.erase(Key{ found->second, id });
    m_deadlines.erase(found);
}

void Timekeeper::loop()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (m_timers.empty()) {
            m_wake.wait(lock);
            continue;
        }
        const auto first = m_timers.begin();
        // A copy: wait_until() reads the deadline again after waking, and a cancel() meanwhile
        // frees the timer's node.
        const Clock::time_point deadline = first->first.first;
        if (Clock::now() < deadline) {
            m_wake.wait_until(lock, deadline);
            continue;
        }
        {
            std::function<void()> callback = std::move(first->second);
            m_deadlines.erase(first->first.second);
            m_timers.erase(first);
            // Callbacks take their run's lock (and may release the last reference to a run):
            // never hold ours meanwhile.
            lock.unlock();
            callback();
        }
        lock.lock();
    }
}

} // namespace Sluice
