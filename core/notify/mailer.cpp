#include "notify/mailer.h"

#include <curl/curl.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>

#include <QDeadlineTimer>
#include <QSysInfo>
#include <QUrl>

namespace Sluice {

namespace {

    // curl_global_init is not thread-safe; every Mailer goes through here first.
    bool initializeCurl()
    {
        static std::once_flag once;
        static CURLcode status = CURLE_OK;
        std::call_once(once, [] { status = curl_global_init(CURL_GLOBAL_DEFAULT); });
        return status == CURLE_OK;
    }

    struct EasyDeleter
    {
        void operator()(CURL *easy) const { curl_easy_cleanup(easy); }
    };
    struct ListDeleter
    {
        void operator()(curl_slist *list) const { curl_slist_free_all(list); }
    };

    // What one transfer reads, watches and remembers. Only the server's replies and the
    // names of the commands are kept: never AUTH arguments, never the password.
    struct Transfer
    {
        QByteArray data;
        qsizetype offset = 0;
        QByteArray pendingIn; // an incomplete reply line
        QStringList replyLines; // lines of the reply being received ("250-...")
        QString lastReply; // the last complete reply, continuation lines joined
        QString lastCommand; // "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA", "AUTH PLAIN"
        bool quitting = false; // QUIT was sent: its "221 Bye" explains nothing
        const std::atomic_bool *cancelFlag = nullptr;
        const std::function<bool()> *shouldStop = nullptr;
        QDeadlineTimer deadline; // a backstop past CURLOPT_TIMEOUT, see checkProgress()
        bool cancelled = false;
        bool overtime = false;
    };

    size_t readBody(char *buffer, size_t size, size_t count, void *user)
    {
        auto *transfer = static_cast<Transfer *>(user);
        const qsizetype left = transfer->data.size() - transfer->offset;
        const auto n = static_cast<qsizetype>(qMin<size_t>(size * count, size_t(left)));
        std::memcpy(buffer, transfer->data.constData() + transfer->offset, size_t(n));
        transfer->offset += n;
        return size_t(n);
    }

    void takeReplyLine(Transfer *transfer, QString line)
    {
        if (transfer->quitting)
            return;
        while (line.endsWith(QLatin1Char('\r')) || line.endsWith(QLatin1Char('\n')))
            line.chop(1);
        if (line.size() < 3)
            return;
        const bool last = line.size() == 3 || line.at(3) != QLatin1Char('-');
        if (transfer->replyLines.isEmpty()) {
            if (!last)
                line[3] = QLatin1Char(' ');
            transfer->replyLines.append(line);
        } else {
            transfer->replyLines.append(line.mid(4));
        }
        if (last) {
            QString reply = transfer->replyLines.join(QLatin1Char(' ')).simplified();
            if (reply.size() > 400)
                reply = reply.left(400) + QStringLiteral("…");
            transfer->lastReply = reply;
            transfer->replyLines.clear();
        }
    }

    void takeCommand(Transfer *transfer, const QByteArray &data)
    {
        QByteArray line = data;
        if (const qsizetype end = line.indexOf('\r'); end >= 0)
            line.truncate(end);
        if (const qsizetype end = line.indexOf('\n'); end >= 0)
            line.truncate(end);
        const QByteArray upper = line.toUpper();
        if (upper.startsWith("AUTH ")) {
            // "AUTH PLAIN <credentials>": keep the mechanism only.
            transfer->lastCommand = QString::fromLatin1(line.split(' ').mid(0, 2).join(' '));
            return;
        }
        if (upper.startsWith("QUIT")) {
            transfer->quitting = true;
            return;
        }
        for (const char *verb :
            { "EHLO", "HELO", "STARTTLS", "MAIL FROM", "RCPT TO", "DATA", "RSET", "NOOP" }) {
            if (upper.startsWith(verb)) {
                transfer->lastCommand = QString::fromUtf8(line);
                return;
            }
        }
        // Anything else is a continuation of AUTH (user name, password): not kept.
    }

    int watchExchange(CURL *, curl_infotype type, char *data, size_t size, void *user)
    {
        auto *transfer = static_cast<Transfer *>(user);
        if (type == CURLINFO_HEADER_IN) {
            transfer->pendingIn.append(data, qsizetype(size));
            qsizetype newline;
            while ((newline = transfer->pendingIn.indexOf('\n')) >= 0) {
                takeReplyLine(transfer, QString::fromUtf8(transfer->pendingIn.left(newline)));
                transfer->pendingIn.remove(0, newline + 1);
            }
        } else if (type == CURLINFO_HEADER_OUT) {
            takeCommand(transfer, QByteArray(data, qsizetype(size)));
        }
        return 0;
    }

