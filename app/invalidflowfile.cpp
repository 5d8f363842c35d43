#include "invalidflowfile.h"

#include <QCoreApplication>
#include <QTextStream>

#include "engine/displaytext.h"
#include "instance/flowfiles.h"
#include "instance/instance.h"

namespace Sluice::Cli {

int refuseInvalidFlowFile(Context &context, const QString &flowName)
{
    const std::optional<FlowFiles::InvalidFile> file =
        context.instance.flowFiles().invalidFile(flowName);
    if (!file)
        return -1;
    for (const Diagnostic &diagnostic : file->diagnostics)
        err() << escapeControls(diagnostic.toString()) << '\n';
    err() << QCoreApplication::applicationName() << " run: "
          << QCoreApplication::translate("Sluice::CommandLine",
                 "the flow file of \"%1\" has errors; it cannot run until they are fixed")
                 .arg(escapeControls(flowName))
          << '\n';
    return ExitUsage;
}

} // namespace Sluice::Cli
