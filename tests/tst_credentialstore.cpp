// Where the SMTP password lives: the 0600 credentials file, the keyring (absent here, as in CI:
// no D-Bus session; and a real gnome-keyring inside a private dbus-run-session when installed),
// and `sluice config set-password` run as a user would.

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "sluiceprocess.h"

#include <sys/stat.h>
#include <unistd.h>

#include "notify/credentialstore.h"
#include "notify/keyring.h"
#include "settings/datafolder.h"

using namespace Sluice;

namespace {

// Set in the copy of this test that runs inside its own D-Bus session with gnome-keyring.
constexpr const char *InsideSession = "SLUICE_TEST_INSIDE_KEYRING_SESSION";

bool insideSession()
{
    return qEnvironmentVariableIsSet(InsideSession);
}

mode_t modeOf(const QString &path)
{
    struct stat info;
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return info.st_mode & 07777;
}

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Every file under folder that contains needle, but the one allowed to.
QStringList filesContaining(const QString &folder, const QByteArray &needle, const QString &allowed)
{
    QStringList found;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path != allowed && contentOf(path).contains(needle))
            found << path;
    }
    return found;
}

} // namespace

class TestCredentialStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void fileRoundTrip_data();
    void fileRoundTrip();
    void fileReplacesLooserFile();
    void refusesAccessibleFile_data();
    void refusesAccessibleFile();
    void refusesSymbolicLink();
    void keyringUnavailable();
    void readOrder();
    void readAsyncAnswersOnCallerThread();
    void cliStoresInFile();
    void cliWithoutKeyringExplains_data();
    void cliWithoutKeyringExplains();
    void cliRefusesBadInput_data();
    void cliRefusesBadInput();
    void cliReadsTerminalWithoutEcho();
    void realKeyring();

private:
    using Output = SluiceProcess::Output;
    QProcessEnvironment sluiceEnvironment() const;
    Output runSluice(const QString &dataDir, const QStringList &args, const QByteArray &input);
    CredentialStore store() const
    {
        return CredentialStore(m_dir->filePath(QStringLiteral("credentials")),
            QStringLiteral("smtp-password test ") + m_dir->path());
    }
    void realKeyringInside();

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCredentialStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (insideSession())
        return;
    // No keyring, whatever the machine: never touch a developer's real keyring, and fail the
    // way CI does. (Set before the keyring thread first talks to D-Bus.)
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sluice-test-no-bus");
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");
}

void TestCredentialStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestCredentialStore::fileRoundTrip_data()
{
    QTest::addColumn<QString>("password");
    QTest::newRow("plain") << "s3cret";
    QTest::newRow("unicode and spaces") << QStringLiteral(" pä ss 密码 🔑 ");
    QTest::newRow("quotes and backslash") << "a\"b'c\\d$e";
}

void TestCredentialStore::fileRoundTrip()
{
    QFETCH(QString, password);
    // Even with a permissive umask the file never exists with wider permissions.
    const mode_t previous = ::umask(0);
    const Result<void> stored = store().store(password, CredentialLocation::File);
    ::umask(previous);
    QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().message()));

    const QString path = store().filePath();
    QCOMPARE(modeOf(path), mode_t(0600));
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
        | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
        | QFileDevice::ExeOther;
    QCOMPARE(QFileInfo(path).permissions() & others, QFileDevice::Permissions());
    QVERIFY(QFileInfo(path).permissions().testFlag(QFileDevice::ReadOwner));
    QCOMPARE(contentOf(path), password.toUtf8());
    // No temporary file left behind.
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden),
        QStringList{ QStringLiteral("credentials") });

    const Result<CredentialStore::Lookup> lookup = store().read();
    QVERIFY2(lookup, qPrintable(lookup ? QString() : lookup.error().message()));
    QCOMPARE(lookup->location, CredentialLocation::File);
    QCOMPARE(lookup->password, password);
}

void TestCredentialStore::fileReplacesLooserFile()
{
    const QString path = store().filePath();
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("old");
    old.close();
    QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
    QVERIFY(store().store(QStringLiteral("new"), CredentialLocation::File));
    QCOMPARE(modeOf(path), mode_t(0600));
    QCOMPARE(contentOf(path), QByteArray("new"));
}

