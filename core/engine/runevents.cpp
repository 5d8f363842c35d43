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

FlowRunRecord startedRecord(const RunStartedEvent &event)
{
    FlowRunRecord record;
    record.id = event.runId;
    record.flow = event.flow;
    record.state = RunState::Running;
    record.trigger = event.trigger;
    record.parameters = event.parameters;
    record.createdMs = record.startedMs = event.startedMs;
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
    return line;
}

} // namespace Sluice
