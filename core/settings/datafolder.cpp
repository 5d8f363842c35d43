#include "settings/datafolder.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStringDecoder>
#include <QTemporaryFile>

#include "storage/warehouse.h"

namespace Sluice {

namespace {

    QString decodedOrEmpty(QByteArrayView bytes)
    {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString text = utf8(bytes);
        return utf8.hasError() ? QString() : text;
    }

    // The bytes as text a terminal shows safely: UTF-8 characters as they are, every other
    // byte (and a backslash) as \xHH.
    QString escapedBytes(const QByteArray &bytes)
    {
        QString shown;
        for (qsizetype i = 0; i < bytes.size();) {
            const uchar lead = uchar(bytes.at(i));
            const qsizetype length = lead < 0x80 ? 1
                : (lead >= 0xC2 && lead <= 0xDF) ? 2
                : (lead >= 0xE0 && lead <= 0xEF) ? 3
                : (lead >= 0xF0 && lead <= 0xF4) ? 4
                                                 : 0;
            const QString character = length > 0 && i + length <= bytes.size()
                ? decodedOrEmpty(QByteArrayView(bytes).sliced(i, length))
                : QString();
            const bool printable = !character.isEmpty() && character != u"\\"
                && std::all_of(character.cbegin(), character.cend(),
                    [](QChar c) { return c.isPrint() || c.isSurrogate(); });
            if (printable) {
                shown += character;
                i += length;
            } else {
                shown += QStringLiteral("\\x%1").arg(int(lead), 2, 16, QLatin1Char('0'));
                ++i;
            }
        }
        return shown;
    }

} // namespace

QString DataFolder::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString DataFolder::resolve(const QString &commandLinePath)
{
    QString path = commandLinePath;
    if (path.isEmpty())
        path = qEnvironmentVariable(EnvironmentVariable);
    if (path.isEmpty())
        path = defaultPath();
    if (path.startsWith(QLatin1String("~/")))
        path = QDir::homePath() + path.mid(1);
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

Result<void> DataFolder::checkPathBytes(const QByteArray &bytes, const QString &source)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = utf8(bytes); // decoding happens here
    if (!utf8.hasError())
        return {};
    return Error{ tr("\"%1\" is not UTF-8 text; Sluice reads folder names as UTF-8 and would use "
                     "another folder than this one. Rename the folder, or choose one whose name "
                     "is UTF-8")
                      .arg(escapedBytes(bytes)),
        source, ErrorCode::Permanent };
}

Result<DataFolder> DataFolder::open(const QString &path)
{
    if (path.isEmpty())
        return Error{ tr("no data folder given and no home folder to put one in"), QString() };

    const QFileInfo info(path);
    if (info.exists() && !info.isDir())
        return Error{ tr("cannot use the data folder: it exists and is not a folder"), path };

    if (!info.exists()) {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path.toStdString()), ec);
        if (ec) {
            return Error{ tr("cannot create the data folder: %1")
                              .arg(QString::fromLocal8Bit(ec.message().c_str())),
                path };
        }
    }

    // isWritable() says yes to root on a read-only mount; creating a file is the real test.
    QTemporaryFile probe(QDir(path).filePath(QStringLiteral(".sluice-write-test-XXXXXX")));
    if (!probe.open())
        return Error{ tr("cannot write in the data folder: %1").arg(probe.errorString()), path };
    probe.close();

    DataFolder folder(QDir::cleanPath(QFileInfo(path).absoluteFilePath()));
    if (Result<void> ok = Warehouse::initialize(folder.warehousePath()); !ok)
        return ok.error();
    return folder;
}

QString DataFolder::file(const char *name) const
{
    return QDir(m_path).filePath(QLatin1String(name));
}

} // namespace Sluice