void TestCredentialStore::refusesAccessibleFile_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("0644") << 0644 << false;
    QTest::newRow("0640 group") << 0640 << false;
    QTest::newRow("0604 world") << 0604 << false;
    QTest::newRow("0620 group writes") << 0620 << false;
    QTest::newRow("0660") << 0660 << false;
    QTest::newRow("0400 read-only") << 0400 << true;
    QTest::newRow("0600") << 0600 << true;
}

void TestCredentialStore::refusesAccessibleFile()
{
    QFETCH(int, mode);
    QFETCH(bool, accepted);
    const QString password = QStringLiteral("do-not-print-me");
    QVERIFY(store().store(password, CredentialLocation::File));
    const QString path = store().filePath();
    QVERIFY(::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0);

    const Result<CredentialStore::Lookup> lookup = store().read();
    if (accepted) {
        QVERIFY2(lookup, qPrintable(lookup ? QString() : lookup.error().message()));
        QCOMPARE(lookup->password, password);
        return;
    }
    QVERIFY(!lookup);
    const QString message = lookup.error().message();
    QCOMPARE(lookup.error().where, path);
    QVERIFY2(message.contains(QStringLiteral("mode 0%1").arg(mode, 0, 8)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("chmod 600 ") + path), qPrintable(message));
    QVERIFY(!message.contains(password));
}

void TestCredentialStore::refusesSymbolicLink()
{
    QTemporaryDir elsewhere;
    const CredentialStore real(elsewhere.filePath(QStringLiteral("credentials")), QString());
    QVERIFY(real.store(QStringLiteral("pw"), CredentialLocation::File));
    QVERIFY(QFile::link(real.filePath(), store().filePath()));
    const Result<CredentialStore::Lookup> lookup = store().read();
    QVERIFY(!lookup);
    QVERIFY2(lookup.error().what.contains(QLatin1String("symbolic link")),
        qPrintable(lookup.error().message()));
}

void TestCredentialStore::keyringUnavailable()
{
    QElapsedTimer clock;
    clock.start();
    const Keyring::Reply reply = Keyring(store().keyringKey()).read(std::chrono::seconds(20));
    QCOMPARE(reply.status, Keyring::Status::Unavailable);
    QVERIFY(!reply.problem.isEmpty()); // QtKeychain's own words

    const Result<void> stored = store().store(QStringLiteral("pw"), CredentialLocation::Keyring);
    QVERIFY(!stored);
    QVERIFY2(stored.error().what.startsWith(QLatin1String("no keyring answered: ")),
        qPrintable(stored.error().message()));
    QVERIFY2(stored.error().what.contains(reply.problem), qPrintable(stored.error().what));
    QVERIFY(!stored.error().message().contains(QLatin1String("pw")));
    QVERIFY(!QFileInfo::exists(store().filePath())); // no silent fallback to the file
    QVERIFY2(clock.elapsed() < 15000, "no keyring must fail fast, not by timeout");
}

void TestCredentialStore::readOrder()
{
    Result<CredentialStore::Lookup> lookup = store().read();
    QVERIFY(lookup);
    QCOMPARE(lookup->location, CredentialLocation::None);
    QVERIFY(lookup->password.isEmpty());
    QVERIFY(!lookup->keyringProblem.isEmpty());

    QVERIFY(store().store(QStringLiteral("from-file"), CredentialLocation::File));
    lookup = store().read();
    QVERIFY(lookup);
    QCOMPARE(lookup->location, CredentialLocation::File);
    QCOMPARE(lookup->password, QStringLiteral("from-file"));
    QVERIFY(!lookup->keyringProblem.isEmpty()); // the keyring was asked first

    QVERIFY(store().remove());
    QVERIFY(!QFileInfo::exists(store().filePath()));
    QCOMPARE(store().read()->location, CredentialLocation::None);
}

