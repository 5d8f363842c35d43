#pragma once

// The `http` step of a flow file (README, "Your own flows"): one request through HttpFetcher
// (the source proxy, TLS verification, timeouts, Retry-After, transient-only retries), the
// elements of the JSON array at `rows` streamed into the table `into`, each column read at its
// pointer inside the element, all in one transaction. Values substituted into the URL and the
// query are percent-encoded. Output: the rows stored.

#include <QCoreApplication>
#include <QVariant>

#include "engine/result.h"

namespace Sluice {

class StepContext;

class HttpStep
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::HttpStep)

public:
    static Result<QVariant> run(StepContext &context);

    // A response larger than this fails the step (a million rows are about 60 MB).
    static constexpr qint64 MaxBodyBytes = qint64(1) << 30;
};

} // namespace Sluice
