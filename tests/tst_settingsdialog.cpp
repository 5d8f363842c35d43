// The settings dialog offscreen: values saved and read back, invalid fields marked as they
// are typed, the SMTP password stored in the opt-in file where no keyring answers, and
// "Send test email" against a real SMTP server on loopback (success, and a wrong port).

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTranslator>
#include <QtTest>

#include <sys/stat.h>

#include "dialogs/settingsdialog.h"
#include "flows/btcpipeline.h"
#include "guitestenvironment.h"
#include "notify/credentialstore.h"
#include "smtpfixture.h"

using namespace Sluice;

class TestSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void savesAndReadsBack();
    void retryWaitIsNextToTheTimeout();
    void speaksPlainWords();
    void marksInvalidFieldsAsTyped_data();
    void marksInvalidFieldsAsTyped();
    void neverRewritesAnUnreadableFile();
    void storesPasswordInFileWhenNoKeyring();
    void storesPasswordInFileWhenNoKeyringInChinese();
    void refusesPasswordWithoutKeyringOrConsent();
    void testEmailSucceeds();
    void testEmailToWrongPortShowsError();

private:
    void fillSmtp(SettingsDialog &dialog, quint16 port);
};

void TestSettingsDialog::initTestCase()
{
    // No keyring in these tests: QtKeychain then answers at once with an error.
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    qunsetenv("DISPLAY");
    qunsetenv("all_proxy");
    qunsetenv("ALL_PROXY");
}

// Choices read as words, empty fields show examples, and the keyring's own message (with its
// dbus-launch jargon) is there only for whoever points at it.
void TestSettingsDialog::speaksPlainWords()
{
    GuiTestEnvironment env;
    QVERIFY(env.setUp(false).isEmpty());
    SettingsDialog dialog(env.settings.get(), env.folder->path());
    auto *language = qobject_cast<QComboBox *>(dialog.editor(QStringLiteral("ui.language")));
    QVERIFY(language);
    QStringList shown;
    for (int i = 0; i < language->count(); ++i)
        shown << language->itemText(i);
    QCOMPARE(shown,
        QStringList({ QStringLiteral("The system's language"), QStringLiteral("English"),
            QStringLiteral("中文（简体）") }));
    language->setCurrentIndex(2);
    QCOMPARE(language->currentData().toString(), QStringLiteral("zh_CN"));
    auto *security = qobject_cast<QComboBox *>(dialog.editor(QStringLiteral("smtp.security")));
    QVERIFY(security);
    QCOMPARE(security->currentData().toString(), QStringLiteral("starttls"));
    QVERIFY2(security->currentText().startsWith(QLatin1String("STARTTLS (")),
        qPrintable(security->currentText()));

    for (const char *key : { "smtp.host", "smtp.user", "smtp.from", "report.recipients" }) {
        auto *line = qobject_cast<QLineEdit *>(dialog.editor(QLatin1String(key)));
        QVERIFY(line);
        QVERIFY2(line->placeholderText().contains(QLatin1String("e.g."))
                || line->placeholderText().contains(QLatin1String("email address")),
            key);
    }

    auto *location = dialog.findChild<QLabel *>(QStringLiteral("passwordLocation"));
    QVERIFY(location);
    QTRY_VERIFY(location->text().contains(QLatin1String("No password keyring is running")));
    QVERIFY2(!location->text().contains(QLatin1String("D-Bus"), Qt::CaseInsensitive)
            && !location->text().contains(QLatin1String("dbus"), Qt::CaseInsensitive),
        qPrintable(location->text()));
    QVERIFY(location->toolTip().startsWith(QLatin1String("The keyring said: ")));
}

