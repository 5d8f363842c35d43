#include "notify/mailmessage.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTimeZone>
#include <QUuid>

namespace Sluice {

namespace {

    const QByteArray Crlf = QByteArrayLiteral("\r\n");
    // RFC 2047: a line holding encoded-words is at most 76 characters. 39 bytes of UTF-8 make
    // 52 base64 characters, a 64-character word: "Subject: " plus one word stays within 76.
    constexpr int EncodedWordBytes = 39;
    constexpr int FoldWidth = 78; // RFC 5322's recommended line length

    // Control characters would end a header line early (header injection): make them spaces.
    QString withoutControls(const QString &text)
    {
        QString clean = text;
        for (QChar &c : clean) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                c = QLatin1Char(' ');
        }
        return clean;
    }

    bool isPlainAscii(const QString &text)
    {
        for (QChar c : text) {
            if (c.unicode() < 0x20 || c.unicode() > 0x7e)
                return false;
        }
        return true;
    }

    // Splits UTF-8 into chunks of at most maxBytes, never inside a character.
    QList<QByteArray> utf8Chunks(const QByteArray &utf8, int maxBytes)
    {
        QList<QByteArray> chunks;
        qsizetype start = 0;
        while (start < utf8.size()) {
            qsizetype end = qMin(start + maxBytes, utf8.size());
            // Back off continuation bytes (10xxxxxx) so that a character stays whole.
            while (end < utf8.size() && end > start + 1
                && (static_cast<unsigned char>(utf8.at(end)) & 0xc0) == 0x80)
                --end;
            chunks.append(utf8.mid(start, end - start));
            start = end;
        }
        return chunks;
    }

    QByteArray encodedWords(const QString &text)
    {
        QByteArray out;
        for (const QByteArray &chunk : utf8Chunks(text.toUtf8(), EncodedWordBytes)) {
            if (!out.isEmpty())
                out += "\r\n "; // folding white space between encoded-words is not displayed
            out += "=?UTF-8?B?" + chunk.toBase64() + "?=";
        }
        return out;
    }

    // A MIME parameter value as a quoted-string.
    QByteArray quoted(const QByteArray &value)
    {
        QByteArray out = "\"";
        for (char c : value) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        return out + '"';
    }

    // RFC 2231 extended value: UTF-8''percent-encoded.
    QByteArray extendedValue(const QString &value)
    {
        return "UTF-8''" + value.toUtf8().toPercentEncoding("!#$&+-.^_`|~");
    }

    QByteArray asciiFallback(const QString &value)
    {
        QByteArray out;
        for (QChar c : value)
            out += (c.unicode() >= 0x20 && c.unicode() <= 0x7e) ? char(c.unicode()) : '_';
        return out;
    }

    QByteArray normalizedLines(const QString &text)
    {
        QByteArray utf8 = text.toUtf8();
        utf8.replace("\r\n", "\n");
        utf8.replace('\r', '\n');
        utf8.replace("\n", "\r\n");
        return utf8;
    }

    // 7bit when the text is ASCII with lines within SMTP's 998 octets; base64 otherwise.
    bool fitsSevenBit(const QByteArray &crlfText)
    {
        qsizetype lineLength = 0;
        for (char c : crlfText) {
            const auto byte = static_cast<unsigned char>(c);
            if (byte == 0 || byte >= 0x80)
                return false;
            lineLength = (c == '\n') ? 0 : lineLength + 1;
            if (lineLength > 998)
                return false;
        }
        return true;
    }

    QByteArray textPart(const QString &body)
    {
        const QByteArray text = normalizedLines(body);
        QByteArray part = "Content-Type: text/plain; charset=UTF-8\r\n";
        if (fitsSevenBit(text)) {
            part += "Content-Transfer-Encoding: 7bit\r\n\r\n" + text;
            if (!text.endsWith(Crlf))
                part += Crlf;
        } else {
            part += "Content-Transfer-Encoding: base64\r\n\r\n" + MailMessage::base64Lines(text);
        }
        return part;
    }

    QByteArray attachmentPart(const MailAttachment &attachment)
    {
        QString name = withoutControls(attachment.fileName).trimmed();
        name.replace(QLatin1Char('/'), QLatin1Char('_'));
        name.replace(QLatin1Char('\\'), QLatin1Char('_'));
        if (name.isEmpty())
            name = QStringLiteral("attachment");
        QByteArray type =
            asciiFallback(withoutControls(QString::fromLatin1(attachment.contentType))).trimmed();
        if (type.isEmpty())
            type = "application/octet-stream";

        QByteArray part = "Content-Type: " + type + ";\r\n name=";
        if (isPlainAscii(name)) {
            part += quoted(name.toLatin1()) + "\r\n";
            part +=
                "Content-Disposition: attachment;\r\n filename=" + quoted(name.toLatin1()) + "\r\n";
        } else {
            // Encoded-words in name= for older readers, RFC 2231 filename* for the rest.
            part += quoted(encodedWords(name).replace("\r\n ", " ")) + "\r\n";
            part +=
                "Content-Disposition: attachment;\r\n filename*=" + extendedValue(name) + "\r\n";
        }
        part += "Content-Transfer-Encoding: base64\r\n\r\n";
        part += MailMessage::base64Lines(attachment.data);
        return part;
    }

    QByteArray newBoundary(const QByteArray &content)
    {
        // "=_" never occurs in base64 and the random part makes a clash with the text absurd;
        // still, check.
        for (;;) {
            QByteArray boundary = "=_sluice_";
            for (int i = 0; i < 4; ++i)
                boundary += QByteArray::number(QRandomGenerator::global()->generate(), 16);
            if (!content.contains(boundary))
                return boundary;
        }
    }

