#include "storage/gapcache.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDataStream>
#include <QFile>
#include <QIODevice>
#include <QSaveFile>

#include <sqlite3.h>

#include "storage/regularfile.h"
#include "transform/timegrid.h"

namespace Sluice {

using namespace GapReading;

namespace {

    // "SLGC": what the file starts with, so that a file of something else is never taken for
    // (or replaced as) a cache.
    constexpr quint32 Magic = 0x534c4743;
    constexpr QDataStream::Version StreamVersion = QDataStream::Qt_6_4;
    // Past ManyGaps cached gaps, a table with fewer than RowsPerGap rows a gap is read whole.
    constexpr qint64 ManyGaps = 1000;
    constexpr qint64 RowsPerGap = 200;
    // Far more than any table has; a count past it is a corrupt file, not an allocation.
    constexpr quint32 MaxItems = 1 << 24;

    QString tr(const char *text)
    {
        return QCoreApplication::translate("Sluice::GapCache", text);
    }

    void write(QDataStream &out, const GapCacheEntry &entry)
    {
        out << entry.table << entry.schemaVersion << entry.rootPage << entry.rowCount
            << quint32(entry.series.size());
        for (const GapSeries &series : entry.series) {
            out << series.keyColumns << series.keyValues << series.timeframe << series.step
                << series.from << series.to << quint32(series.gaps.size());
            for (const SlotGap &gap : series.gaps)
                out << gap.start << gap.end;
        }
    }

    // A series as a compute could have made it: gaps in order, on its grid, inside [from, to),
    // none adjoining. Anything else is a damaged file.
    bool plausible(const GapSeries &series)
    {
        if (series.step <= 0 || series.to < series.from
            || series.keyColumns.size() != series.keyValues.size())
            return false;
        qint64 previousEnd = series.from - 1;
        for (const SlotGap &gap : series.gaps) {
            if (gap.start <= previousEnd || gap.end <= gap.start || gap.end > series.to
                || gap.start < series.from || (gap.start - series.from) % series.step != 0
                || (gap.end - gap.start) % series.step != 0)
                return false;
            previousEnd = gap.end;
        }
        return true;
    }

    bool read(QDataStream &in, GapCacheEntry &entry)
    {
        quint32 seriesCount = 0;
        in >> entry.table >> entry.schemaVersion >> entry.rootPage >> entry.rowCount >> seriesCount;
        if (in.status() != QDataStream::Ok || seriesCount > MaxItems)
            return false;
        for (quint32 i = 0; i < seriesCount; ++i) {
            GapSeries series;
            quint32 gapCount = 0;
            in >> series.keyColumns >> series.keyValues >> series.timeframe >> series.step
                >> series.from >> series.to >> gapCount;
            if (in.status() != QDataStream::Ok || gapCount > MaxItems)
                return false;
            series.gaps.reserve(gapCount);
            for (quint32 g = 0; g < gapCount; ++g) {
                SlotGap gap;
                in >> gap.start >> gap.end;
                series.gaps.append(gap);
            }
            if (in.status() != QDataStream::Ok || !plausible(series))
                return false;
            entry.series.append(series);
        }
        return true;
    }

    // Ends the read transaction of a connection when it goes out of scope.
    struct ReadTransaction
    {
        sqlite3 *db;
        ~ReadTransaction() { sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr); }
    };

    enum class FileState { Missing, Ours, Damaged, Foreign };

