// Settings: keys, validation, canonical values, precedence and the settings.ini file.

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "settings/settings.h"

using namespace Sluice;

class TestSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void defaults_data();
    void defaults();
    void validValues_data();
    void validValues();
    void invalidValues_data();
    void invalidValues();
    void unknownKey();
    void roundTripThroughFile();
    void iniFileReadsAsSections();
    void precedence();
    void invalidEnvironmentIsIgnoredWithWarning();
    void handEditedBadValueFallsBackWithWarning();
    void handEditedListIsRead();
    void plainSmtpOnlyForLoopback();
    void changedSignalOnlyForRealChanges();
    void unsetReturnsToDefault();
    void unwritableFileIsReported();

private:
    QString iniPath() const { return m_dir->filePath(QStringLiteral("settings.ini")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSettings::defaults_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("text");
    QTest::newRow("smtp.port") << "smtp.port"
                               << "587";
    QTest::newRow("smtp.security") << "smtp.security"
                                   << "starttls";
    QTest::newRow("smtp.host") << "smtp.host"
                               << "";
    QTest::newRow("alerts.interval") << "alerts.interval-minutes"
                                     << "15";
    QTest::newRow("binance") << "sources.binance-url"
                             << "https://api.binance.com";
    QTest::newRow("mempool") << "sources.mempool-url"
                             << "https://mempool.space";
    QTest::newRow("timeout") << "sources.timeout-seconds"
                             << "30";
    QTest::newRow("max retry wait") << "sources.max-retry-wait-seconds"
                                    << "60";
    QTest::newRow("retention") << "history.retention-days"
                               << "90";
    QTest::newRow("language") << "ui.language"
                              << "system";
    QTest::newRow("tray") << "ui.keep-in-tray"
                          << "false";
    QTest::newRow("recipients") << "report.recipients"
                                << "";
}

void TestSettings::defaults()
{
    QFETCH(QString, key);
    QFETCH(QString, text);
    Settings settings(iniPath(), {});
    QCOMPARE(settings.text(key), text);
    QCOMPARE(settings.source(key), Settings::Source::Default);
}

void TestSettings::validValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("port") << "smtp.port"
                          << " 2525 "
                          << "2525";
    QTest::newRow("security upper") << "smtp.security"
                                    << "TLS"
                                    << "tls";
    QTest::newRow("bool yes") << "alerts.enabled"
                              << "yes"
                              << "true";
    QTest::newRow("bool off") << "ui.keep-in-tray"
                              << "off"
                              << "false";
    QTest::newRow("bool 1") << "ui.keep-in-tray"
                            << "1"
                            << "true";
    QTest::newRow("recipients") << "report.recipients"
                                << " a@x.org ,b@y.org,, "
                                << "a@x.org, b@y.org";
    QTest::newRow("url slash") << "sources.binance-url"
                               << "http://127.0.0.1:8080/"
                               << "http://127.0.0.1:8080";
    QTest::newRow("url path") << "sources.mempool-url"
                              << "https://mirror.example/api/"
                              << "https://mirror.example/api";
    QTest::newRow("proxy no scheme") << "sources.proxy"
                                     << "proxy.lan:3128"
                                     << "http://proxy.lan:3128";
    QTest::newRow("proxy socks") << "sources.proxy"
                                 << "socks5://10.1.1.1:1080"
                                 << "socks5://10.1.1.1:1080";
    QTest::newRow("proxy empty") << "sources.proxy"
                                 << ""
                                 << "";
    QTest::newRow("host ipv4") << "smtp.host"
                               << "192.168.1.20"
                               << "192.168.1.20";
    QTest::newRow("host name") << "smtp.host"
                               << "smtp.example.com"
                               << "smtp.example.com";
    QTest::newRow("from") << "smtp.from"
                          << "sluice@localhost"
                          << "sluice@localhost";
    QTest::newRow("language") << "ui.language"
                              << "zh_cn"
                              << "zh_CN";
    QTest::newRow("timeout max") << "sources.timeout-seconds"
                                 << "600"
                                 << "600";
    QTest::newRow("no retry wait") << "sources.max-retry-wait-seconds"
                                   << "0"
                                   << "0";
    QTest::newRow("retry wait max") << "sources.max-retry-wait-seconds"
                                    << "3600"
                                    << "3600";
    QTest::newRow("user") << "smtp.user"
                          << "ops team"
                          << "ops team";
}

