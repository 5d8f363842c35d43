// The sluice command line, run as a user would: exit codes, messages, and `sluice config`.

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "settings/settings.h"
#include "sluiceprocess.h"

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void exitCodes_data();
    void exitCodes();
    void versionPrintsVersion();
    void helpListsCommands();
    void dataFolderFromEnvironment();
    void dataFolderDefaultIsCreated();
    void unusableDataFolderIsNamed();
    void configSetGetUnset();
    void configRefusesUnknownKey();
    void configRefusesInvalidValue_data();
    void configRefusesInvalidValue();
    void configListShowsSources();
    void chineseMessages();
    void unreadableSettingsFileIsNeverRewritten_data();
    void unreadableSettingsFileIsNeverRewritten();
    void proxyPasswordIsMasked_data();
    void proxyPasswordIsMasked();
    void nonUtf8DataDirIsRefused_data();
    void nonUtf8DataDirIsRefused();
    void nonUtf8DataDirIsRefusedByTheWindow();

private:
    using Output = SluiceProcess::Output;
    Output run(const QStringList &args, const QMap<QString, QString> &env = {},
        const QString &program = QStringLiteral(SLUICE_EXECUTABLE));
    QProcessEnvironment environment(const QMap<QString, QString> &env) const;
    // argv for /bin/sh running sluice with a data folder named by path plus the byte 0xff,
    // given as "option" (--data-dir P), "equals" (--data-dir=P) or "env" (SLUICE_DATA_DIR).
    static QStringList withNonUtf8DataDir(
        const QString &path, const QString &how, const QStringList &args);
    QString dataDir() const { return m_dir->filePath(QStringLiteral("data")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QProcessEnvironment TestCli::environment(const QMap<QString, QString> &env) const
{
    QMap<QString, QString> changes;
    for (const char *name : { "SLUICE_BINANCE_URL", "SLUICE_MEMPOOL_URL", "https_proxy",
             "http_proxy", "HTTPS_PROXY", "HTTP_PROXY" })
        changes.insert(QLatin1String(name), QString());
    changes.insert(QStringLiteral("XDG_DATA_HOME"), m_dir->filePath(QStringLiteral("xdg-data")));
    changes.insert(
        QStringLiteral("XDG_CONFIG_HOME"), m_dir->filePath(QStringLiteral("xdg-config")));
    changes.insert(env);
    return SluiceProcess::environment(changes);
}

TestCli::Output TestCli::run(
    const QStringList &args, const QMap<QString, QString> &env, const QString &program)
{
    return SluiceProcess::run(args, environment(env), program);
}

void TestCli::exitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("stderrContains");
    const QString usage = QStringLiteral("Usage: sluice");
    QTest::newRow("unknown verb") << QStringList{ "frobnicate" } << 2
                                  << "unknown command \"frobnicate\"";
    QTest::newRow("unknown verb usage") << QStringList{ "frobnicate" } << 2 << usage;
    QTest::newRow("unknown option")
        << QStringList{ "--frobnicate" } << 2 << "Unknown option 'frobnicate'";
    QTest::newRow("unknown option after verb")
        << QStringList{ "config", "list", "--nope" } << 2 << "Unknown option 'nope'";
    QTest::newRow("missing option value")
        << QStringList{ "config", "list", "--data-dir" } << 2 << "Missing value after '--data-dir'";
    QTest::newRow("foreign option") << QStringList{ "config", "list", "--param", "a=1" } << 2
                                    << "\"--param\" does not apply to \"config\"";
    QTest::newRow("bad lang") << QStringList{ "--lang", "xx", "config", "list" } << 2
                              << "unknown language \"xx\"";
    QTest::newRow("serve with argument")
        << QStringList{ "serve", "now" } << 2 << "\"serve\" takes no arguments";
    QTest::newRow("flows with argument") << QStringList{ "flows",
        "demo" } << 2 << "unknown subcommand \"demo\"; \"flows\" takes check, new or show";
    QTest::newRow("run unknown flow") << QStringList{ "run", "nope", "--param", "fail=true" } << 2
                                      << "unknown flow \"nope\"; the flows are demo";
    QTest::newRow("export unknown table") << QStringList{ "export", "-o", "x.csv", "--table",
        "nope" } << 2 << "unknown table \"nope\"";
    QTest::newRow("schedule") << QStringList{ "schedule", "frob" } << 2
                              << "unknown subcommand \"frob\"";
    QTest::newRow("send-report with argument")
        << QStringList{ "send-report", "now" } << 2 << "\"send-report\" takes no arguments";
    QTest::newRow("set-password bad store") << QStringList{ "config", "set-password", "--store",
        "vault" } << 2 << "--store must be \"keyring\" or \"file\", not \"vault\"";
    QTest::newRow("config alone") << QStringList{ "config" } << 2 << "a subcommand is needed";
    QTest::newRow("config bad sub")
        << QStringList{ "config", "frob" } << 2 << "unknown subcommand \"frob\"";
    QTest::newRow("config get no key")
        << QStringList{ "config", "get" } << 2 << "\"get\" takes one KEY";
    QTest::newRow("config set no value")
        << QStringList{ "config", "set", "smtp.port" } << 2 << "\"set\" takes a KEY and one VALUE";
    QTest::newRow("no display") << QStringList{} << 1 << "no display";
}

void TestCli::exitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, stderrContains);
    QStringList all = { QStringLiteral("--data-dir"), dataDir() };
    all += args;
    QMap<QString, QString> env;
    if (args.isEmpty())
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QString()); // empty: not set for Qt's purpose
    // Without any display the window cannot open: it says so instead of aborting.
    const Output output = run(all, env);
    QCOMPARE(output.code, code);
    QVERIFY2(output.err.contains(stderrContains), qPrintable(output.err));
    QVERIFY2(output.out.isEmpty(), qPrintable(output.out));
}

