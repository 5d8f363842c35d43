// `sluice flows new NAME [--template T]`: writes a commented starter flow file from the
// templates built into the binary (resources/flows/) and prints its path; never overwrites.

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTextStream>

#include "commandline.h"
#include "flowfile/flowfilereader.h"
#include "flowfile/yamlreader.h"
#include "settings/datafolder.h"

namespace Sluice::Cli {

namespace {

    int complain(int code, const QString &message)
    {
        err() << QCoreApplication::applicationName() << " flows new: " << message << '\n';
        return code;
    }

} // namespace

QStringList flowTemplateNames()
{
    return { QStringLiteral("shell"), QStringLiteral("sql"), QStringLiteral("http-to-table"),
        QStringLiteral("csv-import"), QStringLiteral("export-email") };
}

int runFlowsNew(Context &context)
{
    const QString usage = QCoreApplication::translate(
        "Sluice::CommandLine", "Usage: sluice flows new NAME [--template %1]")
                              .arg(flowTemplateNames().join(u'|'));
    if (context.arguments.size() != 1)
        return complain(ExitUsage,
            QCoreApplication::translate("Sluice::CommandLine", "give one flow name") + u'\n'
                + usage);
    const QString name = context.arguments.first();
    if (!YamlReader::isName(name))
        return complain(ExitUsage,
            QCoreApplication::translate("Sluice::CommandLine",
                "bad flow name \"%1\": a letter, then letters, digits, `-` or `_`, at most 64")
                .arg(name));
    if (builtinFlowNames(context).contains(name))
        return complain(ExitUsage,
            QCoreApplication::translate(
                "Sluice::CommandLine", "the name \"%1\" is taken by a built-in flow")
                .arg(name));
    const QString templateName = context.parser.isSet(QStringLiteral("template"))
        ? context.parser.value(QStringLiteral("template"))
        : QStringLiteral("shell");
    if (!flowTemplateNames().contains(templateName))
        return complain(ExitUsage,
            QCoreApplication::translate(
                "Sluice::CommandLine", "unknown template \"%1\"; the templates are %2")
                .arg(templateName, flowTemplateNames().join(QStringLiteral(", "))));

    const QString folder = FlowFileReader::flowsFolder(context.folder.path());
    const QDir dir(folder);
    for (const char *suffix : { ".yaml", ".yml" }) {
        const QString existing = dir.filePath(name + QLatin1String(suffix));
        if (QFileInfo::exists(existing) || QFileInfo(existing).isSymLink())
            return complain(ExitUsage,
                QCoreApplication::translate("Sluice::CommandLine", "%1 already exists")
                    .arg(QDir::toNativeSeparators(existing)));
    }
    if (!QDir().mkpath(folder))
        return complain(ExitFailure,
            QCoreApplication::translate("Sluice::CommandLine", "cannot create the folder %1")
                .arg(QDir::toNativeSeparators(folder)));

    QFile source(QStringLiteral(":/flows/%1.yaml").arg(templateName));
    if (!source.open(QIODevice::ReadOnly))
        return complain(ExitFailure, source.errorString());
    const QByteArray text = source.readAll();
    const QString path = dir.filePath(name + QStringLiteral(".yaml"));
    QFile target(path);
    // NewOnly: a file created meanwhile is never overwritten.
    if (!target.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        return complain(target.exists() ? ExitUsage : ExitFailure,
            QCoreApplication::translate("Sluice::CommandLine", "cannot write %1: %2")
                .arg(QDir::toNativeSeparators(path), target.errorString()));
    }
    if (target.write(text) != text.size() || !target.flush()) {
        const QString reason = target.errorString();
        target.close();
        target.remove();
        return complain(ExitFailure,
            QCoreApplication::translate("Sluice::CommandLine", "cannot write %1: %2")
                .arg(QDir::toNativeSeparators(path), reason));
    }
    out() << QDir::toNativeSeparators(path) << '\n';
    return ExitSuccess;
}

} // namespace Sluice::Cli