void TestSettings::validValues()
{
    QFETCH(QString, key);
    QFETCH(QString, input);
    QFETCH(QString, canonical);
    Settings settings(iniPath(), {});
    const Result<void> ok = settings.setText(key, input);
    QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message()));
    QCOMPARE(settings.text(key), canonical);
    QCOMPARE(settings.source(key), Settings::Source::File);
}

void TestSettings::invalidValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("port text") << "smtp.port"
                               << "abc"
                               << "a whole number from 1 to 65535";
    QTest::newRow("port zero") << "smtp.port"
                               << "0"
                               << "a whole number from 1 to 65535";
    QTest::newRow("port big") << "smtp.port"
                              << "70000"
                              << "a whole number from 1 to 65535";
    QTest::newRow("security") << "smtp.security"
                              << "ssl"
                              << "one of starttls, tls, none";
    QTest::newRow("url ftp") << "sources.binance-url"
                             << "ftp://x.org"
                             << "an http:// or https:// URL";
    QTest::newRow("url words") << "sources.mempool-url"
                               << "not a url"
                               << "an http:// or https:// URL";
    QTest::newRow("recipient") << "report.recipients"
                               << "a@b.org, nope"
                               << "\"nope\" is not an email address";
    QTest::newRow("bool") << "alerts.enabled"
                          << "maybe"
                          << "true or false";
    QTest::newRow("language") << "ui.language"
                              << "fr"
                              << "one of system, en, zh_CN";
    QTest::newRow("proxy scheme") << "sources.proxy"
                                  << "ftp://p:21"
                                  << "proxy URL";
    QTest::newRow("from") << "smtp.from"
                          << "sluice"
                          << "an email address";
    QTest::newRow("host spaces") << "smtp.host"
                                 << "smtp example"
                                 << "a host name or IP address";
    QTest::newRow("retry wait") << "sources.max-retry-wait-seconds"
                                << "3601"
                                << "a whole number from 0 to 3600";
    QTest::newRow("retention") << "history.retention-days"
                               << "-1"
                               << "a whole number from 1 to 36500";
    QTest::newRow("newline") << "smtp.user"
                             << "a\nb"
                             << "a single line of text";
}

void TestSettings::invalidValues()
{
    QFETCH(QString, key);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    Settings settings(iniPath(), {});
    const QString before = settings.text(key);
    const Result<void> ok = settings.setText(key, input);
    QVERIFY(!ok);
    QCOMPARE(ok.error().where, key);
    QVERIFY2(ok.error().message().contains(expected), qPrintable(ok.error().message()));
    QVERIFY2(ok.error().message().startsWith(key + QLatin1String(": ")),
        qPrintable(ok.error().message()));
    QCOMPARE(settings.text(key), before);
    QVERIFY(!QFile::exists(iniPath())
        || !QSettings(iniPath(), QSettings::IniFormat)
                .contains(key.section(u'.', 0, 0) + u'/' + key.section(u'.', 1)));
}

void TestSettings::unknownKey()
{
    Settings settings(iniPath(), {});
    const Result<void> ok = settings.setText(QStringLiteral("smtp.hots"), QStringLiteral("x"));
    QVERIFY(!ok);
    QCOMPARE(ok.error().where, QStringLiteral("smtp.hots"));
    QVERIFY(ok.error().what.contains(QLatin1String("unknown setting")));
    QVERIFY(ok.error().what.contains(QLatin1String("smtp.host")));
    QVERIFY(!Settings::spec(QStringLiteral("smtp.hots")));
}

