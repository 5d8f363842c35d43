#include "graph/graphlayout.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <queue>
#include <vector>

namespace Sluice {

namespace {

    // An edge of the graph, in the direction the layout uses (source left of target).
    struct Edge
    {
        int from = 0;
        int to = 0;
        bool reversed = false; // broken out of a cycle: drawn against the layout's direction
    };

    // The layered graph with its dummies; nodes [0, real) are the input's.
    struct Layered
    {
        int real = 0;
        std::vector<int> layer; // of each node, dummies included
        std::vector<std::vector<int>> up; // neighbours in the layer to the left
        std::vector<std::vector<int>> down; // neighbours in the layer to the right
        std::vector<std::vector<int>> order; // the nodes of each layer, top to bottom
        std::vector<int> position; // index of each node in its layer
        std::vector<std::vector<int>> chains; // per edge: its dummies, left to right

        int addNode(int inLayer)
        {
            layer.push_back(inLayer);
            up.emplace_back();
            down.emplace_back();
            position.push_back(0);
            return int(layer.size()) - 1;
        }
        void link(int left, int right)
        {
            down[std::size_t(left)].push_back(right);
            up[std::size_t(right)].push_back(left);
        }
        void index()
        {
            for (const std::vector<int> &nodes : order) {
                for (std::size_t i = 0; i < nodes.size(); ++i)
                    position[std::size_t(nodes[i])] = int(i);
            }
        }
    };

    std::vector<Edge> collectEdges(const QList<QList<int>> &needs, int count)
    {
        std::vector<Edge> edges;
        for (int node = 0; node < count; ++node) {
            std::vector<int> seen;
            for (const int need : needs.value(node)) {
                if (need < 0 || need >= count || need == node
                    || std::find(seen.begin(), seen.end(), need) != seen.end())
                    continue;
                seen.push_back(need);
                edges.push_back({ need, node, false });
            }
        }
        return edges;
    }

    // Reverses the back edges of a depth-first search from each node in index order, so that
    // what remains is acyclic. Iterative: a chain of thousands of nodes is fine.
    void breakCycles(std::vector<Edge> &edges, int count)
    {
        const std::size_t size = std::size_t(count);
        std::vector<std::vector<int>> out(size);
        for (std::size_t e = 0; e < edges.size(); ++e)
            out[std::size_t(edges[e].from)].push_back(int(e));
        enum Color { White, Grey, Black };
        std::vector<Color> color(size, White);
        std::vector<std::pair<int, std::size_t>> stack; // node, next out edge
        for (int root = 0; root < count; ++root) {
            if (color[std::size_t(root)] != White)
                continue;
            color[std::size_t(root)] = Grey;
            stack.push_back({ root, 0 });
            while (!stack.empty()) {
                auto &[node, next] = stack.back();
                const std::vector<int> &outs = out[std::size_t(node)];
                if (next == outs.size()) {
                    color[std::size_t(node)] = Black;
                    stack.pop_back();
                    continue;
                }
                Edge &edge = edges[std::size_t(outs[next++])];
                const Color target = color[std::size_t(edge.to)];
                if (target == Grey) {
                    std::swap(edge.from, edge.to);
                    edge.reversed = true;
                } else if (target == White) {
                    color[std::size_t(edge.to)] = Grey;
                    stack.push_back({ edge.to, 0 });
                }
            }
        }
    }

    // Longest path from the sources; then a source is pulled right next to its nearest
    // successor, so that an input used late does not trail a long edge.
    std::vector<int> assignLayers(const std::vector<Edge> &edges, int count)
    {
        const std::size_t size = std::size_t(count);
        std::vector<std::vector<int>> out(size), in(size);
        for (const Edge &edge : edges) {
            out[std::size_t(edge.from)].push_back(edge.to);
            in[std::size_t(edge.to)].push_back(edge.from);
        }
        std::vector<int> waiting(size);
        std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
        for (int node = 0; node < count; ++node) {
            waiting[std::size_t(node)] = int(in[std::size_t(node)].size());
            if (waiting[std::size_t(node)] == 0)
                ready.push(node);
        }
        std::vector<int> layer(size, 0);
        std::vector<int> topological;
        while (!ready.empty()) {
            const int node = ready.top();
            ready.pop();
            topological.push_back(node);
            for (const int next : out[std::size_t(node)]) {
                layer[std::size_t(next)] =
                    std::max(layer[std::size_t(next)], layer[std::size_t(node)] + 1);
                if (--waiting[std::size_t(next)] == 0)
                    ready.push(next);
            }
        }
        for (auto it = topological.rbegin(); it != topological.rend(); ++it) {
            const std::size_t node = std::size_t(*it);
            if (!in[node].empty() || out[node].empty())
                continue;
            int nearest = layer[std::size_t(out[node].front())];
            for (const int next : out[node])
                nearest = std::min(nearest, layer[std::size_t(next)]);
            layer[node] = nearest - 1;
        }
        return layer;
    }

