#pragma once

// The flows this process knows, by name. Filled at start-up on the main thread (each flow is
// validated as it is added); read-only afterwards, so any thread may look flows up.

#include <memory>
#include <vector>

#include <QStringList>

#include "engine/flow.h"

namespace Sluice {

class FlowRegistry
{
public:
    // Validates the flow and adds it; a flow name may be registered once.
    Result<void> add(Flow flow);

    std::shared_ptr<const Flow> flow(const QString &name) const;
    // The registered flows in the order they were added.
    const std::vector<std::shared_ptr<const Flow>> &flows() const { return m_flows; }
    QStringList names() const;

private:
    std::vector<std::shared_ptr<const Flow>> m_flows;
};

} // namespace Sluice
