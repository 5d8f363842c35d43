// The Runs area and its models offscreen: the bounded, batched log model and its filter, the
// history read off the GUI thread (filters by flow and state, a run's tasks and log), a flood
// of log lines that the window takes in a few batches, and hostile text shown escaped.

#include <atomic>

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QTranslator>
#include <QTreeView>
#include <QtTest>

#include "dialogs/definitiondialog.h"
#include "engine/runstore.h"
#include "engine/taskcontext.h"
#include "flows/demoflow.h"
#include "graph/flowgraphnodeitem.h"
#include "graph/flowgraphview.h"
#include "guitestenvironment.h"
#include "instance/flowfiles.h"
#include "models/logfiltermodel.h"
#include "models/logmodel.h"
#include "models/runhistory.h"
#include "models/runtablemodel.h"
#include "models/statestyle.h"
#include "models/tasktablemodel.h"
#include "views/runsview.h"

#include "engineeventlog.h"

using namespace Sluice;

namespace {

LogEvent logEvent(qint64 runId, int n, LogLevel level = LogLevel::Info)
{
    LogEvent event;
    event.runId = runId;
    event.flow = QStringLiteral("demo");
    event.task = QStringLiteral("task-%1").arg(n % 3);
    event.level = level;
    event.atMs = 1700000000000 + n;
    event.text = QStringLiteral("line %1").arg(n);
    return event;
}

// Registers a flow of the test and starts the engine, recording into the folder's runs.sqlite.
bool addFlowAndStart(GuiTestEnvironment &env, Flow flow)
{
    if (!env.registry.add(std::move(flow)))
        return false;
    env.engine = std::make_unique<Engine>(env.registry);
    return env.engine->enablePersistence(env.folder->runsPath(), 30).hasValue();
}

} // namespace

class TestRunsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void logModelKeepsNewestLinesWithinCapacity_data();
    void logModelKeepsNewestLinesWithinCapacity();
    void logModelBatchesLiveLines();
    void logModelIgnoresOtherRuns();
    void logModelDropsLinesAlreadyInHistory();
    void logFilterByLevelAndSearch_data();
    void logFilterByLevelAndSearch();
    void loadsHistoryTasksAndLog();
    void filtersByFlowAndState();
    void floodOfLogLinesArrivesInBatches();
    void modelsShowControlCharactersEscaped();
    void logFilterByTask();
    void graphTabShowsStoredRunAndFiltersLog();
    void graphFollowsLiveTaskStates();
    void retryFailedStepsAndRunAgain();
    void builtInRunHasNoDefinition();
    void failedTaskMessageShownUnderTasks();
    void storedMessagesFollowTheLanguage();

private:
    qint64 runToEnd(GuiTestEnvironment &env, const QString &flow, const QVariantMap &parameters);
};

void TestRunsView::logModelKeepsNewestLinesWithinCapacity_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("lines");
    QTest::addColumn<int>("batches");
    QTest::newRow("under capacity") << 100 << 40 << 1;
    QTest::newRow("exactly capacity") << 100 << 100 << 2;
    QTest::newRow("over capacity, one batch") << 100 << 250 << 1;
    QTest::newRow("over capacity, many batches") << 100 << 1000 << 7;
    QTest::newRow("capacity one") << 1 << 10 << 3;
}

void TestRunsView::logModelKeepsNewestLinesWithinCapacity()
{
    QFETCH(int, capacity);
    QFETCH(int, lines);
    QFETCH(int, batches);
    LogModel model;
    model.setCapacity(capacity);
    model.setRun(7);
    model.setHistory({});
    const int perBatch = (lines + batches - 1) / batches;
    for (int n = 0; n < lines; ++n) {
        model.onLogLine(logEvent(7, n));
        if ((n + 1) % perBatch == 0)
            model.flush();
    }
    model.flush();
    const int kept = qMin(capacity, lines);
    QCOMPARE(model.rowCount(), kept);
    QCOMPARE(model.index(0, LogModel::Text).data().toString(),
        QStringLiteral("line %1").arg(lines - kept));
    QCOMPARE(model.index(kept - 1, LogModel::Text).data().toString(),
        QStringLiteral("line %1").arg(lines - 1));
}

void TestRunsView::logModelBatchesLiveLines()
{
    LogModel model;
    model.setRun(1);
    model.setHistory({});
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int n = 0; n < 5000; ++n)
        model.onLogLine(logEvent(1, n));
    QCOMPARE(model.rowCount(), 0); // nothing until the timer flushes
    QTRY_COMPARE(model.rowCount(), 5000);
    QCOMPARE(inserted.count(), 1);
}

