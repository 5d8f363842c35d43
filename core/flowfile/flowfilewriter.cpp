#include "flowfile/flowfilewriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include "storage/regularfile.h"

namespace Sluice {

QString FlowFileWriter::resolvedPath(const QString &path)
{
    return RegularFile::linkTarget(path);
}

Result<void> FlowFileWriter::write(const QString &path, const QByteArray &bytes)
{
    const QString shown = QDir::toNativeSeparators(path);
    const QString target = resolvedPath(path);
    if (!RegularFile::isRegularOrMissing(target)) {
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
    if (!RegularFile::isRegularOrMissing(target)) {
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
