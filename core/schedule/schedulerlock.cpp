#include "schedule/schedulerlock.h"

#include <QCoreApplication>
#include <QDir>
#include <QLockFile>

namespace Sluice {

SchedulerLock::SchedulerLock(const QString &path)
    : m_path(path)
    , m_file(std::make_unique<QLockFile>(path))
{
    // Held for the life of the process: age alone must never make it stale. A lock whose
    // process is gone (same host) is still taken over.
    m_file->setStaleLockTime(0);
}

SchedulerLock::~SchedulerLock() = default; // QLockFile unlocks on destruction

Result<void> SchedulerLock::tryLock()
{
    if (m_file->isLocked())
        return {};
    if (m_file->tryLock(0))
        return {};
    const QString where = QDir::toNativeSeparators(m_path);
    switch (m_file->error()) {
    case QLockFile::LockFailedError: {
        const std::optional<Holder> who = holder();
        if (!who)
            return Error{ QCoreApplication::translate(
                              "Sluice::SchedulerLock", "another process holds the scheduler lock"),
                where };
        return Error{ QCoreApplication::translate("Sluice::SchedulerLock",
                          "the scheduler of this data folder runs in process %1 (%2) on %3")
                          .arg(who->pid)
                          .arg(who->appName.isEmpty() ? QCoreApplication::translate(
                                   "Sluice::SchedulerLock", "unknown program")
                                                      : who->appName,
                              who->hostName.isEmpty() ? QCoreApplication::translate(
                                  "Sluice::SchedulerLock", "an unknown host")
                                                      : who->hostName),
            where };
    }
    case QLockFile::PermissionError:
        return Error{ QCoreApplication::translate("Sluice::SchedulerLock",
                          "cannot create the lock file: permission denied"),
            where };
    case QLockFile::NoError:
    case QLockFile::UnknownError:
        break;
    }
    return Error{
        QCoreApplication::translate("Sluice::SchedulerLock", "cannot create the lock file"), where
    };
}

void SchedulerLock::unlock()
{
    m_file->unlock();
}

bool SchedulerLock::isLocked() const
{
    return m_file->isLocked();
}

std::optional<SchedulerLock::Holder> SchedulerLock::holder() const
{
    Holder who;
    if (!m_file->getLockInfo(&who.pid, &who.hostName, &who.appName))
        return std::nullopt;
    return who;
}

} // namespace Sluice
