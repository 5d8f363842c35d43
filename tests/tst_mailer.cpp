// The SMTP mailer against a real server on loopback (python3-aiosmtpd, one per test): the
// delivered message as Python's email package reads it, AUTH, TLS, refusals, timeouts and
// cancellation; and the MIME text itself.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

#include <atomic>
#include <future>

#include "notify/credentialstore.h"
#include "notify/mailer.h"
#include "notify/mailmessage.h"
#include "notify/mailsettings.h"
#include "smtpfixture.h"

using namespace Sluice;

Q_DECLARE_METATYPE(Sluice::MailAttachment)

namespace {

const QByteArray Csv = QByteArrayLiteral(
    "timeframe,start_timestamp,price,hash_rate,difficulty\r\n"
    "5m,1715558400,61234.5,7.365750402566894e+20,83148355189239.77\r\n"
    "5m,1715558700,\"quoted \"\"value\"\", with comma\",na\xc3\xafve \xe6\xaf\x94\xe7\x89\xb9,"
    "\"two\r\nlines\"\r\n"
    ".starts with a dot,1e-05,100.0,=SUM(A1),\xe2\x82\xac\r\n");

MailSettings plainSettings(quint16 port)
{
    MailSettings settings;
    settings.host = QStringLiteral("127.0.0.1");
    settings.port = port;
    settings.security = SmtpSecurity::None;
    settings.from = QStringLiteral("sluice@example.org");
    settings.connectTimeoutSeconds = 10;
    settings.timeoutSeconds = 30;
    return settings;
}

MailMessage simpleMessage()
{
    MailMessage message;
    message.from = QStringLiteral("sluice@example.org");
    message.to = { QStringLiteral("ops@example.org") };
    message.subject = QStringLiteral("Test");
    message.body = QStringLiteral("Hello.\n");
    return message;
}

QByteArray crlf(const QString &text)
{
    return text.toUtf8().replace("\n", "\r\n");
}

// A port where nothing listens: the OS picks a free one, which is closed again.
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

class TestMailer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void delivers_data();
    void delivers();
    void rawMessageIsWellFormed();
    void headerInjectionIsNeutralised();
    void invalidAddressesAreRefused_data();
    void invalidAddressesAreRefused();
    void authentication_data();
    void authentication();
    void connectionRefused();
    void silentServerTimesOut();
    void slowServerTimesOut();
    void recipientRefused();
    void plainSmtpOnlyToLoopback_data();
    void plainSmtpOnlyToLoopback();
    void tls_data();
    void tls();
    void cancelStopsTheTransfer_data();
    void cancelStopsTheTransfer();
    void sendersOnSeveralThreads();
    void accountFromSettingsAndCredentialStore();
    void missingPasswordIsExplained();
};

void TestMailer::initTestCase()
{
    // libcurl honours all_proxy even for SMTP; a dead proxy proves loopback mail bypasses it.
    qputenv("all_proxy", "http://127.0.0.1:9");
    qputenv("ALL_PROXY", "http://127.0.0.1:9");
    // The credential store asks the keyring first: never a developer's real one.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sluice-test-no-bus");
    qunsetenv("DISPLAY");
}

void TestMailer::delivers_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QList<MailAttachment>>("attachments");

    const MailAttachment csv{ QStringLiteral("btc-2024-05-13.csv"), "text/csv; charset=UTF-8",
        Csv };
    QByteArray binary;
    for (int i = 0; i < 256; ++i)
        binary += char(i);
    const MailAttachment named{ QStringLiteral("données été «1».bin"), "application/octet-stream",
        binary };
    const MailAttachment empty{ QStringLiteral("empty.csv"), "text/csv", QByteArray() };

    QTest::newRow("ascii") << "Daily report 2024-05-13"
                           << "The report is attached.\n"
                           << QList<MailAttachment>{ csv };
    QTest::newRow("unicode subject and body")
        << QStringLiteral("Rapport quotidien — 比特币 ✓ 📈")
        << QStringLiteral("Grüße,\nder Bericht 比特币 ist angehängt.\n")
        << QList<MailAttachment>{ csv };
    QTest::newRow("long unicode subject")
        << QStringLiteral("Échec du flux btc-update — ").repeated(8) + QStringLiteral("终") << "x\n"
        << QList<MailAttachment>{ csv };
    QTest::newRow("long ascii subject")
        << QStringLiteral("Flow btc-update failed at task load-prices after 3 attempts; see "
                          "the log lines below for the error and the context of the failure")
        << "x\n"
        << QList<MailAttachment>{ csv };
    QTest::newRow("dot lines in body") << "Dots"
                                       << "first\n.\n..two dots\n.\nlast\n"
                                       << QList<MailAttachment>{};
    QTest::newRow("several attachments") << "Three"
                                         << "See the files.\n"
                                         << QList<MailAttachment>{ csv, named, empty };
}

