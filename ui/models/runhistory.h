#pragma once

// Reads the run history (runs.sqlite) for the views without blocking the window: every query
// runs on its own thread "sluice-history" with its own RunStore connection, and the answer
// comes back as a signal on the GUI thread. Each request returns a token; a view keeps the
// token of its latest request and drops older answers. Lives on the GUI thread.

#include <memory>
#include <optional>

#include "engine/ownedthread.h"
#include "engine/runrecords.h"
#include <QHash>
#include <QList>
#include <QObject>

namespace Sluice {

class RunStore;

class RunHistory : public QObject
{
    Q_OBJECT

public:
    struct Details
    {
        qint64 runId = 0;
        std::optional<FlowRunRecord> run;
        QList<TaskRunRecord> tasks;
        QList<LogRecord> log;
    };

    explicit RunHistory(const QString &runsPath, QObject *parent = nullptr);
    ~RunHistory() override;

    QString path() const { return m_path; }

    quint64 requestRuns(const RunQuery &query);
    quint64 requestLastRuns();
    // The run, its tasks and its last logLimit log lines.
    quint64 requestDetails(qint64 runId, int logLimit);

Q_SIGNALS:
    void runsLoaded(quint64 token, const QList<Sluice::FlowRunRecord> &runs);
    void lastRunsLoaded(quint64 token, const QHash<QString, Sluice::FlowRunRecord> &runs);
    void detailsLoaded(quint64 token, const Sluice::RunHistory::Details &details);
    // A query failed; the message names the file and the cause.
    void failed(quint64 token, const QString &message);

private:
    // Runs job on the history thread; job returns a function to run back on this thread.
    void post(std::function<std::function<void()>(RunStore &)> job, quint64 token);

    QString m_path;
    OwnedThread m_thread;
    QObject *m_worker; // lives on m_thread
    std::unique_ptr<RunStore> m_store; // used only on m_thread
    quint64 m_nextToken = 0;
};

} // namespace Sluice
