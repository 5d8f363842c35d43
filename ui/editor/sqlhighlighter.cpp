#include "editor/sqlhighlighter.h"

#include <QGuiApplication>
#include <QPalette>
#include <QSet>

namespace Sluice {

namespace {

    // Block states: NoState, or inside a /* comment */ that goes on to the next line.
    constexpr int NoState = -1;
    constexpr int InComment = 1;

    const QSet<QString> &keywords()
    {
        static const QSet<QString> words = [] {
            QSet<QString> set;
            for (const char *word : { "ABORT", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS",
                     "ASC", "ATTACH", "BEGIN", "BETWEEN", "BY", "CASE", "CAST", "COLLATE", "COMMIT",
                     "CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME",
                     "CURRENT_TIMESTAMP", "DELETE", "DESC", "DETACH", "DISTINCT", "DROP", "ELSE",
                     "END", "ESCAPE", "EXCEPT", "EXISTS", "EXPLAIN", "FALSE", "FILTER", "FIRST",
                     "FOLLOWING", "FROM", "FULL", "GLOB", "GROUP", "GROUPS", "HAVING", "IF", "IN",
                     "INDEX", "INDEXED", "INNER", "INSERT", "INTERSECT", "INTO", "IS", "ISNULL",
                     "JOIN", "KEY", "LAST", "LEFT", "LIKE", "LIMIT", "MATCH", "MATERIALIZED",
                     "NATURAL", "NOT", "NOTNULL", "NULL", "NULLS", "OF", "OFFSET", "ON", "OR",
                     "ORDER", "OUTER", "OVER", "PARTITION", "PRAGMA", "PRECEDING", "PRIMARY",
                     "QUERY", "RANGE", "RECURSIVE", "REGEXP", "REPLACE", "RETURNING", "RIGHT",
                     "ROLLBACK", "ROW", "ROWID", "ROWS", "SELECT", "SET", "TABLE", "THEN", "TRUE",
                     "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES", "VIEW", "WHEN",
                     "WHERE", "WINDOW", "WITH", "WITHOUT" })
                set.insert(QLatin1String(word));
            return set;
        }();
        return words;
    }

} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
    , m_word(QStringLiteral("[A-Za-z_][A-Za-z0-9_$]*|[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|"
                            "\\.[0-9]+(?:[eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F]+"))
{
    setPalette(QGuiApplication::palette());
}

void SqlHighlighter::setPalette(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    auto colour = [dark](const char *light, const char *onDark) {
        return QColor(QString::fromLatin1(dark ? onDark : light));
    };
    for (QTextCharFormat &format : m_formats)
        format = QTextCharFormat();
    m_formats[int(Role::Keyword)].setForeground(colour("#1a56a8", "#79b8ff"));
    m_formats[int(Role::Keyword)].setFontWeight(QFont::Bold);
    m_formats[int(Role::String)].setForeground(colour("#2d7a2d", "#a5d6a7"));
    m_formats[int(Role::Number)].setForeground(colour("#b04a00", "#ffab70"));
    m_formats[int(Role::Comment)].setForeground(colour("#6e7781", "#8b949e"));
    m_formats[int(Role::Comment)].setFontItalic(true);
    rehighlight();
}

QTextCharFormat SqlHighlighter::format(Role role) const
{
    return m_formats[int(role)];
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    setCurrentBlockState(NoState);
    int i = 0;
    if (previousBlockState() == InComment) {
        const int close = text.indexOf(QLatin1String("*/"));
        const int end = close < 0 ? int(text.size()) : close + 2;
        setFormat(0, end, m_formats[int(Role::Comment)]);
        if (close < 0) {
            setCurrentBlockState(InComment);
            return;
        }
        i = end;
    }
    const int size = int(text.size());
    while (i < size) {
        const QChar c = text.at(i);
        if (c == u'-' && text.mid(i, 2) == QLatin1String("--")) {
            setFormat(i, size - i, m_formats[int(Role::Comment)]);
            return;
        }
        if (c == u'/' && text.mid(i, 2) == QLatin1String("/*")) {
            const int close = text.indexOf(QLatin1String("*/"), i + 2);
            const int end = close < 0 ? size : close + 2;
            setFormat(i, end - i, m_formats[int(Role::Comment)]);
            if (close < 0) {
                setCurrentBlockState(InComment);
                return;
            }
            i = end;
            continue;
        }
        if (c == u'\'' || c == u'"' || c == u'`' || c == u'[') {
            // A string, or a quoted name (not coloured, but its words are no keywords).
            const QChar quote = c == u'[' ? QChar(u']') : c;
            int end = i + 1;
            while (end < size) {
                if (text.at(end) == quote) {
                    if (quote != u']' && end + 1 < size && text.at(end + 1) == quote) {
                        end += 2; // a doubled quote stands for itself
                        continue;
                    }
                    ++end;
                    break;
                }
                ++end;
            }
            if (c == u'\'')
                setFormat(i, end - i, m_formats[int(Role::String)]);
            i = end;
            continue;
        }
        const QRegularExpressionMatch word = m_word.match(text, i, QRegularExpression::NormalMatch,
            QRegularExpression::AnchorAtOffsetMatchOption);
        if (word.hasMatch()) {
            const QString token = word.captured();
            if (token.at(0).isDigit() || token.at(0) == u'.')
                setFormat(i, int(token.size()), m_formats[int(Role::Number)]);
            else if (keywords().contains(token.toUpper()))
                setFormat(i, int(token.size()), m_formats[int(Role::Keyword)]);
            i += int(token.size());
            continue;
        }
        ++i;
    }
}

} // namespace Sluice
