#pragma once

// The crosshair of one chart pane: a vertical line at a time, and in the pane under the mouse
// a horizontal line, a dot on the point and a label with its exact value and time. Graphics
// items in the chart's scene, drawn over the series. GUI thread.

#include <QPointF>
#include <QString>

class QChart;
class QGraphicsEllipseItem;
class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;

namespace Sluice {

class ChartCrosshair
{
public:
    explicit ChartCrosshair(QChart *chart);

    // Shows the crosshair at point (in series values); the dot, horizontal line and label only
    // when text is not empty.
    void show(const QPointF &point, const QString &text);
    void hide();
    QString text() const;

private:
    QChart *m_chart;
    QGraphicsLineItem *m_vertical;
    QGraphicsLineItem *m_horizontal;
    QGraphicsEllipseItem *m_dot;
    QGraphicsRectItem *m_box;
    QGraphicsSimpleTextItem *m_label;
};

} // namespace Sluice
