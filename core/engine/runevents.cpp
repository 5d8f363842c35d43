#include "engine/runevents.h"

namespace Sluice {

void registerRunEventTypes()
{
    qRegisterMetaType<RunState>();
    qRegisterMetaType<LogLevel>();
    qRegisterMetaType<RunQueuedEvent>();
    qRegisterMetaType<RunStartFailedEvent>();
    qRegisterMetaType<RunStartedEvent>();
    qRegisterMetaType<TaskStateEvent>();
    qRegisterMetaType<LogEvent>();
    qRegisterMetaType<ProgressEvent>();
    qRegisterMetaType<RunFinishedEvent>();
}

QString outputText(const QVariant &result)
{
    if (!result.isValid())
        return QLatin1String(""); // a task that gives no result: reused as one all the same
    switch (result.metaType().id()) {
    case QMetaType::QString:
    case QMetaType::QByteArray:
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::QDate:
    case QMetaType::QDateTime:
        break;
    default:
        return {};
    }
    QString text = result.toString();
    if (text.isNull())
        text = QLatin1String(""); // an empty result is an output all the same
    if (text.size() * 3 > OutputLimitBytes && text.toUtf8().size() > OutputLimitBytes)
        return {};
    return text;
}

FlowRunRecord startedRecord(const RunStartedEvent &event)
{
    FlowRunRecord record;
    record.id = event.runId;
    record.flow = event.flow;
    record.state = RunState::Running;
    record.trigger = event.trigger;
    record.parameters = event.parameters;
    record.createdMs = record.startedMs = event.startedMs;
    record.timeMs = event.timeMs;
    record.sourcePath = event.sourcePath;
    record.definitionSha256 = event.definitionSha256;
    record.reusedFrom = event.reusedFrom;
    return record;
}

void applyFinish(FlowRunRecord &record, const RunFinishedEvent &event)
{
    record.id = event.runId;
    record.flow = event.flow;
    record.state = event.state;
    record.startedMs = event.startedMs;
    record.finishedMs = event.finishedMs;
    record.failedTask = event.failedTask;
    record.message = event.message;
    record.messageKey = event.messageKey;
}

LogRecord logRecord(const LogEvent &event)
{
    LogRecord line;
    line.runId = event.runId;
    line.task = event.task;
    line.attempt = event.attempt;
    line.level = event.level;
    line.atMs = event.atMs;
    line.text = event.text;
    line.textKey = event.textKey;
    return line;
}

} // namespace Sluice
