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

#include "dialogs/settingsdialog.h"
#include "settings/settings.h"
#include "views/chartsview.h"
#include "views/dataview.h"
#include "views/flowsview.h"
#include "views/runsview.h"

namespace Sluice {

namespace {

    QSettings windowSettings()
    {
        return QSettings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("sluice"),
            QStringLiteral("window"));
    }

    constexpr auto GeometryKey = "mainwindow/geometry";
    constexpr auto StateKey = "mainwindow/state";
    constexpr auto AreaKey = "mainwindow/area";

} // namespace

MainWindow::MainWindow(Settings *settings, const DataFolder &folder, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_folder(folder)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Sluice"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/sluice.svg")));
    setUnifiedTitleAndToolBarOnMac(true);

    createAreas();
    createActions();

    m_folderLabel = new QLabel(QDir::toNativeSeparators(folder.path()));
    m_folderLabel->setToolTip(tr("Data folder"));
    statusBar()->addPermanentWidget(m_folderLabel);
    statusBar()->showMessage(tr("Ready"));

    resize(1100, 700);
    restoreWindowState();
}

MainWindow::~MainWindow() = default;

void MainWindow::createAreas()
{
    m_stack = new QStackedWidget;
    m_flows = new FlowsView;
    m_runs = new RunsView;
    m_data = new DataView;
    m_charts = new ChartsView;
    m_stack->addWidget(m_flows);
    m_stack->addWidget(m_runs);
    m_stack->addWidget(m_data);
    m_stack->addWidget(m_charts);
    setCentralWidget(m_stack);
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
    QMainWindow::closeEvent(event);
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_settings, m_folder.path(), this);
    if (dialog.exec() == QDialog::Accepted)
        statusBar()->showMessage(tr("Settings saved to %1").arg(m_settings->filePath()), 5000);
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
