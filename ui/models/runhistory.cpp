#include "models/runhistory.h"

#include <QPointer>
#include <QThread>

#include "engine/runstore.h"

namespace Sluice {

RunHistory::RunHistory(const QString &runsPath, QObject *parent)
    : QObject(parent)
    , m_path(runsPath)
    , m_thread(startThread(QStringLiteral("history")))
    , m_worker(new QObject)
{
    m_worker->moveToThread(m_thread.get());
    // finished is emitted on the ending thread: the connection is closed on the thread that
    // opened it.
    connect(
        m_thread.get(), &QThread::finished, m_worker, [this] { m_store.reset(); },
        Qt::DirectConnection);
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
}

RunHistory::~RunHistory()
{
    m_thread.reset(); // before m_store: the thread closes it
}

void RunHistory::post(std::function<std::function<void()>(RunStore &)> job, quint64 token)
{
    QPointer<RunHistory> self(this);
    QMetaObject::invokeMethod(m_worker, [this, self, job = std::move(job), token] {
        if (!m_store) {
            Result<std::unique_ptr<RunStore>> opened = RunStore::open(m_path);
            if (!opened) {
                const QString message = opened.error().message();
                QMetaObject::invokeMethod(
                    this, [this, token, message] { Q_EMIT failed(token, message); });
                return;
            }
            m_store = std::move(*opened);
        }
        // The owner waits for this thread in its destructor, so it is alive here.
        std::function<void()> answer = job(*m_store);
        QMetaObject::invokeMethod(this, std::move(answer));
    });
}

quint64 RunHistory::requestRuns(const RunQuery &query)
{
    const quint64 token = ++m_nextToken;
    post(
        [this, query, token](RunStore &store) -> std::function<void()> {
            Result<QList<FlowRunRecord>> runs = store.runs(query);
            if (!runs) {
                return [this, token, message = runs.error().message()] {
                    Q_EMIT failed(token, message);
                };
            }
            return [this, token, list = *runs] { Q_EMIT runsLoaded(token, list); };
        },
        token);
    return token;
}

quint64 RunHistory::requestLastRuns()
{
    const quint64 token = ++m_nextToken;
    post(
        [this, token](RunStore &store) -> std::function<void()> {
            Result<QHash<QString, FlowRunRecord>> runs = store.lastRuns();
            if (!runs) {
                return [this, token, message = runs.error().message()] {
                    Q_EMIT failed(token, message);
                };
            }
            return [this, token, last = *runs] { Q_EMIT lastRunsLoaded(token, last); };
        },
        token);
    return token;
}

quint64 RunHistory::requestDetails(qint64 runId, int logLimit)
{
    const quint64 token = ++m_nextToken;
    post(
        [this, token, runId, logLimit](RunStore &store) -> std::function<void()> {
            Details details;
            details.runId = runId;
            Result<std::optional<FlowRunRecord>> run = store.run(runId);
            Result<QList<TaskRunRecord>> tasks = store.tasks(runId);
            Result<QList<LogRecord>> log = store.logLines(runId, logLimit);
            for (const Error *error : { run ? nullptr : &run.error(),
                     tasks ? nullptr : &tasks.error(), log ? nullptr : &log.error() }) {
                if (error) {
                    return [this, token, message = error->message()] {
                        Q_EMIT failed(token, message);
                    };
                }
            }
            details.run = *run;
            details.tasks = *tasks;
            details.log = *log;
            return [this, token, details] { Q_EMIT detailsLoaded(token, details); };
        },
        token);
    return token;
}

} // namespace Sluice
