#include "views/chartcrosshair.h"

#include <algorithm>

#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsEllipseItem>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPalette>
#include <QPen>

namespace Sluice {

namespace {

    constexpr qreal Z = 20; // above the series
    constexpr qreal Padding = 4;

} // namespace

ChartCrosshair::ChartCrosshair(QChart *chart)
    : m_chart(chart)
    , m_vertical(new QGraphicsLineItem(chart))
    , m_horizontal(new QGraphicsLineItem(chart))
    , m_dot(new QGraphicsEllipseItem(chart))
    , m_box(new QGraphicsRectItem(chart))
    , m_label(new QGraphicsSimpleTextItem(m_box))
{
    QPen line(QColor(90, 90, 90, 180));
    line.setStyle(Qt::DashLine);
    line.setCosmetic(true);
    m_vertical->setPen(line);
    m_horizontal->setPen(line);
    m_dot->setRect(-3.5, -3.5, 7, 7);
    m_dot->setBrush(QColor(30, 30, 30));
    m_dot->setPen(Qt::NoPen);
    m_box->setBrush(QColor(255, 255, 225, 235));
    m_box->setPen(QPen(QColor(120, 120, 120)));
    for (QGraphicsItem *item :
        std::initializer_list<QGraphicsItem *>{ m_vertical, m_horizontal, m_dot, m_box })
        item->setZValue(Z);
    hide();
}

void ChartCrosshair::show(const QPointF &point, const QString &text)
{
    const QRectF area = m_chart->plotArea();
    const QPointF at = m_chart->mapToPosition(point);
    if (at.x() < area.left() || at.x() > area.right()) {
        hide();
        return;
    }
    m_vertical->setLine(at.x(), area.top(), at.x(), area.bottom());
    m_vertical->show();
    const bool detailed = !text.isEmpty();
    m_horizontal->setVisible(detailed);
    m_dot->setVisible(detailed);
    m_box->setVisible(detailed);
    m_label->setText(text);
    if (!detailed)
        return;
    const qreal y = std::clamp(at.y(), area.top(), area.bottom());
    m_horizontal->setLine(area.left(), y, area.right(), y);
    m_dot->setPos(at.x(), y);
    // The label beside the point, inside the plot, on the side with room.
    const QRectF label = m_label->boundingRect();
    QRectF box(0, 0, label.width() + 2 * Padding, label.height() + 2 * Padding);
    qreal left = at.x() + 10;
    if (left + box.width() > area.right())
        left = at.x() - 10 - box.width();
    qreal top = y - box.height() - 8;
    if (top < area.top())
        top = y + 8;
    m_box->setRect(box);
    m_box->setPos(std::max(area.left(), left), std::min(top, area.bottom() - box.height()));
    m_label->setPos(Padding, Padding);
}

void ChartCrosshair::hide()
{
    m_vertical->hide();
    m_horizontal->hide();
    m_dot->hide();
    m_box->hide();
    m_label->setText(QString());
}

QString ChartCrosshair::text() const
{
    return m_box->isVisible() ? m_label->text() : QString();
}

} // namespace Sluice
