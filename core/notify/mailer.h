#pragma once

// Sends one MailMessage over SMTP with libcurl: STARTTLS or implicit TLS with certificate
// verification, AUTH, connection and total timeouts. send() blocks: call it on a worker
// thread, never the GUI thread. Any number of Mailers may send at once on different threads;
// cancel() may be called from any thread.

#include <QCoreApplication>
#include <QString>

#include <atomic>
#include <functional>

#include "engine/result.h"
#include "notify/mailmessage.h"
#include "notify/mailsettings.h"

namespace Sluice {

class Mailer
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::Mailer)

public:
    explicit Mailer(MailSettings settings);

    // Delivers the message to every recipient or fails with an Error whose `where` is
    // settings().where() and whose `what` quotes the server's reply when there was one:
    // "connection refused", "timed out after 30 s waiting for the server's greeting",
    // "the server refused the login of \"bob\": 535 5.7.8 Authentication credentials invalid",
    // "recipient refused: 550 5.1.1 <x@example.org>: User unknown",
    // "certificate verification failed: ...". Plain SMTP to a host that is not loopback is
    // refused before connecting. shouldStop (optional; e.g. a task's cancellation token) is
    // polled about once a second and during transfers, as cancel() is; either stops the
    // transfer with "cancelled".
    Result<void> send(const MailMessage &message, std::function<bool()> shouldStop = {});

    // A cancelled Mailer stays cancelled: later send() calls fail at once.
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

    const MailSettings &settings() const { return m_settings; }

private:
    MailSettings m_settings;
    std::atomic_bool m_cancelled{ false };
};

} // namespace Sluice
