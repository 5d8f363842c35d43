#include "engine/taskcontext.h"

#include <algorithm>

#include <QThread>

#include "engine/flowrun.h"
#include "engine/threadresources.h"

namespace Sluice {

namespace {
    constexpr qint64 ProgressIntervalMs = 100;
    constexpr int SleepSliceMs = 10;
} // namespace

TaskContext::TaskContext(FlowRun &run, int task, int attempt, CancellationToken token)
    : m_run(run)
    , m_task(task)
    , m_attempt(attempt)
    , m_token(std::move(token))
{ }

qint64 TaskContext::runId() const
{
    return m_run.id();
}

QString TaskContext::flowName() const
{
    return m_run.flow().name();
}

QString TaskContext::taskName() const
{
    return m_run.flow().task(m_task).name;
}

const QVariantMap &TaskContext::parameters() const
{
    return m_run.parameters();
}

QVariant TaskContext::parameter(const QString &name) const
{
    return m_run.parameters().value(name);
}

QVariant TaskContext::upstream(const QString &task) const
{
    const Flow &flow = m_run.flow();
    for (int index : flow.upstreamOf(m_task)) {
        if (flow.task(index).name == task)
            return m_run.result(index);
    }
    return {};
}

QVariant TaskContext::ancestor(const QString &task) const
{
    const Flow &flow = m_run.flow();
    QList<bool> seen(flow.taskCount(), false);
    QList<int> next = flow.upstreamOf(m_task);
    while (!next.isEmpty()) {
        const int index = next.takeLast();
        if (seen[index])
            continue;
        seen[index] = true;
        if (flow.task(index).name == task)
            return m_run.result(index);
        next << flow.upstreamOf(index);
    }
    return {};
}

void TaskContext::noteStored(const QString &table, qint64 rows)
{
    m_run.noteStored(table, rows);
}

QDateTime TaskContext::runTime() const
{
    return m_run.time();
}

QDateTime TaskContext::previousRunTime() const
{
    return m_run.previousTime();
}

void TaskContext::log(LogLevel level, const QString &text)
{
    m_run.publishLog(m_task, m_attempt, level, text);
}

void TaskContext::skip(const QString &reason)
{
    m_run.requestSkip(m_task, m_attempt, reason);
}

void TaskContext::setProgress(qint64 done, qint64 total)
{
    m_done = done;
    m_total = total;
    m_progressPending = true;
    if (!m_sinceProgress.isValid() || m_sinceProgress.elapsed() >= ProgressIntervalMs
        || (total > 0 && done >= total))
        flushProgress();
}

void TaskContext::flushProgress()
{
    if (!m_progressPending)
        return;
    m_progressPending = false;
    m_sinceProgress.start();
    m_run.publishProgress(m_task, m_attempt, m_done, m_total);
}

bool TaskContext::sleep(int ms) const
{
    QElapsedTimer timer;
    timer.start();
    while (!isCancelled()) {
        const qint64 left = ms - timer.elapsed();
        if (left <= 0)
            return true;
        QThread::msleep(std::min<qint64>(left, SleepSliceMs));
    }
    return false;
}

QNetworkAccessManager *TaskContext::network()
{
    return ThreadResources::network();
}

Result<SqliteConnection *> TaskContext::database(const QString &path)
{
    return ThreadResources::database(path);
}

} // namespace Sluice
