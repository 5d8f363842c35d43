#include "steps/stepkinds.h"

#include "steps/runstep.h"
#include "steps/sqlstep.h"

namespace Sluice {

StepFunction stepFunction(StepKind kind)
{
    switch (kind) {
    case StepKind::Run:
        return &RunStep::run;
    case StepKind::Sql:
        return &SqlStep::run;
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
