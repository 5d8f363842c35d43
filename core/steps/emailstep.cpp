#include "steps/emailstep.h"

#include <QFileInfo>

#include "engine/taskcontext.h"
#include "notify/credentialstore.h"
#include "notify/mailjob.h"
#include "notify/mailmessage.h"
#include "notify/mailsettings.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
#include "steps/stepcontext.h"

namespace Sluice {

namespace {

    QByteArray contentType(const QString &path)
    {
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix == u"csv")
            return QByteArrayLiteral("text/csv; charset=UTF-8");
        if (suffix == u"txt" || suffix == u"log")
            return QByteArrayLiteral("text/plain; charset=UTF-8");
        if (suffix == u"json")
            return QByteArrayLiteral("application/json");
        return QByteArrayLiteral("application/octet-stream");
    }

} // namespace

Result<QVariant> EmailStep::run(StepContext &context)
{
    const EmailSpec &spec = context.step().email;
    const FlowEnvironment &environment = context.environment();
    if (!environment.settings || !environment.folder)
        return Error{ tr("no settings to send mail with"), context.where(), ErrorCode::Permanent };
    const SettingValues values = environment.settings->values();

    // Each `to` entry may name several addresses, comma-separated (a variable's value).
    QStringList recipients;
    for (const PositionedText &entry : spec.to) {
        Result<QString> text = context.substitute(entry);
        if (!text)
            return text.error();
        for (const QString &address : text->split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!address.trimmed().isEmpty())
                recipients << address.trimmed();
        }
    }
    if (spec.to.isEmpty())
        recipients = values.reportRecipients;
    if (recipients.isEmpty()) {
        return Error{ tr("no recipients: give `to`, or set them with: sluice config set "
                         "report.recipients ADDRESS"),
            context.where(), ErrorCode::Permanent };
    }

    MailSettings mail = MailSettings::fromSettings(values);
    if (Result<void> ok = mail.check(); !ok)
        return Error{ ok.error().what, ok.error().where, ErrorCode::Permanent };
    MailMessage message;
    message.from = mail.from;
    message.to = recipients;
    if (spec.subject) {
        Result<QString> subject = context.substitute(*spec.subject);
        if (!subject)
            return subject.error();
        message.subject = *subject;
    } else {
        message.subject = tr("Sluice flow %1").arg(context.flow().name);
    }
    if (spec.body) {
        Result<QString> body = context.substitute(*spec.body);
        if (!body)
            return body.error();
        message.body = *body;
    }
    for (const PositionedText &attach : spec.attach) {
        Result<QString> written = context.substitute(attach);
        if (!written)
            return written.error();
        const QString path = context.resolvePath(*written);
        Result<MailAttachment> attachment =
            MailMessage::attachmentFromFile(path, contentType(path));
        if (!attachment)
            return Error{ attachment.error().what, attachment.error().where, ErrorCode::Permanent };
        message.attachments.append(*attachment);
    }
    if (Result<void> ok = message.validate(); !ok)
        return Error{ ok.error().what, context.where(), ErrorCode::Permanent };

    TaskContext &task = context.task();
    const MailJob::Request request{ mail, message, CredentialStore(*environment.folder) };
    if (Result<void> sent = MailJob::send(request, [&task] { return task.isCancelled(); }); !sent)
        return sent.error();
    const QString output = recipients.join(QStringLiteral(", "));
    task.info(tr("emailed \"%1\" to %2").arg(message.subject, output));
    return QVariant(output);
}

} // namespace Sluice
