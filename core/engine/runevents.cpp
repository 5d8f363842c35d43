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

} // namespace Sluice
