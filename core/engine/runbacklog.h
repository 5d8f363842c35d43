#pragma once

// The events the run recorder has not written yet, in the order they are to be written, in
// bounded memory. Run and task state changes are all kept (a handful a task); progress keeps
// the latest of each task; past logLineLimit log lines, the first and the last half are kept
// and the lines between are counted, each run's task getting one warning line "N log lines
// dropped" in their place. Texts are capped to what runs.sqlite stores. The recorder's thread
// only.

#include <deque>
#include <functional>
#include <vector>

#include <QHash>
#include <QList>
#include <QPair>

#include "engine/result.h"
#include "engine/runevents.h"

namespace Sluice {

class RunBacklog
{
public:
    // The most bytes of UTF-8 a stored message or log line keeps.
    static constexpr qsizetype StoredTextLimit = 4096;
    // text, or its start cut on a character boundary and marked "… (truncated, N bytes)" so
    // that the whole is at most limit bytes of UTF-8.
    static QString capStoredText(const QString &text, qsizetype limit = StoredTextLimit);

    explicit RunBacklog(int logLineLimit);

    void add(RunEvent &&event);
    bool isEmpty() const { return m_events.empty() && m_tail.empty(); }
    void clear();
    // Events held, and the log lines counted as dropped since the last clear().
    qsizetype size() const { return qsizetype(m_events.size() + m_tail.size()); }
    qint64 droppedLogLines() const { return m_droppedTotal; }
    // The runs with events held, in ascending order.
    QList<qint64> runs() const;

    // Calls write for each event in order: state changes and progress in the order they came,
    // with the first log lines; then the dropped-lines warnings; then the last log lines.
    // Stops at the first error and returns it.
    Result<void> forEach(const std::function<Result<void>(const RunEvent &)> &write) const;

private:
    struct Dropped
    {
        QString flow;
        int taskIndex = 0;
        int attempt = 0;
        qint64 firstMs = 0;
        qint64 count = 0;
    };

    const int m_headLimit; // log lines kept in m_events
    const int m_tailLimit; // log lines kept in m_tail
    std::vector<RunEvent> m_events;
    std::deque<LogEvent> m_tail;
    int m_headLines = 0;
    QHash<QPair<qint64, int>, std::size_t> m_progress; // (run, task) -> index in m_events
    QHash<QPair<qint64, QString>, Dropped> m_dropped; // (run, task)
    QList<QPair<qint64, QString>> m_droppedOrder; // keys of m_dropped, first drop first
    qint64 m_droppedTotal = 0;
};

} // namespace Sluice
