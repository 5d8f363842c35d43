// The flow editor pane driven offscreen as a user would: a flow made from a template, an error
// typed and seen underlined and listed at its line and column, fixed, saved; the file changed,
// deleted or replaced on disk while edited; Save refusing a FIFO; Revert; the highlighter and
// the keys of the code editor.

#include <sys/stat.h>

#include <QCheckBox>
#include <QFile>
#include <QFocusEvent>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextLayout>
#include <QTreeWidget>
#include <QtTest>

#include "editor/codeeditor.h"
#include "editor/comparedialog.h"
#include "editor/diskchangebar.h"
#include "editor/floweditor.h"
#include "editor/yamlhighlighter.h"
#include "flowfile/flowfilewriter.h"
#include "flowfile/flowtemplates.h"
#include "guitestenvironment.h"

using namespace Sluice;

class TestFlowEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void templateErrorListedAndFixed();
    void saveWritesTheBytes();
    void saveWithErrorsAsksFirst();
    void ownSaveShowsNoBar();
    void modifiedBufferSurvivesOutsideChange();
    void unmodifiedBufferReloadsOutsideChange();
    void deletedFileIsToldAndSaveRecreatesIt();
    void savingAFifoIsRefused();
    void saveFollowsASymlink();
    void revertGoesBackToDisk();
    void maybeCloseAsks();
    void problemActivationMovesTheCursor();
    void tabAndEnterIndent();
    void highlighterColoursYaml();

private:
    QString flowsDir() const { return m_dir->filePath(QStringLiteral("flows")); }
    QString openTemplate(const QString &name = QStringLiteral("mine"));
    void typeAt(int line, const QString &text); // at the end of line (1-based)
    static void type(QWidget *widget, const QString &text);
    static QByteArray readFile(const QString &path);
    static void writeOutside(const QString &path, const QByteArray &bytes);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FlowEditor> m_editor;
};

void TestFlowEditor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_editor = std::make_unique<FlowEditor>();
    m_editor->setBuiltinNames({ QStringLiteral("demo") });
    m_editor->setCheckDelay(10);
    m_editor->resize(900, 700);
    m_editor->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
    m_editor->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_editor.get()));
}

void TestFlowEditor::cleanup()
{
    m_editor.reset();
    m_dir.reset();
}

QString TestFlowEditor::openTemplate(const QString &name)
{
    const Result<QString> path = m_editor->openNew(m_dir->path(), name, QStringLiteral("shell"));
    if (!path)
        return {};
    return *path;
}

void TestFlowEditor::typeAt(int line, const QString &text)
{
    CodeEditor *editor = m_editor->editor();
    QTextCursor cursor(editor->document()->findBlockByNumber(line - 1));
    cursor.movePosition(QTextCursor::EndOfBlock);
    editor->setTextCursor(cursor);
    editor->setFocus();
    type(editor, text);
}

// As keys typed: Return for a line break, a key event with its text for any other character
// (QTest::keyClicks takes ASCII only).
void TestFlowEditor::type(QWidget *widget, const QString &text)
{
    for (const QChar c : text) {
        if (c == u'\n') {
            QTest::keyClick(widget, Qt::Key_Return);
        } else if (c.unicode() < 0x80) {
            QTest::keyClick(widget, char(c.unicode()));
        } else {
            QKeyEvent press(QEvent::KeyPress, Qt::Key_unknown, Qt::NoModifier, QString(c));
            QKeyEvent release(QEvent::KeyRelease, Qt::Key_unknown, Qt::NoModifier, QString(c));
            QCoreApplication::sendEvent(widget, &press);
            QCoreApplication::sendEvent(widget, &release);
        }
    }
}

QByteArray TestFlowEditor::readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// As another editor saves: a new file renamed over the old one.
void TestFlowEditor::writeOutside(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
    QVERIFY(file.commit());
}

