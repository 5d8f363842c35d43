#include "editor/codeeditor.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QSet>
#include <QTextBlock>

namespace Sluice {

namespace {

    // The gutter: paints through its editor.
    class LineNumberArea : public QWidget
    {
    public:
        explicit LineNumberArea(CodeEditor *editor)
            : QWidget(editor)
            , m_editor(editor)
        { }
        QSize sizeHint() const override { return { m_editor->lineNumberAreaWidth(), 0 }; }

    protected:
        void paintEvent(QPaintEvent *event) override { m_editor->paintLineNumbers(event); }

    private:
        CodeEditor *m_editor;
    };

    // The character offset in text of a byte offset of its UTF-8 form (clamped).
    int characterOffset(const QString &text, int byteOffset)
    {
        if (byteOffset <= 0)
            return 0;
        int bytes = 0;
        for (int i = 0; i < text.size(); ++i) {
            if (bytes >= byteOffset)
                return i;
            const char16_t unit = text.at(i).unicode();
            if (QChar::isHighSurrogate(unit) && i + 1 < text.size()) {
                bytes += 4;
                ++i;
            } else {
                bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
            }
        }
        return text.size();
    }

    bool isTokenCharacter(QChar c)
    {
        return !c.isSpace() && c != u',' && c != u']' && c != u'}' && c != u'#';
    }

    QColor warningColour()
    {
        return QColor(0xd0, 0x8a, 0x00);
    }

} // namespace

CodeEditor::CodeEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_lineNumberArea(new LineNumberArea(this))
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * IndentWidth);
    connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeEditor::updateLineNumberAreaWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateLineNumberArea);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &CodeEditor::updateSelections);
    updateLineNumberAreaWidth();
    updateSelections();
}

int CodeEditor::lineNumberAreaWidth() const
{
    int digits = 1;
    for (int count = qMax(1, blockCount()); count >= 10; count /= 10)
        ++digits;
    digits = qMax(digits, 3);
    return 8 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits + 8;
}

void CodeEditor::updateLineNumberAreaWidth()
{
    setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

void CodeEditor::updateLineNumberArea(const QRect &rect, int dy)
{
    if (dy != 0)
        m_lineNumberArea->scroll(0, dy);
    else
        m_lineNumberArea->update(0, rect.y(), m_lineNumberArea->width(), rect.height());
    if (rect.contains(viewport()->rect()))
        updateLineNumberAreaWidth();
}

void CodeEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect area = contentsRect();
    m_lineNumberArea->setGeometry(
        QRect(area.left(), area.top(), lineNumberAreaWidth(), area.height()));
}

void CodeEditor::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        updateLineNumberAreaWidth();
        updateSelections();
    }
}

void CodeEditor::paintLineNumbers(QPaintEvent *event)
{
    QPainter painter(m_lineNumberArea);
    const QPalette colours = palette();
    painter.fillRect(event->rect(), colours.color(QPalette::AlternateBase));
    QSet<int> errorLines;
    QSet<int> warningLines;
    for (const QTextEdit::ExtraSelection &underline : m_underlines) {
        const int line = underline.cursor.blockNumber();
        if (underline.format.underlineColor() == warningColour())
            warningLines.insert(line);
        else
            errorLines.insert(line);
    }
    const int current = textCursor().blockNumber();
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    int bottom = top + qRound(blockBoundingRect(block).height());
    const int width = m_lineNumberArea->width() - 8;
    while (block.isValid() && top <= event->rect().bottom()) {
        if (block.isVisible() && bottom >= event->rect().top()) {
            const int number = block.blockNumber();
            QColor colour = colours.color(QPalette::PlaceholderText);
            if (errorLines.contains(number))
                colour = Qt::red;
            else if (warningLines.contains(number))
                colour = warningColour();
            else if (number == current)
                colour = colours.color(QPalette::Text);
            painter.setPen(colour);
            painter.drawText(
                0, top, width, fontMetrics().height(), Qt::AlignRight, QString::number(number + 1));
        }
        block = block.next();
        top = bottom;
        bottom = top + qRound(blockBoundingRect(block).height());
    }
}