void TestCredentialStore::readAsyncAnswersOnCallerThread()
{
    QVERIFY(store().store(QStringLiteral("async"), CredentialLocation::File));
    bool answered = false;
    QThread *thread = nullptr;
    Result<CredentialStore::Lookup> lookup = Error{};
    QObject context;
    store().readAsync(&context, [&](const Result<CredentialStore::Lookup> &result) {
        answered = true;
        thread = QThread::currentThread();
        lookup = result;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
    QCOMPARE(thread, QThread::currentThread());
    QVERIFY(lookup);
    QCOMPARE(lookup->password, QStringLiteral("async"));

    // A context destroyed before the answer: the callback never runs.
    bool late = false;
    auto *gone = new QObject;
    store().readAsync(gone, [&](const Result<CredentialStore::Lookup> &) { late = true; });
    delete gone;
    bool last = false;
    store().readAsync(&context, [&](const Result<CredentialStore::Lookup> &) { last = true; });
    QTRY_VERIFY_WITH_TIMEOUT(last, 20000); // jobs run in order: the first has finished too
    QVERIFY(!late);
}

QProcessEnvironment TestCredentialStore::sluiceEnvironment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : { "SLUICE_DATA_DIR", "DISPLAY", "WAYLAND_DISPLAY" })
        environment.remove(QLatin1String(name));
    if (!insideSession())
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
            QStringLiteral("unix:path=/nonexistent/sluice-test-no-bus"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir->filePath(QStringLiteral("xdg")));
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    environment.insert(QStringLiteral("LANGUAGE"), QString());
    return environment;
}

TestCredentialStore::Output TestCredentialStore::runSluice(
    const QString &dataDir, const QStringList &args, const QByteArray &input)
{
    QProcess process;
    process.setProcessEnvironment(sluiceEnvironment());
    process.start(QStringLiteral(SLUICE_EXECUTABLE),
        QStringList{ QStringLiteral("--data-dir"), dataDir } + args);
    if (!process.waitForStarted(10000))
        return {};
    process.write(input);
    process.closeWriteChannel();
    return SluiceProcess::finish(process, 60000);
}

void TestCredentialStore::cliStoresInFile()
{
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    const QString password = QStringLiteral("Cli-Pässword 42");
    // Something in settings.ini first, so that there is a file to search.
    QCOMPARE(runSluice(dataDir, { "config", "set", "smtp.user", "bob" }, {}).code, 0);
    const Output output = runSluice(dataDir,
        { QStringLiteral("config"), QStringLiteral("set-password"), QStringLiteral("--store"),
            QStringLiteral("file") },
        password.toUtf8() + '\n');
    QCOMPARE(output.code, 0);
    const QString path = QDir(dataDir).filePath(QStringLiteral("credentials"));
    QVERIFY2(output.out.contains(path), qPrintable(output.out));
    QCOMPARE(contentOf(path), password.toUtf8());
    QCOMPARE(modeOf(path), mode_t(0600));
    QVERIFY(!output.out.contains(password));
    QVERIFY(!output.err.contains(password));
    QVERIFY(QFileInfo::exists(QDir(dataDir).filePath(QStringLiteral("settings.ini"))));
    QCOMPARE(filesContaining(m_dir->path(), password.toUtf8(), path), QStringList());

    // And the mailer's side reads it back.
    const Result<DataFolder> folder = DataFolder::open(dataDir);
    QVERIFY(folder);
    const Result<CredentialStore::Lookup> lookup = CredentialStore(*folder).read();
    QVERIFY(lookup);
    QCOMPARE(lookup->password, password);
}

void TestCredentialStore::cliWithoutKeyringExplains_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("default store") << QStringList{};
    QTest::newRow("--store keyring") << QStringList{ "--store", "keyring" };
}

void TestCredentialStore::cliWithoutKeyringExplains()
{
    QFETCH(QStringList, options);
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    const QString password = QStringLiteral("never-shown");
    const Output output = runSluice(dataDir,
        QStringList{ QStringLiteral("config"), QStringLiteral("set-password") } + options,
        password.toUtf8() + '\n');
    QCOMPARE(output.code, 1);
    QVERIFY(output.out.isEmpty());
    QVERIFY2(output.err.contains(QLatin1String("no keyring answered: ")), qPrintable(output.err));
    // QtKeychain's own text follows the colon.
    const qsizetype after = output.err.indexOf(QLatin1String("no keyring answered: ")) + 21;
    QVERIFY2(output.err.mid(after).section(QLatin1Char('\n'), 0, 0).trimmed().size() > 5,
        qPrintable(output.err));
    const QString path = QDir(dataDir).filePath(QStringLiteral("credentials"));
    QVERIFY2(output.err.contains(QLatin1String("config set-password --store file")),
        qPrintable(output.err));
    QVERIFY2(output.err.contains(path), qPrintable(output.err));
    QVERIFY2(output.err.contains(QLatin1String("readable only by you")), qPrintable(output.err));
    QVERIFY(!output.err.contains(password));
    QVERIFY(!QFileInfo::exists(path));
    QCOMPARE(filesContaining(m_dir->path(), password.toUtf8(), QString()), QStringList());
}