    Layered buildLayered(const std::vector<Edge> &edges, const std::vector<int> &layers)
    {
        Layered graph;
        graph.real = int(layers.size());
        int layerCount = 0;
        for (const int layer : layers) {
            graph.addNode(layer);
            layerCount = std::max(layerCount, layer + 1);
        }
        for (const Edge &edge : edges) {
            std::vector<int> chain;
            int left = edge.from;
            for (int layer = layers[std::size_t(edge.from)] + 1;
                 layer < layers[std::size_t(edge.to)]; ++layer) {
                const int dummy = graph.addNode(layer);
                chain.push_back(dummy);
                graph.link(left, dummy);
                left = dummy;
            }
            graph.link(left, edge.to);
            graph.chains.push_back(std::move(chain));
        }
        graph.order.assign(std::size_t(layerCount), {});
        for (std::size_t node = 0; node < graph.layer.size(); ++node)
            graph.order[std::size_t(graph.layer[node])].push_back(int(node));
        graph.index();
        return graph;
    }

    // Crossings between the segments of layer l and l + 1: inversions of the right ends when
    // the segments are sorted by their left ends, counted with a Fenwick tree.
    long long crossingsBelow(const Layered &graph, std::size_t l)
    {
        std::vector<std::pair<int, int>> segments;
        for (const int left : graph.order[l]) {
            for (const int right : graph.down[std::size_t(left)])
                segments.push_back(
                    { graph.position[std::size_t(left)], graph.position[std::size_t(right)] });
        }
        std::sort(segments.begin(), segments.end());
        const std::size_t width = graph.order[l + 1].size();
        std::vector<int> tree(width + 1, 0);
        long long crossings = 0;
        long long seen = 0;
        for (const auto &segment : segments) {
            // Segments seen so far whose right end lies below this one's cross it.
            long long notAbove = 0;
            for (std::size_t i = std::size_t(segment.second) + 1; i > 0; i -= i & (~i + 1))
                notAbove += tree[i];
            crossings += seen - notAbove;
            for (std::size_t i = std::size_t(segment.second) + 1; i <= width; i += i & (~i + 1))
                ++tree[i];
            ++seen;
        }
        return crossings;
    }

    long long crossings(const Layered &graph)
    {
        long long total = 0;
        for (std::size_t l = 0; l + 1 < graph.order.size(); ++l)
            total += crossingsBelow(graph, l);
        return total;
    }

    // Orders one layer by the mean position of each node's neighbours in the fixed layer;
    // a node without neighbours there keeps its slot.
    void orderByBarycenter(Layered &graph, std::size_t l, bool downward)
    {
        std::vector<int> &nodes = graph.order[l];
        std::vector<std::pair<double, int>> movable;
        std::vector<bool> fixed(nodes.size(), false);
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const std::vector<int> &neighbours =
                downward ? graph.up[std::size_t(nodes[i])] : graph.down[std::size_t(nodes[i])];
            if (neighbours.empty()) {
                fixed[i] = true;
                continue;
            }
            double sum = 0;
            for (const int neighbour : neighbours)
                sum += graph.position[std::size_t(neighbour)];
            movable.push_back({ sum / double(neighbours.size()), nodes[i] });
        }
        std::stable_sort(movable.begin(), movable.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
        std::size_t next = 0;
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (!fixed[i])
                nodes[i] = movable[next++].second;
        }
        for (std::size_t i = 0; i < nodes.size(); ++i)
            graph.position[std::size_t(nodes[i])] = int(i);
    }

    // Crossings between the edges of a and b to one neighbour layer when a stands above b.
    long long pairCrossings(const std::vector<int> &a, const std::vector<int> &b, const Layered &g)
    {
        long long count = 0;
        for (const int x : a) {
            for (const int y : b) {
                if (g.position[std::size_t(x)] > g.position[std::size_t(y)])
                    ++count;
            }
        }
        return count;
    }

