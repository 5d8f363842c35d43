#include "engine/backfillrunner.h"

#include <algorithm>

#include "engine/engine.h"
#include "engine/message.h"
#include "engine/runoptions.h"

namespace Sluice {

BackfillRunner::BackfillRunner(Engine &engine, const QString &flow,
    const QList<BackfillFire> &fires, int parallel, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_flow(flow)
    , m_fires(fires)
    , m_parallel(std::clamp(parallel, 1, BackfillPlan::MaximumParallel))
{
    connect(&m_engine, &Engine::runStarted, this, &BackfillRunner::onRunStarted);
    connect(&m_engine, &Engine::runFinished, this, [this](const RunFinishedEvent &event) {
        RunEnd end;
        end.runId = event.runId;
        end.started = true;
        end.state = event.state;
        end.message = Message::shown(event.message, event.messageKey);
        ended(event.ticket, std::move(end));
    });
    connect(&m_engine, &Engine::runStartFailed, this, [this](const RunStartFailedEvent &event) {
        RunEnd end;
        end.message = event.error.message();
        ended(event.ticket, std::move(end));
    });
}

void BackfillRunner::start()
{
    if (m_running)
        return;
    m_running = true;
    startNext();
}

void BackfillRunner::stopStarting()
{
    m_stopping = true;
}

void BackfillRunner::cancel(const QString &reason)
{
    m_stopping = true;
    m_cancelled = true;
    m_cancelReason = reason;
    // A run still waiting for its row is cancelled once it has its id (onRunStarted).
    const QList<qint64> runIds = m_runIds.values(); // a run may end as it is cancelled
    for (const qint64 runId : runIds)
        m_engine.cancel(runId, reason);
}

void BackfillRunner::startNext()
{
    while (!m_stopping && m_active.size() < m_parallel && m_next < m_fires.size()) {
        const int index = int(m_next++);
        const BackfillFire &fire = m_fires.at(index);
        RunOptions options;
        options.trigger = QLatin1String(Trigger);
        options.time = fire.time;
        options.previousTime = fire.previous;
        options.allowOverlap = m_parallel > 1;
        Result<qint64> ticket = m_engine.start(m_flow, std::move(options));
        if (!ticket) {
            ++m_failed;
            m_stopping = true;
            Q_EMIT startRefused(index, ticket.error());
            break;
        }
        m_active.insert(*ticket, index);
    }
    if (m_active.isEmpty() && m_running) {
        m_running = false;
        Summary summary;
        summary.completed = m_completed;
        summary.failed = m_failed;
        summary.notRun = int(m_fires.size()) - m_finished;
        summary.cancelled = m_cancelled;
        Q_EMIT finished(summary);
    }
}

void BackfillRunner::onRunStarted(const RunStartedEvent &event)
{
    const auto it = m_active.constFind(event.ticket);
    if (it == m_active.cend())
        return;
    m_runIds.insert(event.ticket, event.runId);
    Q_EMIT runStarted(*it, event.runId);
    if (m_cancelled)
        m_engine.cancel(event.runId, m_cancelReason);
}

void BackfillRunner::ended(qint64 ticket, RunEnd end)
{
    const auto it = m_active.constFind(ticket);
    if (it == m_active.cend())
        return;
    end.index = *it;
    m_active.erase(it);
    m_runIds.remove(ticket);
    end.finished = ++m_finished;
    if (end.isCompleted())
        ++m_completed;
    else
        ++m_failed;
    Q_EMIT runEnded(end);
    startNext();
}

} // namespace Sluice
