// Flow files (README, "Your own flows"): any bytes are read and checked without a crash; every
// diagnostic points into the file (line within it, column within that line's bytes + 2) and
// has a message; a file that passes the check has steps whose dependencies all exist, and
// checking it again gives the same verdict.

#include <QByteArrayList>

#include "flowfile/flowfilereader.h"
#include "fuzzcheck.h"

using namespace Sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16 * 1024)
        return 0;
    const QByteArray source(reinterpret_cast<const char *>(data), qsizetype(size));
    const QStringList builtins = { QStringLiteral("demo"), QStringLiteral("daily-report") };
    const CheckedFlowFile checked =
        FlowFileReader::check(source, QStringLiteral("/flows/fuzz.yaml"), builtins);

    // Lines as YAML counts them: CR LF, a lone CR and LF each end one.
    QByteArray normalized = source;
    normalized.replace("\r\n", "\n").replace('\r', '\n');
    const QByteArrayList lines = normalized.split('\n');
    for (const Diagnostic &diagnostic : checked.diagnostics) {
        FUZZ_CHECK(!diagnostic.message.isEmpty());
        FUZZ_CHECK(diagnostic.line >= 1);
        // One past the last line: an error at the end of a file that ends with a newline.
        FUZZ_CHECK(diagnostic.line <= lines.size() + 1);
        FUZZ_CHECK(diagnostic.column >= 1);
        if (diagnostic.line <= lines.size())
            FUZZ_CHECK(diagnostic.column <= lines.at(diagnostic.line - 1).size() + 2);
    }
    if (!checked.isValid())
        return 0;
    const FlowDefinition &flow = *checked.definition;
    FUZZ_CHECK(!flow.steps.isEmpty());
    const QList<QStringList> dependencies = flow.dependencies();
    FUZZ_CHECK(dependencies.size() == flow.steps.size());
    for (const QStringList &needs : dependencies) {
        for (const QString &id : needs)
            FUZZ_CHECK(flow.stepIndex(id) >= 0);
    }
    const CheckedFlowFile again =
        FlowFileReader::check(source, QStringLiteral("/flows/fuzz.yaml"), builtins);
    FUZZ_CHECK(again.isValid());
    FUZZ_CHECK(again.diagnostics.size() == checked.diagnostics.size());
    return 0;
}
