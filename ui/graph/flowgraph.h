#pragma once

// The steps of a flow as a graph for display: each node its id, its kind and the ids it needs.
// Built from an engine Flow (built-in or file), from a flow file's definition (which may have
// check errors: unknown needs are dropped, cycles are kept for the layout to break) or from
// the task records of a stored run. A plain value; any thread.

#include <QList>
#include <QString>
#include <QStringList>

#include "engine/runrecords.h"

namespace Sluice {

class Flow;
struct FlowDefinition;

struct FlowGraphNode
{
    QString id;
    // The step kind as written in flow files ("run", "sql", "http", "import", "export",
    // "email"), or "" for a built-in C++ task.
    QString kind;
    QStringList needs; // ids of nodes of the same graph, each once

    bool operator==(const FlowGraphNode &other) const = default;
};

struct FlowGraph
{
    QList<FlowGraphNode> nodes;

    bool operator==(const FlowGraph &other) const = default;

    bool isEmpty() const { return nodes.isEmpty(); }
    int size() const { return int(nodes.size()); }
    // The index of the node with that id, or -1.
    int indexOf(const QString &id) const;
    // needs as node indexes, in node order.
    QList<QList<int>> needIndexes() const;

    static FlowGraph fromFlow(const Flow &flow);
    static FlowGraph fromDefinition(const FlowDefinition &definition);
    // A stored run's tasks when its flow is gone: kinds are unknown ("").
    static FlowGraph fromTasks(const QList<TaskRunRecord> &tasks);
};

} // namespace Sluice