void TestSettingsDialog::savesAndReadsBack()
{
    GuiTestEnvironment env;
    QVERIFY(env.setUp(false).isEmpty());
    {
        SettingsDialog dialog(env.settings.get(), env.folder->path());
        qobject_cast<QLineEdit *>(dialog.editor(QStringLiteral("smtp.host")))
            ->setText(QStringLiteral("mail.example.org"));
        qobject_cast<QSpinBox *>(dialog.editor(QStringLiteral("smtp.port")))->setValue(2525);
        qobject_cast<QLineEdit *>(dialog.editor(QStringLiteral("report.recipients")))
            ->setText(QStringLiteral("a@example.org, b@example.org"));
        qobject_cast<QCheckBox *>(dialog.editor(QStringLiteral("ui.keep-in-tray")))
            ->setChecked(true);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    // A fresh Settings reads the file again.
    Settings reread(env.folder->settingsPath(), QMap<QString, QString>());
    QCOMPARE(reread.smtpHost(), QStringLiteral("mail.example.org"));
    QCOMPARE(reread.smtpPort(), 2525);
    QCOMPARE(reread.reportRecipients(),
        QStringList({ QStringLiteral("a@example.org"), QStringLiteral("b@example.org") }));
    QVERIFY(reread.keepInTray());
    SettingsDialog again(&reread, env.folder->path());
    QCOMPARE(qobject_cast<QLineEdit *>(again.editor(QStringLiteral("smtp.host")))->text(),
        QStringLiteral("mail.example.org"));
}

void TestSettingsDialog::retryWaitIsNextToTheTimeout()
{
    GuiTestEnvironment env;
    QVERIFY(env.setUp(false).isEmpty());
    {
        SettingsDialog dialog(env.settings.get(), env.folder->path());
        auto *timeout =
            qobject_cast<QSpinBox *>(dialog.editor(QStringLiteral("sources.timeout-seconds")));
        auto *wait = qobject_cast<QSpinBox *>(
            dialog.editor(QStringLiteral("sources.max-retry-wait-seconds")));
        QVERIFY(timeout && wait);
        QCOMPARE(wait->minimum(), 0);
        QCOMPARE(wait->maximum(), 3600);
        QCOMPARE(wait->value(), 60);
        // On the Sources tab, the row after the timeout.
        auto *form = qobject_cast<QFormLayout *>(timeout->parentWidget()->layout());
        QVERIFY(form);
        QCOMPARE(wait->parentWidget(), timeout->parentWidget());
        int timeoutRow = -1;
        int waitRow = -1;
        QFormLayout::ItemRole role;
        form->getWidgetPosition(timeout, &timeoutRow, &role);
        form->getWidgetPosition(wait, &waitRow, &role);
        QCOMPARE(waitRow, timeoutRow + 1);
        wait->setValue(5);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    Settings reread(env.folder->settingsPath(), QMap<QString, QString>());
    QCOMPARE(reread.maxRetryWaitSeconds(), 5);
    QCOMPARE(BtcFlowOptions::fromSettings(QString(), reread).maxRetryWaitSeconds, 5);
}

void TestSettingsDialog::marksInvalidFieldsAsTyped_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("text");
    QTest::newRow("recipients with a bad address")
        << QStringLiteral("report.recipients") << QStringLiteral("a@example.org, not-an-address");
    QTest::newRow("from without @") << QStringLiteral("smtp.from") << QStringLiteral("sluice");
    QTest::newRow("binance url") << QStringLiteral("sources.binance-url")
                                 << QStringLiteral("ftp://x");
}

void TestSettingsDialog::marksInvalidFieldsAsTyped()
{
    QFETCH(QString, key);
    QFETCH(QString, text);
    GuiTestEnvironment env;
    QVERIFY(env.setUp(false).isEmpty());
    SettingsDialog dialog(env.settings.get(), env.folder->path());
    auto *line = qobject_cast<QLineEdit *>(dialog.editor(key));
    QVERIFY(line);
    const QString original = line->text();
    line->setText(text);
    const Result<QVariant> parsed = Settings::parse(key, text);
    QVERIFY(!parsed);
    QVERIFY(!line->styleSheet().isEmpty());
    QCOMPARE(line->toolTip(), parsed.error().message());
    dialog.accept(); // refused, explained
    QVERIFY(dialog.isVisible() || dialog.result() != QDialog::Accepted);
    QCOMPARE(dialog.errorText(), parsed.error().message());
    line->setText(original);
    QVERIFY(line->styleSheet().isEmpty());
}

void TestSettingsDialog::neverRewritesAnUnreadableFile()
{
    GuiTestEnvironment env;
    QVERIFY(env.setUp(false).isEmpty());
    const QString ini = env.folder->settingsPath();
    const QByteArray bytes = "[smtp]\nhost=mail.example.org\nport: 2525\n";
    {
        QFile file(ini);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(bytes), bytes.size());
        QVERIFY(file.setFileTime(
            QDateTime::currentDateTimeUtc().addDays(-3), QFileDevice::FileModificationTime));
    }
    const QDateTime modified = QFileInfo(ini).lastModified();
    Settings settings(ini, QMap<QString, QString>());
    {
        SettingsDialog dialog(&settings, env.folder->path());
        // Said when the dialog opens, before any edit.
        QVERIFY2(dialog.errorText().contains(ini + QStringLiteral(": line 3 is neither")),
            qPrintable(dialog.errorText()));
        auto *port = qobject_cast<QSpinBox *>(dialog.editor(QStringLiteral("smtp.port")));
        QVERIFY(port);
        port->setValue(25);
        dialog.show();
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.result() != QDialog::Accepted);
        QVERIFY2(dialog.errorText().contains(ini + QStringLiteral(": line 3 is neither")),
            qPrintable(dialog.errorText()));
        QVERIFY2(dialog.errorText().contains(QLatin1String("nothing was changed")),
            qPrintable(dialog.errorText()));
    }
    QCOMPARE(QFileInfo(ini).lastModified(), modified);
    QFile file(ini);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), bytes);
}

