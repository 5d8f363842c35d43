#include "editor/diskchangebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace Sluice {

DiskChangeBar::DiskChangeBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_reload(new QPushButton(tr("Reload (discard my edits)"), this))
    , m_keep(new QPushButton(tr("Keep mine"), this))
    , m_compare(new QPushButton(tr("Compare"), this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette colours = palette();
    const bool dark = colours.color(QPalette::Window).lightness() < 128;
    colours.setColor(QPalette::Window, dark ? QColor(0x5a, 0x4a, 0x10) : QColor(0xff, 0xf4, 0xc2));
    colours.setColor(
        QPalette::WindowText, dark ? QColor(0xff, 0xf4, 0xc2) : QColor(0x3a, 0x30, 0x00));
    setPalette(colours);

    auto *icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(size, size));
    m_label->setWordWrap(true);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(icon);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_reload);
    layout->addWidget(m_keep);
    layout->addWidget(m_compare);

    connect(m_reload, &QPushButton::clicked, this, &DiskChangeBar::reloadRequested);
    connect(m_keep, &QPushButton::clicked, this, &DiskChangeBar::keepRequested);
    connect(m_compare, &QPushButton::clicked, this, &DiskChangeBar::compareRequested);
    hide();
}

void DiskChangeBar::showChanged()
{
    m_label->setText(tr("The file changed on disk. Your edits are kept until you choose."));
    m_reload->show();
    m_keep->show();
    m_compare->show();
    show();
}

void DiskChangeBar::showDeleted()
{
    m_label->setText(tr("The file was deleted on disk. Save writes it again."));
    m_reload->hide();
    m_keep->hide();
    m_compare->hide();
    show();
}

QString DiskChangeBar::text() const
{
    return m_label->text();
}

} // namespace Sluice