void TestFlowEditor::templateErrorListedAndFixed()
{
    QSignalSpy checks(m_editor.get(), &FlowEditor::checked);
    const QString path = openTemplate();
    QVERIFY(!path.isEmpty());
    QCOMPARE(path, QDir(flowsDir()).filePath(QStringLiteral("mine.yaml")));
    QCOMPARE(m_editor->path(), path);
    QCOMPARE(readFile(path), FlowTemplates::text(QStringLiteral("shell")));
    QCOMPARE(m_editor->editor()->toPlainText().toUtf8(), readFile(path));
    QCOMPARE(m_editor->problemsList()->topLevelItemCount(), 0);
    QCOMPARE(m_editor->statusText(), tr("No problems"));
    QVERIFY(!checks.isEmpty());
    QVERIFY(checks.last().first().value<CheckedFlowFile>().isValid());

    // Line 28 is "  - id: count": give it a need that is no step.
    QTextBlock block = m_editor->editor()->document()->findBlockByNumber(27);
    QCOMPARE(block.text(), QStringLiteral("  - id: count"));
    typeAt(28, QStringLiteral("\nneeds: [nope]"));
    QCOMPARE(m_editor->editor()->document()->findBlockByNumber(28).text(),
        QStringLiteral("    needs: [nope]"));
    // The need that is no step, and the steps after it that are no longer ordered.
    QTRY_VERIFY(m_editor->problemsList()->topLevelItemCount() > 0);
    QTreeWidgetItem *item = m_editor->problemsList()->topLevelItem(0);
    QCOMPARE(item->text(0), QStringLiteral("29:13"));
    QVERIFY2(item->text(1).contains(QLatin1String("`nope`")), qPrintable(item->text(1)));
    const int listed = m_editor->problemsList()->topLevelItemCount();
    QCOMPARE(m_editor->statusText(), tr("%n error(s)", nullptr, listed));
    QVERIFY(!checks.last().first().value<CheckedFlowFile>().isValid());
    const QList<QTextEdit::ExtraSelection> underlines = m_editor->editor()->diagnosticSelections();
    QCOMPARE(underlines.size(), listed);
    QCOMPARE(underlines.first().cursor.blockNumber(), 28);
    QCOMPARE(underlines.first().cursor.selectedText(), QStringLiteral("nope"));
    QCOMPARE(underlines.first().format.underlineStyle(), QTextCharFormat::SpellCheckUnderline);
    QCOMPARE(underlines.first().format.underlineColor(), QColor(Qt::red));
    // A variable is underlined to its closing brace.
    QCOMPARE(underlines.at(1).cursor.selectedText(), QStringLiteral("${steps.greet.output}"));
    QVERIFY(m_editor->isModified());
    QCOMPARE(m_editor->title(), QStringLiteral("mine.yaml*"));

    // Fix it: take the line away again.
    QTest::keyClick(m_editor->editor(), Qt::Key_Home);
    QTest::keyClick(m_editor->editor(), Qt::Key_End, Qt::ShiftModifier);
    QTest::keyClick(m_editor->editor(), Qt::Key_Backspace);
    QTest::keyClick(m_editor->editor(), Qt::Key_Backspace);
    QCOMPARE(m_editor->editor()->toPlainText().toUtf8(), readFile(path));
    QTRY_COMPARE(m_editor->problemsList()->topLevelItemCount(), 0);
    QCOMPARE(m_editor->statusText(), tr("No problems"));
    QVERIFY(m_editor->editor()->diagnosticSelections().isEmpty());
}

void TestFlowEditor::saveWritesTheBytes()
{
    const QString path = openTemplate();
    QSignalSpy saved(m_editor.get(), &FlowEditor::saved);
    QSignalSpy titles(m_editor.get(), &FlowEditor::titleChanged);
    typeAt(6, QStringLiteral(" — édité"));
    QVERIFY(m_editor->isModified());
    QTest::keyClick(m_editor->editor(), Qt::Key_S, Qt::ControlModifier);
    QCOMPARE(saved.count(), 1);
    QCOMPARE(saved.first().first().toString(), path);
    QVERIFY(!m_editor->isModified());
    QCOMPARE(titles.last().first().toString(), QStringLiteral("mine.yaml"));
    const QByteArray bytes = readFile(path);
    QCOMPARE(bytes, m_editor->editor()->toPlainText().toUtf8());
    QVERIFY(bytes.contains("and prints the count — édité\n"));
}

void TestFlowEditor::saveWithErrorsAsksFirst()
{
    const QString path = openTemplate();
    const QByteArray before = readFile(path);
    typeAt(6, QStringLiteral("\nretries: lots"));
    m_editor->checkNow();
    QVERIFY(!m_editor->lastCheck().isValid());

    QString question;
    whenDialogOpens<QMessageBox>(this, [&question](QMessageBox *box) {
        question = box->text();
        box->button(QMessageBox::Cancel)->click();
    });
    QVERIFY(!m_editor->save());
    QVERIFY(question.startsWith(QLatin1String("Save with ")));
    QCOMPARE(readFile(path), before);
    QVERIFY(m_editor->isModified());

    whenDialogOpens<QMessageBox>(this, [](QMessageBox *box) {
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == QMessageBox::AcceptRole)
                button->click();
        }
    });
    QVERIFY(m_editor->save());
    QVERIFY(readFile(path).contains("\nretries: lots\n"));
}

