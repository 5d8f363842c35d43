#pragma once

// The network access manager and the SQLite connections of the calling thread, created on
// first use and deleted on that thread when it ends (QThreadStorage). Tasks get theirs through
// TaskContext; nothing here is ever handed to another thread.

#include <QString>

#include "engine/result.h"

class QNetworkAccessManager;

namespace Sluice {

class SqliteConnection;

class ThreadResources
{
public:
    // This thread's manager. It needs an event loop to deliver replies: a task waits on a
    // local QEventLoop (or QNetworkReply signals) while it checks its cancellation token.
    static QNetworkAccessManager *network();
    // This thread's read-write connection to the SQLite file at path, opened on first use.
    static Result<SqliteConnection *> database(const QString &path);
};

} // namespace Sluice
