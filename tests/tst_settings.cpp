// Settings: keys, validation, canonical values, precedence and the settings.ini file.

#include <atomic>

#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <sys/stat.h>

#include "settings/inifile.h"
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
    void valuesFollowChanges();
    void valuesOnAnotherThread();
    void followsChangesOfAnotherProcess();
    void iniFileKeepsGroups();
    void unsetReturnsToDefault();
    void unwritableFileIsReported();
    void unreadableFileIsNeverRewritten_data();
    void unreadableFileIsNeverRewritten();
    void readableFilesAreAccepted_data();
    void readableFilesAreAccepted();
    void fileWrittenBySettingsReadsBack();
    void fixedFileIsWrittenAgain();
    void proxyPasswordIsMasked_data();
    void proxyPasswordIsMasked();

private:
    void writeIni(const QByteArray &bytes);
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
    QTest::newRow("url slashes") << "sources.binance-url"
                                 << "http://127.0.0.1:8080//"
                                 << "http://127.0.0.1:8080";
    QTest::newRow("url path slashes") << "sources.mempool-url"
                                      << "https://mirror.example/api///"
                                      << "https://mirror.example/api";
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
    // The canonical text is a fixed point: it parses to the same value (fuzz_settings).
    const Result<QVariant> parsed = Settings::parse(key, input);
    QVERIFY(parsed);
    QCOMPARE(Settings::toText(*parsed), canonical);
    const Result<QVariant> again = Settings::parse(key, canonical);
    QVERIFY(again);
    QCOMPARE(*again, *parsed);
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

void TestSettings::valuesFollowChanges()
{
    Settings settings(iniPath(), {});
    QCOMPARE(settings.values().smtpPort, 587);
    QCOMPARE(settings.values().binanceUrl, QUrl(QStringLiteral("https://api.binance.com")));
    QVERIFY(settings.setTexts({ { QStringLiteral("smtp.port"), QStringLiteral("2525") },
        { QStringLiteral("report.recipients"), QStringLiteral("a@example.org, b@example.org") },
        { QStringLiteral("sources.binance-url"), QStringLiteral("http://127.0.0.1:9") } }));
    const SettingValues values = settings.values();
    QCOMPARE(values.smtpPort, 2525);
    QCOMPARE(values.reportRecipients,
        QStringList({ QStringLiteral("a@example.org"), QStringLiteral("b@example.org") }));
    QCOMPARE(values.binanceUrl, QUrl(QStringLiteral("http://127.0.0.1:9")));
    QVERIFY(settings.unset(QStringLiteral("smtp.port")));
    QCOMPARE(settings.values().smtpPort, 587);
}

void TestSettings::valuesOnAnotherThread()
{
    // What a flow's task does: read the values on a pool thread while the owner changes them.
    Settings settings(iniPath(), {});
    std::atomic<bool> done = false;
    QSet<int> seen;
    QThread *reader = QThread::create([&] {
        while (!done) {
            seen.insert(settings.values().timeoutSeconds);
        }
    });
    reader->start();
    for (int seconds = 1; seconds <= 50; ++seconds)
        QVERIFY(
            settings.setText(QStringLiteral("sources.timeout-seconds"), QString::number(seconds)));
    done = true;
    reader->wait();
    delete reader;
    for (int value : std::as_const(seen))
        QVERIFY2(value == 30 || (value >= 1 && value <= 50), qPrintable(QString::number(value)));
    QCOMPARE(settings.values().timeoutSeconds, 50);
}

void TestSettings::followsChangesOfAnotherProcess()
{
    // The window's Settings follows `sluice config set` run beside it (here: a second object on
    // the same file): the new value is there, and changed() says which key.
    Settings live(iniPath(), {});
    QSignalSpy changed(&live, &Settings::changed);
    {
        Settings other(iniPath(), {});
        QVERIFY(
            other.setText(QStringLiteral("report.recipients"), QStringLiteral("a@example.org")));
    }
    QTRY_COMPARE(live.values().reportRecipients, QStringList{ QStringLiteral("a@example.org") });
    QCOMPARE(live.reportRecipients(), QStringList{ QStringLiteral("a@example.org") });
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toString(), QStringLiteral("report.recipients"));
    {
        Settings other(iniPath(), {});
        QVERIFY(other.setText(QStringLiteral("sources.timeout-seconds"), QStringLiteral("5")));
    }
    QTRY_COMPARE(live.timeoutSeconds(), 5);
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(changed.last().at(0).toString(), QStringLiteral("sources.timeout-seconds"));

    // Its own change is told once, not again when the file it wrote is seen: the next signal
    // is the next change another process makes.
    QVERIFY(live.setText(QStringLiteral("smtp.port"), QStringLiteral("2525")));
    QCOMPARE(changed.size(), 3);
    {
        Settings other(iniPath(), {});
        QVERIFY(other.setText(QStringLiteral("alerts.enabled"), QStringLiteral("false")));
    }
    QTRY_VERIFY(changed.size() >= 4);
    QCOMPARE(changed.size(), 4);
    QCOMPARE(changed.last().at(0).toString(), QStringLiteral("alerts.enabled"));
}

