#include "settings/datafolder.h"

#include <filesystem>
#include <system_error>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryFile>

#include "storage/warehouse.h"

namespace Sluice {

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
