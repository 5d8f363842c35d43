#include "flowfile/yamlreader.h"

#include <algorithm>

#include <QCoreApplication>
#include <QHash>

namespace Sluice {

namespace {

    QString tr(const char *text)
    {
        return QCoreApplication::translate("Sluice::FlowFile", text);
    }

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

YamlReader::YamlReader(const QByteArray &source, const QString &displayPath)
    : m_source(source)
    , m_displayPath(displayPath)
{ }

SourcePosition YamlReader::position(const YAML::Node &node)
{
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0)
        return {};
    return { mark.line + 1, mark.column + 1 };
}

SourcePosition YamlReader::position(const YAML::Node &value, const YAML::Node &key)
{
    if (!value.IsDefined() || value.IsNull() || value.Mark().line < 0)
        return position(key);
    return position(value);
}

QString YamlReader::text(const YAML::Node &key)
{
    return key.IsScalar() ? QString::fromStdString(key.Scalar()) : QString();
}

bool YamlReader::isQuoted(const YAML::Node &scalar) const
{
    const int pos = scalar.Mark().pos;
    if (!scalar.IsScalar() || pos < 0 || pos >= m_source.size())
        return false;
    const char c = m_source.at(pos);
    return c == '"' || c == '\'';
}

QString YamlReader::kindName(const YAML::Node &node)
{
    if (!node.IsDefined() || node.IsNull())
        return tr("nothing");
    if (node.IsMap())
        return tr("a map");
    if (node.IsSequence())
        return tr("a list");
    return tr("the text \"%1\"").arg(QString::fromStdString(node.Scalar()).left(40));
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

bool YamlReader::checkDuplicateKeys(const YAML::Node &map)
{
    bool clean = true;
    QHash<QString, int> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const SourcePosition at = position(it->first);
        if (!it->first.IsScalar()) {
            error(at, tr("a key must be a plain name, not %1").arg(kindName(it->first)));
            clean = false;
            continue;
        }
        const QString key = text(it->first);
        if (const auto found = seen.constFind(key); found != seen.cend()) {
            error(at, tr("duplicate key `%1` (first at line %2)").arg(key).arg(*found));
            clean = false;
            continue;
        }
        seen.insert(key, at.line);
    }
    return clean;
}

void YamlReader::checkKeys(const YAML::Node &map, const QStringList &allowed, const QString &where)
{
    checkDuplicateKeys(map);
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it->first.IsScalar())
            continue;
        const QString key = text(it->first);
        if (allowed.contains(key))
            continue;
        const SourcePosition at = position(it->first);
        const QString close = suggestion(key, allowed);
        if (!close.isEmpty())
            error(at, tr("unknown key `%1` in %2; did you mean `%3`?").arg(key, where, close));
        else
            error(at,
                tr("unknown key `%1` in %2; the keys are %3")
                    .arg(key, where, allowed.join(QStringLiteral(", "))));
    }
}

std::optional<PositionedText> YamlReader::scalar(
    const YAML::Node &value, const YAML::Node &key, const QString &name)
{
    if (!value.IsScalar()) {
        error(position(value, key), tr("`%1` must be a text, not %2").arg(name, kindName(value)));
        return std::nullopt;
    }
    return PositionedText{ QString::fromStdString(value.Scalar()), position(value) };
}

std::optional<bool> YamlReader::boolean(
    const YAML::Node &value, const YAML::Node &key, const QString &name)
{
    if (value.IsScalar() && !isQuoted(value)) {
        const QString word = QString::fromStdString(value.Scalar()).toLower();
        if (word == u"true")
            return true;
        if (word == u"false")
            return false;
    }
    error(
        position(value, key), tr("`%1` must be true or false, not %2").arg(name, kindName(value)));
    return std::nullopt;
}

std::optional<qint64> YamlReader::integer(const YAML::Node &value, const YAML::Node &key,
    const QString &name, qint64 minimum, qint64 maximum)
{
    if (value.IsScalar() && !isQuoted(value)) {
        bool ok = false;
        const qint64 number = QString::fromStdString(value.Scalar()).toLongLong(&ok);
        if (ok && number >= minimum && number <= maximum)
            return number;
    }
    error(position(value, key),
        tr("`%1` must be a whole number from %2 to %3, not %4")
            .arg(name)
            .arg(minimum)
            .arg(maximum)
            .arg(kindName(value)));
    return std::nullopt;
}

std::optional<qint64> YamlReader::duration(
    const YAML::Node &value, const YAML::Node &key, const QString &name, bool allowZero)
{
    if (value.IsScalar()) {
        const QString text = QString::fromStdString(value.Scalar()).trimmed();
        const QChar unit = text.isEmpty() ? QChar() : text.back();
        qint64 factor = 0;
        if (unit == u's')
            factor = 1000;
        else if (unit == u'm')
            factor = 60 * 1000;
        else if (unit == u'h')
            factor = 3600 * 1000;
        else if (unit == u'd')
            factor = 86400 * 1000;
        const QStringView digits = QStringView(text).chopped(factor ? 1 : 0);
        bool ok = factor > 0 && !digits.isEmpty()
            && std::all_of(digits.begin(), digits.end(), [](QChar c) { return c.isDigit(); });
        const qint64 number = ok ? digits.toLongLong(&ok) : 0;
        // At most a year: enough for any timeout, and far from overflowing milliseconds.
        if (ok && (number > 0 || allowZero) && number * factor <= 366LL * 86400 * 1000)
            return number * factor;
    }
    error(position(value, key),
        tr("`%1` must be a duration such as 90s, 5m, 2h or 1d (at most 366d), not %2")
            .arg(name, kindName(value)));
    return std::nullopt;
}

