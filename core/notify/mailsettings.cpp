#include "notify/mailsettings.h"

#include "notify/credentialstore.h"

namespace Sluice {

MailSettings MailSettings::fromSettings(const SettingValues &values)
{
    MailSettings mail;
    mail.host = values.smtpHost;
    mail.port = values.smtpPort;
    mail.security = values.smtpSecurity;
    mail.user = values.smtpUser;
    mail.from = values.smtpFrom;
    return mail;
}

Result<void> MailSettings::loadPassword(
    const CredentialStore &store, std::chrono::milliseconds timeout)
{
    password.clear();
    if (user.isEmpty())
        return {};
    Result<CredentialStore::Lookup> lookup = store.read(timeout);
    if (!lookup)
        return lookup.error();
    if (lookup->location == CredentialLocation::None) {
        QString what = tr("smtp.user is \"%1\" but no SMTP password is stored; store it with "
                          "\"sluice config set-password\"")
                           .arg(user);
        if (!lookup->keyringProblem.isEmpty())
            what += QStringLiteral(" (") + tr("no keyring answered: %1").arg(lookup->keyringProblem)
                + QLatin1Char(')');
        return Error{ what, where() };
    }
    password = lookup->password;
    return {};
}

QString MailSettings::where() const
{
    const QString scheme =
        security == SmtpSecurity::Tls ? QStringLiteral("smtps") : QStringLiteral("smtp");
    const QString name =
        host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return scheme + QStringLiteral("://") + name + QLatin1Char(':') + QString::number(port);
}

Result<void> MailSettings::check() const
{
    if (host.isEmpty())
        return Error{ tr("no SMTP server is set (smtp.host)"), QStringLiteral("smtp.host") };
    if (port < 1 || port > 65535)
        return Error{ tr("the SMTP port %1 is not between 1 and 65535").arg(port), where() };
    if (from.isEmpty())
        return Error{ tr("no sender address is set (smtp.from)"), QStringLiteral("smtp.from") };
    if (security == SmtpSecurity::None && !Settings::isLoopbackHost(host)) {
        return Error{ tr("plain SMTP without encryption (smtp.security \"none\") is allowed only "
                         "for a loopback host such as localhost or 127.0.0.1, not %1; nothing "
                         "was sent")
                          .arg(host),
            where() };
    }
    return {};
}

} // namespace Sluice
