#include "engine/runbacklog.h"

#include <algorithm>

#include <QCoreApplication>

namespace Sluice {

namespace {

    // A text cut to the stored limit no longer says what its key says: the key goes.
    void capWithKey(QString &text, QString &key)
    {
        QString capped = RunBacklog::capStoredText(text);
        if (capped.size() != text.size() || key.toUtf8().size() > 2 * RunBacklog::StoredTextLimit)
            key.clear();
        text = std::move(capped);
    }

} // namespace

QString RunBacklog::capStoredText(const QString &text, qsizetype limit)
{
    // Most texts are short: no conversion unless even the worst case could pass the limit.
    if (text.size() * 3 <= limit)
        return text;
    const QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= limit)
        return text;
    const QString marker =
        QCoreApplication::translate("Sluice::RunRecorder", "… (truncated, %1 bytes)")
            .arg(utf8.size());
    qsizetype keep = std::max<qsizetype>(0, limit - marker.toUtf8().size());
    // Back to the first byte of a character: continuation bytes are 10xxxxxx.
    while (keep > 0 && (uchar(utf8.at(keep)) & 0xc0) == 0x80)
        --keep;
    return QString::fromUtf8(utf8.constData(), keep) + marker;
}

RunBacklog::RunBacklog(int logLineLimit)
    : m_headLimit(std::max(1, logLineLimit / 2))
    , m_tailLimit(std::max(1, logLineLimit - logLineLimit / 2))
{ }

void RunBacklog::clear()
{
    m_events.clear();
    m_tail.clear();
    m_headLines = 0;
    m_progress.clear();
    m_dropped.clear();
    m_droppedOrder.clear();
    m_droppedTotal = 0;
}

void RunBacklog::add(RunEvent &&event)
{
    if (auto *line = std::get_if<LogEvent>(&event)) {
        capWithKey(line->text, line->textKey);
        if (m_headLines < m_headLimit && m_tail.empty()) {
            ++m_headLines;
            m_events.push_back(std::move(event));
            return;
        }
        if (int(m_tail.size()) >= m_tailLimit) {
            const LogEvent &oldest = m_tail.front();
            const QPair<qint64, QString> key{ oldest.runId, oldest.task };
            auto it = m_dropped.find(key);
            if (it == m_dropped.end()) {
                it = m_dropped.insert(
                    key, Dropped{ oldest.flow, oldest.taskIndex, oldest.attempt, oldest.atMs, 0 });
                m_droppedOrder.append(key);
            }
            ++it->count;
            ++m_droppedTotal;
            m_tail.pop_front();
        }
        m_tail.push_back(std::move(*line));
        return;
    }
    if (auto *progress = std::get_if<ProgressEvent>(&event)) {
        // Only the latest counts: the stored columns hold one value a task.
        const QPair<qint64, int> key{ progress->runId, progress->taskIndex };
        if (const auto it = m_progress.constFind(key); it != m_progress.cend()) {
            m_events[*it] = std::move(event);
            return;
        }
        m_progress.insert(key, m_events.size());
    } else if (auto *task = std::get_if<TaskStateEvent>(&event)) {
        capWithKey(task->message, task->messageKey);
    } else if (auto *finished = std::get_if<RunFinishedEvent>(&event)) {
        capWithKey(finished->message, finished->messageKey);
    }
    m_events.push_back(std::move(event));
}

QList<qint64> RunBacklog::runs() const
{
    QList<qint64> ids;
    const auto note = [&](qint64 id) {
        if (!ids.contains(id))
            ids.append(id);
    };
    for (const RunEvent &event : m_events)
        std::visit([&](const auto &e) { note(e.runId); }, event);
    for (const LogEvent &line : m_tail)
        note(line.runId);
    std::sort(ids.begin(), ids.end());
    return ids;
}

Result<void> RunBacklog::forEach(const std::function<Result<void>(const RunEvent &)> &write) const
{
    for (const RunEvent &event : m_events) {
        if (Result<void> ok = write(event); !ok)
            return ok;
    }
    for (const auto &key : m_droppedOrder) {
        const Dropped &dropped = m_dropped.value(key);
        // A plain name as the plural argument: lupdate 6.4 loops on an expression here.
        const int count = int(std::min<qint64>(dropped.count, INT_MAX));
        const RunEvent warning = LogEvent{ key.first, dropped.flow, key.second, dropped.taskIndex,
            dropped.attempt, LogLevel::Warning, dropped.firstMs,
            QCoreApplication::translate("Sluice::RunRecorder",
                "%n log line(s) dropped: the run history could not be written for a while", nullptr,
                count) };
        if (Result<void> ok = write(warning); !ok)
            return ok;
    }
    for (const LogEvent &line : m_tail) {
        if (Result<void> ok = write(RunEvent(line)); !ok)
            return ok;
    }
    return {};
}

} // namespace Sluice
