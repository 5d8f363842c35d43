#include "mainwindow.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include "data/gapfiller.h"
#include "dialogs/settingsdialog.h"
#include "engine/displaytext.h"
#include "engine/engine.h"
#include "engine/message.h"
#include "instance/flowfiles.h"
#include "models/flowtablemodel.h"
#include "models/runhistory.h"
#include "schedule/schedulerunner.h"
#include "schedule/schedulestore.h"
#include "settings/settings.h"
#include "trayicon.h"
#include "views/chartsview.h"
#include "views/dataview.h"
#include "views/flowpane.h"
#include "views/flowsview.h"
#include "views/gappanel.h"
#include "views/runsview.h"
#include "widgets/noticebar.h"
#include "windowsettings.h"

namespace Sluice {

namespace {

    constexpr auto GeometryKey = "mainwindow/geometry";
    constexpr auto StateKey = "mainwindow/state";
    constexpr auto AreaKey = "mainwindow/area";

} // namespace

MainWindow::MainWindow(Settings *settings, const DataFolder &folder, QWidget *parent)
    : MainWindow(settings, folder, Services(), parent)
{ }

MainWindow::MainWindow(
    Settings *settings, const DataFolder &folder, const Services &services, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_folder(folder)
    , m_services(services)
    , m_schedules(std::make_unique<ScheduleStore>(ScheduleStore::defaultPath(folder)))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Sluice"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/sluice.svg")));
    setUnifiedTitleAndToolBarOnMac(true);

    createAreas();
    createActions();

    m_folderLabel = new QLabel(QDir::toNativeSeparators(folder.path()));
    m_folderLabel->setToolTip(tr("Data folder"));
    m_runsLabel = new QLabel;
    m_runsLabel->setObjectName(QStringLiteral("runsInProgress"));
    statusBar()->addPermanentWidget(m_runsLabel);
    statusBar()->addPermanentWidget(m_folderLabel);
    statusBar()->showMessage(tr("Ready"));
    showSettingsWarnings();

    m_tray = new TrayIcon(this);
    connect(m_tray, &TrayIcon::showRequested, this, &MainWindow::showFromTray);
    connect(m_tray, &TrayIcon::quitRequested, qApp, &QApplication::quit);
    if (Engine *engine = m_services.engine) {
        connect(engine, &Engine::runStarted, this, &MainWindow::onRunStarted);
        connect(engine, &Engine::runFinished, this, &MainWindow::onRunFinished);
        // Only the tables a run stored rows in are read again (on the areas' own threads), so
        // that a run every minute that stores nothing shown leaves the views alone.
        connect(engine, &Engine::runFinished, this, [this](const RunFinishedEvent &finished) {
            m_data->onRowsStored(finished.storedRows);
            m_charts->onRowsStored(finished.storedRows);
        });
    }
    connect(m_flows, &FlowsView::messageShown, this, [this](const QString &message) {
        statusBar()->showMessage(escapeControls(message), 8000);
    });
    connect(m_runs, &RunsView::messageShown, this, [this](const QString &message) {
        statusBar()->showMessage(escapeControls(message), 8000);
    });
    connect(m_flows, &FlowsView::scheduleChanged, this, &MainWindow::reloadScheduler);
    connect(m_flows, &FlowsView::runStarted, this, [this](qint64 runId) {
        m_runs->showRun(runId);
        setCurrentArea(Area::Runs);
    });
    connect(m_flows, &FlowsView::runOpened, this, [this](qint64 runId) {
        m_runs->showRun(runId);
        setCurrentArea(Area::Runs);
    });
    updateRunState();

    resize(1100, 700);
    restoreWindowState();
}

MainWindow::~MainWindow() = default;

