#include "storage/regularfile.h"

#include <cerrno>

#include <sys/stat.h>

#include <QFile>
#include <QFileInfo>

namespace Sluice {

QString RegularFile::linkTarget(const QString &path)
{
    QFileInfo info(path);
    for (int depth = 0; depth < 40 && info.isSymLink(); ++depth)
        info.setFile(info.symLinkTarget());
    return info.filePath();
}

bool RegularFile::isRegularOrMissing(const QString &path)
{
    struct stat status;
    if (::lstat(QFile::encodeName(path).constData(), &status) != 0)
        return errno == ENOENT;
    return S_ISREG(status.st_mode);
}

} // namespace Sluice
