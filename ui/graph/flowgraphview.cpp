#include "graph/flowgraphview.h"

#include <algorithm>
#include <cmath>

#include <QApplication>
#include <QGraphicsPathItem>
#include <QGraphicsPolygonItem>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QWheelEvent>

#include "graph/flowgraphnodeitem.h"

namespace Sluice {

namespace {

    constexpr qreal SceneMargin = 16;
    constexpr qreal ZoomStep = 1.25;
    constexpr qreal MinimumZoom = 0.1;
    constexpr qreal ReadableZoom = 0.6; // the least zoom an automatic fit goes to
    constexpr qreal FitRoom = 0.97;
    constexpr qreal MaximumZoom = 4.0;
    constexpr qreal ArrowLength = 8;
    constexpr qreal ArrowHalfWidth = 4;

    QColor edgeColor(const QPalette &palette)
    {
        const QColor base = palette.color(QPalette::Base);
        const QColor text = palette.color(QPalette::Text);
        return QColor::fromRgbF((base.redF() + text.redF()) / 2,
            (base.greenF() + text.greenF()) / 2, (base.blueF() + text.blueF()) / 2);
    }

    // A smooth curve through the layout's polyline: horizontal runs stay straight, other
    // segments become S-curves with horizontal ends; the last one stops short for the arrow.
    QPainterPath edgePath(const QList<QPointF> &points, QPolygonF *arrow)
    {
        QPainterPath path(points.first());
        for (qsizetype i = 1; i < points.size(); ++i) {
            const QPointF from = points.at(i - 1);
            QPointF to = points.at(i);
            const qreal dx = to.x() - from.x();
            const qreal direction = dx < 0 ? -1 : 1;
            const bool last = i == points.size() - 1;
            if (last) {
                const QPointF tip = to;
                to.rx() -= direction * ArrowLength;
                *arrow = QPolygonF({ tip, QPointF(to.x(), to.y() - ArrowHalfWidth),
                    QPointF(to.x(), to.y() + ArrowHalfWidth) });
            }
            if (qFuzzyCompare(from.y() + 1, to.y() + 1)) {
                path.lineTo(to);
            } else {
                const qreal bend = (to.x() - from.x()) / 2;
                path.cubicTo(from + QPointF(bend, 0), to - QPointF(bend, 0), to);
            }
        }
        return path;
    }

} // namespace

FlowGraphView::FlowGraphView(QWidget *parent)
    : QGraphicsView(parent)
{
    setScene(new QGraphicsScene(this));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setFocusPolicy(Qt::StrongFocus);
    setAlignment(Qt::AlignCenter);
    m_placeholder = tr("No steps to show");
    applyPalette();
}

void FlowGraphView::setGraph(const FlowGraph &graph)
{
    // The same graph again (a preview of an edit that changed no step) keeps zoom and states.
    if (graph == m_graph && !graph.isEmpty())
        return;
    m_graph = graph;
    m_items.clear();
    m_edges.clear();
    scene()->clear();

    QList<QSizeF> sizes;
    for (const FlowGraphNode &node : std::as_const(m_graph.nodes))
        sizes << FlowGraphNodeItem::sizeFor(node, font());
    m_layout = GraphLayout::layout(m_graph.needIndexes(), sizes);

    const QColor color = edgeColor(palette());
    for (const GraphLayoutEdge &edge : std::as_const(m_layout.edges)) {
        QPolygonF arrow;
        auto *path = scene()->addPath(edgePath(edge.points, &arrow), QPen(color, 1.4));
        auto *head = new QGraphicsPolygonItem(arrow, path);
        head->setPen(Qt::NoPen);
        head->setBrush(color);
        path->setZValue(-1);
        m_edges << path;
    }
    for (int i = 0; i < m_graph.size(); ++i) {
        const FlowGraphNode &node = m_graph.nodes.at(i);
        if (m_items.contains(node.id))
            continue;
        auto *item = new FlowGraphNodeItem(node, sizes.at(i));
        item->setPos(m_layout.nodes.at(i).topLeft());
        scene()->addItem(item);
        m_items.insert(node.id, item);
    }
    scene()->setSceneRect(
        m_layout.bounds.adjusted(-SceneMargin, -SceneMargin, SceneMargin, SceneMargin));
    if (!m_items.contains(m_selected))
        m_selected.clear();
    if (FlowGraphNodeItem *current = m_items.value(m_selected))
        current->setCurrent(true);
    m_fit = Fit::Readable;
    applyFit();
    viewport()->update();
}

void FlowGraphView::setTaskState(
    const QString &id, RunState state, int attempt, int maxAttempts, qint64 durationMs)
{
    if (FlowGraphNodeItem *item = m_items.value(id))
        item->setState(state, attempt, maxAttempts, durationMs);
}

void FlowGraphView::clearStates()
{
    for (FlowGraphNodeItem *item : std::as_const(m_items))
        item->clearState();
}

void FlowGraphView::selectTask(const QString &id)
{
    const QString selected = m_items.contains(id) ? id : QString();
    if (selected == m_selected)
        return;
    if (FlowGraphNodeItem *old = m_items.value(m_selected))
        old->setCurrent(false);
    m_selected = selected;
    if (FlowGraphNodeItem *item = m_items.value(m_selected)) {
        item->setCurrent(true);
        ensureVisible(item, 24, 24);
    }
}

void FlowGraphView::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    viewport()->update();
}

QRectF FlowGraphView::nodeRect(const QString &id) const
{
    const int index = m_graph.indexOf(id);
    return index >= 0 && index < m_layout.nodes.size() ? m_layout.nodes.at(index) : QRectF();
}

