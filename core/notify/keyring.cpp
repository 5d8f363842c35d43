#include "notify/keyring.h"

#include <condition_variable>
#include <memory>
#include <mutex>

#include <QMutex>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include "engine/ownedthread.h"

namespace Sluice {

namespace {

    enum class Operation { Read, Write, Remove };

    // The reply, shared by the keyring thread (writes it) and the requester (waits for it).
    struct Outcome
    {
        std::mutex mutex; // guards done and reply
        std::condition_variable answered;
        bool done = false;
        Keyring::Reply reply;
    };

    // The one thread that runs QtKeychain jobs, started on first use and stopped when the
    // QCoreApplication is destroyed.
    QMutex threadMutex;
    OwnedThread keyringThread; // guarded by threadMutex

    void stopKeyringThread()
    {
        QMutexLocker lock(&threadMutex);
        keyringThread.reset();
    }

    QThread *startedKeyringThread()
    {
        QMutexLocker lock(&threadMutex);
        if (!keyringThread && QCoreApplication::instance()) {
            keyringThread = startThread(QStringLiteral("keyring"));
            qAddPostRoutine(&stopKeyringThread);
        }
        return keyringThread.get();
    }

    Keyring::Reply unavailable(const QString &problem)
    {
        return Keyring::Reply{ Keyring::Status::Unavailable, QString(), problem };
    }

} // namespace

// One keyring operation, created on the requester's thread and run on the keyring thread.
// It answers once: with QtKeychain's result, or with a timeout (the QtKeychain job is then
// left to finish and delete itself; deleting it early would leave libsecret a dangling
// pointer).
class KeyringRequest : public QObject
{
    Q_OBJECT

public:
    KeyringRequest(Operation operation, const QString &key, const QString &secret,
        std::chrono::milliseconds timeout, std::shared_ptr<Outcome> outcome)
        : m_operation(operation)
        , m_key(key)
        , m_secret(secret)
        , m_timeout(timeout)
        , m_outcome(std::move(outcome))
    { }

    void start()
    {
        QKeychain::Job *job = nullptr;
        const QString service = QLatin1String(Keyring::Service);
        switch (m_operation) {
        case Operation::Read:
            job = new QKeychain::ReadPasswordJob(service);
            break;
        case Operation::Write: {
            auto *write = new QKeychain::WritePasswordJob(service);
            write->setTextData(m_secret);
            job = write;
            break;
        }
        case Operation::Remove:
            job = new QKeychain::DeletePasswordJob(service);
            break;
        }
        m_secret.clear();
        job->setAutoDelete(true);
        job->setInsecureFallback(false);
        job->setKey(m_key);
        connect(job, &QKeychain::Job::finished, this, &KeyringRequest::onJobFinished);
        QTimer::singleShot(m_timeout, this, [this] {
            const auto seconds = std::chrono::ceil<std::chrono::seconds>(m_timeout).count();
            finish(unavailable(Keyring::tr(
                "the keyring did not answer within %n second(s)", nullptr, int(seconds))));
        });
        job->start();
    }

Q_SIGNALS:
    void finished();

private:
    void onJobFinished(QKeychain::Job *job)
    {
        Keyring::Reply reply;
        switch (job->error()) {
        case QKeychain::NoError:
            reply.status = Keyring::Status::Ok;
            if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job))
                reply.secret = read->textData();
            break;
        case QKeychain::EntryNotFound:
            reply.status = Keyring::Status::NotFound;
            break;
        default:
            // Whatever went wrong (no D-Bus, no Secret Service, a refusal), no keyring
            // answered; QtKeychain's text is what the user needs to see.
            reply = unavailable(job->errorString().isEmpty()
                    ? Keyring::tr("QtKeychain error %1").arg(int(job->error()))
                    : job->errorString());
            break;
        }
        finish(reply);
    }

    void finish(const Keyring::Reply &reply)
    {
        if (m_finished)
            return;
        m_finished = true;
        {
            std::lock_guard lock(m_outcome->mutex);
            m_outcome->reply = reply;
            m_outcome->done = true;
        }
        m_outcome->answered.notify_all();
        Q_EMIT finished();
        deleteLater();
    }

    Operation m_operation;
    QString m_key;
    QString m_secret;
    std::chrono::milliseconds m_timeout;
    std::shared_ptr<Outcome> m_outcome;
    bool m_finished = false;
};

namespace {

    // Starts a request on the keyring thread. With a context, done runs on the context's
    // thread; without, the caller waits. Returns the reply when waiting.
    Keyring::Reply run(Operation operation, const QString &key, const QString &secret,
        std::chrono::milliseconds timeout, QObject *context, Keyring::Callback done)
    {
        QThread *thread = startedKeyringThread();
        QString refusal;
        if (!thread)
            refusal = Keyring::tr("the keyring needs a running application object");
        else if (QThread::currentThread() == thread)
            refusal = Keyring::tr("the keyring was asked from its own thread");
        if (!refusal.isEmpty()) {
            const Keyring::Reply reply = unavailable(refusal);
            if (context)
                QMetaObject::invokeMethod(
                    context, [done, reply] { done(reply); }, Qt::QueuedConnection);
            return reply;
        }

        auto outcome = std::make_shared<Outcome>();
        auto *request = new KeyringRequest(operation, key, secret, timeout, outcome);
        if (context) {
            QObject::connect(request, &KeyringRequest::finished, context, [outcome, done] {
                Keyring::Reply reply;
                {
                    std::lock_guard lock(outcome->mutex);
                    reply = outcome->reply;
                }
                done(reply);
            });
        }
        request->moveToThread(thread);
        QMetaObject::invokeMethod(request, &KeyringRequest::start, Qt::QueuedConnection);
        if (context)
            return Keyring::Reply{};

        // The request times itself out; the margin only covers a keyring thread that died.
        std::unique_lock lock(outcome->mutex);
        if (!outcome->answered.wait_for(
                lock, timeout + std::chrono::seconds(5), [&] { return outcome->done; })) {
            const auto seconds = std::chrono::ceil<std::chrono::seconds>(timeout).count();
            return unavailable(Keyring::tr(
                "the keyring did not answer within %n second(s)", nullptr, int(seconds)));
        }
        return outcome->reply;
    }

} // namespace

Keyring::Keyring(const QString &key)
    : m_key(key)
{ }

Keyring::Reply Keyring::read(std::chrono::milliseconds timeout) const
{
    return run(Operation::Read, m_key, QString(), timeout, nullptr, {});
}

Keyring::Reply Keyring::write(const QString &secret, std::chrono::milliseconds timeout) const
{
    return run(Operation::Write, m_key, secret, timeout, nullptr, {});
}

Keyring::Reply Keyring::remove(std::chrono::milliseconds timeout) const
{
    return run(Operation::Remove, m_key, QString(), timeout, nullptr, {});
}

void Keyring::readAsync(QObject *context, Callback done, std::chrono::milliseconds timeout) const
{
    run(Operation::Read, m_key, QString(), timeout, context, std::move(done));
}

void Keyring::writeAsync(
    const QString &secret, QObject *context, Callback done, std::chrono::milliseconds timeout) const
{
    run(Operation::Write, m_key, secret, timeout, context, std::move(done));
}

void Keyring::removeAsync(QObject *context, Callback done, std::chrono::milliseconds timeout) const
{
    run(Operation::Remove, m_key, QString(), timeout, context, std::move(done));
}

} // namespace Sluice

#include "keyring.moc"
