// The one way Sluice sends mail: a MailJob against a real SMTP server on loopback
// (python3-aiosmtpd): done on the caller's thread, the stored password loaded on the mail
// thread, cancel, a context destroyed before the end, and the blocking form for tasks.

#include <QElapsedTimer>
#include <QJsonObject>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <atomic>

#include "notify/credentialstore.h"
#include "notify/mailjob.h"
#include "smtpfixture.h"

using namespace Sluice;

namespace {

MailJob::Request request(quint16 port)
{
    MailJob::Request request;
    request.settings.host = QStringLiteral("127.0.0.1");
    request.settings.port = port;
    request.settings.security = SmtpSecurity::None;
    request.settings.from = QStringLiteral("sluice@example.org");
    request.settings.connectTimeoutSeconds = 10;
    request.settings.timeoutSeconds = 30;
    request.message.from = request.settings.from;
    request.message.to = { QStringLiteral("ops@example.org") };
    request.message.subject = QStringLiteral("Job");
    request.message.body = QStringLiteral("Hello.\n");
    return request;
}

} // namespace

class TestMailJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void doneRunsOnCallersThread();
    void loadsStoredPassword();
    void missingPasswordNamesTheCommand();
    void cancelStopsASlowMail();
    void destroyedContextIsNotCalled();
    void sendBlocksUntilDelivered();
    void sendStopsWhenAsked();

private:
    QTemporaryDir m_dir;
};

void TestMailJob::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // No keyring here: the file store answers (tests/tst_credentialstore covers the keyring).
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
}

void TestMailJob::doneRunsOnCallersThread()
{
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    std::optional<Result<void>> outcome;
    QThread *doneThread = nullptr;
    auto job = MailJob::start(request(server.port()), this, [&](const Result<void> &sent) {
        outcome = sent;
        doneThread = QThread::currentThread();
    });
    QVERIFY(job);
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 20000);
    QVERIFY2(
        bool(*outcome), qPrintable(outcome->hasValue() ? QString() : outcome->error().message()));
    QCOMPARE(doneThread, QThread::currentThread());
    QCOMPARE(server.messageCount(), 1);
    QCOMPARE(server.message(1)
                 .value(u"message")
                 .toObject()
                 .value(u"headers")
                 .toObject()
                 .value(u"Subject")
                 .toString(),
        QStringLiteral("Job"));
    QCOMPARE(server.message(1).value(u"auth_user").toString(), QString());
}

void TestMailJob::loadsStoredPassword()
{
    SmtpFixture::Options options;
    options.user = QStringLiteral("bob");
    options.password = QStringLiteral("s3cret \xc3\xa9");
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    const CredentialStore store(m_dir.filePath(QStringLiteral("credentials-ok")),
        QStringLiteral("sluice-test-mailjob %1").arg(m_dir.path()));
    QVERIFY(store.store(options.password, CredentialLocation::File));

    MailJob::Request mail = request(server.port());
    mail.settings.user = options.user;
    mail.credentials = store;
    std::optional<Result<void>> outcome;
    auto job = MailJob::start(mail, this, [&](const Result<void> &sent) { outcome = sent; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 20000);
    QVERIFY2(
        bool(*outcome), qPrintable(outcome->hasValue() ? QString() : outcome->error().message()));
    QCOMPARE(server.messageCount(), 1);
    QCOMPARE(server.message(1).value(u"auth_user").toString(), options.user);
}

void TestMailJob::missingPasswordNamesTheCommand()
{
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    MailJob::Request mail = request(server.port());
    mail.settings.user = QStringLiteral("bob");
    mail.credentials.emplace(m_dir.filePath(QStringLiteral("credentials-none")),
        QStringLiteral("sluice-test-mailjob-none %1").arg(m_dir.path()));
    const Result<void> sent = MailJob::send(mail);
    QVERIFY(!sent);
    QVERIFY2(sent.error().what.contains(QLatin1String("sluice config set-password")),
        qPrintable(sent.error().message()));
    QCOMPARE(server.messageCount(), 0);
}

void TestMailJob::cancelStopsASlowMail()
{
    SmtpFixture::Options options;
    options.delayDataSeconds = 20;
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    std::optional<Result<void>> outcome;
    auto job = MailJob::start(
        request(server.port()), this, [&](const Result<void> &sent) { outcome = sent; });
    QTest::qWait(300); // let it reach the server
    QElapsedTimer elapsed;
    elapsed.start();
    job->cancel();
    QVERIFY(job->isCancelled());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 5000);
    QVERIFY(!*outcome);
    QVERIFY2(elapsed.elapsed() < 3000, qPrintable(QString::number(elapsed.elapsed())));
}

void TestMailJob::destroyedContextIsNotCalled()
{
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    bool called = false;
    {
        QObject context;
        MailJob::start(
            request(server.port()), &context, [&](const Result<void> &) { called = true; });
    }
    QVERIFY(MailJob::waitForIdle(20000));
    QCoreApplication::sendPostedEvents();
    QTest::qWait(50);
    QVERIFY(!called);
    QCOMPARE(server.messageCount(), 1); // the mail itself still went out
}

void TestMailJob::sendBlocksUntilDelivered()
{
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    const Result<void> sent = MailJob::send(request(server.port()));
    QVERIFY2(bool(sent), qPrintable(sent.hasValue() ? QString() : sent.error().message()));
    QCOMPARE(server.messageCount(), 1);
}

void TestMailJob::sendStopsWhenAsked()
{
    SmtpFixture::Options options;
    options.delayDataSeconds = 20;
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QElapsedTimer elapsed;
    elapsed.start();
    const Result<void> sent =
        MailJob::send(request(server.port()), [&] { return elapsed.elapsed() > 500; });
    QVERIFY(!sent);
    QVERIFY2(elapsed.elapsed() < 4000, qPrintable(QString::number(elapsed.elapsed())));
}

QTEST_GUILESS_MAIN(TestMailJob)
#include "tst_mailjob.moc"
