#include "store/fleetworker.h"

#include <QDateTime>
#include <QHostInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDriver>
#include <QSqlQuery>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/runoptions.h"
#include "store/pgrunqueue.h"
#include "store/pgschema.h"

namespace Sluice {

namespace {

    qint64 now()
    {
        return QDateTime::currentMSecsSinceEpoch();
    }

    // A claim soon after a notice, so that a burst of notices (a backfill queued, runs ending
    // together) costs one claim.
    constexpr int ClaimDelayMs = 5;

} // namespace

FleetWorker::FleetWorker(Engine &engine, const StoreUrl &url, int slots,
    std::shared_ptr<std::atomic<qint64>> workerId, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_url(url)
    , m_slots(std::max(1, slots))
    , m_workerId(std::move(workerId))
{
    m_beatTimer.setInterval(PgRunQueue::BeatIntervalMs);
    connect(&m_beatTimer, &QTimer::timeout, this, &FleetWorker::beat);
    m_leaderTimer.setInterval(LeaderRetryMs);
    connect(&m_leaderTimer, &QTimer::timeout, this, &FleetWorker::tryLeadership);
    m_claimTimer.setSingleShot(true);
    m_claimTimer.setInterval(ClaimDelayMs);
    connect(&m_claimTimer, &QTimer::timeout, this, &FleetWorker::claim);
    connect(&m_engine, &Engine::runFinished, this, &FleetWorker::onRunFinished);
    connect(&m_engine, &Engine::runStartFailed, this, &FleetWorker::onRunStartFailed);
    connect(&m_engine, &Engine::runStarted, this,
        [this](const RunStartedEvent &event) { m_tickets.remove(event.ticket); });
}

FleetWorker::~FleetWorker()
{
    m_leaderLock.reset();
    m_queue.reset();
}

Result<void> FleetWorker::open()
{
    Result<PgConnection> connection = PgConnection::open(m_url, QStringLiteral("worker"));
    if (!connection)
        return connection.error();
    if (Result<int> schema = PgSchema::ensure(*connection); !schema)
        return schema.error();
    m_connection = std::move(*connection);
    m_queue = std::make_unique<PgRunQueue>(m_connection);
    Result<qint64> id = m_queue->registerWorker(
        QHostInfo::localHostName(), QCoreApplication::applicationPid(), m_slots, now());
    if (!id)
        return id.error();
    m_workerId->store(*id);
    subscribe();
    return {};
}

void FleetWorker::subscribe()
{
    QSqlDriver *driver = m_connection.database().driver();
    driver->subscribeToNotification(QString::fromLatin1(PgRunQueue::RunsChannel));
    driver->subscribeToNotification(QString::fromLatin1(PgRunQueue::CancelChannel));
    connect(driver, &QSqlDriver::notification, this,
        [this](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
            onNotification(name, payload);
        });
}

void FleetWorker::start()
{
    m_claiming = true;
    m_beatTimer.start();
    m_leaderTimer.start();
    tryLeadership();
    claim();
}

void FleetWorker::stopClaiming()
{
    m_claiming = false;
    m_claimTimer.stop();
    m_leaderTimer.stop();
    if (m_leaderLock && m_leaderLock->isHeld()) {
        (void)m_leaderLock->release();
        Q_EMIT leadershipChanged(false);
    }
    m_leaderLock.reset();
    m_leaderConnection = PgConnection();
}

void FleetWorker::retire()
{
    m_beatTimer.stop();
    if (m_queue && ensureConnected()) {
        if (Result<void> ok = m_queue->retire(workerId(), now()); !ok)
            Q_EMIT problem(ok.error().message());
    }
}

bool FleetWorker::isLeader() const
{
    return m_leaderLock && m_leaderLock->isHeld();
}

bool FleetWorker::ensureConnected()
{
    if (m_connection.isOpen() && m_connection.database().isOpen() && !m_disconnected)
        return true;
    // The connection died (the driver closes it on a lost server) or a statement failed: a new
    // one, said both ways.
    Result<PgConnection> connection = PgConnection::open(m_url, QStringLiteral("worker"));
    if (!connection) {
        lostConnection(connection.error());
        return false;
    }
    m_queue.reset();
    m_connection = std::move(*connection);
    m_queue = std::make_unique<PgRunQueue>(m_connection);
    subscribe();
    m_disconnected = false;
    Q_EMIT reconnected();
    return true;
}

void FleetWorker::lostConnection(const Error &error)
{
    if (!m_disconnected) {
        m_disconnected = true;
        Q_EMIT problem(tr("lost the store (%1); the runs go on, connecting again every %2 s")
                           .arg(error.message())
                           .arg(PgRunQueue::BeatIntervalMs / 1000));
    }
}

void FleetWorker::beat()
{
    if (!ensureConnected())
        return;
    Result<bool> alive = m_queue->beat(workerId(), now());
    if (!alive) {
        lostConnection(alive.error());
        return;
    }
    if (!*alive) {
        // Presumed dead while silent: the runs were handed on, and this worker's events for
        // them are no longer recorded. Stop them here and start over as a new worker.
        const qint64 old = workerId();
        const QList<qint64> runs = m_active.keys();
        m_active.clear();
        for (qint64 runId : runs)
            m_engine.cancel(runId,
                tr("this worker was presumed dead (no beat for %1 s) and the run was handed on")
                    .arg(PgRunQueue::StaleAfterMs / 1000));
        Result<qint64> id = m_queue->registerWorker(
            QHostInfo::localHostName(), QCoreApplication::applicationPid(), m_slots, now());
        if (!id) {
            lostConnection(id.error());
            return;
        }
        m_workerId->store(*id);
        Q_EMIT presumedDead(old, *id);
    }
    if (Result<int> reaped = m_queue->reap(now()); !reaped) {
        lostConnection(reaped.error());
        return;
    }
    actOnCancels();
    claim();
}

void FleetWorker::actOnCancels()
{
    if (m_active.isEmpty() || !m_queue)
        return;
    Result<QList<qint64>> asked = m_queue->cancelRequests(workerId());
    if (!asked) {
        lostConnection(asked.error());
        return;
    }
    for (qint64 runId : std::as_const(*asked)) {
        auto it = m_active.find(runId);
        if (it == m_active.end() || it->cancelAsked)
            continue;
        it->cancelAsked = true;
        Q_EMIT cancelRequested(runId);
        m_engine.cancel(runId, tr("cancelled through the store"));
    }
}

void FleetWorker::onNotification(const QString &channel, const QVariant &payload)
{
    Q_UNUSED(payload);
    if (channel == QLatin1String(PgRunQueue::CancelChannel))
        actOnCancels();
    else
        scheduleClaim();
}

void FleetWorker::scheduleClaim()
{
    if (m_claiming && m_active.size() < m_slots && !m_claimTimer.isActive())
        m_claimTimer.start();
}

void FleetWorker::claim()
{
    if (!m_claiming || m_disconnected || !m_queue)
        return;
    const int free = m_slots - int(m_active.size());
    if (free <= 0)
        return;
    Result<QList<PgRunQueue::ClaimedRun>> taken = m_queue->claim(workerId(), free, now());
    if (!taken) {
        lostConnection(taken.error());
        return;
    }
    const std::shared_ptr<const FlowRegistry::Snapshot> flows = m_engine.registry().snapshot();
    for (const PgRunQueue::ClaimedRun &run : std::as_const(*taken)) {
        m_active.insert(run.id, Active{ run.attempt, false });
        Q_EMIT claimed(run.id, run.flow, run.attempt);
        if (const std::shared_ptr<const Flow> flow = flows->flow(run.flow);
            flow && !run.definition.isEmpty() && flow->source() != run.definition) {
            Q_EMIT problem(tr("run %1 of %2 was queued with another definition than %3 on this "
                              "machine; it runs this machine's file")
                               .arg(run.id)
                               .arg(run.flow, flow->sourcePath()));
        }
        RunOptions options;
        QJsonParseError parseError;
        const QJsonDocument parameters = QJsonDocument::fromJson(run.parameters, &parseError);
        options.parameters = parameters.object().toVariantMap();
        options.trigger = run.trigger;
        options.time = QDateTime::fromMSecsSinceEpoch(run.timeMs, Qt::UTC);
        if (run.previousMs)
            options.previousTime = QDateTime::fromMSecsSinceEpoch(*run.previousMs, Qt::UTC);
        options.claimedRunId = run.id;
        options.claimedAttempt = run.attempt;
        Result<qint64> ticket = m_engine.start(run.flow, std::move(options));
        if (!ticket) {
            finishUnstarted(run.id, run.attempt, ticket.error().message());
            continue;
        }
        m_tickets.insert(*ticket, run.id);
    }
    // Full slots take more when a run ends; a full claim may have left more queued.
    if (taken->size() == free)
        scheduleClaim();
}

void FleetWorker::finishUnstarted(qint64 runId, int attempt, const QString &message)
{
    m_active.remove(runId);
    Q_EMIT problem(tr("run %1 could not start here: %2").arg(runId).arg(message));
    if (!m_queue)
        return;
    Result<bool> ended =
        m_queue->finish(runId, workerId(), attempt, stateName(RunState::Failed), message, now());
    if (!ended)
        lostConnection(ended.error());
    scheduleClaim();
}

void FleetWorker::onRunFinished(const RunFinishedEvent &event)
{
    m_tickets.remove(event.ticket);
    if (m_active.remove(event.runId) > 0)
        scheduleClaim();
}

void FleetWorker::onRunStartFailed(const RunStartFailedEvent &event)
{
    const auto it = m_tickets.constFind(event.ticket);
    if (it == m_tickets.cend())
        return;
    const qint64 runId = *it;
    m_tickets.erase(it);
    const int attempt = m_active.value(runId).attempt;
    finishUnstarted(runId, attempt, event.error.message());
}

void FleetWorker::tryLeadership()
{
    if (!m_claiming)
        return;
    if (m_leaderLock && m_leaderLock->isHeld()) {
        // The lock lives with its session: a connection that still answers still holds it.
        if (Result<QSqlQuery> alive = m_leaderConnection.exec(QStringLiteral("SELECT 1")); alive)
            return;
        m_leaderLock.reset();
        m_leaderConnection = PgConnection();
        Q_EMIT leadershipChanged(false);
    }
    if (!m_leaderConnection.isOpen()) {
        Result<PgConnection> connection = PgConnection::open(m_url, QStringLiteral("leader"));
        if (!connection)
            return;
        m_leaderLock.reset();
        m_leaderConnection = std::move(*connection);
        m_leaderLock = std::make_unique<PgLeaderLock>(m_leaderConnection);
    }
    Result<bool> held = m_leaderLock->tryAcquire();
    if (!held) {
        m_leaderLock.reset();
        m_leaderConnection = PgConnection();
        return;
    }
    if (*held)
        Q_EMIT leadershipChanged(true);
}

Result<qint64> FleetWorker::queueFire(const QString &flowName, const RunOptions &options)
{
    if (!isLeader())
        return Error{ tr("this worker is not the fleet's leader"), m_url.redacted(),
            ErrorCode::Transient };
    PgRunQueue queue(m_leaderConnection);
    PgRunQueue::NewRun run;
    run.flow = flowName;
    run.parameters = QJsonDocument(QJsonObject::fromVariantMap(options.parameters))
                         .toJson(QJsonDocument::Compact);
    run.trigger = options.trigger;
    run.timeMs = options.time.toMSecsSinceEpoch();
    run.fireMs = run.timeMs;
    if (options.previousTime.isValid())
        run.previousMs = options.previousTime.toMSecsSinceEpoch();
    const std::shared_ptr<const FlowRegistry::Snapshot> flows = m_engine.registry().snapshot();
    if (const std::shared_ptr<const Flow> flow = flows->flow(flowName)) {
        run.definition = flow->source();
        run.sourcePath = flow->sourcePath();
        run.onCrash = flow->retriesOnCrash() ? QStringLiteral("retry") : QStringLiteral("fail");
    }
    Result<std::optional<qint64>> queued = queue.enqueue(run, now());
    if (!queued)
        return queued.error();
    return queued->value_or(0);
}

QDateTime FleetWorker::lastQueuedFire(const QString &flowName)
{
    const PgConnection &connection =
        m_leaderConnection.isOpen() ? m_leaderConnection : m_connection;
    Result<QSqlQuery> query = connection.exec(
        QStringLiteral("SELECT max(fire_ms) FROM flow_runs WHERE flow = ?"), { flowName });
    if (!query || !query->next() || query->value(0).isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(query->value(0).toLongLong(), Qt::UTC);
}

} // namespace Sluice
