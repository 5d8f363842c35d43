#pragma once

// For the flow graph test and benchmark: seeded random DAGs and a wide fan-out/fan-in, as
// FlowGraphs, and checks of a layout (needs to the left, no overlapping boxes).

#include <QRandomGenerator>

#include "graph/flowgraph.h"
#include "graph/graphlayout.h"

namespace GraphTest {

using namespace Sluice;

// count steps "s1".."sN"; each after the first needs 1 to 3 earlier steps, mostly recent ones.
inline FlowGraph randomDag(int count, quint32 seed)
{
    QRandomGenerator random(seed);
    FlowGraph graph;
    for (int i = 0; i < count; ++i) {
        FlowGraphNode node{ QStringLiteral("s%1").arg(i + 1), QStringLiteral("run"), {} };
        const int needs = i == 0 ? 0 : 1 + int(random.bounded(3));
        for (int k = 0; k < needs; ++k) {
            const int window = std::min(i, 8);
            const int need = i - 1 - int(random.bounded(window));
            const QString id = QStringLiteral("s%1").arg(need + 1);
            if (!node.needs.contains(id))
                node.needs << id;
        }
        graph.nodes << node;
    }
    return graph;
}

// One source, count - 2 steps that need it, one sink that needs them all.
inline FlowGraph fanOutFanIn(int count)
{
    FlowGraph graph;
    graph.nodes << FlowGraphNode{ QStringLiteral("source"), QStringLiteral("http"), {} };
    FlowGraphNode sink{ QStringLiteral("sink"), QStringLiteral("email"), {} };
    for (int i = 1; i <= count - 2; ++i) {
        const QString id = QStringLiteral("step%1").arg(i);
        graph.nodes << FlowGraphNode{ id, QStringLiteral("sql"), { QStringLiteral("source") } };
        sink.needs << id;
    }
    graph.nodes << sink;
    return graph;
}

inline QList<QSizeF> sizesOf(const FlowGraph &graph)
{
    QList<QSizeF> sizes;
    for (const FlowGraphNode &node : graph.nodes)
        sizes << QSizeF(100 + 7 * node.id.size(), 44);
    return sizes;
}

inline GraphLayoutResult layOut(const FlowGraph &graph)
{
    return GraphLayout::layout(graph.needIndexes(), sizesOf(graph));
}

// Empty when every box is right of the boxes it needs and no two boxes overlap; else what
// is wrong.
inline QString layoutProblem(const FlowGraph &graph, const GraphLayoutResult &layout)
{
    if (layout.nodes.size() != graph.nodes.size())
        return QStringLiteral("%1 rects for %2 nodes").arg(layout.nodes.size()).arg(graph.size());
    const QList<QList<int>> needs = graph.needIndexes();
    for (int i = 0; i < graph.size(); ++i) {
        for (const int need : needs.at(i)) {
            if (layout.nodes.at(need).right() >= layout.nodes.at(i).left())
                return QStringLiteral("%1 is not right of %2")
                    .arg(graph.nodes.at(i).id, graph.nodes.at(need).id);
        }
        for (int j = i + 1; j < graph.size(); ++j) {
            if (layout.nodes.at(i).intersects(layout.nodes.at(j)))
                return QStringLiteral("%1 overlaps %2")
                    .arg(graph.nodes.at(i).id, graph.nodes.at(j).id);
        }
    }
    return {};
}

} // namespace GraphTest
