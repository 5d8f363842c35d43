#include "engine/threadresources.h"

#include <map>
#include <memory>

#include <QNetworkAccessManager>
#include <QThreadStorage>

#include "storage/sqliteconnection.h"

namespace Sluice {

namespace {

    struct PerThread
    {
        // The connections close before the manager goes: the order of a thread's last words.
        std::unique_ptr<QNetworkAccessManager> network;
        std::map<QString, SqliteConnection> databases;
    };

    QThreadStorage<PerThread *> &storage()
    {
        static QThreadStorage<PerThread *> perThread;
        return perThread;
    }

    PerThread &current()
    {
        if (!storage().hasLocalData())
            storage().setLocalData(new PerThread);
        return *storage().localData();
    }

} // namespace

QNetworkAccessManager *ThreadResources::network()
{
    PerThread &data = current();
    if (!data.network)
        data.network = std::make_unique<QNetworkAccessManager>();
    return data.network.get();
}

Result<SqliteConnection *> ThreadResources::database(const QString &path)
{
    PerThread &data = current();
    auto found = data.databases.find(path);
    if (found == data.databases.end()) {
        Result<SqliteConnection> opened = SqliteConnection::open(path, QStringLiteral("task"));
        if (!opened)
            return opened.error();
        found = data.databases.emplace(path, std::move(*opened)).first;
    }
    return &found->second;
}

} // namespace Sluice
