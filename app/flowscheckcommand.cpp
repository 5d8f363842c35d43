// `sluice flows check [FILE ...]`: reads and checks flow files (by default every file of the
// flows folder) and prints each problem as FILE:LINE:COLUMN: error|warning: MESSAGE.

#include <QCoreApplication>
#include <QDir>
#include <QTextStream>

#include "commandline.h"
#include "flowfile/flowfilereader.h"
#include "settings/datafolder.h"

namespace Sluice::Cli {

int runFlowsCheck(Context &context)
{
    const QStringList builtins = builtinFlowNames(context);
    QList<CheckedFlowFile> files;
    if (context.arguments.isEmpty()) {
        const QString folder = FlowFileReader::flowsFolder(context.folder.path());
        files = FlowFileReader::readFolder(folder, builtins);
        if (files.isEmpty()) {
            out() << QCoreApplication::translate("Sluice::CommandLine", "no flow files in %1")
                         .arg(QDir::toNativeSeparators(folder))
                  << '\n';
            return ExitSuccess;
        }
    } else {
        for (const QString &path : context.arguments)
            files << FlowFileReader::read(path, builtins, path);
    }
    int errors = 0;
    int warnings = 0;
    int invalid = 0;
    for (const CheckedFlowFile &file : files) {
        for (const Diagnostic &diagnostic : file.diagnostics) {
            out() << diagnostic.toString() << '\n';
            ++(diagnostic.isError() ? errors : warnings);
        }
        if (!file.isValid())
            ++invalid;
    }
    // The summary goes to stderr, so that stdout holds only FILE:LINE:COL lines.
    err() << QCoreApplication::translate(
        "Sluice::CommandLine", "%n flow file(s) checked", nullptr, int(files.size()))
          << ": "
          << QCoreApplication::translate("Sluice::CommandLine", "%n invalid", nullptr, invalid)
          << ", "
          << QCoreApplication::translate("Sluice::CommandLine", "%n error(s)", nullptr, errors)
          << ", "
          << QCoreApplication::translate("Sluice::CommandLine", "%n warning(s)", nullptr, warnings)
          << '\n';
    return errors > 0 ? ExitFailure : ExitSuccess;
}

} // namespace Sluice::Cli