void TestFlowEditor::ownSaveShowsNoBar()
{
    const QString path = openTemplate();
    typeAt(6, QStringLiteral(" again"));
    QVERIFY(m_editor->save());
    // The watcher's notification of our own save, and the check on focus-in, find nothing new.
    QFocusEvent focus(QEvent::FocusIn);
    QCoreApplication::sendEvent(m_editor->editor(), &focus);
    QVERIFY(m_editor->diskChangeBar()->isHidden());
    typeAt(6, QStringLiteral("!"));
    writeOutside(path, "description: outside\n");
    QTRY_VERIFY(m_editor->diskChangeBar()->isVisible());
}

void TestFlowEditor::modifiedBufferSurvivesOutsideChange()
{
    const QString path = openTemplate();
    typeAt(6, QStringLiteral(" (mine)"));
    const QString mine = m_editor->editor()->toPlainText();
    writeOutside(path, "description: theirs\nsteps:\n  - id: a\n    run: echo\n");

    DiskChangeBar *bar = m_editor->diskChangeBar();
    QTRY_VERIFY(bar->isVisible());
    QVERIFY(bar->reloadButton()->isVisible());
    QCOMPARE(m_editor->editor()->toPlainText(), mine);
    QVERIFY(m_editor->isModified());

    // Compare shows both texts.
    QTest::mouseClick(bar->compareButton(), Qt::LeftButton);
    auto *compare = m_editor->findChild<CompareDialog *>();
    QVERIFY(compare);
    QCOMPARE(compare->diskText(),
        QStringLiteral("description: theirs\nsteps:\n  - id: a\n    run: echo\n"));
    QCOMPARE(compare->mineText(), mine);
    compare->close();
    QVERIFY(bar->isVisible());

    // Keep mine: the bar goes, the text stays, Save writes it over theirs.
    QTest::mouseClick(bar->keepButton(), Qt::LeftButton);
    QVERIFY(bar->isHidden());
    QCOMPARE(m_editor->editor()->toPlainText(), mine);
    QVERIFY(m_editor->save());
    QCOMPARE(readFile(path), mine.toUtf8());

    // Save while the bar still asks: asked again first.
    typeAt(6, QStringLiteral("?"));
    writeOutside(path, "description: theirs once more\n");
    QTRY_VERIFY(bar->isVisible());
    whenDialogOpens<QMessageBox>(
        this, [](QMessageBox *box) { box->button(QMessageBox::Cancel)->click(); });
    QVERIFY(!m_editor->save());
    QCOMPARE(readFile(path), QByteArray("description: theirs once more\n"));
    QVERIFY(bar->isVisible());
    whenDialogOpens<QMessageBox>(this, [](QMessageBox *box) {
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == QMessageBox::AcceptRole)
                button->click();
        }
    });
    QVERIFY(m_editor->save());
    QCOMPARE(readFile(path), m_editor->editor()->toPlainText().toUtf8());
    QVERIFY(bar->isHidden());

    // Another change, and Reload this time.
    typeAt(6, QStringLiteral("!"));
    writeOutside(path, "description: theirs again\n");
    QTRY_VERIFY(bar->isVisible());
    QTest::mouseClick(bar->reloadButton(), Qt::LeftButton);
    QVERIFY(bar->isHidden());
    QCOMPARE(m_editor->editor()->toPlainText(), QStringLiteral("description: theirs again\n"));
    QVERIFY(!m_editor->isModified());
}

void TestFlowEditor::unmodifiedBufferReloadsOutsideChange()
{
    const QString path = openTemplate();
    m_editor->goTo(24, 5);
    QByteArray changed = readFile(path);
    changed.replace("hello world", "hi there");
    writeOutside(path, changed);
    QTRY_COMPARE(m_editor->editor()->toPlainText().toUtf8(), changed);
    QVERIFY(!m_editor->isModified());
    QVERIFY(m_editor->diskChangeBar()->isHidden());
    QCOMPARE(m_editor->editor()->textCursor().blockNumber(), 23);

    // And again, after the watch followed the replaced file.
    changed.replace("hi there", "hey");
    writeOutside(path, changed);
    QTRY_COMPARE(m_editor->editor()->toPlainText().toUtf8(), changed);
}

