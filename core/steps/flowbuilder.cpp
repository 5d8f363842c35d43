#include "steps/flowbuilder.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "flowfile/variabletemplate.h"
#include "steps/stepkinds.h"

namespace Sluice {

namespace {

    // README defaults: 0 retries, 5 s between attempts, no backoff, no timeout.
    constexpr qint64 DefaultRetryDelayMs = 5000;
    constexpr double ExponentialFactor = 2.0;

    int clampMs(qint64 ms)
    {
        return int(std::clamp<qint64>(ms, 0, std::numeric_limits<int>::max()));
    }

    ParameterType parameterType(FlowParamType type)
    {
        switch (type) {
        case FlowParamType::Int:
            return ParameterType::Int;
        case FlowParamType::Double:
            return ParameterType::Double;
        case FlowParamType::Bool:
            return ParameterType::Bool;
        case FlowParamType::Date:
            return ParameterType::Date;
        case FlowParamType::String:
            break;
        }
        return ParameterType::String;
    }

    ParameterSpec parameterSpec(const FlowParam &param)
    {
        ParameterSpec spec;
        spec.name = param.name;
        spec.type = parameterType(param.type);
        spec.description = param.description;
        spec.required = !param.defaultValue.has_value();
        for (const PositionedText &choice : param.choices)
            spec.choices << choice.value;
        if (param.defaultValue) {
            const VariableTemplate parsed = VariableTemplate::parse(param.defaultValue->value);
            if (parsed.hasVariables()) {
                spec.defaultFunction = [parsed](const QDateTime &time, const QDateTime &previous) {
                    return parsed.substitute([&](const QString &name) {
                        // Only ${run.*} variables are allowed there (the checker says so).
                        return FlowVariable::parse(name).timeValue(time, previous);
                    });
                };
            } else {
                spec.defaultValue = parsed.substitute({});
            }
        }
        return spec;
    }

    RetryPolicy retryPolicy(const StepPolicy &step, const StepPolicy &defaults)
    {
        RetryPolicy policy;
        policy.retries = step.retries.value_or(defaults.retries.value_or(0));
        policy.delayMs = clampMs(
            step.retryDelayMs.value_or(defaults.retryDelayMs.value_or(DefaultRetryDelayMs)));
        const Backoff backoff = step.backoff.value_or(defaults.backoff.value_or(Backoff::None));
        policy.backoff = backoff == Backoff::Exponential ? ExponentialFactor : 1.0;
        return policy;
    }

} // namespace

Result<Flow> FlowBuilder::build(const CheckedFlowFile &file, const FlowEnvironment &environment)
{
    if (!file.isValid()) {
        const Diagnostic *first = file.firstError();
        return Error{ first ? first->message : tr("the flow file could not be read"), file.path,
            ErrorCode::Permanent };
    }
    // Shared by every task function of the flow, and kept alive by them.
    const auto definition = std::make_shared<const FlowDefinition>(*file.definition);
    Flow flow(definition->name, definition->description);
    flow.setSource(file.path, file.source);
    for (const FlowParam &param : definition->params)
        flow.addParameter(parameterSpec(param));
    flow.setOverlap(definition->overlap);
    flow.setRetryOnCrash(definition->retryOnCrash);
    if (definition->timeoutMs)
        flow.setTimeoutMs(clampMs(*definition->timeoutMs));
    flow.setMaxParallel(definition->maxParallel.value_or(0));
    flow.setRetryPolicy(retryPolicy({}, definition->defaults));
    if (definition->defaults.timeoutMs)
        flow.setTaskTimeoutMs(clampMs(*definition->defaults.timeoutMs));

    const QList<QStringList> dependencies = definition->dependencies();
    for (qsizetype i = 0; i < definition->steps.size(); ++i) {
        const StepDefinition &step = definition->steps.at(i);
        const StepFunction function = stepFunction(step.kind);
        if (!function) {
            return Error{ tr("step `%1`: steps of kind `%2` cannot run in this version")
                              .arg(step.id, stepKindName(step.kind)),
                file.path, ErrorCode::Permanent };
        }
        TaskSpec task;
        task.name = step.id;
        task.upstream = dependencies.at(i);
        task.retry = retryPolicy(step.policy, definition->defaults);
        if (step.policy.timeoutMs)
            task.timeoutMs = clampMs(*step.policy.timeoutMs);
        task.function = [definition, i, function, &environment](
                            TaskContext &context) -> Result<QVariant> {
            StepContext step(context, *definition, definition->steps.at(i), environment);
            return function(step);
        };
        flow.addTask(std::move(task));
    }
    if (Result<void> valid = flow.validate(); !valid)
        return valid.error();
    return flow;
}

} // namespace Sluice
