// fleet_bench: the fleet's coordination on a real PostgreSQL 15 that it starts itself (like the
// tests, tests/pgserver). Worker processes (this program with --worker) claim runs with the
// queue's SKIP LOCKED claim, up to 8 at once each, "run" each by waiting its duration, record
// the outcome and claim again; the queue is drained by 1 and by 3 workers.
// Prints: runs of 50 ms drained by 1 and 3 workers (and the ratio; goal >= 2.5), trivial runs
// per second with 1 and 3 workers (goal >= 300/s), claim latency p50/p99 (goal p99 <= 20 ms),
// the failover time after SIGKILL of the leader (two --leader processes retrying every 2 s),
// and the same trivial queue on SQLite (WAL, BEGIN IMMEDIATE) for comparison.
// This measures the coordination layer (claim, finish, lock); a run's own work is a wait.
// Then the same with real `sluice serve --store URL --slots 8` workers, each on a data folder of
// its own with the same flow files: runs of a step `sleep 0.05`, and of a step `sql: select 1`,
// with the engine, the history writes and the leader's failover as a user has them.
// Usage: fleet_bench [RUNS_50MS=960] [TRIVIAL_RUNS=6000]   (prints figures; no pass/fail)

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include "engine/runstate.h"
#include "pgserver.h"
#include "schedule/defaultschedules.h"
#include "schedule/schedulestore.h"
#include "storage/sqliteconnection.h"
#include "store/pgconnection.h"
#include "store/pgrunqueue.h"
#include "store/pgschema.h"
#include "store/storeurl.h"

using namespace Sluice;

namespace {

constexpr int Slots = 8;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))];
}

// The claim side of one worker, on PostgreSQL or on SQLite.
struct Queue
{
    virtual ~Queue() = default;
    virtual bool claim(int max, std::vector<std::pair<qint64, int>> *claimed) = 0; // id, attempt
    virtual bool finish(qint64 id, int attempt) = 0;
};

struct PgQueue : Queue
{
    PgConnection connection;
    std::optional<PgRunQueue> queue;
    qint64 worker = 0;
    bool claim(int max, std::vector<std::pair<qint64, int>> *claimed) override
    {
        Result<QList<PgRunQueue::ClaimedRun>> runs = queue->claim(worker, max, nowMs());
        if (!runs) {
            fprintf(stderr, "%s\n", qPrintable(runs.error().message()));
            return false;
        }
        for (const auto &run : *runs)
            claimed->push_back({ run.id, run.attempt });
        return true;
    }
    bool finish(qint64 id, int attempt) override
    {
        Result<bool> done =
            queue->finish(id, worker, attempt, stateName(RunState::Completed), QString(), nowMs());
        if (!done)
            fprintf(stderr, "%s\n", qPrintable(done.error().message()));
        return done && *done;
    }
};

struct SqliteQueue : Queue
{
    SqliteConnection connection;
    qint64 worker = 0;
    bool claim(int max, std::vector<std::pair<qint64, int>> *claimed) override
    {
        QSqlDatabase db = connection.database();
        QSqlQuery begin(db);
        if (!begin.exec(QStringLiteral("BEGIN IMMEDIATE")))
            return fprintf(stderr, "%s\n", qPrintable(begin.lastError().text())), false;
        QSqlQuery query(db);
        query.prepare(QStringLiteral("UPDATE runs SET state = 'Running', worker = ? WHERE id IN"
                                     " (SELECT id FROM runs WHERE state = 'Scheduled' ORDER BY id"
                                     " LIMIT ?) RETURNING id"));
        query.addBindValue(worker);
        query.addBindValue(max);
        if (!query.exec()) {
            fprintf(stderr, "%s\n", qPrintable(query.lastError().text()));
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            return false;
        }
        while (query.next())
            claimed->push_back({ query.value(0).toLongLong(), 1 });
        query.finish();
        return QSqlQuery(db).exec(QStringLiteral("COMMIT"));
    }
    bool finish(qint64 id, int) override
    {
        QSqlQuery query(connection.database());
        query.prepare(QStringLiteral("UPDATE runs SET state = 'Completed' WHERE id = ? AND worker "
                                     "= ? AND state = 'Running'"));
        query.addBindValue(id);
        query.addBindValue(worker);
        return query.exec() && query.numRowsAffected() == 1;
    }
};

