#pragma once

// What the function of one step of a flow file gets for one attempt (README, "Your own flows"):
// the engine's TaskContext, the flow's checked definition, the step, the data folder it works
// on and the values of its `${...}` variables. Lives on the pool thread's stack, like the
// TaskContext it wraps; never keep it.

#include <functional>

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "engine/result.h"
#include "engine/taskcontext.h"
#include "flowfile/flowdefinition.h"
#include "flowfile/variabletemplate.h"

namespace Sluice {

class DataFolder;
class Settings;

// What every step of a file flow works on; outlives the flows built on it.
struct FlowEnvironment
{
    const DataFolder *folder = nullptr; // the warehouse, the credentials, ${data-dir}
    const Settings *settings = nullptr; // live: a task takes values() when it starts
};

class StepContext
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::StepContext)

public:
    // A step's output is at most this many bytes (UTF-8) where another step reads it.
    static constexpr qsizetype MaximumOutputBytes = 64 * 1024;

    StepContext(TaskContext &task, const FlowDefinition &flow, const StepDefinition &step,
        const FlowEnvironment &environment);
    StepContext(const StepContext &) = delete;
    StepContext &operator=(const StepContext &) = delete;

    TaskContext &task() const { return m_task; }
    const FlowDefinition &flow() const { return m_flow; }
    const StepDefinition &step() const { return m_step; }
    const FlowEnvironment &environment() const { return m_environment; }

    // The flow file's folder (${flow.dir}); a relative path of the step resolves against it.
    QString flowDirectory() const;
    QString resolvePath(const QString &path) const;
    QString warehousePath() const;

    // The value of `${name}` for this attempt: params as their canonical text, run.time as
    // 2026-12-06T06:30:00Z, run.date, run.stamp, run.prev-time (empty without a schedule),
    // flow.name, flow.dir, data-dir, env.NAME (the process's), steps.ID.output (of a step
    // upstream). The error names the variable (an output beyond MaximumOutputBytes, a step
    // not upstream, an unknown name: the checker refuses those first).
    Result<QString> variable(const QString &name) const;
    // The text with its variables substituted (no quoting: URL parts, file names, email
    // texts); the error names the variable and where the text is in the file. encode, when
    // given, turns each value before it is inserted (percent-encoding in a URL).
    using Encoder = std::function<QString(const QString &value)>;
    Result<QString> substitute(const PositionedText &text, const Encoder &encode = {}) const;
    // The run's values for SQL binds: :NAME of every param (`-` -> `_`), :run_id, :run_time,
    // :run_date, :flow. Typed (int params bind as integers).
    QVariantMap sqlBinds() const;
    // The SLUICE_* environment of `run` steps (README): SLUICE_PARAM_<NAME>, SLUICE_RUN_ID,
    // SLUICE_RUN_TIME, SLUICE_RUN_DATE, SLUICE_FLOW, SLUICE_DATA_DIR, SLUICE_WAREHOUSE.
    QStringList sluiceEnvironment() const;

    // "step `load` (flows/sales.yaml:12:5)": where messages say what failed.
    QString where() const;

private:
    TaskContext &m_task;
    const FlowDefinition &m_flow;
    const StepDefinition &m_step;
    const FlowEnvironment &m_environment;
};

} // namespace Sluice