void TestMailer::delivers()
{
    QFETCH(QString, subject);
    QFETCH(QString, body);
    QFETCH(QList<MailAttachment>, attachments);

    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));

    MailMessage message;
    message.from = QStringLiteral("sluice@example.org");
    message.to = { QStringLiteral("ops@example.org"), QStringLiteral("cfo@example.net") };
    message.subject = subject;
    message.body = body;
    message.attachments = attachments;
    message.date = QDateTime(QDate(2024, 5, 14), QTime(0, 1, 2), Qt::UTC);

    Mailer mailer(plainSettings(server.port()));
    const Result<void> sent = mailer.send(message);
    QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message()));
    QCOMPARE(server.messageCount(), 1);

    const QJsonObject delivered = server.message(1);
    QCOMPARE(delivered.value(u"mail_from").toString(), message.from);
    QCOMPARE(delivered.value(u"rcpt_tos").toVariant().toStringList(), message.to);
    const QJsonObject parsed = delivered.value(u"message").toObject();
    QCOMPARE(parsed.value(u"defects").toArray(), QJsonArray());
    const QJsonObject headers = parsed.value(u"headers").toObject();
    QCOMPARE(headers.value(u"From").toString(), message.from);
    QCOMPARE(headers.value(u"To").toString(), message.to.join(QStringLiteral(", ")));
    QCOMPARE(headers.value(u"Subject").toString(), subject);
    QCOMPARE(headers.value(u"MIME-Version").toString(), QStringLiteral("1.0"));
    QCOMPARE(qint64(parsed.value(u"date_epoch").toDouble()), message.date.toSecsSinceEpoch());
    const QString id = headers.value(u"Message-ID").toString();
    QVERIFY2(
        QRegularExpression(QStringLiteral("^<[^<>@\\s]+@example\\.org>$")).match(id).hasMatch(),
        qPrintable(id));

    const QJsonArray parts = parsed.value(u"parts").toArray();
    QCOMPARE(parsed.value(u"is_multipart").toBool(), !attachments.isEmpty());
    QCOMPARE(parts.size(), attachments.size() + 1);
    const QJsonObject text = parts.at(0).toObject();
    QCOMPARE(text.value(u"content_type").toString(), QStringLiteral("text/plain"));
    QCOMPARE(text.value(u"charset").toString(), QStringLiteral("utf-8"));
    QCOMPARE(
        QByteArray::fromBase64(text.value(u"payload_base64").toString().toLatin1()), crlf(body));
    for (qsizetype i = 0; i < attachments.size(); ++i) {
        const QJsonObject part = parts.at(i + 1).toObject();
        const MailAttachment &expected = attachments.at(i);
        QCOMPARE(part.value(u"disposition").toString(), QStringLiteral("attachment"));
        QCOMPARE(part.value(u"filename").toString(), expected.fileName);
        QCOMPARE(part.value(u"content_type").toString().toLatin1(),
            expected.contentType.split(';').first());
        // Byte for byte: CRLF line ends, quotes and UTF-8 survive.
        QCOMPARE(QByteArray::fromBase64(part.value(u"payload_base64").toString().toLatin1()),
            expected.data);
    }
}

