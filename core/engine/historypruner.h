#pragma once

// Deletes the run history older than a number of days from runs.sqlite, on its own thread
// ("sluice-history") with its own connection, so that a change of history.retention-days
// applies at once and the caller never waits for the file (another process may hold it).
// Made and called on the main thread; its destructor waits for a prune under way, at exit.

#include <QString>

#include "engine/ownedthread.h"

class QObject;

namespace Sluice {

class HistoryPruner
{
public:
    explicit HistoryPruner(const QString &runsPath);
    ~HistoryPruner();
    HistoryPruner(const HistoryPruner &) = delete;
    HistoryPruner &operator=(const HistoryPruner &) = delete;

    // Returns at once; prunes after the prunes asked for before. A failure is said on stderr.
    void prune(int days);

private:
    QString m_path;
    OwnedThread m_thread;
    QObject *m_worker = nullptr; // lives on m_thread, deleted when it ends
};

} // namespace Sluice