void TestSettings::iniFileKeepsGroups()
{
    const QString path = m_dir->filePath(QStringLiteral("schedules.ini"));
    {
        IniFile file(path);
        file.setValue(QStringLiteral("schedules"), QStringLiteral("demo"), QStringLiteral("*/5"));
        file.setValue(QStringLiteral("cleared-defaults"), QStringLiteral("btc-update"), true);
        QCOMPARE(file.sync(), IniFile::Status::Ok);
    }
    const IniFile file(path);
    QCOMPARE(file.keys(QStringLiteral("schedules")), QStringList{ QStringLiteral("demo") });
    QVERIFY(file.contains(QStringLiteral("cleared-defaults"), QStringLiteral("btc-update")));
    QVERIFY(!file.contains(QStringLiteral("schedules"), QStringLiteral("btc-update")));
    QCOMPARE(file.value(QStringLiteral("schedules"), QStringLiteral("demo")).toString(),
        QStringLiteral("*/5"));
    QCOMPARE(file.value(QStringLiteral("schedules"), QStringLiteral("none"), 7).toInt(), 7);
    QFile text(path);
    QVERIFY(text.open(QIODevice::ReadOnly));
    const QByteArray bytes = text.readAll();
    QVERIFY2(bytes.contains("[schedules]\ndemo=*/5"), bytes.constData());

    IniFile blocked(m_dir->filePath(QStringLiteral("schedules.ini/under/a/file.ini")));
    blocked.setValue(QStringLiteral("a"), QStringLiteral("b"), 1);
    QCOMPARE(blocked.sync(), IniFile::Status::AccessError);
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

void TestSettings::writeIni(const QByteArray &bytes)
{
    QFile file(iniPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();
}

void TestSettings::unreadableFileIsNeverRewritten_data()
{
    QTest::addColumn<QByteArray>("bytes"); // "<folder>" and "<fifo>" make one of those
    QTest::addColumn<QString>("problem");
    const QByteArray good = "[smtp]\nhost=mail.example.org\nport=2525\n";
    QTest::newRow("garbage line") << good + "this is not ini\n"
                                  << "line 4 is neither a [section], a key=value line";
    QTest::newRow("binary") << QByteArray("[smtp]\nhost=a\x00\x01\x02=\xfe\n", 19)
                            << "line 2 contains a NUL byte";
    QTest::newRow("control character") << good + "user=a\x1b[31mb\n"
                                       << "line 4 contains the control character 0x1b";
    QTest::newRow("not utf-8") << good + "user=caf\xe9\n"
                               << "line 4 is not UTF-8 text";
    QTest::newRow("hash comment") << "# mine\n" + good << "line 1 starts with #";
    QTest::newRow("unclosed section")
        << QByteArray("[smtp\nhost=a\n") << "line 1 starts a [section] without its closing ]";
    QTest::newRow("text after section")
        << QByteArray("[smtp] extra\nhost=a\n") << "line 1 has text after the ] of its section";
    QTest::newRow("unclosed quote")
        << QByteArray("[smtp]\nuser=\"ops\nhost=a\n") << "line 2 opens a quote";
    QTest::newRow("no key") << good + "=25\n"
                            << "line 4 has no key before =";
    QTest::newRow("key twice") << good + "\n[smtp]\nport=25\n"
                               << "line 6 sets smtp.port again (first on line 3)";
    QTest::newRow("byte-order mark")
        << "\xef\xbb\xbf" + good << "line 1 starts with a byte-order mark";
    QTest::newRow("folder") << QByteArray("<folder>") << "it is a folder, not a settings file";
    QTest::newRow("fifo") << QByteArray("<fifo>") << "it is not a regular file";
}

void TestSettings::unreadableFileIsNeverRewritten()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, problem);
    if (bytes == "<folder>") {
        QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("settings.ini")));
    } else if (bytes == "<fifo>") {
        QVERIFY(::mkfifo(QFile::encodeName(iniPath()).constData(), 0600) == 0);
    } else {
        writeIni(bytes);
        // An old time, so that a rewrite within the same second would still show.
        QFile file(iniPath());
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(
            QDateTime::currentDateTimeUtc().addDays(-3), QFileDevice::FileModificationTime));
    }
    const QDateTime modified = QFileInfo(iniPath()).lastModified();

    {
        Settings settings(iniPath(), {});
        const Result<void> status = settings.fileStatus();
        QVERIFY(!status);
        QCOMPARE(status.error().where, iniPath());
        QVERIFY2(status.error().what.contains(problem), qPrintable(status.error().what));
        // Told once among the warnings, with the file and the problem.
        const QStringList warnings = settings.warnings();
        QCOMPARE(warnings.filter(iniPath()).size(), 1);
        QVERIFY2(warnings.first().contains(problem), qPrintable(warnings.join(u'\n')));

        for (const Result<void> &refused :
            { settings.setText(QStringLiteral("smtp.port"), QStringLiteral("25")),
                settings.setTexts({ { QStringLiteral("smtp.host"), QStringLiteral("b.example") },
                    { QStringLiteral("ui.keep-in-tray"), QStringLiteral("true") } }),
                settings.unset(QStringLiteral("smtp.host")),
                settings.unset(QStringLiteral("ui.language")) }) {
            QVERIFY(!refused);
            QCOMPARE(refused.error().where, iniPath());
            QVERIFY2(refused.error().what.contains(problem), qPrintable(refused.error().what));
            QVERIFY2(refused.error().what.contains(QLatin1String("nothing was changed")),
                qPrintable(refused.error().what));
        }
    } // QSettings writes pending changes when it goes: there must be none

    const QFileInfo after(iniPath());
    QCOMPARE(after.lastModified(), modified);
    if (after.isFile() && !bytes.startsWith('<')) {
        QFile file(iniPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), bytes);
    }
    QVERIFY(!QFileInfo::exists(iniPath() + QStringLiteral(".lock")));
}