void TestMailer::rawMessageIsWellFormed()
{
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    MailMessage message = simpleMessage();
    message.to.append(QStringLiteral("a-rather-long-recipient-address@subdomain.example.org"));
    message.to.append(QStringLiteral("another-rather-long-address@subdomain.example.org"));
    message.subject = QStringLiteral("Ünïcödé ").repeated(20);
    message.body = QStringLiteral("line one\r\nline two\rline three\n") + QString(2000, u'x');
    message.attachments = { { QStringLiteral("r.csv"), "text/csv", Csv.repeated(40) } };
    const Result<void> sent = Mailer(plainSettings(server.port())).send(message);
    QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message()));

    const QByteArray raw = server.rawMessage(1);
    QVERIFY(!raw.isEmpty());
    const qsizetype headerEnd = raw.indexOf("\r\n\r\n");
    QVERIFY(headerEnd > 0);
    const QList<QByteArray> lines = raw.split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        QVERIFY2(lines.at(i).endsWith('\r'), lines.at(i).constData()); // no bare LF
        QVERIFY2(lines.at(i).size() <= 999, "a line longer than SMTP's 998 octets");
    }
    QVERIFY2(!raw.contains("\r\r"), "stray CR");
    for (const QByteArray &line : raw.left(headerEnd).split('\n'))
        QVERIFY2(line.size() <= 79, line.constData()); // header lines folded at 78
    for (const QByteArray &line : raw.split('\n')) {
        QVERIFY2(!line.startsWith("Bcc"), line.constData());
        for (char c : line)
            QVERIFY2(uchar(c) < 0x80, "8-bit byte on the wire");
    }
    QCOMPARE(
        server.message(1).value(u"message").toObject().value(u"defects").toArray(), QJsonArray());
}

void TestMailer::headerInjectionIsNeutralised()
{
    MailMessage message = simpleMessage();
    message.subject = QStringLiteral("Hi\r\nBcc: victim@example.org\r\n\r\nfake body");
    message.attachments = { { QStringLiteral("x.csv\r\nX-Injected: 1"), "text/csv\r\nX-Evil: 1",
        "a,b\r\n" } };
    const QByteArray mime = message.toMime();
    for (const QByteArray &line : mime.split('\n')) {
        QVERIFY2(!line.startsWith("Bcc:"), mime.constData());
        QVERIFY2(!line.startsWith("X-Injected"), mime.constData());
        QVERIFY2(!line.startsWith("X-Evil"), mime.constData());
    }
    QVERIFY(mime.contains("Subject: Hi Bcc: victim@example.org fake body\r\n"));
}

void TestMailer::invalidAddressesAreRefused_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QStringList>("to");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no recipient") << "a@example.org" << QStringList{} << "no recipient";
    QTest::newRow("command in sender")
        << "a@example.org>\r\nRCPT TO:<b@example.org" << QStringList{ "c@example.org" }
        << "is not a valid email address";
    QTest::newRow("no at sign") << "a@example.org" << QStringList{ "ops" }
                                << "\"ops\" is not a valid email address";
    QTest::newRow("display name") << "a@example.org" << QStringList{ "Ops <ops@example.org>" }
                                  << "is not a valid email address";
    QTest::newRow("no sender") << "" << QStringList{ "ops@example.org" } << "no sender address";
}

void TestMailer::invalidAddressesAreRefused()
{
    QFETCH(QString, from);
    QFETCH(QStringList, to);
    QFETCH(QString, expected);
    MailMessage message = simpleMessage();
    message.from = from;
    message.to = to;
    const quint16 port = closedPort();
    MailSettings settings = plainSettings(port);
    Mailer mailer(settings);
    const Result<void> sent = mailer.send(message);
    QVERIFY(!sent);
    // Refused before connecting: the closed port would say "connection refused".
    QVERIFY2(sent.error().what.contains(expected), qPrintable(sent.error().message()));
    QCOMPARE(sent.error().where, settings.where());
}

void TestMailer::authentication_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("expected"); // empty: delivered

    const QString right = QStringLiteral("s3cret Pässwörd");
    QTest::newRow("right password") << "bob" << right << QString();
    QTest::newRow("wrong password")
        << "bob" << QStringLiteral("wrong-guess") << "535 5.7.8 Authentication credentials invalid";
    QTest::newRow("wrong user") << "alice" << right << "535 5.7.8";
    QTest::newRow("no user") << QString() << QString() << "530";
}

