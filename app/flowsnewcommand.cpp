// `sluice flows new NAME [--template T]`: writes a commented starter flow file from the
// templates built into the binary (FlowTemplates) and prints its path; never overwrites.

#include <QCoreApplication>
#include <QTextStream>

#include "commandline.h"
#include "flowfile/flowtemplates.h"
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
    return FlowTemplates::names();
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
    const QString templateName = context.parser.isSet(QStringLiteral("template"))
        ? context.parser.value(QStringLiteral("template"))
        : FlowTemplates::defaultName();
    const Result<QString> path = FlowTemplates::create(
        context.folder.path(), context.arguments.first(), templateName, builtinFlowNames(context));
    if (!path) {
        // Permanent: what the user gave (name, template, an existing file); else the disk.
        return complain(
            path.error().code == ErrorCode::Permanent ? ExitUsage : ExitFailure, path.error().what);
    }
    out() << *path << '\n';
    return ExitSuccess;
}

} // namespace Sluice::Cli
