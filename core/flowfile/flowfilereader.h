#pragma once

// The one way to read flow files: from disk, through FlowLoader and FlowChecker, into a checked
// FlowDefinition and its diagnostics; and the flows folder of a data folder. One bad file
// never hides the others. Pure functions on files; any thread.

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "flowfile/diagnostic.h"
#include "flowfile/flowdefinition.h"

namespace Sluice {

struct CheckedFlowFile
{
    QString path; // absolute
    QByteArray source; // the exact bytes read (a run stores them)
    std::optional<FlowDefinition> definition; // what could be read, even when invalid
    QList<Diagnostic> diagnostics; // sorted by position

    bool isValid() const { return definition && !Diagnostic::hasErrors(diagnostics); }
    // The first error, for listings ("invalid: 3:7: unknown key ..."); empty when valid.
    const Diagnostic *firstError() const;
};

class FlowFileReader
{
public:
    static constexpr qint64 MaximumFileSize = 1024 * 1024;

    // <dataFolder>/flows
    static QString flowsFolder(const QString &dataFolder);
    // The .yaml and .yml files of a folder, sorted by name; none when it does not exist.
    static QStringList flowFiles(const QString &folder);

    // Reads and checks one file; displayPath names it in messages (default: path as given).
    static CheckedFlowFile read(const QString &path, const QStringList &builtinNames,
        const QString &displayPath = QString());
    // The same on bytes already read.
    static CheckedFlowFile check(const QByteArray &source, const QString &path,
        const QStringList &builtinNames, const QString &displayPath = QString());
    // Every file of a folder; a name given by two files (a.yaml, a.yml) is an error of the
    // second.
    static QList<CheckedFlowFile> readFolder(
        const QString &folder, const QStringList &builtinNames);
};

} // namespace Sluice
