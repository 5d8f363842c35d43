#pragma once

// The main window: a toolbar, the four areas (Flows, Runs, Data, Charts), menus, a status
// bar and the tray icon. Shows the runs in progress in its title, and hides to the tray on
// close when ui.keep-in-tray is on. Remembers its geometry and last area in the per-user
// window settings. GUI thread.

#include <memory>

#include <QMainWindow>
#include <QSet>

#include "engine/flowregistry.h"
#include "engine/runevents.h"
#include "settings/datafolder.h"

class QActionGroup;
class QLabel;
class QStackedWidget;

namespace Sluice {

class ChartsView;
class DataView;
class Engine;
class FlowFiles;
class FlowTableModel;
class FlowsView;
class NoticeBar;
class RunHistory;
class RunsView;
class ScheduleRunner;
class ScheduleStore;
class Settings;
class TrayIcon;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Area { Flows, Runs, Data, Charts };
    Q_ENUM(Area)

    // What the window drives; all may be null (a window that shows nothing to run).
    struct Services
    {
        Engine *engine = nullptr; // with persistence in the folder's runs.sqlite
        ScheduleRunner *scheduler = nullptr; // null when another process schedules the folder
        QString schedulerNote; // why there is no scheduler, or who holds the lock
        FlowFiles *flowFiles = nullptr; // the engine's flow files: the flow list follows them
    };

    MainWindow(Settings *settings, const DataFolder &folder, QWidget *parent = nullptr);
    MainWindow(Settings *settings, const DataFolder &folder, const Services &services,
        QWidget *parent = nullptr);
    ~MainWindow() override;

    Area currentArea() const;
    void setCurrentArea(Area area);
    QAction *areaAction(Area area) const;
    QWidget *areaWidget(Area area) const;
    QAction *settingsAction() const { return m_settingsAction; }
    FlowsView *flowsView() const { return m_flows; }
    RunsView *runsView() const { return m_runs; }
    TrayIcon *trayIcon() const { return m_tray; }
    NoticeBar *noticeBar() const { return m_notice; }
    int runsInProgress() const { return int(m_running.size()); }
    // Shows the window, or only the tray icon when ui.start-in-tray is on and a tray is there
    // (with no tray the window shows: an app with nothing on screen could not be reached).
    void showAtStart();

    // Where geometry and the last area are kept (platform per-user settings).
    static QString windowStateFile();

Q_SIGNALS:
    void areaChanged(Sluice::MainWindow::Area area);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createAreas();
    void onRunStarted(const Sluice::RunStartedEvent &event);
    void onRunFinished(const Sluice::RunFinishedEvent &event);
    void updateRunState();
    void tellAboutScheduledRun(const Sluice::RunFinishedEvent &event);
    void reloadScheduler();
    void showFromTray();
    void createActions();
    void restoreWindowState();
    void saveWindowState() const;
    void showSettings();
    void showSettingsWarnings();
    void showAbout();

    Settings *m_settings;
    DataFolder m_folder;
    Services m_services;
    FlowRegistry m_noFlows; // the registry shown when there is no engine
    std::unique_ptr<ScheduleStore> m_schedules;
    RunHistory *m_history = nullptr;
    FlowTableModel *m_flowModel = nullptr;
    TrayIcon *m_tray = nullptr;
    QSet<qint64> m_running;
    QSet<qint64> m_scheduledRuns; // the runs in progress that their schedule started
    QSet<QString> m_toldFailing; // flows whose scheduled runs fail, told once until one works
    NoticeBar *m_notice = nullptr;
    bool m_toldAboutTray = false;
    QLabel *m_runsLabel = nullptr;
    QStackedWidget *m_stack = nullptr;
    FlowsView *m_flows = nullptr;
    RunsView *m_runs = nullptr;
    DataView *m_data = nullptr;
    ChartsView *m_charts = nullptr;
    QActionGroup *m_areaGroup = nullptr;
    QList<QAction *> m_areaActions;
    QAction *m_settingsAction = nullptr;
    QLabel *m_folderLabel = nullptr;
};

} // namespace Sluice
