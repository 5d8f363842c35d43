#pragma once

// Loads price, hash rate and difficulty of the clean table for a time range, decimated to about
// one bucket a pixel (min and max of each bucket), split into segments where data is missing.
// Lives on its own "sluice-chart-reader" thread with a read-only connection of its own.

#include <array>
#include <atomic>
#include <memory>
#include <optional>

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointF>

#include "storage/sqliteconnection.h"

namespace Sluice {

// The points of one load: for each metric (price, hash rate, difficulty) a list of segments,
// x in milliseconds since the epoch. A gap in the data ends a segment.
struct ChartData
{
    static constexpr int Metrics = 3;
    qint64 from = 0; // the range loaded, unix seconds, [from, to)
    qint64 to = 0;
    qint64 first = -1; // the first and last start_timestamp in the table, -1 when empty
    qint64 last = -1;
    qint64 rows = 0; // rows read in the range
    bool decimated = false;
    qint64 bucket = 0; // seconds a bucket when decimated
    std::array<QList<QList<QPointF>>, Metrics> segments;
};

class SeriesReader : public QObject
{
    Q_OBJECT

public:
    explicit SeriesReader(std::shared_ptr<std::atomic_int> latest, QObject *parent = nullptr);
    ~SeriesReader() override;

public Q_SLOTS:
    // from/to < 0: relative ranges are resolved against the last stored row: span seconds back
    // from it (span 0: everything). buckets: the pixels across.
    void load(
        int generation, const QString &path, qint64 from, qint64 to, qint64 span, int buckets);

Q_SIGNALS:
    void loaded(int generation, const Sluice::ChartData &data);
    void failed(int generation, const QString &message);

private:
    std::shared_ptr<std::atomic_int> m_latest;
    std::optional<SqliteConnection> m_connection;
};

} // namespace Sluice

Q_DECLARE_METATYPE(Sluice::ChartData)
