#include "storage/gapmap.h"

#include <algorithm>

#include <QFileInfo>

#include <sqlite3.h>

#include "storage/gapcache.h"
#include "storage/gapreading.h"
#include "storage/sqliteconnection.h"
#include "storage/sqlitestatement.h"
#include "transform/timegrid.h"

namespace Sluice {

using namespace GapReading;

namespace {

    // A map and the rows it was made from: every row of the table for an unwindowed compute.
    struct Computed
    {
        QList<GapSeries> series;
        qint64 rows = 0;
    };

    // The map read from the table itself, each long series in bands read at once.
    Result<Computed> computeAll(sqlite3 *db, const GapRequest &request, const TableShape &shape)
    {
        Result<QList<SeriesKey>> keys = seriesKeys(db, request.table, shape, request);
        if (!keys)
            return keys.error();
        const bool whole = !request.from && !request.to;

        Computed computed;
        for (const SeriesKey &key : *keys) {
            Result<qint64> step = TimeGrid::timeframeSeconds(key.timeframe);
            if (!step) {
                if (whole) {
                    Result<qint64> rows = seriesRows(db, request, shape, key);
                    if (!rows)
                        return rows.error();
                    computed.rows += *rows;
                }
                continue;
            }
            Result<std::optional<qint64>> first =
                endSlot(db, request.table, shape, key, false, request.warehousePath);
            if (!first)
                return first.error();
            Result<std::optional<qint64>> last =
                endSlot(db, request.table, shape, key, true, request.warehousePath);
            if (!last)
                return last.error();
            if (!*first || !*last)
                continue;
            GapSeries series;
            series.keyColumns = shape.seriesColumns;
            series.keyValues = key.values;
            series.timeframe = key.timeframe;
            series.step = *step;
            const qint64 phase = **first;
            series.from = request.from ? gridCeil(*request.from, phase, *step) : **first;
            series.to = request.to ? gridCeil(*request.to, phase, *step) : **last + *step;
            if (series.to > series.from) {
                if (isCancelled(request))
                    return cancelledError(request);
                // The table's first series, from its first slot on, may be read from the
                // table's start (GapReading::walk()).
                const bool tableHead = &key == &keys->first() && series.from <= **first;
                Result<Walked> walked =
                    walk(request, shape, key, *step, series.from, series.to, tableHead);
                if (!walked)
                    return walked.error();
                series.gaps = walked->gaps;
                computed.rows += walked->rows;
            } else {
                series.to = series.from;
            }
            computed.series << series;
        }
        return computed;
    }

} // namespace

QString GapSeries::label() const
{
    QStringList parts;
    for (const QVariant &value : keyValues)
        parts << value.toString();
    const QString series = parts.join(QLatin1Char('/'));
    return series.isEmpty() ? timeframe : series + QLatin1Char(' ') + timeframe;
}

qint64 GapSeries::missingSlots() const
{
    qint64 missing = 0;
    for (const SlotGap &gap : gaps)
        missing += (gap.end - gap.start) / step;
    return missing;
}

QList<double> GapSeries::presentFractions(qint64 begin, qint64 end, int buckets) const
{
    QList<double> fractions(buckets, -1.0);
    if (buckets < 1 || end <= begin || to <= from)
        return fractions;
    // Seconds in each bucket covered by [from, to) and by gaps; the fraction of slots present
    // is the fraction of covered time not in a gap.
    QList<double> covered(buckets, 0.0);
    QList<double> missing(buckets, 0.0);
    const double width = double(end - begin) / buckets;
    auto spread = [&](qint64 a, qint64 b, QList<double> &into) {
        const double low = std::max<double>(double(a), double(begin));
        const double high = std::min<double>(double(b), double(end));
        if (low >= high)
            return;
        const int first = std::clamp(int((low - begin) / width), 0, buckets - 1);
        const int last = std::clamp(int((high - begin) / width), 0, buckets - 1);
        for (int i = first; i <= last; ++i) {
            const double bucketStart = begin + i * width;
            const double part = std::min(high, bucketStart + width) - std::max(low, bucketStart);
            if (part > 0)
                into[i] += part;
        }
    };
    spread(from, to, covered);
    for (const SlotGap &gap : gaps)
        spread(gap.start, gap.end, missing);
    for (int i = 0; i < buckets; ++i) {
        if (covered[i] > 0)
            fractions[i] = std::clamp(1.0 - missing[i] / covered[i], 0.0, 1.0);
    }
    return fractions;
}

std::optional<SlotGap> GapSeries::gapAt(qint64 t) const
{
    auto it = std::upper_bound(gaps.cbegin(), gaps.cend(), t,
        [](qint64 time, const SlotGap &gap) { return time < gap.end; });
    if (it != gaps.cend() && it->start <= t)
        return *it;
    return std::nullopt;
}

Result<QStringList> GapMap::slottedTables(const QString &warehousePath)
{
    if (!QFileInfo::exists(warehousePath))
        return QStringList();
    Result<SqliteConnection> connection = SqliteConnection::open(
        warehousePath, QStringLiteral("gaps"), SqliteConnection::Mode::ReadOnly);
    if (!connection)
        return connection.error();
    Result<sqlite3 *> db = connection->handle();
    if (!db)
        return db.error();
    Result<SqliteStatement> statement = prepareStatement(*db,
        QStringLiteral("SELECT m.name FROM sqlite_master AS m WHERE m.type = 'table'"
                       " AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = "
                       "'timeframe') AND EXISTS (SELECT 1 FROM pragma_table_info(m.name)"
                       " WHERE name = 'start_timestamp') ORDER BY m.name"),
        warehousePath);
    if (!statement)
        return statement.error();
    QStringList tables;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(statement->get())) == SQLITE_ROW)
        tables << columnValue(statement->get(), 0).toString();
    if (rc != SQLITE_DONE)
        return SqliteConnection::sqliteError(*db, tr("cannot list the tables"), warehousePath);
    return tables;
}

