#include "editor/yamlhighlighter.h"

#include <QGuiApplication>
#include <QPalette>

namespace Sluice {

namespace {

    // Block states: NoState, or inside a block scalar whose parent key is at column state - 1.
    constexpr int NoState = -1;

    int indentOf(const QString &text)
    {
        int indent = 0;
        while (indent < text.size() && text.at(indent) == u' ')
            ++indent;
        return indent;
    }

    bool isBlank(const QString &text)
    {
        return indentOf(text) == text.size();
    }

    // Whether what follows a `:` at position opens a block scalar: `|`, `>`, `|-`, `>+2`, with
    // at most a comment after it.
    bool opensBlockScalar(const QString &text, int position)
    {
        static const QRegularExpression indicator(QStringLiteral("^\\s*[|>][-+0-9]*\\s*(#.*)?$"));
        return indicator.match(QStringView(text).mid(position)).hasMatch();
    }

} // namespace

YamlHighlighter::YamlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
    , m_literal(QStringLiteral(
          "^(?:[-+]?[0-9][0-9_]*(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|true|false|"
          "True|False|TRUE|FALSE|yes|no|null|Null|NULL|~|[0-9]+[smhd])$"))
    , m_variable(QStringLiteral("\\$\\{[^}\\n]*\\}?"))
{
    setPalette(QGuiApplication::palette());
}

void YamlHighlighter::setPalette(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    auto colour = [dark](const char *light, const char *onDark) {
        return QColor(QString::fromLatin1(dark ? onDark : light));
    };
    for (QTextCharFormat &format : m_formats)
        format = QTextCharFormat();
    m_formats[int(Role::Key)].setForeground(colour("#1a56a8", "#79b8ff"));
    m_formats[int(Role::String)].setForeground(colour("#2d7a2d", "#a5d6a7"));
    m_formats[int(Role::Comment)].setForeground(colour("#6e7781", "#8b949e"));
    m_formats[int(Role::Comment)].setFontItalic(true);
    m_formats[int(Role::Number)].setForeground(colour("#b04a00", "#ffab70"));
    m_formats[int(Role::Variable)].setForeground(colour("#8a2be2", "#d2a8ff"));
    m_formats[int(Role::Variable)].setFontWeight(QFont::Bold);
    m_formats[int(Role::Dash)].setForeground(colour("#b04a00", "#ffab70"));
    m_formats[int(Role::Dash)].setFontWeight(QFont::Bold);
    rehighlight();
}

QTextCharFormat YamlHighlighter::format(Role role) const
{
    return m_formats[int(role)];
}

void YamlHighlighter::highlightBlock(const QString &text)
{
    const int previous = previousBlockState();
    if (previous != NoState && previous > 0) {
        // Inside a block scalar: blank lines and lines indented past the parent key belong to
        // it.
        if (isBlank(text) || indentOf(text) > previous - 1) {
            setFormat(0, text.size(), m_formats[int(Role::String)]);
            highlightVariables(text, 0, text.size());
            setCurrentBlockState(previous);
            return;
        }
    }
    setCurrentBlockState(NoState);

    int position = indentOf(text);
    // List dashes, possibly several ("- - a").
    while (position < text.size() && text.at(position) == u'-'
        && (position + 1 == text.size() || text.at(position + 1) == u' ')) {
        setFormat(position, 1, m_formats[int(Role::Dash)]);
        position = indentOf(text.mid(position + 1)) + position + 1;
    }
    const int keyColumn = position;
    if (text.mid(position).startsWith(QLatin1String("---"))
        || text.mid(position).startsWith(QLatin1String("..."))) {
        setFormat(position, 3, m_formats[int(Role::Dash)]);
        position += 3;
    }
    // A value that is itself a block scalar after a dash: "- |".
    if (position > 0 && opensBlockScalar(text, position) && position < text.size()
        && (text.at(position) == u'|' || text.at(position) == u'>')) {
        setFormat(position, text.size() - position, m_formats[int(Role::String)]);
        setCurrentBlockState(keyColumn);
        return;
    }
    highlightPlain(text, position, text.size());
    // A key whose value is a block scalar.
    static const QRegularExpression blockKey(
        QStringLiteral("^\\s*(?:-\\s+)*[^#\\s][^#]*?:\\s*[|>][-+0-9]*\\s*(#.*)?$"));
    if (blockKey.match(text).hasMatch())
        setCurrentBlockState(keyColumn + 1);
}

// Tokens of one line from start: comments, quoted strings, flow punctuation, keys and plain
// scalars.
void YamlHighlighter::highlightPlain(const QString &text, int start, int end)
{
    int position = start;
    int flowDepth = 0;
    while (position < end) {
        const QChar c = text.at(position);
        if (c.isSpace()) {
            ++position;
            continue;
        }
        if (c == u'#' && (position == 0 || text.at(position - 1).isSpace())) {
            setFormat(position, end - position, m_formats[int(Role::Comment)]);
            return;
        }
        if (c == u'"' || c == u'\'') {
            int close = position + 1;
            while (close < end) {
                if (c == u'"' && text.at(close) == u'\\') {
                    close += 2;
                    continue;
                }
                if (text.at(close) == c) {
                    if (c == u'\'' && close + 1 < end && text.at(close + 1) == u'\'') {
                        close += 2;
                        continue;
                    }
                    break;
                }
                ++close;
            }
            const int length = qMin(close + 1, end) - position;
            // A quoted key: "a b": value.
            int after = position + length;
            while (after < end && text.at(after) == u' ')
                ++after;
            const bool isKey = after < end && text.at(after) == u':'
                && (after + 1 == end || text.at(after + 1).isSpace());
            setFormat(position, length, m_formats[int(isKey ? Role::Key : Role::String)]);
            if (!isKey)
                highlightVariables(text, position, position + length);
            position += length;
            continue;
        }
        if (c == u'{' || c == u'[') {
            ++flowDepth;
            ++position;
            continue;
        }
        if (c == u'}' || c == u']') {
            flowDepth = qMax(0, flowDepth - 1);
            ++position;
            continue;
        }
        if (c == u',' && flowDepth > 0) {
            ++position;
            continue;
        }
        if (c == u'-' && position + 1 < end && text.at(position + 1) == u' ' && flowDepth == 0) {
            setFormat(position, 1, m_formats[int(Role::Dash)]);
            ++position;
            continue;
        }
        // A plain scalar, up to `: `, ` #`, or in a flow collection `,`, `]`, `}`.
        int stop = position;
        bool isKey = false;
        while (stop < end) {
            const QChar d = text.at(stop);
            if (d == u':' && (stop + 1 == end || text.at(stop + 1).isSpace())) {
                isKey = true;
                break;
            }
            if (d == u'#' && text.at(stop - 1).isSpace())
                break;
            if (flowDepth > 0 && (d == u',' || d == u']' || d == u'}'))
                break;
            ++stop;
        }
        int length = stop - position;
        while (length > 0 && text.at(position + length - 1).isSpace())
            --length;
        if (isKey) {
            setFormat(position, length, m_formats[int(Role::Key)]);
            position = stop + 1;
            if (opensBlockScalar(text, position)) {
                setFormat(position, end - position, m_formats[int(Role::String)]);
                const int hash = text.indexOf(QLatin1String(" #"), position);
                if (hash >= 0)
                    setFormat(hash + 1, end - hash - 1, m_formats[int(Role::Comment)]);
                return;
            }
            continue;
        }
        const QString word = text.mid(position, length);
        if (m_literal.match(word).hasMatch())
            setFormat(position, length, m_formats[int(Role::Number)]);
        else
            highlightVariables(text, position, position + length);
        position = stop;
    }
}

void YamlHighlighter::highlightVariables(const QString &text, int start, int end)
{
    QRegularExpressionMatchIterator matches =
        m_variable.globalMatch(QStringView(text).left(end), start);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        setFormat(match.capturedStart(), match.capturedLength(), m_formats[int(Role::Variable)]);
    }
}

} // namespace Sluice
