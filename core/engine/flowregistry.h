#pragma once

// The flows this process knows, by name: the built-in flows, added once at start-up on the main
// thread (each flow is validated as it is added), and the file flows, replaced as a whole set
// whenever the flows folder is read again. Readers take a snapshot: an immutable set that a
// later replacement never changes, so a lookup or a listing is consistent and a run keeps its
// Flow however the files change. Any thread may look flows up; add() and setFileFlows() are
// for one thread at a time.

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <QList>
#include <QStringList>

#include "engine/flow.h"

namespace Sluice {

// A flow file that cannot run (it does not pass the check, or cannot be built): its name, its
// file and the first error. Starting it records a Failed run naming the error.
struct BrokenFlow
{
    QString name;
    QString path;
    Error error;
    // Where in the file the first error is, 1-based; 0 when it is not at a place in the file.
    int line = 0;
    int column = 0; // in bytes of the line, as Diagnostic
};

class FlowRegistry
{
public:
    // One consistent set of flows: the built-in flows first, in the order they were added, then
    // the file flows.
    struct Snapshot
    {
        std::vector<std::shared_ptr<const Flow>> flows;
        QList<BrokenFlow> broken;

        std::shared_ptr<const Flow> flow(const QString &name) const;
        std::optional<BrokenFlow> brokenFlow(const QString &name) const;
        QStringList names() const;
    };

    FlowRegistry();

    // Validates the flow and adds it as a built-in; a flow name may be registered once.
    Result<void> add(Flow flow);
    // Replaces the file flows and the broken ones as a set. A flow that is not valid or whose
    // name an earlier one of the set took is kept as broken with that error; one named like a
    // built-in is left out. The built-ins stay.
    void setFileFlows(std::vector<Flow> flows, QList<BrokenFlow> broken);

    std::shared_ptr<const Snapshot> snapshot() const;

    std::shared_ptr<const Flow> flow(const QString &name) const;
    std::optional<BrokenFlow> brokenFlow(const QString &name) const;
    // The flows of one snapshot, built-ins first in the order they were added.
    std::vector<std::shared_ptr<const Flow>> flows() const { return snapshot()->flows; }
    QList<BrokenFlow> brokenFlows() const { return snapshot()->broken; }
    QStringList names() const;
    // The built-in flows' names, in the order they were added.
    QStringList builtinNames() const;

private:
    void publish(std::shared_ptr<const Snapshot> snapshot);

    std::vector<std::shared_ptr<const Flow>> m_builtins; // the writer's only
    mutable std::mutex m_mutex; // guards m_snapshot (the pointer, not the set)
    std::shared_ptr<const Snapshot> m_snapshot;
};

} // namespace Sluice
