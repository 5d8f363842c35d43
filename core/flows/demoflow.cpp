#include "flows/demoflow.h"

#include <QCoreApplication>

#include "engine/taskcontext.h"
#include "flows/taskoutput.h"

namespace Sluice::DemoFlow {

namespace {

    constexpr int Batches = 3;

    // Each task's result: the rows it "read", "merged" or "reported".
    constexpr TaskOutput<int> PricesExtracted{ "extract-prices" };
    constexpr TaskOutput<int> NetworkExtracted{ "extract-network" };
    constexpr TaskOutput<int> Merged{ FailingTask };
    constexpr TaskOutput<int> Reported{ "report" };

    // Sleeps sleep-ms in batches, logging and reporting progress, and returns the rows "read".
    Result<int> extract(TaskContext &context, int rowsPerBatch)
    {
        const int sleepMs = context.parameter(QStringLiteral("sleep-ms")).toInt();
        for (int batch = 1; batch <= Batches; ++batch) {
            if (!context.sleep(sleepMs / Batches)) {
                const int done = batch - 1; // lupdate skips a plural argument that is an expression
                return Error{ QCoreApplication::translate("Sluice::DemoFlow",
                                  "cancelled after %n batch(es)", nullptr, done),
                    {} };
            }
            context.info(QCoreApplication::translate(
                "Sluice::DemoFlow", "read batch %1 of %2 (%n rows)", nullptr, rowsPerBatch)
                             .arg(batch)
                             .arg(Batches));
            context.setProgress(batch, Batches);
        }
        return rowsPerBatch * Batches;
    }

} // namespace

Flow create()
{
    Flow flow(QLatin1String(Name),
        QCoreApplication::translate(
            "Sluice::DemoFlow", "Tries the engine: two tasks in parallel, a merge, a report"));
    flow.addParameter({ QStringLiteral("fail"), ParameterType::Bool, false,
        QCoreApplication::translate("Sluice::DemoFlow", "make the merge task fail") });
    flow.addParameter({ QStringLiteral("sleep-ms"), ParameterType::Int, 300,
        QCoreApplication::translate(
            "Sluice::DemoFlow", "how long each task works, in milliseconds"),
        0, 600000 });

    flow.addTask({ PricesExtracted.task(), {},
        PricesExtracted.function([](TaskContext &context) { return extract(context, 4); }), {},
        {} });
    flow.addTask({ NetworkExtracted.task(), {},
        NetworkExtracted.function([](TaskContext &context) { return extract(context, 2); }), {},
        {} });
    flow.addTask({ Merged.task(), { PricesExtracted.task(), NetworkExtracted.task() },
        Merged.function([](TaskContext &context) -> Result<int> {
            const int rows = PricesExtracted.from(context) + NetworkExtracted.from(context);
            if (!context.sleep(context.parameter(QStringLiteral("sleep-ms")).toInt()))
                return Error{ QCoreApplication::translate(
                                  "Sluice::DemoFlow", "cancelled before the merge"),
                    {} };
            if (context.parameter(QStringLiteral("fail")).toBool()) {
                context.error(QCoreApplication::translate(
                    "Sluice::DemoFlow", "giving up: the failure was requested"));
                return Error{ QCoreApplication::translate("Sluice::DemoFlow",
                                  "demo failure requested by the parameter fail=true"),
                    {} };
            }
            context.info(
                QCoreApplication::translate("Sluice::DemoFlow", "merged %n row(s)", nullptr, rows));
            return rows;
        }),
        {}, {} });
    flow.addTask({ Reported.task(), { Merged.task() },
        Reported.function([](TaskContext &context) -> Result<int> {
            if (!context.sleep(context.parameter(QStringLiteral("sleep-ms")).toInt()))
                return Error{ QCoreApplication::translate(
                                  "Sluice::DemoFlow", "cancelled before the report"),
                    {} };
            const int rows = Merged.from(context);
            context.info(QCoreApplication::translate(
                "Sluice::DemoFlow", "report: %n row(s) merged", nullptr, rows));
            return rows;
        }),
        {}, {} });
    return flow;
}

} // namespace Sluice::DemoFlow
