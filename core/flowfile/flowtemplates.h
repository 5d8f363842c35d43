#pragma once

// The starter flow files of `sluice flows new` and the window's "New flow": their names, a
// one-line description each, their text (built into the binary from resources/flows/) and the
// creation of a new flow file from one. One way for the command line and the window. Pure
// functions on files; any thread.

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include "engine/result.h"

namespace Sluice {

class FlowTemplates
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::FlowTemplates)

public:
    struct Template
    {
        QString name; // "shell"; the resource :/flows/NAME.yaml
        QString description; // one line, translated
    };

    // In the order they are offered; the first is the default.
    static QList<Template> templates();
    static QStringList names();
    static QString defaultName() { return QStringLiteral("shell"); }
    // The description of a template; empty when there is no such template.
    static QString description(const QString &name);
    // The starter file's bytes; empty when there is no such template.
    static QByteArray text(const QString &name);

    // Writes <dataFolder>/flows/NAME.yaml from the template and returns its path (native
    // separators). Checks the name (YamlReader::isName, not one of builtinNames) and the
    // template, creates the flows folder, and never overwrites: NAME.yaml or NAME.yml already
    // there (even a dangling link) is refused, and the file is opened NewOnly, so one created
    // meanwhile is kept; a failed write leaves no partial file. Errors: ErrorCode::Permanent
    // for what the caller gave (bad name, taken name, unknown template, the file exists),
    // Unspecified for a failure of the disk; `what` is the whole message.
    static Result<QString> create(const QString &dataFolder, const QString &name,
        const QString &templateName, const QStringList &builtinNames);
};

} // namespace Sluice
