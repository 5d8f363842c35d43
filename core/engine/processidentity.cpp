#include "engine/processidentity.h"

#include <cerrno>
#include <csignal>

#include <QCoreApplication>
#include <QFile>
#include <QStringList>

#include <sys/types.h>
#include <unistd.h>

namespace Sluice {

namespace {

    QString bootId()
    {
        QFile file(QStringLiteral("/proc/sys/kernel/random/boot_id"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QString::fromLatin1(file.readAll().trimmed());
    }

    // Field 22 of /proc/<pid>/stat: the start time in clock ticks after boot. The command name
    // (field 2) may hold spaces and parentheses, so count from the last ')'.
    QString startTime(qint64 pid)
    {
        QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QByteArray stat = file.readAll();
        const qsizetype end = stat.lastIndexOf(')');
        if (end < 0)
            return {};
        const QList<QByteArray> fields = stat.mid(end + 2).split(' ');
        return fields.size() > 19 ? QString::fromLatin1(fields.at(19)) : QString();
    }

} // namespace

QString ProcessIdentity::current()
{
    static const QString identity = [] {
        const qint64 pid = QCoreApplication::applicationPid();
        const QString boot = bootId();
        const QString start = startTime(pid);
        if (boot.isEmpty() || start.isEmpty())
            return QString::number(pid);
        return QStringLiteral("%1:%2:%3").arg(boot).arg(pid).arg(start);
    }();
    return identity;
}

bool ProcessIdentity::isAlive(const QString &identity)
{
    const QStringList parts = identity.split(QLatin1Char(':'));
    bool ok = false;
    if (parts.size() == 3) {
        const qint64 pid = parts.at(1).toLongLong(&ok);
        return ok && parts.at(0) == bootId() && startTime(pid) == parts.at(2);
    }
    const qint64 pid = identity.toLongLong(&ok);
    if (!ok || pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

} // namespace Sluice
