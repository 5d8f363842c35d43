#pragma once

// The queries of the run history, read back as records: on runs.sqlite (RunStore) or on a
// fleet's PostgreSQL store, whose tables are the same but for two names (the logical time's
// column, and the column that orders transitions and log lines). Uses the connection it is
// given, on that connection's thread.

#include <optional>

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include "engine/result.h"
#include "engine/runrecords.h"

class QSqlQuery;

namespace Sluice {

class RunHistoryReader
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::RunHistoryReader)

public:
    enum class Dialect { Sqlite, Postgres };

    // where names the history in errors (a path, a redacted URL).
    RunHistoryReader(QSqlDatabase database, Dialect dialect, QString where)
        : m_database(std::move(database))
        , m_dialect(dialect)
        , m_where(std::move(where))
    { }

    Result<QList<FlowRunRecord>> runs(const RunQuery &query = {}) const;
    Result<std::optional<FlowRunRecord>> run(qint64 id) const;
    Result<QList<TaskRunRecord>> tasks(qint64 runId) const;
    Result<QList<TransitionRecord>> transitions(qint64 runId) const;
    // The last limit lines (all when <= 0), oldest first.
    Result<QList<LogRecord>> logLines(qint64 runId, int limit = 0) const;
    // The newest run of each flow that has one, by flow name.
    Result<QHash<QString, FlowRunRecord>> lastRuns() const;

private:
    QString flowRunColumns() const;
    // The column that keeps the order rows were added in (transitions, log lines).
    QLatin1String order() const;
    Error queryError(const QSqlQuery &query) const;

    QSqlDatabase m_database;
    Dialect m_dialect;
    QString m_where;
};

} // namespace Sluice