void TestFlowEditor::deletedFileIsToldAndSaveRecreatesIt()
{
    const QString path = openTemplate();
    QVERIFY(QFile::remove(path));
    DiskChangeBar *bar = m_editor->diskChangeBar();
    QTRY_VERIFY(bar->isVisible());
    QVERIFY(bar->text().contains(QLatin1String("deleted")));
    QVERIFY(!bar->reloadButton()->isVisible());
    QVERIFY(!m_editor->editor()->toPlainText().isEmpty());
    QVERIFY(m_editor->save());
    QCOMPARE(readFile(path), m_editor->editor()->toPlainText().toUtf8());
    QVERIFY(bar->isHidden());
}

void TestFlowEditor::savingAFifoIsRefused()
{
    const QString path = openTemplate();
    QVERIFY(QFile::remove(path));
    QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    typeAt(6, QStringLiteral("!"));
    QString message;
    whenDialogOpens<QMessageBox>(this, [&message](QMessageBox *box) {
        message = box->text();
        box->button(QMessageBox::Ok)->click();
    });
    QVERIFY(!m_editor->save());
    QVERIFY2(message.contains(QLatin1String("not a regular file")), qPrintable(message));
    QVERIFY(QFileInfo(path).exists() && !QFileInfo(path).isFile());
    QVERIFY(m_editor->isModified());

    const Result<void> written = FlowFileWriter::write(path, "x");
    QVERIFY(!written);
    QCOMPARE(written.error().code, ErrorCode::Permanent);
    // Nor can a FIFO be opened.
    FlowEditor other;
    QVERIFY(!other.openFile(path));
}

void TestFlowEditor::saveFollowsASymlink()
{
    const QString target = m_dir->filePath(QStringLiteral("elsewhere.yaml"));
    QFile file(target);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("description: linked\nsteps:\n  - id: a\n    run: echo\n");
    file.close();
    QVERIFY(QDir().mkpath(flowsDir()));
    const QString link = QDir(flowsDir()).filePath(QStringLiteral("linked.yaml"));
    QVERIFY(QFile::link(target, link));
    QVERIFY(m_editor->openFile(link));
    typeAt(1, QStringLiteral(" too"));
    QVERIFY(m_editor->save());
    QVERIFY(QFileInfo(link).isSymLink());
    QCOMPARE(readFile(target),
        QByteArray("description: linked too\nsteps:\n  - id: a\n    run: echo\n"));
}

void TestFlowEditor::revertGoesBackToDisk()
{
    const QString path = openTemplate();
    const QByteArray disk = readFile(path);
    typeAt(6, QStringLiteral(" changed"));

    whenDialogOpens<QMessageBox>(
        this, [](QMessageBox *box) { box->button(QMessageBox::Cancel)->click(); });
    QVERIFY(!m_editor->revert());
    QVERIFY(m_editor->isModified());

    whenDialogOpens<QMessageBox>(
        this, [](QMessageBox *box) { box->button(QMessageBox::Discard)->click(); });
    QVERIFY(m_editor->revert());
    QVERIFY(!m_editor->isModified());
    QCOMPARE(m_editor->editor()->toPlainText().toUtf8(), disk);
}

void TestFlowEditor::maybeCloseAsks()
{
    const QString path = openTemplate();
    QVERIFY(m_editor->maybeClose()); // unmodified: nothing to ask
    typeAt(6, QStringLiteral(" changed"));
    whenDialogOpens<QMessageBox>(
        this, [](QMessageBox *box) { box->button(QMessageBox::Cancel)->click(); });
    QVERIFY(!m_editor->maybeClose());
    whenDialogOpens<QMessageBox>(
        this, [](QMessageBox *box) { box->button(QMessageBox::Save)->click(); });
    QVERIFY(m_editor->maybeClose());
    QVERIFY(readFile(path).contains(" changed\n"));
    typeAt(6, QStringLiteral(" more"));
    whenDialogOpens<QMessageBox>(
        this, [](QMessageBox *box) { box->button(QMessageBox::Discard)->click(); });
    QVERIFY(m_editor->maybeClose());
    QVERIFY(!readFile(path).contains(" more"));
}

