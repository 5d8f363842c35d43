#include "flowfile/flowfilereader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include "flowfile/flowchecker.h"
#include "flowfile/flowloader.h"

namespace Sluice {

namespace { } // namespace

const Diagnostic *CheckedFlowFile::firstError() const
{
    for (const Diagnostic &diagnostic : diagnostics) {
        if (diagnostic.isError())
            return &diagnostic;
    }
    return nullptr;
}

QString FlowFileReader::flowsFolder(const QString &dataFolder)
{
    return QDir(dataFolder).filePath(QStringLiteral("flows"));
}

QStringList FlowFileReader::flowFiles(const QString &folder)
{
    const QDir dir(folder);
    QStringList result;
    const QFileInfoList entries =
        dir.entryInfoList({ QStringLiteral("*.yaml"), QStringLiteral("*.yml") },
            QDir::Files | QDir::Readable | QDir::Hidden, QDir::Name);
    for (const QFileInfo &entry : entries) {
        if (!entry.fileName().startsWith(u'.')) // editors' swap and backup files
            result << entry.absoluteFilePath();
    }
    return result;
}

CheckedFlowFile FlowFileReader::read(
    const QString &path, const QStringList &builtinNames, const QString &displayPath)
{
    const QString shown = displayPath.isEmpty() ? path : displayPath;
    const QFileInfo info(path);
    QString problem;
    QByteArray source;
    if (!info.exists()) {
        problem = QCoreApplication::translate("Sluice::FlowFile", "no such file");
    } else if (!info.isFile()) {
        problem = QCoreApplication::translate("Sluice::FlowFile", "not a regular file");
    } else if (info.size() > MaximumFileSize) {
        problem = QCoreApplication::translate("Sluice::FlowFile", "the file is larger than %1 KiB")
                      .arg(MaximumFileSize / 1024);
    } else {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            problem = QCoreApplication::translate("Sluice::FlowFile", "cannot read the file: %1")
                          .arg(file.errorString());
        else
            source = file.read(MaximumFileSize + 1);
    }
    if (!problem.isEmpty()) {
        CheckedFlowFile result;
        result.path = info.absoluteFilePath();
        result.diagnostics.append({ shown, 1, 1, Diagnostic::Severity::Error, problem });
        return result;
    }
    return check(source, info.absoluteFilePath(), builtinNames, shown);
}

CheckedFlowFile FlowFileReader::check(const QByteArray &source, const QString &path,
    const QStringList &builtinNames, const QString &displayPath)
{
    const QString shown = displayPath.isEmpty() ? path : displayPath;
    CheckedFlowFile result;
    result.path = path;
    result.source = source;
    FlowLoader::Loaded loaded = FlowLoader::load(source, path, shown);
    result.diagnostics = loaded.diagnostics;
    if (loaded.definition) {
        result.diagnostics += FlowChecker::check(*loaded.definition, source, shown, builtinNames);
        result.definition = std::move(loaded.definition);
    }
    Diagnostic::sort(result.diagnostics);
    return result;
}

QList<CheckedFlowFile> FlowFileReader::readFolder(
    const QString &folder, const QStringList &builtinNames)
{
    QList<CheckedFlowFile> result;
    QHash<QString, QString> owners; // flow name -> file name
    for (const QString &path : flowFiles(folder)) {
        CheckedFlowFile file = read(path, builtinNames, path);
        const QFileInfo info(path);
        const QString name = info.completeBaseName();
        if (const auto owner = owners.constFind(name); owner != owners.cend()) {
            file.diagnostics.prepend({ path, 1, 1, Diagnostic::Severity::Error,
                QCoreApplication::translate(
                    "Sluice::FlowFile", "the flow `%1` is already defined by %2")
                    .arg(name, *owner) });
        } else {
            owners.insert(name, info.fileName());
        }
        result.append(std::move(file));
    }
    return result;
}

} // namespace Sluice
