#include "models/logmodel.h"

#include <QDateTime>

#include "engine/displaytext.h"
#include "engine/message.h"
#include "models/statestyle.h"

namespace Sluice {

LogModel::LogModel(QObject *parent)
    : ColumnTableModel(parent)
{
    m_flush.setInterval(FlushIntervalMs);
    m_flush.setSingleShot(true);
    connect(&m_flush, &QTimer::timeout, this, &LogModel::flush);
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_lines.size())
        return {};
    const LogRecord &line = m_lines.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return QDateTime::fromMSecsSinceEpoch(line.atMs).toString(
                QStringLiteral("HH:mm:ss.zzz"));
        case Level:
            return levelText(line.level);
        case Task:
            return escapeControls(line.task);
        case Text:
            return escapeControls(Message::shown(line.text, line.textKey));
        }
        break;
    case LevelRole:
        return int(line.level);
    case Qt::ForegroundRole:
        if (line.level != LogLevel::Info)
            return StateStyle::levelColor(line.level);
        break;
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QDateTime::fromMSecsSinceEpoch(line.atMs).toString(Qt::ISODateWithMs);
        if (index.column() == Text)
            return escapeControls(Message::shown(line.text, line.textKey));
        break;
    }
    return {};
}

QStringList LogModel::columnTitles() const
{
    // In the order of enum Column.
    return { tr("Time"), tr("Level"), tr("Task"), tr("Message") };
}

void LogModel::setCapacity(int lines)
{
    m_capacity = qMax(1, lines);
}

void LogModel::setRun(qint64 runId)
{
    beginResetModel();
    m_runId = runId;
    m_lines.clear();
    m_pending.clear();
    m_waitingForHistory = runId != 0;
    endResetModel();
}

void LogModel::setHistory(const QList<LogRecord> &lines)
{
    m_waitingForHistory = false;
    // The history was read after the first queued lines arrived: drop the ones it holds.
    if (!lines.isEmpty()) {
        const LogRecord &last = lines.last();
        m_pending.removeIf([&](const LogRecord &pending) {
            if (pending.atMs != last.atMs)
                return pending.atMs < last.atMs;
            for (auto it = lines.crbegin(); it != lines.crend() && it->atMs == last.atMs; ++it) {
                if (it->text == pending.text && it->task == pending.task)
                    return true;
            }
            return false;
        });
    }
    beginResetModel();
    m_lines = lines.size() > m_capacity ? lines.mid(lines.size() - m_capacity) : lines;
    endResetModel();
    flush();
}

QString LogModel::lineText(int row) const
{
    if (row < 0 || row >= m_lines.size())
        return {};
    const LogRecord &line = m_lines.at(row);
    return QStringLiteral("%1  %2  %3  %4")
        .arg(QDateTime::fromMSecsSinceEpoch(line.atMs).toString(
                 QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
            levelName(line.level), escapeControls(line.task),
            escapeControls(Message::shown(line.text, line.textKey)));
}

void LogModel::onLogLine(const LogEvent &event)
{
    if (event.runId != m_runId || m_runId == 0)
        return;
    m_pending << logRecord(event);
    // Queued lines beyond the capacity would be dropped at the flush anyway.
    if (m_pending.size() > m_capacity)
        m_pending.remove(0, m_pending.size() - m_capacity);
    if (!m_waitingForHistory && !m_flush.isActive())
        m_flush.start();
}

void LogModel::flush()
{
    if (m_waitingForHistory || m_pending.isEmpty())
        return;
    QList<LogRecord> batch;
    batch.swap(m_pending);
    append(batch);
}

void LogModel::append(const QList<LogRecord> &lines)
{
    const int overflow = int(m_lines.size() + lines.size()) - m_capacity;
    if (overflow > 0) {
        const int removed = qMin(overflow, int(m_lines.size()));
        if (removed > 0) {
            beginRemoveRows({}, 0, removed - 1);
            m_lines.remove(0, removed);
            endRemoveRows();
        }
    }
    const QList<LogRecord> added =
        lines.size() > m_capacity ? lines.mid(lines.size() - m_capacity) : lines;
    if (added.isEmpty())
        return;
    beginInsertRows({}, int(m_lines.size()), int(m_lines.size() + added.size()) - 1);
    m_lines << added;
    endInsertRows();
    Q_EMIT linesAppended();
}

} // namespace Sluice
