#pragma once

// What the window, `sluice serve` and `sluice run` do on SIGINT, SIGTERM or SIGHUP (read from
// TerminationSignals): the first signal stops scheduling, cancels the runs and, once none is
// active or the time limit has passed, emits stopped(); later signals are only told. What is
// said and the reason the cancelled runs record are the caller's. Main thread.

#include <functional>
#include <memory>

#include <QElapsedTimer>
#include <QObject>
#include <QString>

class QSocketNotifier;

namespace Sluice {

class Engine;
class ScheduleRunner;

namespace Cli {

    class TerminationSignals;

    class ShutdownOnSignal : public QObject
    {
        Q_OBJECT

    public:
        struct Texts
        {
            // Says that the first signal arrived, given its name and the runs it cancels.
            std::function<void(const QString &signal, int runs)> stopping;
            // Says that a later signal arrived; empty: nothing is said.
            std::function<void(const QString &signal)> alreadyStopping;
            // The reason the cancelled runs record.
            std::function<QString(const QString &signal)> cancelReason;
        };

        // terminationSignals and engine must outlive this object.
        ShutdownOnSignal(const TerminationSignals &terminationSignals, Engine &engine, Texts texts,
            QObject *parent = nullptr);
        ~ShutdownOnSignal() override;

        // Stopped on the first signal too; may be null.
        void setScheduler(ScheduleRunner *scheduler) { m_scheduler = scheduler; }
        // stopped() comes at the latest this long after the first signal, runs left or not;
        // < 0 (the default): only once every run has ended.
        void setLimitMs(int ms) { m_limitMs = ms; }

        bool isStopping() const { return m_stopping.isValid(); }
        // Since the first signal.
        qint64 stoppingForMs() const { return m_stopping.isValid() ? m_stopping.elapsed() : 0; }

    Q_SIGNALS:
        // After the first signal: every run has ended, or the limit has passed. Once.
        void stopped();

    private:
        void onSignals();
        void stopWhenIdle();
        void stop();

        Engine &m_engine;
        Texts m_texts;
        ScheduleRunner *m_scheduler = nullptr;
        int m_limitMs = -1;
        QElapsedTimer m_stopping;
        bool m_stopped = false;
        std::unique_ptr<QSocketNotifier> m_notifier;
    };

} // namespace Cli

} // namespace Sluice