void TestCli::versionPrintsVersion()
{
    const Output output = run({ QStringLiteral("--version") });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out, QStringLiteral("sluice " SLUICE_VERSION "\n"));
    QVERIFY(output.err.isEmpty());
    // Version and help need no data folder.
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("xdg-data/sluice"))));
}

void TestCli::helpListsCommands()
{
    const Output output = run({ QStringLiteral("--help") });
    QCOMPARE(output.code, 0);
    QVERIFY(output.out.startsWith(QLatin1String("Usage: sluice [options]")));
    for (const char *word : { "serve", "flows", "run", "export", "schedule", "config",
             "send-report", "--data-dir", "--lang", "--version" })
        QVERIFY2(output.out.contains(QLatin1String(word)), word);
}

void TestCli::dataFolderFromEnvironment()
{
    const QString envDir = m_dir->filePath(QStringLiteral("from-env"));
    const Output output = run({ QStringLiteral("config"), QStringLiteral("set"),
                                  QStringLiteral("smtp.port"), QStringLiteral("2525") },
        { { QStringLiteral("SLUICE_DATA_DIR"), envDir } });
    QCOMPARE(output.code, 0);
    QVERIFY(QFileInfo::exists(envDir + QStringLiteral("/settings.ini")));
    QVERIFY(QFileInfo::exists(envDir + QStringLiteral("/warehouse.sqlite")));
    // --data-dir wins over the environment.
    const Output other = run({ QStringLiteral("--data-dir"), dataDir(), QStringLiteral("config"),
                                 QStringLiteral("get"), QStringLiteral("smtp.port") },
        { { QStringLiteral("SLUICE_DATA_DIR"), envDir } });
    QCOMPARE(other.out, QStringLiteral("587\n"));
}

void TestCli::dataFolderDefaultIsCreated()
{
    const Output output = run({ QStringLiteral("config"), QStringLiteral("list") });
    QCOMPARE(output.code, 0);
    QVERIFY(QFileInfo::exists(m_dir->filePath(QStringLiteral("xdg-data/sluice/warehouse.sqlite"))));
}

void TestCli::unusableDataFolderIsNamed()
{
    QFile blocker(m_dir->filePath(QStringLiteral("blocker")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString path = blocker.fileName() + QStringLiteral("/data");
    const Output output = run(
        { QStringLiteral("--data-dir"), path, QStringLiteral("config"), QStringLiteral("list") });
    QCOMPARE(output.code, 1);
    QVERIFY2(output.err.contains(path), qPrintable(output.err));
    QVERIFY2(output.err.contains(QLatin1String("cannot create the data folder")),
        qPrintable(output.err));
}

void TestCli::configSetGetUnset()
{
    const QStringList base = { QStringLiteral("--data-dir"), dataDir(), QStringLiteral("config") };
    Output output =
        run(base + QStringList{ "set", "report.recipients", "ops@example.org, cfo@example.org" });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.err.isEmpty(), qPrintable(output.err));
    output = run(base + QStringList{ "get", "report.recipients" });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out, QStringLiteral("ops@example.org, cfo@example.org\n"));
    output = run(base + QStringList{ "unset", "report.recipients" });
    QCOMPARE(output.code, 0);
    output = run(base + QStringList{ "get", "report.recipients" });
    QCOMPARE(output.out, QStringLiteral("\n"));
}

