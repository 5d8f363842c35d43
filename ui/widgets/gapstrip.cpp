#include "widgets/gapstrip.h"

#include <algorithm>
#include <cmath>

#include <QDateTime>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTimeZone>
#include <QToolTip>
#include <QWheelEvent>

namespace Sluice {

namespace {

    constexpr int Margin = 3;
    constexpr int BarHeight = 8;
    constexpr int MinMissingWidth = 2;
    constexpr int MinSpanSlots = 10; // the deepest zoom shows this many slots of the finest grid

    const QColor PresentColor(76, 160, 90);
    const QColor MissingColor(230, 81, 0);

} // namespace

GapStrip::GapStrip(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("gapStrip"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("Gap map"));
    setAccessibleDescription(tr("Present and missing slots of each series. Wheel, drag or + and "
                                "- zoom, arrows pan, Home shows the whole history."));
}

void GapStrip::setSeries(const QList<GapSeries> &series)
{
    // A range chosen before (a zoom, the chart's range) stays while it overlaps the new map.
    const bool keep = m_rangeSet && (m_series.isEmpty() || isZoomed());
    const qint64 from = m_from;
    const qint64 to = m_to;
    m_series = series;
    updateGeometry();
    showAll();
    if (keep && from < m_to && to > m_from)
        setVisibleRange(from, to);
    update();
}

void GapStrip::setTimeSpec(Qt::TimeSpec spec)
{
    m_spec = spec;
}

void GapStrip::setVisibleRange(qint64 from, qint64 to)
{
    qint64 step = 0;
    for (const GapSeries &one : m_series)
        step = step == 0 ? one.step : std::min(step, one.step);
    const qint64 minSpan = std::max<qint64>(1, step * MinSpanSlots);
    if (to - from < minSpan) {
        const qint64 middle = from + (to - from) / 2;
        from = middle - minSpan / 2;
        to = from + minSpan;
    }
    m_rangeSet = true;
    if (from == m_from && to == m_to)
        return;
    m_from = from;
    m_to = to;
    update();
    Q_EMIT visibleRangeChanged(m_from, m_to);
}

void GapStrip::showAll()
{
    qint64 from = 0;
    qint64 to = 0;
    bool any = false;
    for (const GapSeries &one : m_series) {
        if (one.to <= one.from)
            continue;
        from = any ? std::min(from, one.from) : one.from;
        to = any ? std::max(to, one.to) : one.to;
        any = true;
    }
    if (any)
        setVisibleRange(from, to);
}

bool GapStrip::isZoomed() const
{
    qint64 from = m_from;
    qint64 to = m_to;
    for (const GapSeries &one : m_series) {
        if (one.to > one.from) {
            from = std::min(from, one.from);
            to = std::max(to, one.to);
        }
    }
    return from < m_from || to > m_to;
}

int GapStrip::labelWidth() const
{
    int width = 0;
    for (const GapSeries &one : m_series)
        width = std::max(width, fontMetrics().horizontalAdvance(one.label()));
    return width + 2 * Margin;
}

int GapStrip::rowAt(int y) const
{
    const int rowHeight = fontMetrics().height();
    const int row = (y - Margin) / rowHeight;
    if (y < Margin || row >= m_series.size())
        return -1;
    return row;
}

QRect GapStrip::barRect(int row) const
{
    const int rowHeight = fontMetrics().height();
    const bool spanned = m_barLeft >= 0 && m_barRight > m_barLeft;
    const int left = spanned ? m_barLeft : labelWidth();
    const int right = spanned ? std::min(m_barRight, width() - 1) : width() - Margin;
    return QRect(left, Margin + row * rowHeight + (rowHeight - BarHeight) / 2,
        std::max(1, right - left), BarHeight);
}

void GapStrip::setBarSpan(int left, int right)
{
    if (left == m_barLeft && right == m_barRight)
        return;
    m_barLeft = left;
    m_barRight = right;
    update();
}

qint64 GapStrip::timeAt(int x) const
{
    const QRect bar = barRect(0);
    const double fraction = double(x - bar.left()) / bar.width();
    return m_from + qint64(std::floor(fraction * double(m_to - m_from)));
}

int GapStrip::xOf(qint64 time) const
{
    const QRect bar = barRect(0);
    return bar.left() + int(double(time - m_from) / double(m_to - m_from) * bar.width());
}

QString GapStrip::timeText(qint64 seconds) const
{
    const QDateTime time = m_spec == Qt::LocalTime
        ? QDateTime::fromSecsSinceEpoch(seconds)
        : QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc());
    return m_spec == Qt::LocalTime
        ? tr("%1 (local)").arg(time.toString(QStringLiteral("yyyy-MM-dd HH:mm")))
        : tr("%1 UTC").arg(time.toString(QStringLiteral("yyyy-MM-dd HH:mm")));
}