void MainWindow::createAreas()
{
    m_stack = new QStackedWidget;
    Engine *engine = m_services.engine;
    const FlowRegistry &registry = engine ? engine->registry() : m_noFlows;
    m_flowModel = new FlowTableModel(registry, this);
    if (engine) {
        m_history = new RunHistory(m_folder.runsPath(), this);
        connect(engine, &Engine::runQueued, m_flowModel, &FlowTableModel::onRunQueued);
        connect(engine, &Engine::runStartFailed, m_flowModel, &FlowTableModel::onRunStartFailed);
        connect(engine, &Engine::runStarted, m_flowModel, &FlowTableModel::onRunStarted);
        connect(engine, &Engine::runFinished, m_flowModel, &FlowTableModel::onRunFinished);
        const quint64 token = m_history->requestLastRuns();
        connect(m_history, &RunHistory::lastRunsLoaded, m_flowModel,
            [this, token](quint64 answered, const QHash<QString, FlowRunRecord> &runs) {
                if (answered == token)
                    m_flowModel->setLastRuns(runs);
            });
    }
    m_flows = new FlowsView(m_flowModel, engine, m_schedules.get());
    m_flows->setRunHistory(m_history);
    if (FlowFiles *files = m_services.flowFiles) {
        m_flows->setFileSchedules(files->schedules());
        connect(files, &FlowFiles::flowsChanged, m_flows, [this, files] {
            m_flowModel->reloadFlows();
            m_flows->setFileSchedules(files->schedules());
        });
    }
    // The run filter offers the invalid files too: their scheduled fires are Failed runs.
    const auto flowNames = [flows = &registry] {
        QStringList names = flows->names();
        for (const BrokenFlow &file : flows->brokenFlows())
            names << file.name;
        return names;
    };
    m_runs = new RunsView(m_history, engine, flowNames());
    if (FlowFiles *files = m_services.flowFiles)
        connect(files, &FlowFiles::flowsChanged, m_runs,
            [this, flowNames] { m_runs->setFlows(flowNames()); });
    m_data = new DataView;
    m_data->setWarehousePath(m_folder.warehousePath());
    m_charts = new ChartsView;
    m_charts->setWarehousePath(m_folder.warehousePath());
    // "Fill gaps" of both gap maps runs btc-backfill through the window's engine.
    auto *gapFiller = new GapFiller(m_services.engine, this);
    gapFiller->setObjectName(QStringLiteral("gapFiller"));
    m_data->gapPanel()->setFiller(gapFiller);
    m_charts->gapPanel()->setFiller(gapFiller);
    // The empty states' buttons lead to the flow that fills the area.
    const auto showFlow = [this](const QString &flow) {
        setCurrentArea(Area::Flows);
        if (!flow.isEmpty())
            m_flows->selectFlow(flow);
    };
    connect(m_runs, &RunsView::flowRequested, this, showFlow);
    m_flows->setDataFolder(m_folder.path());
    // A step clicked in the Flows area's graph: its run's log, filtered to that step.
    connect(m_flows->pane(), &FlowPane::stepClicked, this,
        [this](const QString &, qint64 runId, const QString &task) {
            if (runId == 0)
                return;
            setCurrentArea(Area::Runs);
            m_runs->showRun(runId);
            m_runs->setLogStep(task);
        });
    connect(m_data, &DataView::flowRequested, this, showFlow);
    connect(m_charts, &ChartsView::flowRequested, this, showFlow);
    m_stack->addWidget(m_flows);
    m_stack->addWidget(m_runs);
    m_stack->addWidget(m_data);
    m_stack->addWidget(m_charts);
    m_notice = new NoticeBar;
    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_notice);
    centralLayout->addWidget(m_stack, 1);
    setCentralWidget(central);
}