// A worker: claims while it has free slots, ends each run after durationMs, and leaves when
// the queue is empty and nothing runs. Prints "claims N", then each claim's latency in µs.
int workerMain(Queue &queue, int durationMs)
{
    std::vector<std::tuple<qint64, qint64, int>> running; // due ms, id, attempt
    std::vector<double> latencies;
    int done = 0;
    QElapsedTimer clock;
    clock.start();
    bool drained = false;
    while (!drained || !running.empty()) {
        // End the runs that are due.
        const qint64 now = clock.elapsed();
        for (auto it = running.begin(); it != running.end();) {
            if (std::get<0>(*it) <= now) {
                if (!queue.finish(std::get<1>(*it), std::get<2>(*it)))
                    return 2;
                ++done;
                it = running.erase(it);
            } else {
                ++it;
            }
        }
        if (!drained && int(running.size()) < Slots) {
            std::vector<std::pair<qint64, int>> claimed;
            QElapsedTimer took;
            took.start();
            if (!queue.claim(Slots - int(running.size()), &claimed))
                return 2;
            latencies.push_back(double(took.nsecsElapsed()) / 1000.0);
            if (claimed.empty())
                drained = true;
            for (const auto &[id, attempt] : claimed)
                running.emplace_back(clock.elapsed() + durationMs, id, attempt);
        }
        if (!running.empty() && (drained || int(running.size()) == Slots)) {
            qint64 next = std::get<0>(running.front());
            for (const auto &run : running)
                next = std::min(next, std::get<0>(run));
            const qint64 wait = next - clock.elapsed();
            if (wait > 0)
                QThread::msleep(ulong(wait));
        }
    }
    printf("done %d\n", done);
    for (double latency : latencies)
        printf("%.0f\n", latency);
    fflush(stdout);
    return 0;
}

int leaderMain(const StoreUrl &url, int retryMs)
{
    Result<PgConnection> connection = PgConnection::open(url, QStringLiteral("leader"));
    if (!connection)
        return fprintf(stderr, "%s\n", qPrintable(connection.error().message())), 2;
    PgLeaderLock lock(*connection);
    for (;;) {
        Result<bool> held = lock.tryAcquire();
        if (!held)
            return fprintf(stderr, "%s\n", qPrintable(held.error().message())), 2;
        if (*held) {
            printf("leader %lld\n", nowMs());
            fflush(stdout);
            for (;;)
                QThread::sleep(60);
        }
        QThread::msleep(ulong(retryMs));
    }
}

struct Drain
{
    double seconds = 0;
    std::vector<double> latenciesUs;
    int done = 0;
    bool ok = true;
};

Drain drain(const QStringList &workerArguments, int workers)
{
    Drain result;
    QElapsedTimer took;
    took.start();
    std::vector<std::unique_ptr<QProcess>> processes;
    for (int w = 0; w < workers; ++w) {
        auto process = std::make_unique<QProcess>();
        process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process->start(QCoreApplication::applicationFilePath(),
            workerArguments + QStringList{ QString::number(w + 1) });
        processes.push_back(std::move(process));
    }
    for (auto &process : processes) {
        if (!process->waitForFinished(600000) || process->exitCode() != 0)
            result.ok = false;
    }
    result.seconds = double(took.nsecsElapsed()) / 1e9;
    for (auto &process : processes) {
        const QList<QByteArray> lines = process->readAllStandardOutput().split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("done "))
                result.done += line.mid(5).toInt();
            else if (!line.isEmpty())
                result.latenciesUs.push_back(line.toDouble());
        }
    }
    return result;
}

bool fillPg(const PgConnection &connection, int runs)
{
    if (!connection.exec(
            QStringLiteral("TRUNCATE flow_runs, workers, task_runs, transitions, log_lines")))
        return false;
    PgRunQueue queue(connection);
    QList<PgRunQueue::NewRun> all;
    for (int i = 0; i < runs; ++i) {
        PgRunQueue::NewRun run;
        run.flow = QStringLiteral("bench-%1").arg(i % 10);
        run.fireMs = i;
        run.trigger = QStringLiteral("schedule");
        all.append(run);
    }
    Result<int> added = queue.enqueueAll(all, nowMs());
    if (!added)
        fprintf(stderr, "%s\n", qPrintable(added.error().message()));
    return added && *added == runs;
}

