#pragma once

// Reads the YAML of one flow file into a FlowDefinition (README, "Your own flows"), reporting every
// problem of shape as a Diagnostic with its position: YAML syntax (an unterminated quote at the end
// of the file included), unknown keys with "did you mean", wrong value types, a step with no kind
// or two, bad cron, zone, duration, identifier and param defaults outside their type or choices.
// References between parts (ids, needs, variables) are FlowChecker's. Pure; any thread.

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

#include "flowfile/diagnostic.h"
#include "flowfile/flowdefinition.h"

namespace Sluice {

class FlowLoader
{
public:
    struct Loaded
    {
        // Absent only when the YAML could not be read at all; otherwise what could be read,
        // even with errors, so that the checker can still report the rest.
        std::optional<FlowDefinition> definition;
        QList<Diagnostic> diagnostics;
    };

    // source: the file's bytes; filePath: its absolute path (the flow's name is its stem);
    // displayPath: how messages name the file.
    static Loaded load(
        const QByteArray &source, const QString &filePath, const QString &displayPath);

    // Whether text is a value of the type: "12" int, "1.5" double, "true" bool,
    // "2026-12-06" date; any text is a string.
    static bool fitsType(const QString &text, FlowParamType type);
};

} // namespace Sluice
