#include "flows/builtinflows.h"

#include "flows/btcbackfillflow.h"
#include "flows/btcupdateflow.h"
#include "flows/dailyreportflow.h"
#include "flows/demoflow.h"
#include "settings/datafolder.h"
#include "settings/settings.h"

namespace Sluice {

Result<void> registerBuiltinFlows(FlowRegistry &registry)
{
    return registry.add(DemoFlow::create());
}

Result<void> registerBuiltinFlows(
    FlowRegistry &registry, const DataFolder &folder, const Settings &settings)
{
    if (Result<void> ok = registerBuiltinFlows(registry); !ok)
        return ok;
    if (Result<void> ok = registry.add(DailyReportFlow::create(folder.path(), settings)); !ok)
        return ok;
    const BtcFlowOptions btc = BtcFlowOptions::following(folder.warehousePath(), settings);
    if (Result<void> ok = registry.add(BtcBackfillFlow::create(btc)); !ok)
        return ok;
    return registry.add(BtcUpdateFlow::create(btc));
}

} // namespace Sluice