    // The entries of the cache file at path, and whether the file is one.
    FileState readFile(const QString &path, QList<GapCacheEntry> &entries)
    {
        QFile file(path);
        if (!file.exists())
            return FileState::Missing;
        if (!file.open(QIODevice::ReadOnly))
            return FileState::Foreign; // not ours to replace if we cannot even read it
        QDataStream in(&file);
        in.setVersion(StreamVersion);
        quint32 magic = 0;
        quint32 version = 0;
        in >> magic;
        if (in.status() != QDataStream::Ok || magic != Magic)
            return FileState::Foreign;
        in >> version;
        QByteArray payload;
        QByteArray digest;
        in >> payload >> digest;
        if (in.status() != QDataStream::Ok || version != GapCache::FormatVersion
            || digest != QCryptographicHash::hash(payload, QCryptographicHash::Sha256))
            return FileState::Damaged;
        QDataStream body(payload);
        body.setVersion(StreamVersion);
        quint32 count = 0;
        body >> count;
        if (body.status() != QDataStream::Ok || count > MaxItems)
            return FileState::Damaged;
        for (quint32 i = 0; i < count; ++i) {
            GapCacheEntry entry;
            if (!read(body, entry))
                return FileState::Damaged;
            entries.append(entry);
        }
        if (!body.atEnd()) {
            entries.clear();
            return FileState::Damaged;
        }
        return FileState::Ours;
    }

} // namespace

QString GapCache::pathFor(const QString &warehousePath)
{
    return warehousePath + QStringLiteral(".gapcache");
}

std::optional<GapCacheEntry> GapCache::load(const QString &warehousePath, const QString &table)
{
    QList<GapCacheEntry> entries;
    if (readFile(pathFor(warehousePath), entries) != FileState::Ours)
        return std::nullopt;
    for (const GapCacheEntry &entry : entries) {
        if (entry.table == table)
            return entry;
    }
    return std::nullopt;
}