void TestSettingsDialog::storesPasswordInFileWhenNoKeyring()
{
    GuiTestEnvironment env;
    QVERIFY(env.setUp(false).isEmpty());
    SettingsDialog dialog(env.settings.get(), env.folder->path());
    QSignalSpy stored(&dialog, &SettingsDialog::passwordStored);
    dialog.passwordEdit()->setText(QStringLiteral("s3cret"));
    dialog.passwordFileBox()->setChecked(true);
    dialog.accept();
    QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, 40000);
    QVERIFY2(stored.first().at(0).toBool(), qPrintable(stored.first().at(1).toString()));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const Result<CredentialStore::Lookup> lookup = CredentialStore(*env.folder).read();
    QVERIFY(lookup);
    QCOMPARE(lookup->location, CredentialLocation::File);
    QCOMPARE(lookup->password, QStringLiteral("s3cret"));
    QFile ini(env.folder->settingsPath());
    if (ini.open(QIODevice::ReadOnly))
        QVERIFY(!ini.readAll().contains("s3cret"));
}

// The same path as a zh_CN user meets it, with the translator the app loads for --lang zh_CN:
// the keyring's error arrives in Chinese, and the dialog still falls back to the file, since it
// decides on ErrorCode::NoKeyring, not on the text. The file is the owner's alone (0600).
void TestSettingsDialog::storesPasswordInFileWhenNoKeyringInChinese()
{
    QTranslator translator;
    QVERIFY(translator.load(QStringLiteral(":/i18n/sluice_zh_CN.qm")));
    QVERIFY(QCoreApplication::installTranslator(&translator));
    const auto uninstall =
        qScopeGuard([&translator] { QCoreApplication::removeTranslator(&translator); });
    // The message the store fails with no longer reads "no keyring answered".
    const QString noKeyring = CredentialStore::tr("no keyring answered: %1");
    QVERIFY2(!noKeyring.startsWith(QLatin1String("no keyring")), qPrintable(noKeyring));

    GuiTestEnvironment env;
    QVERIFY(env.setUp(false).isEmpty());
    SettingsDialog dialog(env.settings.get(), env.folder->path());
    QVERIFY2(dialog.passwordFileBox()->text().contains(QStringLiteral("密钥环")),
        qPrintable(dialog.passwordFileBox()->text()));
    QSignalSpy stored(&dialog, &SettingsDialog::passwordStored);
    dialog.passwordEdit()->setText(QStringLiteral("s3cret"));
    dialog.passwordFileBox()->setChecked(true);
    dialog.accept();
    QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, 40000);
    QVERIFY2(stored.first().at(0).toBool(), qPrintable(stored.first().at(1).toString()));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    const CredentialStore store(*env.folder);
    const Result<CredentialStore::Lookup> lookup = store.read();
    QVERIFY(lookup);
    QCOMPARE(lookup->location, CredentialLocation::File);
    QCOMPARE(lookup->password, QStringLiteral("s3cret"));
    struct stat info; // filled by lstat
    QCOMPARE(::lstat(QFile::encodeName(store.filePath()).constData(), &info), 0);
    QVERIFY(S_ISREG(info.st_mode));
    QCOMPARE(int(info.st_mode & 07777), 0600);
}

