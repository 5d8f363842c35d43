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

// One walk in progress: each stored slot, in order, compared with the one expected next.
struct WalkState
{
    const GapRequest *request = nullptr;
    qint64 step = 0;
    qint64 expected = 0;
    qint64 previous = std::numeric_limits<qint64>::min();
    Walked walked;
    bool cancelled = false;
    bool unordered = false; // SQLite fed the slots out of order: walk row by row instead

    void start(qint64 from);
    // False when the walk must stop (cancelled, or slots out of order).
    bool see(qint64 slot);
    void finish(qint64 to);
};

// Walks ranges of one series on one connection of this thread: the aggregate registered and
// the statements prepared once, for the many short walks of an update. Keeps references to
// its arguments.
class SeriesWalker
{
public:
    SeriesWalker(sqlite3 *db, const GapRequest &request, const TableShape &shape,
        const SeriesKey &key, qint64 step);

    // The gaps of [from, to) and the rows stored there.
    Result<Walked> walk(qint64 from, qint64 to);
    // Whether a row is stored in [from, to): one seek.
    Result<bool> holds(qint64 from, qint64 to);

private:
    Result<SqliteStatement> prepare(const QString &what, const QString &tail);
    void bindRange(sqlite3_stmt *statement, qint64 from, qint64 to);
    int run(sqlite3_stmt *statement, qint64 from, qint64 to);
    Error failure() const;

    sqlite3 *m_db;
    const GapRequest &m_request;
    const TableShape &m_shape;
    const SeriesKey &m_key;
    WalkState m_state;
    SqliteStatement m_aggregate;
    SqliteStatement m_ordered;
    SqliteStatement m_exists;
};

// The gaps of [from, to) of one series and the rows stored there, in bands read at once on
// connections of their own (request.threads, request.minBandSlots), joined where a gap
// crosses a band's end.
Result<Walked> walk(const GapRequest &request, const TableShape &shape, const SeriesKey &key,
    qint64 step, qint64 from, qint64 to);

} // namespace Sluice::GapReading
