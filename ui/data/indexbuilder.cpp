#include "data/indexbuilder.h"

#include <QCoreApplication>
#include <QThread>

#include <sqlite3.h>

#include "storage/sqliteconnection.h"
#include "storage/tablefilter.h"

namespace Sluice {

namespace {

    struct DatabaseCloser
    {
        void operator()(sqlite3 *db) const { sqlite3_close_v2(db); }
    };

    int stopWhenCancelled(void *cancelled)
    {
        return static_cast<const std::atomic_bool *>(cancelled)->load() ? 1 : 0;
    }

} // namespace

IndexBuilder::IndexBuilder(QObject *parent)
    : QObject(parent)
    , m_cancelled(std::make_shared<std::atomic_bool>(false))
    , m_busyTimeoutMs(SqliteConnection::BusyTimeoutMs)
{ }

IndexBuilder::~IndexBuilder()
{
    m_cancelled->store(true);
    m_thread.reset(); // the statement stops at the next progress check
}

QString IndexBuilder::indexName(const QString &table, const QString &column)
{
    return QStringLiteral("idx_%1_%2").arg(table, column);
}

bool IndexBuilder::start(const QString &path, const QString &table, const QString &column)
{
    if (m_running)
        return false;
    m_running = true;
    m_thread.reset(); // the last build's thread has ended
    m_cancelled = std::make_shared<std::atomic_bool>(false);
    m_thread = startThread(QStringLiteral("index"),
        [this, path, table, column, timeout = m_busyTimeoutMs, cancelled = m_cancelled] {
            const Result<void> result = build(path, table, column, timeout, cancelled.get());
            QMetaObject::invokeMethod(
                this, [this, result, table, column] { onDone(result, table, column); },
                Qt::QueuedConnection);
        });
    return true;
}

void IndexBuilder::cancel()
{
    m_cancelled->store(true);
}

void IndexBuilder::onDone(const Result<void> &result, const QString &table, const QString &column)
{
    m_running = false;
    if (result)
        Q_EMIT finished(table, column);
    else
        Q_EMIT failed(result.error().message(), result.error().code == ErrorCode::Cancelled);
}

Result<void> IndexBuilder::build(const QString &path, const QString &table, const QString &column,
    int busyTimeoutMs, const std::atomic_bool *cancelled)
{
    sqlite3 *raw = nullptr;
    const int opened =
        sqlite3_open_v2(path.toUtf8().constData(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    std::unique_ptr<sqlite3, DatabaseCloser> db(raw);
    if (opened != SQLITE_OK) {
        return Error{ tr("cannot open the warehouse to create an index: %1")
                          .arg(QString::fromUtf8(sqlite3_errmsg(raw))),
            path, ErrorCode::Permanent };
    }
    // A file SQLite could only open for reading (permissions, a read-only medium).
    const auto readOnly = [&] {
        return Error{ tr("cannot create an index on %1.%2: the warehouse is read-only; an index "
                         "needs a warehouse Sluice may write")
                          .arg(table, column),
            path, ErrorCode::Permanent };
    };
    if (sqlite3_db_readonly(db.get(), "main") == 1)
        return readOnly();
    sqlite3_busy_timeout(db.get(), busyTimeoutMs);
    if (cancelled) {
        sqlite3_progress_handler(db.get(), 10'000, stopWhenCancelled,
            const_cast<void *>(static_cast<const void *>(cancelled)));
    }
    const QString sql = QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON %2 (%3)")
                            .arg(TableFilter::quoted(indexName(table, column)),
                                TableFilter::quoted(table), TableFilter::quoted(column));
    char *message = nullptr;
    const int rc = sqlite3_exec(db.get(), sql.toUtf8().constData(), nullptr, nullptr, &message);
    const QString cause = QString::fromUtf8(message ? message : sqlite3_errmsg(db.get()));
    sqlite3_free(message);
    if (rc == SQLITE_OK)
        return {};
    switch (rc & 0xff) {
    case SQLITE_INTERRUPT:
        return Error{ tr("the index on %1.%2 was not created: cancelled").arg(table, column), path,
            ErrorCode::Cancelled };
    case SQLITE_READONLY:
        return readOnly();
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return Error{ tr("cannot create an index on %1.%2: another program is writing to the "
                         "warehouse (it is locked); try again when it has finished")
                          .arg(table, column),
            path, ErrorCode::Transient };
    default:
        return Error{ tr("cannot create an index on %1.%2: %3").arg(table, column, cause), path,
            ErrorCode::Permanent };
    }
}

} // namespace Sluice
