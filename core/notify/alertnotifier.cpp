#include "notify/alertnotifier.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEvent>
#include <QSettings>
#include <QThreadPool>

#include "engine/engine.h"
#include "notify/credentialstore.h"
#include "notify/mailer.h"
#include "notify/mailmessage.h"
#include "settings/datafolder.h"
#include "settings/settings.h"

namespace Sluice {

namespace {

    const QString lastSentGroup = QStringLiteral("last-sent");

    QString timeText(qint64 ms)
    {
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
    }

    // What the worker needs for one alert, copied off the engine's thread.
    struct AlertJob
    {
        RunFinishedEvent run;
        QStringList tail;
        MailSettings mail;
        QStringList recipients;
        qint64 intervalMs = 0;
        QString dataFolder;
    };

    enum class Outcome { Sent, Suppressed, Failed };

    // On the worker thread: the rate limit, the password, the mail.
    std::pair<Outcome, QString> sendAlert(AlertJob job, const std::atomic_bool &stopping)
    {
        QSettings state(AlertNotifier::statePath(job.dataFolder), QSettings::IniFormat);
        state.beginGroup(lastSentGroup);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 last = state.value(job.run.flow, 0).toLongLong();
        if (last > 0 && now - last < job.intervalMs && now >= last) {
            return { Outcome::Suppressed,
                QCoreApplication::translate("Sluice::AlertNotifier",
                    "an alert for this flow was sent at %1; the next may go after %2")
                    .arg(timeText(last), timeText(last + job.intervalMs)) };
        }
        Result<DataFolder> folder = DataFolder::open(job.dataFolder);
        if (!folder)
            return { Outcome::Failed, folder.error().message() };
        if (Result<void> ok = job.mail.loadPassword(CredentialStore(*folder)); !ok)
            return { Outcome::Failed, ok.error().message() };

        MailMessage message;
        message.from = job.mail.from;
        message.to = job.recipients;
        message.subject = AlertNotifier::subject(job.run);
        message.body = AlertNotifier::body(job.run, job.tail);
        Mailer mailer(job.mail);
        if (Result<void> sent = mailer.send(message, [&] { return stopping.load(); }); !sent)
            return { Outcome::Failed, sent.error().message() };
        state.setValue(job.run.flow, now);
        state.sync();
        return { Outcome::Sent, {} };
    }

} // namespace

AlertNotifier::AlertNotifier(const QString &dataFolder, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_dataFolder(dataFolder)
    , m_settings(settings)
    , m_worker(std::make_unique<QThreadPool>())
    , m_stopping(std::make_shared<std::atomic_bool>(false))
{
    // One thread: alerts go out one after another, so the rate limit sees each one.
    m_worker->setMaxThreadCount(1);
    m_worker->setObjectName(QStringLiteral("sluice-alerts"));
}

AlertNotifier::~AlertNotifier()
{
    m_stopping->store(true);
    m_worker->waitForDone();
}

QString AlertNotifier::statePath(const QString &dataFolder)
{
    return DataFolder::at(dataFolder).alertsPath();
}

void AlertNotifier::watch(const Engine &engine)
{
    connect(&engine, &Engine::logLine, this, &AlertNotifier::onLogLine);
    connect(&engine, &Engine::taskStateChanged, this, &AlertNotifier::onTaskStateChanged);
    connect(&engine, &Engine::runFinished, this, &AlertNotifier::onRunFinished);
}

bool AlertNotifier::waitForIdle(int ms)
{
    const bool done = m_worker->waitForDone(ms);
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    return done;
}

QString AlertNotifier::subject(const RunFinishedEvent &run)
{
    return QCoreApplication::translate(
        "Sluice::AlertNotifier", "Sluice: flow \"%1\" run %2 ended %3")
        .arg(run.flow)
        .arg(run.runId)
        .arg(stateName(run.state));
}

QString AlertNotifier::body(const RunFinishedEvent &run, const QStringList &logTail)
{
    QString text =
        QCoreApplication::translate(
            "Sluice::AlertNotifier", "Flow: %1\nRun: %2\nState: %3\nStarted: %4\nEnded: %5\n")
            .arg(run.flow)
            .arg(run.runId)
            .arg(stateName(run.state), timeText(run.startedMs), timeText(run.finishedMs));
    text += QCoreApplication::translate("Sluice::AlertNotifier", "Failed task: %1\nError: %2\n")
                .arg(run.failedTask.isEmpty() ? QStringLiteral("-") : run.failedTask,
                    run.message.isEmpty() ? QStringLiteral("-") : run.message);
    text += QLatin1Char('\n')
        + QCoreApplication::translate("Sluice::AlertNotifier", "Last log lines:")
        + QLatin1Char('\n');
    text += logTail.isEmpty() ? QCoreApplication::translate("Sluice::AlertNotifier", "(none)")
                              : logTail.join(QLatin1Char('\n'));
    text += QStringLiteral("\n\n")
        + QCoreApplication::translate("Sluice::AlertNotifier", "Sent by Sluice.")
        + QLatin1Char('\n');
    return text;
}

void AlertNotifier::appendTail(qint64 runId, const QString &line)
{
    QStringList &tail = m_tails[runId];
    tail << line;
    if (tail.size() > LogTailLines)
        tail.removeFirst();
}

void AlertNotifier::onLogLine(const LogEvent &event)
{
    appendTail(event.runId,
        QStringLiteral("%1 %2 %3: %4")
            .arg(timeText(event.atMs), event.task, levelName(event.level), event.text));
}

void AlertNotifier::onTaskStateChanged(const TaskStateEvent &event)
{
    if (!isFinal(event.state) && event.state != RunState::Retrying)
        return;
    QString line =
        QStringLiteral("%1 %2 %3").arg(timeText(event.atMs), event.task, stateName(event.state));
    if (!event.message.isEmpty())
        line += QStringLiteral(": ") + event.message;
    appendTail(event.runId, line);
}

void AlertNotifier::onRunFinished(const RunFinishedEvent &event)
{
    const QStringList tail = m_tails.take(event.runId);
    if (event.state != RunState::Failed && event.state != RunState::TimedOut)
        return;
    if (!m_settings.alertsEnabled())
        return;
    AlertJob job{ event, tail, MailSettings::fromSettings(m_settings),
        m_settings.reportRecipients(), qint64(m_settings.alertsIntervalMinutes()) * 60000,
        m_dataFolder };
    if (job.recipients.isEmpty()) {
        emit alertSuppressed(event.flow, event.runId,
            QCoreApplication::translate("Sluice::AlertNotifier",
                "alerts are on but no recipients are configured (report.recipients)"));
        return;
    }
    if (Result<void> ok = job.mail.check(); !ok) {
        emit alertSuppressed(event.flow, event.runId, ok.error().message());
        return;
    }
    ++m_pending;
    m_worker->start([this, job = std::move(job), stopping = m_stopping]() mutable {
        const QString flow = job.run.flow;
        const qint64 runId = job.run.runId;
        const QStringList recipients = job.recipients;
        const auto [outcome, text] = sendAlert(std::move(job), *stopping);
        QMetaObject::invokeMethod(
            this,
            [this, outcome = outcome, text = text, flow, runId, recipients] {
                --m_pending;
                if (outcome == Outcome::Sent)
                    emit alertSent(flow, runId, recipients);
                else if (outcome == Outcome::Suppressed)
                    emit alertSuppressed(flow, runId, text);
                else
                    emit alertFailed(flow, runId, text);
            },
            Qt::QueuedConnection);
    });
}

} // namespace Sluice
