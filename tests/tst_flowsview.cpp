// The Flows area driven offscreen with real widgets and the real engine: run the demo flow
// (its parameters asked by the dialog) and watch it complete in the Runs area, cancel a
// running flow, and edit, pause and resume a schedule.

#include <QFile>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QToolButton>
#include <QtTest>

#include "dialogs/parametersdialog.h"
#include "dialogs/scheduledialog.h"
#include "flows/btcbackfillflow.h"
#include "flows/demoflow.h"
#include "guitestenvironment.h"
#include "instance/flowfiles.h"
#include "mainwindow.h"
#include "models/flowtablemodel.h"
#include "models/logmodel.h"
#include "models/runtablemodel.h"
#include "models/tasktablemodel.h"
#include "schedule/schedulestore.h"
#include "storage/sqliteconnection.h"
#include "views/flowsview.h"
#include "views/runsview.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>

using namespace Sluice;

class TestFlowsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void runDemoCompletesInRunsView();
    void cancelRunningFlow();
    void runWaitsQueuedWhileHistoryLocked();
    void editPauseAndResumeSchedule();
    void doubleClickOpensLatestRun();
    void parametersDialogKeepsBounds();
    void followsFlowFiles();

private:
    QString flowCell(int column) const;
    void runDemo(int sleepMs);

    QTemporaryDir m_home;
    std::unique_ptr<GuiTestEnvironment> m_env;
    std::unique_ptr<MainWindow> m_window;
};

void TestFlowsView::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("HOME", QFile::encodeName(m_home.path()));
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setApplicationName(QStringLiteral("sluice"));
}

void TestFlowsView::init()
{
    QFile::remove(MainWindow::windowStateFile());
    m_env = std::make_unique<GuiTestEnvironment>();
    const QString problem = m_env->setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    MainWindow::Services services;
    services.engine = m_env->engine.get();
    m_window = std::make_unique<MainWindow>(m_env->settings.get(), *m_env->folder, services);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->flowsView()->selectFlow(QString::fromLatin1(DemoFlow::Name));
}

void TestFlowsView::cleanup()
{
    m_window.reset();
    m_env.reset();
    QFile::remove(MainWindow::windowStateFile());
}

QString TestFlowsView::flowCell(int column) const
{
    FlowTableModel *model = m_window->flowsView()->model();
    const int row = model->rowOf(QString::fromLatin1(DemoFlow::Name));
    return model->index(row, column).data().toString();
}

void TestFlowsView::runDemo(int sleepMs)
{
    whenDialogOpens<ParametersDialog>(this, [sleepMs](ParametersDialog *dialog) {
        auto *sleep = qobject_cast<QSpinBox *>(dialog->editor(QStringLiteral("sleep-ms")));
        QVERIFY(sleep);
        sleep->setValue(sleepMs);
        dialog->accept();
    });
    QToolButton *run = m_window->flowsView()->runButton();
    QVERIFY(run->isEnabled());
    QTest::mouseClick(run, Qt::LeftButton);
}

void TestFlowsView::runDemoCompletesInRunsView()
{
    QCOMPARE(flowCell(FlowTableModel::LastRun), tr("Never run"));
    runDemo(20);
    RunsView *runs = m_window->runsView();
    QTRY_COMPARE(m_window->currentArea(), MainWindow::Area::Runs);
    QVERIFY(runs->shownRun() != 0);

    TaskTableModel *tasks = runs->taskModel();
    const int taskCount = m_env->registry.flow(QString::fromLatin1(DemoFlow::Name))->taskCount();
    QTRY_COMPARE(tasks->rowCount(), taskCount);
    for (int row = 0; row < taskCount; ++row)
        QTRY_COMPARE_WITH_TIMEOUT(tasks->state(row), RunState::Completed, 20000);
    QCOMPARE(tasks->index(0, TaskTableModel::Attempt).data().toInt(), 1);
    QVERIFY(!tasks->index(0, TaskTableModel::Duration).data().toString().isEmpty());

    // The history shows the run completed and selected; the log has its lines.
    RunTableModel *history = runs->runModel();
    QTRY_VERIFY(history->rowOf(runs->shownRun()) >= 0);
    const int row = history->rowOf(runs->shownRun());
    QTRY_COMPARE(history->index(row, RunTableModel::State).data().toString(),
        stateText(RunState::Completed));
    QTRY_VERIFY(runs->logModel()->rowCount() > 0);

    // The Flows area shows the last run and allows running again.
    QTRY_COMPARE(flowCell(FlowTableModel::LastRun), stateText(RunState::Completed));
    QVERIFY(!flowCell(FlowTableModel::Duration).isEmpty());
    QTRY_VERIFY(m_window->flowsView()->runButton()->isEnabled());
    QVERIFY(!m_window->flowsView()->cancelButton()->isEnabled());
    QTRY_COMPARE(m_window->windowTitle(), tr("Sluice"));
}

