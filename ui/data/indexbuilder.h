#pragma once

// Creates the index that makes a sort by one column of a warehouse table fast
// (CREATE INDEX IF NOT EXISTS), on a thread "sluice-index" with a writable connection of its
// own, so that the window stays responsive for the minute 10 million rows may take. Cancel
// interrupts the statement; a read-only or locked warehouse fails with a message that says so.
// Owned on the GUI thread; one index at a time.

#include <atomic>
#include <memory>

#include <QObject>
#include <QString>

#include "engine/ownedthread.h"
#include "engine/result.h"

namespace Sluice {

class IndexBuilder : public QObject
{
    Q_OBJECT

public:
    explicit IndexBuilder(QObject *parent = nullptr);
    ~IndexBuilder() override; // cancels a build under way and waits for it to stop

    // "idx_<table>_<column>": the one name the Data area gives the index of a column.
    static QString indexName(const QString &table, const QString &column);

    // Starts building; false when a build is under way.
    bool start(const QString &path, const QString &table, const QString &column);
    void cancel();
    bool isRunning() const { return m_running; }
    // How long a build waits for another connection's lock before it says the warehouse is
    // locked (SqliteConnection::BusyTimeoutMs by default).
    void setBusyTimeout(int ms) { m_busyTimeoutMs = ms; }

    // Runs on the calling thread: used by the build thread (and by tests); cancelled may be null.
    static Result<void> build(const QString &path, const QString &table, const QString &column,
        int busyTimeoutMs, const std::atomic_bool *cancelled);

Q_SIGNALS:
    void finished(const QString &table, const QString &column);
    // The message says why (read-only, locked, ...); cancelled: the user asked to stop.
    void failed(const QString &message, bool cancelled);

private:
    void onDone(const Result<void> &result, const QString &table, const QString &column);

    OwnedThread m_thread;
    std::shared_ptr<std::atomic_bool> m_cancelled;
    bool m_running = false;
    int m_busyTimeoutMs;
};

} // namespace Sluice
