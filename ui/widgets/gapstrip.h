#pragma once

// The gap strip: one thin row per series of a slotted table over its whole history, present
// slots in one colour and missing slots in a warning colour (a pixel holding any missing slot
// is drawn missing, so that one slot in years still shows). Zooms with the wheel, a dragged
// selection and the keyboard (+, -, arrows, Home); hovering a gap names its range and length.
// GUI thread; the series come computed (GapMapReader).

#include <QList>
#include <QWidget>

#include "storage/gapmap.h"

namespace Sluice {

class GapStrip : public QWidget
{
    Q_OBJECT

public:
    explicit GapStrip(QWidget *parent = nullptr);

    // New series; the visible range stays when it still overlaps them, else the whole history.
    void setSeries(const QList<GapSeries> &series);
    const QList<GapSeries> &series() const { return m_series; }
    // Times in tooltips: Qt::UTC or Qt::LocalTime.
    void setTimeSpec(Qt::TimeSpec spec);

    // The seconds shown, [from, to).
    qint64 visibleFrom() const { return m_from; }
    qint64 visibleTo() const { return m_to; }
    void setVisibleRange(qint64 from, qint64 to);
    // The whole history: the first slot of any series to the end of the last.
    void showAll();
    bool isZoomed() const;

    // What hovering pos says: the series and, over a gap, its range and length.
    QString toolTipAt(const QPoint &pos) const;
    // The time at x of the bars (seconds), and the x of a time.
    qint64 timeAt(int x) const;
    int xOf(qint64 time) const;
    // The bar area of series row.
    QRect barRect(int row) const;
    // Where the bars begin and end (x in this widget), e.g. a chart's plot area; -1 for both:
    // after the labels, to the right edge.
    void setBarSpan(int left, int right);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void visibleRangeChanged(qint64 from, qint64 to);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    int labelWidth() const;
    int rowAt(int y) const;
    void zoom(double factor, qint64 around);
    void pan(double fraction);
    QString timeText(qint64 seconds) const;

    QList<GapSeries> m_series;
    qint64 m_from = 0;
    qint64 m_to = 1;
    Qt::TimeSpec m_spec = Qt::UTC;
    bool m_rangeSet = false;
    int m_barLeft = -1;
    int m_barRight = -1;
    int m_dragFrom = -1;
    int m_dragTo = -1;
};

} // namespace Sluice