void TestSettings::readableFilesAreAccepted_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("blank lines and comments")
        << QByteArray("; Sluice settings\n\n[smtp]\n  ; the relay\nport=2525\n\n");
    QTest::newRow("comment after a value") << QByteArray("[smtp]\nport=2525 ; the relay\n");
    QTest::newRow("crlf") << QByteArray("[smtp]\r\nport=2525\r\n");
    QTest::newRow("no final newline") << QByteArray("[smtp]\nport=2525");
    QTest::newRow("general section") << QByteArray("[General]\nx=1\n[smtp]\nport=2525\n");
    QTest::newRow("quoted with ; and =")
        << QByteArray("[smtp]\nuser=\"a;b=c \\\"d\\\"\"\nport=2525\n");
    QTest::newRow("utf-8 and tab") << QByteArray("[smtp]\nuser=\tJos\xc3\xa9\nport=2525\n");
    QTest::newRow("continued line") << QByteArray("[smtp]\nuser=a\\\nb\nport=2525\n");
}

void TestSettings::readableFilesAreAccepted()
{
    QFETCH(QByteArray, bytes);
    writeIni(bytes);
    Settings settings(iniPath(), {});
    QVERIFY2(settings.fileStatus(), qPrintable(settings.warnings().join(u'\n')));
    QVERIFY2(settings.warnings().isEmpty(), qPrintable(settings.warnings().join(u'\n')));
    if (bytes.contains("port"))
        QCOMPARE(settings.smtpPort(), 2525);
    QVERIFY(settings.setText(QStringLiteral("smtp.port"), QStringLiteral("25")));
    QCOMPARE(Settings(iniPath(), {}).smtpPort(), 25);
}

