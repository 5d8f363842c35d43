#include "shutdownonsignal.h"

#include <QSocketNotifier>
#include <QTimer>

#include "engine/engine.h"
#include "schedule/schedulerunner.h"
#include "terminationsignals.h"

namespace Sluice::Cli {

ShutdownOnSignal::ShutdownOnSignal(
    const TerminationSignals &terminationSignals, Engine &engine, Texts texts, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_texts(std::move(texts))
{
    // A run's end is looked at once its runFinished has reached every receiver.
    connect(&m_engine, &Engine::runFinished, this,
        [this] { QTimer::singleShot(0, this, &ShutdownOnSignal::stopWhenIdle); });
    if (terminationSignals.readSocket() < 0)
        return;
    m_notifier =
        std::make_unique<QSocketNotifier>(terminationSignals.readSocket(), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &ShutdownOnSignal::onSignals);
}

ShutdownOnSignal::~ShutdownOnSignal() = default;

void ShutdownOnSignal::onSignals()
{
    for (int signal : TerminationSignals::take()) {
        const QString name = QLatin1String(TerminationSignals::name(signal));
        if (isStopping()) {
            if (m_texts.alreadyStopping)
                m_texts.alreadyStopping(name);
            continue;
        }
        m_stopping.start();
        m_texts.stopping(name, int(m_engine.activeRuns().size()));
        if (m_scheduler)
            m_scheduler->stop();
        m_engine.cancelAll(m_texts.cancelReason(name));
        if (m_limitMs >= 0)
            QTimer::singleShot(m_limitMs, this, &ShutdownOnSignal::stop);
        stopWhenIdle();
    }
}

void ShutdownOnSignal::stopWhenIdle()
{
    if (isStopping() && m_engine.activeRuns().isEmpty())
        stop();
}

void ShutdownOnSignal::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    Q_EMIT stopped();
}

} // namespace Sluice::Cli
