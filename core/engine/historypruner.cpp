#include "engine/historypruner.h"

#include <QObject>
#include <QThread>

#include "engine/runstore.h"

namespace Sluice {

HistoryPruner::HistoryPruner(const QString &runsPath)
    : m_path(runsPath)
    , m_thread(startThread(QStringLiteral("history")))
    , m_worker(new QObject)
{
    m_worker->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
}

HistoryPruner::~HistoryPruner() = default;

void HistoryPruner::prune(int days)
{
    QMetaObject::invokeMethod(
        m_worker,
        [path = m_path, days] {
            Result<std::unique_ptr<RunStore>> store = RunStore::open(path);
            Result<int> pruned = store ? (*store)->prune(days) : Result<int>(store.error());
            if (!pruned)
                qWarning("sluice: %s", qUtf8Printable(pruned.error().message()));
        },
        Qt::QueuedConnection);
}

} // namespace Sluice
