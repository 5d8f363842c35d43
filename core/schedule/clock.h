#pragma once

// Where the scheduler reads the time: the system's wall clock, or a clock that tests set and
// advance by hand (ManualClock). Implementations are called on the scheduler's thread.

#include <QDateTime>

namespace Sluice {

class Clock
{
public:
    virtual ~Clock() = default;
    // The current instant, in UTC.
    virtual QDateTime now() const = 0;
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};

} // namespace Sluice
