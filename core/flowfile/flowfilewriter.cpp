#include "flowfile/flowfilewriter.h"

#include <sys/stat.h>

#include <cerrno>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace Sluice {

namespace {

    // Whether path (not following a link) is a regular file or nothing at all.
    bool isRegularOrMissing(const QString &path)
    {
        struct stat status;
        if (::lstat(QFile::encodeName(path).constData(), &status) != 0)
            return errno == ENOENT;
        return S_ISREG(status.st_mode);
    }

} // namespace

QString FlowFileWriter::resolvedPath(const QString &path)
{
    QFileInfo info(path);
    for (int depth = 0; depth < 40 && info.isSymLink(); ++depth)
        info.setFile(info.symLinkTarget());
    return info.filePath();
}

Result<void> FlowFileWriter::write(const QString &path, const QByteArray &bytes)
{
    const QString shown = QDir::toNativeSeparators(path);
    const QString target = resolvedPath(path);
    if (!isRegularOrMissing(target)) {
        return Error{ tr("cannot save %1: it is not a regular file, so it was left as it is")
                          .arg(QDir::toNativeSeparators(target)),
            shown, ErrorCode::Permanent };
    }
    const QString folder = QFileInfo(target).absolutePath();
    if (!QFileInfo(folder).isDir()) {
        return Error{
            tr("cannot save: the folder %1 does not exist").arg(QDir::toNativeSeparators(folder)),
            shown, ErrorCode::Permanent
        };
    }
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly))
        return Error{ tr("cannot save: %1").arg(file.errorString()), shown };
    if (file.write(bytes) != bytes.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return Error{ tr("cannot save: %1").arg(reason), shown };
    }
    // The path may have become something else while we wrote: never rename over it.
    if (!isRegularOrMissing(target)) {
        file.cancelWriting();
        return Error{ tr("cannot save %1: it is not a regular file, so it was left as it is")
                          .arg(QDir::toNativeSeparators(target)),
            shown, ErrorCode::Permanent };
    }
    if (!file.commit())
        return Error{ tr("cannot save: %1").arg(file.errorString()), shown };
    return {};
}

} // namespace Sluice
