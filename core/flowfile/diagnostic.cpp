#include "flowfile/diagnostic.h"

#include <algorithm>

namespace Sluice {

QString Diagnostic::toString() const
{
    return QStringLiteral("%1:%2:%3: %4: %5")
        .arg(file)
        .arg(line)
        .arg(column)
        .arg(severity == Severity::Error ? QLatin1String("error") : QLatin1String("warning"),
            message);
}

bool Diagnostic::hasErrors(const QList<Diagnostic> &diagnostics)
{
    return std::any_of(diagnostics.cbegin(), diagnostics.cend(),
        [](const Diagnostic &diagnostic) { return diagnostic.isError(); });
}

void Diagnostic::sort(QList<Diagnostic> &diagnostics)
{
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const auto &a, const auto &b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
}

} // namespace Sluice