bool fillSqlite(const QString &path, int runs)
{
    Result<SqliteConnection> connection = SqliteConnection::open(path, QStringLiteral("fill"));
    if (!connection)
        return false;
    QSqlDatabase db = connection->database();
    QSqlQuery query(db);
    query.exec(QStringLiteral("DROP TABLE IF EXISTS runs"));
    query.exec(QStringLiteral("CREATE TABLE runs (id INTEGER PRIMARY KEY, state TEXT NOT NULL,"
                              " worker INTEGER)"));
    query.exec(QStringLiteral("CREATE INDEX runs_by_state ON runs (state, id)"));
    db.transaction();
    query.prepare(QStringLiteral("INSERT INTO runs (state) VALUES ('Scheduled')"));
    for (int i = 0; i < runs; ++i)
        query.exec();
    return db.commit();
}

int countPg(const PgConnection &connection, const QString &state)
{
    Result<QSqlQuery> query = connection.exec(
        QStringLiteral("SELECT count(*) FROM flow_runs WHERE state = ?"), { state });
    return query && query->next() ? query->value(0).toInt() : -1;
}

// A data folder for a `sluice serve` of the bench: the flow files, no built-in schedules.
QString serveFolder(const QTemporaryDir &dir, int n)
{
    const QString folder = dir.filePath(QStringLiteral("worker%1").arg(n));
    QDir().mkpath(folder + QStringLiteral("/flows"));
    const auto write = [&](const QString &name, const QByteArray &text) {
        QFile file(folder + QLatin1Char('/') + name);
        return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
    };
    const ScheduleStore schedules(folder + QStringLiteral("/schedules.ini"));
    for (const QString &builtIn : DefaultSchedules::builtIn().keys())
        (void)DefaultSchedules::setCleared(schedules, builtIn, true);
    write(QStringLiteral("flows/sleep50.yaml"),
        "overlap: allow\nsteps:\n  - id: wait\n    run: [sleep, \"0.05\"]\n");
    write(QStringLiteral("flows/trivial.yaml"),
        "overlap: allow\nsteps:\n  - id: one\n    sql: select 1\n");
    return folder;
}

std::vector<std::unique_ptr<QProcess>> startServes(
    const QTemporaryDir &dir, const QString &url, int workers, bool logged = false)
{
    std::vector<std::unique_ptr<QProcess>> serves;
    for (int w = 0; w < workers; ++w) {
        auto serve = std::make_unique<QProcess>();
        serve->setProcessChannelMode(QProcess::SeparateChannels);
        serve->setStandardOutputFile(QProcess::nullDevice());
        if (!logged) // a log nobody reads would fill its pipe and stop the serve
            serve->setStandardErrorFile(QProcess::nullDevice());
        serve->start(QStringLiteral(SLUICE_EXECUTABLE),
            { QStringLiteral("--data-dir"), serveFolder(dir, w + 1), QStringLiteral("serve"),
                QStringLiteral("--store"), url, QStringLiteral("--slots"),
                QString::number(Slots) });
        serves.push_back(std::move(serve));
    }
    return serves;
}

void stopServes(std::vector<std::unique_ptr<QProcess>> &serves)
{
    for (auto &serve : serves)
        serve->terminate();
    for (auto &serve : serves) {
        if (!serve->waitForFinished(20000))
            serve->kill();
    }
    serves.clear();
}

