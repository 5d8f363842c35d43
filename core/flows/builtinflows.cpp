#include "flows/builtinflows.h"

#include "flows/demoflow.h"

namespace Sluice {

Result<void> registerBuiltinFlows(FlowRegistry &registry)
{
    if (Result<void> ok = registry.add(DemoFlow::create()); !ok)
        return ok;
    return {};
}

} // namespace Sluice
