// `sluice store [check] [--store URL]`: which run store this process would use and where that
// choice comes from (--store, SLUICE_STORE, settings.ini, the default), and for a PostgreSQL
// store whether it answers, its schema version against this binary's, the workers that beat
// and the runs queued and running. Reads only: the schema is created by the first worker.
// Exit 0 when the store can be used, 1 with the reason (unreachable, refused, no database,
// schema too new, a URL that does not read), 2 for usage errors.

#include <QDateTime>
#include <QSqlQuery>
#include <QTextStream>

#include "commandline.h"
#include "engine/runstate.h"
#include "settings/datafolder.h"
#include "store/pgconnection.h"
#include "store/pgrunqueue.h"
#include "store/pgschema.h"
#include "store/storeselection.h"

namespace Sluice::Cli {

int runStore(Context &context)
{
    const QString name = QCoreApplication::applicationName() + QStringLiteral(" store: ");
    const QStringList args = context.arguments;
    if (args.size() > 1 || (args.size() == 1 && args.first() != u"check")) {
        err() << name
              << QCoreApplication::translate("Sluice::CommandLine", "unknown argument \"%1\"")
                     .arg(args.value(args.size() > 1 ? 1 : 0))
              << '\n'
              << QCoreApplication::translate(
                     "Sluice::CommandLine", "Usage: sluice store [check] [--store URL]")
              << '\n';
        return ExitUsage;
    }
    Result<StoreSelection> chosen =
        StoreSelection::choose(context.parser.value(QStringLiteral("store")), context.settings);
    if (!chosen) {
        err() << name << chosen.error().message() << '\n';
        return ExitFailure;
    }
    if (Result<void> kept = chosen->addKeptPassword(context.folder); !kept) {
        err() << name << kept.error().message() << '\n';
        return ExitFailure;
    }
    const QString source = chosen->source;
    if (!chosen->url.isPostgres()) {
        out() << QCoreApplication::translate("Sluice::CommandLine", "store: sqlite, %1 (from %2)")
                     .arg(context.folder.runsPath(), source)
              << '\n';
        return ExitSuccess;
    }
    const StoreUrl &url = chosen->url;
    out() << QCoreApplication::translate("Sluice::CommandLine", "store: %1 (from %2)")
                 .arg(url.redacted(), source)
          << '\n';
    out().flush();
    Result<PgConnection> connection = PgConnection::open(url, QStringLiteral("check"));
    if (!connection) {
        err() << name << connection.error().message() << '\n';
        return ExitFailure;
    }
    QString server;
    if (Result<QSqlQuery> version = connection->exec(QStringLiteral("SHOW server_version"));
        version && version->next())
        server = version->value(0).toString();
    Result<int> schema = PgSchema::version(*connection);
    if (!schema) {
        err() << name << schema.error().message() << '\n';
        return ExitFailure;
    }
    if (*schema > PgSchema::Version) {
        err() << name
              << QCoreApplication::translate("Sluice::CommandLine",
                     "%1: the store's schema is version %2, newer than this Sluice knows (%3): "
                     "update Sluice on this machine")
                     .arg(url.redacted())
                     .arg(*schema)
                     .arg(PgSchema::Version)
              << '\n';
        return ExitFailure;
    }
    out() << QCoreApplication::translate("Sluice::CommandLine", "server: PostgreSQL %1").arg(server)
          << '\n';
    if (*schema == 0) {
        out() << QCoreApplication::translate("Sluice::CommandLine",
            "schema: none yet; the first sluice serve on this store creates it")
              << '\n';
        return ExitSuccess;
    }
    out() << QCoreApplication::translate(
        "Sluice::CommandLine", "schema: version %1 (this Sluice: %2)")
                 .arg(*schema)
                 .arg(PgSchema::Version)
          << '\n';
    PgRunQueue queue(*connection);
    Result<QList<PgRunQueue::WorkerInfo>> workers = queue.workers();
    Result<QHash<QString, qint64>> counts = queue.countByState();
    if (!workers || !counts) {
        err() << name << (workers ? counts.error() : workers.error()).message() << '\n';
        return ExitFailure;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QStringList alive;
    for (const PgRunQueue::WorkerInfo &worker : *workers) {
        if (worker.stoppedMs != 0)
            continue;
        alive << QCoreApplication::translate(
            "Sluice::CommandLine", "%1 (process %2, beat %3 s ago, %4 of %5 slots busy)")
                     .arg(worker.host)
                     .arg(worker.pid)
                     .arg(double(now - worker.beatMs) / 1000.0, 0, 'f', 1)
                     .arg(worker.running)
                     .arg(worker.slots);
    }
    out() << QCoreApplication::translate("Sluice::CommandLine", "workers: %1")
                 .arg(alive.isEmpty() ? QCoreApplication::translate("Sluice::CommandLine", "none")
                                      : alive.join(QStringLiteral(", ")))
          << '\n';
    out() << QCoreApplication::translate("Sluice::CommandLine", "queue: %1 scheduled, %2 running")
                 .arg(counts->value(stateName(RunState::Scheduled)))
                 .arg(counts->value(stateName(RunState::Running)))
          << '\n';
    return ExitSuccess;
}

} // namespace Sluice::Cli
