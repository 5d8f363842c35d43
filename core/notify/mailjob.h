#pragma once

// One email on its way: loads the SMTP password from the credential store when the settings
// name a user and carry none, then sends it with a Mailer. Every mail Sluice sends goes through
// here (the daily report, failure alerts, the Settings dialog's test email), on the one mail
// thread, "sluice-mail", that this class owns: mail goes out one at a time, in order.

#include <functional>
#include <memory>
#include <optional>

#include "engine/result.h"
#include "notify/credentialstore.h"
#include "notify/mailmessage.h"
#include "notify/mailsettings.h"

class QObject;

namespace Sluice {

class MailJob
{
public:
    struct Request
    {
        MailSettings settings;
        MailMessage message;
        // Where the password is read from when settings.user is set and settings.password is
        // empty; without it such a request is sent without a password.
        std::optional<CredentialStore> credentials;
    };
    using Done = std::function<void(const Result<void> &)>;

    // Starts sending on the mail thread and returns at once; done runs on context's thread,
    // and not at all if context is destroyed first. Keep the job to cancel it.
    static std::shared_ptr<MailJob> start(Request request, QObject *context, Done done);

    // Sends on the mail thread and blocks the calling thread until that is done: for flow tasks
    // and commands, never the GUI thread. shouldStop (optional) is polled and cancels the mail.
    static Result<void> send(Request request, std::function<bool()> shouldStop = {});

    // Asks the job to stop: a mail not yet sent fails with "cancelled" within about a second.
    // Any thread.
    void cancel();
    bool isCancelled() const;

    // Waits until every mail started so far is sent or failed, at most ms (-1: no limit); false
    // on timeout. For commands before they exit and for tests.
    static bool waitForIdle(int ms);

    struct State;
    explicit MailJob(std::shared_ptr<State> state)
        : m_state(std::move(state))
    { }

private:
    std::shared_ptr<State> m_state;
};

} // namespace Sluice
