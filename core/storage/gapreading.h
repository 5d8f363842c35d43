#pragma once

// The reading under GapMap and GapCache: a slotted table's shape and series, and walks over a
// series' stored slots, on SQLite connections of the calling thread (a long walk in bands on
// threads of its own). For core/storage only; never on the GUI thread.

#include <limits>
#include <optional>

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "engine/result.h"
#include "storage/gapmap.h"
#include "storage/sqliteconnection.h"
#include "storage/sqlitestatement.h"

struct sqlite3;
struct sqlite3_stmt;

namespace Sluice::GapReading {

inline const QString TimeframeColumn = QStringLiteral("timeframe");
inline const QString TimestampColumn = QStringLiteral("start_timestamp");
constexpr int CancelCheckRows = 1 << 16; // keys read between two looks at the cancel flag

QString quoted(const QString &name);
bool isCancelled(const GapRequest &request);
Error cancelledError(const GapRequest &request);

// The table's columns and key: the series columns are the primary key's columns other
// than timeframe and start_timestamp, in key order.
struct TableShape
{
    QStringList columns;
    QStringList seriesColumns;
    // Whether every read of the table gives a series' rows in key order, each series' after
    // the one before: a WITHOUT ROWID table whose key is (series columns..., timeframe,
    // start_timestamp), all ascending, with no other index for the planner to choose. Its
    // walks need no upper bound (the walk stops at the first slot past its end) and the first
    // series can be read from the table's start, with no bound at all.
    bool ordered = false;
};

Result<TableShape> tableShape(sqlite3 *db, const QString &table, const QString &path);

// The key of one series: its series column values and timeframe.
struct SeriesKey
{
    QVariantList values;
    QString timeframe;
};

// Every (series columns..., timeframe) of the table, by skipping along the key index from
// one to the next rather than reading every row.
Result<QList<SeriesKey>> seriesKeys(
    sqlite3 *db, const QString &table, const TableShape &shape, const GapRequest &request);

// The first (or last) stored start_timestamp of a series.
Result<std::optional<qint64>> endSlot(sqlite3 *db, const QString &table, const TableShape &shape,
    const SeriesKey &key, bool last, const QString &path);

// All the rows of table, by SQLite's count of its pages' cells.
Result<qint64> rowCount(sqlite3 *db, const QString &table, const QString &path);

// The rows of one series, counted one by one: for the timeframes that are no label, which no
// walk counts.
Result<qint64> seriesRows(
    sqlite3 *db, const GapRequest &request, const TableShape &shape, const SeriesKey &key);

// The one integer a statement answers ("PRAGMA data_version", a count), with text bound to
// ?1 unless it is null; 0 when it answers no row. what names the reading in an error.
Result<qint64> integerOf(
    sqlite3 *db, const QString &sql, const QString &text, const QString &what, const QString &path);

// The first slot of the grid through `phase` at or after t.
qint64 gridCeil(qint64 t, qint64 phase, qint64 step);

// A read-only connection of this thread (query_only) through the "sluice-readahead" VFS
// (core/storage/readaheadvfs.h): pages read in runs rather than one system call each, and
// never mapped (a mapping of the whole file counted every page it touched in the process's
// resident memory, hundreds of MB beside the Data view). Closed when it dies.
class ReaderConnection
{
public:
    static Result<ReaderConnection> open(const QString &path);
    ReaderConnection(ReaderConnection &&other) noexcept;
    ReaderConnection(const ReaderConnection &) = delete;
    ReaderConnection &operator=(const ReaderConnection &) = delete;
    ReaderConnection &operator=(ReaderConnection &&) = delete;
    ~ReaderConnection();

    sqlite3 *handle() const { return m_db; }

private:
    explicit ReaderConnection(sqlite3 *db)
        : m_db(db)
    { }