void TestFlowsView::cancelRunningFlow()
{
    runDemo(60000);
    FlowsView *flows = m_window->flowsView();
    QTRY_VERIFY(!flows->runButton()->isEnabled());
    QTRY_VERIFY(flows->cancelButton()->isEnabled());
    QTRY_COMPARE(m_window->runsInProgress(), 1);
    QVERIFY(m_window->windowTitle().contains(QLatin1Char('1')));
    TaskTableModel *tasks = m_window->runsView()->taskModel();
    QTRY_COMPARE(tasks->state(0), RunState::Running);

    m_window->setCurrentArea(MainWindow::Area::Flows);
    QTest::mouseClick(flows->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(
        flowCell(FlowTableModel::LastRun), stateText(RunState::Cancelled), 10000);
    QTRY_COMPARE(tasks->state(0), RunState::Cancelled);
    QTRY_VERIFY(flows->runButton()->isEnabled());
    QVERIFY(!flows->cancelButton()->isEnabled());
    QCOMPARE(m_window->runsInProgress(), 0);
}

// Another process holds runs.sqlite locked (BEGIN EXCLUSIVE) when the user clicks Run: the
// click returns at once (it used to wait up to the busy timeout), the flow shows Queued and
// cannot be started twice, and the run goes on once the lock goes.
void TestFlowsView::runWaitsQueuedWhileHistoryLocked()
{
    Result<SqliteConnection> locker =
        SqliteConnection::open(m_env->folder->runsPath(), QStringLiteral("locker"));
    QVERIFY(locker);
    QVERIFY(locker->exec(QStringLiteral("BEGIN EXCLUSIVE")));
    runDemo(20);
    QCOMPARE(flowCell(FlowTableModel::LastRun), tr("Queued"));
    QVERIFY(!m_window->flowsView()->runButton()->isEnabled());
    QVERIFY(!m_window->flowsView()->cancelButton()->isEnabled());
    QCOMPARE(m_window->currentArea(), MainWindow::Area::Flows);

    QVERIFY(locker->exec(QStringLiteral("COMMIT")));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentArea(), MainWindow::Area::Runs, 10000);
    QVERIFY(m_window->runsView()->shownRun() != 0);
    QTRY_COMPARE_WITH_TIMEOUT(
        flowCell(FlowTableModel::LastRun), stateText(RunState::Completed), 20000);
    QTRY_VERIFY(m_window->flowsView()->runButton()->isEnabled());
}