void MainWindow::createActions()
{
    // File
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_settingsAction = file->addAction(QIcon(QStringLiteral(":/icons/settings.svg")),
        tr("&Settings…"), this, &MainWindow::showSettings);
    m_settingsAction->setShortcut(QKeySequence(QKeySequence::Preferences).isEmpty()
            ? QKeySequence(Qt::CTRL | Qt::Key_Comma)
            : QKeySequence(QKeySequence::Preferences));
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    // View: one checkable action an area, shared with the toolbar.
    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_areaGroup = new QActionGroup(this);
    m_areaGroup->setExclusive(true);
    const struct
    {
        QString text;
        QString tip;
        QString icon;
    } areas[] = {
        { tr("&Flows"), tr("Flows, their schedules and next runs"),
            QStringLiteral(":/icons/flows.svg") },
        { tr("&Runs"), tr("Run history, live task states and logs"),
            QStringLiteral(":/icons/runs.svg") },
        { tr("&Data"), tr("Browse the warehouse tables"), QStringLiteral(":/icons/data.svg") },
        { tr("C&harts"), tr("Price, hash rate and difficulty over time"),
            QStringLiteral(":/icons/charts.svg") },
    };
    for (int i = 0; i < 4; ++i) {
        auto *action = new QAction(QIcon(areas[i].icon), areas[i].text, m_areaGroup);
        action->setCheckable(true);
        action->setToolTip(areas[i].tip);
        action->setStatusTip(areas[i].tip);
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        action->setData(i);
        m_areaActions << action;
        view->addAction(action);
    }
    m_areaActions.first()->setChecked(true);
    connect(m_areaGroup, &QActionGroup::triggered, this,
        [this](QAction *action) { setCurrentArea(Area(action->data().toInt())); });

    // Help
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Sluice"), this, &MainWindow::showAbout);
    about->setShortcut(QKeySequence::HelpContents);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addActions(m_areaActions);
    bar->addSeparator();
    bar->addAction(m_settingsAction);
}

MainWindow::Area MainWindow::currentArea() const
{
    return Area(m_stack->currentIndex());
}

void MainWindow::setCurrentArea(Area area)
{
    const int index = int(area);
    if (index < 0 || index >= m_stack->count())
        return;
    m_areaActions.at(index)->setChecked(true);
    if (m_stack->currentIndex() == index)
        return;
    m_stack->setCurrentIndex(index);
    Q_EMIT areaChanged(area);
}

QAction *MainWindow::areaAction(Area area) const
{
    return m_areaActions.value(int(area));
}

QWidget *MainWindow::areaWidget(Area area) const
{
    return m_stack->widget(int(area));
}

QString MainWindow::windowStateFile()
{
    return windowSettings().fileName();
}

void MainWindow::restoreWindowState()
{
    const QSettings state = windowSettings();
    restoreGeometry(state.value(QLatin1String(GeometryKey)).toByteArray());
    restoreState(state.value(QLatin1String(StateKey)).toByteArray());
    const int area = state.value(QLatin1String(AreaKey), 0).toInt();
    setCurrentArea(Area(qBound(0, area, m_stack->count() - 1)));
}