void TestRunsView::logModelIgnoresOtherRuns()
{
    LogModel model;
    model.setRun(1);
    model.setHistory({});
    model.onLogLine(logEvent(2, 1));
    model.onLogLine(logEvent(1, 2));
    model.flush();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, LogModel::Text).data().toString(), QStringLiteral("line 2"));
}

void TestRunsView::logModelDropsLinesAlreadyInHistory()
{
    LogModel model;
    model.setRun(3);
    // Live lines 0..4 arrive while the history is read; the history already holds 0..2.
    for (int n = 0; n < 5; ++n)
        model.onLogLine(logEvent(3, n));
    model.flush();
    QCOMPARE(model.rowCount(), 0); // held until the history is there
    QList<LogRecord> history;
    for (int n = 0; n < 3; ++n) {
        const LogEvent event = logEvent(3, n);
        history << LogRecord{ 3, event.task, 1, event.level, event.atMs, event.text };
    }
    model.setHistory(history);
    QCOMPARE(model.rowCount(), 5);
    for (int n = 0; n < 5; ++n)
        QCOMPARE(
            model.index(n, LogModel::Text).data().toString(), QStringLiteral("line %1").arg(n));
}

void TestRunsView::logFilterByLevelAndSearch_data()
{
    QTest::addColumn<int>("minimum");
    QTest::addColumn<QString>("search");
    QTest::addColumn<int>("expected");
    // 30 lines: n % 3 == 0 Info, 1 Warning, 2 Error; tasks task-0..2 the same way.
    QTest::newRow("all") << int(LogLevel::Info) << QString() << 30;
    QTest::newRow("warnings and errors") << int(LogLevel::Warning) << QString() << 20;
    QTest::newRow("errors") << int(LogLevel::Error) << QString() << 10;
    QTest::newRow("search text") << int(LogLevel::Info) << QStringLiteral("LINE 1") << 11;
    QTest::newRow("search task") << int(LogLevel::Info) << QStringLiteral("task-2") << 10;
    QTest::newRow("errors and search") << int(LogLevel::Error) << QStringLiteral("line 2") << 5;
    QTest::newRow("nothing") << int(LogLevel::Info) << QStringLiteral("absent") << 0;
}

void TestRunsView::logFilterByLevelAndSearch()
{
    QFETCH(int, minimum);
    QFETCH(QString, search);
    QFETCH(int, expected);
    LogModel model;
    model.setRun(1);
    model.setHistory({});
    for (int n = 0; n < 30; ++n)
        model.onLogLine(logEvent(1, n, LogLevel(n % 3)));
    model.flush();
    LogFilterModel filter;
    filter.setSourceModel(&model);
    filter.setMinimumLevel(LogLevel(minimum));
    filter.setSearchText(search);
    int count = 0;
    for (int n = 0; n < 30; ++n) {
        const bool levelOk = n % 3 >= minimum;
        const QString text = QStringLiteral("line %1").arg(n);
        const QString task = QStringLiteral("task-%1").arg(n % 3);
        const bool searchOk = search.isEmpty() || text.contains(search, Qt::CaseInsensitive)
            || task.contains(search, Qt::CaseInsensitive);
        count += levelOk && searchOk;
    }
    QCOMPARE(count, expected); // the rows above describe the data right
    QCOMPARE(filter.rowCount(), expected);
}

qint64 TestRunsView::runToEnd(
    GuiTestEnvironment &env, const QString &flow, const QVariantMap &parameters)
{
    QSignalSpy finished(env.engine.get(), &Engine::runFinished);
    EngineTest::RunIds ids(*env.engine);
    const Result<qint64> ticket = env.engine->start(flow, parameters);
    if (!ticket)
        return 0;
    if (!finished.wait(30000))
        return 0;
    if (!env.engine->flush())
        return 0;
    return ids.waitFor(*ticket);
}