Result<QList<GapSeries>> GapMap::compute(const GapRequest &request)
{
    Result<ReaderConnection> connection = ReaderConnection::open(request.warehousePath);
    if (!connection)
        return connection.error();
    sqlite3 *const db = connection->handle();
    Result<TableShape> shape = tableShape(db, request.table, request.warehousePath);
    if (!shape)
        return shape.error();
    if (!shape->columns.contains(TimeframeColumn) || !shape->columns.contains(TimestampColumn)) {
        return Error{
            tr("the table %1 has no timeframe and start_timestamp columns").arg(request.table),
            request.warehousePath, ErrorCode::Permanent
        };
    }

    // The cache holds whole maps; a window is read from the table (it is short, or a user's
    // one-off question), and never stored.
    const bool cacheable = request.useCache && !request.from && !request.to;
    if (cacheable) {
        if (std::optional<GapCacheEntry> cached =
                GapCache::load(request.warehousePath, request.table)) {
            Result<std::optional<GapCacheEntry>> updated =
                GapCache::update(db, request, *shape, *cached);
            if (!updated)
                return updated.error();
            if (*updated) {
                if (!GapCache::sameMap(
                        **updated, *cached)) // a cache is a help: a failure costs time only
                    (void)GapCache::store(request.warehousePath, **updated);
                return (*updated)->series;
            }
        }
    }

    // The bands read on connections of their own, each its own snapshot: the map is stored
    // only when no other connection committed anything from before the first read to after
    // the last, so that the map and the count it is checked by later are of one state.
    const QString what = tr("cannot read the slots of %1").arg(request.table);
    Result<qint64> versionBefore =
        integerOf(db, QStringLiteral("PRAGMA data_version"), {}, what, request.warehousePath);
    if (!versionBefore)
        return versionBefore.error();
    Result<GapCacheEntry> facts = GapCache::facts(db, request);
    if (!facts)
        return facts.error();
    Result<Computed> computed = computeAll(db, request, *shape);
    if (!computed)
        return computed.error();
    if (cacheable) {
        Result<qint64> versionAfter =
            integerOf(db, QStringLiteral("PRAGMA data_version"), {}, what, request.warehousePath);
        if (!versionAfter)
            return versionAfter.error();
        if (*versionAfter == *versionBefore) {
            facts->rowCount = computed->rows;
            facts->series = computed->series;
            (void)GapCache::store(request.warehousePath, *facts);
        }
    }
    return computed->series;
}

QString GapMap::durationText(qint64 seconds)
{
    struct Unit
    {
        qint64 seconds;
        const char *format;
    };
    static const Unit units[] = {
        { 86400, QT_TRANSLATE_NOOP("Sluice::GapMap", "%1 d") },
        { 3600, QT_TRANSLATE_NOOP("Sluice::GapMap", "%1 h") },
        { 60, QT_TRANSLATE_NOOP("Sluice::GapMap", "%1 min") },
        { 1, QT_TRANSLATE_NOOP("Sluice::GapMap", "%1 s") },
    };
    // The largest unit that fits, and the next one when it is not zero.
    for (int i = 0; i < int(std::size(units)); ++i) {
        const qint64 count = seconds / units[i].seconds;
        if (count == 0 && units[i].seconds > 1)
            continue;
        QString text = tr(units[i].format).arg(count);
        if (i + 1 < int(std::size(units))) {
            const qint64 next = (seconds % units[i].seconds) / units[i + 1].seconds;
            if (next > 0)
                text += QLatin1Char(' ') + tr(units[i + 1].format).arg(next);
        }
        return text;
    }
    return QString();
}

QString GapMap::lengthText(qint64 slots, qint64 seconds)
{
    return tr("%n slot(s), %1", nullptr, int(std::min<qint64>(slots, INT_MAX)))
        .arg(durationText(seconds));
}

} // namespace Sluice