void TestCredentialStore::cliRefusesBadInput_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("expected");
    const QStringList file = { QStringLiteral("--store"), QStringLiteral("file") };
    QTest::newRow("nothing") << QByteArray() << file << "the password is empty";
    QTest::newRow("empty line") << QByteArray("\n") << file << "the password is empty";
    QTest::newRow("empty CRLF line") << QByteArray("\r\n") << file << "the password is empty";
    QTest::newRow("two lines") << QByteArray("first\nsecond\n") << file << "a single line";
    QTest::newRow("not UTF-8") << QByteArray("\xff\xfe\n") << file << "not valid UTF-8";
    QTest::newRow("unknown store")
        << QByteArray("pw\n") << QStringList{ QStringLiteral("--store"), QStringLiteral("vault") }
        << "--store must be \"keyring\" or \"file\", not \"vault\"";
    QTest::newRow("extra argument") << QByteArray("pw\n") << QStringList{ "hunter2" }
                                    << "\"set-password\" takes smtp (the default) or store";
}

void TestCredentialStore::cliRefusesBadInput()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, options);
    QFETCH(QString, expected);
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    const Output output = runSluice(dataDir,
        QStringList{ QStringLiteral("config"), QStringLiteral("set-password") } + options, input);
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(expected), qPrintable(output.err));
    QVERIFY(output.out.isEmpty());
    QVERIFY(!QFileInfo::exists(QDir(dataDir).filePath(QStringLiteral("credentials"))));
}

void TestCredentialStore::cliReadsTerminalWithoutEcho()
{
    const QString python = QStringLiteral("/usr/bin/python3");
    if (!QFileInfo::exists(python))
        QSKIP("needs /usr/bin/python3 to give sluice a terminal");
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    QCOMPARE(runSluice(dataDir, { "config", "set", "smtp.user", "bob" }, {}).code, 0);
    // A pseudo-terminal as a user has: sluice should prompt, turn echo off, read one line.
    const QString script = QStringLiteral(R"(
import os, pty, select, signal, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
def read(until, seconds):
    out = b""
    end = time.time() + seconds
    while time.time() < end and (until is None or until not in out):
        if select.select([fd], [], [], 0.1)[0]:
            try:
                data = os.read(fd, 1024)
            except OSError:
                break
            if not data:
                break
            out += data
    return out
out = read(b"password for bob: ", 20)
os.write(fd, b"tty-Secret\n")
out += read(None, 20)
for attempt in range(100):  # a sluice that hangs is killed, not left behind
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    time.sleep(0.1)
else:
    os.kill(pid, signal.SIGKILL)
    status = os.waitpid(pid, 0)[1]
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
)");
    QProcess process;
    process.setProcessEnvironment(sluiceEnvironment());
    process.start(python,
        { QStringLiteral("-c"), script, QStringLiteral(SLUICE_EXECUTABLE),
            QStringLiteral("--data-dir"), dataDir, QStringLiteral("config"),
            QStringLiteral("set-password"), QStringLiteral("--store"), QStringLiteral("file") });
    QVERIFY(process.waitForFinished(60000));
    const QString terminal = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(process.exitCode() == 0,
        qPrintable(terminal + QString::fromUtf8(process.readAllStandardError())));
    QVERIFY2(terminal.startsWith(QLatin1String("SMTP password for bob: ")), qPrintable(terminal));
    QVERIFY2(terminal.contains(QLatin1String("SMTP password stored in")), qPrintable(terminal));
    QVERIFY2(!terminal.contains(QLatin1String("tty-Secret")), "the password was echoed");
    QCOMPARE(
        contentOf(QDir(dataDir).filePath(QStringLiteral("credentials"))), QByteArray("tty-Secret"));
}

