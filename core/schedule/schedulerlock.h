#pragma once

// The one-scheduler-per-data-folder lock (DataFolder::lockPath(), "scheduler.lock"): held by
// the process that schedules the folder's flows for as long as it runs. A second `sluice
// serve` or window on the folder learns which process holds it and runs without scheduling.
// A lock left by a process that died is taken over. Use from one thread.

#include <memory>
#include <optional>

#include <QString>

#include "engine/result.h"

class QLockFile;

namespace Sluice {

class SchedulerLock
{
public:
    struct Holder
    {
        qint64 pid = 0;
        QString hostName;
        QString appName;
    };

    explicit SchedulerLock(const QString &path);
    ~SchedulerLock(); // releases the lock
    SchedulerLock(const SchedulerLock &) = delete;
    SchedulerLock &operator=(const SchedulerLock &) = delete;

    QString path() const { return m_path; }

    // Takes the lock without waiting. The error names the process that holds it ("process
    // 1234 (sluice) on host1") or why the lock file cannot be made.
    Result<void> tryLock();
    void unlock();
    bool isLocked() const;

    // Who holds the lock as the lock file says; nothing when there is no lock file.
    std::optional<Holder> holder() const;

private:
    QString m_path;
    std::unique_ptr<QLockFile> m_file;
};

} // namespace Sluice