QString GapStrip::toolTipAt(const QPoint &pos) const
{
    const int row = rowAt(pos.y());
    if (row < 0)
        return QString();
    const GapSeries &one = m_series.at(row);
    const QRect bar = barRect(row);
    if (pos.x() < bar.left() || pos.x() > bar.right())
        return one.label();
    // The times the pixel under the mouse covers, and a pixel either side: a gap of one slot
    // may be far narrower than a pixel.
    const qint64 from = timeAt(pos.x() - 1);
    const qint64 to = std::max(timeAt(pos.x() + 2), from + 1);
    auto it = std::upper_bound(one.gaps.cbegin(), one.gaps.cend(), from,
        [](qint64 time, const SlotGap &gap) { return time < gap.end; });
    if (it == one.gaps.cend() || it->start >= to) {
        if (to <= one.from || from >= one.to)
            return tr("%1: no slots here").arg(one.label());
        return tr("%1: no gap here").arg(one.label());
    }
    const qint64 slots = (it->end - it->start) / one.step;
    return tr("%1: missing %2 to %3 (end exclusive)\n%4")
        .arg(one.label(), timeText(it->start), timeText(it->end),
            GapMap::lengthText(slots, it->end - it->start));
}

QSize GapStrip::sizeHint() const
{
    const int rows = std::max<int>(1, int(m_series.size()));
    return QSize(400, 2 * Margin + rows * fontMetrics().height());
}

QSize GapStrip::minimumSizeHint() const
{
    return QSize(100, sizeHint().height());
}

bool GapStrip::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void GapStrip::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    const int rowHeight = fontMetrics().height();
    for (int row = 0; row < m_series.size(); ++row) {
        const GapSeries &one = m_series.at(row);
        const int left = barRect(row).left();
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(QRect(Margin, Margin + row * rowHeight, left - 2 * Margin, rowHeight),
            Qt::AlignLeft | Qt::AlignVCenter, one.label());
        const QRect bar = barRect(row);
        painter.fillRect(bar, palette().color(QPalette::AlternateBase));
        // One fraction a pixel; runs of the same colour drawn as one rectangle.
        const QList<double> fractions = one.presentFractions(m_from, m_to, bar.width());
        QList<QRect> missing;
        int start = 0;
        for (int x = 1; x <= bar.width(); ++x) {
            const auto colorOf = [&](int i) {
                const double f = fractions.at(i);
                return f < 0 ? 0 : (f >= 1.0 ? 1 : 2);
            };
            if (x < bar.width() && colorOf(x) == colorOf(start))
                continue;
            const int color = colorOf(start);
            if (color == 1)
                painter.fillRect(
                    QRect(bar.left() + start, bar.top(), x - start, bar.height()), PresentColor);
            else if (color == 2)
                missing << QRect(bar.left() + start, bar.top(), x - start, bar.height());
            start = x;
        }
        // Missing slots on top, at least two pixels wide: one slot in years still shows.
        for (QRect area : std::as_const(missing)) {
            if (area.width() < MinMissingWidth)
                area.setWidth(MinMissingWidth);
            painter.fillRect(area, MissingColor);
        }
        missing.clear();
    }
    if (m_dragFrom >= 0 && m_dragTo >= 0) {
        QColor selection = palette().color(QPalette::Highlight);
        selection.setAlpha(80);
        painter.fillRect(QRect(QPoint(std::min(m_dragFrom, m_dragTo), 0),
                             QPoint(std::max(m_dragFrom, m_dragTo), height() - 1)),
            selection);
    }
    if (hasFocus()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1, Qt::DotLine));
        painter.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}

void GapStrip::zoom(double factor, qint64 around)
{
    const qint64 from = around - qint64(double(around - m_from) * factor);
    const qint64 to = around + qint64(double(m_to - around) * factor);
    setVisibleRange(from, to);
}

void GapStrip::pan(double fraction)
{
    const qint64 shift = qint64(double(m_to - m_from) * fraction);
    setVisibleRange(m_from + shift, m_to + shift);
}

void GapStrip::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y();
    if (delta == 0) {
        event->ignore();
        return;
    }
    zoom(delta > 0 ? 0.8 : 1.25, timeAt(int(event->position().x())));
    event->accept();
}

void GapStrip::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && event->position().x() >= barRect(0).left()) {
        m_dragFrom = int(event->position().x());
        m_dragTo = -1;
    }
    QWidget::mousePressEvent(event);
}

void GapStrip::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragFrom >= 0 && (event->buttons() & Qt::LeftButton)) {
        m_dragTo = int(event->position().x());
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void GapStrip::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragFrom >= 0 && m_dragTo >= 0 && std::abs(m_dragTo - m_dragFrom) > 3) {
        const int a = std::min(m_dragFrom, m_dragTo);
        const int b = std::max(m_dragFrom, m_dragTo);
        setVisibleRange(timeAt(a), timeAt(b));
    }
    m_dragFrom = -1;
    m_dragTo = -1;
    update();
    QWidget::mouseReleaseEvent(event);
}

void GapStrip::mouseDoubleClickEvent(QMouseEvent *event)
{
    showAll();
    event->accept();
}

void GapStrip::keyPressEvent(QKeyEvent *event)
{
    const qint64 middle = m_from + (m_to - m_from) / 2;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoom(0.5, middle);
        break;
    case Qt::Key_Minus:
        zoom(2.0, middle);
        break;
    case Qt::Key_Left:
        pan(-0.25);
        break;
    case Qt::Key_Right:
        pan(0.25);
        break;
    case Qt::Key_Home:
    case Qt::Key_0:
        showAll();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace Sluice