Result<void> GapCache::store(const QString &warehousePath, const GapCacheEntry &entry)
{
    const QString path = pathFor(warehousePath);
    if (!RegularFile::isRegularOrMissing(path))
        return Error{ tr("not a regular file"), path, ErrorCode::Permanent };
    QList<GapCacheEntry> entries;
    const FileState state = readFile(path, entries);
    if (state == FileState::Foreign)
        return Error{ tr("not a gap cache; left as it is"), path, ErrorCode::Permanent };
    entries.removeIf([&](const GapCacheEntry &old) { return old.table == entry.table; });
    entries.append(entry);

    QByteArray payload;
    {
        QDataStream body(&payload, QIODevice::WriteOnly);
        body.setVersion(StreamVersion);
        body << quint32(entries.size());
        for (const GapCacheEntry &one : entries)
            write(body, one);
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{ tr("cannot write the gap cache: %1").arg(file.errorString()), path };
    QDataStream out(&file);
    out.setVersion(StreamVersion);
    out << Magic << FormatVersion << payload
        << QCryptographicHash::hash(payload, QCryptographicHash::Sha256);
    if (out.status() != QDataStream::Ok || !file.commit())
        return Error{ tr("cannot write the gap cache: %1").arg(file.errorString()), path };
    return {};
}

Result<GapCacheEntry> GapCache::facts(sqlite3 *db, const GapRequest &request)
{
    GapCacheEntry facts;
    facts.table = request.table;
    const QString what = GapMap::tr("cannot read the schema of %1").arg(request.table);
    Result<qint64> schema =
        integerOf(db, QStringLiteral("PRAGMA schema_version"), {}, what, request.warehousePath);
    if (!schema)
        return schema.error();
    facts.schemaVersion = *schema;
    Result<qint64> root = integerOf(db,
        QStringLiteral("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?1"),
        request.table, what, request.warehousePath);
    if (!root)
        return root.error();
    facts.rootPage = *root;
    return facts;
}

Result<std::optional<GapCacheEntry>> GapCache::update(
    sqlite3 *db, const GapRequest &request, const TableShape &shape, const GapCacheEntry &cached)
{
    // Each cached gap costs three seeks (a few microseconds each, the time of walking some
    // dozens of rows): a table of many short runs is read faster whole.
    qint64 cachedGaps = 0;
    for (const GapSeries &series : cached.series)
        cachedGaps += series.gaps.size();
    if (cachedGaps > ManyGaps && cachedGaps * RowsPerGap > cached.rowCount)
        return std::optional<GapCacheEntry>();

    const QString &path = request.warehousePath;
    if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        return SqliteConnection::sqliteError(
            db, GapMap::tr("cannot read the slots of %1").arg(request.table), path);
    ReadTransaction transaction{ db };
    Result<GapCacheEntry> updated = facts(db, request);
    if (!updated)
        return updated.error();
    if (updated->schemaVersion != cached.schemaVersion || updated->rootPage != cached.rootPage)
        return std::optional<GapCacheEntry>();
    Result<qint64> rows = rowCount(db, request.table, path);
    if (!rows)
        return rows.error();
    updated->rowCount = *rows;
    Result<QList<SeriesKey>> keys = seriesKeys(db, request.table, shape, request);
    if (!keys)
        return keys.error();

    qint64 expectedRows = cached.rowCount;
    for (const SeriesKey &key : *keys) {
        Result<qint64> step = TimeGrid::timeframeSeconds(key.timeframe);
        if (!step)
            continue; // its rows are in the count: a change there fails the check below
        Result<std::optional<qint64>> first = endSlot(db, request.table, shape, key, false, path);
        if (!first)
            return first.error();
        Result<std::optional<qint64>> last = endSlot(db, request.table, shape, key, true, path);
        if (!last)
            return last.error();
        if (!*first || !*last)
            continue;
        const qint64 begin = **first;
        const qint64 end = **last + *step;
        SeriesWalker walker(db, request, shape, key, *step);
        auto same = [&](const GapSeries &series) {
            return series.keyValues == key.values && series.timeframe == key.timeframe
                && series.keyColumns == shape.seriesColumns;
        };
        const auto old = std::find_if(cached.series.cbegin(), cached.series.cend(), same);
        GapSeries series;
        series.keyColumns = shape.seriesColumns;
        series.keyValues = key.values;
        series.timeframe = key.timeframe;
        series.step = *step;
        series.from = begin;
        series.to = end;
        if (old == cached.series.cend()) {
            // A series the cache has not seen: all of it is new.
            Result<Walked> walked = walker.walk(begin, end);
            if (!walked)
                return walked.error();
            series.gaps = walked->gaps;
            expectedRows += walked->rows;
            updated->series << series;
            continue;
        }
        // The old first and last slots and the slots beside each gap must still be
        // stored, on the same grid.
        if (old->step != *step || begin > old->from || (old->from - begin) % *step != 0
            || end < old->to || old->to <= old->from)
            return std::optional<GapCacheEntry>();
        QList<qint64> kept = { old->from, old->to - *step };
        for (const SlotGap &gap : old->gaps)
            kept << gap.start - *step << gap.end;
        for (qint64 slot : kept) {
            Result<bool> held = walker.holds(slot, slot + *step);
            if (!held)
                return held.error();
            if (!*held)
                return std::optional<GapCacheEntry>();
        }
        if (isCancelled(request))
            return cancelledError(request);
        // What is new: before the old first slot, inside the old gaps, after the old end.
        QList<SlotGap> spans;
        if (begin < old->from)
            spans << SlotGap{ begin, old->from };
        spans << old->gaps;
        if (end > old->to)
            spans << SlotGap{ old->to, end };
        for (const SlotGap &span : spans) {
            Result<Walked> walked = walker.walk(span.start, span.end);
            if (!walked)
                return walked.error();
            appendGaps(series.gaps, walked->gaps);
            expectedRows += walked->rows;
        }
        updated->series << series;
    }
    if (expectedRows != updated->rowCount)
        return std::optional<GapCacheEntry>();
    return std::optional<GapCacheEntry>(*updated);
}

bool GapCache::sameMap(const GapCacheEntry &a, const GapCacheEntry &b)
{
    if (a.rowCount != b.rowCount || a.series.size() != b.series.size())
        return false;
    for (int i = 0; i < a.series.size(); ++i) {
        const GapSeries &x = a.series.at(i);
        const GapSeries &y = b.series.at(i);
        if (x.keyValues != y.keyValues || x.timeframe != y.timeframe || x.from != y.from
            || x.to != y.to || x.gaps != y.gaps)
            return false;
    }
    return true;
}

} // namespace Sluice
