#pragma once

// Writes the engine's events to runs.sqlite on its own thread ("sluice-runs") with its own
// connection. Events queue in memory and are written in batches, one short transaction a
// batch, so that persistence costs the tasks almost nothing; a killed process loses at most
// the batch in memory and never leaves half of one. append() and flush() may be called from
// any thread.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <QString>

#include "engine/result.h"
#include "engine/runevents.h"

class QThread;

namespace Sluice {

class RunRecorder
{
public:
    // Starts the writer on a file whose schema RunStore::open() created.
    static Result<std::unique_ptr<RunRecorder>> start(const QString &path);
    ~RunRecorder(); // writes what is queued, then stops the thread
    RunRecorder(const RunRecorder &) = delete;
    RunRecorder &operator=(const RunRecorder &) = delete;

    void append(const RunEvent &event);
    // Waits until every event appended before the call is written; returns the error of the
    // last write that failed since the previous flush, if any.
    Result<void> flush();

private:
    class Writer;
    explicit RunRecorder(const QString &path);
    void loop();

    const QString m_path;
    std::mutex m_mutex; // guards everything below
    std::condition_variable m_wake; // the writer waits for events
    std::condition_variable m_written; // flush() waits for the writer
    std::vector<RunEvent> m_queue;
    quint64 m_appendedCount = 0;
    quint64 m_writtenCount = 0;
    bool m_stopping = false;
    std::optional<Error> m_openError;
    bool m_opened = false;
    std::optional<Error> m_writeError;
    std::unique_ptr<QThread> m_thread;
};

} // namespace Sluice
