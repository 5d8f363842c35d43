#pragma once

// Typed settings of one data folder, over settings.ini (QSettings, IniFormat). Every key, its
// type and default is written once, in the table in settings.cpp. One live object per process
// (Instance owns it), handed down by reference; it follows settings.ini when another process
// changes it and says so with changed().
//
// Threads: the object lives on the thread that created it, and everything but values() is for
// that thread only. values() may be called from any thread: it copies a plain SettingValues,
// refreshed on the owner thread after every change and guarded by a mutex. A flow's task takes
// that copy when it starts and reads nothing else, so a change applies from the next task on.

#include <QCoreApplication>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QVariant>

#include <memory>
#include <mutex>

#include "engine/result.h"

class QFileSystemWatcher;
class QSettings;

namespace Sluice {

namespace SettingKey {
    inline constexpr QLatin1String SmtpHost{ "smtp.host" };
    inline constexpr QLatin1String SmtpPort{ "smtp.port" };
    inline constexpr QLatin1String SmtpSecurity{ "smtp.security" };
    inline constexpr QLatin1String SmtpUser{ "smtp.user" };
    inline constexpr QLatin1String SmtpFrom{ "smtp.from" };
    inline constexpr QLatin1String ReportRecipients{ "report.recipients" };
    inline constexpr QLatin1String AlertsEnabled{ "alerts.enabled" };
    inline constexpr QLatin1String AlertsIntervalMinutes{ "alerts.interval-minutes" };
    inline constexpr QLatin1String BinanceUrl{ "sources.binance-url" };
    inline constexpr QLatin1String MempoolUrl{ "sources.mempool-url" };
    inline constexpr QLatin1String Proxy{ "sources.proxy" };
    inline constexpr QLatin1String TimeoutSeconds{ "sources.timeout-seconds" };
    inline constexpr QLatin1String MaxRetryWaitSeconds{ "sources.max-retry-wait-seconds" };
    inline constexpr QLatin1String RetentionDays{ "history.retention-days" };
    inline constexpr QLatin1String StoreUrl{ "store.url" };
    inline constexpr QLatin1String Language{ "ui.language" };
    inline constexpr QLatin1String KeepInTray{ "ui.keep-in-tray" };
    inline constexpr QLatin1String StartInTray{ "ui.start-in-tray" };
} // namespace SettingKey

enum class SettingType {
    Text,
    Host,
    Integer,
    Boolean,
    Choice,
    Url,
    ProxyUrl,
    Email,
    EmailList,
    StoreUrl, // "sqlite" or a postgresql:// URL (StoreUrl); its password is never shown
};

// What a key is: its type, default, allowed values and which environment variables override it.
struct SettingSpec
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::SettingSpec)

public:
    QString key;
    SettingType type = SettingType::Text;
    QVariant defaultValue;
    const char *label = ""; // short, for a form; translated in "Sluice::Settings"
    const char *description = ""; // one sentence; translated in "Sluice::Settings"
    int minimum = 0;
    int maximum = 0;
    QStringList choices;
    // What each choice reads as in a form, in the order of `choices`; translated in
    // "Sluice::Settings" (a language's own name is not translated).
    QList<const char *> choiceLabels;
    // A sample value for an empty field ("smtp.example.com"); translated in "Sluice::Settings".
    const char *example = "";
    QStringList environment;

    QString section() const { return key.section(QLatin1Char('.'), 0, 0); }
    QString translatedLabel() const;
    QString translatedDescription() const;
    QString allowedText() const; // "a whole number from 1 to 65535", translated
    // What a choice reads as in a form; the choice itself when it has no label.
    QString choiceText(const QString &choice) const;
    // What an empty field shows: the example, else the allowed values (nothing for plain text).
    QString placeholderText() const;
};

enum class SmtpSecurity { StartTls, Tls, None };

// The effective value of every setting at one moment, as a plain value that any thread may
// keep: what Settings::values() returns. Defaults as in the table in settings.cpp.
struct SettingValues
{
    QString smtpHost;
    int smtpPort = 587;
    SmtpSecurity smtpSecurity = SmtpSecurity::StartTls;
    QString smtpUser;
    QString smtpFrom;
    QStringList reportRecipients;
    bool alertsEnabled = true;
    int alertsIntervalMinutes = 15;
    QUrl binanceUrl;
    QUrl mempoolUrl;
    QUrl proxy;
    int timeoutSeconds = 30;
    int maxRetryWaitSeconds = 60;
    int retentionDays = 90;
    QString language;
    bool keepInTray = false;
    bool startInTray = false;
};

class Settings : public QObject
{
    Q_OBJECT

public:
    // Where an effective value comes from; the first that has the key wins.
    enum class Source { Environment, File, Default };

