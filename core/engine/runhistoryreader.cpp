#include "engine/runhistoryreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Sluice {

namespace {

    RunState stateOf(const QVariant &value)
    {
        RunState state = RunState::Crashed;
        stateFromName(value.toString(), &state);
        return state;
    }

    FlowRunRecord flowRunFrom(const QSqlQuery &query)
    {
        // Columns as in flowRunColumns().
        FlowRunRecord run;
        run.id = query.value(0).toLongLong();
        run.flow = query.value(1).toString();
        run.state = stateOf(query.value(2));
        run.trigger = query.value(3).toString();
        run.parameters =
            QJsonDocument::fromJson(query.value(4).toString().toUtf8()).object().toVariantMap();
        run.createdMs = query.value(5).toLongLong();
        run.startedMs = query.value(6).toLongLong();
        run.finishedMs = query.value(7).toLongLong();
        run.failedTask = query.value(8).toString();
        run.message = query.value(9).toString();
        run.timeMs = query.value(10).isNull() ? run.createdMs : query.value(10).toLongLong();
        run.definition = query.value(11).toByteArray();
        run.definitionSha256 = query.value(12).toString();
        run.sourcePath = query.value(13).toString();
        run.reusedFrom = query.value(14).toLongLong();
        run.messageKey = query.value(15).toString();
        return run;
    }

} // namespace

QString RunHistoryReader::flowRunColumns() const
{
    return QStringLiteral("id, flow, state, trigger, parameters, created_ms, started_ms, "
                          "finished_ms, failed_task, message, %1, definition, definition_sha256, "
                          "source_path, reused_from, message_key")
        .arg(m_dialect == Dialect::Sqlite ? QLatin1String("time") : QLatin1String("time_ms"));
}

QLatin1String RunHistoryReader::order() const
{
    return m_dialect == Dialect::Sqlite ? QLatin1String("rowid") : QLatin1String("id");
}

Error RunHistoryReader::queryError(const QSqlQuery &query) const
{
    return Error{ m_dialect == Dialect::Sqlite
            ? QCoreApplication::translate("Sluice::RunStore", "SQLite error in \"%1\": %2")
                  .arg(query.lastQuery().simplified().left(80), query.lastError().text())
            : tr("PostgreSQL error in \"%1\": %2")
                  .arg(query.lastQuery().simplified().left(80), query.lastError().text()),
        m_where };
}

Result<QList<FlowRunRecord>> RunHistoryReader::runs(const RunQuery &filter) const
{
    QString sql = QStringLiteral("SELECT %1 FROM flow_runs WHERE true").arg(flowRunColumns());
    QVariantList values;
    if (!filter.flow.isEmpty()) {
        sql += QStringLiteral(" AND flow = ?");
        values << filter.flow;
    }
    if (!filter.states.isEmpty()) {
        QStringList marks;
        for (RunState state : filter.states) {
            marks << QStringLiteral("?");
            values << stateName(state);
        }
        sql += QStringLiteral(" AND state IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    sql += QStringLiteral(" ORDER BY id DESC");
    if (filter.limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(filter.limit);
    QSqlQuery query(m_database);
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        return queryError(query);
    QList<FlowRunRecord> result;
    while (query.next())
        result << flowRunFrom(query);
    return result;
}

Result<std::optional<FlowRunRecord>> RunHistoryReader::run(qint64 id) const
{
    QSqlQuery query(m_database);
    query.prepare(QStringLiteral("SELECT %1 FROM flow_runs WHERE id = ?").arg(flowRunColumns()));
    query.addBindValue(id);
    if (!query.exec())
        return queryError(query);
    if (!query.next())
        return std::optional<FlowRunRecord>();
    return std::optional<FlowRunRecord>(flowRunFrom(query));
}

Result<QList<TaskRunRecord>> RunHistoryReader::tasks(qint64 runId) const
{
    QSqlQuery query(m_database);
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT position, task, upstream, state, attempts, started_ms, finished_ms,"
                       " progress_done, progress_total, message, output, message_key FROM task_runs"
                       " WHERE run_id = ? ORDER BY position"));
    query.addBindValue(runId);
    if (!query.exec())
        return queryError(query);
    QList<TaskRunRecord> result;
    while (query.next()) {
        TaskRunRecord task;
        task.runId = runId;
        task.position = query.value(0).toInt();
        task.task = query.value(1).toString();
        for (const QJsonValue &name :
            QJsonDocument::fromJson(query.value(2).toString().toUtf8()).array())
            task.upstream << name.toString();
        task.state = stateOf(query.value(3));
        task.attempts = query.value(4).toInt();
        task.startedMs = query.value(5).toLongLong();
        task.finishedMs = query.value(6).toLongLong();
        task.progressDone = query.value(7).isNull() ? -1 : query.value(7).toLongLong();
        task.progressTotal = query.value(8).isNull() ? -1 : query.value(8).toLongLong();
        task.message = query.value(9).toString();
        if (!query.value(10).isNull())
            task.output = query.value(10).toString();
        task.messageKey = query.value(11).toString();
        result << task;
    }
    return result;
}

Result<QList<TransitionRecord>> RunHistoryReader::transitions(qint64 runId) const
{
    QSqlQuery query(m_database);
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT task, state, attempt, at_ms, message, message_key FROM transitions"
                       " WHERE run_id = ? ORDER BY %1")
            .arg(order()));
    query.addBindValue(runId);
    if (!query.exec())
        return queryError(query);
    QList<TransitionRecord> result;
    while (query.next()) {
        result << TransitionRecord{ runId, query.value(0).toString(), stateOf(query.value(1)),
            query.value(2).toInt(), query.value(3).toLongLong(), query.value(4).toString(),
            query.value(5).toString() };
    }
    return result;
}

Result<QList<LogRecord>> RunHistoryReader::logLines(qint64 runId, int limit) const
{
    QSqlQuery query(m_database);
    query.setForwardOnly(true);
    // The newest lines when limited, returned oldest first.
    QString sql = QStringLiteral("SELECT task, attempt, level, at_ms, text, %1 AS position,"
                                 " text_key FROM log_lines WHERE run_id = ? ORDER BY %1 DESC")
                      .arg(order());
    if (limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    query.prepare(QStringLiteral("SELECT * FROM (%1) AS newest ORDER BY position").arg(sql));
    query.addBindValue(runId);
    if (!query.exec())
        return queryError(query);
    QList<LogRecord> result;
    while (query.next()) {
        LogLevel level = LogLevel::Info;
        levelFromName(query.value(2).toString(), &level);
        result << LogRecord{ runId, query.value(0).toString(), query.value(1).toInt(), level,
            query.value(3).toLongLong(), query.value(4).toString(), query.value(6).toString() };
    }
    return result;
}

Result<QHash<QString, FlowRunRecord>> RunHistoryReader::lastRuns() const
{
    QSqlQuery query(m_database);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT %1 FROM flow_runs WHERE id IN"
                                   " (SELECT MAX(id) FROM flow_runs GROUP BY flow)")
                        .arg(flowRunColumns())))
        return queryError(query);
    QHash<QString, FlowRunRecord> result;
    while (query.next()) {
        FlowRunRecord run = flowRunFrom(query);
        result.insert(run.flow, run);
    }
    return result;
}

} // namespace Sluice
