#include "storage/csvoutputfile.h"

#include <cerrno>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include "storage/regularfile.h"

namespace Sluice {

namespace {

    QString systemError(int error)
    {
        return QString::fromLocal8Bit(std::strerror(error));
    }

    // The descriptor a path names when it is one of this process's own: the shell's
    // `-o /dev/stdout` means "where my standard output goes", whatever that is.
    std::optional<int> ownDescriptor(const QString &path)
    {
        const QString clean = QDir::cleanPath(path);
        if (clean == u"/dev/stdout")
            return STDOUT_FILENO;
        if (clean == u"/dev/stderr")
            return STDERR_FILENO;
        static const QRegularExpression numbered(
            QStringLiteral("^(?:/dev/fd|/proc/self/fd)/([0-9]{1,9})$"));
        if (const QRegularExpressionMatch match = numbered.match(clean); match.hasMatch())
            return match.captured(1).toInt();
        return std::nullopt;
    }

} // namespace

CsvOutputFile::CsvOutputFile(
    const QString &path, const QString &replaced, std::unique_ptr<QFileDevice> file)
    : m_path(path)
    , m_replaced(replaced)
    , m_file(std::move(file))
{ }

CsvOutputFile::CsvOutputFile(CsvOutputFile &&) noexcept = default;
CsvOutputFile &CsvOutputFile::operator=(CsvOutputFile &&) noexcept = default;
CsvOutputFile::~CsvOutputFile() = default; // QSaveFile removes what was not committed

QIODevice *CsvOutputFile::device() const
{
    return m_file.get();
}

Result<CsvOutputFile> CsvOutputFile::open(const QString &path)
{
    if (const std::optional<int> descriptor = ownDescriptor(path))
        return openDescriptor(path, *descriptor);

    // stat, not lstat: a link to a device is a device, a link to a folder is a folder.
    struct stat status;
    if (::stat(QFile::encodeName(path).constData(), &status) == 0) {
        if (S_ISDIR(status.st_mode))
            return Error{ tr("cannot write the CSV file: it is a folder"), path };
        if (!S_ISREG(status.st_mode))
            return openInPlace(path);
        return openReplacing(path, QFileInfo(path).canonicalFilePath());
    }
    const int error = errno;
    // Missing, or under a missing folder or a file: openReplacing says which.
    if (error != ENOENT && error != ENOTDIR)
        return Error{ tr("cannot write the CSV file: %1").arg(systemError(error)), path };
    return openReplacing(path, RegularFile::linkTarget(path));
}

// As a shell's `>` does, but without O_CREAT or O_TRUNC: whatever the path names now is
// written, and a path that vanished in between is not created as a regular file.
Result<CsvOutputFile> CsvOutputFile::openInPlace(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    int descriptor;
    do {
        descriptor = ::open(native.constData(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    } while (descriptor < 0 && errno == EINTR); // a FIFO's open waits for its reader
    if (descriptor < 0)
        return Error{ tr("cannot open it for writing: %1").arg(systemError(errno)), path };
    struct stat status;
    if (::fstat(descriptor, &status) != 0 || S_ISREG(status.st_mode)) {
        ::close(descriptor);
        return Error{ tr("cannot write the CSV file: it was replaced while being opened"), path };
    }
    auto file = std::make_unique<QFile>();
    if (!file->open(descriptor, QIODevice::WriteOnly | QIODevice::Unbuffered,
            QFileDevice::AutoCloseHandle)) {
        ::close(descriptor);
        return Error{ tr("cannot open it for writing: %1").arg(file->errorString()), path };
    }
    return CsvOutputFile(path, QString(), std::move(file));
}

Result<CsvOutputFile> CsvOutputFile::openDescriptor(const QString &path, int descriptor)
{
    const int copy = ::fcntl(descriptor, F_DUPFD_CLOEXEC, 0);
    if (copy < 0)
        return Error{ tr("cannot open it for writing: %1").arg(systemError(errno)), path };
    auto file = std::make_unique<QFile>();
    if (!file->open(
            copy, QIODevice::WriteOnly | QIODevice::Unbuffered, QFileDevice::AutoCloseHandle)) {
        ::close(copy);
        return Error{ tr("cannot open it for writing: %1").arg(file->errorString()), path };
    }
    return CsvOutputFile(path, QString(), std::move(file));
}

Result<CsvOutputFile> CsvOutputFile::openReplacing(const QString &path, const QString &target)
{
    const QString folder = QFileInfo(target).absolutePath();
    if (const QFileInfo parent(folder); !parent.isDir()) {
        return Error{ (parent.exists()
                              ? tr("cannot write the CSV file: %1 is not a folder")
                              : tr("cannot write the CSV file: the folder %1 does not exist"))
                          .arg(folder),
            path };
    }
    // QSaveFile writes "<target>.XXXXXX" in the same folder and renames it on commit(); until
    // then, and whenever it is dropped, the target keeps its old content.
    auto file = std::make_unique<QSaveFile>(target);
    if (!file->open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        return Error{
            tr("cannot create a file in the folder %1: %2").arg(folder, file->errorString()), path
        };
    }
    return CsvOutputFile(path, target, std::move(file));
}

Result<void> CsvOutputFile::commit()
{
    if (isInPlace())
        return {};
    auto *file = static_cast<QSaveFile *>(m_file.get());
    // A long export leaves time for the path to become something else: never rename over it.
    if (!RegularFile::isRegularOrMissing(m_replaced)) {
        file->cancelWriting();
        return Error{ tr("cannot write the CSV file: %1 is no longer a regular file, so it was "
                         "left as it is")
                          .arg(m_replaced),
            m_path };
    }
    if (!file->commit())
        return Error{ tr("cannot write the CSV file: %1").arg(file->errorString()), m_path };
    return {};
}

} // namespace Sluice
