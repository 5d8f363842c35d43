#pragma once

// The SMTP account mail is sent with, as a plain value: built from Settings' values, completed
// with the password from the credential store, then copied to the worker thread that sends. Holds
// the password: never log or print it.

#include <QCoreApplication>
#include <QString>

#include <chrono>

#include "engine/result.h"
#include "settings/settings.h"

namespace Sluice {

class CredentialStore;

struct MailSettings
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::MailSettings)

public:
    QString host;
    int port = 587;
    SmtpSecurity security = SmtpSecurity::StartTls;
    QString user; // empty: no AUTH
    QString password;
    QString from;
    int connectTimeoutSeconds = 30;
    int timeoutSeconds = 300; // the whole exchange, attachments included; 0: no limit
    QString caCertificatesFile; // PEM trust anchors instead of the system's; empty: the system's

    // Copies the smtp.* settings (no password).
    static MailSettings fromSettings(const SettingValues &values);
    // The same from the live settings as they are now; any thread (Settings::values()).
    static MailSettings fromSettings(const Settings &settings)
    {
        return fromSettings(settings.values());
    }

    // Reads the password from the credential store (blocking; any thread but the keyring's).
    // Without smtp.user nothing is read. Fails when a user is set and no password is stored,
    // saying where it looked.
    Result<void> loadPassword(
        const CredentialStore &store, std::chrono::milliseconds timeout = std::chrono::seconds(30));

    // "smtp://mail.example.org:587", "smtps://[::1]:465": where errors happen.
    QString where() const;
    // The settings are complete and allowed: a host, a sender, and plain SMTP only to a
    // loopback host.
    Result<void> check() const;
};

} // namespace Sluice
