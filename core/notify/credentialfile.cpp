#include "notify/credentialfile.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QFileInfo>
#include <QRandomGenerator>

namespace Sluice {

namespace {

    QString systemError(int error)
    {
        return QString::fromLocal8Bit(std::strerror(error));
    }

    QString octalMode(mode_t mode)
    {
        return QStringLiteral("0%1").arg(uint(mode & 07777), 3, 8, QLatin1Char('0'));
    }

    // A descriptor closed on every way out.
    class Descriptor
    {
    public:
        explicit Descriptor(int fd)
            : m_fd(fd)
        { }
        ~Descriptor()
        {
            if (m_fd >= 0)
                ::close(m_fd);
        }
        Descriptor(const Descriptor &) = delete;
        Descriptor &operator=(const Descriptor &) = delete;
        int get() const { return m_fd; }
        int release()
        {
            const int fd = m_fd;
            m_fd = -1;
            return fd;
        }

    private:
        int m_fd;
    };

} // namespace

CredentialFile::CredentialFile(const QString &path)
    : m_path(path)
{ }

bool CredentialFile::exists() const
{
    struct stat info;
    return ::lstat(QFile::encodeName(m_path).constData(), &info) == 0;
}

Result<QString> CredentialFile::read() const
{
    // O_NOFOLLOW: a symbolic link planted in the data folder is not followed.
    Descriptor file(
        ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (file.get() < 0) {
        const int error = errno;
        if (error == ELOOP)
            return Error{ tr("the credentials file is a symbolic link; refusing to use it"),
                m_path };
        return Error{ tr("cannot read the credentials file: %1").arg(systemError(error)), m_path };
    }
    struct stat info;
    if (::fstat(file.get(), &info) != 0)
        return Error{ tr("cannot read the credentials file: %1").arg(systemError(errno)), m_path };
    if (!S_ISREG(info.st_mode))
        return Error{ tr("the credentials file is not a regular file"), m_path };
    if (info.st_uid != ::geteuid())
        return Error{ tr("the credentials file belongs to another user (uid %1); refusing to "
                         "use it. Store the password again with \"sluice config set-password "
                         "--store file\".")
                          .arg(info.st_uid),
            m_path };
    if ((info.st_mode & 077) != 0)
        return Error{ tr("the credentials file can be accessed by other users (mode %1); "
                         "refusing to use it. Make it readable only by you with: chmod 600 %2")
                          .arg(octalMode(info.st_mode), m_path),
            m_path };

    QByteArray content;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error{ tr("cannot read the credentials file: %1").arg(systemError(errno)),
                m_path };
        if (n == 0)
            break;
        content.append(buffer, n);
        if (content.size() > 64 * 1024)
            return Error{ tr("the credentials file is too large to hold a password"), m_path };
    }
    // A file edited by hand usually ends in a newline, which is not part of the password.
    if (content.endsWith('\n'))
        content.chop(1);
    if (content.endsWith('\r'))
        content.chop(1);
    return QString::fromUtf8(content);
}

Result<void> CredentialFile::write(const QString &password) const
{
    const QByteArray target = QFile::encodeName(m_path);
    QByteArray temporary;
    int fd = -1;
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        temporary =
            target + ".tmp-" + QByteArray::number(QRandomGenerator::global()->generate64(), 36);
        // Mode 0600 from creation: no moment where the password is readable by others.
        fd = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
            S_IRUSR | S_IWUSR);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0)
        return Error{ tr("cannot create the credentials file: %1").arg(systemError(errno)),
            m_path };
    Descriptor file(fd);
    auto fail = [&](int error) -> Result<void> {
        ::unlink(temporary.constData());
        return Error{ tr("cannot write the credentials file: %1").arg(systemError(error)), m_path };
    };

    const QByteArray content = password.toUtf8();
    qsizetype written = 0;
    while (written < content.size()) {
        const ssize_t n =
            ::write(file.get(), content.constData() + written, size_t(content.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(errno);
        written += n;
    }
    if (::fsync(file.get()) != 0)
        return fail(errno);
    if (::close(file.release()) != 0)
        return fail(errno);
    if (::rename(temporary.constData(), target.constData()) != 0)
        return fail(errno);
    return {};
}

Result<void> CredentialFile::remove() const
{
    if (::unlink(QFile::encodeName(m_path).constData()) != 0 && errno != ENOENT)
        return Error{ tr("cannot remove the credentials file: %1").arg(systemError(errno)),
            m_path };
    return {};
}

} // namespace Sluice