void TestCli::configRefusesUnknownKey()
{
    for (const char *action : { "get", "set", "unset" }) {
        QStringList args = { QStringLiteral("--data-dir"), dataDir(), QStringLiteral("config"),
            QLatin1String(action), QStringLiteral("smtp.hostname") };
        if (QLatin1String(action) == QLatin1String("set"))
            args << QStringLiteral("x");
        const Output output = run(args);
        QCOMPARE(output.code, 2);
        QVERIFY2(output.err.contains(QLatin1String("smtp.hostname: unknown setting")),
            qPrintable(output.err));
        QVERIFY2(output.err.contains(QLatin1String("smtp.host,")), qPrintable(output.err));
    }
}

void TestCli::configRefusesInvalidValue_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("port") << "smtp.port"
                          << "99999"
                          << "smtp.port: must be a whole number from 1 to 65535, not \"99999\"";
    QTest::newRow("security") << "smtp.security"
                              << "ssl"
                              << "smtp.security: must be one of starttls, tls, none";
    QTest::newRow("url") << "sources.binance-url"
                         << "binance-api"
                         << "sources.binance-url: must be an http:// or https:// URL";
    QTest::newRow("bool") << "ui.keep-in-tray"
                          << "sometimes"
                          << "ui.keep-in-tray: must be true or false";
}

void TestCli::configRefusesInvalidValue()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const QStringList base = { QStringLiteral("--data-dir"), dataDir(), QStringLiteral("config") };
    const Output output = run(base + QStringList{ QStringLiteral("set"), key, value });
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(expected), qPrintable(output.err));
    QCOMPARE(run(base + QStringList{ QStringLiteral("list") }).out.contains(value), false);
}

void TestCli::configListShowsSources()
{
    const QStringList base = { QStringLiteral("--data-dir"), dataDir(), QStringLiteral("config") };
    QCOMPARE(run(base + QStringList{ "set", "smtp.port", "465" }).code, 0);
    const Output output = run(base + QStringList{ "list" },
        { { QStringLiteral("SLUICE_BINANCE_URL"), QStringLiteral("http://127.0.0.1:8080") } });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.out.contains(QLatin1String("smtp.port = 465    # settings.ini\n")),
        qPrintable(output.out));
    QVERIFY2(
        output.out.contains(QLatin1String(
            "sources.binance-url = http://127.0.0.1:8080    # environment SLUICE_BINANCE_URL\n")),
        qPrintable(output.out));
    QVERIFY2(
        output.out.contains(QLatin1String("smtp.security = starttls\n")), qPrintable(output.out));
    QVERIFY2(output.out.contains(QLatin1String("sources.max-retry-wait-seconds = 60\n")),
        qPrintable(output.out));
    QCOMPARE(output.out.count(QLatin1Char('\n')), int(Sluice::Settings::specs().size())); // one line per setting
}

void TestCli::chineseMessages()
{
    const Output output =
        run({ QStringLiteral("--lang"), QStringLiteral("zh_CN"), QStringLiteral("frobnicate") });
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(QStringLiteral("未知命令")), qPrintable(output.err));
}

void TestCli::unreadableSettingsFileIsNeverRewritten_data()
{
    QTest::addColumn<QByteArray>("bytes"); // "<folder>": a folder named settings.ini
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("port"); // what config list shows
    QTest::newRow("garbage line") << QByteArray("[smtp]\nport=2525\nnot a setting\n")
                                  << "line 3 is neither a [section], a key=value line"
                                  << "2525";
    QTest::newRow("binary") << QByteArray("[smtp]\nport=2525\nhost=a\0\xff\n", 26)
                            << "line 3 contains a NUL byte"
                            << "2525";
    QTest::newRow("folder") << QByteArray("<folder>") << "it is a folder, not a settings file"
                            << "587";
}