    // Called about once a second and during transfers. Besides cancellation it enforces the
    // total timeout where libcurl does not: after a failure libcurl sends QUIT and waits up to
    // 120 s for the reply, ignoring CURLOPT_TIMEOUT, e.g. from a server stuck in DATA.
    int checkProgress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
    {
        auto *transfer = static_cast<Transfer *>(user);
        if (transfer->cancelFlag->load(std::memory_order_relaxed)
            || (*transfer->shouldStop && (*transfer->shouldStop)())) {
            transfer->cancelled = true;
            return 1;
        }
        if (transfer->deadline.hasExpired()) {
            transfer->overtime = true;
            return 1;
        }
        return 0;
    }

    // The name sent in EHLO: this machine's, when it is a plain host name.
    QByteArray ehloName()
    {
        const QString name = QSysInfo::machineHostName();
        for (QChar c : name) {
            if (!(c.isLetterOrNumber() && c.unicode() < 0x80) && c != QLatin1Char('-')
                && c != QLatin1Char('.'))
                return "localhost";
        }
        return name.isEmpty() ? QByteArray("localhost") : name.toLatin1();
    }

    QString bracketed(const QString &address)
    {
        return QLatin1Char('<') + address + QLatin1Char('>');
    }

} // namespace

Mailer::Mailer(MailSettings settings)
    : m_settings(std::move(settings))
{ }

Result<void> Mailer::send(const MailMessage &message, std::function<bool()> shouldStop)
{
    const QString where = m_settings.where();
    if (Result<void> ok = m_settings.check(); !ok)
        return ok.error();
    if (Result<void> ok = message.validate(); !ok)
        return Error{ ok.error().message(), where };
    if (isCancelled() || (shouldStop && shouldStop()))
        return Error{ tr("cancelled before sending"), where };
    if (!initializeCurl())
        return Error{ tr("libcurl could not be initialised"), where };

    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    if (!easy)
        return Error{ tr("libcurl could not be initialised"), where };
    CURL *curl = easy.get();

    Transfer transfer;
    transfer.data = message.toMime();
    transfer.cancelFlag = &m_cancelled;
    transfer.shouldStop = &shouldStop;
    // One second after libcurl's own timeout, so that libcurl reports it when it can.
    if (m_settings.timeoutSeconds > 0)
        transfer.deadline.setRemainingTime(qint64(m_settings.timeoutSeconds) * 1000 + 1000);
    else
        transfer.deadline = QDeadlineTimer(QDeadlineTimer::Forever);

    const bool loopback = Settings::isLoopbackHost(m_settings.host);
    const QByteArray url = (where + QLatin1Char('/')).toUtf8() + ehloName();
    const QByteArray from = bracketed(message.from).toUtf8();
    std::unique_ptr<curl_slist, ListDeleter> recipients;
    for (const QString &to : message.to) {
        curl_slist *list = curl_slist_append(recipients.get(), bracketed(to).toUtf8().constData());
        if (!list)
            return Error{ tr("out of memory"), where };
        (void)recipients.release();
        recipients.reset(list);
    }
    const QByteArray user = m_settings.user.toUtf8();
    const QByteArray password = m_settings.password.toUtf8();
    const QByteArray caFile = m_settings.caCertificatesFile.toLocal8Bit();
    char errorBuffer[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
#if CURL_AT_LEAST_VERSION(7, 85, 0)
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#endif
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); // we are one of several threads
    // Close the connection inside curl_easy_perform(), where checkProgress() still bounds
    // the wait for the reply to QUIT. A connection kept for reuse would be closed by
    // curl_easy_cleanup() instead, waiting up to 120 s for a server stuck in DATA.
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
        long(m_settings.security == SmtpSecurity::None ? CURLUSESSL_NONE : CURLUSESSL_ALL));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!caFile.isEmpty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, caFile.constData());
    // libcurl honours all_proxy even for SMTP; a loopback server is never behind a proxy.
    if (loopback)
        curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    if (!user.isEmpty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password.constData());
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &readBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(transfer.data.size()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, long(m_settings.connectTimeoutSeconds));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, long(m_settings.timeoutSeconds));
    // The debug callback sees the server's replies, to quote them in errors. It needs VERBOSE;
    // with a callback nothing is printed.
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, &watchExchange);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &checkProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);

    const CURLcode code = curl_easy_perform(curl);
    if (code == CURLE_OK)
        return {};

    long response = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
    long osErrno = 0;
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &osErrno);
    curl_off_t connectTime = 0;
    curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connectTime);

    const QString curlText = errorBuffer[0] ? QString::fromUtf8(errorBuffer)
                                            : QString::fromUtf8(curl_easy_strerror(code));
    const QString reply = !transfer.lastReply.isEmpty()
        ? transfer.lastReply
        : (response > 0 ? QString::number(response) : QString());
    // "curl text (the server said: 550 ...)" when there is a reply to quote.
    auto withReply = [&](const QString &what) {
        return reply.isEmpty() ? what : tr("%1 (the server said: %2)").arg(what, reply);
    };

    const auto timedOut = [&]() -> Error {
        if (connectTime == 0) {
            const int seconds = qMin(m_settings.connectTimeoutSeconds, m_settings.timeoutSeconds);
            return Error{ tr("timed out after %1 s while connecting").arg(seconds), where };
        }
        const int seconds = m_settings.timeoutSeconds;
        if (transfer.lastReply.isEmpty())
            return Error{ tr("timed out after %1 s waiting for the server's greeting").arg(seconds),
                where };
        if (transfer.lastReply.startsWith(QLatin1String("354")))
            return Error{ tr("timed out after %1 s waiting for the server to accept the "
                             "message (the server said: %2)")
                              .arg(seconds)
                              .arg(transfer.lastReply),
                where };
        return Error{ tr("timed out after %1 s waiting for the reply to %2 (the server's last "
                         "reply: %3)")
                          .arg(seconds)
                          .arg(transfer.lastCommand, transfer.lastReply),
            where };
    };

    switch (code) {
    case CURLE_ABORTED_BY_CALLBACK:
        if (transfer.overtime && !transfer.cancelled)
            return timedOut();
        return Error{ tr("cancelled"), where };
    case CURLE_COULDNT_RESOLVE_HOST:
        return Error{ tr("host name not found: %1").arg(curlText), where };
    case CURLE_COULDNT_CONNECT:
        if (osErrno == ECONNREFUSED)
            return Error{ tr("connection refused (no SMTP server listens there)"), where };
        return Error{ tr("could not connect: %1").arg(curlText), where };
    case CURLE_OPERATION_TIMEDOUT:
        return timedOut();
    case CURLE_LOGIN_DENIED: {
        // libcurl leaves the error buffer empty here: the reply is the explanation.
        const QString said = !transfer.lastReply.isEmpty()
            ? transfer.lastReply
            : tr("%1 authentication failed").arg(response);
        return Error{ tr("the server refused the login of \"%1\": %2").arg(m_settings.user, said),
            where };
    }
    case CURLE_PEER_FAILED_VERIFICATION:
        return Error{ tr("certificate verification failed: %1").arg(curlText), where };
    case CURLE_USE_SSL_FAILED:
        return Error{ withReply(tr("the server does not offer STARTTLS, and smtp.security "
                                   "\"starttls\" requires it")),
            where };
    case CURLE_SSL_CACERT_BADFILE:
        return Error{ tr("cannot use the CA certificates file %1: %2")
                          .arg(m_settings.caCertificatesFile, curlText),
            where };
    case CURLE_SSL_CONNECT_ERROR:
        if (m_settings.security == SmtpSecurity::Tls)
            return Error{ tr("the TLS handshake failed: %1 (if port %2 expects STARTTLS, set "
                             "smtp.security to starttls)")
                              .arg(curlText)
                              .arg(m_settings.port),
                where };
        return Error{ tr("the TLS handshake failed: %1").arg(curlText), where };
    default:
        break;
    }

    // Refusals in the middle of the exchange: name the step from the command sent last.
    const QString command = transfer.lastCommand.toUpper();
    if (response >= 400 && command.startsWith(QLatin1String("RCPT TO")))
        return Error{ tr("recipient refused: %1").arg(reply), where };
    if (response >= 400 && command.startsWith(QLatin1String("MAIL FROM")))
        return Error{ tr("sender refused: %1").arg(reply), where };
    if (response >= 400 && command.startsWith(QLatin1String("DATA")))
        return Error{ tr("message refused: %1").arg(reply), where };
    if (response >= 400)
        return Error{ tr("the server refused %1: %2").arg(transfer.lastCommand, reply), where };
    return Error{ withReply(curlText), where };
}

} // namespace Sluice
