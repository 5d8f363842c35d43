#include "steps/linethrottle.h"

#include <algorithm>
#include <limits>

#include <QLocale>

namespace Sluice {

LineThrottle::LineThrottle(Sink sink, int perSecond, int tail)
    : m_sink(std::move(sink))
    , m_perSecond(std::max(1, perSecond))
    , m_tail(std::max(0, tail))
    , m_tokens(m_perSecond)
{ }

void LineThrottle::refill(qint64 nowMs)
{
    if (m_lastMs >= 0 && nowMs > m_lastMs)
        m_tokens = std::min<double>(
            m_perSecond, m_tokens + double(nowMs - m_lastMs) * m_perSecond / 1000.0);
    if (nowMs > m_lastMs)
        m_lastMs = nowMs;
}

void LineThrottle::add(LogLevel level, const QString &line, qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens >= 1.0) {
        // Back under budget: say what was held back before going on.
        if (m_suppressed > 0 && m_tokens >= std::min<double>(m_perSecond, m_tail + 2))
            flushSuppressed();
        if (m_suppressed == 0) {
            m_tokens -= 1.0;
            m_sink(level, line);
            return;
        }
    }
    ++m_suppressed;
    ++m_suppressedTotal;
    if (m_tail > 0) {
        m_kept.emplace_back(level, line);
        if (int(m_kept.size()) > m_tail)
            m_kept.pop_front();
    }
}

void LineThrottle::finish()
{
    if (m_suppressed > 0)
        flushSuppressed();
}

void LineThrottle::flushSuppressed()
{
    const qint64 hidden = m_suppressed - qint64(m_kept.size());
    if (hidden > 0) {
        const int plural = int(std::min<qint64>(hidden, std::numeric_limits<int>::max()));
        m_sink(LogLevel::Warning,
            tr("[%1 line(s) not shown: the step wrote faster than %2 lines a second]", nullptr,
                plural)
                .arg(QLocale().toString(hidden))
                .arg(m_perSecond));
    }
    for (const auto &[level, text] : m_kept)
        m_sink(level, text);
    m_tokens = std::max(0.0, m_tokens - double(m_kept.size()) - 1.0);
    m_kept.clear();
    m_suppressed = 0;
}

} // namespace Sluice
