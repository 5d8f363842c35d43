#pragma once

// Colours the YAML of a flow file: keys, quoted strings, comments, numbers and booleans,
// `${...}` variables, list dashes, and block scalars (`|`, `>` and their indented body, one
// string colour). Colours follow the palette (light or dark) given. GUI thread.

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace Sluice {

class YamlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    enum class Role { Key, String, Comment, Number, Variable, Dash };

    explicit YamlHighlighter(QTextDocument *document);

    // Chooses colours that read on this palette's base colour, and highlights again.
    void setPalette(const QPalette &palette);
    QTextCharFormat format(Role role) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    void highlightPlain(const QString &text, int start, int end);
    void highlightVariables(const QString &text, int start, int end);

    QTextCharFormat m_formats[6];
    QRegularExpression m_literal;
    QRegularExpression m_variable;
};

} // namespace Sluice
