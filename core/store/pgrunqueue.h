#pragma once

// The fleet's run queue on PostgreSQL: runs wait as Pending rows of flow_runs; every worker
// (each `sluice serve`) claims some with SELECT ... FOR UPDATE SKIP LOCKED, so no two workers
// ever claim one run, and no claim waits on another. Workers beat every 2 s in table workers;
// a worker that has not beaten for 10 s is presumed dead: its Running runs become Crashed, or,
// for flows with on-crash: retry, Pending again with the next attempt. A run's end is recorded
// only by the worker that holds it (worker_id and attempt must still match), so a worker that
// was presumed dead and comes back cannot record an outcome twice. A run of a schedule carries
// its fire time, unique per flow: a second insert of the same fire (two leaders for a moment)
// is a no-op.
//
// One PgRunQueue works through one PgConnection, on that connection's thread.

#include <optional>

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include "engine/result.h"

namespace Sluice {

class PgConnection;

class PgRunQueue
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::PgRunQueue)

public:
    static constexpr int BeatIntervalMs = 2000;
    static constexpr int StaleAfterMs = 10000;
    // The NOTIFY channels: a run's id when it changes state, a run's id when its cancel is asked.
    static constexpr const char *RunsChannel = "sluice_runs";
    static constexpr const char *CancelChannel = "sluice_cancel";

    explicit PgRunQueue(const PgConnection &connection)
        : m_connection(connection)
    { }

    struct WorkerInfo
    {
        qint64 id = 0;
        QString host;
        qint64 pid = 0;
        int slots = 0;
        qint64 startedMs = 0;
        qint64 beatMs = 0;
        qint64 stoppedMs = 0; // 0: not stopped
        int running = 0; // its runs in state Running
    };
    Result<qint64> registerWorker(const QString &host, qint64 pid, int slots, qint64 nowMs);
    // Beats; false when the worker's row is gone or it was presumed dead (stopped_ms set).
    Result<bool> beat(qint64 workerId, qint64 nowMs);
    Result<void> retire(qint64 workerId, qint64 nowMs);
    Result<QList<WorkerInfo>> workers() const;

    struct NewRun
    {
        QString flow;
        QByteArray parameters = "{}"; // a JSON object, as written
        QString trigger = QStringLiteral("manual");
        qint64 timeMs = 0; // the logical time; 0: now
        std::optional<qint64> fireMs; // a schedule's fire time: unique per flow
        std::optional<qint64> previousMs; // the schedule's fire before (${run.prev-time})
        QByteArray definition = {}; // a file flow's YAML; empty: built-in
        QString sourcePath = {};
        QString onCrash = QStringLiteral("fail"); // "fail" or "retry"
    };
    // The new run's id, or nullopt when the flow's fire time is queued already.
    Result<std::optional<qint64>> enqueue(const NewRun &run, qint64 nowMs);
    // Many runs in one transaction (a backfill, a benchmark); returns how many were new.
    Result<int> enqueueAll(const QList<NewRun> &runs, qint64 nowMs);

    struct ClaimedRun
    {
        qint64 id = 0;
        QString flow;
        QByteArray parameters;
        QString trigger;
        qint64 timeMs = 0;
        std::optional<qint64> fireMs;
        std::optional<qint64> previousMs;
        QByteArray definition;
        QString sourcePath;
        int attempt = 1;
    };
    // Up to max Pending runs, oldest first, now Running and held by workerId.
    Result<QList<ClaimedRun>> claim(qint64 workerId, int max, qint64 nowMs);

    // Records the end of a run the worker holds (state: Completed, Failed, Cancelled...).
    // false: the run is no longer this worker's (presumed dead and reaped meanwhile); nothing
    // was written.
    Result<bool> finish(qint64 runId, qint64 workerId, int attempt, const QString &state,
        const QString &message, qint64 nowMs);

    // Marks workers silent for StaleAfterMs stopped, and their Running runs Crashed or Pending
    // again (on_crash = retry). Returns how many runs it touched.
    Result<int> reap(qint64 nowMs, qint64 staleAfterMs = StaleAfterMs);

    // Asks the run's worker to cancel it (a Pending run is Cancelled at once). false: the run
    // has ended or does not exist.
    Result<bool> requestCancel(qint64 runId, qint64 nowMs);
    // The runs this worker holds whose cancel was asked.
    Result<QList<qint64>> cancelRequests(qint64 workerId) const;

    // Counts by state (for tests and the window's summary).
    Result<QHash<QString, qint64>> countByState() const;

private:
    void notify(const QString &channel, const QString &payload) const;

    const PgConnection &m_connection;
};

// Leadership through a session-level advisory lock on a dedicated connection: held as long as
// that connection lives; a leader killed with SIGKILL drops its connection, and so the lock.
class PgLeaderLock
{
public:
    static constexpr qint64 Key = 0x736c7569636502; // "sluice" 02

    explicit PgLeaderLock(const PgConnection &connection)
        : m_connection(connection)
    { }
    // true: this connection holds the lock (now or already).
    Result<bool> tryAcquire();
    Result<void> release();
    bool isHeld() const { return m_held; }

private:
    const PgConnection &m_connection;
    bool m_held = false;
};

} // namespace Sluice