void TestCredentialStore::realKeyring()
{
    if (insideSession()) {
        realKeyringInside();
        return;
    }
    const QString session = QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
    const QString daemon = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
    if (session.isEmpty() || daemon.isEmpty())
        QSKIP("needs dbus-run-session and gnome-keyring-daemon (packages dbus-daemon, "
              "gnome-keyring)");

    // A private session bus and a keyring kept in a temporary folder: the machine's own
    // keyring, if any, is never touched.
    const QString runtime = m_dir->filePath(QStringLiteral("runtime"));
    QVERIFY(QDir().mkpath(runtime));
    QVERIFY(QFile::setPermissions(
        runtime, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name :
        { "DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "GNOME_KEYRING_CONTROL",
            "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION" })
        environment.remove(QLatin1String(name));
    environment.insert(QLatin1String(InsideSession), QStringLiteral("1"));
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dir->filePath(QStringLiteral("share")));
    environment.insert(QStringLiteral("HOME"), m_dir->path());
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    // The daemon creates and unlocks a "login" keyring with the password read from stdin.
    const QString script = QStringLiteral(
        "printf test-unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null "
        "&& exec \"$0\" realKeyring");
    process.start(session,
        { QStringLiteral("--"), QStringLiteral("/bin/sh"), QStringLiteral("-c"), script,
            QCoreApplication::applicationFilePath() });
    QVERIFY(process.waitForStarted(10000));
    QVERIFY(process.waitForFinished(90000));
    const QString output = QString::fromUtf8(process.readAll());
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
        qPrintable(output));
    QVERIFY2(output.contains(QLatin1String("PASS   : TestCredentialStore::realKeyring")),
        qPrintable(output));
}

// Runs inside dbus-run-session with an unlocked gnome-keyring.
void TestCredentialStore::realKeyringInside()
{
    const CredentialStore credentials = store();
    QVERIFY(credentials.store(QStringLiteral("was-in-file"), CredentialLocation::File));

    // Keyring: stored there, and the stale plain-text file is removed.
    Result<void> stored =
        credentials.store(QStringLiteral("kéyring-1"), CredentialLocation::Keyring);
    QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().message()));
    QVERIFY(!QFileInfo::exists(credentials.filePath()));
    Result<CredentialStore::Lookup> lookup = credentials.read();
    QVERIFY(lookup);
    QCOMPARE(lookup->location, CredentialLocation::Keyring);
    QCOMPARE(lookup->password, QStringLiteral("kéyring-1"));
    QVERIFY(lookup->keyringProblem.isEmpty());

    // File: the keyring entry goes, or it would shadow the file.
    QVERIFY(credentials.store(QStringLiteral("in-file-2"), CredentialLocation::File));
    QCOMPARE(Keyring(credentials.keyringKey()).read(std::chrono::seconds(20)).status,
        Keyring::Status::NotFound);
    lookup = credentials.read();
    QCOMPARE(lookup->location, CredentialLocation::File);
    QCOMPARE(lookup->password, QStringLiteral("in-file-2"));

    // The command line stores in the keyring by default, under the data folder's own entry.
    const QString dataDir = m_dir->filePath(QStringLiteral("data"));
    const Output output = runSluice(dataDir, { "config", "set-password" }, "cli-keyring-3\n");
    QVERIFY2(output.code == 0, qPrintable(output.err));
    QVERIFY2(output.out.contains(QLatin1String("system keyring")), qPrintable(output.out));
    const Result<DataFolder> folder = DataFolder::open(dataDir);
    QVERIFY(folder);
    bool answered = false;
    QObject context;
    CredentialStore(*folder).readAsync(&context, [&](const Result<CredentialStore::Lookup> &r) {
        answered = true;
        lookup = r;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
    QVERIFY(lookup);
    QCOMPARE(lookup->location, CredentialLocation::Keyring);
    QCOMPARE(lookup->password, QStringLiteral("cli-keyring-3"));
    QCOMPARE(filesContaining(dataDir, "cli-keyring-3", QString()), QStringList());

    // Removed from both places.
    QVERIFY(credentials.remove());
    lookup = credentials.read();
    QCOMPARE(lookup->location, CredentialLocation::None);
    QVERIFY(lookup->keyringProblem.isEmpty());
}

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