std::optional<QString> YamlReader::choice(
    const YAML::Node &value, const YAML::Node &key, const QString &name, const QStringList &choices)
{
    if (value.IsScalar()) {
        const QString word = QString::fromStdString(value.Scalar());
        if (choices.contains(word))
            return word;
    }
    error(position(value, key),
        tr("`%1` must be one of %2, not %3")
            .arg(name, choices.join(QStringLiteral(", ")), kindName(value)));
    return std::nullopt;
}

QList<PositionedText> YamlReader::scalarList(
    const YAML::Node &value, const YAML::Node &key, const QString &name)
{
    QList<PositionedText> result;
    if (value.IsScalar()) {
        result.append({ QString::fromStdString(value.Scalar()), position(value) });
        return result;
    }
    if (!value.IsSequence()) {
        error(position(value, key),
            tr("`%1` must be a text or a list of texts, not %2").arg(name, kindName(value)));
        return result;
    }
    for (const YAML::Node &item : value) {
        if (item.IsScalar())
            result.append({ QString::fromStdString(item.Scalar()), position(item) });
        else
            error(position(item, key),
                tr("each item of `%1` must be a text, not %2").arg(name, kindName(item)));
    }
    return result;
}

QList<std::pair<QString, PositionedText>> YamlReader::scalarMap(
    const YAML::Node &value, const YAML::Node &key, const QString &name)
{
    QList<std::pair<QString, PositionedText>> result;
    if (!value.IsMap()) {
        error(position(value, key),
            tr("`%1` must be a map of names to texts, not %2").arg(name, kindName(value)));
        return result;
    }
    checkDuplicateKeys(value);
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (!it->first.IsScalar())
            continue;
        const QString entry = text(it->first);
        if (it->second.IsScalar())
            result.append(
                { entry, { QString::fromStdString(it->second.Scalar()), position(it->second) } });
        else
            error(position(it->second, it->first),
                tr("`%1.%2` must be a text, not %3").arg(name, entry, kindName(it->second)));
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

bool YamlReader::isSqlIdentifier(const QString &text)
{
    if (text.isEmpty() || text.size() > 64 || text.at(0).isDigit())
        return false;
    return std::all_of(text.begin(), text.end(),
        [](QChar c) { return c.unicode() < 128 && (c.isLetterOrNumber() || c == u'_'); });
}

std::optional<QString> YamlReader::sqlIdentifier(
    const YAML::Node &value, const YAML::Node &key, const QString &name)
{
    const std::optional<PositionedText> written = scalar(value, key, name);
    if (!written)
        return std::nullopt;
    if (!isSqlIdentifier(written->value)) {
        error(written->position,
            tr("`%1` must be a table or column name (a letter or `_`, then letters, digits or "
               "`_`, at most 64), not \"%2\"")
                .arg(name, written->value));
        return std::nullopt;
    }
    return written->value;
}

QStringList YamlReader::sqlIdentifiers(
    const YAML::Node &value, const YAML::Node &key, const QString &name)
{
    QStringList result;
    for (const PositionedText &item : scalarList(value, key, name)) {
        if (isSqlIdentifier(item.value))
            result << item.value;
        else
            error(item.position,
                tr("`%1` must name columns (a letter or `_`, then letters, digits or `_`), not "
                   "\"%2\"")
                    .arg(name, item.value));
    }
    return result;
}

std::optional<QChar> YamlReader::character(
    const YAML::Node &value, const YAML::Node &key, const QString &name)
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
        tr("`%1` must be one character (or \"tab\"), not \"%2\"").arg(name, written->value));
    return std::nullopt;
}

void YamlReader::reportUnterminatedQuotes(const YAML::Node &node)
{
    if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            reportUnterminatedQuotes(it->first);
            reportUnterminatedQuotes(it->second);
        }
        return;
    }
    if (node.IsSequence()) {
        for (const YAML::Node &item : node)
            reportUnterminatedQuotes(item);
        return;
    }
    if (!isQuoted(node))
        return;
    const qsizetype start = node.Mark().pos;
    const char quote = m_source.at(start);
    for (qsizetype i = start + 1; i < m_source.size(); ++i) {
        const char c = m_source.at(i);
        if (quote == '"' && c == '\\') {
            ++i;
        } else if (c == quote) {
            if (quote == '\'' && i + 1 < m_source.size() && m_source.at(i + 1) == '\'')
                ++i;
            else
                return;
        }
    }
    error(position(node),
        tr("unterminated quoted text: the closing %1 is missing").arg(QLatin1Char(quote)));
}

} // namespace Sluice
