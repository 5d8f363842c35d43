#include "engine/runstate.h"

#include <iterator>

#include <QCoreApplication>

namespace Sluice {

namespace {

    struct StateEntry
    {
        RunState state;
        const char *name;
        const char *text;
    };

    const StateEntry stateEntries[] = {
        { RunState::Scheduled, "Scheduled", QT_TRANSLATE_NOOP("Sluice::RunState", "Scheduled") },
        { RunState::Pending, "Pending", QT_TRANSLATE_NOOP("Sluice::RunState", "Pending") },
        { RunState::Running, "Running", QT_TRANSLATE_NOOP("Sluice::RunState", "Running") },
        { RunState::Retrying, "Retrying", QT_TRANSLATE_NOOP("Sluice::RunState", "Retrying") },
        { RunState::Completed, "Completed", QT_TRANSLATE_NOOP("Sluice::RunState", "Completed") },
        { RunState::Failed, "Failed", QT_TRANSLATE_NOOP("Sluice::RunState", "Failed") },
        { RunState::Cancelled, "Cancelled", QT_TRANSLATE_NOOP("Sluice::RunState", "Cancelled") },
        { RunState::TimedOut, "TimedOut", QT_TRANSLATE_NOOP("Sluice::RunState", "Timed out") },
        { RunState::Skipped, "Skipped", QT_TRANSLATE_NOOP("Sluice::RunState", "Skipped") },
        { RunState::Crashed, "Crashed", QT_TRANSLATE_NOOP("Sluice::RunState", "Crashed") },
    };

    const char *const levelNames[] = { "info", "warning", "error" };

} // namespace

QString stateName(RunState state)
{
    return QLatin1String(stateNameUtf8(state));
}

const char *stateNameUtf8(RunState state)
{
    return stateEntries[static_cast<int>(state)].name;
}

bool stateFromName(const QString &name, RunState *state)
{
    for (const StateEntry &entry : stateEntries) {
        if (name == QLatin1String(entry.name)) {
            *state = entry.state;
            return true;
        }
    }
    return false;
}

QString stateText(RunState state)
{
    return QCoreApplication::translate(
        "Sluice::RunState", stateEntries[static_cast<int>(state)].text);
}

bool isFinal(RunState state)
{
    switch (state) {
    case RunState::Completed:
    case RunState::Failed:
    case RunState::Cancelled:
    case RunState::TimedOut:
    case RunState::Skipped:
    case RunState::Crashed:
        return true;
    case RunState::Scheduled:
    case RunState::Pending:
    case RunState::Running:
    case RunState::Retrying:
        break;
    }
    return false;
}

QString levelName(LogLevel level)
{
    return QLatin1String(levelNameUtf8(level));
}

const char *levelNameUtf8(LogLevel level)
{
    return levelNames[static_cast<int>(level)];
}

QString levelText(LogLevel level)
{
    switch (level) {
    case LogLevel::Info:
        return QCoreApplication::translate("Sluice::RunState", "info");
    case LogLevel::Warning:
        return QCoreApplication::translate("Sluice::RunState", "warning");
    case LogLevel::Error:
        return QCoreApplication::translate("Sluice::RunState", "error");
    }
    return levelName(level);
}

QString triggerText(const QString &trigger)
{
    static const char *const known[][2] = {
        { "manual", QT_TRANSLATE_NOOP("Sluice::RunState", "manual") },
        { "schedule", QT_TRANSLATE_NOOP("Sluice::RunState", "schedule") },
        { "backfill", QT_TRANSLATE_NOOP("Sluice::RunState", "backfill") },
        { "retry", QT_TRANSLATE_NOOP("Sluice::RunState", "retry") },
    };
    for (const auto &entry : known) {
        if (trigger == QLatin1String(entry[0]))
            return QCoreApplication::translate("Sluice::RunState", entry[1]);
    }
    return trigger;
}

bool levelFromName(const QString &name, LogLevel *level)
{
    for (int i = 0; i < int(std::size(levelNames)); ++i) {
        if (name == QLatin1String(levelNames[i])) {
            *level = static_cast<LogLevel>(i);
            return true;
        }
    }
    return false;
}

} // namespace Sluice
