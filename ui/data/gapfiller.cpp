#include "data/gapfiller.h"

#include <QDateTime>
#include <QTimer>

#include "engine/engine.h"
#include "engine/runevents.h"
#include "flows/btcbackfillflow.h"
#include "storage/warehouse.h"
#include "transform/slotrows.h"

namespace Sluice {

GapFiller::GapFiller(Engine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    if (m_engine) {
        connect(m_engine, &Engine::runStarted, this, &GapFiller::onRunStarted);
        connect(m_engine, &Engine::runFinished, this, &GapFiller::onRunFinished);
        connect(m_engine, &Engine::runStartFailed, this, &GapFiller::onRunStartFailed);
    }
}

QString GapFiller::flowName()
{
    return QLatin1String(BtcBackfillFlow::Name);
}

QVariantMap GapFiller::parameters(const SlotGap &range)
{
    const auto text = [](qint64 seconds) {
        return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(Qt::ISODate); // "…Z"
    };
    return { { QStringLiteral("from"), text(range.start) },
        { QStringLiteral("to"), text(range.end) } };
}

bool GapFiller::fills(const QString &table, const GapSeries &series)
{
    // The series btc-backfill is made for (BtcFlowOptions::key keeps its default).
    const SeriesKey key;
    if (series.timeframe != key.timeframe)
        return false;
    const auto is = [&](const QStringList &columns, const QVariantList &values) {
        return series.keyColumns == columns && series.keyValues == values;
    };
    if (table == QLatin1String(Warehouse::CleanTable))
        return series.keyColumns.isEmpty();
    if (table == QLatin1String(Warehouse::PriceTable))
        return is({ QStringLiteral("coin"), QStringLiteral("currency") },
            { key.coin, key.currency });
    if (table == QLatin1String(Warehouse::HashRateTable)
        || table == QLatin1String(Warehouse::DifficultyTable))
        return is({ QStringLiteral("network") }, { key.network });
    return false;
}

bool GapFiller::fill(const QList<SlotGap> &ranges)
{
    if (!m_engine || isFilling() || ranges.isEmpty())
        return false;
    m_ranges = ranges;
    m_index = -1;
    m_completed = 0;
    m_failed = 0;
    m_cancelled = false;
    startNext();
    return true;
}

void GapFiller::cancel()
{
    if (!isFilling())
        return;
    m_cancelled = true;
    if (m_runId != 0)
        m_engine->cancel(m_runId);
}

void GapFiller::startNext()
{
    ++m_index;
    m_ticket = 0;
    m_runId = 0;
    if (m_cancelled || m_index >= m_ranges.size()) {
        const int completed = m_completed;
        const int failed = m_failed;
        const bool cancelled = m_cancelled;
        m_index = -1;
        Q_EMIT finished(completed, failed, cancelled);
        return;
    }
    Q_EMIT progressed(m_index, int(m_ranges.size()));
    const Result<qint64> ticket = m_engine->start(flowName(), parameters(m_ranges.at(m_index)));
    if (!ticket) {
        // Not started (an unknown flow, a bad parameter): counted, then on to the next range,
        // after the caller has seen this one's progress.
        ++m_failed;
        QTimer::singleShot(0, this, &GapFiller::startNext);
        return;
    }
    m_ticket = *ticket;
}

void GapFiller::onRunStarted(const RunStartedEvent &event)
{
    if (!isFilling() || m_ticket == 0 || event.ticket != m_ticket)
        return;
    m_runId = event.runId;
    if (m_cancelled)
        m_engine->cancel(m_runId);
}

void GapFiller::onRunFinished(const RunFinishedEvent &event)
{
    if (!isFilling() || m_ticket == 0 || event.ticket != m_ticket)
        return;
    endRun(event.state == RunState::Completed);
}

void GapFiller::onRunStartFailed(const RunStartFailedEvent &event)
{
    if (!isFilling() || m_ticket == 0 || event.ticket != m_ticket)
        return;
    endRun(false);
}

void GapFiller::endRun(bool completed)
{
    ++(completed ? m_completed : m_failed);
    m_ticket = 0;
    startNext();
}

} // namespace Sluice
