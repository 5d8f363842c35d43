#include "flowfile/yamlreader.h"

#include <algorithm>

#include <QCoreApplication>
#include <QVarLengthArray>

#include "storage/tablespec.h"

namespace Sluice {

namespace {

    int editDistance(const QString &a, const QString &b)
    {
        QList<int> previous(b.size() + 1);
        QList<int> current(b.size() + 1);
        for (qsizetype j = 0; j <= b.size(); ++j)
            previous[j] = int(j);
        for (qsizetype i = 1; i <= a.size(); ++i) {
            current[0] = int(i);
            for (qsizetype j = 1; j <= b.size(); ++j) {
                const int cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
                current[j] =
                    std::min({ previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost });
            }
            std::swap(previous, current);
        }
        return previous[b.size()];
    }

} // namespace

YamlReader::YamlReader(const QString &displayPath)
    : m_displayPath(displayPath)
{ }

SourcePosition YamlReader::position(const YamlNode &node)
{
    return node.position();
}

SourcePosition YamlReader::position(const YamlNode &value, const YamlNode &key)
{
    if (!value.isDefined() || value.isNull() || !value.position().isValid())
        return position(key);
    return position(value);
}

QString YamlReader::text(const YamlNode &key)
{
    return key.isScalar() ? key.text() : QString();
}

QString YamlReader::kindName(const YamlNode &node)
{
    if (!node.isDefined() || node.isNull())
        return QCoreApplication::translate("Sluice::FlowFile", "nothing");
    if (node.isMap())
        return QCoreApplication::translate("Sluice::FlowFile", "a map");
    if (node.isSequence())
        return QCoreApplication::translate("Sluice::FlowFile", "a list");
    return QCoreApplication::translate("Sluice::FlowFile", "the text \"%1\"")
        .arg(node.text().left(40));
}

void YamlReader::error(const SourcePosition &position, const QString &message)
{
    m_diagnostics.append({ m_displayPath, std::max(position.line, 1), std::max(position.column, 1),
        Diagnostic::Severity::Error, message });
}

void YamlReader::warning(const SourcePosition &position, const QString &message)
{
    m_diagnostics.append({ m_displayPath, std::max(position.line, 1), std::max(position.column, 1),
        Diagnostic::Severity::Warning, message });
}

QString YamlReader::suggestion(const QString &word, const QStringList &candidates)
{
    const QString lower = word.toLower();
    QString best;
    int bestDistance = 0;
    for (const QString &candidate : candidates) {
        const int distance = editDistance(lower, candidate);
        if (best.isEmpty() || distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    if (best.isEmpty() || bestDistance > 3 || bestDistance >= best.size() / 2 + 1)
        return {};
    return best;
}

bool YamlReader::checkDuplicateKeys(const YamlNode &map)
{
    bool clean = true;
    QVarLengthArray<std::pair<QString, int>, 16> seen; // maps of a flow file are small
    for (const auto &entry : map.entries()) {
        const SourcePosition at = position(entry.first);
        if (!entry.first.isScalar()) {
            error(at,
                QCoreApplication::translate(
                    "Sluice::FlowFile", "a key must be a plain name, not %1")
                    .arg(kindName(entry.first)));
            clean = false;
            continue;
        }
        const QString key = entry.first.text();
        const auto found = std::find_if(
            seen.cbegin(), seen.cend(), [&](const auto &known) { return known.first == key; });
        if (found != seen.cend()) {
            error(at,
                QCoreApplication::translate(
                    "Sluice::FlowFile", "duplicate key `%1` (first at line %2)")
                    .arg(key)
                    .arg(found->second));
            clean = false;
            continue;
        }
        seen.append({ key, at.line });
    }
    return clean;
}

void YamlReader::checkKeys(const YamlNode &map, const QStringList &allowed, const QString &where)
{
    checkDuplicateKeys(map);
    for (const auto &it : map.entries()) {
        if (!it.first.isScalar())
            continue;
        const QString key = text(it.first);
        if (allowed.contains(key))
            continue;
        const SourcePosition at = position(it.first);
        const QString close = suggestion(key, allowed);
        if (!close.isEmpty())
            error(at,
                QCoreApplication::translate(
                    "Sluice::FlowFile", "unknown key `%1` in %2; did you mean `%3`?")
                    .arg(key, where, close));
        else
            error(at,
                QCoreApplication::translate(
                    "Sluice::FlowFile", "unknown key `%1` in %2; the keys are %3")
                    .arg(key, where, allowed.join(QStringLiteral(", "))));
    }
}

std::optional<PositionedText> YamlReader::scalar(
    const YamlNode &value, const YamlNode &key, const QString &name)
{
    if (!value.isScalar()) {
        error(position(value, key),
            QCoreApplication::translate("Sluice::FlowFile", "`%1` must be a text, not %2")
                .arg(name, kindName(value)));
        return std::nullopt;
    }
    return PositionedText{ value.text(), position(value) };
}

std::optional<bool> YamlReader::boolean(
    const YamlNode &value, const YamlNode &key, const QString &name)
{
    if (value.isScalar() && !isQuoted(value)) {
        const QString word = value.text().toLower();
        if (word == u"true")
            return true;
        if (word == u"false")
            return false;
    }
    error(position(value, key),
        QCoreApplication::translate("Sluice::FlowFile", "`%1` must be true or false, not %2")
            .arg(name, kindName(value)));
    return std::nullopt;
}

std::optional<qint64> YamlReader::integer(
    const YamlNode &value, const YamlNode &key, const QString &name, qint64 minimum, qint64 maximum)
{
    if (value.isScalar() && !isQuoted(value)) {
        bool ok = false;
        const qint64 number = value.text().toLongLong(&ok);
        if (ok && number >= minimum && number <= maximum)
            return number;
    }
    error(position(value, key),
        QCoreApplication::translate(
            "Sluice::FlowFile", "`%1` must be a whole number from %2 to %3, not %4")
            .arg(name)
            .arg(minimum)
            .arg(maximum)
            .arg(kindName(value)));
    return std::nullopt;
}

std::optional<qint64> YamlReader::parseDuration(const QString &rawText, bool allowZero)
{
    const QString text = rawText.trimmed();
    const QChar unit = text.isEmpty() ? QChar() : text.back();
    qint64 factor = 0;
    qsizetype unitLength = 1;
    if (text.endsWith(u"ms")) {
        factor = 1; // for tests and quick retries: `retry-delay: 10ms`
        unitLength = 2;
    } else if (unit == u's')
        factor = 1000;
    else if (unit == u'm')
        factor = 60 * 1000;
    else if (unit == u'h')
        factor = 3600 * 1000;
    else if (unit == u'd')
        factor = 86400 * 1000;
    const QStringView digits = QStringView(text).chopped(factor ? unitLength : 0);
    bool ok = factor > 0 && !digits.isEmpty()
        && std::all_of(digits.begin(), digits.end(), [](QChar c) { return c.isDigit(); });
    const qint64 number = ok ? digits.toLongLong(&ok) : 0;
    // At most a year: enough for any timeout, and far from overflowing milliseconds.
    if (ok && (number > 0 || allowZero) && number <= MaximumDurationMs / factor)
        return number * factor;
    return std::nullopt;
}

std::optional<qint64> YamlReader::duration(
    const YamlNode &value, const YamlNode &key, const QString &name, bool allowZero)
{
    if (value.isScalar()) {
        if (const std::optional<qint64> ms = parseDuration(value.text(), allowZero))
            return ms;
    }
    error(position(value, key),
        QCoreApplication::translate("Sluice::FlowFile",
            "`%1` must be a duration such as 90s, 5m, 2h or 1d (at most 366d), not %2")
            .arg(name, kindName(value)));
    return std::nullopt;
}

std::optional<QString> YamlReader::choice(
    const YamlNode &value, const YamlNode &key, const QString &name, const QStringList &choices)
{
    if (value.isScalar()) {
        const QString word = value.text();
        if (choices.contains(word))
            return word;
    }
    error(position(value, key),
        QCoreApplication::translate("Sluice::FlowFile", "`%1` must be one of %2, not %3")
            .arg(name, choices.join(QStringLiteral(", ")), kindName(value)));
    return std::nullopt;
}

QList<PositionedText> YamlReader::scalarList(
    const YamlNode &value, const YamlNode &key, const QString &name)
{
    QList<PositionedText> result;
    if (value.isScalar()) {
        result.append({ value.text(), position(value) });
        return result;
    }
    if (!value.isSequence()) {
        error(position(value, key),
            QCoreApplication::translate(
                "Sluice::FlowFile", "`%1` must be a text or a list of texts, not %2")
                .arg(name, kindName(value)));
        return result;
    }
    for (const YamlNode &item : value.items()) {
        if (item.isScalar())
            result.append({ item.text(), position(item) });
        else
            error(position(item, key),
                QCoreApplication::translate(
                    "Sluice::FlowFile", "each item of `%1` must be a text, not %2")
                    .arg(name, kindName(item)));
    }
    return result;
}

QList<std::pair<QString, PositionedText>> YamlReader::scalarMap(
    const YamlNode &value, const YamlNode &key, const QString &name)
{
    QList<std::pair<QString, PositionedText>> result;
    if (!value.isMap()) {
        error(position(value, key),
            QCoreApplication::translate(
                "Sluice::FlowFile", "`%1` must be a map of names to texts, not %2")
                .arg(name, kindName(value)));
        return result;
    }
    checkDuplicateKeys(value);
    for (const auto &it : value.entries()) {
        if (!it.first.isScalar())
            continue;
        const QString entry = text(it.first);
        if (it.second.isScalar())
            result.append({ entry, { it.second.text(), position(it.second) } });
        else
            error(position(it.second, it.first),
                QCoreApplication::translate("Sluice::FlowFile", "`%1.%2` must be a text, not %3")
                    .arg(name, entry, kindName(it.second)));
    }
    return result;
}

bool YamlReader::isName(const QString &text)
{
    if (text.isEmpty() || text.size() > 64
        || !(text.at(0).isLetter() && text.at(0).unicode() < 128))
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return c.unicode() < 128 && (c.isLetterOrNumber() || c == u'-' || c == u'_');
    });
}

std::optional<QString> YamlReader::sqlIdentifier(
    const YamlNode &value, const YamlNode &key, const QString &name)
{
    const std::optional<PositionedText> written = scalar(value, key, name);
    if (!written)
        return std::nullopt;
    if (!TableSpec::isIdentifier(written->value)) {
        error(written->position,
            QCoreApplication::translate("Sluice::FlowFile",
                "`%1` must be a table or column name (a letter or `_`, then letters, digits or "
                "`_`, at most 64), not \"%2\"")
                .arg(name, written->value));
        return std::nullopt;
    }
    return written->value;
}

QStringList YamlReader::sqlIdentifiers(
    const YamlNode &value, const YamlNode &key, const QString &name)
{
    QStringList result;
    for (const PositionedText &item : scalarList(value, key, name)) {
        if (TableSpec::isIdentifier(item.value))
            result << item.value;
        else
            error(item.position,
                QCoreApplication::translate("Sluice::FlowFile",
                    "`%1` must name columns (a letter or `_`, then letters, digits or `_`), not "
                    "\"%2\"")
                    .arg(name, item.value));
    }
    return result;
}

std::optional<QChar> YamlReader::character(
    const YamlNode &value, const YamlNode &key, const QString &name)
{
    const std::optional<PositionedText> written = scalar(value, key, name);
    if (!written)
        return std::nullopt;
    if (written->value == u"tab")
        return QLatin1Char('\t');
    if (written->value.size() == 1 && written->value.at(0) != u'"' && written->value.at(0) != u'\n'
        && written->value.at(0) != u'\r')
        return written->value.at(0);
    error(written->position,
        QCoreApplication::translate(
            "Sluice::FlowFile", "`%1` must be one character (or \"tab\"), not \"%2\"")
            .arg(name, written->value));
    return std::nullopt;
}

} // namespace Sluice