// Queues runs of flow, drains them with workers real serves, and prints the figure.
double serveDrain(const PgConnection &connection, const QTemporaryDir &dir, const QString &url,
    const QString &flow, int runs, int workers)
{
    if (!connection.exec(
            QStringLiteral("TRUNCATE flow_runs, workers, task_runs, transitions, log_lines")))
        return 0;
    PgRunQueue queue(connection);
    QList<PgRunQueue::NewRun> all;
    for (int i = 0; i < runs; ++i) {
        PgRunQueue::NewRun run;
        run.flow = flow;
        all.append(run);
    }
    if (!queue.enqueueAll(all, nowMs()))
        return 0;
    std::vector<std::unique_ptr<QProcess>> serves = startServes(dir, url, workers);
    QElapsedTimer waited;
    waited.start();
    int completed = 0;
    while (waited.elapsed() < 600000) {
        completed = countPg(connection, stateName(RunState::Completed));
        if (completed >= runs)
            break;
        QThread::msleep(50);
    }
    stopServes(serves);
    // From the first claim to the last end, as the store recorded them: start-up not counted.
    Result<QSqlQuery> span = connection.exec(
        QStringLiteral("SELECT max(finished_ms) - min(claimed_ms), count(DISTINCT worker_id),"
                       " (SELECT count(*) FROM transitions WHERE task IS NULL AND state = ?)"
                       " FROM flow_runs"),
        { stateName(RunState::Completed) });
    if (!span || !span->next())
        return 0;
    const double seconds = double(span->value(0).toLongLong()) / 1000.0;
    const bool once = completed == runs && span->value(2).toInt() == runs;
    printf("sluice serve, %s runs, %d worker(s): %d runs in %.2f s = %.0f runs/s (%d workers "
           "took a share; each recorded once: %s)\n",
        qPrintable(flow), workers, runs, seconds, runs / seconds, span->value(1).toInt(),
        once ? "yes" : "NO");
    return seconds;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.value(0) == QLatin1String("--worker")) {
        // --worker URL DURATION_MS N
        PgQueue queue;
        Result<StoreUrl> url = StoreUrl::parse(args.value(1));
        Result<PgConnection> connection = url ? PgConnection::open(*url, QStringLiteral("worker"))
                                              : Result<PgConnection>(url.error());
        if (!connection)
            return fprintf(stderr, "%s\n", qPrintable(connection.error().message())), 2;
        queue.connection = std::move(*connection);
        queue.queue.emplace(queue.connection);
        Result<qint64> id = queue.queue->registerWorker(
            QStringLiteral("bench"), QCoreApplication::applicationPid(), Slots, nowMs());
        if (!id)
            return 2;
        queue.worker = *id;
        return workerMain(queue, args.value(2).toInt());
    }
    if (args.value(0) == QLatin1String("--sqlite-worker")) {
        // --sqlite-worker PATH DURATION_MS N
        SqliteQueue queue;
        Result<SqliteConnection> connection =
            SqliteConnection::open(args.value(1), QStringLiteral("worker"));
        if (!connection)
            return 2;
        queue.connection = std::move(*connection);
        queue.worker = args.value(3).toInt();
        return workerMain(queue, args.value(2).toInt());
    }
    if (args.value(0) == QLatin1String("--leader")) {
        Result<StoreUrl> url = StoreUrl::parse(args.value(1));
        return url ? leaderMain(*url, args.value(2).toInt()) : 2;
    }

    // --serve-only: part 5 alone.
    const bool serveOnly = args.contains(QStringLiteral("--serve-only"));
    QStringList counts = args;
    counts.removeAll(QStringLiteral("--serve-only"));
    const int sleepRuns = counts.value(0, QStringLiteral("960")).toInt();
    const int trivialRuns = counts.value(1, QStringLiteral("6000")).toInt();
    PgServer server;
    if (!server.isRunning()) {
        fprintf(stderr, "fleet_bench: no PostgreSQL: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    const QString urlText = server.url(QStringLiteral("bench"));
    Result<StoreUrl> url = StoreUrl::parse(urlText);
    Result<PgConnection> connection =
        url ? PgConnection::open(*url, QStringLiteral("bench")) : Result<PgConnection>(url.error());
    if (!connection || !PgSchema::ensure(*connection)) {
        fprintf(stderr, "fleet_bench: cannot set up the store\n");
        return 1;
    }
    printf("fleet_bench: PostgreSQL 15 on 127.0.0.1:%d, %d slots a worker, %d cores\n",
        server.port(), Slots, QThread::idealThreadCount());

    // 1. Runs of 50 ms: scaling from 1 to 3 workers.
    double oneWorker = 0;
    for (int workers : { 1, 3 }) {
        if (serveOnly)
            break;
        if (!fillPg(*connection, sleepRuns))
            return 1;
        const Drain result =
            drain({ QStringLiteral("--worker"), urlText, QStringLiteral("50") }, workers);
        const int completed = countPg(*connection, stateName(RunState::Completed));
        printf("50 ms runs, %d worker(s): %d runs in %.2f s = %.0f runs/s (completed %d, each "
               "once: %s)\n",
            workers, sleepRuns, result.seconds, sleepRuns / result.seconds, completed,
            result.ok && result.done == sleepRuns && completed == sleepRuns ? "yes" : "NO");
        if (workers == 1)
            oneWorker = result.seconds;
        else
            printf("  3 workers vs 1: %.2fx (goal >= 2.5x)\n", oneWorker / result.seconds);
    }

    // 2. Trivial runs: the coordination's own rate, and the claim latency.
    std::vector<double> latencies;
    for (int workers : { 1, 3 }) {
        if (serveOnly)
            break;
        if (!fillPg(*connection, trivialRuns))
            return 1;
        const Drain result =
            drain({ QStringLiteral("--worker"), urlText, QStringLiteral("0") }, workers);
        const int completed = countPg(*connection, stateName(RunState::Completed));
        printf("trivial runs, %d worker(s): %d runs in %.2f s = %.0f runs/s (goal >= 300/s; "
               "each once: %s)\n",
            workers, trivialRuns, result.seconds, trivialRuns / result.seconds,
            result.ok && result.done == trivialRuns && completed == trivialRuns ? "yes" : "NO");
        latencies.insert(latencies.end(), result.latenciesUs.begin(), result.latenciesUs.end());
    }
    if (!serveOnly)
        printf("claim latency over %zu claims: p50 %.2f ms, p99 %.2f ms, worst %.2f ms (goal p99 "
               "<= 20 ms)\n",
            latencies.size(), percentile(latencies, 0.5) / 1000, percentile(latencies, 0.99) / 1000,
            percentile(latencies, 1.0) / 1000);

    // 3. Failover: two would-be leaders retrying every 2 s; the holder is killed.
    if (!serveOnly) {
        QProcess first;
        QProcess second;
        first.start(app.applicationFilePath(),
            { QStringLiteral("--leader"), urlText, QStringLiteral("2000") });
        first.waitForReadyRead(10000);
        const QByteArray firstLine = first.readAllStandardOutput();
        second.start(app.applicationFilePath(),
            { QStringLiteral("--leader"), urlText, QStringLiteral("2000") });
        QThread::msleep(3000); // the second has tried and waits
        const qint64 killedAt = nowMs();
        ::kill(pid_t(first.processId()), SIGKILL);
        first.waitForFinished(5000);
        const bool took = second.waitForReadyRead(20000);
        const QByteArray line = second.readAllStandardOutput().trimmed();
        if (!firstLine.startsWith("leader") || !took || !line.startsWith("leader ")) {
            printf("failover: FAILED (first: %s, second: %s)\n", firstLine.constData(),
                line.constData());
        } else {
            printf("failover after SIGKILL of the leader: %lld ms (retry every 2 s)\n",
                line.mid(7).toLongLong() - killedAt);
        }
        second.kill();
        second.waitForFinished(5000);
    }

    // 4. The same trivial queue on SQLite.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("queue.sqlite"));
    for (int workers : { 1, 3 }) {
        if (serveOnly)
            break;
        if (!fillSqlite(path, trivialRuns))
            return 1;
        const Drain result =
            drain({ QStringLiteral("--sqlite-worker"), path, QStringLiteral("0") }, workers);
        printf(
            "SQLite, trivial runs, %d worker(s): %.0f runs/s, claim p99 %.2f ms (each once: %s)\n",
            workers, trivialRuns / result.seconds, percentile(result.latenciesUs, 0.99) / 1000,
            result.ok && result.done == trivialRuns ? "yes" : "NO");
    }

    // 5. Real `sluice serve` workers: the engine, the history writes, the leader.
    QTemporaryDir serveDir;
    double oneServe = 0;
    for (int workers : { 1, 3 }) {
        const double seconds = serveDrain(
            *connection, serveDir, urlText, QStringLiteral("sleep50"), sleepRuns, workers);
        if (workers == 1)
            oneServe = seconds;
        else if (seconds > 0)
            printf("  3 serves vs 1: %.2fx (goal >= 2.5x)\n", oneServe / seconds);
    }
    for (int workers : { 1, 3 })
        serveDrain(*connection, serveDir, urlText, QStringLiteral("trivial"), trivialRuns, workers);
    {
        std::vector<std::unique_ptr<QProcess>> serves = startServes(serveDir, urlText, 1, true);
        QByteArray said;
        QElapsedTimer waited;
        waited.start();
        while (!said.contains("leads the fleet:") && waited.elapsed() < 20000) {
            serves[0]->waitForReadyRead(200);
            said += serves[0]->readAllStandardError();
        }
        std::vector<std::unique_ptr<QProcess>> second = startServes(serveDir, urlText, 1, true);
        QThread::msleep(3000);
        ::kill(pid_t(serves[0]->processId()), SIGKILL);
        serves[0]->waitForFinished(5000);
        QElapsedTimer sinceKill;
        sinceKill.start();
        QByteArray heard;
        while (!heard.contains("leads the fleet:") && sinceKill.elapsed() < 20000) {
            second[0]->waitForReadyRead(100);
            heard += second[0]->readAllStandardError();
        }
        if (heard.contains("leads the fleet:"))
            printf("sluice serve: a new leader %lld ms after SIGKILL of the leader (retry every "
                   "2 s)\n",
                sinceKill.elapsed());
        else
            printf("sluice serve: failover FAILED\n");
        serves.clear();
        stopServes(second);
    }
    return 0;
}