void TestFlowEditor::problemActivationMovesTheCursor()
{
    openTemplate();
    // A non-ASCII text before the error: the column counts bytes, the cursor characters.
    typeAt(32, QStringLiteral("\ntimeout: ünd: x"));
    QCOMPARE(m_editor->editor()->document()->findBlockByNumber(32).text(),
        QStringLiteral("    timeout: ünd: x"));
    QTRY_COMPARE(m_editor->problemsList()->topLevelItemCount(), 1);
    QTreeWidgetItem *item = m_editor->problemsList()->topLevelItem(0);
    // The second `:`: the 17th character, the 18th byte.
    QCOMPARE(item->text(0), QStringLiteral("33:18"));
    m_editor->editor()->moveCursor(QTextCursor::Start);
    m_editor->problemsList()->setFocus();
    m_editor->problemsList()->setCurrentItem(item);
    QTest::keyClick(m_editor->problemsList(), Qt::Key_Return);
    QVERIFY(m_editor->editor()->hasFocus());
    QCOMPARE(m_editor->editor()->textCursor().blockNumber(), 32);
    QCOMPARE(m_editor->editor()->textCursor().positionInBlock(), 16);
    QCOMPARE(m_editor->editor()->cursorLineColumn(), qMakePair(33, 18));
    QCOMPARE(m_editor->editor()->diagnosticSelections().first().cursor.selectedText(),
        QStringLiteral(":"));
}

void TestFlowEditor::tabAndEnterIndent()
{
    CodeEditor editor;
    editor.setPlainText(QStringLiteral("steps:\n  - id: a"));
    editor.moveCursor(QTextCursor::End);
    // After a list item's first line, the next key lines up under its text.
    QTest::keyClick(&editor, Qt::Key_Return);
    type(&editor, QStringLiteral("run: x"));
    QCOMPARE(editor.toPlainText(), QStringLiteral("steps:\n  - id: a\n    run: x"));
    // Then Enter keeps the indentation, Tab adds two spaces.
    QTest::keyClick(&editor, Qt::Key_Return);
    QTest::keyClick(&editor, Qt::Key_Tab);
    type(&editor, QStringLiteral("- y"));
    QCOMPARE(editor.toPlainText(), QStringLiteral("steps:\n  - id: a\n    run: x\n      - y"));
    QVERIFY(!editor.toPlainText().contains(u'\t'));
}

void TestFlowEditor::highlighterColoursYaml()
{
    QTextDocument document;
    YamlHighlighter highlighter(&document);
    document.setPlainText(QStringLiteral("steps:  # the steps\n"
                                         "  - id: a\n"
                                         "    run: |\n"
                                         "      echo ${params.day} 'x'\n"
                                         "\n"
                                         "      done\n"
                                         "    retries: 3\n"
                                         "    url: \"http://${host}/\"\n"));
    highlighter.rehighlight(); // a new highlighter waits for the event loop otherwise
    auto formatAt = [&document](int line, int column) {
        const QTextBlock block = document.findBlockByNumber(line);
        for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
            if (column >= range.start && column < range.start + range.length)
                return range.format;
        }
        return QTextCharFormat();
    };
    using Role = YamlHighlighter::Role;
    const auto colour = [&highlighter](
                            Role role) { return highlighter.format(role).foreground().color(); };
    QCOMPARE(formatAt(0, 0).foreground().color(), colour(Role::Key));
    QCOMPARE(formatAt(0, 10).foreground().color(), colour(Role::Comment));
    QCOMPARE(formatAt(1, 2).foreground().color(), colour(Role::Dash));
    QCOMPARE(formatAt(1, 4).foreground().color(), colour(Role::Key));
    QCOMPARE(formatAt(2, 9).foreground().color(), colour(Role::String)); // the `|`
    QCOMPARE(formatAt(3, 6).foreground().color(), colour(Role::String)); // the body
    QCOMPARE(formatAt(3, 12).foreground().color(), colour(Role::Variable));
    QCOMPARE(formatAt(5, 6).foreground().color(), colour(Role::String)); // after a blank line
    QCOMPARE(formatAt(6, 4).foreground().color(), colour(Role::Key)); // the body ended
    QCOMPARE(formatAt(6, 13).foreground().color(), colour(Role::Number));
    QCOMPARE(formatAt(7, 10).foreground().color(), colour(Role::String));
    QCOMPARE(formatAt(7, 18).foreground().color(), colour(Role::Variable));
    QVERIFY(colour(Role::Variable) != colour(Role::String));
}

QTEST_MAIN(TestFlowEditor)
#include "tst_floweditor.moc"
