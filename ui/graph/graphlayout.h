#pragma once

// Lays out a directed graph left to right in layers (Sugiyama style): a node stands right of
// every node it needs (by longest path; a cycle is broken at its back edges), an edge that
// spans several layers runs through dummy nodes, barycenter sweeps reduce the crossings (the
// best order of several passes is kept), then nodes get coordinates and edges polylines.
// Pure and deterministic: the same input always gives the same output. Any thread.

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>

namespace Sluice {

// An edge from a node to one that needs it, as a polyline from `from`'s side to `to`'s side.
struct GraphLayoutEdge
{
    int from = 0; // the needed node
    int to = 0; // the node that needs it
    QList<QPointF> points; // at least two; the last is where the arrow points
};

struct GraphLayoutResult
{
    QList<QRectF> nodes; // by node index
    QList<int> layers; // the layer of each node, 0 at the left
    QList<GraphLayoutEdge> edges;
    QRectF bounds; // of every node and edge, from (0, 0)
    int crossings = 0; // of edge segments between adjacent layers
};

class GraphLayout
{
public:
    struct Options
    {
        qreal layerGap = 56; // between the columns of two layers
        qreal nodeGap = 18; // between two nodes of a layer
        qreal laneGap = 10; // the height a dummy (an edge passing a layer) takes
        int maxSweeps = 24; // barycenter sweeps, fewer for large graphs
    };

    // needs[i]: the nodes node i needs (invalid, repeated and self references are ignored);
    // sizes[i]: node i's size. needs and sizes have one entry per node.
    static GraphLayoutResult layout(
        const QList<QList<int>> &needs, const QList<QSizeF> &sizes, const Options &options);
    static GraphLayoutResult layout(const QList<QList<int>> &needs, const QList<QSizeF> &sizes)
    {
        return layout(needs, sizes, Options());
    }
};

} // namespace Sluice