qreal FlowGraphView::zoom() const
{
    return transform().m11();
}

void FlowGraphView::zoomIn()
{
    m_fit = Fit::None;
    setZoom(zoom() * ZoomStep);
}

void FlowGraphView::zoomOut()
{
    m_fit = Fit::None;
    setZoom(zoom() / ZoomStep);
}

void FlowGraphView::setZoom(qreal factor)
{
    const qreal bounded = std::clamp(factor, MinimumZoom, MaximumZoom);
    setTransform(QTransform::fromScale(bounded, bounded));
}

void FlowGraphView::fitToView()
{
    m_fit = Fit::Whole;
    applyFit();
}

void FlowGraphView::applyFit()
{
    if (m_fit == Fit::None)
        return;
    if (m_items.isEmpty()) {
        resetTransform();
        return;
    }
    fitInView(sceneRect(), Qt::KeepAspectRatio);
    // A little room, or rounding leaves a scroll bar; a small graph keeps its natural size
    // instead of blowing up.
    setZoom(std::min(zoom() * FitRoom, 1.0));
    if (m_fit == Fit::Whole || zoom() >= ReadableZoom)
        return;
    setZoom(ReadableZoom);
    // The flow reads left to right: show where it starts, at the height of its first step.
    const QRectF first = m_layout.nodes.value(0);
    centerOn(
        QPointF(sceneRect().left() + viewport()->width() / ReadableZoom / 2, first.center().y()));
}

void FlowGraphView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const int delta = event->angleDelta().y();
        if (delta != 0) {
            m_fit = Fit::None;
            setZoom(zoom() * std::pow(ZoomStep, delta / 120.0));
        }
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void FlowGraphView::keyPressEvent(QKeyEvent *event)
{
    const bool control = event->modifiers() & Qt::ControlModifier;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
        if (control) {
            fitToView();
            return;
        }
        break;
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        if (!control && !m_items.isEmpty()) {
            moveSelection(event->key());
            return;
        }
        break;
    case Qt::Key_Escape:
        if (!m_selected.isEmpty()) {
            click(QString());
            return;
        }
        break;
    default:
        break;
    }
    QGraphicsView::keyPressEvent(event);
}

// Moves to the nearest step in the arrow's direction, favouring steps in line with the
// current one; with none current, to the first step.
void FlowGraphView::moveSelection(int key)
{
    const int current = m_graph.indexOf(m_selected);
    if (current < 0) {
        click(m_graph.nodes.first().id);
        return;
    }
    const QPointF from = m_layout.nodes.at(current).center();
    int best = -1;
    qreal bestScore = 0;
    for (int i = 0; i < m_graph.size(); ++i) {
        if (i == current)
            continue;
        const QPointF delta = m_layout.nodes.at(i).center() - from;
        qreal along = 0;
        qreal across = 0;
        switch (key) {
        case Qt::Key_Right:
            along = delta.x(), across = delta.y();
            break;
        case Qt::Key_Left:
            along = -delta.x(), across = delta.y();
            break;
        case Qt::Key_Down:
            along = delta.y(), across = delta.x();
            break;
        default:
            along = -delta.y(), across = delta.x();
            break;
        }
        if (along < 1)
            continue;
        const qreal score = along + 2 * std::abs(across);
        if (best < 0 || score < bestScore) {
            best = i;
            bestScore = score;
        }
    }
    if (best >= 0)
        click(m_graph.nodes.at(best).id);
}

void FlowGraphView::click(const QString &id)
{
    selectTask(id);
    Q_EMIT taskClicked(m_selected);
}

void FlowGraphView::mousePressEvent(QMouseEvent *event)
{
    m_pressed = event->button() == Qt::LeftButton;
    m_pressPos = event->position().toPoint();
    QGraphicsView::mousePressEvent(event);
}

void FlowGraphView::mouseReleaseEvent(QMouseEvent *event)
{
    QGraphicsView::mouseReleaseEvent(event);
    if (!m_pressed || event->button() != Qt::LeftButton)
        return;
    m_pressed = false;
    const QPoint at = event->position().toPoint();
    // A drag pans; only a click picks.
    if ((at - m_pressPos).manhattanLength() >= QApplication::startDragDistance())
        return;
    for (QGraphicsItem *item : items(at)) {
        if (auto *node = dynamic_cast<FlowGraphNodeItem *>(item)) {
            click(node->node().id);
            return;
        }
    }
    click(QString());
}

void FlowGraphView::showEvent(QShowEvent *event)
{
    QGraphicsView::showEvent(event);
    applyFit();
}

void FlowGraphView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    applyFit();
}

void FlowGraphView::paintEvent(QPaintEvent *event)
{
    QGraphicsView::paintEvent(event);
    if (!m_items.isEmpty() || m_placeholder.isEmpty())
        return;
    QPainter painter(viewport());
    QColor color = palette().color(QPalette::Text);
    color.setAlphaF(0.6);
    painter.setPen(color);
    painter.drawText(viewport()->rect().adjusted(12, 12, -12, -12),
        Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
}

void FlowGraphView::changeEvent(QEvent *event)
{
    QGraphicsView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyPalette();
}

void FlowGraphView::applyPalette()
{
    scene()->setPalette(palette());
    setBackgroundBrush(palette().color(QPalette::Window));
    const QColor color = edgeColor(palette());
    for (QGraphicsPathItem *edge : std::as_const(m_edges)) {
        edge->setPen(QPen(color, 1.4));
        for (QGraphicsItem *child : edge->childItems()) {
            if (auto *head = dynamic_cast<QGraphicsPolygonItem *>(child))
                head->setBrush(color);
        }
    }
    scene()->update();
}

} // namespace Sluice