void TestCli::unreadableSettingsFileIsNeverRewritten()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, problem);
    QFETCH(QString, port);
    QVERIFY(QDir().mkpath(dataDir()));
    const QString ini = QDir(dataDir()).filePath(QStringLiteral("settings.ini"));
    if (bytes == "<folder>") {
        QVERIFY(QDir().mkpath(ini));
    } else {
        QFile file(ini);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(bytes), bytes.size());
        QVERIFY(file.setFileTime(
            QDateTime::currentDateTimeUtc().addDays(-3), QFileDevice::FileModificationTime));
    }
    const QDateTime modified = QFileInfo(ini).lastModified();
    const QString named = ini + QStringLiteral(": ") + problem;
    const QStringList base = { QStringLiteral("--data-dir"), dataDir() };

    // Changing a setting is refused, naming the file and what is wrong.
    for (const QStringList &change : { QStringList{ "config", "set", "smtp.port", "25" },
             QStringList{ "config", "unset", "smtp.port" } }) {
        const Output output = run(base + change);
        QCOMPARE(output.code, 1);
        QVERIFY2(output.err.contains(named), qPrintable(output.err));
        QVERIFY2(output.err.contains(QLatin1String("nothing was changed")), qPrintable(output.err));
        QVERIFY2(output.out.isEmpty(), qPrintable(output.out));
    }

    // Every other command warns once and goes on with what it could read.
    Output output = run(base + QStringList{ "config", "list" });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.err.count(problem), 1);
    QVERIFY2(
        output.err.startsWith(QStringLiteral("sluice: warning: ") + named), qPrintable(output.err));
    QVERIFY2(
        output.out.contains(QStringLiteral("smtp.port = %1").arg(port)), qPrintable(output.out));
    output = run(base + QStringList{ "config", "get", "smtp.port" });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.err.count(problem), 1);
    QCOMPARE(output.out, port + QLatin1Char('\n'));
    output = run(base + QStringList{ "flows" });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.err.count(problem), 1);
    QVERIFY2(output.out.contains(QLatin1String("demo")), qPrintable(output.out));

    const QFileInfo after(ini);
    QCOMPARE(after.lastModified(), modified);
    if (after.isFile()) {
        QFile file(ini);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), bytes);
    }
}

void TestCli::proxyPasswordIsMasked_data()
{
    QTest::addColumn<QString>("proxy");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("secret"); // empty: nothing to hide
    QTest::newRow("user and password") << "http://ops:s3cret@proxy.example:3128"
                                       << "http://ops:***@proxy.example:3128"
                                       << "s3cret";
    QTest::newRow("user only") << "http://ops@proxy.example:3128"
                               << "http://ops@proxy.example:3128"
                               << "";
    QTest::newRow("none") << "http://proxy.example:3128"
                          << "http://proxy.example:3128"
                          << "";
    QTest::newRow("special characters") << "socks5://ops:p%40ss!*;x@proxy.example:1080"
                                        << "socks5://ops:***@proxy.example:1080"
                                        << "p%40ss";
}

void TestCli::proxyPasswordIsMasked()
{
    QFETCH(QString, proxy);
    QFETCH(QString, shown);
    QFETCH(QString, secret);
    const QStringList base = { QStringLiteral("--data-dir"), dataDir(), QStringLiteral("config") };
    auto clean = [&](const Output &output) {
        return secret.isEmpty() || (!output.out.contains(secret) && !output.err.contains(secret));
    };
    Output output =
        run(base + QStringList{ QStringLiteral("set"), QStringLiteral("sources.proxy"), proxy });
    QCOMPARE(output.code, 0);
    QVERIFY(clean(output));

    output = run(base + QStringList{ QStringLiteral("list") });
    QCOMPARE(output.code, 0);
    QVERIFY2(
        output.out.contains(QStringLiteral("sources.proxy = %1    # settings.ini\n").arg(shown)),
        qPrintable(output.out));
    QVERIFY2(clean(output), qPrintable(output.out));

    output = run(base + QStringList{ QStringLiteral("get"), QStringLiteral("sources.proxy") });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out, shown + QLatin1Char('\n'));

    // From the environment; and a warning about an unusable one names it masked too.
    output = run(base + QStringList{ QStringLiteral("get"), QStringLiteral("sources.proxy") },
        { { QStringLiteral("https_proxy"), proxy } });
    QCOMPARE(output.out, shown + QLatin1Char('\n'));
    const QString broken =
        QString(proxy).replace(QLatin1String("proxy.example"), QLatin1String("bad host"));
    output = run({ QStringLiteral("--data-dir"), dataDir(), QStringLiteral("flows") },
        { { QStringLiteral("https_proxy"), broken } });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.err.contains(QLatin1String("https_proxy ignored")), qPrintable(output.err));
    QVERIFY2(output.err.contains(
                 QString(shown).replace(QLatin1String("proxy.example"), QLatin1String("bad host"))),
        qPrintable(output.err));
    QVERIFY2(clean(output), qPrintable(output.err));
}

