#pragma once

// Character devices to export to. As root, a private node of the same device (null 1:3, full
// 1:7) made in the test's own folder, so that a regression that renames over the path damages
// nothing of the machine's; otherwise /dev's own, which a user cannot rename over anyway.

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QString>

namespace DeviceNodes {

inline QString node(const QString &folder, const char *name, unsigned minorNumber)
{
    const QString own = QDir(folder).filePath(QLatin1String(name));
    if (::geteuid() == 0
        && ::mknod(QFile::encodeName(own).constData(), S_IFCHR | 0666, makedev(1, minorNumber))
            == 0)
        return own;
    return QStringLiteral("/dev/") + QLatin1String(name);
}

inline QString null(const QString &folder)
{
    return node(folder, "null", 3);
}

inline QString full(const QString &folder)
{
    return node(folder, "full", 7);
}

// Whether path is still the character device major:minor.
inline bool isCharDevice(const QString &path, unsigned minorNumber)
{
    struct stat status;
    return ::lstat(QFile::encodeName(path).constData(), &status) == 0 && S_ISCHR(status.st_mode)
        && major(status.st_rdev) == 1 && minor(status.st_rdev) == minorNumber;
}

} // namespace DeviceNodes
