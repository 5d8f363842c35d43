#include "engine/retrypolicy.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace Sluice {

int RetryPolicy::delayBeforeAttempt(int attempt) const
{
    if (attempt < 2 || delayMs <= 0)
        return 0;
    const double factor = std::pow(std::max(backoff, 1.0), attempt - 2);
    double delay = double(delayMs) * factor;
    if (maxDelayMs > 0)
        delay = std::min(delay, double(maxDelayMs));
    // A huge backoff without a cap must not overflow into a negative delay.
    return int(std::min(delay, double(std::numeric_limits<int>::max())));
}

} // namespace Sluice
