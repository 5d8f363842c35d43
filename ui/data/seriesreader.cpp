#include "data/seriesreader.h"

#include <limits>

#include <QSqlError>
#include <QSqlQuery>

namespace Sluice {

SeriesReader::SeriesReader(std::shared_ptr<std::atomic_int> latest, QObject *parent)
    : QObject(parent)
    , m_latest(std::move(latest))
{ }

SeriesReader::~SeriesReader() = default;

void SeriesReader::load(
    int generation, const QString &path, qint64 from, qint64 to, qint64 span, int buckets)
{
    if (generation != m_latest->load())
        return;
    if (!m_connection || m_connection->path() != path) {
        m_connection.reset();
        Result<SqliteConnection> connection = SqliteConnection::open(
            path, QStringLiteral("chart-reader"), SqliteConnection::Mode::ReadOnly);
        if (!connection) {
            Q_EMIT failed(generation, connection.error().message());
            return;
        }
        m_connection.emplace(std::move(*connection));
    }
    QSqlDatabase db = m_connection->database();
    ChartData data;
    QSqlQuery extent(db);
    extent.setForwardOnly(true);
    if (!extent.exec(QStringLiteral("SELECT MIN(start_timestamp), MAX(start_timestamp), COUNT(*)"
                                    " FROM btc_usd_price_with_net_stat"))
        || !extent.next()) {
        Q_EMIT failed(generation,
            tr("cannot read the clean table of %1: %2").arg(path, extent.lastError().text()));
        return;
    }
    if (extent.value(2).toLongLong() == 0) {
        Q_EMIT loaded(generation, data);
        return;
    }
    data.first = extent.value(0).toLongLong();
    data.last = extent.value(1).toLongLong();
    if (from < 0 || to < 0) {
        to = data.last + 1;
        from = span > 0 ? to - span : data.first;
    }
    data.from = from;
    data.to = to;
    buckets = std::max(buckets, 10);

    QSqlQuery count(db);
    count.setForwardOnly(true);
    count.prepare(QStringLiteral("SELECT COUNT(*) FROM btc_usd_price_with_net_stat"
                                 " WHERE start_timestamp >= ? AND start_timestamp < ?"));
    count.addBindValue(from);
    count.addBindValue(to);
    if (!count.exec() || !count.next()) {
        Q_EMIT failed(generation, count.lastError().text());
        return;
    }
    const qint64 rows = count.value(0).toLongLong();
    data.rows = rows;
    data.decimated = rows > 2 * qint64(buckets);
    const qint64 bucket = std::max<qint64>(1, (to - from + buckets - 1) / buckets);
    data.bucket = data.decimated ? bucket : 0;

    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (data.decimated) {
        // Min and max of each bucket (about a pixel), drawn as a vertical stroke at its middle.
        query.prepare(QStringLiteral(
            "SELECT (start_timestamp - ?) / ? AS b, MIN(price), MAX(price), MIN(hash_rate),"
            " MAX(hash_rate), MIN(difficulty), MAX(difficulty)"
            " FROM btc_usd_price_with_net_stat"
            " WHERE start_timestamp >= ? AND start_timestamp < ? GROUP BY b ORDER BY b"));
        query.addBindValue(from);
        query.addBindValue(bucket);
    } else {
        query.prepare(QStringLiteral(
            "SELECT start_timestamp, price, price, hash_rate, hash_rate, difficulty, difficulty"
            " FROM btc_usd_price_with_net_stat"
            " WHERE start_timestamp >= ? AND start_timestamp < ? ORDER BY start_timestamp"));
    }
    query.addBindValue(from);
    query.addBindValue(to);
    if (!query.exec()) {
        Q_EMIT failed(generation,
            tr("cannot read the clean table of %1: %2").arg(path, query.lastError().text()));
        return;
    }
    struct Row
    {
        qint64 x;
        double values[6];
    };
    QList<Row> read;
    qint64 step = std::numeric_limits<qint64>::max();
    while (query.next()) {
        if (generation != m_latest->load())
            return;
        Row row;
        row.x = query.value(0).toLongLong();
        for (int i = 0; i < 6; ++i)
            row.values[i] = query.value(i + 1).toDouble();
        if (!read.isEmpty())
            step = std::min(step, row.x - read.last().x);
        read << row;
    }
    // A gap: a missing bucket, or more than one and a half of the usual step between rows.
    for (int i = 0; i < read.size(); ++i) {
        const Row &row = read[i];
        const bool gap = i == 0
            || (data.decimated ? row.x - read[i - 1].x > 1
                               : 2 * (row.x - read[i - 1].x) > 3 * step);
        const double ms = data.decimated ? double(from + row.x * bucket + bucket / 2) * 1000.0
                                         : double(row.x) * 1000.0;
        for (int metric = 0; metric < ChartData::Metrics; ++metric) {
            QList<QList<QPointF>> &segments = data.segments[metric];
            if (gap)
                segments.append(QList<QPointF>());
            segments.last() << QPointF(ms, row.values[2 * metric]);
            if (data.decimated)
                segments.last() << QPointF(ms, row.values[2 * metric + 1]);
        }
    }
    Q_EMIT loaded(generation, data);
}

} // namespace Sluice
