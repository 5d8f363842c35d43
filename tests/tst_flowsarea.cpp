// The Flows area as a person uses it to write a flow: New flow from a template, an error typed
// and seen at its line, fixed, saved (the folder watcher loads it, as any outside edit), its
// graph drawn, run, its steps' states on the graph, a click on a step showing that step's log,
// and a retry of the failed step once the cause is fixed. Offscreen, real files and engine.

#include <QDir>
#include <QFile>
#include <QTextBlock>
#include <QToolButton>
#include <QTreeWidget>
#include <QtTest>

#include "dialogs/newflowdialog.h"
#include "editor/codeeditor.h"
#include "editor/floweditor.h"
#include "engine/runstore.h"
#include "graph/flowgraphnodeitem.h"
#include "graph/flowgraphview.h"
#include "guitestenvironment.h"
#include "instance/flowfiles.h"
#include "mainwindow.h"
#include "models/flowtablemodel.h"
#include "models/logfiltermodel.h"
#include "views/flowpane.h"
#include "views/flowsview.h"
#include "views/runsview.h"

#include <QComboBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>

using namespace Sluice;

namespace {
constexpr int TimeoutMs = 20000;

// Writes `text` as flows/<name>.yaml of the data folder; returns the flows folder ("" on failure).
QString writeFlowFile(const DataFolder &folder, const QString &name, const QByteArray &text)
{
    const QString flows = folder.path() + QStringLiteral("/flows/");
    QFile file(flows + name + QStringLiteral(".yaml"));
    if (!QDir().mkpath(flows) || !file.open(QIODevice::WriteOnly)
        || file.write(text) != text.size())
        return QString();
    return flows;
}
} // namespace

class TestFlowsArea : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writeRunAndRetryAFlow();
    void invalidFileOpensAtItsError();
    void closingAskedAboutUnsavedEdits();
};

