// The Flows area driven offscreen with real widgets and the real engine: run the demo flow
// (its parameters asked by the dialog) and watch it complete in the Runs area, cancel a
// running flow, and edit, pause and resume a schedule.

#include <QFile>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QToolButton>
#include <QtTest>

#include "dialogs/backfilldialog.h"
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
#include "views/flowpane.h"
#include "views/flowsview.h"
#include "views/runsview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeWidget>

#include "engine/backfillrunner.h"
#include "engine/runstore.h"

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
    void parametersDialogTypedEditors();
    void runUsesDefaultsOrOpensTheForm();
    void followsFlowFiles();
    void backfillDialogPreviewsAndRuns();
    void backfillDialogCancels();
    void backfillDialogSaysWhatIsWrong();

private:
    QString flowCell(int column) const;
    void runDemo(int sleepMs);
    // Writes flows/NAME.yaml into the data folder.
    void writeFlow(const QString &name, const QByteArray &yaml);
    // A window that follows the data folder's flow files (files must outlive it).
    void openWithFiles(FlowFiles &files);

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
    QAction *run = m_window->flowsView()->runWithParametersAction();
    QVERIFY(run->isEnabled());
    run->trigger();
}

void TestFlowsView::writeFlow(const QString &name, const QByteArray &yaml)
{
    const QString folder = m_env->folder->path() + QStringLiteral("/flows/");
    QVERIFY(QDir().mkpath(folder));
    QFile file(folder + name + QStringLiteral(".yaml"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(yaml);
}

void TestFlowsView::openWithFiles(FlowFiles &files)
{
    files.load();
    MainWindow::Services services;
    services.engine = m_env->engine.get();
    services.flowFiles = &files;
    m_window = std::make_unique<MainWindow>(m_env->settings.get(), *m_env->folder, services);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
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

// One editor per type, filled with the defaults (a run-dependent one for the given time);
// a required parameter is marked and keeps Run disabled until entered.
void TestFlowsView::parametersDialogTypedEditors()
{
    QList<ParameterSpec> specs;
    specs << ParameterSpec{ QStringLiteral("dry"), ParameterType::Bool, true,
        QStringLiteral("Only say what would run") };
    ParameterSpec limit{ QStringLiteral("limit"), ParameterType::Int, 20, {} };
    limit.minimum = 1;
    limit.maximum = 50;
    specs << limit;
    specs << ParameterSpec{ QStringLiteral("ratio"), ParameterType::Double, 0.5, {} };
    ParameterSpec day{ QStringLiteral("day"), ParameterType::Date, {}, {} };
    day.defaultFunction = [](const QDateTime &time, const QDateTime &) {
        return time.date().toString(Qt::ISODate);
    };
    specs << day;
    ParameterSpec region{ QStringLiteral("region"), ParameterType::String, QStringLiteral("us"),
        {} };
    region.choices = QStringList{ QStringLiteral("eu"), QStringLiteral("us") };
    specs << region;
    ParameterSpec who{ QStringLiteral("who"), ParameterType::String, {}, {} };
    who.required = true;
    specs << who;

    const QDateTime time(QDate(2026, 3, 4), QTime(5, 6), Qt::UTC);
    ParametersDialog dialog(QStringLiteral("typed"), specs, {}, nullptr, time);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *dry = qobject_cast<QCheckBox *>(dialog.editor(QStringLiteral("dry")));
    QVERIFY(dry);
    QVERIFY(dry->isChecked());
    auto *count = qobject_cast<QSpinBox *>(dialog.editor(QStringLiteral("limit")));
    QVERIFY(count);
    QCOMPARE(count->value(), 20);
    QCOMPARE(count->maximum(), 50);
    auto *real = qobject_cast<QDoubleSpinBox *>(dialog.editor(QStringLiteral("ratio")));
    QVERIFY(real);
    QCOMPARE(real->value(), 0.5);
    auto *date = qobject_cast<QDateEdit *>(dialog.editor(QStringLiteral("day")));
    QVERIFY(date);
    QVERIFY(date->calendarPopup());
    QCOMPARE(date->date(), QDate(2026, 3, 4));
    auto *choice = qobject_cast<QComboBox *>(dialog.editor(QStringLiteral("region")));
    QVERIFY(choice);
    QCOMPARE(choice->count(), 2);
    QCOMPARE(choice->currentText(), QStringLiteral("us"));
    auto *name = qobject_cast<QLineEdit *>(dialog.editor(QStringLiteral("who")));
    QVERIFY(name);
    QVERIFY(name->text().isEmpty());

    // The required one is empty: Run is disabled and the field says why.
    QVERIFY(!dialog.isValid());
    QVERIFY(!dialog.runButton()->isEnabled());
    QVERIFY(!dialog.errorText(QStringLiteral("who")).isEmpty());
    QVERIFY(dialog.errorText(QStringLiteral("limit")).isEmpty());
    QVERIFY(!Parameters::resolve(specs, dialog.values(), QStringLiteral("typed")));
    QTest::keyClicks(name, QStringLiteral("ann"));
    QVERIFY(dialog.isValid());
    QVERIFY(dialog.runButton()->isEnabled());
    QVERIFY(dialog.errorText(QStringLiteral("who")).isEmpty());

    // Changed values come back typed and pass the engine's check.
    dry->setChecked(false);
    date->setDate(QDate(2026, 1, 31));
    choice->setCurrentIndex(0);
    const Result<QVariantMap> values =
        Parameters::resolve(specs, dialog.values(), QStringLiteral("typed"));
    QVERIFY(values);
    QCOMPARE(values->value(QStringLiteral("dry")), QVariant(false));
    QCOMPARE(values->value(QStringLiteral("day")).toString(), QStringLiteral("2026-01-31"));
    QCOMPARE(values->value(QStringLiteral("region")).toString(), QStringLiteral("eu"));
    QCOMPARE(values->value(QStringLiteral("who")).toString(), QStringLiteral("ann"));

    // Emptied again: blocked again.
    name->clear();
    QVERIFY(!dialog.runButton()->isEnabled());
    dialog.reject();
}

// Run starts a flow whose parameters all have defaults at once; one with a parameter
// without a default opens the form, whose values the run gets.
void TestFlowsView::runUsesDefaultsOrOpensTheForm()
{
    writeFlow(QStringLiteral("greet"),
        "params:\n  who: { type: string }\n  times: 2\n"
        "steps:\n  - id: say\n    run: echo \"${params.who} ${params.times}\"\n");
    FlowFiles files(m_env->registry, *m_env->folder, *m_env->settings);
    openWithFiles(files);
    FlowsView *flows = m_window->flowsView();
    QSignalSpy started(flows, &FlowsView::runStarted);

    flows->selectFlow(QString::fromLatin1(DemoFlow::Name));
    QTest::mouseClick(flows->runButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 20000);
    QVERIFY(!QApplication::activeModalWidget());
    QTRY_COMPARE(m_window->runsView()->taskModel()->rowCount(),
        m_env->registry.flow(QString::fromLatin1(DemoFlow::Name))->taskCount());

    m_window->setCurrentArea(MainWindow::Area::Flows);
    flows->selectFlow(QStringLiteral("greet"));
    bool asked = false;
    whenDialogOpens<ParametersDialog>(this, [&asked](ParametersDialog *dialog) {
        asked = true;
        QVERIFY(!dialog->runButton()->isEnabled());
        QTest::keyClicks(dialog->editor(QStringLiteral("who")), QStringLiteral("ann"));
        QVERIFY(dialog->runButton()->isEnabled());
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
    });
    QTest::mouseClick(flows->runButton(), Qt::LeftButton);
    QVERIFY(asked);
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 2, 20000);
    const qint64 runId = started.last().first().toLongLong();
    QVERIFY(m_env->engine->flush());
    Result<std::unique_ptr<RunStore>> store = RunStore::open(m_env->folder->runsPath());
    QVERIFY(store);
    const Result<std::optional<FlowRunRecord>> run = (*store)->run(runId);
    QVERIFY(run && *run);
    QCOMPARE((*run)->parameters.value(QStringLiteral("who")).toString(), QStringLiteral("ann"));
    QCOMPARE((*run)->parameters.value(QStringLiteral("times")).toLongLong(), 2);
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

    // A reload keeps the selected flow selected (and on its graph).
    m_window->flowsView()->selectFlow(QStringLiteral("mine"));
    QCOMPARE(m_window->flowsView()->currentFlow(), QStringLiteral("mine"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("steps: 4\n");
    bad.close();
    files.load();
    QCOMPARE(m_window->flowsView()->currentFlow(), QStringLiteral("mine"));
    QCOMPARE(m_window->flowsView()->pane()->shownFlow(), QStringLiteral("mine"));

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

namespace {
const QByteArray HourlyFlow = "schedule: \"0 * * * *\"\n"
                              "steps:\n  - id: stamp\n    run: \"true\"\n";
const QByteArray SlowHourlyFlow = "schedule: \"0 * * * *\"\n"
                                  "steps:\n  - id: wait\n    run: sleep 30\n";
} // namespace

// The preview lists the fire times in the range and greys the one a Completed run already
// has; Start runs the others, each shown with its run's end, and the progress reaches the end.
void TestFlowsView::backfillDialogPreviewsAndRuns()
{
    writeFlow(QStringLiteral("hourly"), HourlyFlow);
    FlowFiles files(m_env->registry, *m_env->folder, *m_env->settings);
    openWithFiles(files);
    const QDateTime from(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
    const QDateTime to = from.addSecs(4 * 3600);
    {
        // A Completed run at 01:00 already.
        RunOptions options;
        options.time = from.addSecs(3600);
        QSignalSpy finished(m_env->engine.get(), &Engine::runFinished);
        QVERIFY(m_env->engine->start(QStringLiteral("hourly"), options));
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().first().value<RunFinishedEvent>().state, RunState::Completed);
        QVERIFY(m_env->engine->flush());
    }

    FlowsView *flows = m_window->flowsView();
    flows->selectFlow(QStringLiteral("hourly"));
    QVERIFY(flows->backfillAction()->isEnabled());
    flows->backfill();
    BackfillDialog *dialog = flows->findChild<BackfillDialog *>();
    QVERIFY(dialog);
    dialog->setRange(from, to);
    dialog->setParallel(2);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isReady(), 20000);
    QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
    QTreeWidget *preview = dialog->previewList();
    QCOMPARE(preview->topLevelItemCount(), 4);
    QCOMPARE(preview->topLevelItem(0)->text(BackfillDialog::Time),
        QStringLiteral("2026-12-01 00:00:00"));
    QCOMPARE(dialog->fires().at(1).time, from.addSecs(3600));
    QVERIFY(dialog->fires().at(1).completedBefore);
    QVERIFY(!dialog->fires().at(0).completedBefore);
    QCOMPARE(dialog->fires().at(0).previous, from.addSecs(-3600));
    QVERIFY(
        preview->topLevelItem(1)->text(BackfillDialog::State).contains(QLatin1String("completed")));
    QVERIFY(preview->topLevelItem(1)->foreground(BackfillDialog::Time)
        != preview->topLevelItem(0)->foreground(BackfillDialog::Time));
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("backfillCount"))
                ->text()
                .contains(QLatin1String("3 to run")));

    QSignalSpy done(dialog, &BackfillDialog::backfillFinished);
    QVERIFY(dialog->startButton()->isEnabled());
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QVERIFY(dialog->isRunning());
    QCOMPARE(dialog->progressBar()->maximum(), 3);
    QVERIFY(done.wait(20000));
    const auto summary = done.first().first().value<BackfillRunner::Summary>();
    QCOMPARE(summary.completed, 3);
    QCOMPARE(summary.failed, 0);
    QCOMPARE(dialog->progressBar()->value(), 3);
    for (int row : { 0, 2, 3 }) {
        QVERIFY2(preview->topLevelItem(row)
                     ->text(BackfillDialog::State)
                     .endsWith(stateText(RunState::Completed)),
            qPrintable(preview->topLevelItem(row)->text(BackfillDialog::State)));
    }
    QVERIFY(!dialog->summaryText().isEmpty());
    dialog->close();
}

// Cancel starts nothing more and cancels the runs in progress.
void TestFlowsView::backfillDialogCancels()
{
    writeFlow(QStringLiteral("slow"), SlowHourlyFlow);
    FlowFiles files(m_env->registry, *m_env->folder, *m_env->settings);
    openWithFiles(files);
    FlowsView *flows = m_window->flowsView();
    flows->selectFlow(QStringLiteral("slow"));
    flows->backfill();
    BackfillDialog *dialog = flows->findChild<BackfillDialog *>();
    QVERIFY(dialog);
    const QDateTime from(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
    dialog->setRange(from, from.addSecs(5 * 3600));
    QTRY_VERIFY_WITH_TIMEOUT(dialog->startButton()->isEnabled(), 20000);
    QSignalSpy started(dialog, &BackfillDialog::runStarted);
    QSignalSpy done(dialog, &BackfillDialog::backfillFinished);
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QVERIFY(started.wait(10000));
    QVERIFY(dialog->cancelButton()->isVisible());
    // Closing while it runs asks; No keeps it running.
    bool asked = false;
    whenDialogOpens<QMessageBox>(this, [&asked](QMessageBox *box) {
        asked = true;
        box->button(QMessageBox::No)->click();
    });
    dialog->reject();
    QVERIFY(asked);
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->isRunning());
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QVERIFY(done.wait(20000));
    const auto summary = done.first().first().value<BackfillRunner::Summary>();
    QVERIFY(summary.cancelled);
    QCOMPARE(summary.completed, 0);
    QCOMPARE(summary.notRun, 4);
    QCOMPARE(started.count(), 1);
    QVERIFY(dialog->previewList()
                ->topLevelItem(0)
                ->text(BackfillDialog::State)
                .endsWith(stateText(RunState::Cancelled)));
    QVERIFY(!dialog->isRunning());
    dialog->close();
}

// No schedule, an empty range and too many fire times are said in the dialog; Start stays
// disabled.
void TestFlowsView::backfillDialogSaysWhatIsWrong()
{
    FlowsView *flows = m_window->flowsView();
    flows->selectFlow(QString::fromLatin1(DemoFlow::Name));
    flows->backfill();
    BackfillDialog *dialog = flows->findChild<BackfillDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isReady(), 20000);
    QVERIFY(!dialog->errorText().isEmpty());
    QVERIFY(!dialog->startButton()->isEnabled());
    dialog->close();
    QTRY_VERIFY_WITH_TIMEOUT(!flows->findChild<BackfillDialog *>(), 20000);

    writeFlow(
        QStringLiteral("often"), "schedule: \"* * * * *\"\nsteps:\n  - id: a\n    run: \"true\"\n");
    FlowFiles files(m_env->registry, *m_env->folder, *m_env->settings);
    openWithFiles(files);
    flows = m_window->flowsView();
    flows->selectFlow(QStringLiteral("often"));
    flows->backfill();
    dialog = flows->findChild<BackfillDialog *>();
    QVERIFY(dialog);
    const QDateTime from(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
    dialog->setRange(from, from);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isReady(), 20000);
    QVERIFY(!dialog->errorText().isEmpty());
    QVERIFY(!dialog->startButton()->isEnabled());
    dialog->setRange(from, from.addDays(7));
    QVERIFY2(dialog->errorText().contains(QLatin1String("10000")), qPrintable(dialog->errorText()));
    QVERIFY(!dialog->startButton()->isEnabled());
    dialog->setRange(from, from.addSecs(5 * 60));
    QVERIFY(dialog->errorText().isEmpty());
    QCOMPARE(dialog->previewList()->topLevelItemCount(), 5);
    QVERIFY(dialog->startButton()->isEnabled());
    dialog->close();
}

QTEST_MAIN(TestFlowsView)
#include "tst_flowsview.moc"