QStringList TestCli::withNonUtf8DataDir(
    const QString &path, const QString &how, const QStringList &args)
{
    static const QString script = QStringLiteral(
        "sluice=\"$1\"; bad=\"$2$(printf '\\377')\"; how=\"$3\"; shift 3\n"
        "case \"$how\" in\n"
        "  option) exec \"$sluice\" --data-dir \"$bad\" \"$@\" ;;\n"
        "  equals) exec \"$sluice\" \"--data-dir=$bad\" \"$@\" ;;\n"
        "  env) SLUICE_DATA_DIR=\"$bad\"; export SLUICE_DATA_DIR; exec \"$sluice\" \"$@\" ;;\n"
        "esac\n"
        "exit 99\n");
    return QStringList{ QStringLiteral("-c"), script, QStringLiteral("sh"),
        QStringLiteral(SLUICE_EXECUTABLE), path, how }
    + args;
}

void TestCli::nonUtf8DataDirIsRefused_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<QStringList>("args");
    QTest::newRow("flows") << "option" << QStringList{ "flows" };
    QTest::newRow("config list, --data-dir=") << "equals" << QStringList{ "config", "list" };
    QTest::newRow("config set") << "option" << QStringList{ "config", "set", "smtp.port", "25" };
    QTest::newRow("run") << "option" << QStringList{ "run", "demo" };
    QTest::newRow("export") << "option" << QStringList{ "export", "-o", "-" };
    QTest::newRow("serve") << "option" << QStringList{ "serve" };
    QTest::newRow("environment") << "env" << QStringList{ "schedule", "list" };
}

void TestCli::nonUtf8DataDirIsRefused()
{
    QFETCH(QString, how);
    QFETCH(QStringList, args);
    // Qt would read the byte 0xff as U+FFFD and use the folder "café-\uFFFD" instead.
    const QString path = m_dir->filePath(QStringLiteral("café-"));
    const Output output = run(withNonUtf8DataDir(path, how, args), {}, QStringLiteral("/bin/sh"));
    QCOMPARE(output.code, 2);
    const QString source =
        how == u"env" ? QStringLiteral("SLUICE_DATA_DIR") : QStringLiteral("--data-dir");
    QVERIFY2(output.err.startsWith(
                 QStringLiteral("sluice: %1: \"%2\\xff\" is not UTF-8 text").arg(source, path)),
        qPrintable(output.err));
    QVERIFY2(output.out.isEmpty(), qPrintable(output.out));
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
}

void TestCli::nonUtf8DataDirIsRefusedByTheWindow()
{
    // The window says so on stderr and in a message box, which waits for a click: read stderr,
    // then end the process.
    const QString path = m_dir->filePath(QStringLiteral("café-"));
    QProcess process;
    process.setProcessEnvironment(environment({}));
    process.start(
        QStringLiteral("/bin/sh"), withNonUtf8DataDir(path, QStringLiteral("option"), {}));
    QByteArray err;
    const QByteArray expected =
        QStringLiteral("sluice: --data-dir: \"%1\\xff\" is not UTF-8 text").arg(path).toUtf8();
    QTRY_VERIFY_WITH_TIMEOUT((err += process.readAllStandardError()).contains(expected)
            || process.state() == QProcess::NotRunning,
        20000);
    QVERIFY2(err.contains(expected), err.constData());
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        QVERIFY(process.waitForFinished(10000));
    } else {
        QCOMPARE(process.exitCode(), 2);
    }
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
