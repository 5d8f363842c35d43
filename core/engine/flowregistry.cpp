#include "engine/flowregistry.h"

#include <algorithm>

#include <QCoreApplication>

namespace Sluice {

namespace {

    Error nameTaken(const QString &name)
    {
        return Error{ QCoreApplication::translate(
                          "Sluice::FlowRegistry", "a flow of this name is already registered"),
            QCoreApplication::translate("Sluice::FlowRegistry", "flow \"%1\"").arg(name) };
    }

} // namespace

std::shared_ptr<const Flow> FlowRegistry::Snapshot::flow(const QString &name) const
{
    for (const auto &flow : flows) {
        if (flow->name() == name)
            return flow;
    }
    return nullptr;
}

std::optional<BrokenFlow> FlowRegistry::Snapshot::brokenFlow(const QString &name) const
{
    for (const BrokenFlow &flow : broken) {
        if (flow.name == name)
            return flow;
    }
    return std::nullopt;
}

QStringList FlowRegistry::Snapshot::names() const
{
    QStringList names;
    for (const auto &flow : flows)
        names << flow->name();
    return names;
}

FlowRegistry::FlowRegistry()
    : m_snapshot(std::make_shared<const Snapshot>())
{ }

Result<void> FlowRegistry::add(Flow flow)
{
    if (Result<void> ok = flow.validate(); !ok)
        return ok;
    const std::shared_ptr<const Snapshot> current = snapshot();
    if (current->flow(flow.name()) || current->brokenFlow(flow.name()))
        return nameTaken(flow.name());
    auto added = std::make_shared<const Flow>(std::move(flow));
    m_builtins.push_back(added);
    auto next = std::make_shared<Snapshot>(*current);
    next->flows.insert(next->flows.begin() + qsizetype(m_builtins.size()) - 1, added);
    publish(std::move(next));
    return {};
}

void FlowRegistry::setFileFlows(std::vector<Flow> flows, QList<BrokenFlow> broken)
{
    auto next = std::make_shared<Snapshot>();
    next->flows = m_builtins;
    const auto builtin = [&](const QString &name) {
        return std::any_of(m_builtins.cbegin(), m_builtins.cend(),
            [&](const auto &flow) { return flow->name() == name; });
    };
    const auto taken = [&](const QString &name) {
        return next->flow(name) || next->brokenFlow(name);
    };
    for (Flow &flow : flows) {
        const QString name = flow.name();
        const QString path = flow.sourcePath();
        if (builtin(name)) {
            continue; // the file is an error of its own (FlowChecker); the built-in stays
        } else if (taken(name)) {
            next->broken << BrokenFlow{ name, path, nameTaken(name) };
        } else if (Result<void> ok = flow.validate(); !ok) {
            next->broken << BrokenFlow{ name, path, ok.error() };
        } else {
            next->flows.push_back(std::make_shared<const Flow>(std::move(flow)));
        }
    }
    for (BrokenFlow &flow : broken) {
        if (!taken(flow.name))
            next->broken << std::move(flow);
    }
    publish(std::move(next));
}

void FlowRegistry::publish(std::shared_ptr<const Snapshot> snapshot)
{
    std::lock_guard lock(m_mutex);
    m_snapshot = std::move(snapshot);
}

std::shared_ptr<const FlowRegistry::Snapshot> FlowRegistry::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

std::shared_ptr<const Flow> FlowRegistry::flow(const QString &name) const
{
    return snapshot()->flow(name);
}

std::optional<BrokenFlow> FlowRegistry::brokenFlow(const QString &name) const
{
    return snapshot()->brokenFlow(name);
}

QStringList FlowRegistry::names() const
{
    return snapshot()->names();
}

QStringList FlowRegistry::builtinNames() const
{
    QStringList names;
    for (const auto &flow : m_builtins)
        names << flow->name();
    return names;
}

} // namespace Sluice
