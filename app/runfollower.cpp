#include "runfollower.h"

namespace Sluice::Cli {

RunFollower::RunFollower(Engine &engine)
    : m_engine(engine)
{
    QObject::connect(
        &engine, &Engine::runStarted, &m_receiver, [this](const RunStartedEvent &event) {
            if (event.ticket == m_ticket)
                m_runId = event.runId;
        });
    QObject::connect(
        &engine, &Engine::runStartFailed, &m_receiver, [this](const RunStartFailedEvent &event) {
            if (event.ticket != m_ticket)
                return;
            m_failure = event.error;
            m_loop.quit();
        });
    QObject::connect(
        &engine, &Engine::runFinished, &m_receiver, [this](const RunFinishedEvent &event) {
            if (event.ticket != m_ticket)
                return;
            m_runId = event.runId;
            m_finished = event;
            m_loop.quit();
        });
}

Result<RunFinishedEvent> RunFollower::run(
    const QString &flow, const QVariantMap &parameters, const QString &trigger)
{
    RunOptions options;
    options.parameters = parameters;
    options.trigger = trigger;
    return run(flow, std::move(options));
}

Result<RunFinishedEvent> RunFollower::run(const QString &flow, RunOptions options)
{
    Result<qint64> started = m_engine.start(flow, std::move(options));
    if (!started)
        return started.error();
    m_ticket = *started;
    if (!m_finished && !m_failure)
        m_loop.exec();
    if (m_failure)
        return *m_failure;
    return *m_finished;
}

} // namespace Sluice::Cli
