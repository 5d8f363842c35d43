#pragma once

// The flag a task checks between batches to learn that it should stop: set when its run is
// cancelled or times out, or when the task overruns its own timeout. Cheap to copy and to read
// from any thread; a default-constructed token is never cancelled.

#include <atomic>
#include <memory>

namespace Sluice {

class CancellationToken
{
public:
    CancellationToken() = default;
    explicit CancellationToken(std::shared_ptr<std::atomic<bool>> flag)
        : m_flag(std::move(flag))
    { }

    bool isCancelled() const { return m_flag && m_flag->load(std::memory_order_relaxed); }
    void cancel() const
    {
        if (m_flag)
            m_flag->store(true, std::memory_order_relaxed);
    }

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

} // namespace Sluice
