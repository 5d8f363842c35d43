#pragma once

// How often and how late a failed task is tried again: a number of retries, the delay before
// the first retry, a backoff factor for each further retry and a cap. A plain value.

#include <QtGlobal>

namespace Sluice {

struct RetryPolicy
{
    int retries = 0; // attempts after the first; 0: fail at the first error
    int delayMs = 0; // before the first retry
    double backoff = 1.0; // each further retry waits this many times longer (1: a fixed delay)
    int maxDelayMs = 0; // cap of the delay; 0: no cap

    // Whether a task that failed this attempt (from 1) gets another.
    bool allowsAttemptAfter(int attempt) const { return attempt <= retries; }
    // The delay before the given attempt (2 is the first retry): delayMs * backoff^(attempt-2),
    // capped at maxDelayMs.
    int delayBeforeAttempt(int attempt) const;
};

} // namespace Sluice
