#pragma once

// The run history in runs.sqlite: schema (versioned with PRAGMA user_version), the creation of
// run rows, the marking of runs whose process died (Crashed), retention pruning, and the
// queries of the CLI and the GUI. States are stored by name. One RunStore uses one connection
// on the thread that opened it; the engine's writes go through RunRecorder on its own thread.

#include <memory>
#include <optional>

#include <QByteArray>
#include <QHash>
#include <QString>

#include "engine/result.h"
#include "engine/runhistoryreader.h"
#include "engine/runrecords.h"
#include "storage/sqliteconnection.h"

namespace Sluice {

class RunStore
{
public:
    static constexpr int SchemaVersion = 3;

    // Opens (creating or migrating) the file and marks the runs of dead processes Crashed.
    static Result<std::unique_ptr<RunStore>> open(const QString &path);

    QString path() const { return m_connection.path(); }
    // How many runs open() found left behind by a dead process and marked Crashed.
    int crashedOnOpen() const { return m_crashedOnOpen; }

    struct CreatedRun
    {
        qint64 id = 0;
        qint64 runningElsewhere = 0; // a run of the flow that another live process runs
    };
    // What a new run's row holds besides its state.
    struct NewRun
    {
        QString flow;
        QVariantMap parameters;
        QString trigger;
        qint64 timeMs = 0; // the logical time; 0: the creation time
        QByteArray definition = {}; // a file flow's YAML, stored with the run; empty: a built-in
        QString sourcePath = {};
        qint64 reusedFrom = 0;
        // A fleet worker's run: the row exists in the fleet's store (claimed there), with this
        // attempt; the writer adopts it rather than adding one. 0: a new run.
        qint64 claimedId = 0;
        int attempt = 0;
    };
    // Adds a run in state Scheduled owned by this process. With checkOverlap, the same
    // transaction looks for a run of the flow that another live process has in progress.
    Result<CreatedRun> createRun(const NewRun &run, bool checkOverlap);
    Result<CreatedRun> createRun(const QString &flow, const QVariantMap &parameters,
        const QString &trigger, bool checkOverlap);

    // How long the next statements wait for another connection's lock (the default:
    // SqliteConnection::BusyTimeoutMs).
    Result<void> setBusyTimeout(int ms);

    // Runs in progress whose process is gone become Crashed, with their running tasks;
    // returns how many.
    Result<int> markCrashed();
    // Deletes the runs that finished more than days ago (never one in progress); returns how
    // many. now: for tests.
    Result<int> prune(int days, qint64 nowMs = 0);

    Result<QList<FlowRunRecord>> runs(const RunQuery &query = {}) const;
    Result<std::optional<FlowRunRecord>> run(qint64 id) const;
    Result<QList<TaskRunRecord>> tasks(qint64 runId) const;
    Result<QList<TransitionRecord>> transitions(qint64 runId) const;
    Result<QList<LogRecord>> logLines(qint64 runId, int limit = 0) const;
    // The newest run of each flow that has one, by flow name.
    Result<QHash<QString, FlowRunRecord>> lastRuns() const;

    static Result<void> migrate(const SqliteConnection &connection);
    // The queries above, on this store's connection.
    RunHistoryReader reader() const;

private:
    explicit RunStore(SqliteConnection connection)
        : m_connection(std::move(connection))
    { }

    SqliteConnection m_connection;
    int m_crashedOnOpen = 0;
};

} // namespace Sluice
