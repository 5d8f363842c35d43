#include "notify/alertnotifier.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEvent>

#include "engine/engine.h"
#include "engine/message.h"
#include "notify/credentialstore.h"
#include "notify/mailjob.h"
#include "settings/datafolder.h"
#include "settings/inifile.h"
#include "settings/settings.h"

namespace Sluice {

namespace {

    const QString lastSentGroup = QStringLiteral("last-sent");

    QString timeText(qint64 ms)
    {
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
    }

} // namespace

AlertNotifier::AlertNotifier(const QString &dataFolder, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_dataFolder(dataFolder)
    , m_settings(settings)
{ }

AlertNotifier::~AlertNotifier()
{
    for (const std::shared_ptr<MailJob> &job : std::as_const(m_jobs))
        job->cancel();
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
    const bool done = MailJob::waitForIdle(ms);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::MetaCall);
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
                    run.message.isEmpty() ? QStringLiteral("-")
                                          : Message::shown(run.message, run.messageKey));
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
            .arg(timeText(event.atMs), event.task, levelName(event.level),
                Message::shown(event.text, event.textKey)));
}

void AlertNotifier::onTaskStateChanged(const TaskStateEvent &event)
{
    if (!isFinal(event.state) && event.state != RunState::Retrying)
        return;
    QString line =
        QStringLiteral("%1 %2 %3").arg(timeText(event.atMs), event.task, stateName(event.state));
    if (!event.message.isEmpty())
        line += QStringLiteral(": ") + Message::shown(event.message, event.messageKey);
    appendTail(event.runId, line);
}

void AlertNotifier::onRunFinished(const RunFinishedEvent &event)
{
    const QStringList tail = m_tails.take(event.runId);
    if (event.state != RunState::Failed && event.state != RunState::TimedOut)
        return;
    if (!m_settings.alertsEnabled())
        return;
    const QStringList recipients = m_settings.reportRecipients();
    if (recipients.isEmpty()) {
        Q_EMIT alertSuppressed(event.flow, event.runId,
            QCoreApplication::translate("Sluice::AlertNotifier",
                "alerts are on but no recipients are configured (report.recipients)"));
        return;
    }
    MailJob::Request request;
    request.settings = MailSettings::fromSettings(m_settings);
    if (Result<void> ok = request.settings.check(); !ok) {
        Q_EMIT alertSuppressed(event.flow, event.runId, ok.error().message());
        return;
    }
    // The rate limit: the last alert of this flow in alerts.ini (shared with other processes
    // on this data folder), or one still on its way from this process.
    const IniFile state(statePath(m_dataFolder));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 intervalMs = qint64(m_settings.alertsIntervalMinutes()) * 60000;
    const qint64 last =
        m_jobs.contains(event.flow) ? now : state.value(lastSentGroup, event.flow, 0).toLongLong();
    if (last > 0 && now - last < intervalMs && now >= last) {
        Q_EMIT alertSuppressed(event.flow, event.runId,
            QCoreApplication::translate("Sluice::AlertNotifier",
                "an alert for this flow was sent at %1; the next may go after %2")
                .arg(timeText(last), timeText(last + intervalMs)));
        return;
    }
    Result<DataFolder> folder = DataFolder::open(m_dataFolder);
    if (!folder) {
        Q_EMIT alertFailed(event.flow, event.runId, folder.error().message());
        return;
    }
    request.credentials.emplace(*folder);
    request.message.from = request.settings.from;
    request.message.to = recipients;
    request.message.subject = subject(event);
    request.message.body = body(event, tail);
    const QString flow = event.flow;
    const qint64 runId = event.runId;
    m_jobs.insert(flow,
        MailJob::start(std::move(request), this,
            [this, flow, runId, recipients, now](const Result<void> &sent) {
                m_jobs.remove(flow);
                if (!sent) {
                    Q_EMIT alertFailed(flow, runId, sent.error().message());
                    return;
                }
                IniFile state(statePath(m_dataFolder));
                state.setValue(lastSentGroup, flow, now);
                state.sync();
                Q_EMIT alertSent(flow, runId, recipients);
            }));
}

} // namespace Sluice
