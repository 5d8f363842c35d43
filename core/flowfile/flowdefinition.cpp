#include "flowfile/flowdefinition.h"

#include <algorithm>

namespace Sluice {

bool FlowDefinition::isGraph() const
{
    return std::any_of(
        steps.cbegin(), steps.cend(), [](const StepDefinition &step) { return step.hasNeeds; });
}

QList<QStringList> FlowDefinition::dependencies() const
{
    QList<QStringList> result;
    result.reserve(steps.size());
    const bool graph = isGraph();
    for (qsizetype i = 0; i < steps.size(); ++i) {
        QStringList ids;
        if (!graph) {
            if (i > 0)
                ids << steps.at(i - 1).id;
        } else {
            for (const PositionedText &need : steps.at(i).needs) {
                if (stepIndex(need.value) >= 0 && !ids.contains(need.value))
                    ids << need.value;
            }
        }
        result << ids;
    }
    return result;
}

qsizetype FlowDefinition::stepIndex(const QString &id) const
{
    for (qsizetype i = 0; i < steps.size(); ++i) {
        if (steps.at(i).id == id)
            return i;
    }
    return -1;
}

const FlowParam *FlowDefinition::param(const QString &name) const
{
    for (const FlowParam &p : params) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

QString stepKindName(StepKind kind)
{
    switch (kind) {
    case StepKind::Run:
        return QStringLiteral("run");
    case StepKind::Sql:
        return QStringLiteral("sql");
    case StepKind::Http:
        return QStringLiteral("http");
    case StepKind::Import:
        return QStringLiteral("import");
    case StepKind::Export:
        return QStringLiteral("export");
    case StepKind::Email:
        return QStringLiteral("email");
    }
    return {};
}

QString flowParamTypeName(FlowParamType type)
{
    switch (type) {
    case FlowParamType::String:
        return QStringLiteral("string");
    case FlowParamType::Int:
        return QStringLiteral("int");
    case FlowParamType::Double:
        return QStringLiteral("double");
    case FlowParamType::Bool:
        return QStringLiteral("bool");
    case FlowParamType::Date:
        return QStringLiteral("date");
    }
    return {};
}

QList<StepKind> allStepKinds()
{
    return { StepKind::Run, StepKind::Sql, StepKind::Http, StepKind::Import, StepKind::Export,
        StepKind::Email };
}

} // namespace Sluice
