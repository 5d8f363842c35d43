#include "steps/stepkinds.h"

#include "steps/emailstep.h"
#include "steps/exportstep.h"
#include "steps/httpstep.h"
#include "steps/importstep.h"
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
        return &HttpStep::run;
    case StepKind::Import:
        return &ImportStep::run;
    case StepKind::Export:
        return &ExportStep::run;
    case StepKind::Email:
        return &EmailStep::run;
    }
    return nullptr;
}

} // namespace Sluice
