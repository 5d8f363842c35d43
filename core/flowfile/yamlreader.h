#pragma once

// Reads typed values out of a parsed YAML document (YamlDocument) for FlowLoader and
// StepLoader, and collects a Diagnostic for every value that does not fit, with the position it
// was written at. Any thread; one reader a file.

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "flowfile/yamldocument.h"

#include "flowfile/diagnostic.h"
#include "flowfile/flowdefinition.h"

namespace Sluice {

class YamlReader
{
public:
    explicit YamlReader(const QString &displayPath);

    const QString &displayPath() const { return m_displayPath; }
    QList<Diagnostic> &diagnostics() { return m_diagnostics; }

    // The node's position; a null value (`key:` with nothing after it) has none of its own,
    // so the key's is taken.
    static SourcePosition position(const YamlNode &node);
    static SourcePosition position(const YamlNode &value, const YamlNode &key);
    static QString text(const YamlNode &key);
    // Whether a scalar was written in quotes ('...' or "..."): "1000" is text, 1000 a number.
    static bool isQuoted(const YamlNode &scalar) { return scalar.isQuoted(); }
    // "a map", "a list", "a text", "nothing": for "must be X, not Y".
    static QString kindName(const YamlNode &node);

    void error(const SourcePosition &position, const QString &message);
    void warning(const SourcePosition &position, const QString &message);

    // Reports keys given twice and keys that are not texts; false when there was any.
    bool checkDuplicateKeys(const YamlNode &map);
    // Reports keys of `map` not in `allowed` (with "did you mean") and keys given twice.
    // `where` names the map in the message: "top level", "a step", "`http`".
    void checkKeys(const YamlNode &map, const QStringList &allowed, const QString &where);
    // The closest of `candidates` to `word` when it is close enough to be a typo, else empty.
    static QString suggestion(const QString &word, const QStringList &candidates);

    // Typed values: each reports its own error (naming `name`, the key) and returns nothing.
    std::optional<PositionedText> scalar(
        const YamlNode &value, const YamlNode &key, const QString &name);
    std::optional<bool> boolean(const YamlNode &value, const YamlNode &key, const QString &name);
    std::optional<qint64> integer(const YamlNode &value, const YamlNode &key, const QString &name,
        qint64 minimum, qint64 maximum);
    // "90s", "5m", "2h", "1d" in milliseconds; allowZero for delays.
    std::optional<qint64> duration(
        const YamlNode &value, const YamlNode &key, const QString &name, bool allowZero);
    // The text of a duration ("90s", "10ms", at most MaximumDurationMs) in milliseconds, or
    // nothing when it is not one: what duration() accepts, without the report.
    static constexpr qint64 MaximumDurationMs = 366LL * 86400 * 1000;
    static std::optional<qint64> parseDuration(const QString &text, bool allowZero);
    // One of `choices`, as written.
    std::optional<QString> choice(const YamlNode &value, const YamlNode &key, const QString &name,
        const QStringList &choices);
    // A scalar or a list of scalars.
    QList<PositionedText> scalarList(
        const YamlNode &value, const YamlNode &key, const QString &name);
    // A map of names to scalars, in file order.
    QList<std::pair<QString, PositionedText>> scalarMap(
        const YamlNode &value, const YamlNode &key, const QString &name);
    // A flow or step name: a letter, then letters, digits, `-` or `_`, at most 64.
    static bool isName(const QString &text);
    // An SQL identifier (or a list of them, for `key`), reported when not one.
    std::optional<QString> sqlIdentifier(
        const YamlNode &value, const YamlNode &key, const QString &name);
    QStringList sqlIdentifiers(const YamlNode &value, const YamlNode &key, const QString &name);
    // One character, for delimiters; `\t` may be written as "\t" in double quotes or "tab".
    std::optional<QChar> character(const YamlNode &value, const YamlNode &key, const QString &name);

private:
    QString m_displayPath;
    QList<Diagnostic> m_diagnostics;
};

} // namespace Sluice
