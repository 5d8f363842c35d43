#include "engine/flowregistry.h"

#include <QCoreApplication>

namespace Sluice {

Result<void> FlowRegistry::add(Flow flow)
{
    if (Result<void> ok = flow.validate(); !ok)
        return ok;
    if (this->flow(flow.name())) {
        return Error{ QCoreApplication::translate(
                          "Sluice::FlowRegistry", "a flow of this name is already registered"),
            QCoreApplication::translate("Sluice::FlowRegistry", "flow \"%1\"").arg(flow.name()) };
    }
    m_flows.push_back(std::make_shared<const Flow>(std::move(flow)));
    return {};
}

std::shared_ptr<const Flow> FlowRegistry::flow(const QString &name) const
{
    for (const auto &flow : m_flows) {
        if (flow->name() == name)
            return flow;
    }
    return nullptr;
}

QStringList FlowRegistry::names() const
{
    QStringList names;
    for (const auto &flow : m_flows)
        names << flow->name();
    return names;
}

} // namespace Sluice