void TestMailer::authentication()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, expected);

    SmtpFixture::Options options;
    options.user = QStringLiteral("bob");
    options.password = QStringLiteral("s3cret Pässwörd");
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));

    MailSettings settings = plainSettings(server.port());
    settings.user = user;
    settings.password = password;
    const Result<void> sent = Mailer(settings).send(simpleMessage());
    if (expected.isEmpty()) {
        QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message()));
        QCOMPARE(server.message(1).value(u"auth_user").toString(), user);
        return;
    }
    QVERIFY(!sent);
    QCOMPARE(server.messageCount(), 0);
    QCOMPARE(sent.error().where, QStringLiteral("smtp://127.0.0.1:%1").arg(server.port()));
    QVERIFY2(sent.error().what.contains(expected), qPrintable(sent.error().message()));
    if (!password.isEmpty())
        QVERIFY2(!sent.error().message().contains(password), "the password is in the error");
}

void TestMailer::connectionRefused()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    const Result<void> sent = Mailer(plainSettings(port)).send(simpleMessage());
    QVERIFY(!sent);
    QVERIFY2(sent.error().what.startsWith(QLatin1String("connection refused")),
        qPrintable(sent.error().message()));
    QCOMPARE(sent.error().where, QStringLiteral("smtp://127.0.0.1:%1").arg(port));
}

void TestMailer::silentServerTimesOut()
{
    // Listening but never accepting: the kernel completes the handshake, nobody ever speaks.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    MailSettings settings = plainSettings(silent.serverPort());
    settings.timeoutSeconds = 2;
    QElapsedTimer clock;
    clock.start();
    const Result<void> sent = Mailer(settings).send(simpleMessage());
    const qint64 elapsed = clock.elapsed();
    QVERIFY(!sent);
    QVERIFY2(sent.error().what.contains(QLatin1String("timed out after 2 s waiting for the "
                                                      "server's greeting")),
        qPrintable(sent.error().message()));
    QVERIFY2(elapsed >= 1900 && elapsed < 6000, qPrintable(QString::number(elapsed)));
}

void TestMailer::slowServerTimesOut()
{
    SmtpFixture::Options options;
    options.delayDataSeconds = 60;
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    MailSettings settings = plainSettings(server.port());
    settings.timeoutSeconds = 2;
    QElapsedTimer clock;
    clock.start();
    const Result<void> sent = Mailer(settings).send(simpleMessage());
    const qint64 elapsed = clock.elapsed();
    QVERIFY(!sent);
    QVERIFY2(sent.error().what.contains(QLatin1String("timed out after 2 s waiting for the "
                                                      "server to accept the message")),
        qPrintable(sent.error().message()));
    QVERIFY2(sent.error().what.contains(QLatin1String("354")), qPrintable(sent.error().what));
    QVERIFY2(elapsed >= 1900 && elapsed < 6000, qPrintable(QString::number(elapsed)));
}

void TestMailer::recipientRefused()
{
    SmtpFixture::Options options;
    options.rejected = { QStringLiteral("nobody@example.org") };
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    MailMessage message = simpleMessage();
    message.to = { QStringLiteral("ops@example.org"), QStringLiteral("nobody@example.org") };
    const Result<void> sent = Mailer(plainSettings(server.port())).send(message);
    QVERIFY(!sent);
    QVERIFY2(sent.error().what.startsWith(QLatin1String(
                 "recipient refused: 550 5.1.1 <nobody@example.org>: Recipient address "
                 "rejected")),
        qPrintable(sent.error().message()));
    QCOMPARE(server.messageCount(), 0);
}

void TestMailer::plainSmtpOnlyToLoopback_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("name") << "mail.example.org";
    QTest::newRow("documentation address") << "192.0.2.10";
    QTest::newRow("private address") << "10.1.2.3";
}

