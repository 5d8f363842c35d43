#pragma once

// What a task's function gets for one attempt, on the pool thread that runs it: the run's
// parameters, its upstream results, a logger, progress reporting, the cancellation token and
// the network and database handles of this thread. Lives on that thread's stack; never keep it.

#include <QDateTime>
#include <QElapsedTimer>
#include <QString>
#include <QVariant>
#include <QVariantMap>

#include "engine/cancellationtoken.h"
#include "engine/result.h"
#include "engine/runstate.h"

class QNetworkAccessManager;

namespace Sluice {

class FlowRun;
class SqliteConnection;

class TaskContext
{
public:
    TaskContext(FlowRun &run, int task, int attempt, CancellationToken token);
    TaskContext(const TaskContext &) = delete;
    TaskContext &operator=(const TaskContext &) = delete;

    qint64 runId() const;
    QString flowName() const;
    QString taskName() const;
    int attempt() const { return m_attempt; } // from 1

    const QVariantMap &parameters() const;
    QVariant parameter(const QString &name) const;
    // The result of an upstream task (which completed); an invalid QVariant for any other name.
    QVariant upstream(const QString &task) const;
    // The same of any task upstream, directly or not.
    QVariant ancestor(const QString &task) const;
    // The run's logical time, UTC (RunOptions::time), and the schedule's fire before it
    // (invalid without a schedule).
    QDateTime runTime() const;
    QDateTime previousRunTime() const;

    void log(LogLevel level, const QString &text);
    void info(const QString &text) { log(LogLevel::Info, text); }
    void warning(const QString &text) { log(LogLevel::Warning, text); }
    void error(const QString &text) { log(LogLevel::Error, text); }

    // done of total in the task's own units; published at most ~10 times a second, and the
    // last value always.
    void setProgress(qint64 done, qint64 total);
    void flushProgress();

    // Ends this task Skipped instead of Completed once its function returns a value (any
    // value): for a task that finds nothing to do, e.g. a report without recipients. Tasks
    // downstream are skipped too and the run ends Skipped, unless another task failed.
    void skip(const QString &reason);

    // Tells the run's finished event that this task stored rows in a warehouse table (-1:
    // changed it, count unknown), so that views showing the table re-read it.
    void noteStored(const QString &table, qint64 rows);

    const CancellationToken &token() const { return m_token; }
    bool isCancelled() const { return m_token.isCancelled(); }
    // Sleeps ms in short slices; returns false at once when the task is cancelled.
    bool sleep(int ms) const;

    QNetworkAccessManager *network();
    Result<SqliteConnection *> database(const QString &path);

private:
    FlowRun &m_run;
    int m_task;
    int m_attempt;
    CancellationToken m_token;
    QElapsedTimer m_sinceProgress;
    qint64 m_done = -1;
    qint64 m_total = -1;
    bool m_progressPending = false;
};

} // namespace Sluice
