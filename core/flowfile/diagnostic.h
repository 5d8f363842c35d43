#pragma once

// One problem found in a flow file, told like a compiler: `FILE:LINE:COLUMN: error: MESSAGE`.
// A plain value; any thread.

#include <QList>
#include <QString>

namespace Sluice {

struct Diagnostic
{
    enum class Severity { Error, Warning };

    QString file; // as the user named it (or the path found in the flows folder)
    int line = 1; // 1-based
    int column = 1; // 1-based, in bytes of the line
    Severity severity = Severity::Error;
    QString message; // translated

    bool isError() const { return severity == Severity::Error; }
    // "flows/a.yaml:3:7: error: unknown key `retry`; did you mean `retries`?"; the words
    // "error" and "warning" stay English, as compilers print them, for tools that read them.
    QString toString() const;

    // Whether any of them is an error.
    static bool hasErrors(const QList<Diagnostic> &diagnostics);
    // By line, then column; the order of equal positions is kept.
    static void sort(QList<Diagnostic> &diagnostics);
};

} // namespace Sluice
