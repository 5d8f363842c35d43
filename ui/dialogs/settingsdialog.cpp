#include "dialogs/settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include "engine/displaytext.h"
#include "notify/mailjob.h"
#include "notify/mailmessage.h"
#include "notify/mailsettings.h"
#include "settings/datafolder.h"
#include "settings/settings.h"

namespace Sluice {

namespace {

    // Sections of the dialog in order, and which key prefixes each holds.
    struct Section
    {
        const char *title;
        QStringList prefixes;
    };

    QList<Section> sections()
    {
        return {
            { QT_TRANSLATE_NOOP("Sluice::SettingsDialog", "Email"),
                { QStringLiteral("smtp"), QStringLiteral("report") } },
            { QT_TRANSLATE_NOOP("Sluice::SettingsDialog", "Alerts"), { QStringLiteral("alerts") } },
            { QT_TRANSLATE_NOOP("Sluice::SettingsDialog", "Sources"),
                { QStringLiteral("sources") } },
            { QT_TRANSLATE_NOOP("Sluice::SettingsDialog", "Data"), { QStringLiteral("history") } },
            { QT_TRANSLATE_NOOP("Sluice::SettingsDialog", "General"), { QStringLiteral("ui") } },
        };
    }

} // namespace

SettingsDialog::SettingsDialog(Settings *settings, const QString &dataFolder, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_tabs(new QTabWidget)
    , m_error(new QLabel)
{
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));

    for (const Section &section : sections()) {
        auto *page = new QWidget;
        auto *form = new QFormLayout(page);
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
        for (const SettingSpec &spec : Settings::specs()) {
            if (!section.prefixes.contains(spec.section()))
                continue;
            QWidget *editor = nullptr;
            const QVariant value = settings->value(spec.key);
            switch (spec.type) {
            case SettingType::Integer: {
                auto *spin = new QSpinBox;
                spin->setRange(spec.minimum, spec.maximum);
                spin->setValue(value.toInt());
                editor = spin;
                break;
            }
            case SettingType::Boolean: {
                auto *check = new QCheckBox(spec.translatedDescription());
                check->setChecked(value.toBool());
                editor = check;
                break;
            }
            case SettingType::Choice: {
                auto *combo = new QComboBox;
                for (const QString &choice : spec.choices)
                    combo->addItem(spec.choiceText(choice), choice);
                combo->setCurrentIndex(combo->findData(value.toString()));
                editor = combo;
                break;
            }
            default: {
                auto *line = new QLineEdit(Settings::toText(value));
                line->setPlaceholderText(spec.placeholderText());
                line->setClearButtonEnabled(true);
                line->setMinimumWidth(fontMetrics().averageCharWidth() * 40);
                editor = line;
                break;
            }
            }
            editor->setObjectName(spec.key);
            editor->setToolTip(
                QStringLiteral("%1 (%2)").arg(spec.translatedDescription(), spec.key));
            if (settings->source(spec.key) == Settings::Source::Environment) {
                editor->setEnabled(false);
                editor->setToolTip(
                    tr("Set by the %1; change it there.").arg(settings->sourceText(spec.key)));
            }
            m_editors.insert(spec.key, editor);
            form->addRow(spec.translatedLabel() + QLatin1Char(':'), editor);
            if (auto *line = qobject_cast<QLineEdit *>(editor)) {
                connect(line, &QLineEdit::textChanged, this,
                    [this, key = spec.key] { checkField(key); });
            }
            if (spec.key == QLatin1String(SettingKey::SmtpUser))
                form->addRow(tr("Password:"), createPasswordRow());
        }
        if (section.prefixes.contains(QStringLiteral("smtp"))) {
            m_test = new QPushButton(tr("Send &test email"));
            m_test->setObjectName(QStringLiteral("sendTestEmail"));
            m_test->setToolTip(tr("Send a short email with the values above to the report "
                                  "recipients (or to the sender when there are none)"));
            m_testResult = new QLabel;
            m_testResult->setObjectName(QStringLiteral("testEmailResult"));
            m_testResult->setWordWrap(true);
            m_testResult->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
            m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
            form->addRow(QString(), m_test);
            form->addRow(QString(), m_testResult);
            connect(m_test, &QPushButton::clicked, this, &SettingsDialog::sendTestEmail);
        }
        if (section.prefixes.contains(QStringLiteral("history"))) {
            auto *folder = new QLineEdit(dataFolder);
            folder->setReadOnly(true);
            folder->setObjectName(QStringLiteral("dataFolder"));
            form->insertRow(0, tr("Data folder:"), folder);
        }
        m_tabs->addTab(page, QCoreApplication::translate("Sluice::SettingsDialog", section.title));
    }

