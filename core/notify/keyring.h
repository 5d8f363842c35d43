#pragma once

// The system keyring (Secret Service, KWallet...) through QtKeychain, for one entry of the
// "sluice" service. QtKeychain queues its jobs in a process-wide object that is not
// thread-safe and answers by signals, so every job runs on one thread of its own
// ("sluice-keyring"); callers on any thread either wait for the reply (blocking, with a
// timeout) or receive it on their own thread (async). A plain value; copy it freely.

#include <QCoreApplication>
#include <QString>

#include <chrono>
#include <functional>

class QObject;

namespace Sluice {

class Keyring
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::Keyring)

public:
    static constexpr const char *Service = "sluice";

    enum class Status {
        Ok, // done; for read(), secret holds the value
        NotFound, // the keyring answered: there is no such entry
        Unavailable, // no keyring answered, or it refused; problem says why
    };
    struct Reply
    {
        Status status = Status::Unavailable;
        QString secret;
        QString problem; // QtKeychain's own text ("Cannot autolaunch D-Bus without X11 ...")
    };
    using Callback = std::function<void(const Reply &)>;

    explicit Keyring(const QString &key);

    QString key() const { return m_key; }

    // Blocking. Call from any thread that is not the keyring thread; needs a
    // QCoreApplication. Past the timeout the reply is Unavailable with a problem saying so.
    Reply read(std::chrono::milliseconds timeout) const;
    Reply write(const QString &secret, std::chrono::milliseconds timeout) const;
    Reply remove(std::chrono::milliseconds timeout) const;

    // Async: done runs once on context's thread, unless context is destroyed first.
    void readAsync(QObject *context, Callback done, std::chrono::milliseconds timeout) const;
    void writeAsync(const QString &secret, QObject *context, Callback done,
        std::chrono::milliseconds timeout) const;
    void removeAsync(QObject *context, Callback done, std::chrono::milliseconds timeout) const;

private:
    QString m_key;
};

} // namespace Sluice