void TestFlowsArea::writeRunAndRetryAFlow()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    FlowFiles files(env.registry, *env.folder, *env.settings);
    files.load();
    files.watch();
    MainWindow::Services services;
    services.engine = env.engine.get();
    services.flowFiles = &files;
    MainWindow window(env.settings.get(), *env.folder, services);
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    FlowsView *flows = window.flowsView();
    FlowPane *pane = flows->pane();

    // New flow, from the shell template.
    whenDialogOpens<NewFlowDialog>(this, [](NewFlowDialog *dialog) {
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("e2e"));
        dialog->templateBox()->setCurrentIndex(0);
        dialog->accept();
    });
    QTest::mouseClick(flows->newFlowButton(), Qt::LeftButton);
    const QString folder = env.folder->path() + QStringLiteral("/flows/");
    const QString path = folder + QStringLiteral("e2e.yaml");
    FlowEditor *editor = pane->editor(path);
    QVERIFY(editor);
    QCOMPARE(pane->currentWidget(), editor->parentWidget());
    editor->setCheckDelay(10);

    // Write the flow, then a need that is no step: listed at its line and column.
    editor->editor()->setPlainText(QStringLiteral("steps:\n"
                                                  "  - id: a\n"
                                                  "    run: echo step a ran\n"
                                                  "  - id: b\n"
                                                  "    needs: [a]\n"
                                                  "    run: test -f fixed\n"));
    QTRY_COMPARE(pane->preview(editor)->graph().size(), 2);
    QTextCursor cursor(editor->editor()->document()->findBlockByNumber(4));
    cursor.movePosition(QTextCursor::EndOfBlock);
    cursor.movePosition(QTextCursor::Left); // before "]"
    editor->editor()->setTextCursor(cursor);
    editor->editor()->setFocus();
    QTest::keyClicks(editor->editor(), QStringLiteral(", nope"));
    QTRY_VERIFY(editor->problemsList()->topLevelItemCount() > 0);
    QCOMPARE(editor->problemsList()->topLevelItem(0)->text(0), QStringLiteral("5:16"));
    QVERIFY(editor->problemsList()->topLevelItem(0)->text(1).contains(QLatin1String("`nope`")));
    QVERIFY(pane->tabText(pane->currentIndex()).endsWith(QLatin1Char('*')));
    for (int i = 0; i < 6; ++i)
        QTest::keyClick(editor->editor(), Qt::Key_Backspace);
    QTRY_COMPARE(editor->problemsList()->topLevelItemCount(), 0);

    // Saved: the folder's watcher loads it, as it would an outside edit.
    QVERIFY(editor->save());
    FlowTableModel *model = flows->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(QStringLiteral("e2e")) >= 0, TimeoutMs);
    QVERIFY(!model->brokenFlow(QStringLiteral("e2e")));
    QCOMPARE(pane->tabText(pane->currentIndex()), QStringLiteral("e2e.yaml"));
    // The new flow is selected once loaded.
    QTRY_COMPARE(flows->currentFlow(), QStringLiteral("e2e"));
    FlowGraphView *graph = pane->graphView();
    QTRY_COMPARE(graph->graph().size(), 2);
    QCOMPARE(graph->graph().nodes.at(1).needs, QStringList{ QStringLiteral("a") });
    QCOMPARE(graph->graph().nodes.at(0).kind, QStringLiteral("run"));

    // Run: the graph follows, b fails (no marker yet).
    QVERIFY(flows->runButton()->isEnabled());
    QTest::mouseClick(flows->runButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(graph->nodeItem(QStringLiteral("b"))
            && graph->nodeItem(QStringLiteral("b"))->state() == RunState::Failed,
        TimeoutMs);
    QCOMPARE(graph->nodeItem(QStringLiteral("a"))->state(), RunState::Completed);
    RunsView *runs = window.runsView();
    QTRY_VERIFY(runs->shownRun() != 0);
    const qint64 failed = runs->shownRun();

    // A click on step a in the Flows area's graph: that run's log, only a's lines.
    window.setCurrentArea(MainWindow::Area::Flows);
    pane->setCurrentIndex(0);
    QTRY_VERIFY(graph->isVisible());
    const QPoint centre = graph->mapFromScene(graph->nodeRect(QStringLiteral("a")).center());
    QTest::mouseClick(graph->viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(window.currentArea(), MainWindow::Area::Runs);
    QCOMPARE(runs->shownRun(), failed);
    QCOMPARE(runs->logFilter()->taskFilter(), QStringLiteral("a"));

    // Fixed: Retry failed steps reuses a and runs b, which completes; the graph shows it.
    {
        QFile marker(folder + QStringLiteral("fixed"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
    }
    QTRY_VERIFY_WITH_TIMEOUT(runs->retryFailedButton()->isEnabled(), TimeoutMs);
    QTest::mouseClick(runs->retryFailedButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(runs->shownRun() != failed && runs->shownRun() != 0, TimeoutMs);
    const qint64 retried = runs->shownRun();
    QTRY_VERIFY_WITH_TIMEOUT(
        graph->nodeItem(QStringLiteral("b"))->state() == RunState::Completed, TimeoutMs);
    QVERIFY(env.engine->flush());
    Result<std::unique_ptr<RunStore>> store = RunStore::open(env.folder->runsPath());
    QVERIFY(store);
    QTRY_VERIFY_WITH_TIMEOUT((*store)->run(retried) && *(*store)->run(retried)
            && (**(*store)->run(retried)).state == RunState::Completed,
        TimeoutMs);
    const Result<QList<TaskRunRecord>> tasks = (*store)->tasks(retried);
    QVERIFY(tasks && tasks->size() == 2);
    QCOMPARE(tasks->at(0).message, QStringLiteral("reused from run %1").arg(failed));
    env.engine->shutDown();
}

// An invalid flow file is a row with a warning; Edit (or a double-click) opens it in the editor
// at its first error.
void TestFlowsArea::invalidFileOpensAtItsError()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString folder = writeFlowFile(*env.folder, QStringLiteral("broken"),
        "steps:\n  - id: a\n    run: echo a\n  - id: b\n    needs: [zz]\n    run: echo b\n");
    QVERIFY(!folder.isEmpty());
    FlowFiles files(env.registry, *env.folder, *env.settings);
    files.load();
    MainWindow::Services services;
    services.engine = env.engine.get();
    services.flowFiles = &files;
    MainWindow window(env.settings.get(), *env.folder, services);
    window.show();
    FlowsView *flows = window.flowsView();
    flows->selectFlow(QStringLiteral("broken"));
    QVERIFY(flows->editFlowButton()->isEnabled());
    QTest::mouseClick(flows->editFlowButton(), Qt::LeftButton);
    FlowEditor *editor = flows->pane()->editor(folder + QStringLiteral("broken.yaml"));
    QVERIFY(editor);
    const QTextCursor cursor = editor->editor()->textCursor();
    QCOMPARE(cursor.blockNumber(), 4); // line 5
    QCOMPARE(cursor.positionInBlock(), 12); // column 13, "zz"
    QTRY_VERIFY(editor->problemsList()->topLevelItemCount() > 0);
    // Its graph shows what can be read of it.
    QCOMPARE(flows->pane()->graphView()->graph().size(), 2);

    // A built-in flow has no file to edit.
    flows->selectFlow(QStringLiteral("demo"));
    QVERIFY(!flows->editFlowButton()->isEnabled());
}

// Closing the window with an unsaved edit asks; Cancel keeps the window and the text.
void TestFlowsArea::closingAskedAboutUnsavedEdits()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString folder =
        writeFlowFile(*env.folder, QStringLiteral("mine"), "steps:\n  - id: a\n    run: echo a\n");
    QVERIFY(!folder.isEmpty());
    FlowFiles files(env.registry, *env.folder, *env.settings);
    files.load();
    MainWindow::Services services;
    services.engine = env.engine.get();
    services.flowFiles = &files;
    MainWindow window(env.settings.get(), *env.folder, services);
    window.show();
    FlowEditor *editor =
        window.flowsView()->pane()->openEditor(folder + QStringLiteral("mine.yaml"));
    QVERIFY(editor);
    editor->editor()->moveCursor(QTextCursor::End);
    QTest::keyClicks(editor->editor(), QStringLiteral("# mine"));
    QVERIFY(editor->isModified());
    whenDialogOpens<QMessageBox>(
        this, [](QMessageBox *box) { box->button(QMessageBox::Cancel)->click(); });
    QVERIFY(!window.close());
    QVERIFY(window.isVisible());
    QVERIFY(editor->editor()->toPlainText().endsWith(QLatin1String("# mine")));
    whenDialogOpens<QMessageBox>(
        this, [](QMessageBox *box) { box->button(QMessageBox::Discard)->click(); });
    QVERIFY(window.close());
}

QTEST_MAIN(TestFlowsArea)
#include "tst_flowsarea.moc"
