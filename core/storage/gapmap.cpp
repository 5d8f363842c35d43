#include "storage/gapmap.h"

#include <algorithm>
#include <thread>
#include <vector>

#include <QFileInfo>

#include <sqlite3.h>

#include "storage/sqliteconnection.h"
#include "storage/sqlitestatement.h"
#include "transform/timegrid.h"

namespace Sluice {

namespace {

    const QString TimeframeColumn = QStringLiteral("timeframe");
    const QString TimestampColumn = QStringLiteral("start_timestamp");
    constexpr int CancelCheckRows = 1 << 16;
    constexpr qint64 MapBytes = qint64(1) << 30;

    QString quoted(const QString &name)
    {
        QString text = name;
        text.replace(QLatin1Char('"'), QLatin1String("\"\""));
        return QLatin1Char('"') + text + QLatin1Char('"');
    }

    bool isCancelled(const GapRequest &request)
    {
        return request.cancelled && request.cancelled->load(std::memory_order_relaxed);
    }

    Error cancelledError(const GapRequest &request)
    {
        return Error{ GapMap::tr("cancelled"), request.table, ErrorCode::Cancelled };
    }

    QVariant columnValue(sqlite3_stmt *statement, int column)
    {
        switch (sqlite3_column_type(statement, column)) {
        case SQLITE_INTEGER:
            return QVariant(qint64(sqlite3_column_int64(statement, column)));
        case SQLITE_FLOAT:
            return QVariant(sqlite3_column_double(statement, column));
        case SQLITE_NULL:
            return QVariant();
        default:
            return QVariant(QString::fromUtf8(
                reinterpret_cast<const char *>(sqlite3_column_text(statement, column)),
                sqlite3_column_bytes(statement, column)));
        }
    }