    sqlite3 *m_db = nullptr;
};

// The rows and gaps a walk over [from, to) of one series found.
struct Walked
{
    QList<SlotGap> gaps;
    qint64 rows = 0;
};

// Appends gaps, joining one that starts where the last ends.
void appendGaps(QList<SlotGap> &into, const QList<SlotGap> &gaps);

// One walk over [from, to) in progress: each stored slot, in order, compared with the one
// expected next. Slots before from are passed over, the first at or after to ends the walk;
// neither is counted.
struct WalkState
{
    const GapRequest *request = nullptr;
    qint64 step = 0;
    qint64 from = 0;
    qint64 to = 0;
    qint64 expected = 0;
    qint64 previous = std::numeric_limits<qint64>::min();
    Walked walked;
    bool cancelled = false;
    bool unordered = false; // SQLite fed the slots out of order: walk row by row instead
    bool ended = false; // a slot at or after to was seen: the rest is not the walk's

    void start(qint64 from, qint64 to);
    // False when the walk must stop (cancelled, slots out of order, or past its end).
    bool see(qint64 slot)
    {
        // The usual case here, without a division: the slot right after the last, in the walk.
        if (slot != expected || slot >= to)
            return seeOther(slot);
        previous = slot;
        expected += step;
        return (++walked.rows & (CancelCheckRows - 1)) != 0 || checkCancel();
    }
    void finish();

private:
    bool seeOther(qint64 slot);
    bool checkCancel();
};

// Walks ranges of one series on one connection of this thread: the aggregate registered and
// the statements prepared once, for the many short walks of an update. Keeps references to
// its arguments.
class SeriesWalker
{
public:
    SeriesWalker(sqlite3 *db, const GapRequest &request, const TableShape &shape,
        const SeriesKey &key, qint64 step);

    // The gaps of [from, to) and the rows stored there. tableHead: the series is likely the
    // table's first and no slot of it comes before from; then, in an ordered table
    // (TableShape::ordered), the walk reads from the table's start without any bound when a
    // check in the same read transaction finds that the table's first row is the series' and
    // that a row of the series at or after to (or no other series) stops the walk.
    Result<Walked> walk(qint64 from, qint64 to, bool tableHead = false);
    // Whether a row is stored in [from, to): one seek.
    Result<bool> holds(qint64 from, qint64 to);

private:
    Result<SqliteStatement> prepare(const QString &what, const QString &tail, bool bounded = true);
    void bindRange(sqlite3_stmt *statement, qint64 from, qint64 to);
    int run(sqlite3_stmt *statement, qint64 from, qint64 to);
    Result<bool> readsFromTableStart(qint64 to);
    Result<Walked> walkRange(qint64 from, qint64 to, bool fromTableStart);
    Error failure() const;

    sqlite3 *m_db;
    const GapRequest &m_request;
    const TableShape &m_shape;
    const SeriesKey &m_key;
    WalkState m_state;
    SqliteStatement m_aggregate;
    SqliteStatement m_unbounded;
    SqliteStatement m_headCheck;
    SqliteStatement m_ordered;
    SqliteStatement m_exists;
};

// The edges of the bands [from, to) is read in, bands + 1 of them on the grid of from and
// step, the first from and the last to. The first band is longer when fromTableStart (it is
// read without a bound, which costs less a row).
QList<qint64> bandEdges(qint64 from, qint64 to, qint64 step, int bands, bool fromTableStart);

// How many bands a walk of `slots` slots is read in at once: request.threads (0: one a core)
// but none shorter than request.minBandSlots.
int bandCount(const GapRequest &request, qint64 slots);

// The gaps of [from, to) of one series and the rows stored there, in bands read at once on
// connections of their own (bandCount()), joined where a gap crosses a band's end.
// tableHead: as for SeriesWalker::walk(), for the first band.
Result<Walked> walk(const GapRequest &request, const TableShape &shape, const SeriesKey &key,
    qint64 step, qint64 from, qint64 to, bool tableHead = false);

} // namespace Sluice::GapReading
