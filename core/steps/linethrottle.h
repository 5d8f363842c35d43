#pragma once
// Keeps a chatty step from flooding the run log while losing nothing that matters: lines pass
// as they come up to a budget (a burst of `perSecond`, refilled at `perSecond` lines a second);
// past it they are counted, and the last `tail` of them kept. When the budget is back, or at
// finish(), one line says how many were not shown and the kept tail follows, so the last
// words of a step (usually its error) are always in the log.

#include <deque>
#include <functional>

#include <QCoreApplication>
#include <QString>

#include "engine/runstate.h"

namespace Sluice {

class LineThrottle
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::LineThrottle)

public:
    using Sink = std::function<void(LogLevel level, const QString &line)>;

    explicit LineThrottle(Sink sink, int perSecond = 200, int tail = 20);

    // nowMs: a monotonic clock in milliseconds (injected so that tests need not wait).
    void add(LogLevel level, const QString &line, qint64 nowMs);
    void finish();

    qint64 suppressedTotal() const { return m_suppressedTotal; }

private:
    void refill(qint64 nowMs);
    void flushSuppressed();

    Sink m_sink;
    int m_perSecond;
    int m_tail;
    double m_tokens;
    qint64 m_lastMs = -1;
    qint64 m_suppressed = 0; // since the last flush, tail included
    qint64 m_suppressedTotal = 0;
    std::deque<std::pair<LogLevel, QString>> m_kept;
};

} // namespace Sluice