void TestRunsView::loadsHistoryTasksAndLog()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const qint64 runId = runToEnd(env, QStringLiteral("demo"), { { "sleep-ms", 10 } });
    QVERIFY(runId != 0);

    RunHistory history(env.folder->runsPath());
    RunsView view(&history, env.engine.get(), env.registry.names());
    view.resize(1000, 700);
    view.show();
    QTRY_COMPARE(view.runModel()->rowCount(), 1);
    QCOMPARE(view.runModel()->runId(0), runId);
    QCOMPARE(view.runModel()->index(0, RunTableModel::State).data().toString(),
        stateText(RunState::Completed));

    view.runTable()->selectRow(0);
    QCOMPARE(view.shownRun(), runId);
    Result<std::unique_ptr<RunStore>> store = RunStore::open(env.folder->runsPath());
    QVERIFY(store);
    const Result<QList<TaskRunRecord>> tasks = (*store)->tasks(runId);
    const Result<QList<LogRecord>> log = (*store)->logLines(runId);
    QVERIFY(tasks && log);
    QTRY_COMPARE(view.taskModel()->rowCount(), int(tasks->size()));
    for (int row = 0; row < tasks->size(); ++row) {
        QCOMPARE(view.taskModel()->index(row, TaskTableModel::Task).data().toString(),
            tasks->at(row).task);
        QCOMPARE(view.taskModel()->state(row), RunState::Completed);
    }
    QTRY_COMPARE(view.logModel()->rowCount(), int(log->size()));
    QCOMPARE(view.logModel()->index(0, LogModel::Text).data().toString(), log->first().text);
}

void TestRunsView::filtersByFlowAndState()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const qint64 good = runToEnd(env, QStringLiteral("demo"), { { "sleep-ms", 5 } });
    const qint64 bad =
        runToEnd(env, QStringLiteral("demo"), { { "sleep-ms", 5 }, { "fail", true } });
    QVERIFY(good && bad);
    // The run store is written behind the events: read the history once both are on disk.
    QVERIFY(env.engine->flush());

    RunHistory history(env.folder->runsPath());
    RunsView view(&history, env.engine.get(), env.registry.names());
    QTRY_COMPARE_WITH_TIMEOUT(view.runModel()->rowCount(), 2, 20000);
    QCOMPARE(view.runModel()->runId(0), bad); // newest first

    auto *state = view.findChild<QComboBox *>(QStringLiteral("stateFilter"));
    QVERIFY(state);
    state->setCurrentIndex(state->findData(int(RunState::Failed)));
    QTRY_COMPARE_WITH_TIMEOUT(view.runModel()->rowCount(), 1, 20000);
    QCOMPARE(view.runModel()->runId(0), bad);
    state->setCurrentIndex(state->findData(int(RunState::Completed)));
    QTRY_COMPARE_WITH_TIMEOUT(view.runModel()->runId(0), good, 20000);
    QCOMPARE(view.runModel()->rowCount(), 1);

    // A live run joins only when it passes the filter.
    EngineTest::RunIds ids(*env.engine);
    const Result<qint64> ticket = env.engine->start(QStringLiteral("demo"), { { "sleep-ms", 5 } });
    QVERIFY(ticket);
    const qint64 third = ids.waitFor(*ticket);
    QVERIFY(third);
    QTRY_VERIFY_WITH_TIMEOUT(view.runModel()->rowOf(third) >= 0, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(view.runModel()
                                  ->index(view.runModel()->rowOf(third), RunTableModel::State)
                                  .data()
                                  .toString(),
        stateText(RunState::Completed), 20000);
    state->setCurrentIndex(0);
    auto *flow = view.findChild<QComboBox *>(QStringLiteral("flowFilter"));
    flow->setCurrentIndex(flow->findData(QStringLiteral("demo")));
    QTRY_COMPARE_WITH_TIMEOUT(view.runModel()->rowCount(), 3, 20000);
}