    // Swaps neighbours of a layer while that removes crossings (a few rounds at most).
    void transpose(Layered &graph, int rounds)
    {
        for (int round = 0; round < rounds; ++round) {
            bool improved = false;
            for (std::vector<int> &nodes : graph.order) {
                for (std::size_t i = 0; i + 1 < nodes.size(); ++i) {
                    const std::size_t a = std::size_t(nodes[i]);
                    const std::size_t b = std::size_t(nodes[i + 1]);
                    const long long now = pairCrossings(graph.up[a], graph.up[b], graph)
                        + pairCrossings(graph.down[a], graph.down[b], graph);
                    const long long swapped = pairCrossings(graph.up[b], graph.up[a], graph)
                        + pairCrossings(graph.down[b], graph.down[a], graph);
                    if (swapped < now) {
                        std::swap(nodes[i], nodes[i + 1]);
                        graph.position[a] = int(i + 1);
                        graph.position[b] = int(i);
                        improved = true;
                    }
                }
            }
            if (!improved)
                return;
        }
    }

    void reduceCrossings(Layered &graph, int maxSweeps)
    {
        const std::size_t size = graph.layer.size();
        // Bound the work on large graphs: each sweep is about linear in the nodes and edges.
        const int sweeps = size > 4000 ? std::min(maxSweeps, 4)
            : size > 1000              ? std::min(maxSweeps, 8)
                                       : maxSweeps;
        const int transposeRounds = size > 4000 ? 1 : 4;
        std::vector<std::vector<int>> best = graph.order;
        long long bestCrossings = crossings(graph);
        int sinceBetter = 0;
        for (int sweep = 0; sweep < sweeps && bestCrossings > 0 && sinceBetter < 4; ++sweep) {
            const bool downward = sweep % 2 == 0;
            const std::size_t layers = graph.order.size();
            for (std::size_t step = 1; step < layers; ++step)
                orderByBarycenter(graph, downward ? step : layers - 1 - step, downward);
            transpose(graph, transposeRounds);
            const long long now = crossings(graph);
            if (now < bestCrossings) {
                bestCrossings = now;
                best = graph.order;
                sinceBetter = 0;
            } else {
                ++sinceBetter;
            }
        }
        graph.order = best;
        graph.index();
    }

    // Places the centres of one layer's nodes as near their wishes as their order and
    // spacing allow (least squares, by pooling adjacent violators).
    void placeLayer(const std::vector<double> &wish, const std::vector<double> &gap,
        std::vector<double> &centre)
    {
        // With offset[i] the least distance from node 0 to node i, z[i] = centre[i] - offset[i]
        // must not decrease: an isotonic regression of wish[i] - offset[i].
        const std::size_t n = wish.size();
        std::vector<double> offset(n, 0);
        for (std::size_t i = 1; i < n; ++i)
            offset[i] = offset[i - 1] + gap[i - 1];
        struct Block
        {
            double sum;
            std::size_t count;
        };
        std::vector<Block> blocks;
        for (std::size_t i = 0; i < n; ++i) {
            blocks.push_back({ wish[i] - offset[i], 1 });
            while (blocks.size() > 1) {
                const Block &last = blocks.back();
                const Block &before = blocks[blocks.size() - 2];
                if (before.sum / double(before.count) <= last.sum / double(last.count))
                    break;
                const Block merged{ before.sum + last.sum, before.count + last.count };
                blocks.pop_back();
                blocks.back() = merged;
            }
        }
        std::size_t i = 0;
        for (const Block &block : blocks) {
            const double value = block.sum / double(block.count);
            for (std::size_t k = 0; k < block.count; ++k, ++i)
                centre[i] = value + offset[i];
        }
    }

} // namespace