    QByteArray addressList(const QStringList &addresses, int nameLength)
    {
        QByteArray out;
        int column = nameLength + 2;
        for (qsizetype i = 0; i < addresses.size(); ++i) {
            const QByteArray address = addresses.at(i).toUtf8();
            if (i > 0) {
                out += ',';
                ++column;
                if (column + 1 + address.size() > FoldWidth) {
                    out += "\r\n";
                    column = 0;
                }
                out += ' ';
                ++column;
            }
            out += address;
            column += int(address.size());
        }
        return out;
    }

} // namespace

Result<MailAttachment> MailMessage::attachmentFromFile(
    const QString &path, const QByteArray &contentType)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{ tr("cannot read the attachment: %1").arg(file.errorString()), path };
    MailAttachment attachment;
    attachment.fileName = QFileInfo(path).fileName();
    attachment.contentType = contentType;
    attachment.data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Error{ tr("cannot read the attachment: %1").arg(file.errorString()), path };
    return attachment;
}

bool MailMessage::isValidAddress(const QString &address)
{
    if (address.count(QLatin1Char('@')) != 1 || address.startsWith(QLatin1Char('@'))
        || address.endsWith(QLatin1Char('@')) || address.size() > 254)
        return false;
    for (QChar c : address) {
        if (c.unicode() <= 0x20 || c.unicode() == 0x7f)
            return false;
        if (QStringView(u"<>()[]\",;:\\").contains(c))
            return false;
    }
    return true;
}

Result<void> MailMessage::validate() const
{
    if (from.isEmpty())
        return Error{ tr("no sender address"), QStringLiteral("From") };
    if (!isValidAddress(from))
        return Error{ tr("\"%1\" is not a valid email address").arg(withoutControls(from)),
            QStringLiteral("From") };
    if (to.isEmpty())
        return Error{ tr("no recipient"), QStringLiteral("To") };
    for (const QString &address : to) {
        if (!isValidAddress(address))
            return Error{ tr("\"%1\" is not a valid email address").arg(withoutControls(address)),
                QStringLiteral("To") };
    }
    return {};
}

QByteArray MailMessage::encodeHeaderText(const QString &text, int nameLength)
{
    const QString clean = withoutControls(text).simplified();
    const QStringList words = clean.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    bool plain = isPlainAscii(clean) && !clean.contains(QLatin1String("=?"));
    for (const QString &word : words)
        plain = plain && word.size() < FoldWidth - 2;
    if (!plain)
        return encodedWords(clean);

    // Fold at spaces so that lines stay within 78 characters.
    QByteArray out;
    int column = nameLength + 2;
    for (const QString &word : words) {
        if (!out.isEmpty()) {
            if (column + 1 + word.size() > FoldWidth) {
                out += "\r\n";
                column = 0;
            }
            out += ' ';
            ++column;
        }
        out += word.toLatin1();
        column += int(word.size());
    }
    return out;
}

QByteArray MailMessage::formatDate(const QDateTime &date)
{
    // RFC 5322 wants English names whatever the locale: "Tue, 14 May 2024 00:01:02 +0000".
    static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
        "Sep", "Oct", "Nov", "Dec" };
    const QDateTime utc = date.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    return QByteArray(days[d.dayOfWeek() - 1]) + ", " + QByteArray::number(d.day()) + ' '
        + months[d.month() - 1] + ' ' + QByteArray::number(d.year()) + ' '
        + QString::asprintf("%02d:%02d:%02d", t.hour(), t.minute(), t.second()).toLatin1()
        + " +0000";
}

QByteArray MailMessage::base64Lines(const QByteArray &data)
{
    const QByteArray encoded = data.toBase64();
    QByteArray out;
    out.reserve(encoded.size() + encoded.size() / 76 * 2 + 2);
    for (qsizetype i = 0; i < encoded.size(); i += 76)
        out += encoded.mid(i, 76) + Crlf;
    return out;
}

QByteArray MailMessage::toMime() const
{
    const QDateTime when = date.isValid() ? date : QDateTime::currentDateTimeUtc();
    QString id = withoutControls(messageId).remove(QLatin1Char(' '));
    id.remove(QLatin1Char('<'));
    id.remove(QLatin1Char('>'));
    if (id.isEmpty()) {
        QString domain = from.section(QLatin1Char('@'), 1);
        if (domain.isEmpty() || !isValidAddress(QStringLiteral("x@") + domain))
            domain = QStringLiteral("sluice.invalid");
        id = QUuid::createUuid().toString(QUuid::Id128) + QStringLiteral(".sluice@") + domain;
    }

    QByteArray mime;
    mime += "Date: " + formatDate(when) + Crlf;
    mime += "From: " + withoutControls(from).toUtf8() + Crlf;
    mime += "To: " + addressList(to, 2) + Crlf;
    mime += "Subject: " + encodeHeaderText(subject, 7) + Crlf;
    mime += "Message-ID: <" + id.toUtf8() + '>' + Crlf;
    mime += "MIME-Version: 1.0" + Crlf;
    mime += "User-Agent: Sluice/" SLUICE_VERSION + Crlf;

    if (attachments.isEmpty())
        return mime + textPart(body);

    QList<QByteArray> parts{ textPart(body) };
    QByteArray all = parts.first();
    for (const MailAttachment &attachment : attachments) {
        parts.append(attachmentPart(attachment));
        all += parts.last();
    }
    const QByteArray boundary = newBoundary(all);
    mime += "Content-Type: multipart/mixed;\r\n boundary=" + quoted(boundary) + Crlf;
    mime += Crlf + "This is a message with attachments in MIME format." + Crlf;
    for (const QByteArray &part : parts)
        mime += Crlf + "--" + boundary + Crlf + part;
    mime += Crlf + "--" + boundary + "--" + Crlf;
    return mime;
}

} // namespace Sluice