void MainWindow::saveWindowState() const
{
    QSettings state = windowSettings();
    state.setValue(QLatin1String(GeometryKey), saveGeometry());
    state.setValue(QLatin1String(StateKey), saveState());
    state.setValue(QLatin1String(AreaKey), m_stack->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowState();
    // Hidden to the tray, the editors stay open; closed, none loses an edit without asking.
    const bool toTray = m_settings->keepInTray() && m_tray->isAvailable();
    if (!toTray && !m_flows->pane()->maybeCloseAll()) {
        event->ignore();
        return;
    }
    if (m_settings->keepInTray() && m_tray->isAvailable()) {
        // The scheduler and the runs go on; the tray icon brings the window back.
        hide();
        event->ignore();
        if (!m_toldAboutTray) {
            m_toldAboutTray = true;
            m_tray->notify(tr("Sluice keeps running"),
                tr("Flows still run on their schedules. Use the tray icon to open the window "
                   "or to quit."),
                false);
        }
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::showAtStart()
{
    if (m_settings->startInTray() && m_tray->isAvailable())
        return;
    show();
}

void MainWindow::showFromTray()
{
    show();
    setWindowState(windowState() & ~Qt::WindowMinimized);
    raise();
    activateWindow();
}

void MainWindow::onRunStarted(const RunStartedEvent &event)
{
    m_running.insert(event.runId);
    if (event.trigger == QLatin1String("schedule"))
        m_scheduledRuns.insert(event.runId);
    updateRunState();
}

void MainWindow::onRunFinished(const RunFinishedEvent &event)
{
    m_running.remove(event.runId);
    const bool scheduled = m_scheduledRuns.remove(event.runId);
    updateRunState();
    if (scheduled)
        tellAboutScheduledRun(event);
    if (event.state == RunState::Cancelled) {
        // Replaces "Cancelling run…", which would otherwise stay.
        statusBar()->showMessage(
            tr("Run %1 of %2 ended %3").arg(event.runId).arg(event.flow, stateText(event.state)),
            10000);
    } else if (event.state == RunState::Failed || event.state == RunState::TimedOut
        || event.state == RunState::Crashed) {
        const QString message = Message::shown(event.message, event.messageKey);
        const QString what = escapeControls(
            event.failedTask.isEmpty() ? message : tr("%1: %2").arg(event.failedTask, message));
        m_tray->notify(
            tr("%1 run %2 ended %3").arg(event.flow).arg(event.runId).arg(stateText(event.state)),
            what, true);
        statusBar()->showMessage(tr("Run %1 of %2 ended %3: %4")
                                     .arg(event.runId)
                                     .arg(event.flow, stateText(event.state), what),
            15000);
    }
}

void MainWindow::tellAboutScheduledRun(const RunFinishedEvent &event)
{
    const bool failed = event.state == RunState::Failed || event.state == RunState::TimedOut
        || event.state == RunState::Crashed;
    if (!failed) {
        // It works again: a later failure is worth telling again.
        if (event.state == RunState::Completed && m_toldFailing.remove(event.flow)
            && m_notice->property("flow").toString() == event.flow)
            m_notice->hide();
        return;
    }
    // Once, in plain words, rather than a failure every minute with no explanation.
    if (m_toldFailing.contains(event.flow))
        return;
    m_toldFailing.insert(event.flow);
    const QString message = Message::shown(event.message, event.messageKey);
    const QString what = escapeControls(
        event.failedTask.isEmpty() ? message : tr("%1: %2").arg(event.failedTask, message));
    m_notice->setProperty("flow", event.flow);
    m_notice->showNotice(
        tr("%1 failed when its schedule started it (%2). It will try again at each scheduled "
           "time; you will not be told again until it works. To stop these attempts, pause its "
           "schedule.")
            .arg(event.flow, what));
    const QString flow = event.flow;
    const qint64 runId = event.runId;
    if (m_flows->model()->schedule(flow).isValid()) {
        m_notice->addButton(tr("Pause schedule"), [this, flow] {
            if (m_flows->setSchedulePaused(flow, true))
                statusBar()->showMessage(tr("Schedule of %1 paused").arg(flow), 10000);
        });
    }
    m_notice->addButton(tr("Show run"), [this, runId] {
        setCurrentArea(Area::Runs);
        m_runs->showRun(runId);
    });
}

void MainWindow::updateRunState()
{
    const int running = int(m_running.size());
    // The platform adds " — Sluice" (the display name) to a title that does not end with it.
    setWindowTitle(running > 0 ? tr("%n run(s) in progress", nullptr, running) : tr("Sluice"));
    m_runsLabel->setText(running > 0 ? tr("%n run(s) in progress", nullptr, running) : QString());
    const bool scheduling = m_services.scheduler && m_services.scheduler->isActive();
    m_tray->setState(scheduling, m_services.schedulerNote, running);
}

void MainWindow::reloadScheduler()
{
    // The runner also watches schedules.ini; this applies the change at once.
    if (m_services.scheduler)
        m_services.scheduler->reload();
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_settings, m_folder.path(), this);
    if (dialog.exec() == QDialog::Accepted)
        statusBar()->showMessage(tr("Settings saved to %1").arg(m_settings->filePath()), 5000);
}

void MainWindow::showSettingsWarnings()
{
    // Told once, when the window opens: in the status bar until another message, and in the
    // log on standard error, where the window logs what the user may need later.
    const QStringList warnings = m_settings->warnings();
    if (warnings.isEmpty())
        return;
    for (const QString &warning : warnings)
        qWarning("%s: %s %s", qUtf8Printable(QCoreApplication::applicationName()),
            qUtf8Printable(tr("warning:")), qUtf8Printable(warning));
    statusBar()->showMessage(warnings.join(QStringLiteral("  ")));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Sluice"),
        tr("<h3>Sluice %1</h3>"
           "<p>Operate local ETL jobs: run flows, watch every task live, schedule them, "
           "browse the data and send reports.</p>"
           "<p>Data folder: <code>%2</code></p>"
           "<p>Built with Qt %3.</p>")
            .arg(QStringLiteral(SLUICE_VERSION), m_folder.path().toHtmlEscaped(),
                QString::fromLatin1(qVersion())));
}

} // namespace Sluice
