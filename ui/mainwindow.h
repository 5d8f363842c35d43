#pragma once

// The main window: a toolbar, the four areas (Flows, Runs, Data, Charts), menus and a status
// bar. Remembers its geometry and last area in the per-user window settings. GUI thread.

#include <QMainWindow>

#include "settings/datafolder.h"

class QActionGroup;
class QLabel;
class QStackedWidget;

namespace Sluice {

class ChartsView;
class DataView;
class FlowsView;
class RunsView;
class Settings;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Area { Flows, Runs, Data, Charts };
    Q_ENUM(Area)

    MainWindow(Settings *settings, const DataFolder &folder, QWidget *parent = nullptr);
    ~MainWindow() override;

    Area currentArea() const;
    void setCurrentArea(Area area);
    QAction *areaAction(Area area) const;
    QWidget *areaWidget(Area area) const;
    QAction *settingsAction() const { return m_settingsAction; }

    // Where geometry and the last area are kept (platform per-user settings).
    static QString windowStateFile();

Q_SIGNALS:
    void areaChanged(Sluice::MainWindow::Area area);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createAreas();
    void createActions();
    void restoreWindowState();
    void saveWindowState() const;
    void showSettings();
    void showAbout();

    Settings *m_settings;
    DataFolder m_folder;
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
