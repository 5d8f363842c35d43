#pragma once

// The log lines of one run, bounded: at most capacity() lines, the oldest dropped first.
// Live lines are queued and added in batches by a timer (every 100 ms), so that thousands of
// lines a second cost the view a few inserts a second. GUI thread.

#include <QList>
#include <QTimer>

#include "engine/runevents.h"
#include "engine/runrecords.h"
#include "models/columntablemodel.h"

namespace Sluice {

class LogModel : public ColumnTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Level, Task, Text, ColumnCount };
    static constexpr int LevelRole = Qt::UserRole + 1;
    static constexpr int DefaultCapacity = 100000;
    static constexpr int FlushIntervalMs = 100;

    explicit LogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    int capacity() const { return m_capacity; }
    void setCapacity(int lines);
    qint64 runId() const { return m_runId; }
    // Starts showing a run: clears the lines; live lines of that run are queued from now on.
    void setRun(qint64 runId);
    // The stored lines of the run; queued live lines already among them are dropped.
    void setHistory(const QList<LogRecord> &lines);
    // One line as text, "2024-05-01 12:00:00.123  Info  fetch  text", for copying.
    QString lineText(int row) const;
    int pendingCount() const { return int(m_pending.size()); }

public Q_SLOTS:
    void onLogLine(const Sluice::LogEvent &event);
    // Adds the queued lines now (the timer calls it).
    void flush();

Q_SIGNALS:
    // Lines were added at the end (after a flush).
    void linesAppended();

protected:
    QStringList columnTitles() const override;

private:
    void append(const QList<LogRecord> &lines);

    int m_capacity = DefaultCapacity;
    qint64 m_runId = 0;
    bool m_waitingForHistory = false;
    QList<LogRecord> m_lines;
    QList<LogRecord> m_pending;
    QTimer m_flush;
};

} // namespace Sluice
