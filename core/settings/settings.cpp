#include "settings/settings.h"

#include <optional>

#include <QCoreApplication>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSettings>

#include "settings/inichecker.h"
#include "store/storeurl.h"

namespace Sluice {

namespace {

    // "smtp.host" is stored as [smtp] host=… so that settings.ini reads as sections.
    QString iniKey(const QString &key)
    {
        QString k = key;
        const qsizetype dot = k.indexOf(QLatin1Char('.'));
        if (dot > 0)
            k[dot] = QLatin1Char('/');
        return k;
    }

    // The text settings.ini gives for key, as written; nothing when it does not have the key.
    std::optional<QString> writtenText(const QSettings &file, const QString &key)
    {
        const QVariant stored = file.value(iniKey(key));
        if (!stored.isValid())
            return std::nullopt;
        // A hand-written "a@x, b@y" without quotes comes back from QSettings as a list.
        return stored.typeId() == QMetaType::QStringList
            ? stored.toStringList().join(QStringLiteral(","))
            : stored.toString();
    }

    QList<SettingSpec> makeSpecs()
    {
        using T = SettingType;
        QList<SettingSpec> s;
        auto add = [&s](QLatin1String key, T type, QVariant def, const char *label,
                       const char *description) -> SettingSpec & {
            SettingSpec spec;
            spec.key = key;
            spec.type = type;
            spec.defaultValue = std::move(def);
            spec.label = label;
            spec.description = description;
            s.append(spec);
            return s.last();
        };
        add(SettingKey::SmtpHost, T::Host, QString(),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Server"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "SMTP server host name"))
            .example = QT_TRANSLATE_NOOP("Sluice::Settings", "e.g. smtp.example.com");
        auto &port = add(SettingKey::SmtpPort, T::Integer, 587,
            QT_TRANSLATE_NOOP("Sluice::Settings", "Port"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "SMTP server port"));
        port.minimum = 1;
        port.maximum = 65535;
        add(SettingKey::SmtpSecurity, T::Choice, QStringLiteral("starttls"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Security"),
            QT_TRANSLATE_NOOP("Sluice::Settings",
                "Connection security: STARTTLS, implicit TLS, or none (loopback host only)"))
            .choiceLabels = { QT_TRANSLATE_NOOP("Sluice::Settings", "STARTTLS (usually port 587)"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "TLS from the start (usually port 465)"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "None (a server on this computer only)") };
        s.last().choices = { QStringLiteral("starttls"), QStringLiteral("tls"),
            QStringLiteral("none") };
        add(SettingKey::SmtpUser, T::Text, QString(),
            QT_TRANSLATE_NOOP("Sluice::Settings", "User name"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "SMTP account user name"))
            .example = QT_TRANSLATE_NOOP("Sluice::Settings", "often your email address");
        add(SettingKey::SmtpFrom, T::Email, QString(),
            QT_TRANSLATE_NOOP("Sluice::Settings", "From"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Sender address of reports and alerts"))
            .example = QT_TRANSLATE_NOOP("Sluice::Settings", "e.g. sluice@example.com");
        add(SettingKey::ReportRecipients, T::EmailList, QStringList(),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Recipients"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Report and alert recipients, comma-separated"))
            .example =
            QT_TRANSLATE_NOOP("Sluice::Settings", "e.g. ann@example.com, bo@example.com");
        add(SettingKey::AlertsEnabled, T::Boolean, true,
            QT_TRANSLATE_NOOP("Sluice::Settings", "Alerts"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Email an alert when a flow run fails"));
        auto &interval = add(SettingKey::AlertsIntervalMinutes, T::Integer, 15,
            QT_TRANSLATE_NOOP("Sluice::Settings", "Minutes between alerts"),
            QT_TRANSLATE_NOOP(
                "Sluice::Settings", "At most one alert per flow in this many minutes"));
        interval.minimum = 1;
        interval.maximum = 10080;
        add(SettingKey::BinanceUrl, T::Url, QUrl(QStringLiteral("https://api.binance.com")),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Binance URL"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Base URL of the Binance API"))
            .environment = { QStringLiteral("SLUICE_BINANCE_URL") };
        add(SettingKey::MempoolUrl, T::Url, QUrl(QStringLiteral("https://mempool.space")),
            QT_TRANSLATE_NOOP("Sluice::Settings", "mempool.space URL"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Base URL of the mempool.space API"))
            .environment = { QStringLiteral("SLUICE_MEMPOOL_URL") };
        add(SettingKey::Proxy, T::ProxyUrl, QUrl(), QT_TRANSLATE_NOOP("Sluice::Settings", "Proxy"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Proxy for the source APIs"))
            .example = QT_TRANSLATE_NOOP(
            "Sluice::Settings", "none; or e.g. http://proxy:3128 or socks5://proxy:1080");
        s.last().environment = { QStringLiteral("https_proxy"), QStringLiteral("HTTPS_PROXY"),
            QStringLiteral("http_proxy"), QStringLiteral("HTTP_PROXY") };
        auto &timeout = add(SettingKey::TimeoutSeconds, T::Integer, 30,
            QT_TRANSLATE_NOOP("Sluice::Settings", "Request timeout (s)"),
            QT_TRANSLATE_NOOP(
                "Sluice::Settings", "Timeout of one request to a source API, in seconds"));
        timeout.minimum = 1;
        timeout.maximum = 600;
        auto &retryWait = add(SettingKey::MaxRetryWaitSeconds, T::Integer, 60,
            QT_TRANSLATE_NOOP("Sluice::Settings", "Longest wait before a retry (s)"),
            QT_TRANSLATE_NOOP("Sluice::Settings",
                "A source that asks to wait longer than this before the next request "
                "(Retry-After) fails the task at once, in seconds"));
        retryWait.minimum = 0;
        retryWait.maximum = 3600;
        auto &retention = add(SettingKey::RetentionDays, T::Integer, 90,
            QT_TRANSLATE_NOOP("Sluice::Settings", "Keep run history (days)"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Days of run history to keep"));
        retention.minimum = 1;
        retention.maximum = 36500;
        add(SettingKey::StoreUrl, T::StoreUrl, QStringLiteral("sqlite"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Run store"),
            QT_TRANSLATE_NOOP("Sluice::Settings",
                "Where the run history and queue live: sqlite (in the data folder) or a "
                "PostgreSQL URL shared by a fleet of sluice serve workers"))
            .environment = { QStringLiteral("SLUICE_STORE") };
        s.last().example = QT_TRANSLATE_NOOP(
            "Sluice::Settings", "sqlite, or postgresql://user@host:5432/database");
        add(SettingKey::Language, T::Choice, QStringLiteral("system"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Language"),
            QT_TRANSLATE_NOOP("Sluice::Settings", "Language of the user interface"))
            .choices = { QStringLiteral("system"), QStringLiteral("en"), QStringLiteral("zh_CN") };
        // Each language by its own name, as a user looking for theirs would read it.
        s.last().choiceLabels = { QT_TRANSLATE_NOOP("Sluice::Settings", "The system's language"),
            "English", "中文（简体）" };
        add(SettingKey::KeepInTray, T::Boolean, false,
            QT_TRANSLATE_NOOP("Sluice::Settings", "Tray"),
            QT_TRANSLATE_NOOP(
                "Sluice::Settings", "Keep running in the tray when the window closes"));
        add(SettingKey::StartInTray, T::Boolean, false,
            QT_TRANSLATE_NOOP("Sluice::Settings", "Start"),
            QT_TRANSLATE_NOOP("Sluice::Settings",
                "Start minimised to the tray, the window hidden until the tray icon is clicked"));
        return s;
    }

    Error invalid(const SettingSpec &spec, const QString &text)
    {
        const QString shown =
            spec.type == SettingType::ProxyUrl || spec.type == SettingType::StoreUrl
            ? Settings::maskPassword(text)
            : text;
        return Error{ Settings::tr("must be %1, not \"%2\"").arg(spec.allowedText(), shown),
            spec.key };
    }

    bool isEmail(const QString &text)
    {
        static const QRegularExpression re(QStringLiteral(R"(^[^@\s,;<>"]+@[^@\s,;<>"]+$)"));
        return re.match(text).hasMatch();
    }

    bool isHostName(const QString &text)
    {
        static const QRegularExpression re(
            QStringLiteral(R"(^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
                           R"((?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$)"));
        return re.match(text).hasMatch() || !QHostAddress(text).isNull();
    }

    Result<bool> parseBoolean(const QString &text)
    {
        const QString t = text.trimmed().toLower();
        if (t == u"true" || t == u"yes" || t == u"on" || t == u"1")
            return true;
        if (t == u"false" || t == u"no" || t == u"off" || t == u"0")
            return false;
        return Error{};
    }

} // namespace

QString SettingSpec::translatedLabel() const
{
    return QCoreApplication::translate("Sluice::Settings", label);
}

QString SettingSpec::translatedDescription() const
{
    return QCoreApplication::translate("Sluice::Settings", description);
}

QString SettingSpec::choiceText(const QString &choice) const
{
    const qsizetype index = choices.indexOf(choice);
    if (index < 0 || index >= choiceLabels.size())
        return choice;
    return QCoreApplication::translate("Sluice::Settings", choiceLabels.at(index));
}

QString SettingSpec::placeholderText() const
{
    if (*example)
        return QCoreApplication::translate("Sluice::Settings", example);
    return type == SettingType::Text ? QString() : allowedText();
}

QString SettingSpec::allowedText() const
{
    switch (type) {
    case SettingType::Text:
        return tr("a single line of text");
    case SettingType::Host:
        return tr("a host name or IP address");
    case SettingType::Integer:
        return tr("a whole number from %1 to %2").arg(minimum).arg(maximum);
    case SettingType::Boolean:
        return tr("true or false");
    case SettingType::Choice:
        return tr("one of %1").arg(choices.join(QStringLiteral(", ")));
    case SettingType::Url:
        return tr("an http:// or https:// URL");
    case SettingType::ProxyUrl:
        return tr("empty or a proxy URL such as http://host:3128 or socks5://host:1080");
    case SettingType::Email:
        return tr("an email address");
    case SettingType::EmailList:
        return tr("a comma-separated list of email addresses");
    case SettingType::StoreUrl:
        return tr("sqlite or postgresql://user[:password]@host[:port]/database");
    }
    return {};
}

const QList<SettingSpec> &Settings::specs()
{
    static const QList<SettingSpec> all = makeSpecs();
    return all;
}

const SettingSpec *Settings::spec(const QString &key)
{
    for (const SettingSpec &s : specs()) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

Result<QVariant> Settings::parse(const QString &key, const QString &rawText)
{
    const SettingSpec *s = spec(key);
    if (!s) {
        QStringList keys;
        for (const SettingSpec &each : specs())
            keys << each.key;
        return Error{
            tr("unknown setting; the settings are %1").arg(keys.join(QStringLiteral(", "))), key
        };
    }
    const QString text = rawText.trimmed();
    if (text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r')))
        return invalid(*s, text);

    switch (s->type) {
    case SettingType::Text:
        return QVariant(text);
    case SettingType::Host:
        if (text.isEmpty() || isHostName(text))
            return QVariant(text);
        return invalid(*s, text);
    case SettingType::Integer: {
        bool ok = false;
        const int n = text.toInt(&ok);
        if (!ok || n < s->minimum || n > s->maximum)
            return invalid(*s, text);
        return QVariant(n);
    }
    case SettingType::Boolean: {
        const Result<bool> b = parseBoolean(text);
        if (!b)
            return invalid(*s, text);
        return QVariant(*b);
    }
    case SettingType::Choice:
        for (const QString &choice : s->choices) {
            if (choice.compare(text, Qt::CaseInsensitive) == 0)
                return QVariant(choice);
        }
        return invalid(*s, text);
    case SettingType::Url: {
        QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != u"http" && url.scheme() != u"https"))
            return invalid(*s, text);
        // Every trailing slash: "http://host//" read back must be the same value.
        QString path = url.path();
        while (path.endsWith(QLatin1Char('/')))
            path.chop(1);
        url.setPath(path);
        return QVariant(url);
    }
    case SettingType::ProxyUrl: {
        if (text.isEmpty())
            return QVariant(QUrl());
        const QString withScheme =
            text.contains(QStringLiteral("://")) ? text : QStringLiteral("http://") + text;
        const QUrl url(withScheme, QUrl::StrictMode);
        static const QStringList schemes = { QStringLiteral("http"), QStringLiteral("https"),
            QStringLiteral("socks5"), QStringLiteral("socks5h") };
        if (!url.isValid() || url.host().isEmpty() || !schemes.contains(url.scheme()))
            return invalid(*s, text);
        return QVariant(url);
    }
    case SettingType::StoreUrl: {
        Result<Sluice::StoreUrl> url = Sluice::StoreUrl::parse(text, s->key);
        if (!url)
            return url.error();
        // Kept as written (the password, if any, with it): the URL is read again where used.
        return QVariant(url->isPostgres() ? text : QStringLiteral("sqlite"));
    }
    case SettingType::Email:
        if (text.isEmpty() || isEmail(text))
            return QVariant(text);
        return invalid(*s, text);
    case SettingType::EmailList: {
        QStringList addresses;
        for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString address = part.trimmed();
            if (address.isEmpty())
                continue;
            if (!isEmail(address))
                return Error{
                    tr("\"%1\" is not an email address; must be %2").arg(address, s->allowedText()),
                    s->key
                };
            addresses << address;
        }
        return QVariant(addresses);
    }
    }
    return invalid(*s, text);
}

QString Settings::toText(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::QStringList:
        return value.toStringList().join(QStringLiteral(", "));
    case QMetaType::QUrl:
        return value.toUrl().toString();
    default:
        return value.toString();
    }
}

QString Settings::maskPassword(const QString &proxyText)
{
    // [scheme://]user:password@host: the password runs from the first ':' after the scheme to
    // the last '@'. Masking too much is harmless; printing a password is not.
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*://"));
    const QRegularExpressionMatch match = scheme.match(proxyText);
    const qsizetype start = match.hasMatch() ? match.capturedEnd() : 0;
    const qsizetype at = proxyText.lastIndexOf(QLatin1Char('@'));
    if (at < start)
        return proxyText;
    const qsizetype colon = proxyText.indexOf(QLatin1Char(':'), start);
    if (colon < 0 || colon + 1 >= at)
        return proxyText;
    return proxyText.left(colon + 1) + QStringLiteral("***") + proxyText.mid(at);
}

bool Settings::isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

Settings::Settings(const QString &iniPath, QObject *parent)
    : Settings(
        iniPath,
        [] {
            QMap<QString, QString> env;
            const QProcessEnvironment pe = QProcessEnvironment::systemEnvironment();
            for (const QString &name : pe.keys())
                env.insert(name, pe.value(name));
            return env;
        }(),
        parent)
{ }

Settings::Settings(
    const QString &iniPath, const QMap<QString, QString> &environment, QObject *parent)
    : QObject(parent)
    , m_path(QFileInfo(iniPath).absoluteFilePath())
    , m_fileStatus(IniChecker::checkFile(m_path))
    // A folder, FIFO or device in its place is not opened at all (reading a FIFO blocks):
    // QSettings then reads nothing, and nothing is written while the check fails.
    , m_file(std::make_unique<QSettings>(
          IniChecker::isSafeToOpen(m_path) ? m_path : QString(), QSettings::IniFormat))
{
    for (const SettingSpec &s : specs()) {
        for (const QString &variable : s.environment) {
            const QString text = environment.value(variable);
            if (text.isEmpty())
                continue;
            const Result<QVariant> parsed = parse(s.key, text);
            if (parsed) {
                m_environment.insert(s.key, { variable, *parsed });
                break;
            }
            m_environmentWarnings << tr("%1 ignored: %2").arg(variable, parsed.error().message());
            if (!m_environmentErrors.contains(s.key))
                m_environmentErrors.insert(s.key, Error{ parsed.error().what, variable });
        }
    }
    publishValues();
    watchFile();
}

Settings::~Settings() = default;

// Another process (`sluice config set`, a second window) may rewrite settings.ini: follow it.
// Saving replaces the file (QSettings writes a new one and renames it), so the folder is
// watched too, and the file again whenever it is back.
void Settings::watchFile()
{
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!m_watcher) {
        if (!QFileInfo(folder).isDir())
            return;
        m_watcher = new QFileSystemWatcher(this);
        connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &Settings::reloadFile);
        connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &Settings::reloadFile);
        m_watcher->addPath(folder);
    }
    if (QFileInfo(m_path).isFile() && !m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
}

// Reads settings.ini again as the constructor does, and emits changed() for every effective
// value that differs from the last one published. The folder also changes when other files in
// it do; nothing is emitted then.
void Settings::reloadFile()
{
    watchFile();
    m_fileStatus = IniChecker::checkFile(m_path);
    m_file = std::make_unique<QSettings>(
        IniChecker::isSafeToOpen(m_path) ? m_path : QString(), QSettings::IniFormat);
    for (const QString &key : publishValues())
        Q_EMIT changed(key);
}

// Compared with the last values published, not with what m_file held before: in one process
// every QSettings on a file shares what it read, so another object's write shows at once.
QStringList Settings::publishValues()
{
    QStringList changedKeys;
    for (const SettingSpec &s : specs()) {
        const QVariant now = value(s.key);
        if (m_published.value(s.key) != now) {
            m_published.insert(s.key, now);
            changedKeys << s.key;
        }
    }
    if (changedKeys.isEmpty())
        return changedKeys;
    SettingValues values;
    values.smtpHost = smtpHost();
    values.smtpPort = smtpPort();
    values.smtpSecurity = smtpSecurity();
    values.smtpUser = smtpUser();
    values.smtpFrom = smtpFrom();
    values.reportRecipients = reportRecipients();
    values.alertsEnabled = alertsEnabled();
    values.alertsIntervalMinutes = alertsIntervalMinutes();
    values.binanceUrl = binanceUrl();
    values.mempoolUrl = mempoolUrl();
    values.proxy = proxy();
    values.timeoutSeconds = timeoutSeconds();
    values.maxRetryWaitSeconds = maxRetryWaitSeconds();
    values.retentionDays = retentionDays();
    values.language = language();
    values.keepInTray = keepInTray();
    values.startInTray = startInTray();
    std::lock_guard lock(m_valuesMutex);
    m_values = std::move(values);
    return changedKeys;
}

SettingValues Settings::values() const
{
    std::lock_guard lock(m_valuesMutex);
    return m_values;
}

QString Settings::filePath() const
{
    return m_path;
}

QVariant Settings::fileValue(const SettingSpec &spec) const
{
    const std::optional<QString> text = writtenText(*m_file, spec.key);
    if (!text)
        return {};
    const Result<QVariant> parsed = parse(spec.key, *text);
    return parsed ? *parsed : QVariant();
}

QVariant Settings::value(const QString &key) const
{
    const SettingSpec *s = spec(key);
    Q_ASSERT_X(s, "Settings::value", qPrintable(key));
    if (!s)
        return {};
    if (auto it = m_environment.constFind(key); it != m_environment.constEnd())
        return it->second;
    const QVariant stored = fileValue(*s);
    return stored.isValid() ? stored : s->defaultValue;
}

Settings::Source Settings::source(const QString &key) const
{
    if (m_environment.contains(key))
        return Source::Environment;
    const SettingSpec *s = spec(key);
    if (s && fileValue(*s).isValid())
        return Source::File;
    return Source::Default;
}

QString Settings::displayText(const QString &key) const
{
    const SettingSpec *s = spec(key);
    const QString shown = text(key);
    return s && (s->type == SettingType::ProxyUrl || s->type == SettingType::StoreUrl)
        ? maskPassword(shown)
        : shown;
}

QString Settings::sourceText(const QString &key) const
{
    switch (source(key)) {
    case Source::Environment:
        return tr("environment %1").arg(m_environment.value(key).first);
    case Source::File:
        return QFileInfo(filePath()).fileName();
    case Source::Default:
        break;
    }
    return tr("default");
}

QStringList Settings::warnings() const
{
    QStringList all = m_environmentWarnings;
    // A file that cannot be read as written gets one warning, not one a garbled value.
    if (!m_fileStatus) {
        all.prepend(tr("%1; Sluice goes on with the defaults for what it could not read, and "
                       "leaves the file unchanged until it is fixed or removed")
                        .arg(m_fileStatus.error().message()));
        return all;
    }
    for (const SettingSpec &s : specs()) {
        const std::optional<QString> text = writtenText(*m_file, s.key);
        if (!text)
            continue;
        const Result<QVariant> parsed = parse(s.key, *text);
        if (!parsed)
            all << tr("%1: ignored, using the default: %2")
                       .arg(filePath(), parsed.error().message());
    }
    return all;
}

Result<void> Settings::checkGiven(const QString &key) const
{
    if (m_environment.contains(key))
        return {};
    if (auto it = m_environmentErrors.constFind(key); it != m_environmentErrors.constEnd())
        return *it;
    if (!m_fileStatus)
        return m_fileStatus.error();
    const std::optional<QString> text = writtenText(*m_file, key);
    if (!text)
        return {};
    const Result<QVariant> parsed = parse(key, *text);
    if (!parsed)
        return Error{ parsed.error().what, QStringLiteral("%1 (%2)").arg(filePath(), key),
            parsed.error().code };
    return {};
}

SmtpSecurity Settings::smtpSecurity() const
{
    const QString mode = value(SettingKey::SmtpSecurity).toString();
    if (mode == u"tls")
        return SmtpSecurity::Tls;
    if (mode == u"none")
        return SmtpSecurity::None;
    return SmtpSecurity::StartTls;
}

Result<void> Settings::checkCombination(const QMap<QString, QVariant> &pending) const
{
    auto effective = [&](const QString &key) {
        return pending.contains(key) ? pending.value(key) : value(key);
    };
    const QString security = effective(SettingKey::SmtpSecurity).toString();
    const QString host = effective(SettingKey::SmtpHost).toString();
    if (security == u"none" && !host.isEmpty() && !isLoopbackHost(host)) {
        return Error{ tr("\"none\" (plain SMTP without encryption) is allowed only for a loopback "
                         "host such as localhost or 127.0.0.1, and %1 is %2")
                          .arg(QString(SettingKey::SmtpHost), host),
            SettingKey::SmtpSecurity };
    }
    return {};
}

Result<void> Settings::setText(const QString &key, const QString &text)
{
    return setTexts({ { key, text } });
}

Result<void> Settings::setTexts(const QMap<QString, QString> &changes)
{
    QMap<QString, QVariant> pending;
    for (auto it = changes.cbegin(); it != changes.cend(); ++it) {
        Result<QVariant> parsed = parse(it.key(), it.value());
        if (!parsed)
            return parsed.error();
        pending.insert(it.key(), *parsed);
    }
    if (Result<void> ok = checkCombination(pending); !ok)
        return ok;
    if (Result<void> ok = checkFileBeforeWrite(); !ok)
        return ok;

    QStringList changed;
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        const SettingSpec *s = spec(it.key());
        if (fileValue(*s) == *it && m_file->contains(iniKey(it.key())))
            continue;
        m_file->setValue(iniKey(it.key()), toText(*it));
        changed << it.key();
    }
    if (Result<void> ok = syncFile(); !ok)
        return ok;
    watchFile();
    // Saving read the file again: what another process changed meanwhile is told too.
    for (const QString &key : publishValues()) {
        if (!changed.contains(key))
            changed << key;
    }
    for (const QString &key : std::as_const(changed))
        Q_EMIT this->changed(key);
    return {};
}

Result<void> Settings::unset(const QString &key)
{
    if (!spec(key))
        return parse(key, QString()).error();
    if (Result<void> ok = checkFileBeforeWrite(); !ok)
        return ok;
    if (!m_file->contains(iniKey(key)))
        return {};
    QMap<QString, QVariant> pending{ { key, spec(key)->defaultValue } };
    if (Result<void> ok = checkCombination(pending); !ok)
        return ok;
    m_file->remove(iniKey(key));
    if (Result<void> ok = syncFile(); !ok)
        return ok;
    QStringList changed{ key };
    for (const QString &other : publishValues()) {
        if (other != key)
            changed << other;
    }
    for (const QString &each : std::as_const(changed))
        Q_EMIT this->changed(each);
    return {};
}

// settings.ini is written whole on each change, from what QSettings read of it: a file it
// could not read as written would lose the rest. Such a file is left exactly as it is.
Result<void> Settings::checkFileBeforeWrite()
{
    m_fileStatus = IniChecker::checkFile(m_path);
    if (!m_fileStatus)
        return Error{ tr("%1; nothing was changed: Sluice rewrites only a settings file it can "
                         "read in full, so fix or remove it first")
                          .arg(m_fileStatus.error().what),
            m_path, ErrorCode::Permanent };
    // Opened over nothing at the start, or it met the file broken: QSettings' status sticks,
    // so read the file afresh.
    if (m_file->fileName().isEmpty() || m_file->status() != QSettings::NoError)
        m_file = std::make_unique<QSettings>(m_path, QSettings::IniFormat);
    return {};
}

Result<void> Settings::syncFile()
{
    m_file->sync();
    switch (m_file->status()) {
    case QSettings::NoError:
        return {};
    case QSettings::AccessError:
        return Error{ tr("could not write the settings file (permission denied or disk full)"),
            filePath() };
    case QSettings::FormatError:
        return Error{ tr("the settings file is not a valid INI file; fix or remove it"),
            filePath() };
    }
    return {};
}

} // namespace Sluice