    // environment: the process environment by default; tests pass their own.
    explicit Settings(const QString &iniPath, QObject *parent = nullptr);
    Settings(const QString &iniPath, const QMap<QString, QString> &environment,
        QObject *parent = nullptr);
    ~Settings() override;

    static const QList<SettingSpec> &specs();
    static const SettingSpec *spec(const QString &key);
    // Validates text for key and returns the value in its canonical form.
    static Result<QVariant> parse(const QString &key, const QString &text);
    static QString toText(const QVariant &value);
    // A proxy URL as it may be shown or logged: "http://user:***@host:3128". Also for text
    // that is not a valid URL; text without a password comes back as it is.
    static QString maskPassword(const QString &proxyText);
    static bool isLoopbackHost(const QString &host);

    QString filePath() const;

    QVariant value(const QString &key) const;
    QString text(const QString &key) const { return toText(value(key)); }
    // text() for printing and logs: a proxy's password masked.
    QString displayText(const QString &key) const;
    Source source(const QString &key) const;
    QString sourceText(const QString &key) const; // "default", "settings.ini", "env SLUICE_…"
    // Problems met reading the environment and the file (values ignored, with why).
    QStringList warnings() const;
    // Why the value the environment or settings.ini gives for key is not in force (it did not
    // read, so the default is): for settings whose default must not stand in for a mistake
    // (store.url). Nothing when the value given is used, or none is given.
    Result<void> checkGiven(const QString &key) const;
    // Whether settings.ini could be read as written (checked when opened and before each
    // change): an Error (where: the file) saying what is wrong when not. Such a file is never
    // rewritten: setText(), setTexts() and unset() refuse while it stays that way.
    Result<void> fileStatus() const { return m_fileStatus; }

    // Validate and store in settings.ini. Keys are checked together, so that a change of
    // smtp.host and smtp.security that is only valid as a pair can be made at once.
    Result<void> setText(const QString &key, const QString &text);
    Result<void> setTexts(const QMap<QString, QString> &changes);
    Result<void> unset(const QString &key);

    // Every effective value at once; any thread (see the class comment).
    SettingValues values() const;

    // Typed accessors (effective values).
    QString smtpHost() const { return value(SettingKey::SmtpHost).toString(); }
    int smtpPort() const { return value(SettingKey::SmtpPort).toInt(); }
    SmtpSecurity smtpSecurity() const;
    QString smtpUser() const { return value(SettingKey::SmtpUser).toString(); }
    QString smtpFrom() const { return value(SettingKey::SmtpFrom).toString(); }
    QStringList reportRecipients() const
    {
        return value(SettingKey::ReportRecipients).toStringList();
    }
    bool alertsEnabled() const { return value(SettingKey::AlertsEnabled).toBool(); }
    int alertsIntervalMinutes() const { return value(SettingKey::AlertsIntervalMinutes).toInt(); }
    QUrl binanceUrl() const { return value(SettingKey::BinanceUrl).toUrl(); }
    QUrl mempoolUrl() const { return value(SettingKey::MempoolUrl).toUrl(); }
    QUrl proxy() const { return value(SettingKey::Proxy).toUrl(); }
    int timeoutSeconds() const { return value(SettingKey::TimeoutSeconds).toInt(); }
    int maxRetryWaitSeconds() const { return value(SettingKey::MaxRetryWaitSeconds).toInt(); }
    int retentionDays() const { return value(SettingKey::RetentionDays).toInt(); }
    QString language() const { return value(SettingKey::Language).toString(); }
    bool keepInTray() const { return value(SettingKey::KeepInTray).toBool(); }
    bool startInTray() const { return value(SettingKey::StartInTray).toBool(); }

    Result<void> setKeepInTray(bool on) { return setText(SettingKey::KeepInTray, toText(on)); }

Q_SIGNALS:
    // An effective value changed: set here, or in settings.ini by another process.
    void changed(const QString &key);

private:
    void watchFile();
    void reloadFile();
    QStringList publishValues();
    QVariant fileValue(const SettingSpec &spec) const;
    Result<void> checkCombination(const QMap<QString, QVariant> &pending) const;
    Result<void> checkFileBeforeWrite();
    Result<void> syncFile();

    QString m_path;
    Result<void> m_fileStatus;
    std::unique_ptr<QSettings> m_file;
    QFileSystemWatcher *m_watcher = nullptr;
    QMap<QString, QPair<QString, QVariant>> m_environment; // key -> (variable, value)
    QStringList m_environmentWarnings;
    QMap<QString, Error> m_environmentErrors; // key -> why its variable was ignored
    QMap<QString, QVariant> m_published; // the effective values when m_values was made
    mutable std::mutex m_valuesMutex; // guards m_values
    SettingValues m_values;
};

} // namespace Sluice
