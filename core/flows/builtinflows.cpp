#include "flows/builtinflows.h"

#include "flows/btcbackfillflow.h"
#include "flows/btcupdateflow.h"
#include "flows/dailyreportflow.h"
#include "flows/demoflow.h"
#include "settings/datafolder.h"
#include "settings/settings.h"

namespace Sluice {

namespace {

    // The BTC flows' warehouse and sources: the data folder's, with its settings.ini and the
    // environment (SLUICE_BINANCE_URL, ...) as they are now.
    BtcFlowOptions btcFlowOptions(const QString &dataFolder)
    {
        const DataFolder folder = DataFolder::at(dataFolder);
        const Settings settings(folder.settingsPath());
        return BtcFlowOptions::fromSettings(folder.warehousePath(), settings);
    }

} // namespace

Result<void> registerBuiltinFlows(FlowRegistry &registry, const QString &dataFolder)
{
    if (Result<void> ok = registry.add(DemoFlow::create()); !ok)
        return ok;
    if (!dataFolder.isEmpty()) {
        if (Result<void> ok = registry.add(DailyReportFlow::create(dataFolder)); !ok)
            return ok;
        const BtcFlowOptions btc = btcFlowOptions(dataFolder);
        if (Result<void> ok = registry.add(BtcBackfillFlow::create(btc)); !ok)
            return ok;
        if (Result<void> ok = registry.add(BtcUpdateFlow::create(btc)); !ok)
            return ok;
    }
    return {};
}

} // namespace Sluice