void TestRunsView::floodOfLogLinesArrivesInBatches()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp(false);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    constexpr int Lines = 50000;
    Flow flood(QStringLiteral("flood"), QStringLiteral("logs a lot"));
    // A sustained stream: 50 bursts of 1000 lines, 20 ms apart (about 40 000 lines a second).
    flood.addTask({ QStringLiteral("talk"), {},
        [](TaskContext &context) -> Result<QVariant> {
            for (int n = 0; n < Lines; ++n) {
                context.info(QStringLiteral("line %1").arg(n));
                if (n % 1000 == 999 && !context.sleep(20))
                    return Error{ QStringLiteral("cancelled"), {} };
            }
            return QVariant(Lines);
        },
        {}, {} });
    QVERIFY(addFlowAndStart(env, std::move(flood)));

    RunHistory history(env.folder->runsPath());
    RunsView view(&history, env.engine.get(), env.registry.names());
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.logModel()->setCapacity(20000);

    // How long the event loop goes without turning while the lines pour in.
    QElapsedTimer sinceTick;
    qint64 longestGap = 0;
    QTimer tick;
    tick.setInterval(5);
    connect(
        &tick, &QTimer::timeout, this, [&] { longestGap = qMax(longestGap, sinceTick.restart()); });
    QSignalSpy inserted(view.logModel(), &QAbstractItemModel::rowsInserted);
    QSignalSpy finished(env.engine.get(), &Engine::runFinished);
    QElapsedTimer total;
    total.start();
    EngineTest::RunIds ids(*env.engine);
    const Result<qint64> ticket = env.engine->start(QStringLiteral("flood"));
    QVERIFY(ticket);
    const qint64 run = ids.waitFor(*ticket);
    QVERIFY(run);
    view.showRun(run);
    sinceTick.start();
    tick.start();
    QVERIFY(finished.wait(60000));
    QTRY_COMPARE_WITH_TIMEOUT(view.logModel()->rowCount(), 20000, 20000);
    QTRY_COMPARE(view.logModel()->pendingCount(), 0);
    tick.stop();
    QCOMPARE(view.logModel()->index(19999, LogModel::Text).data().toString(),
        QStringLiteral("line %1").arg(Lines - 1));
    QVERIFY2(inserted.count() < Lines / 100, qPrintable(QString::number(inserted.count())));
    qInfo("%d lines in %lld ms, %d inserts into the view, longest event-loop gap %lld ms", Lines,
        total.elapsed(), int(inserted.count()), longestGap);
}

// A step's error and log lines as a server wrote them (escape sequences, BEL, CR, a bidi
// override): the models show them escaped, whatever the role; the records keep them raw.
void TestRunsView::modelsShowControlCharactersEscaped()
{
    const QString hostile = QStringLiteral("\x1b[31mred\a\roverwritten \u202efdp.exe");
    const QString shown = QStringLiteral("\\x1b[31mred\\x07\\roverwritten \\u202efdp.exe");

    LogModel log;
    log.setRun(1);
    LogEvent line = logEvent(1, 0, LogLevel::Error);
    line.text = hostile;
    log.setHistory({});
    log.onLogLine(line);
    log.flush();
    QCOMPARE(log.rowCount(), 1);
    QCOMPARE(log.index(0, LogModel::Text).data().toString(), shown);
    QCOMPARE(log.index(0, LogModel::Text).data(Qt::ToolTipRole).toString(), shown);
    QVERIFY(log.lineText(0).endsWith(shown)); // what Copy puts on the clipboard

    TaskTableModel tasks;
    tasks.setRun(1);
    TaskRunRecord task;
    task.runId = 1;
    task.task = QStringLiteral("fetch");
    task.state = RunState::Failed;
    task.message = hostile;
    tasks.setTasks({ task });
    QCOMPARE(tasks.index(0, TaskTableModel::Message).data().toString(), shown);
    QCOMPARE(tasks.index(0, TaskTableModel::Message).data(Qt::ToolTipRole).toString(), shown);

    RunTableModel runs;
    FlowRunRecord run;
    run.id = 1;
    run.flow = QStringLiteral("demo");
    run.state = RunState::Failed;
    run.failedTask = QStringLiteral("fetch");
    run.message = hostile;
    runs.setRuns({ run });
    QCOMPARE(
        runs.index(0, RunTableModel::Message).data().toString(), QStringLiteral("fetch: ") + shown);
    QCOMPARE(runs.index(0, RunTableModel::Message).data(Qt::ToolTipRole).toString(), shown);
}

void TestRunsView::logFilterByTask()
{
    LogModel model;
    model.setRun(1);
    model.setHistory({});
    for (int n = 0; n < 30; ++n)
        model.onLogLine(logEvent(1, n));
    model.flush();
    LogFilterModel filter;
    filter.setSourceModel(&model);
    filter.setTaskFilter(QStringLiteral("task-1"));
    QCOMPARE(filter.rowCount(), 10);
    for (int row = 0; row < filter.rowCount(); ++row)
        QCOMPARE(filter.index(row, LogModel::Task).data().toString(), QStringLiteral("task-1"));
    filter.setTaskFilter(QStringLiteral("task")); // exact, not a part of the name
    QCOMPARE(filter.rowCount(), 0);
    filter.setTaskFilter(QString());
    QCOMPARE(filter.rowCount(), 30);
}