GraphLayoutResult GraphLayout::layout(
    const QList<QList<int>> &needs, const QList<QSizeF> &sizes, const Options &options)
{
    GraphLayoutResult result;
    const int count = int(sizes.size());
    if (count == 0)
        return result;

    std::vector<Edge> edges = collectEdges(needs, count);
    breakCycles(edges, count);
    const std::vector<int> layers = assignLayers(edges, count);
    Layered graph = buildLayered(edges, layers);
    reduceCrossings(graph, options.maxSweeps);
    result.crossings = int(std::min<long long>(crossings(graph), std::numeric_limits<int>::max()));

    const std::size_t total = graph.layer.size();
    auto height = [&](std::size_t node) {
        return node < std::size_t(count) ? sizes.at(qsizetype(node)).height() : options.laneGap;
    };

    // Columns: each layer as wide as its widest node.
    const std::size_t layerCount = graph.order.size();
    std::vector<double> columnX(layerCount, 0), columnWidth(layerCount, 0);
    for (int node = 0; node < count; ++node) {
        double &width = columnWidth[std::size_t(layers[std::size_t(node)])];
        width = std::max(width, sizes.at(node).width());
    }
    for (std::size_t l = 1; l < layerCount; ++l)
        columnX[l] = columnX[l - 1] + columnWidth[l - 1] + options.layerGap;

    // Rows: stacked and centred on 0, then pulled towards their neighbours a few times.
    std::vector<double> centre(total, 0);
    std::vector<std::vector<double>> gaps(layerCount);
    for (std::size_t l = 0; l < layerCount; ++l) {
        const std::vector<int> &nodes = graph.order[l];
        std::vector<double> &gap = gaps[l];
        double y = 0;
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (i > 0) {
                gap.push_back(
                    (height(std::size_t(nodes[i - 1])) + height(std::size_t(nodes[i]))) / 2
                    + options.nodeGap);
                y += gap.back();
            }
            centre[std::size_t(nodes[i])] = y;
        }
        for (const int node : nodes)
            centre[std::size_t(node)] -= y / 2;
    }
    constexpr int AlignPasses = 4;
    for (int pass = 0; pass < AlignPasses; ++pass) {
        const bool downward = pass % 2 == 0;
        for (std::size_t step = 0; step < layerCount; ++step) {
            const std::size_t l = downward ? step : layerCount - 1 - step;
            const std::vector<int> &nodes = graph.order[l];
            std::vector<double> wish(nodes.size()), placed(nodes.size());
            for (std::size_t i = 0; i < nodes.size(); ++i) {
                const std::size_t node = std::size_t(nodes[i]);
                const std::vector<int> &first = downward ? graph.up[node] : graph.down[node];
                const std::vector<int> &second = downward ? graph.down[node] : graph.up[node];
                const std::vector<int> &neighbours = first.empty() ? second : first;
                if (neighbours.empty()) {
                    wish[i] = centre[node];
                    continue;
                }
                double sum = 0;
                for (const int neighbour : neighbours)
                    sum += centre[std::size_t(neighbour)];
                wish[i] = sum / double(neighbours.size());
            }
            placeLayer(wish, gaps[l], placed);
            for (std::size_t i = 0; i < nodes.size(); ++i)
                centre[std::size_t(nodes[i])] = placed[i];
        }
    }

    // Nodes centred in their column; then everything moved to start at (0, 0).
    QList<QRectF> rects(count);
    for (int node = 0; node < count; ++node) {
        const std::size_t l = std::size_t(layers[std::size_t(node)]);
        const QSizeF size = sizes.at(node);
        rects[node] = QRectF(columnX[l] + (columnWidth[l] - size.width()) / 2,
            centre[std::size_t(node)] - size.height() / 2, size.width(), size.height());
    }
    for (std::size_t e = 0; e < edges.size(); ++e) {
        const Edge &edge = edges[e];
        GraphLayoutEdge out;
        const QRectF &from = rects.at(edge.from);
        const QRectF &to = rects.at(edge.to);
        out.points << QPointF(from.right(), from.center().y());
        for (const int dummy : graph.chains[e]) {
            const std::size_t l = std::size_t(graph.layer[std::size_t(dummy)]);
            const double y = centre[std::size_t(dummy)];
            out.points << QPointF(columnX[l], y) << QPointF(columnX[l] + columnWidth[l], y);
        }
        out.points << QPointF(to.left(), to.center().y());
        out.from = edge.from;
        out.to = edge.to;
        if (edge.reversed) {
            std::reverse(out.points.begin(), out.points.end());
            std::swap(out.from, out.to);
        }
        result.edges << out;
    }
    QRectF bounds;
    for (const QRectF &rect : std::as_const(rects))
        bounds = bounds.united(rect);
    for (const GraphLayoutEdge &edge : std::as_const(result.edges)) {
        for (const QPointF &point : edge.points)
            bounds = bounds.united(QRectF(point, QSizeF(0.001, 0.001)));
    }
    const QPointF shift = -bounds.topLeft();
    for (QRectF &rect : rects)
        rect.translate(shift);
    for (GraphLayoutEdge &edge : result.edges) {
        for (QPointF &point : edge.points)
            point += shift;
    }
    result.bounds = bounds.translated(shift);
    result.nodes = rects;
    for (const int layer : layers)
        result.layers << layer;
    return result;
}

} // namespace Sluice