void CodeEditor::keyPressEvent(QKeyEvent *event)
{
    const Qt::KeyboardModifiers modifiers =
        event->modifiers() & ~(Qt::KeypadModifier | Qt::ShiftModifier);
    if (event->key() == Qt::Key_Tab && modifiers == Qt::NoModifier && !isReadOnly()) {
        QTextCursor cursor = textCursor();
        const int column = cursor.positionInBlock();
        cursor.insertText(QString(IndentWidth - column % IndentWidth, u' '));
        setTextCursor(cursor);
        return;
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
        && modifiers == Qt::NoModifier && !isReadOnly()) {
        QTextCursor cursor = textCursor();
        const QString line = cursor.block().text();
        int indent = 0;
        while (indent < line.size() && line.at(indent) == u' ')
            ++indent;
        // After a list item's first line ("  - id: a"), the next key lines up under its text.
        if (line.mid(indent).startsWith(QLatin1String("- "))
            && cursor.positionInBlock() > indent + 2)
            indent += 2;
        indent = qMin(indent, cursor.positionInBlock());
        cursor.beginEditBlock();
        cursor.insertText(u'\n' + QString(indent, u' '));
        cursor.endEditBlock();
        setTextCursor(cursor);
        ensureCursorVisible();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

QTextCursor CodeEditor::tokenCursor(int line, int column) const
{
    const QTextBlock block =
        document()->findBlockByNumber(qBound(0, line - 1, qMax(0, document()->blockCount() - 1)));
    QTextCursor cursor(block);
    const QString text = block.text();
    int start = characterOffset(text, column - 1);
    if (start == text.size() && start > 0 && column > 1)
        --start; // past the end of the line: its last character
    int end = start;
    if (text.mid(start, 2) == QLatin1String("${")) {
        // A variable: to its closing brace.
        end = text.indexOf(u'}', start);
        end = end < 0 ? text.size() : end + 1;
    } else if (start < text.size() && (text.at(start) == u'"' || text.at(start) == u'\'')) {
        // A quoted text: to its closing quote.
        end = text.indexOf(text.at(start), start + 1);
        end = end < 0 ? text.size() : end + 1;
    } else {
        while (end < text.size() && isTokenCharacter(text.at(end)))
            ++end;
    }
    if (end == start)
        end = qMin(start + 1, text.size());
    cursor.setPosition(block.position() + start);
    cursor.setPosition(block.position() + end, QTextCursor::KeepAnchor);
    return cursor;
}

void CodeEditor::setDiagnostics(const QList<Diagnostic> &diagnostics)
{
    m_underlines.clear();
    for (const Diagnostic &diagnostic : diagnostics) {
        if (diagnostic.line < 1 || diagnostic.line > document()->blockCount())
            continue;
        QTextEdit::ExtraSelection underline;
        underline.cursor = tokenCursor(diagnostic.line, diagnostic.column);
        if (!underline.cursor.hasSelection()) {
            // An empty line: underline the line break's place so the line is still marked.
            underline.format.setProperty(QTextFormat::FullWidthSelection, true);
        }
        underline.format.setUnderlineStyle(QTextCharFormat::SpellCheckUnderline);
        underline.format.setUnderlineColor(
            diagnostic.isError() ? QColor(Qt::red) : warningColour());
        underline.format.setToolTip(diagnostic.message);
        m_underlines << underline;
    }
    updateSelections();
    m_lineNumberArea->update();
}

void CodeEditor::updateSelections()
{
    QList<QTextEdit::ExtraSelection> selections;
    if (!isReadOnly()) {
        QTextEdit::ExtraSelection current;
        QColor colour = palette().color(QPalette::Highlight);
        colour.setAlpha(28);
        current.format.setBackground(colour);
        current.format.setProperty(QTextFormat::FullWidthSelection, true);
        current.cursor = textCursor();
        current.cursor.clearSelection();
        selections << current;
    }
    selections << m_underlines;
    setExtraSelections(selections);
    m_lineNumberArea->update();
}

void CodeEditor::goTo(int line, int column)
{
    QTextCursor cursor = tokenCursor(line, column);
    cursor.setPosition(cursor.anchor());
    setTextCursor(cursor);
    centerCursor();
}

QPair<int, int> CodeEditor::cursorLineColumn() const
{
    const QTextCursor cursor = textCursor();
    const QString before = cursor.block().text().left(cursor.positionInBlock());
    return { cursor.blockNumber() + 1, int(before.toUtf8().size()) + 1 };
}

} // namespace Sluice
