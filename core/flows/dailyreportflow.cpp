#include "flows/dailyreportflow.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QTimeZone>

#include "engine/taskcontext.h"
#include "flows/taskoutput.h"
#include "notify/credentialstore.h"
#include "notify/mailjob.h"
#include "notify/mailmessage.h"
#include "notify/mailsettings.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
#include "storage/csvexporter.h"

namespace Sluice::DailyReportFlow {

namespace {

    // The CSV of the requested day, the attachment's name, the rows it holds and its
    // recipients: what the export task hands to the email task.
    struct Report
    {
        QByteArray csv;
        QString fileName;
        qint64 rows = 0;
        QString label; // "2024-03-08" or "all rows"
        QStringList recipients;
    };

    constexpr TaskOutput<Report> Exported{ "export" };
    constexpr TaskOutput<qint64> Emailed{ "email" }; // the rows sent

    Result<Report> exportReport(
        TaskContext &context, const QString &folderPath, const Settings &settings)
    {
        Result<DataFolder> folder = DataFolder::open(folderPath);
        if (!folder)
            return folder.error();
        const QStringList recipients = settings.values().reportRecipients;
        if (recipients.isEmpty()) {
            const QString reason = QCoreApplication::translate("Sluice::DailyReportFlow",
                "no report recipients are configured (set them "
                "with: sluice config set report.recipients ADDRESS)");
            context.warning(reason);
            context.skip(reason);
            return Report();
        }

        // The run's logical time, not the clock: a scheduled run sends the day before its
        // fire, and each fire caught up after a downtime sends its own.
        const QDate today = context.runTime().toUTC().date();
        Result<Day> day =
            Day::parse(context.parameter(QLatin1String(DayParameter)).toString(), today);
        if (!day)
            return day.error();
        CsvRequest request;
        if (day->date) {
            request.start = day->startSeconds();
            request.end = day->endSeconds();
        }
        QByteArray csv;
        QBuffer buffer(&csv);
        buffer.open(QIODevice::WriteOnly);
        CsvExporter exporter(folder->warehousePath());
        std::atomic_bool cancelled = false;
        exporter.setCancelFlag(&cancelled);
        exporter.setProgressHandler([&](qint64 done, qint64 total) {
            if (context.isCancelled())
                cancelled.store(true);
            if (total >= 0)
                context.setProgress(done, total);
        });
        Result<CsvSummary> summary =
            exporter.exportToDevice(request, &buffer, day->fileName(today));
        if (!summary)
            return summary.error();
        const QString label = day->date
            ? day->date->toString(Qt::ISODate)
            : QCoreApplication::translate("Sluice::DailyReportFlow", "all rows");
        context.info(QCoreApplication::translate(
            "Sluice::DailyReportFlow", "exported %n row(s) of %1", nullptr, int(summary->rows))
                         .arg(label));
        return Report{ csv, day->fileName(today), summary->rows, label, recipients };
    }

    Result<qint64> emailReport(
        TaskContext &context, const QString &folderPath, const Settings &settings)
    {
        const Report report = Exported.from(context);
        Result<DataFolder> folder = DataFolder::open(folderPath);
        if (!folder)
            return folder.error();
        MailSettings mail = MailSettings::fromSettings(settings.values());
        if (Result<void> ok = mail.check(); !ok)
            return ok.error();

        MailMessage message;
        message.from = mail.from;
        message.to = report.recipients;
        const QString label = report.label;
        const qint64 rows = report.rows;
        message.subject =
            QCoreApplication::translate("Sluice::DailyReportFlow", "Sluice report: %1").arg(label);
        message.body = QCoreApplication::translate("Sluice::DailyReportFlow",
            "The BTC price and network metrics (%1), %n row(s), are "
            "attached as CSV.\n\nSent by Sluice.",
            nullptr, int(rows))
                           .arg(label);
        message.attachments.append(
            { report.fileName, QByteArrayLiteral("text/csv; charset=UTF-8"), report.csv });
        if (Result<void> ok = message.validate(); !ok)
            return ok.error();

        const MailJob::Request request{ mail, message, CredentialStore(*folder) };
        if (Result<void> sent = MailJob::send(request, [&] { return context.isCancelled(); });
            !sent)
            return sent.error();
        context.info(
            QCoreApplication::translate("Sluice::DailyReportFlow", "emailed %1 to %2")
                .arg(message.attachments.first().fileName, message.to.join(QStringLiteral(", "))));
        return rows;
    }

} // namespace

Result<Day> Day::parse(const QString &text, const QDate &today)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Day{ today.addDays(-1) };
    if (trimmed == QLatin1String(AllDays))
        return Day{};
    const QDate date = QDate::fromString(trimmed, Qt::ISODate);
    if (!date.isValid() || trimmed.size() != 10)
        return Error{ QCoreApplication::translate("Sluice::DailyReportFlow",
                          "\"%1\" is not a day such as 2024-03-08, nor \"all\"")
                          .arg(text),
            QStringLiteral("--param day") };
    return Day{ date };
}

qint64 Day::startSeconds() const
{
    return date ? QDateTime(*date, QTime(0, 0), QTimeZone::utc()).toSecsSinceEpoch() : 0;
}

qint64 Day::endSeconds() const
{
    return date ? startSeconds() + 24 * 3600 : 0;
}

QString Day::fileName(const QDate &today) const
{
    if (date)
        return QStringLiteral("sluice-report-%1.csv").arg(date->toString(Qt::ISODate));
    return QStringLiteral("sluice-report-all-%1.csv").arg(today.toString(Qt::ISODate));
}

Flow create(const QString &dataFolder, const Settings &settings)
{
    Flow flow(QLatin1String(Name),
        QCoreApplication::translate("Sluice::DailyReportFlow",
            "Emails the previous UTC day (or --param day=YYYY-MM-DD, or all) as CSV"));
    flow.addParameter({ QLatin1String(DayParameter), ParameterType::String, QString(),
        QCoreApplication::translate("Sluice::DailyReportFlow",
            "the UTC day to send, YYYY-MM-DD, or \"all\"; empty: yesterday") });
    const Settings *live = &settings;
    flow.addTask({ Exported.task(), {}, Exported.function([dataFolder, live](TaskContext &context) {
                      return exportReport(context, dataFolder, *live);
                  }),
        {}, {} });
    flow.addTask({ Emailed.task(), { Exported.task() },
        Emailed.function([dataFolder, live](TaskContext &context) {
            return emailReport(context, dataFolder, *live);
        }),
        {}, {} });
    return flow;
}

} // namespace Sluice::DailyReportFlow
