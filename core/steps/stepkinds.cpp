#include "steps/stepkinds.h"

namespace Sluice {

StepFunction stepFunction(StepKind kind)
{
    switch (kind) {
    case StepKind::Run:
        return nullptr;
    case StepKind::Sql:
        return nullptr;
    case StepKind::Http:
        return nullptr;
    case StepKind::Import:
        return nullptr;
    case StepKind::Export:
        return nullptr;
    case StepKind::Email:
        return nullptr;
    }
    return nullptr;
}

} // namespace Sluice