void TestSettingsDialog::refusesPasswordWithoutKeyringOrConsent()
{
    GuiTestEnvironment env;
    QVERIFY(env.setUp(false).isEmpty());
    SettingsDialog dialog(env.settings.get(), env.folder->path());
    QSignalSpy stored(&dialog, &SettingsDialog::passwordStored);
    dialog.passwordEdit()->setText(QStringLiteral("s3cret"));
    dialog.accept();
    QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, 40000);
    QVERIFY(!stored.first().at(0).toBool());
    QVERIFY(dialog.result() != QDialog::Accepted);
    QVERIFY2(
        dialog.errorText().contains(QStringLiteral("keyring")), qPrintable(dialog.errorText()));
    QVERIFY(!QFile::exists(CredentialStore(*env.folder).filePath()));
}

void TestSettingsDialog::fillSmtp(SettingsDialog &dialog, quint16 port)
{
    qobject_cast<QLineEdit *>(dialog.editor(QStringLiteral("smtp.host")))
        ->setText(QStringLiteral("127.0.0.1"));
    qobject_cast<QSpinBox *>(dialog.editor(QStringLiteral("smtp.port")))->setValue(port);
    auto *security = qobject_cast<QComboBox *>(dialog.editor(QStringLiteral("smtp.security")));
    security->setCurrentIndex(security->findData(QStringLiteral("none")));
    qobject_cast<QLineEdit *>(dialog.editor(QStringLiteral("smtp.from")))
        ->setText(QStringLiteral("sluice@example.org"));
    qobject_cast<QLineEdit *>(dialog.editor(QStringLiteral("report.recipients")))
        ->setText(QStringLiteral("ops@example.org"));
}

void TestSettingsDialog::testEmailSucceeds()
{
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    GuiTestEnvironment env;
    QVERIFY(env.setUp(false).isEmpty());
    SettingsDialog dialog(env.settings.get(), env.folder->path());
    dialog.show();
    fillSmtp(dialog, server.port());
    QSignalSpy finished(&dialog, &SettingsDialog::testFinished);
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QVERIFY(!dialog.testButton()->isEnabled()); // sending, and the dialog still answers
    QVERIFY(dialog.isBusy());
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QCOMPARE(dialog.testResultLabel()->text(), finished.first().at(1).toString());
    QVERIFY(dialog.testResultLabel()->text().contains(QStringLiteral("ops@example.org")));
    QVERIFY(dialog.testButton()->isEnabled());
    QTRY_COMPARE(server.messageCount(), 1);
    const QJsonObject message = server.message(1);
    QVERIFY2(QJsonDocument(message).toJson().contains("ops@example.org"),
        QJsonDocument(message).toJson().constData());
}

void TestSettingsDialog::testEmailToWrongPortShowsError()
{
    // A port that nothing listens on: taken from the OS, then released.
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    GuiTestEnvironment env;
    QVERIFY(env.setUp(false).isEmpty());
    SettingsDialog dialog(env.settings.get(), env.folder->path());
    dialog.show();
    fillSmtp(dialog, port);
    QSignalSpy finished(&dialog, &SettingsDialog::testFinished);
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY(!finished.first().at(0).toBool());
    const QString text = dialog.testResultLabel()->text();
    QVERIFY2(text.contains(QString::number(port)), qPrintable(text)); // where: the server
    QVERIFY2(text.contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(text));
    QVERIFY(dialog.testButton()->isEnabled());
}

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
