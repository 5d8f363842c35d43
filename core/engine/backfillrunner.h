#pragma once

// Drives a backfill on an Engine: starts a run per fire time in time order, at most `parallel`
// at once (trigger "backfill", run.time = the fire, run.prev-time = the fire before), says
// when each starts and ends, and sums up once nothing is left to start and none is active.
// cancel() starts nothing more and cancels the runs in progress. Lives on the engine's thread.

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

#include "engine/result.h"
#include "engine/runevents.h"
#include "schedule/backfillplan.h"

namespace Sluice {

class Engine;

class BackfillRunner : public QObject
{
    Q_OBJECT

public:
    static constexpr const char *Trigger = "backfill";

    // How one fire's run ended.
    struct RunEnd
    {
        int index = 0; // into fires()
        qint64 runId = 0; // 0: it never got an id
        bool started = false; // false: the engine could not write its row (message says why)
        RunState state = RunState::Failed;
        QString message;
        int finished = 0; // how many fires have ended so far, this one included
        bool isCompleted() const { return started && state == RunState::Completed; }
    };
    struct Summary
    {
        int completed = 0;
        int failed = 0; // ended otherwise, or refused by Engine::start()
        int notRun = 0; // did not end: never started (cancelled, refused) or refused
        bool cancelled = false;
    };

    // engine must outlive this object. parallel: 1..BackfillPlan::MaximumParallel.
    BackfillRunner(Engine &engine, const QString &flow, const QList<BackfillFire> &fires,
        int parallel, QObject *parent = nullptr);

    const QList<BackfillFire> &fires() const { return m_fires; }
    bool isRunning() const { return m_running; }

public Q_SLOTS:
    // Starts the first runs; finished() comes at once when there is nothing to run.
    void start();
    // Starts nothing more; the runs in progress go on.
    void stopStarting();
    // Starts nothing more and cancels the runs in progress with reason.
    void cancel(const QString &reason = {});

Q_SIGNALS:
    // The run of fires()[index] has its id and runs.
    void runStarted(int index, qint64 runId);
    void runEnded(const Sluice::BackfillRunner::RunEnd &end);
    // Engine::start() refused the run of fires()[index]; nothing more is started.
    void startRefused(int index, const Sluice::Error &error);
    void finished(const Sluice::BackfillRunner::Summary &summary);

private:
    void startNext();
    void onRunStarted(const RunStartedEvent &event);
    void ended(qint64 ticket, RunEnd end);

    Engine &m_engine;
    QString m_flow;
    QList<BackfillFire> m_fires;
    int m_parallel;
    QHash<qint64, int> m_active; // fire index by ticket
    QHash<qint64, qint64> m_runIds; // run id by ticket, once known
    qsizetype m_next = 0;
    int m_finished = 0;
    int m_completed = 0;
    int m_failed = 0; // runs that ended otherwise, and a start refused
    bool m_stopping = false;
    bool m_running = false;
    bool m_cancelled = false;
    QString m_cancelReason;
};

} // namespace Sluice

Q_DECLARE_METATYPE(Sluice::BackfillRunner::RunEnd)
Q_DECLARE_METATYPE(Sluice::BackfillRunner::Summary)