// A finished run's Graph tab: the flow's steps and needs with their stored states; clicking
// a step shows only its log lines (and the chip that clears it), the background all again.
void TestRunsView::graphTabShowsStoredRunAndFiltersLog()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const qint64 runId =
        runToEnd(env, QStringLiteral("demo"), { { "sleep-ms", 10 }, { "fail", true } });
    QVERIFY(runId != 0);
    Result<std::unique_ptr<RunStore>> store = RunStore::open(env.folder->runsPath());
    QVERIFY(store);
    const Result<QList<LogRecord>> log = (*store)->logLines(runId);
    QVERIFY(log);

    RunHistory history(env.folder->runsPath());
    RunsView view(&history, env.engine.get(), env.registry.names());
    view.resize(1100, 750);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.taskTabs()->count(), 2);
    QCOMPARE(view.taskTabs()->tabText(1), QStringLiteral("Graph"));
    view.taskTabs()->setCurrentIndex(1);
    view.showRun(runId);
    FlowGraphView *graph = view.graphView();
    QTRY_COMPARE(graph->graph().size(), 4);
    QTRY_COMPARE(view.logModel()->rowCount(), int(log->size()));
    const QString merge = graph->graph().nodes.at(2).id;
    QCOMPARE(graph->graph().nodes.at(2).needs,
        QStringList({ graph->graph().nodes.at(0).id, graph->graph().nodes.at(1).id }));
    QCOMPARE(graph->nodeItem(graph->graph().nodes.at(0).id)->state(), RunState::Completed);
    QCOMPARE(graph->nodeItem(merge)->state(), RunState::Failed);
    QCOMPARE(graph->nodeItem(merge)->borderColor(), StateStyle::color(RunState::Failed));
    QCOMPARE(graph->nodeItem(graph->graph().nodes.at(3).id)->state(), RunState::Skipped);

    // Click the first step: only its lines remain.
    const QString first = graph->graph().nodes.at(0).id;
    int firstLines = 0;
    for (const LogRecord &line : *log)
        firstLines += line.task == first;
    QVERIFY(firstLines > 0 && firstLines < log->size());
    QTest::mouseClick(graph->viewport(), Qt::LeftButton, {},
        graph->mapFromScene(graph->nodeRect(first).center()));
    QCOMPARE(view.logFilter()->taskFilter(), first);
    QCOMPARE(view.logFilter()->rowCount(), firstLines);
    for (int row = 0; row < view.logFilter()->rowCount(); ++row)
        QCOMPARE(view.logFilter()->index(row, LogModel::Task).data().toString(), first);
    QVERIFY(view.logStepFilter()->isVisible());
    QVERIFY(view.logStepFilter()->text().contains(first));
    // The task table's selection stays as it was: it does not filter.
    view.taskView()->setCurrentIndex(view.taskModel()->index(3, 0));
    QCOMPARE(view.logFilter()->taskFilter(), first);

    // The chip clears it.
    QTest::mouseClick(view.logStepFilter(), Qt::LeftButton);
    QCOMPARE(view.logFilter()->taskFilter(), QString());
    QCOMPARE(view.logFilter()->rowCount(), int(log->size()));
    QVERIFY(!view.logStepFilter()->isVisible());
    QCOMPARE(graph->selectedTask(), QString());

    // So does a click on the background.
    QTest::mouseClick(graph->viewport(), Qt::LeftButton, {},
        graph->mapFromScene(graph->nodeRect(merge).center()));
    QCOMPARE(view.logFilter()->taskFilter(), merge);
    QTest::mouseClick(graph->viewport(), Qt::LeftButton, {}, QPoint(2, 2));
    QCOMPARE(view.logFilter()->taskFilter(), QString());
    QCOMPARE(view.logFilter()->rowCount(), int(log->size()));
}

