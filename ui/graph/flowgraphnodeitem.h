#pragma once

// One step of a FlowGraphView: a rounded box with the step's kind icon and id and, once a run
// state is set, the state's colour, the attempt and the duration. Colours come from the
// scene's palette (light or dark) and StateStyle (as in the task table). GUI thread.

#include <QCoreApplication>
#include <QGraphicsItem>

#include "engine/runstate.h"
#include "graph/flowgraph.h"

namespace Sluice {

class FlowGraphNodeItem : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::FlowGraphNodeItem)

public:
    static constexpr int IconSize = 16;
    static constexpr int Padding = 8;

    FlowGraphNodeItem(const FlowGraphNode &node, const QSizeF &size);

    // The size a node needs for its id and state line in font.
    static QSizeF sizeFor(const FlowGraphNode &node, const QFont &font);

    const FlowGraphNode &node() const { return m_node; }
    void setState(RunState state, int attempt, int maxAttempts, qint64 durationMs);
    void clearState();
    bool hasState() const { return m_hasState; }
    RunState state() const { return m_state; }
    void setCurrent(bool current);
    bool isCurrent() const { return m_current; }
    // The border colour in use: the state's, or the palette's when there is no state.
    QColor borderColor() const;
    QColor fillColor() const;
    // The second line: "Running · try 2/3 · 1.2 s", or the kind when there is no state.
    QString statusText() const;

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option,
        QWidget *widget = nullptr) override;

    // Draws the icon of a step kind ("" for a built-in task) into rect with color.
    static void paintKindIcon(
        QPainter *painter, const QRectF &rect, const QString &kind, const QColor &color);
    // "SQL", "Shell", ...: the kind in the user's language.
    static QString kindText(const QString &kind);

private:
    void updateToolTip();
    QPalette palette() const;

    FlowGraphNode m_node;
    QSizeF m_size;
    bool m_hasState = false;
    RunState m_state = RunState::Pending;
    int m_attempt = 0;
    int m_maxAttempts = 0;
    qint64 m_durationMs = -1;
    bool m_current = false;
};

} // namespace Sluice
