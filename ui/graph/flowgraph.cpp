#include "graph/flowgraph.h"

#include <QHash>
#include <QSet>

#include "engine/flow.h"
#include "flowfile/flowdefinition.h"
#include "flowfile/flowloader.h"

namespace Sluice {

namespace {

    // Keeps the needs that name another node, each once, in the order written.
    void dropUnknownNeeds(FlowGraph &graph)
    {
        QSet<QString> ids;
        for (const FlowGraphNode &node : std::as_const(graph.nodes))
            ids.insert(node.id);
        for (FlowGraphNode &node : graph.nodes) {
            QStringList kept;
            for (const QString &need : std::as_const(node.needs)) {
                if (need != node.id && ids.contains(need) && !kept.contains(need))
                    kept << need;
            }
            node.needs = kept;
        }
    }

} // namespace

int FlowGraph::indexOf(const QString &id) const
{
    for (int i = 0; i < nodes.size(); ++i) {
        if (nodes.at(i).id == id)
            return i;
    }
    return -1;
}

QList<QList<int>> FlowGraph::needIndexes() const
{
    QHash<QString, int> index;
    for (int i = int(nodes.size()) - 1; i >= 0; --i)
        index.insert(nodes.at(i).id, i); // the first node of an id wins
    QList<QList<int>> result(nodes.size());
    for (int i = 0; i < nodes.size(); ++i) {
        for (const QString &need : nodes.at(i).needs) {
            const int found = index.value(need, -1);
            if (found >= 0 && found != i && !result[i].contains(found))
                result[i] << found;
        }
    }
    return result;
}

FlowGraph FlowGraph::fromFlow(const Flow &flow)
{
    // A file flow keeps the bytes it was built from: read them again for the step kinds.
    QHash<QString, QString> kinds;
    if (!flow.source().isEmpty()) {
        const FlowLoader::Loaded loaded =
            FlowLoader::load(flow.source(), flow.sourcePath(), flow.sourcePath());
        if (loaded.definition) {
            for (const StepDefinition &step : loaded.definition->steps)
                kinds.insert(step.id, stepKindName(step.kind));
        }
    }
    FlowGraph graph;
    for (const TaskSpec &task : flow.tasks())
        graph.nodes << FlowGraphNode{ task.name, kinds.value(task.name), task.upstream };
    dropUnknownNeeds(graph);
    return graph;
}

FlowGraph FlowGraph::fromDefinition(const FlowDefinition &definition)
{
    const QList<QStringList> dependencies = definition.dependencies();
    FlowGraph graph;
    QSet<QString> seen;
    for (qsizetype i = 0; i < definition.steps.size(); ++i) {
        const StepDefinition &step = definition.steps.at(i);
        // A duplicate id is a check error; the graph shows the first step of it.
        if (step.id.isEmpty() || seen.contains(step.id))
            continue;
        seen.insert(step.id);
        graph.nodes << FlowGraphNode{ step.id, stepKindName(step.kind), dependencies.value(i) };
    }
    dropUnknownNeeds(graph);
    return graph;
}

FlowGraph FlowGraph::fromTasks(const QList<TaskRunRecord> &tasks)
{
    FlowGraph graph;
    for (const TaskRunRecord &task : tasks)
        graph.nodes << FlowGraphNode{ task.task, QString(), task.upstream };
    dropUnknownNeeds(graph);
    return graph;
}

} // namespace Sluice