// During a run the graph's steps follow the engine's task events: Running with the attempt of
// the flow's retry policy, then Completed.
void TestRunsView::graphFollowsLiveTaskStates()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp(false);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    auto release = std::make_shared<std::atomic<bool>>(false);
    Flow gated(QStringLiteral("gated"), QStringLiteral("waits for the test"));
    RetryPolicy retry;
    retry.retries = 2;
    retry.delayMs = 10;
    gated.setRetryPolicy(retry);
    gated.addTask({ QStringLiteral("wait"), {},
        [release](TaskContext &context) -> Result<QVariant> {
            context.info(QStringLiteral("waiting"));
            while (!release->load()) {
                if (!context.sleep(5))
                    return Error{ QStringLiteral("cancelled"), {} };
            }
            return QVariant(1);
        },
        {}, {} });
    gated.addTask({ QStringLiteral("after"), { QStringLiteral("wait") },
        [](TaskContext &) -> Result<QVariant> { return QVariant(2); }, {}, {} });
    QVERIFY(addFlowAndStart(env, std::move(gated)));

    RunHistory history(env.folder->runsPath());
    RunsView view(&history, env.engine.get(), env.registry.names());
    view.resize(1000, 700);
    view.taskTabs()->setCurrentIndex(1);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QSignalSpy finished(env.engine.get(), &Engine::runFinished);
    EngineTest::RunIds ids(*env.engine);
    const Result<qint64> ticket = env.engine->start(QStringLiteral("gated"));
    QVERIFY(ticket);
    const qint64 run = ids.waitFor(*ticket);
    QVERIFY(run);
    view.showRun(run);
    FlowGraphView *graph = view.graphView();
    QTRY_COMPARE(graph->graph().size(), 2);
    QTRY_COMPARE(graph->nodeItem(QStringLiteral("wait"))->state(), RunState::Running);
    QCOMPARE(graph->nodeItem(QStringLiteral("wait"))->borderColor(),
        StateStyle::color(RunState::Running));
    QVERIFY2(graph->nodeItem(QStringLiteral("wait"))->statusText().contains(QStringLiteral("1/3")),
        qPrintable(graph->nodeItem(QStringLiteral("wait"))->statusText()));
    QVERIFY(graph->nodeItem(QStringLiteral("after"))->state() != RunState::Completed);

    release->store(true);
    QVERIFY(finished.wait(20000));
    QTRY_COMPARE(graph->nodeItem(QStringLiteral("wait"))->state(), RunState::Completed);
    QTRY_COMPARE(graph->nodeItem(QStringLiteral("after"))->state(), RunState::Completed);
    QCOMPARE(graph->nodeItem(QStringLiteral("after"))->borderColor(),
        StateStyle::color(RunState::Completed));
    env.engine->shutDown();
}