void TestMailer::plainSmtpOnlyToLoopback()
{
    QFETCH(QString, host);
    MailSettings settings = plainSettings(25);
    settings.host = host;
    settings.connectTimeoutSeconds = 20;
    QElapsedTimer clock;
    clock.start();
    const Result<void> sent = Mailer(settings).send(simpleMessage());
    QVERIFY(!sent);
    QVERIFY2(sent.error().what.contains(QLatin1String("allowed only for a loopback host")),
        qPrintable(sent.error().message()));
    QVERIFY2(sent.error().what.contains(host), qPrintable(sent.error().what));
    // Nothing was tried: no name lookup, no connection attempt.
    QVERIFY(clock.elapsed() < 1000);
}

void TestMailer::tls_data()
{
    QTest::addColumn<int>("serverTls");
    QTest::addColumn<QString>("certificateName");
    QTest::addColumn<int>("security");
    QTest::addColumn<bool>("trusted");
    QTest::addColumn<QString>("expected"); // empty: delivered

    const int none = int(SmtpFixture::Tls::None);
    const int startTls = int(SmtpFixture::Tls::StartTls);
    const int implicit = int(SmtpFixture::Tls::Implicit);
    const QString localhost = QStringLiteral("localhost");
    QTest::newRow("starttls, trusted")
        << startTls << localhost << int(SmtpSecurity::StartTls) << true << QString();
    QTest::newRow("starttls, untrusted") << startTls << localhost << int(SmtpSecurity::StartTls)
                                         << false << "certificate verification failed: ";
    QTest::newRow("starttls, other host name")
        << startTls << "mail.example.org" << int(SmtpSecurity::StartTls) << true
        << "certificate verification failed: ";
    QTest::newRow("implicit tls, trusted")
        << implicit << localhost << int(SmtpSecurity::Tls) << true << QString();
    QTest::newRow("implicit tls, untrusted") << implicit << localhost << int(SmtpSecurity::Tls)
                                             << false << "certificate verification failed: ";
    QTest::newRow("starttls not offered")
        << none << localhost << int(SmtpSecurity::StartTls) << false << "does not offer STARTTLS";
    QTest::newRow("implicit tls to a plain server")
        << none << localhost << int(SmtpSecurity::Tls) << false << "TLS handshake failed";
}

void TestMailer::tls()
{
    QFETCH(int, serverTls);
    QFETCH(QString, certificateName);
    QFETCH(int, security);
    QFETCH(bool, trusted);
    QFETCH(QString, expected);

    SmtpFixture::Options options;
    options.tls = SmtpFixture::Tls(serverTls);
    options.certificateName = certificateName;
    options.user = QStringLiteral("bob");
    options.password = QStringLiteral("over-tls");
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));

    MailSettings settings = plainSettings(server.port());
    settings.security = SmtpSecurity(security);
    settings.user = options.user;
    settings.password = options.password;
    if (trusted)
        settings.caCertificatesFile = server.certificateFile();
    const Result<void> sent = Mailer(settings).send(simpleMessage());
    if (expected.isEmpty()) {
        QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message()));
        QCOMPARE(server.messageCount(), 1);
        return;
    }
    QVERIFY(!sent);
    QVERIFY2(sent.error().what.contains(expected), qPrintable(sent.error().message()));
    QVERIFY(sent.error().what.size() > expected.size()); // the cause follows
    QCOMPARE(server.messageCount(), 0);
}

void TestMailer::cancelStopsTheTransfer_data()
{
    QTest::addColumn<bool>("byPredicate");
    QTest::newRow("cancel()") << false;
    QTest::newRow("predicate") << true;
}

void TestMailer::cancelStopsTheTransfer()
{
    QFETCH(bool, byPredicate);
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QSignalSpy connected(&silent, &QTcpServer::newConnection);
    MailSettings settings = plainSettings(silent.serverPort());
    settings.timeoutSeconds = 60;
    Mailer mailer(settings);
    std::atomic_bool flag{ false };
    QElapsedTimer clock;
    clock.start();
    std::future<Result<void>> sending = std::async(std::launch::async,
        [&] { return mailer.send(simpleMessage(), [&flag] { return flag.load(); }); });
    QVERIFY(connected.wait(10000)); // the mailer is waiting for a greeting that never comes
    if (byPredicate)
        flag = true;
    else
        mailer.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(
        sending.wait_for(std::chrono::seconds(0)) == std::future_status::ready, 5000);
    const Result<void> sent = sending.get();
    QVERIFY(!sent);
    QCOMPARE(sent.error().what, QStringLiteral("cancelled"));
    QVERIFY(clock.elapsed() < 10000);
}

