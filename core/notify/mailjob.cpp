#include "notify/mailjob.h"

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <QObject>
#include <QThreadPool>

#include "notify/mailer.h"

namespace Sluice {

struct MailJob::State
{
    Request request;
    std::atomic_bool cancelled{ false };
    std::function<bool()> shouldStop;

    bool stopRequested() const { return cancelled.load() || (shouldStop && shouldStop()); }

    // On the mail thread.
    Result<void> run()
    {
        if (stopRequested())
            return Error{ Mailer::tr("cancelled"), request.settings.where(), ErrorCode::Cancelled };
        MailSettings &settings = request.settings;
        if (!settings.user.isEmpty() && settings.password.isEmpty() && request.credentials) {
            if (Result<void> loaded = settings.loadPassword(*request.credentials); !loaded)
                return loaded;
        }
        return Mailer(settings).send(request.message, [this] { return stopRequested(); });
    }
};

namespace {

    // Carries a started job's end to the context's thread: a connection to a context object is
    // dropped safely when that object is destroyed, whichever thread emits.
    class MailJobRelay : public QObject
    {
        Q_OBJECT

    Q_SIGNALS:
        void finished();
    };

    // The one mail thread: mail goes out one at a time. At exit it waits for the mail on its
    // way, which its owner (alerts, the dialog, a run's token) has cancelled by then.
    struct MailThread : QThreadPool
    {
        MailThread()
        {
            setMaxThreadCount(1);
            setObjectName(QStringLiteral("sluice-mail"));
        }
    };
    Q_GLOBAL_STATIC(MailThread, mailThreadInstance)

    QThreadPool &mailThread()
    {
        return *mailThreadInstance();
    }

} // namespace

std::shared_ptr<MailJob> MailJob::start(Request request, QObject *context, Done done)
{
    auto state = std::make_shared<State>();
    state->request = std::move(request);
    auto result = std::make_shared<std::optional<Result<void>>>();
    auto *relay = new MailJobRelay; // lives on the caller's thread; deleted there
    QObject::connect(relay, &MailJobRelay::finished, context,
        [done = std::move(done), result] { done(**result); });
    mailThread().start([state, relay, result] {
        result->emplace(state->run());
        Q_EMIT relay->finished();
        relay->deleteLater();
    });
    return std::make_shared<MailJob>(std::move(state));
}

Result<void> MailJob::send(Request request, std::function<bool()> shouldStop)
{
    auto state = std::make_shared<State>();
    state->request = std::move(request);
    state->shouldStop = std::move(shouldStop);
    std::optional<Result<void>> result;
    std::mutex mutex;
    std::condition_variable finished;
    mailThread().start([&] {
        Result<void> sent = state->run();
        std::lock_guard lock(mutex);
        result.emplace(std::move(sent));
        finished.notify_one();
    });
    std::unique_lock lock(mutex);
    finished.wait(lock, [&] { return result.has_value(); });
    return *result;
}

void MailJob::cancel()
{
    m_state->cancelled.store(true);
}

bool MailJob::isCancelled() const
{
    return m_state->cancelled.load();
}

bool MailJob::waitForIdle(int ms)
{
    return mailThread().waitForDone(ms);
}

} // namespace Sluice

#include "mailjob.moc"
