#pragma once

// Failure alerts: when a flow run ends Failed or TimedOut and alerts.enabled is on, emails
// report.recipients the flow, the run, the failed task, its error and the run's last log
// lines; at most one alert per flow per alerts.interval-minutes, remembered in the data
// folder's alerts.ini so that the limit survives a restart. Created next to the Engine, on its
// thread; the mail goes out as a MailJob, never blocking that thread.

#include <memory>

#include <QHash>
#include <QObject>
#include <QStringList>

#include "engine/runevents.h"
#include "notify/mailsettings.h"

namespace Sluice {

class Engine;
class MailJob;
class Settings;

class AlertNotifier : public QObject
{
    Q_OBJECT

public:
    static constexpr int LogTailLines = 50;

    // settings must outlive the notifier; it is read on this thread when a run fails.
    AlertNotifier(const QString &dataFolder, const Settings &settings, QObject *parent = nullptr);
    // Cancels the alerts still on their way.
    ~AlertNotifier() override;

    // Observes the engine's runs (the engine must outlive the notifier or be unwatched by
    // destroying the notifier first).
    void watch(const Engine &engine);

    // Blocks until alerts in progress are sent or failed, at most ms; false on timeout. For
    // the CLI before it exits.
    bool waitForIdle(int ms);
    bool isBusy() const { return !m_jobs.isEmpty(); }

    // <data folder>/alerts.ini
    static QString statePath(const QString &dataFolder);

    // The email of a run's alert: exposed for tests and the GUI's preview.
    static QString subject(const RunFinishedEvent &run);
    static QString body(const RunFinishedEvent &run, const QStringList &logTail);

Q_SIGNALS:
    void alertSent(const QString &flowName, qint64 runId, const QStringList &recipients);
    // Rate limit, no recipients, incomplete SMTP settings: why no alert went out.
    void alertSuppressed(const QString &flowName, qint64 runId, const QString &reason);
    void alertFailed(const QString &flowName, qint64 runId, const QString &error);

private:
    void onLogLine(const LogEvent &event);
    void onTaskStateChanged(const TaskStateEvent &event);
    void onRunFinished(const RunFinishedEvent &event);
    void appendTail(qint64 runId, const QString &line);

    QString m_dataFolder;
    const Settings &m_settings;
    QHash<qint64, QStringList> m_tails; // the last log lines of each active run
    QHash<QString, std::shared_ptr<MailJob>> m_jobs; // the alert on its way, by flow
};

} // namespace Sluice
