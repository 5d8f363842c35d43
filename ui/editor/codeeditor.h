#pragma once

// A plain-text editor for YAML flow files: line numbers in a gutter, the current line
// highlighted, a fixed-width font, Tab inserting two spaces, Enter keeping the indentation, and
// wavy underlines under the problems of the last check. GUI thread.

#include <QList>
#include <QPlainTextEdit>

#include "flowfile/diagnostic.h"

namespace Sluice {

class CodeEditor : public QPlainTextEdit
{
    Q_OBJECT

public:
    static constexpr int IndentWidth = 2; // YAML: spaces only

    explicit CodeEditor(QWidget *parent = nullptr);

    // Underlines each diagnostic at its line and column (1-based; the column counts bytes of
    // the line in UTF-8, as the checker reports), to the end of the token there, or one
    // character. Replaces the previous ones.
    void setDiagnostics(const QList<Diagnostic> &diagnostics);
    // The underlines shown, for tests: one per diagnostic that fits the text.
    QList<QTextEdit::ExtraSelection> diagnosticSelections() const { return m_underlines; }

    // Puts the cursor at line and column (1-based, the column in UTF-8 bytes as above),
    // clamped to the text, and makes it visible.
    void goTo(int line, int column);
    // The cursor's (line, column) in the same units, 1-based.
    QPair<int, int> cursorLineColumn() const;
    // A cursor over the characters a diagnostic at line:column points at.
    QTextCursor tokenCursor(int line, int column) const;

    // For the gutter.
    int lineNumberAreaWidth() const;
    void paintLineNumbers(QPaintEvent *event);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateLineNumberAreaWidth();
    void updateLineNumberArea(const QRect &rect, int dy);
    void updateSelections();

    QWidget *m_lineNumberArea;
    QList<QTextEdit::ExtraSelection> m_underlines;
};

} // namespace Sluice