void TestFlowsView::editPauseAndResumeSchedule()
{
    FlowsView *flows = m_window->flowsView();
    QVERIFY(!flows->pauseButton()->isEnabled()); // nothing to pause yet
    whenDialogOpens<ScheduleDialog>(this, [](ScheduleDialog *dialog) {
        dialog->kindBox()->setCurrentIndex(1); // interval
        dialog->expressionEdit()->setText(QStringLiteral("2m"));
        QVERIFY(dialog->okButton()->isEnabled());
        QCOMPARE(dialog->previewTimes().size(), 5);
        dialog->accept();
    });
    QTest::mouseClick(flows->scheduleButton(), Qt::LeftButton);
    QTRY_COMPARE(flowCell(FlowTableModel::Expression), QStringLiteral("2m"));
    QCOMPARE(flowCell(FlowTableModel::ScheduleWords), tr("every 2 minutes"));
    QVERIFY(!flowCell(FlowTableModel::NextRun).isEmpty());

    ScheduleStore store(ScheduleStore::defaultPath(*m_env->folder));
    Result<Schedule> saved = store.schedule(QString::fromLatin1(DemoFlow::Name));
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message()));
    QCOMPARE(saved->expressionText(), QStringLiteral("2m"));
    QVERIFY(!saved->isPaused());

    QVERIFY(flows->pauseButton()->isEnabled());
    QTest::mouseClick(flows->pauseButton(), Qt::LeftButton);
    QVERIFY(store.schedule(QString::fromLatin1(DemoFlow::Name))->isPaused());
    QCOMPARE(flowCell(FlowTableModel::NextRun), tr("Paused"));
    QTest::mouseClick(flows->pauseButton(), Qt::LeftButton);
    QVERIFY(!store.schedule(QString::fromLatin1(DemoFlow::Name))->isPaused());
    QVERIFY(flowCell(FlowTableModel::NextRun) != tr("Paused"));

    // Removed: the flow runs only by hand again.
    whenDialogOpens<ScheduleDialog>(this, [](ScheduleDialog *dialog) {
        QVERIFY(dialog->removeButton());
        dialog->removeButton()->click();
    });
    QTest::mouseClick(flows->scheduleButton(), Qt::LeftButton);
    QTRY_COMPARE(flowCell(FlowTableModel::ScheduleWords), tr("Not scheduled"));
    QVERIFY(!store.contains(QString::fromLatin1(DemoFlow::Name)));
    QVERIFY(!flows->pauseButton()->isEnabled());
}

void TestFlowsView::doubleClickOpensLatestRun()
{
    runDemo(10);
    RunsView *runs = m_window->runsView();
    QTRY_VERIFY(runs->shownRun() != 0);
    const qint64 first = runs->shownRun();
    QTRY_COMPARE(flowCell(FlowTableModel::LastRun), stateText(RunState::Completed));

    runs->showRun(0);
    m_window->setCurrentArea(MainWindow::Area::Flows);
    QTableView *table = m_window->flowsView()->table();
    const QModelIndex cell = table->model()->index(0, FlowTableModel::Name);
    const QPoint centre = table->visualRect(cell).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, centre);
    QTRY_COMPARE(m_window->currentArea(), MainWindow::Area::Runs);
    QCOMPARE(runs->shownRun(), first);
}

void TestFlowsView::parametersDialogKeepsBounds()
{
    const QList<ParameterSpec> specs = BtcBackfillFlow::create(BtcFlowOptions()).parameters();
    ParametersDialog dialog(QString::fromLatin1(BtcBackfillFlow::Name), specs);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *days = qobject_cast<QSpinBox *>(dialog.editor(QStringLiteral("days")));
    QVERIFY(days);
    QCOMPARE(days->minimum(), 0);
    QCOMPARE(days->maximum(), BtcBackfillFlow::MaxDays);
    QCOMPARE(days->value(), 0);

    // Typing 100000 stops at what the range allows.
    days->selectAll();
    QTest::keyClicks(days, QStringLiteral("100000"));
    QCOMPARE_LE(days->value(), BtcBackfillFlow::MaxDays);
    const QString flow = QString::fromLatin1(BtcBackfillFlow::Name);
    QVERIFY(Parameters::resolve(specs, dialog.values(), flow));

    // The edges are accepted.
    days->selectAll();
    QTest::keyClicks(days, QStringLiteral("3650"));
    QCOMPARE(days->value(), 3650);
    QVERIFY(Parameters::resolve(specs, dialog.values(), flow));
    days->selectAll();
    QTest::keyClicks(days, QStringLiteral("1"));
    QCOMPARE(days->value(), 1);
    dialog.reject();
}