void TestMailer::sendersOnSeveralThreads()
{
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    const MailSettings settings = plainSettings(server.port());
    std::vector<std::future<Result<void>>> senders;
    for (int i = 0; i < 4; ++i) {
        senders.push_back(std::async(std::launch::async, [settings, i] {
            MailMessage message = simpleMessage();
            message.subject = QStringLiteral("Thread %1").arg(i);
            message.attachments = { { QStringLiteral("r.csv"), "text/csv", Csv } };
            return Mailer(settings).send(message);
        }));
    }
    for (auto &sender : senders) {
        const Result<void> sent = sender.get();
        QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message()));
    }
    QCOMPARE(server.messageCount(), 4);
    QStringList subjects;
    for (int n = 1; n <= 4; ++n)
        subjects << server.message(n)
                        .value(u"message")
                        .toObject()
                        .value(u"headers")
                        .toObject()
                        .value(u"Subject")
                        .toString();
    subjects.sort();
    QCOMPARE(subjects, QStringList({ "Thread 0", "Thread 1", "Thread 2", "Thread 3" }));
}

void TestMailer::accountFromSettingsAndCredentialStore()
{
    SmtpFixture::Options options;
    options.user = QStringLiteral("reports");
    options.password = QStringLiteral("from the file");
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));

    // What `sluice config set` and `sluice config set-password --store file` leave behind.
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("settings.ini")), QMap<QString, QString>());
    QVERIFY(settings.setTexts({ { QStringLiteral("smtp.host"), QStringLiteral("localhost") },
        { QStringLiteral("smtp.port"), QString::number(server.port()) },
        { QStringLiteral("smtp.security"), QStringLiteral("none") },
        { QStringLiteral("smtp.user"), options.user },
        { QStringLiteral("smtp.from"), QStringLiteral("sluice@example.org") } }));
    const CredentialStore store(
        dir.filePath(QStringLiteral("credentials")), QStringLiteral("smtp-password ") + dir.path());
    QVERIFY(store.store(options.password, CredentialLocation::File));

    MailSettings account = MailSettings::fromSettings(settings);
    QVERIFY(account.password.isEmpty());
    QCOMPARE(account.where(), QStringLiteral("smtp://localhost:%1").arg(server.port()));
    const Result<void> loaded = account.loadPassword(store);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message()));
    QCOMPARE(account.password, options.password);

    // The worker gets a copy; the send happens on another thread.
    MailMessage message = simpleMessage();
    message.attachments = { { QStringLiteral("report.csv"), "text/csv", Csv } };
    std::future<Result<void>> sending = std::async(
        std::launch::async, [account, message] { return Mailer(account).send(message); });
    const Result<void> sent = sending.get();
    QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message()));
    QCOMPARE(server.message(1).value(u"auth_user").toString(), options.user);
}

void TestMailer::missingPasswordIsExplained()
{
    QTemporaryDir dir;
    MailSettings account = plainSettings(25);
    account.user = QStringLiteral("reports");
    const CredentialStore store(
        dir.filePath(QStringLiteral("credentials")), QStringLiteral("smtp-password ") + dir.path());
    const Result<void> loaded = account.loadPassword(store);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().what.contains(QLatin1String("no SMTP password is stored")),
        qPrintable(loaded.error().message()));
    QVERIFY2(loaded.error().what.contains(QLatin1String("sluice config set-password")),
        qPrintable(loaded.error().message()));
    QVERIFY2(loaded.error().what.contains(QLatin1String("no keyring answered: ")),
        qPrintable(loaded.error().message()));

    // Without a user there is nothing to look up, and no AUTH.
    account.user.clear();
    QVERIFY(account.loadPassword(store));
}

QTEST_GUILESS_MAIN(TestMailer)
#include "tst_mailer.moc"
