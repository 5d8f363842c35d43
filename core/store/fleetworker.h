#pragma once

// One `sluice serve` of a fleet on a PostgreSQL store: it registers as a worker, beats every
// 2 s, reaps the runs of workers that stopped beating, claims queued runs up to its slots and
// starts them on its engine (whose run history goes to the store through PgHistoryWriter), and
// cancels the runs whose cancel was asked (a NOTIFY, or at the latest the next beat). Beside
// that it tries every 2 s to become the fleet's leader (PgLeaderLock on a connection of its
// own): the leader's ScheduleRunner queues the fires, each (flow, fire time) once.
//
// A lost connection is not the end: the runs go on, and the worker connects again at the next
// beat. A worker whose beat finds it presumed dead (it was silent for 10 s and its runs were
// handed on) cancels its runs, whose events are no longer recorded, and registers anew.
// Lives on the thread of its engine (the serve main thread).

#include <atomic>
#include <memory>

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>

#include "engine/result.h"
#include "engine/runevents.h"
#include "store/pgconnection.h"
#include "store/storeurl.h"

namespace Sluice {

class Engine;
class PgLeaderLock;
class PgRunQueue;
struct RunOptions;

class FleetWorker : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultSlots = 4;
    static constexpr int LeaderRetryMs = 2000;

    // The engine must outlive the worker and record its runs through a PgHistoryWriter that
    // reads workerId, which the worker sets when it registers.
    FleetWorker(Engine &engine, const StoreUrl &url, int slots,
        std::shared_ptr<std::atomic<qint64>> workerId, QObject *parent = nullptr);
    ~FleetWorker() override;

    // Connects, creates or checks the schema, and registers. Nothing is claimed before
    // start(). The error names the store and why (unreachable, password, a newer schema).
    Result<void> open();
    // Claims, beats and tries for the leadership from now on.
    void start();
    // Claims no more and gives up the leadership; the runs go on.
    void stopClaiming();
    // After the runs ended: marks this worker stopped in the store.
    void retire();

    qint64 workerId() const { return m_workerId->load(); }
    bool isLeader() const;
    int running() const { return int(m_active.size()); }
    const StoreUrl &url() const { return m_url; }

    // The leader's queueing of a schedule fire (ScheduleRunner::FireHandler): the run's id, or
    // 0 when that fire is queued already.
    Result<qint64> queueFire(const QString &flowName, const RunOptions &options);
    // The last fire of flowName queued in the store (for the misfire policy); invalid: none.
    QDateTime lastQueuedFire(const QString &flowName);

Q_SIGNALS:
    void claimed(qint64 runId, const QString &flowName, int attempt);
    void leadershipChanged(bool leader);
    // Something went wrong that the worker survives (a lost connection, a run it could not
    // start); said once per episode.
    void problem(const QString &message);
    void reconnected();
    void presumedDead(qint64 oldWorkerId, qint64 newWorkerId);
    void cancelRequested(qint64 runId);

private:
    void beat();
    void claim();
    void scheduleClaim();
    void actOnCancels();
    void tryLeadership();
    void onNotification(const QString &channel, const QVariant &payload);
    void onRunFinished(const RunFinishedEvent &event);
    void onRunStartFailed(const RunStartFailedEvent &event);
    bool ensureConnected();
    void lostConnection(const Error &error);
    void subscribe();
    void finishUnstarted(qint64 runId, int attempt, const QString &message);

    Engine &m_engine;
    const StoreUrl m_url;
    const int m_slots;
    std::shared_ptr<std::atomic<qint64>> m_workerId; // shared with the history writer
    PgConnection m_connection;
    std::unique_ptr<PgRunQueue> m_queue;
    PgConnection m_leaderConnection;
    std::unique_ptr<PgLeaderLock> m_leaderLock;
    QTimer m_beatTimer;
    QTimer m_leaderTimer;
    QTimer m_claimTimer; // coalesces the notices of a burst into one claim
    bool m_claiming = false;
    bool m_disconnected = false; // a problem was said; reconnected() when it ends
    QHash<qint64, qint64> m_tickets; // engine ticket -> run id, until the run started
    struct Active
    {
        int attempt = 1;
        bool cancelAsked = false;
    };
    QHash<qint64, Active> m_active; // run id -> the claimed run, until it ends
};

} // namespace Sluice
