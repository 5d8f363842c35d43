#pragma once

// Checks the references inside a loaded FlowDefinition (README, "Your own flows"): the flow's name,
// duplicate step ids, `needs` naming unknown steps, cycles (named `a -> b -> a`), variables
// (unknown names, `${}` in SQL, `steps.X.output` of a step not upstream, quoting a shell text
// cannot give), and warns of params never used. The shape of each value is FlowLoader's. Pure;
// any thread.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "flowfile/diagnostic.h"
#include "flowfile/flowdefinition.h"

namespace Sluice {

class FlowChecker
{
public:
    // source: the file's bytes, to place problems inside a text at their exact column;
    // builtinNames: the names of the built-in flows, which a file may not take.
    static QList<Diagnostic> check(const FlowDefinition &flow, const QByteArray &source,
        const QString &displayPath, const QStringList &builtinNames);
};

} // namespace Sluice
