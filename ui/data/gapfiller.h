#pragma once

// Fills gaps: runs the btc-backfill flow once per missing range, one after the other, with
// its from and to parameters set to the range (half-open), through the engine the window
// runs everything with. Cancel stops the run in progress and starts no more. GUI thread.

#include <QList>
#include <QObject>

#include "storage/gapmap.h"

namespace Sluice {

class Engine;
struct RunFinishedEvent;
struct RunStartFailedEvent;
struct RunStartedEvent;

class GapFiller : public QObject
{
    Q_OBJECT

public:
    explicit GapFiller(Engine *engine, QObject *parent = nullptr);

    // Starts filling ranges (sorted, none overlapping); false when already filling or without
    // an engine.
    bool fill(const QList<SlotGap> &ranges);
    void cancel();
    bool isFilling() const { return m_index >= 0; }
    int rangeCount() const { return int(m_ranges.size()); }

    // The flow run for each range and its parameters, written as the command line takes them.
    static QString flowName();
    static QVariantMap parameters(const SlotGap &range);
    // Whether that flow stores series, a series of table: its BTC/USD price, the BTC hash rate
    // and difficulty and the clean rows, of its timeframe (BtcFlowOptions::key). Fill gaps hands
    // it the gaps of those alone; no run of it fills another coin or timeframe.
    static bool fills(const QString &table, const GapSeries &series);

Q_SIGNALS:
    // index: 0-based range now running, of count.
    void progressed(int index, int count);
    // Every range was tried (or cancel was asked): how many runs completed and failed.
    void finished(int completed, int failed, bool cancelled);

private:
    void startNext();
    void onRunStarted(const RunStartedEvent &event);
    void onRunFinished(const RunFinishedEvent &event);
    void onRunStartFailed(const RunStartFailedEvent &event);
    void endRun(bool completed);

    Engine *m_engine;
    QList<SlotGap> m_ranges;
    int m_index = -1;
    qint64 m_ticket = 0;
    qint64 m_runId = 0;
    int m_completed = 0;
    int m_failed = 0;
    bool m_cancelled = false;
};

} // namespace Sluice
