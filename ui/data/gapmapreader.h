#pragma once

// Computes the gap map of one warehouse table (core/storage/gapmap.h) on a pool thread of its
// own, one request at a time: a new request cancels the one before, whose answer is dropped.
// Lives on the GUI thread; answers arrive there, queued.

#include <atomic>
#include <memory>

#include <QList>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include "storage/gapmap.h"

namespace Sluice {

class GapMapReader : public QObject
{
    Q_OBJECT

public:
    explicit GapMapReader(QObject *parent = nullptr);
    // Cancels the request in progress and waits for it (it stops within 64k keys).
    ~GapMapReader() override;

    // Reads the gaps of table in the warehouse at path; answers with gapsRead or readFailed.
    void read(const QString &path, const QString &table);
    bool isReading() const { return m_pending > 0; }

Q_SIGNALS:
    // slotted: whether table has timeframe and start_timestamp columns (series is empty if not).
    void gapsRead(const QString &table, bool slotted, const QList<Sluice::GapSeries> &series);
    void readFailed(const QString &table, const QString &message);

private:
    QThreadPool m_pool;
    std::shared_ptr<std::atomic_bool> m_cancel;
    quint64 m_generation = 0;
    int m_pending = 0;
};

} // namespace Sluice
