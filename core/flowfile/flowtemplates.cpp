#include "flowfile/flowtemplates.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "flowfile/flowfilereader.h"
#include "flowfile/yamlreader.h"

namespace Sluice {

QList<FlowTemplates::Template> FlowTemplates::templates()
{
    return {
        { QStringLiteral("shell"), tr("Shell commands, one step after another") },
        { QStringLiteral("sql"), tr("SQL statements on the warehouse") },
        { QStringLiteral("http-to-table"), tr("JSON from a web API into a warehouse table") },
        { QStringLiteral("csv-import"), tr("A CSV file into a warehouse table") },
        { QStringLiteral("export-email"), tr("A query exported to CSV and sent by e-mail") },
    };
}

QStringList FlowTemplates::names()
{
    QStringList names;
    for (const Template &entry : templates())
        names << entry.name;
    return names;
}

QString FlowTemplates::description(const QString &name)
{
    for (const Template &entry : templates()) {
        if (entry.name == name)
            return entry.description;
    }
    return {};
}

QByteArray FlowTemplates::text(const QString &name)
{
    if (!names().contains(name))
        return {};
    QFile source(QStringLiteral(":/flows/%1.yaml").arg(name));
    if (!source.open(QIODevice::ReadOnly))
        return {};
    return source.readAll();
}

Result<QString> FlowTemplates::create(const QString &dataFolder, const QString &name,
    const QString &templateName, const QStringList &builtinNames)
{
    if (!YamlReader::isName(name)) {
        return Error{ tr("bad flow name \"%1\": a letter, then letters, digits, `-` or `_`, at "
                         "most 64")
                          .arg(name),
            {}, ErrorCode::Permanent };
    }
    if (builtinNames.contains(name))
        return Error{ tr("the name \"%1\" is taken by a built-in flow").arg(name), {},
            ErrorCode::Permanent };
    if (!names().contains(templateName)) {
        return Error{ tr("unknown template \"%1\"; the templates are %2")
                          .arg(templateName, names().join(QStringLiteral(", "))),
            {}, ErrorCode::Permanent };
    }

    const QString folder = FlowFileReader::flowsFolder(dataFolder);
    const QDir dir(folder);
    for (const char *suffix : { ".yaml", ".yml" }) {
        const QString existing = dir.filePath(name + QLatin1String(suffix));
        if (QFileInfo::exists(existing) || QFileInfo(existing).isSymLink()) {
            return Error{ tr("%1 already exists").arg(QDir::toNativeSeparators(existing)), existing,
                ErrorCode::Permanent };
        }
    }
    if (!QDir().mkpath(folder)) {
        return Error{ tr("cannot create the folder %1").arg(QDir::toNativeSeparators(folder)),
            folder };
    }

    QFile source(QStringLiteral(":/flows/%1.yaml").arg(templateName));
    if (!source.open(QIODevice::ReadOnly))
        return Error{ source.errorString(), source.fileName() };
    const QByteArray text = source.readAll();
    const QString path = dir.filePath(name + QStringLiteral(".yaml"));
    QFile target(path);
    // NewOnly: a file created meanwhile is never overwritten.
    if (!target.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        return Error{
            tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), target.errorString()),
            path, target.exists() ? ErrorCode::Permanent : ErrorCode::Unspecified
        };
    }
    if (target.write(text) != text.size() || !target.flush()) {
        const QString reason = target.errorString();
        target.close();
        target.remove();
        return Error{ tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), reason), path };
    }
    return QDir::toNativeSeparators(path);
}

} // namespace Sluice
