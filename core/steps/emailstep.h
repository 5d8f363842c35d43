#pragma once

// The `email` step of a flow file (README, "Your own flows"): one mail through MailJob with the
// SMTP settings and the stored password, as the daily report sends it. `to` defaults to the
// report.recipients setting; subject, body and attachments may use variables; attachments are
// files, relative paths against the flow's folder. Output: the recipients, comma-separated.

#include <QCoreApplication>
#include <QVariant>

#include "engine/result.h"

namespace Sluice {

class StepContext;

class EmailStep
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::EmailStep)

public:
    static Result<QVariant> run(StepContext &context);
};

} // namespace Sluice
