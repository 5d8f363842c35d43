#include "flows/demoflow.h"

#include <QCoreApplication>

#include "engine/taskcontext.h"

namespace Sluice::DemoFlow {

namespace {

    constexpr int Batches = 3;

    // Sleeps sleep-ms in batches, logging and reporting progress, and returns the rows "read".
    Result<QVariant> extract(TaskContext &context, int rowsPerBatch)
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
        return QVariant(rowsPerBatch * Batches);
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

    flow.addTask({ QStringLiteral("extract-prices"), {},
        [](TaskContext &context) { return extract(context, 4); }, {}, {} });
    flow.addTask({ QStringLiteral("extract-network"), {},
        [](TaskContext &context) { return extract(context, 2); }, {}, {} });
    flow.addTask({ QLatin1String(FailingTask),
        { QStringLiteral("extract-prices"), QStringLiteral("extract-network") },
        [](TaskContext &context) -> Result<QVariant> {
            const int rows = context.upstream(QStringLiteral("extract-prices")).toInt()
                + context.upstream(QStringLiteral("extract-network")).toInt();
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
            return QVariant(rows);
        },
        {}, {} });
    flow.addTask({ QStringLiteral("report"), { QLatin1String(FailingTask) },
        [](TaskContext &context) -> Result<QVariant> {
            if (!context.sleep(context.parameter(QStringLiteral("sleep-ms")).toInt()))
                return Error{ QCoreApplication::translate(
                                  "Sluice::DemoFlow", "cancelled before the report"),
                    {} };
            const int rows = context.upstream(QLatin1String(FailingTask)).toInt();
            context.info(QCoreApplication::translate(
                "Sluice::DemoFlow", "report: %n row(s) merged", nullptr, rows));
            return QVariant(rows);
        },
        {}, {} });
    return flow;
}

} // namespace Sluice::DemoFlow