void TestSettings::fileWrittenBySettingsReadsBack()
{
    // Whatever a value holds, the file QSettings writes passes the check that guards it.
    const QString user = QStringLiteral("a \"b\"; c=d\\e #f [g] \u00e9\u4e2d") + QChar(0x7f)
        + QChar(0x01) + QChar(u'\t') + QStringLiteral("end");
    {
        Settings settings(iniPath(), {});
        QVERIFY(settings.setTexts({ { QStringLiteral("smtp.user"), user },
            { QStringLiteral("report.recipients"), QStringLiteral("a@x.org, b@y.org") },
            { QStringLiteral("sources.proxy"), QStringLiteral("http://u:p%40ss@proxy:3128") } }));
    }
    Settings reread(iniPath(), {});
    QVERIFY2(reread.fileStatus(), qPrintable(reread.warnings().join(u'\n')));
    QCOMPARE(reread.smtpUser(), user);
    QCOMPARE(reread.reportRecipients(),
        QStringList({ QStringLiteral("a@x.org"), QStringLiteral("b@y.org") }));
    QVERIFY(reread.setText(QStringLiteral("smtp.port"), QStringLiteral("25")));
}

void TestSettings::fixedFileIsWrittenAgain()
{
    writeIni("[smtp]\nport 2525\n");
    Settings settings(iniPath(), {});
    QVERIFY(!settings.fileStatus());
    QVERIFY(!settings.setText(QStringLiteral("smtp.port"), QStringLiteral("25")));
    writeIni("[smtp]\nport = 2525\n"); // fixed by hand while the program runs
    QVERIFY(settings.setText(QStringLiteral("smtp.host"), QStringLiteral("mail.example.org")));
    QVERIFY(settings.fileStatus());
    Settings reread(iniPath(), {});
    QCOMPARE(reread.smtpPort(), 2525);
    QCOMPARE(reread.smtpHost(), QStringLiteral("mail.example.org"));
}

void TestSettings::proxyPasswordIsMasked_data()
{
    QTest::addColumn<QString>("proxy");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("secret"); // must not appear; empty: nothing to hide
    QTest::newRow("user and password") << "http://ops:s3cret@proxy.example:3128"
                                       << "http://ops:***@proxy.example:3128"
                                       << "s3cret";
    QTest::newRow("user only") << "http://ops@proxy.example:3128"
                               << "http://ops@proxy.example:3128"
                               << "";
    QTest::newRow("none") << "http://proxy.example:3128"
                          << "http://proxy.example:3128"
                          << "";
    QTest::newRow("no scheme") << "ops:s3cret@proxy.example:3128"
                               << "http://ops:***@proxy.example:3128"
                               << "s3cret";
    QTest::newRow("percent-encoded") << "socks5://ops:p%40ss%3Aw%2Frd@proxy.example:1080"
                                     << "socks5://ops:***@proxy.example:1080"
                                     << "%3Aw%2Frd";
    QTest::newRow("special characters") << "http://ops:p!$&'()*+,;=~x@proxy.example:3128"
                                        << "http://ops:***@proxy.example:3128"
                                        << "p!$";
}

void TestSettings::proxyPasswordIsMasked()
{
    QFETCH(QString, proxy);
    QFETCH(QString, shown);
    QFETCH(QString, secret);
    Settings settings(iniPath(), {});
    QVERIFY(settings.setText(QStringLiteral("sources.proxy"), proxy));
    QCOMPARE(settings.displayText(QStringLiteral("sources.proxy")), shown);
    // The value itself keeps the password: the proxy needs it.
    QCOMPARE(Settings::maskPassword(settings.text(QStringLiteral("sources.proxy"))), shown);

    // From the environment, and in the warning about a value that is not a proxy URL.
    Settings fromEnvironment(iniPath(), { { QStringLiteral("https_proxy"), proxy } });
    QCOMPARE(fromEnvironment.displayText(QStringLiteral("sources.proxy")), shown);
    const QString broken =
        QString(proxy).replace(QLatin1String("proxy.example"), QLatin1String("bad host"));
    Settings badEnvironment(iniPath(), { { QStringLiteral("https_proxy"), broken } });
    QCOMPARE(badEnvironment.warnings().size(), 1);
    const Result<void> refused = settings.setText(QStringLiteral("sources.proxy"), broken);
    QVERIFY(!refused);
    for (const QString &message :
        { badEnvironment.warnings().first(), refused.error().message() }) {
        QVERIFY2(message.contains(QLatin1String("bad host")), qPrintable(message));
        if (!secret.isEmpty())
            QVERIFY2(!message.contains(secret), qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
