#pragma once

// Shows a FlowGraph: steps as boxes laid out left to right by GraphLayout, needs as arrows,
// and, once run states are set, each step's state colour, attempt and duration. Zoom with
// Ctrl+wheel or +/-, fit with Ctrl+0; drag to pan; arrow keys move between steps. On first
// show, on each new graph and on resizes (until the user zooms) it fits by itself, but not
// below a readable zoom: a graph too large for that shows its first steps. Clicking a step emits
// taskClicked(id), clicking the background taskClicked(""). GUI thread.

#include <QGraphicsView>
#include <QHash>

#include "engine/runstate.h"
#include "graph/flowgraph.h"
#include "graph/graphlayout.h"

class QGraphicsPathItem;

namespace Sluice {

class FlowGraphNodeItem;

class FlowGraphView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit FlowGraphView(QWidget *parent = nullptr);

    // Lays out and shows a graph, fitted, with no states; the same graph again changes nothing.
    void setGraph(const FlowGraph &graph);
    const FlowGraph &graph() const { return m_graph; }
    const GraphLayoutResult &layoutResult() const { return m_layout; }

    // attempt and maxAttempts 0: unknown; durationMs < 0: none.
    void setTaskState(
        const QString &id, RunState state, int attempt, int maxAttempts, qint64 durationMs);
    void clearStates();

    // Marks a step as the current one (empty: none) without emitting taskClicked.
    void selectTask(const QString &id);
    QString selectedTask() const { return m_selected; }

    // Shown when the graph is empty.
    void setPlaceholderText(const QString &text);
    QString placeholderText() const { return m_placeholder; }

    // A step's box in scene coordinates (empty when there is no such step); for tests and
    // for scrolling to a step.
    QRectF nodeRect(const QString &id) const;
    FlowGraphNodeItem *nodeItem(const QString &id) const { return m_items.value(id); }
    qreal zoom() const;

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    // The whole graph in view, never larger than its natural size; kept on resizes until the
    // user zooms.
    void fitToView();

Q_SIGNALS:
    void taskClicked(const QString &id);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void setZoom(qreal factor);
    // Fits as m_fit says.
    void applyFit();
    void applyPalette();
    void moveSelection(int key);
    void click(const QString &id);

    FlowGraph m_graph;
    GraphLayoutResult m_layout;
    QHash<QString, FlowGraphNodeItem *> m_items;
    QList<QGraphicsPathItem *> m_edges;
    QString m_selected;
    QString m_placeholder;
    QPoint m_pressPos;
    bool m_pressed = false;
    // How the view fits the graph, again on each resize, until the user zooms.
    enum class Fit {
        None, // the user's zoom
        Readable, // whole, but not below a readable zoom (on a new graph)
        Whole, // whole (fitToView())
    };
    Fit m_fit = Fit::Readable;
};

} // namespace Sluice
