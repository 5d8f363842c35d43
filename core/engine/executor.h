#pragma once

// Runs the ready tasks of all runs on a QThreadPool. Ready tasks wait in one FIFO queue that a
// few pool runnables ("drainers") empty; a drainer that finishes a task takes the next one
// itself, so a chain of tasks runs on one thread without a hand-over per task. Owns the
// Timekeeper that delays retries and enforces timeouts. submit() is callable from any thread.

#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include <QThreadPool>

#include "engine/timekeeper.h"

namespace Sluice {

class FlowRun;

class Executor
{
public:
    struct Job
    {
        std::shared_ptr<FlowRun> run;
        int task = 0;
        int attempt = 0;
    };

    // maxThreads <= 0: a default suited to tasks that wait on the network.
    explicit Executor(int maxThreads = 0);
    ~Executor(); // drops queued jobs and waits for the running ones
    Executor(const Executor &) = delete;
    Executor &operator=(const Executor &) = delete;

    void submit(std::vector<Job> jobs);
    void setMaxThreads(int count);
    int maxThreads() const;
    // Whether the pool went idle within ms.
    bool waitForDone(int ms);

    Timekeeper &timers() { return m_timers; }

private:
    void drain();

    mutable std::mutex m_mutex; // guards m_queue, m_drainers and m_maxThreads
    std::deque<Job> m_queue;
    int m_drainers = 0;
    int m_maxThreads = 0;
    QThreadPool m_pool;
    Timekeeper m_timers; // destroyed first: no timer submits into a dying pool
};

} // namespace Sluice
