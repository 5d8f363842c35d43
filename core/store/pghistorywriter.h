#pragma once

// The run history of a fleet worker, written to the fleet's PostgreSQL store: the RunRecorder's
// writer for `sluice serve --store postgresql://...`. It adopts the runs the worker claimed from
// the queue (their rows exist) and writes their events as runs.sqlite has them: task runs,
// transitions, log lines, and the end. Every batch is one transaction, and a run's events are
// written only while the run is still this worker's, with the attempt it claimed (its row is
// locked for the transaction, so the reaper cannot hand it on half-way): a worker presumed dead
// that comes back records nothing twice. A batch that fails (the server restarted, the network
// dropped) is kept by the recorder and tried again; the connection is opened anew first.

#include <atomic>
#include <memory>

#include <QCoreApplication>
#include <QHash>
#include <QList>

#include "engine/runrecorder.h"
#include "engine/taskupdates.h"
#include "store/pgconnection.h"
#include "store/storeurl.h"

namespace Sluice {

class PgHistoryWriter : public RunHistoryWriter
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::PgHistoryWriter)

public:
    // workerId: the worker whose runs these are; it may change (a worker presumed dead
    // registers again), and is read when a run is adopted.
    static Result<std::unique_ptr<RunHistoryWriter>> open(
        const StoreUrl &url, std::shared_ptr<const std::atomic<qint64>> workerId);
    // An opener for RunRecorder::start: the connection is made on the recorder's thread.
    static RunRecorder::Opener opener(
        const StoreUrl &url, std::shared_ptr<const std::atomic<qint64>> workerId);

    void setBusyTimeout(int ms) override;
    Result<void> write(const RunBacklog &backlog) override;
    Result<RunStore::CreatedRun> createRun(const RunStore::NewRun &run, bool checkOverlap) override;

private:
    struct Owner
    {
        qint64 workerId = 0;
        int attempt = 0;
    };

    PgHistoryWriter(StoreUrl url, std::shared_ptr<const std::atomic<qint64>> workerId)
        : m_url(std::move(url))
        , m_workerId(std::move(workerId))
    { }
    Result<void> connect();
    Result<void> writeBatch(const RunBacklog &backlog);
    // Whether the run's events may be written in this transaction (locks its row).
    Result<bool> holds(qint64 runId);
    Result<void> writeEvent(const RunEvent &event);
    Result<void> insertTransition(qint64 runId, const QString &task, RunState state, int attempt,
        qint64 atMs, const QString &message, const QString &messageKey = {});
    Result<void> writeTaskUpdates();

    StoreUrl m_url;
    std::shared_ptr<const std::atomic<qint64>> m_workerId;
    PgConnection m_connection;
    bool m_broken = true; // reconnect before the next write
    int m_lockTimeoutMs = -1; // the session's lock_timeout as set; -1: the server's default
    QHash<qint64, Owner> m_owners; // the runs this writer records, by id
    QHash<qint64, bool> m_held; // in this transaction: run -> still ours
    QList<qint64> m_lostNow; // in this transaction: runs found no longer ours
    TaskUpdates m_updates;
};

} // namespace Sluice