void TestSettings::roundTripThroughFile()
{
    {
        Settings settings(iniPath(), {});
        QVERIFY(
            settings.setTexts({ { QStringLiteral("smtp.host"), QStringLiteral("mail.example.org") },
                { QStringLiteral("smtp.port"), QStringLiteral("465") },
                { QStringLiteral("smtp.security"), QStringLiteral("tls") },
                { QStringLiteral("report.recipients"), QStringLiteral("a@x.org,b@y.org") },
                { QStringLiteral("alerts.enabled"), QStringLiteral("false") } }));
    }
    Settings again(iniPath(), {});
    QCOMPARE(again.smtpHost(), QStringLiteral("mail.example.org"));
    QCOMPARE(again.smtpPort(), 465);
    QCOMPARE(again.smtpSecurity(), SmtpSecurity::Tls);
    QCOMPARE(again.reportRecipients(),
        QStringList({ QStringLiteral("a@x.org"), QStringLiteral("b@y.org") }));
    QCOMPARE(again.alertsEnabled(), false);
    QCOMPARE(again.source(QStringLiteral("smtp.port")), Settings::Source::File);
}

void TestSettings::iniFileReadsAsSections()
{
    Settings settings(iniPath(), {});
    QVERIFY(settings.setText(QStringLiteral("smtp.host"), QStringLiteral("mail.example.org")));
    QVERIFY(settings.setText(QStringLiteral("sources.timeout-seconds"), QStringLiteral("12")));
    QFile file(iniPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY2(text.contains(QLatin1String("[smtp]\nhost=mail.example.org")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("[sources]\ntimeout-seconds=12")), qPrintable(text));
}

void TestSettings::precedence()
{
    {
        Settings settings(iniPath(), {});
        QVERIFY(settings.setText(
            QStringLiteral("sources.binance-url"), QStringLiteral("http://file.example")));
    }
    Settings fileOnly(iniPath(), {});
    QCOMPARE(fileOnly.binanceUrl(), QUrl(QStringLiteral("http://file.example")));

    Settings withEnv(iniPath(),
        { { QStringLiteral("SLUICE_BINANCE_URL"), QStringLiteral("http://127.0.0.1:9/") } });
    QCOMPARE(withEnv.binanceUrl(), QUrl(QStringLiteral("http://127.0.0.1:9")));
    QCOMPARE(withEnv.source(QStringLiteral("sources.binance-url")), Settings::Source::Environment);
    QVERIFY(withEnv.sourceText(QStringLiteral("sources.binance-url"))
                .contains(QLatin1String("SLUICE_BINANCE_URL")));

    QVERIFY(withEnv.setOverride(
        QStringLiteral("sources.binance-url"), QStringLiteral("http://cli.example")));
    QCOMPARE(withEnv.binanceUrl(), QUrl(QStringLiteral("http://cli.example")));
    QCOMPARE(withEnv.source(QStringLiteral("sources.binance-url")), Settings::Source::CommandLine);

    // The proxy follows the standard variables, https_proxy first.
    Settings proxy(iniPath(),
        { { QStringLiteral("http_proxy"), QStringLiteral("http://plain:80") },
            { QStringLiteral("https_proxy"), QStringLiteral("http://secure:3128") } });
    QCOMPARE(proxy.proxy(), QUrl(QStringLiteral("http://secure:3128")));
}

void TestSettings::invalidEnvironmentIsIgnoredWithWarning()
{
    Settings settings(
        iniPath(), { { QStringLiteral("SLUICE_MEMPOOL_URL"), QStringLiteral("gopher://x") } });
    QCOMPARE(settings.mempoolUrl(), QUrl(QStringLiteral("https://mempool.space")));
    QCOMPARE(settings.warnings().size(), 1);
    QVERIFY(settings.warnings().first().contains(QLatin1String("SLUICE_MEMPOOL_URL")));
}

void TestSettings::handEditedBadValueFallsBackWithWarning()
{
    QFile file(iniPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[smtp]\nport=lots\nhost=mail.example.org\n");
    file.close();
    Settings settings(iniPath(), {});
    QCOMPARE(settings.smtpPort(), 587);
    QCOMPARE(settings.smtpHost(), QStringLiteral("mail.example.org"));
    QCOMPARE(settings.warnings().size(), 1);
    QVERIFY(settings.warnings().first().contains(QLatin1String("smtp.port")));
}

void TestSettings::handEditedListIsRead()
{
    QFile file(iniPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[report]\nrecipients=a@x.org, b@y.org\n");
    file.close();
    Settings settings(iniPath(), {});
    QCOMPARE(settings.reportRecipients(),
        QStringList({ QStringLiteral("a@x.org"), QStringLiteral("b@y.org") }));
}

void TestSettings::plainSmtpOnlyForLoopback()
{
    Settings settings(iniPath(), {});
    QVERIFY(settings.setText(QStringLiteral("smtp.host"), QStringLiteral("smtp.example.com")));
    Result<void> ok = settings.setText(QStringLiteral("smtp.security"), QStringLiteral("none"));
    QVERIFY(!ok);
    QCOMPARE(ok.error().where, QStringLiteral("smtp.security"));
    QVERIFY(ok.error().what.contains(QLatin1String("loopback")));

    // Valid as a pair, refused one at a time.
    QVERIFY(settings.setTexts({ { QStringLiteral("smtp.host"), QStringLiteral("127.0.0.1") },
        { QStringLiteral("smtp.security"), QStringLiteral("none") } }));
    QCOMPARE(settings.smtpSecurity(), SmtpSecurity::None);
    QVERIFY(!settings.setText(QStringLiteral("smtp.host"), QStringLiteral("smtp.example.com")));
    QVERIFY(settings.setText(QStringLiteral("smtp.host"), QStringLiteral("localhost")));
    QVERIFY(settings.setText(QStringLiteral("smtp.host"), QStringLiteral("::1")));
}

void TestSettings::changedSignalOnlyForRealChanges()
{
    Settings settings(iniPath(), {});
    QSignalSpy spy(&settings, &Settings::changed);
    QVERIFY(settings.setText(QStringLiteral("smtp.port"), QStringLiteral("2525")));
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.takeFirst().at(0).toString(), QStringLiteral("smtp.port"));
    QVERIFY(settings.setText(QStringLiteral("smtp.port"), QStringLiteral(" 2525")));
    QCOMPARE(spy.size(), 0);
    QVERIFY(!settings.setText(QStringLiteral("smtp.port"), QStringLiteral("x")));
    QCOMPARE(spy.size(), 0);
}

void TestSettings::unsetReturnsToDefault()
{
    Settings settings(iniPath(), {});
    QVERIFY(settings.setText(QStringLiteral("history.retention-days"), QStringLiteral("7")));
    QCOMPARE(settings.retentionDays(), 7);
    QVERIFY(settings.unset(QStringLiteral("history.retention-days")));
    QCOMPARE(settings.retentionDays(), 90);
    QCOMPARE(settings.source(QStringLiteral("history.retention-days")), Settings::Source::Default);
    QVERIFY(settings.unset(QStringLiteral("history.retention-days"))); // nothing to do is fine
    QVERIFY(!settings.unset(QStringLiteral("no.such-key")));
}

void TestSettings::unwritableFileIsReported()
{
    // A settings.ini below a regular file cannot be written, even by root.
    QFile blocker(m_dir->filePath(QStringLiteral("blocker")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    Settings settings(m_dir->filePath(QStringLiteral("blocker/settings.ini")), {});
    const Result<void> ok = settings.setText(QStringLiteral("smtp.port"), QStringLiteral("25"));
    QVERIFY(!ok);
    QVERIFY2(ok.error().where.endsWith(QLatin1String("blocker/settings.ini")),
        qPrintable(ok.error().message()));
    QVERIFY(ok.error().what.contains(QLatin1String("could not write")));
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
