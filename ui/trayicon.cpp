#include "trayicon.h"

#include <QMenu>
#include <QSystemTrayIcon>

namespace Sluice {

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_icon = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/sluice.svg")), this);
    m_menu = new QMenu;
    m_menu->addAction(tr("&Show Sluice"), this, &TrayIcon::showRequested);
    m_menu->addSeparator();
    m_menu->addAction(tr("&Quit"), this, &TrayIcon::quitRequested);
    m_icon->setContextMenu(m_menu);
    connect(m_icon, &QSystemTrayIcon::activated, this,
        [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                Q_EMIT showRequested();
        });
    m_icon->show();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

bool TrayIcon::isAvailable() const
{
    return m_icon != nullptr;
}

void TrayIcon::setState(bool schedulerActive, const QString &schedulerNote, int runsInProgress)
{
    QString scheduler = schedulerActive ? tr("Scheduler on") : tr("Scheduler off");
    if (!schedulerNote.isEmpty())
        scheduler = tr("%1: %2").arg(scheduler, schedulerNote);
    m_toolTip = runsInProgress > 0
        ? tr("Sluice — %1, %n run(s) in progress", nullptr, runsInProgress).arg(scheduler)
        : tr("Sluice — %1").arg(scheduler);
    if (m_icon)
        m_icon->setToolTip(m_toolTip);
}

void TrayIcon::notify(const QString &title, const QString &message, bool failure)
{
    if (m_icon && QSystemTrayIcon::supportsMessages()) {
        m_icon->showMessage(title, message,
            failure ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information, 10000);
    }
}

} // namespace Sluice