    m_error->setObjectName(QStringLiteral("settingsError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->hide();
    // OK would be refused (Settings never rewrites such a file): say so before any edit.
    if (const Result<void> file = settings->fileStatus(); !file) {
        m_error->setText(tr("%1. Changes cannot be saved until the file is fixed or removed.")
                             .arg(file.error().message()));
        m_error->show();
    }

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    resize(620, 520);

    if (Result<DataFolder> folder = DataFolder::open(dataFolder); folder) {
        m_credentials.emplace(*folder);
        showPasswordLocation();
    } else {
        m_password->setEnabled(false);
        m_passwordLocation->setText(folder.error().message());
    }
}

SettingsDialog::~SettingsDialog()
{
    // The mail thread finishes on its own; a cancelled send stops within a second.
    if (m_mailer)
        m_mailer->cancel();
}

bool SettingsDialog::isBusy() const
{
    return m_mailer != nullptr || m_storing;
}

QWidget *SettingsDialog::createPasswordRow()
{
    m_password = new QLineEdit;
    m_password->setObjectName(QStringLiteral("smtpPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setClearButtonEnabled(true);
    m_passwordFile = new QCheckBox(
        tr("Where no keyring answers, keep it in a file in the data folder readable only by me"));
    m_passwordFile->setObjectName(QStringLiteral("passwordFile"));
    m_passwordLocation = new QLabel;
    m_passwordLocation->setObjectName(QStringLiteral("passwordLocation"));
    m_passwordLocation->setWordWrap(true);
    m_passwordLocation->setEnabled(false);
    auto *row = new QWidget;
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_password);
    layout->addWidget(m_passwordFile);
    layout->addWidget(m_passwordLocation);
    return row;
}

void SettingsDialog::showPasswordLocation()
{
    m_passwordLocation->setText(tr("Looking for a stored password…"));
    m_credentials->readAsync(this, [this](const Result<CredentialStore::Lookup> &lookup) {
        if (!lookup) {
            m_passwordLocation->setText(lookup.error().message());
            return;
        }
        QString text = lookup->location == CredentialLocation::None
            ? tr("No password is stored. Type one to store it.")
            : tr("A password is stored in %1. Type a new one to replace it; leave the field "
                 "empty to keep it.")
                  .arg(m_credentials->describe(lookup->location));
        // The keyring's own words (e.g. about dbus-launch) are for whoever asks: a tooltip.
        if (!lookup->keyringProblem.isEmpty()) {
            text += QLatin1Char(' ')
                + tr("No password keyring is running on this desktop, so a password can only "
                     "be kept in a file in the data folder (tick the box above). Point here for "
                     "details.");
        }
        m_passwordLocation->setText(text);
        m_passwordLocation->setToolTip(lookup->keyringProblem.isEmpty()
                ? QString()
                : tr("The keyring said: %1").arg(escapeControls(lookup->keyringProblem)));
        m_password->setPlaceholderText(
            lookup->location == CredentialLocation::None ? QString() : tr("unchanged"));
    });
}

QString SettingsDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString SettingsDialog::editorText(const QString &key) const
{
    QWidget *editor = m_editors.value(key);
    if (auto *spin = qobject_cast<QSpinBox *>(editor))
        return QString::number(spin->value());
    if (auto *check = qobject_cast<QCheckBox *>(editor))
        return check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (auto *combo = qobject_cast<QComboBox *>(editor))
        return combo->currentData().toString();
    if (auto *line = qobject_cast<QLineEdit *>(editor))
        return line->text();
    return {};
}

void SettingsDialog::checkField(const QString &key)
{
    QWidget *editor = m_editors.value(key);
    const Result<QVariant> parsed = Settings::parse(key, editorText(key));
    const Settings::Source source = m_settings->source(key);
    if (parsed) {
        editor->setStyleSheet(QString());
        if (const SettingSpec *spec = Settings::spec(key);
            spec && source != Settings::Source::Environment) {
            editor->setToolTip(QStringLiteral("%1 (%2)").arg(spec->translatedDescription(), key));
        }
        if (m_errorKey == key)
            m_error->hide();
    } else {
        editor->setStyleSheet(QStringLiteral("border: 1px solid #b3261e;"));
        editor->setToolTip(parsed.error().message());
    }
}

void SettingsDialog::markInvalid(const QString &key, const QString &message)
{
    m_errorKey = key;
    m_error->setText(message);
    m_error->show();
    if (QWidget *editor = m_editors.value(key)) {
        editor->setStyleSheet(QStringLiteral("border: 1px solid #b3261e;"));
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (m_tabs->widget(i)->isAncestorOf(editor))
                m_tabs->setCurrentIndex(i);
        }
        editor->setFocus();
    }
}

void SettingsDialog::clearMarks()
{
    m_error->hide();
    for (QWidget *editor : std::as_const(m_editors))
        editor->setStyleSheet(QString());
}

void SettingsDialog::accept()
{
    clearMarks();
    QMap<QString, QString> changes;
    for (auto it = m_editors.cbegin(); it != m_editors.cend(); ++it) {
        if (!it.value()->isEnabled())
            continue;
        const QString text = editorText(it.key());
        const Result<QVariant> parsed = Settings::parse(it.key(), text);
        if (!parsed) {
            markInvalid(it.key(), parsed.error().message());
            return;
        }
        if (Settings::toText(*parsed) != m_settings->text(it.key()))
            changes.insert(it.key(), text);
    }
    if (!changes.isEmpty()) {
        if (Result<void> ok = m_settings->setTexts(changes); !ok) {
            markInvalid(ok.error().where, ok.error().message());
            return;
        }
    }
    if (m_credentials && !m_password->text().isEmpty()) {
        // The keyring first; the file only when the user allowed it and no keyring answered.
        storePassword(CredentialLocation::Keyring);
        return;
    }
    QDialog::accept();
}

void SettingsDialog::storePassword(CredentialLocation where)
{
    m_storing = true;
    m_buttons->setEnabled(false);
    m_passwordLocation->setText(tr("Storing the password…"));
    m_credentials->storeAsync(
        m_password->text(), where, this, [this, where](const Result<void> &stored) {
            if (stored) {
                m_storing = false;
                m_buttons->setEnabled(true);
                const QString place = m_credentials->describe(where);
                m_passwordLocation->setText(tr("The password is stored in %1.").arg(place));
                Q_EMIT passwordStored(true, place);
                QDialog::accept();
                return;
            }
            const bool noKeyring =
                where == CredentialLocation::Keyring && stored.error().code == ErrorCode::NoKeyring;
            if (noKeyring && m_passwordFile->isChecked()) {
                storePassword(CredentialLocation::File);
                return;
            }
            m_storing = false;
            m_buttons->setEnabled(true);
            const QString message = noKeyring
                ? tr("The password was not stored: no keyring answered (%1). Tick \"keep it in "
                     "a file\" to store it in %2, or clear the password field.")
                      .arg(stored.error().what, m_credentials->filePath())
                : tr("The password was not stored: %1").arg(stored.error().message());
            m_error->setText(message);
            m_error->show();
            m_passwordLocation->setText(message);
            m_password->setStyleSheet(QStringLiteral("border: 1px solid #b3261e;"));
            Q_EMIT passwordStored(false, message);
        });
}

void SettingsDialog::sendTestEmail()
{
    if (m_mailer)
        return;
    // The values as typed, saved or not.
    for (const QString &key : { QString(SettingKey::SmtpHost), QString(SettingKey::SmtpPort),
             QString(SettingKey::SmtpSecurity), QString(SettingKey::SmtpUser),
             QString(SettingKey::SmtpFrom), QString(SettingKey::ReportRecipients) }) {
        if (!Settings::parse(key, editorText(key))) {
            markInvalid(key, Settings::parse(key, editorText(key)).error().message());
            return;
        }
    }
    MailSettings mail;
    mail.host = editorText(SettingKey::SmtpHost).trimmed();
    mail.port = editorText(SettingKey::SmtpPort).toInt();
    const QString security = editorText(SettingKey::SmtpSecurity);
    mail.security = security == u"tls" ? SmtpSecurity::Tls
        : security == u"none"          ? SmtpSecurity::None
                                       : SmtpSecurity::StartTls;
    mail.user = editorText(SettingKey::SmtpUser).trimmed();
    mail.password = m_password->text();
    mail.from = editorText(SettingKey::SmtpFrom).trimmed();
    mail.connectTimeoutSeconds = 15;
    mail.timeoutSeconds = 60;
    mail.caCertificatesFile = m_caFile;
    if (Result<void> ok = mail.check(); !ok) {
        m_testResult->setStyleSheet(QStringLiteral("color: #b3261e;"));
        m_testResult->setText(escapeControls(ok.error().message()));
        Q_EMIT testFinished(false, ok.error().message());
        return;
    }
    MailMessage message;
    message.from = mail.from;
    message.to =
        Settings::parse(SettingKey::ReportRecipients, editorText(SettingKey::ReportRecipients))
            ->toStringList();
    if (message.to.isEmpty())
        message.to = QStringList{ mail.from };
    message.subject = tr("Sluice test email");
    message.body = tr("This is a test email from Sluice. Its SMTP settings work.");

    // A password typed here is tried as typed; else the stored one.
    MailJob::Request request{ mail, message, m_credentials };
    m_mailer = MailJob::start(std::move(request), this, [this, message](const Result<void> &sent) {
        m_mailer.reset();
        m_test->setEnabled(true);
        const QString text = sent
            ? tr("Sent to %1. Check the inbox.").arg(message.to.join(QStringLiteral(", ")))
            : tr("Not sent: %1").arg(sent.error().message());
        m_testResult->setStyleSheet(
            sent ? QStringLiteral("color: #1e8e3e;") : QStringLiteral("color: #b3261e;"));
        m_testResult->setText(escapeControls(text)); // quotes the server
        Q_EMIT testFinished(bool(sent), text);
    });
    m_test->setEnabled(false);
    m_testResult->setStyleSheet(QString());
    m_testResult->setText(tr("Sending to %1…").arg(mail.where()));
}

} // namespace Sluice
