#pragma once

// A clock that stands still until told otherwise: tests set it and advance it, so that the
// scheduler can be checked over days of fire times without waiting. Same thread as its user.

#include "schedule/clock.h"

namespace Sluice {

class ManualClock final : public Clock
{
public:
    explicit ManualClock(const QDateTime &now)
        : m_now(now.toUTC())
    { }

    QDateTime now() const override { return m_now; }
    void setNow(const QDateTime &now) { m_now = now.toUTC(); }
    // Negative seconds move it back, as a corrected system clock can.
    void advance(qint64 seconds) { m_now = m_now.addSecs(seconds); }

private:
    QDateTime m_now;
};

} // namespace Sluice
