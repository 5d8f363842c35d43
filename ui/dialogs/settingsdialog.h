#pragma once

// Edits the settings of the data folder, a tab a section, each field built from the key's
// spec, plus the SMTP password (kept by the credential store, never in settings.ini) and a
// "Send test email" button that sends on a worker thread. Each field is checked as it is
// typed and all together on OK; an invalid field is marked and explained and the dialog stays
// open. GUI thread.

#include <memory>
#include <optional>

#include <QDialog>
#include <QMap>

#include "notify/credentialstore.h"

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;

namespace Sluice {

class MailJob;
class Settings;

class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(
        Settings *settings, const QString &dataFolder, QWidget *parent = nullptr);

    // The editor of a key (QLineEdit, QSpinBox, QCheckBox or QComboBox), for tests.
    QWidget *editor(const QString &key) const { return m_editors.value(key); }
    QString errorText() const;
    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *passwordFileBox() const { return m_passwordFile; }
    QLabel *passwordLocationLabel() const { return m_passwordLocation; }
    QPushButton *testButton() const { return m_test; }
    QLabel *testResultLabel() const { return m_testResult; }
    // Whether a test email is being sent or the password being stored.
    bool isBusy() const;
    // Overrides the CA certificates of test emails (tests trust a self-signed server).
    void setCaCertificatesFile(const QString &path) { m_caFile = path; }

    void accept() override;
    ~SettingsDialog() override;

Q_SIGNALS:
    // A test email was sent (ok) or failed (the message quotes the server).
    void testFinished(bool ok, const QString &message);
    // The password was stored, or could not be.
    void passwordStored(bool ok, const QString &message);

private:
    QWidget *createPasswordRow();
    QString editorText(const QString &key) const;
    void checkField(const QString &key);
    void markInvalid(const QString &key, const QString &message);
    void clearMarks();
    void sendTestEmail();
    void storePassword(CredentialLocation where);
    void showPasswordLocation();

    Settings *m_settings;
    QTabWidget *m_tabs;
    QMap<QString, QWidget *> m_editors;
    QLabel *m_error;
    QDialogButtonBox *m_buttons = nullptr;
    QLineEdit *m_password = nullptr;
    QCheckBox *m_passwordFile = nullptr;
    QLabel *m_passwordLocation = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
    std::optional<CredentialStore> m_credentials;
    std::shared_ptr<MailJob> m_mailer; // the test email on its way
    bool m_storing = false;
    QString m_caFile;
    QString m_errorKey; // the field m_error speaks of
};

} // namespace Sluice
