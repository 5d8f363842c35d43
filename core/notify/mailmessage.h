#pragma once

// One email as a plain value: sender, recipients, subject, a UTF-8 text body and attachments,
// and its wire form (RFC 5322 + MIME, CRLF line ends). Built on any thread; copied freely.

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "engine/result.h"

namespace Sluice {

struct MailAttachment
{
    QString fileName; // as the recipient sees it, e.g. "btc-2024-05-13.csv"
    QByteArray contentType = "application/octet-stream"; // e.g. "text/csv; charset=UTF-8"
    QByteArray data; // sent byte for byte (base64 on the wire)
};

class MailMessage
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::MailMessage)

public:
    QString from; // bare address: "sluice@example.org"
    QStringList to; // bare addresses
    QString subject; // any Unicode; encoded (RFC 2047) when not plain ASCII
    QString body; // plain text; any line ends, sent as CRLF
    QList<MailAttachment> attachments;
    QDateTime date; // the Date header; invalid: the time toMime() is called
    QString messageId; // without <>; empty: a fresh one under the sender's domain

    // Reads a file into an attachment named after the file.
    static Result<MailAttachment> attachmentFromFile(
        const QString &path, const QByteArray &contentType);

    // A bare address usable in MAIL FROM / RCPT TO and headers: one "@", no spaces, no
    // control characters, no <>, (), quotes or commas.
    static bool isValidAddress(const QString &address);
    // Error naming the first invalid address, or success.
    Result<void> validate() const;

    // The message as sent: headers, then a text/plain body, or multipart/mixed with the text
    // and the attachments. Every line ends in CRLF. (SMTP dot-stuffing is the transport's.)
    QByteArray toMime() const;

    // Building blocks, public for tests.
    static QByteArray encodeHeaderText(const QString &text, int nameLength);
    static QByteArray formatDate(const QDateTime &date);
    static QByteArray base64Lines(const QByteArray &data);
};

} // namespace Sluice
