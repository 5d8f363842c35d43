#pragma once

// Follows the one run a command starts, from its ticket to its end: the run's id once it has
// its row in runs.sqlite, how it ended, or why it could not start. Connect to the engine's
// other signals before run() and tell this command's run by ticket() or runId(). Main thread.

#include <optional>

#include <QEventLoop>
#include <QObject>
#include <QString>
#include <QVariantMap>

#include "engine/engine.h"

namespace Sluice::Cli {

class RunFollower
{
public:
    explicit RunFollower(Engine &engine);
    RunFollower(const RunFollower &) = delete;
    RunFollower &operator=(const RunFollower &) = delete;

    // Starts the flow and runs an event loop until the run has ended. An Error when it could
    // not start: at once for an unknown flow or a bad parameter, later when its row could not
    // be written.
    Result<RunFinishedEvent> run(const QString &flow, const QVariantMap &parameters,
        const QString &trigger = QStringLiteral("manual"));
    // The same with a logical time, or the tasks a retry reuses.
    Result<RunFinishedEvent> run(const QString &flow, RunOptions options);

    qint64 ticket() const { return m_ticket; }
    qint64 runId() const { return m_runId; } // 0 until the run has its row

private:
    Engine &m_engine;
    QObject m_receiver; // the connections end with this object
    QEventLoop m_loop;
    qint64 m_ticket = 0;
    qint64 m_runId = 0;
    std::optional<RunFinishedEvent> m_finished;
    std::optional<Error> m_failure;
};

} // namespace Sluice::Cli