    void bindValue(sqlite3_stmt *statement, int index, const QVariant &value)
    {
        switch (value.typeId()) {
        case QMetaType::LongLong:
            sqlite3_bind_int64(statement, index, value.toLongLong());
            break;
        case QMetaType::Double:
            sqlite3_bind_double(statement, index, value.toDouble());
            break;
        case QMetaType::UnknownType:
            sqlite3_bind_null(statement, index);
            break;
        default: {
            const QByteArray utf8 = value.toString().toUtf8();
            sqlite3_bind_text(
                statement, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
        }
        }
    }

    // The table's columns and key: the series columns are the primary key's columns other
    // than timeframe and start_timestamp, in key order.
    struct TableShape
    {
        QStringList columns;
        QStringList seriesColumns;
    };

    Result<TableShape> tableShape(sqlite3 *db, const QString &table, const QString &path)
    {
        Result<SqliteStatement> statement = prepareStatement(db,
            QStringLiteral("SELECT name, pk FROM pragma_table_info(?1) ORDER BY pk, cid"), path);
        if (!statement)
            return statement.error();
        const QByteArray name = table.toUtf8();
        sqlite3_bind_text(statement->get(), 1, name.constData(), int(name.size()), SQLITE_STATIC);
        TableShape shape;
        int rc = SQLITE_OK;
        while ((rc = sqlite3_step(statement->get())) == SQLITE_ROW) {
            const QString column = columnValue(statement->get(), 0).toString();
            shape.columns << column;
            if (sqlite3_column_int(statement->get(), 1) > 0 && column != TimeframeColumn
                && column != TimestampColumn)
                shape.seriesColumns << column;
        }
        if (rc != SQLITE_DONE)
            return SqliteConnection::sqliteError(db, GapMap::tr("cannot read the columns"), path);
        return shape;
    }

    // The key of one series: its series column values and timeframe.
    struct SeriesKey
    {
        QVariantList values;
        QString timeframe;
    };

    // Every (series columns..., timeframe) of the table, by skipping along the key index from
    // one to the next rather than reading every row.
    Result<QList<SeriesKey>> seriesKeys(
        sqlite3 *db, const QString &table, const TableShape &shape, const GapRequest &request)
    {
        QStringList keyColumns;
        for (const QString &column : shape.seriesColumns)
            keyColumns << quoted(column);
        keyColumns << quoted(TimeframeColumn);
        const QString list = keyColumns.join(QStringLiteral(", "));
        QStringList placeholders;
        for (int i = 1; i <= keyColumns.size(); ++i)
            placeholders << QStringLiteral("?%1").arg(i);
        const QString select = QStringLiteral("SELECT %1 FROM %2").arg(list, quoted(table));
        const QString order = QStringLiteral(" ORDER BY %1 LIMIT 1").arg(list);
        Result<SqliteStatement> first = prepareStatement(db, select + order, request.warehousePath);
        if (!first)
            return first.error();
        Result<SqliteStatement> next = prepareStatement(db,
            select
                + QStringLiteral(" WHERE (%1) > (%2)")
                      .arg(list, placeholders.join(QStringLiteral(", ")))
                + order,
            request.warehousePath);
        if (!next)
            return next.error();

        QList<SeriesKey> keys;
        sqlite3_stmt *statement = first->get();
        for (;;) {
            if (isCancelled(request))
                return cancelledError(request);
            const int rc = sqlite3_step(statement);
            if (rc == SQLITE_DONE)
                break;
            if (rc != SQLITE_ROW)
                return SqliteConnection::sqliteError(db,
                    GapMap::tr("cannot read the series of %1").arg(table), request.warehousePath);
            SeriesKey key;
            const int count = int(keyColumns.size());
            for (int i = 0; i < count - 1; ++i)
                key.values << columnValue(statement, i);
            key.timeframe = columnValue(statement, count - 1).toString();
            sqlite3_reset(next->get());
            for (int i = 0; i < count - 1; ++i)
                bindValue(next->get(), i + 1, key.values.at(i));
            bindValue(next->get(), count, key.timeframe);
            keys << key;
            statement = next->get();
        }
        return keys;
    }

    // "WHERE coin = ?1 AND currency = ?2 AND timeframe = ?3" and its values bound from 1.
    QString seriesCondition(const TableShape &shape)
    {
        QStringList conditions;
        int index = 1;
        for (const QString &column : shape.seriesColumns)
            conditions << QStringLiteral("%1 = ?%2").arg(quoted(column)).arg(index++);
        conditions << QStringLiteral("%1 = ?%2").arg(quoted(TimeframeColumn)).arg(index);
        return conditions.join(QStringLiteral(" AND "));
    }

    int bindSeries(sqlite3_stmt *statement, const SeriesKey &key)
    {
        int index = 1;
        for (const QVariant &value : key.values)
            bindValue(statement, index++, value);
        bindValue(statement, index++, key.timeframe);
        return index;
    }

    // The first (or last) stored start_timestamp of a series.
    Result<std::optional<qint64>> endSlot(sqlite3 *db, const QString &table,
        const TableShape &shape, const SeriesKey &key, bool last, const QString &path)
    {
        Result<SqliteStatement> statement = prepareStatement(db,
            QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY %1 %4 LIMIT 1")
                .arg(quoted(TimestampColumn), quoted(table), seriesCondition(shape),
                    last ? QStringLiteral("DESC") : QStringLiteral("ASC")),
            path);
        if (!statement)
            return statement.error();
        bindSeries(statement->get(), key);
        const int rc = sqlite3_step(statement->get());
        if (rc == SQLITE_DONE)
            return std::optional<qint64>();
        if (rc != SQLITE_ROW)
            return SqliteConnection::sqliteError(
                db, GapMap::tr("cannot read the slots of %1").arg(table), path);
        return std::optional<qint64>(sqlite3_column_int64(statement->get(), 0));
    }

    // All the rows of table, by SQLite's count of its pages' cells.
    Result<qint64> rowCount(sqlite3 *db, const QString &table, const QString &path)
    {
        Result<SqliteStatement> statement = prepareStatement(
            db, QStringLiteral("SELECT count(*) FROM %1").arg(quoted(table)), path);
        if (!statement)
            return statement.error();
        if (sqlite3_step(statement->get()) != SQLITE_ROW)
            return SqliteConnection::sqliteError(
                db, GapMap::tr("cannot count the rows of %1").arg(table), path);
        return qint64(sqlite3_column_int64(statement->get(), 0));
    }

    // The first slot of the grid through `phase` at or after t.
    qint64 gridCeil(qint64 t, qint64 phase, qint64 step)
    {
        return phase + TimeGrid::slotCeil(t - phase, step);
    }

    // A read-only connection of this thread whose pages are mapped rather than copied: a third
    // less time for a long walk.
    Result<SqliteConnection> openMapped(const QString &path)
    {
        Result<SqliteConnection> connection =
            SqliteConnection::open(path, QStringLiteral("gaps"), SqliteConnection::Mode::ReadOnly);
        if (!connection)
            return connection.error();
        if (Result<void> mapped =
                connection->exec(QStringLiteral("PRAGMA mmap_size = %1").arg(MapBytes));
            !mapped)
            return mapped.error();
        return connection;
    }

    // The gaps of [from, to) of one series, read on a connection of this thread: each stored
    // slot is compared with the one expected next.
    Result<QList<SlotGap>> walkBand(const GapRequest &request, const TableShape &shape,
        const SeriesKey &key, qint64 step, qint64 from, qint64 to)
    {
        Result<SqliteConnection> connection = openMapped(request.warehousePath);
        if (!connection)
            return connection.error();
        Result<sqlite3 *> db = connection->handle();
        if (!db)
            return db.error();
        Result<SqliteStatement> statement = prepareStatement(*db,
            QStringLiteral("SELECT %1 FROM %2 WHERE %3 AND %1 >= ?%4 AND %1 < ?%5 ORDER BY %1")
                .arg(quoted(TimestampColumn), quoted(request.table), seriesCondition(shape))
                .arg(shape.seriesColumns.size() + 2)
                .arg(shape.seriesColumns.size() + 3),
            request.warehousePath);
        if (!statement)
            return statement.error();
        sqlite3_stmt *walk = statement->get();
        const int index = bindSeries(walk, key);
        sqlite3_bind_int64(walk, index, from);
        sqlite3_bind_int64(walk, index + 1, to);

        QList<SlotGap> gaps;
        qint64 expected = from;
        int rows = 0;
        int rc = SQLITE_OK;
        while ((rc = sqlite3_step(walk)) == SQLITE_ROW) {
            const qint64 slot = sqlite3_column_int64(walk, 0);
            if (slot >= expected) {
                // A slot off the grid counts for the slot that holds it.
                const qint64 skipped = (slot - expected) / step;
                if (skipped > 0)
                    gaps.append({ expected, expected + skipped * step });
                expected += (skipped + 1) * step;
            }
            if (++rows == CancelCheckRows) {
                rows = 0;
                if (isCancelled(request))
                    return cancelledError(request);
            }
        }
        if (rc != SQLITE_DONE)
            return SqliteConnection::sqliteError(*db,
                GapMap::tr("cannot read the slots of %1").arg(request.table),
                request.warehousePath);
        if (expected < to)
            gaps.append({ expected, to });
        return gaps;
    }

    // The gaps of [from, to) in bands read at once, joined where a gap crosses a band's end.
    Result<QList<SlotGap>> walk(const GapRequest &request, const TableShape &shape,
        const SeriesKey &key, qint64 step, qint64 from, qint64 to)
    {
        const qint64 slots = (to - from) / step;
        const int bands = int(std::clamp<qint64>(
            slots / std::max<qint64>(1, request.minBandSlots), 1, std::max(1, request.threads)));
        if (bands == 1)
            return walkBand(request, shape, key, step, from, to);
        std::vector<std::optional<Result<QList<SlotGap>>>> results(bands);
        std::vector<std::thread> threads;
        const qint64 perBand = (slots + bands - 1) / bands;
        for (int i = 0; i < bands; ++i) {
            const qint64 begin = from + i * perBand * step;
            const qint64 end = std::min(to, begin + perBand * step);
            threads.emplace_back([&, i, begin, end] {
                results[i] = walkBand(request, shape, key, step, begin, end);
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QList<SlotGap> gaps;
        for (auto &result : results) {
            if (!*result)
                return result->error();
            for (const SlotGap &gap : **result) {
                if (!gaps.isEmpty() && gaps.last().end == gap.start)
                    gaps.last().end = gap.end;
                else
                    gaps.append(gap);
            }
        }
        return gaps;
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
    Result<SqliteConnection> connection = openMapped(request.warehousePath);
    if (!connection)
        return connection.error();
    Result<sqlite3 *> db = connection->handle();
    if (!db)
        return db.error();
    Result<TableShape> shape = tableShape(*db, request.table, request.warehousePath);
    if (!shape)
        return shape.error();
    if (!shape->columns.contains(TimeframeColumn) || !shape->columns.contains(TimestampColumn)) {
        return Error{
            tr("the table %1 has no timeframe and start_timestamp columns").arg(request.table),
            request.warehousePath, ErrorCode::Permanent
        };
    }
    Result<QList<SeriesKey>> keys = seriesKeys(*db, request.table, *shape, request);
    if (!keys)
        return keys.error();

    QList<GapSeries> result;
    for (const SeriesKey &key : *keys) {
        Result<qint64> step = TimeGrid::timeframeSeconds(key.timeframe);
        if (!step)
            continue;
        Result<std::optional<qint64>> first =
            endSlot(*db, request.table, *shape, key, false, request.warehousePath);
        if (!first)
            return first.error();
        Result<std::optional<qint64>> last =
            endSlot(*db, request.table, *shape, key, true, request.warehousePath);
        if (!last)
            return last.error();
        if (!*first || !*last)
            continue;
        GapSeries series;
        series.keyColumns = shape->seriesColumns;
        series.keyValues = key.values;
        series.timeframe = key.timeframe;
        series.step = *step;
        const qint64 phase = **first;
        series.from = request.from ? gridCeil(*request.from, phase, *step) : **first;
        series.to = request.to ? gridCeil(*request.to, phase, *step) : **last + *step;
        // A table of one series without a window is whole when it holds a row for every slot
        // from its first to its last: SQLite counts a table's rows from its pages' headers,
        // far faster than any walk, so a table without gaps costs no walk at all.
        if (keys->size() == 1 && !request.from && !request.to) {
            Result<qint64> rows = rowCount(*db, request.table, request.warehousePath);
            if (!rows)
                return rows.error();
            if (*rows == (series.to - series.from) / *step) {
                result << series;
                continue;
            }
        }
        if (series.to > series.from) {
            if (isCancelled(request))
                return cancelledError(request);
            Result<QList<SlotGap>> gaps = walk(request, *shape, key, *step, series.from, series.to);
            if (!gaps)
                return gaps.error();
            series.gaps = *gaps;
        } else {
            series.to = series.from;
        }
        result << series;
    }
    return result;
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
