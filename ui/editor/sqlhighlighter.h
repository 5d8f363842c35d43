#pragma once

// Colours the SQL of the SQL tab: keywords, strings ('text'), numbers and comments (`--` to the
// end of the line, `/* */` across lines). Colours follow the palette (light or dark) given.
// GUI thread.

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace Sluice {

class SqlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    enum class Role { Keyword, String, Number, Comment };

    explicit SqlHighlighter(QTextDocument *document);

    // Chooses colours that read on this palette's base colour, and highlights again.
    void setPalette(const QPalette &palette);
    QTextCharFormat format(Role role) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_formats[4];
    QRegularExpression m_word;
};

} // namespace Sluice