// The flow list follows the flow files: a file loaded later is a row with its own schedule,
// a file that cannot run a row naming its error.
void TestFlowsView::followsFlowFiles()
{
    FlowFiles files(m_env->registry, *m_env->folder, *m_env->settings);
    files.setBuilder([](const CheckedFlowFile &file, const FlowEnvironment &) -> Result<Flow> {
        Flow flow(file.definition->name, file.definition->description);
        flow.setSource(file.path, file.source);
        flow.addTask({ QStringLiteral("step"), {},
            [](TaskContext &) { return Result<QVariant>(QVariant()); }, {}, {} });
        return flow;
    });
    MainWindow::Services services;
    services.engine = m_env->engine.get();
    services.flowFiles = &files;
    m_window = std::make_unique<MainWindow>(m_env->settings.get(), *m_env->folder, services);
    FlowTableModel *model = m_window->flowsView()->model();
    QCOMPARE(model->rowOf(QStringLiteral("mine")), -1);

    const QString folder = m_env->folder->path() + QStringLiteral("/flows/");
    QVERIFY(QDir().mkpath(folder));
    QFile good(folder + QStringLiteral("mine.yaml"));
    QVERIFY(good.open(QIODevice::WriteOnly));
    good.write(
        "description: Mine\nschedule: { every: 2h }\nsteps:\n  - id: a\n    run: \"true\"\n");
    good.close();
    QFile bad(folder + QStringLiteral("bad.yaml"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("steps: 3\n");
    bad.close();
    files.load();

    const int mine = model->rowOf(QStringLiteral("mine"));
    QVERIFY(mine >= 0);
    QCOMPARE(
        model->index(mine, FlowTableModel::Description).data().toString(), QStringLiteral("Mine"));
    QCOMPARE(
        model->index(mine, FlowTableModel::Expression).data().toString(), QStringLiteral("2h"));
    const int broken = model->rowOf(QStringLiteral("bad"));
    QCOMPARE(broken, model->rowCount() - 1);
    const QString error = model->index(broken, FlowTableModel::Description).data().toString();
    // The cell shows the position and the message, so that they fit; the tooltip names the
    // file too.
    QVERIFY2(error.startsWith(QLatin1String("Invalid file: 1:8: error: ")), qPrintable(error));
    const QString tip =
        model->index(broken, FlowTableModel::Description).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QLatin1String("bad.yaml:1:8: error: ")), qPrintable(tip));
    // A warning icon marks it, and the model knows where the error is, for the editor.
    QVERIFY(!model->index(broken, FlowTableModel::Name)
                 .data(Qt::DecorationRole)
                 .value<QIcon>()
                 .isNull());
    QVERIFY(model->index(mine, FlowTableModel::Name).data(Qt::DecorationRole).isNull());
    const std::optional<BrokenFlow> file = model->brokenFlow(QStringLiteral("bad"));
    QVERIFY(file);
    QCOMPARE(file->line, 1);
    QCOMPARE(file->column, 8);
    QCOMPARE(model->sourcePath(QStringLiteral("bad")), folder + QStringLiteral("bad.yaml"));
    QCOMPARE(model->sourcePath(QStringLiteral("mine")), folder + QStringLiteral("mine.yaml"));

    // The Runs area's flow filter offers the new flows, the invalid one too.
    auto *filter = m_window->runsView()->findChild<QComboBox *>(QStringLiteral("flowFilter"));
    QVERIFY(filter);
    QVERIFY(filter->findData(QStringLiteral("mine")) > 0);
    QVERIFY(filter->findData(QStringLiteral("bad")) > 0);
    // A chosen flow whose file goes away stays chosen.
    filter->setCurrentIndex(filter->findData(QStringLiteral("mine")));
    QVERIFY(QFile::remove(folder + QStringLiteral("mine.yaml")));
    files.load();
    QCOMPARE(model->rowOf(QStringLiteral("mine")), -1);
    QCOMPARE(filter->currentData().toString(), QStringLiteral("mine"));
}

QTEST_MAIN(TestFlowsView)
#include "tst_flowsview.moc"
