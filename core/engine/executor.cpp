#include "engine/executor.h"

#include <algorithm>

#include "engine/flowrun.h"

namespace Sluice {

namespace {
    // Set on a pool thread while it drains: a job submitted from there is counted as taken over
    // by that thread, which runs it next.
    thread_local bool t_draining = false;
} // namespace

Executor::Executor(int maxThreads)
{
    setMaxThreads(maxThreads);
    m_pool.setObjectName(QStringLiteral("sluice-tasks"));
}

Executor::~Executor()
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.clear();
    }
    m_pool.waitForDone();
}

void Executor::setMaxThreads(int count)
{
    if (count <= 0)
        count = std::max(4, 2 * QThread::idealThreadCount());
    std::lock_guard lock(m_mutex);
    m_maxThreads = count;
    m_pool.setMaxThreadCount(count);
}

int Executor::maxThreads() const
{
    std::lock_guard lock(m_mutex);
    return m_maxThreads;
}

bool Executor::waitForDone(int ms)
{
    return m_pool.waitForDone(ms);
}

void Executor::submit(std::vector<Job> jobs)
{
    if (jobs.empty())
        return;
    int start = 0;
    {
        std::lock_guard lock(m_mutex);
        const int count = int(jobs.size());
        for (Job &job : jobs)
            m_queue.push_back(std::move(job));
        // One drainer per queued job up to the thread limit; the calling drainer, if any, is
        // about to take one of them.
        const int wanted = std::min(m_maxThreads, m_drainers + count - (t_draining ? 1 : 0));
        start = std::max(0, wanted - m_drainers);
        m_drainers += start;
    }
    for (int i = 0; i < start; ++i)
        m_pool.start([this] { drain(); });
}

void Executor::drain()
{
    t_draining = true;
    for (;;) {
        Job job;
        {
            std::lock_guard lock(m_mutex);
            if (m_queue.empty()) {
                --m_drainers;
                break;
            }
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        job.run->execute(job.task, job.attempt);
    }
    t_draining = false;
}

} // namespace Sluice
