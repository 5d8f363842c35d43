#pragma once

// The icon in the system tray, where the desktop has one: its tooltip tells whether the
// scheduler runs and how many runs are in progress, its menu shows the window or quits, and
// it pops a notification when a run fails. GUI thread.

#include <QObject>

class QMenu;
class QSystemTrayIcon;

namespace Sluice {

class TrayIcon : public QObject
{
    Q_OBJECT

public:
    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    // Whether the desktop has a tray (the icon is shown only then).
    bool isAvailable() const;
    QString toolTip() const { return m_toolTip; }
    void setState(bool schedulerActive, const QString &schedulerNote, int runsInProgress);
    void notify(const QString &title, const QString &message, bool failure);

Q_SIGNALS:
    void showRequested();
    void quitRequested();

private:
    QSystemTrayIcon *m_icon = nullptr;
    QMenu *m_menu = nullptr;
    QString m_toolTip;
};

} // namespace Sluice