// A file flow whose second step fails until a marker exists: "Retry failed steps" reuses the
// first step (its record says so) and completes; "Run again" runs every step; the run shows the
// definition it used and "Show definition" its YAML.
void TestRunsView::retryFailedStepsAndRunAgain()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString folder = env.folder->path() + QStringLiteral("/flows/");
    QVERIFY(QDir().mkpath(folder));
    const QByteArray yaml = "steps:\n"
                            "  - id: a\n"
                            "    run: echo ran >> a.count\n"
                            "  - id: b\n"
                            "    run: test -f fixed\n";
    {
        QFile file(folder + QStringLiteral("fixme.yaml"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(yaml);
    }
    FlowFiles files(env.registry, *env.folder, *env.settings);
    files.load();
    QVERIFY(env.registry.flow(QStringLiteral("fixme")));
    const qint64 failed = runToEnd(env, QStringLiteral("fixme"), {});
    QVERIFY(failed);

    RunHistory history(env.folder->runsPath());
    RunsView view(&history, env.engine.get(), env.registry.names());
    view.resize(1000, 700);
    view.show();
    QVERIFY(!view.retryFailedButton()->isEnabled());
    view.showRun(failed);
    QTRY_VERIFY_WITH_TIMEOUT(view.retryFailedButton()->isEnabled(), 20000);
    QVERIFY(view.runAgainButton()->isEnabled());
    const QString sha = QString::fromLatin1(
        QCryptographicHash::hash(yaml, QCryptographicHash::Sha256).toHex().left(12));
    QVERIFY2(view.definitionText().contains(sha), qPrintable(view.definitionText()));
    QVERIFY2(view.definitionText().contains(QLatin1String("fixme.yaml")),
        qPrintable(view.definitionText()));

    // The stored YAML, read-only.
    QVERIFY(view.showDefinitionButton()->isEnabled());
    QTest::mouseClick(view.showDefinitionButton(), Qt::LeftButton);
    auto *definition = view.findChild<DefinitionDialog *>();
    QVERIFY(definition);
    QVERIFY(definition->textView()->isReadOnly());
    QCOMPARE(definition->textView()->toPlainText(), QString::fromUtf8(yaml));
    definition->close();

    // Fixed: the retry reuses a and runs b.
    {
        QFile marker(folder + QStringLiteral("fixed"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
    }
    QSignalSpy finished(env.engine.get(), &Engine::runFinished);
    QTest::mouseClick(view.retryFailedButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(view.shownRun() != failed && view.shownRun() != 0, 20000);
    const qint64 retried = view.shownRun();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
    QCOMPARE(finished.last().first().value<RunFinishedEvent>().state, RunState::Completed);
    QVERIFY(env.engine->flush());
    Result<std::unique_ptr<RunStore>> store = RunStore::open(env.folder->runsPath());
    QVERIFY(store);
    Result<QList<TaskRunRecord>> tasks = (*store)->tasks(retried);
    QVERIFY(tasks && tasks->size() == 2);
    QCOMPARE(tasks->at(0).state, RunState::Completed);
    QCOMPARE(tasks->at(0).message, QStringLiteral("reused from run %1").arg(failed));
    QCOMPARE(tasks->at(1).state, RunState::Completed);
    QVERIFY(tasks->at(1).message.isEmpty());
    const auto countLines = [&] {
        QFile count(folder + QStringLiteral("a.count"));
        return count.open(QIODevice::ReadOnly) ? count.readAll().count('\n') : -1;
    };
    QCOMPARE(countLines(), 1); // a ran in the first run only

    // A completed run cannot retry failed steps; it can run again, every step anew.
    QTRY_VERIFY_WITH_TIMEOUT(view.runAgainButton()->isEnabled(), 20000);
    QVERIFY(!view.retryFailedButton()->isEnabled());
    finished.clear();
    QTest::mouseClick(view.runAgainButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(view.shownRun() != retried, 20000);
    const qint64 again = view.shownRun();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
    QCOMPARE(finished.last().first().value<RunFinishedEvent>().state, RunState::Completed);
    QVERIFY(env.engine->flush());
    tasks = (*store)->tasks(again);
    QVERIFY(tasks && tasks->size() == 2);
    QVERIFY(tasks->at(0).message.isEmpty());
    QCOMPARE(countLines(), 2);
    const Result<std::optional<FlowRunRecord>> record = (*store)->run(again);
    QVERIFY(record && *record);
    QCOMPARE((*record)->trigger, QStringLiteral("retry"));
    QCOMPARE((*record)->reusedFrom, retried);
}

// A built-in flow's run says so and has no definition to show.
void TestRunsView::builtInRunHasNoDefinition()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const qint64 runId = runToEnd(env, QStringLiteral("demo"), { { "sleep-ms", 5 } });
    QVERIFY(runId);
    RunHistory history(env.folder->runsPath());
    RunsView view(&history, env.engine.get(), env.registry.names());
    view.showRun(runId);
    QTRY_VERIFY_WITH_TIMEOUT(view.runAgainButton()->isEnabled(), 20000);
    QVERIFY(!view.retryFailedButton()->isEnabled()); // it completed
    QVERIFY2(view.definitionText().contains(QLatin1String("built-in")),
        qPrintable(view.definitionText()));
    QVERIFY(!view.showDefinitionButton()->isEnabled());
}

// At the window's default size the tasks' message column is past the pane's edge: the error
// of the failed task is told under the tasks, wrapped and selectable, and on its row's
// tooltip; "Errors only" shows the engine's line about it.
void TestRunsView::failedTaskMessageShownUnderTasks()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const qint64 runId =
        runToEnd(env, QStringLiteral("demo"), { { "sleep-ms", 0 }, { "fail", true } });
    QVERIFY(runId != 0);
    Result<std::unique_ptr<RunStore>> store = RunStore::open(env.folder->runsPath());
    QVERIFY(store);
    const Result<QList<TaskRunRecord>> tasks = (*store)->tasks(runId);
    QVERIFY(tasks);
    int failedRow = -1;
    for (int row = 0; row < tasks->size() && failedRow < 0; ++row) {
        if (tasks->at(row).state == RunState::Failed)
            failedRow = row;
    }
    QVERIFY(failedRow >= 0);
    const TaskRunRecord failed = tasks->at(failedRow);

    RunHistory history(env.folder->runsPath());
    RunsView view(&history, env.engine.get(), env.registry.names());
    view.resize(1100, 640); // the Runs area of MainWindow at its default 1100 x 700
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showRun(runId);
    QTRY_COMPARE(view.taskModel()->rowCount(), int(tasks->size()));
    QLabel *detail = view.taskDetail();
    QTRY_VERIFY(detail->isVisible());
    QVERIFY2(detail->text().contains(failed.message), qPrintable(detail->text()));
    QVERIFY(detail->text().startsWith(failed.task));
    QVERIFY(detail->wordWrap());
    QVERIFY(detail->textInteractionFlags() & Qt::TextSelectableByMouse);
    // Seen: inside the view, not clipped away.
    const QRect shown(detail->mapTo(&view, QPoint(0, 0)), detail->size());
    QVERIFY(view.rect().contains(shown));
    QVERIFY(detail->height() >= detail->fontMetrics().height());
    // The row tells it too, whichever column the mouse is on.
    for (const int column : { int(TaskTableModel::Task), int(TaskTableModel::State) }) {
        const QString tip =
            view.taskModel()->index(failedRow, column).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(failed.message), qPrintable(tip));
    }
    // Selecting a completed task without a message keeps the failure in view; selecting a
    // skipped one shows its reason.
    view.taskView()->setCurrentIndex(view.taskModel()->index(0, 0));
    QVERIFY(detail->text().contains(failed.message));
    const int skippedRow = int(tasks->size()) - 1;
    QCOMPARE(tasks->at(skippedRow).state, RunState::Skipped);
    view.taskView()->setCurrentIndex(view.taskModel()->index(skippedRow, 0));
    QVERIFY2(detail->text().contains(tasks->at(skippedRow).message), qPrintable(detail->text()));

    // "Errors only": the failure is an error line of the task's log.
    auto *level = view.findChild<QComboBox *>(QStringLiteral("logLevel"));
    QVERIFY(level);
    level->setCurrentIndex(level->findData(int(LogLevel::Error)));
    QTRY_VERIFY(view.logFilter()->rowCount() > 0);
    bool found = false;
    for (int row = 0; row < view.logFilter()->rowCount(); ++row) {
        const QString text = view.logFilter()->index(row, LogModel::Text).data().toString();
        found = found || text == QStringLiteral("Failed: ") + failed.message;
    }
    QVERIFY(found);

    QDir().mkpath(QStringLiteral("/tmp/sluice-shots"));
    view.grab().save(QStringLiteral("/tmp/sluice-shots/runsview-failed.png"));
}

// Messages are stored in English with their key and shown in the language of the moment: a
// run recorded in English shows in Chinese once the Chinese catalogue is installed, and one
// recorded in Chinese shows in English once it is removed.
void TestRunsView::storedMessagesFollowTheLanguage()
{
    GuiTestEnvironment env;
    const QString problem = env.setUp();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QVariantMap failing{ { "sleep-ms", 0 }, { "fail", true } };
    const qint64 english = runToEnd(env, QStringLiteral("demo"), failing);
    QVERIFY(english != 0);
    QTranslator translator;
    QVERIFY(translator.load(QStringLiteral(":/i18n/sluice_zh_CN.qm")));
    QVERIFY(QCoreApplication::installTranslator(&translator));
    const qint64 chinese = runToEnd(env, QStringLiteral("demo"), failing);
    QCoreApplication::removeTranslator(&translator);
    QVERIFY(chinese != 0);

    // Stored in English either way.
    Result<std::unique_ptr<RunStore>> store = RunStore::open(env.folder->runsPath());
    QVERIFY(store);
    const QString skippedEnglish = QStringLiteral("upstream task \"merge\" failed");
    const QString skippedChinese = QStringLiteral("上游任务“merge”失败");
    for (const qint64 id : { english, chinese }) {
        const Result<QList<TaskRunRecord>> tasks = (*store)->tasks(id);
        QVERIFY(tasks && !tasks->isEmpty());
        QCOMPARE(tasks->last().message, skippedEnglish);
        QVERIFY(!tasks->last().messageKey.isEmpty());
    }

    RunHistory history(env.folder->runsPath());
    RunsView view(&history, env.engine.get(), env.registry.names());
    view.resize(1100, 640);
    view.show();
    const auto shownSkipReason = [&](qint64 id) {
        view.showRun(id);
        if (!QTest::qWaitFor([&] {
                return view.shownRun() == id && view.taskModel()->rowCount() > 0
                    && view.taskModel()->state(view.taskModel()->rowCount() - 1)
                    == RunState::Skipped;
            }))
            return QStringLiteral("(not loaded)");
        return view.taskModel()
            ->index(view.taskModel()->rowCount() - 1, TaskTableModel::Message)
            .data()
            .toString();
    };
    QVERIFY(QCoreApplication::installTranslator(&translator));
    QCOMPARE(shownSkipReason(english), skippedChinese);
    QCOMPARE(shownSkipReason(chinese), skippedChinese);
    QCoreApplication::removeTranslator(&translator);
    QCOMPARE(shownSkipReason(english), skippedEnglish);
    QCOMPARE(shownSkipReason(chinese), skippedEnglish);
}

QTEST_MAIN(TestRunsView)
#include "tst_runsview.moc"
