#include "flows/dailyreportflow.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QTimeZone>

#include "engine/taskcontext.h"
#include "notify/credentialstore.h"
#include "notify/mailjob.h"
#include "notify/mailmessage.h"
#include "notify/mailsettings.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
#include "storage/csvexporter.h"

namespace Sluice::DailyReportFlow {

namespace {

    QDate todayUtc()
    {
        return QDateTime::currentDateTimeUtc().date();
    }

    // The CSV of the requested day, the attachment's name and the rows it holds.
    struct Report
    {
        QByteArray csv;
        QString fileName;
        qint64 rows = 0;
        QString label; // "2024-03-08" or "all rows"
    };

    Result<QVariant> exportReport(
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
            return QVariant();
        }

        const QDate today = todayUtc();
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
        Report report{ csv, day->fileName(today), summary->rows, label };
        return QVariant::fromValue(QVariantMap{ { QStringLiteral("csv"), report.csv },
            { QStringLiteral("file"), report.fileName }, { QStringLiteral("rows"), report.rows },
            { QStringLiteral("label"), report.label }, { QStringLiteral("to"), recipients } });
    }

    Result<QVariant> emailReport(
        TaskContext &context, const QString &folderPath, const Settings &settings)
    {
        const QVariantMap report = context.upstream(QStringLiteral("export")).toMap();
        Result<DataFolder> folder = DataFolder::open(folderPath);
        if (!folder)
            return folder.error();
        MailSettings mail = MailSettings::fromSettings(settings.values());
        if (Result<void> ok = mail.check(); !ok)
            return ok.error();

        MailMessage message;
        message.from = mail.from;
        message.to = report.value(QStringLiteral("to")).toStringList();
        const QString label = report.value(QStringLiteral("label")).toString();
        const qint64 rows = report.value(QStringLiteral("rows")).toLongLong();
        message.subject =
            QCoreApplication::translate("Sluice::DailyReportFlow", "Sluice report: %1").arg(label);
        message.body = QCoreApplication::translate("Sluice::DailyReportFlow",
            "The BTC price and network metrics (%1), %n row(s), are "
            "attached as CSV.\n\nSent by Sluice.",
            nullptr, int(rows))
                           .arg(label);
        message.attachments.append({ report.value(QStringLiteral("file")).toString(),
            QByteArrayLiteral("text/csv; charset=UTF-8"),
            report.value(QStringLiteral("csv")).toByteArray() });
        if (Result<void> ok = message.validate(); !ok)
            return ok.error();

        const MailJob::Request request{ mail, message, CredentialStore(*folder) };
        if (Result<void> sent = MailJob::send(request, [&] { return context.isCancelled(); });
            !sent)
            return sent.error();
        context.info(
            QCoreApplication::translate("Sluice::DailyReportFlow", "emailed %1 to %2")
                .arg(message.attachments.first().fileName, message.to.join(QStringLiteral(", "))));
        return QVariant(rows);
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
    flow.addTask({ QStringLiteral("export"), {},
        [dataFolder, live](
            TaskContext &context) { return exportReport(context, dataFolder, *live); },
        {}, {} });
    flow.addTask({ QStringLiteral("email"), { QStringLiteral("export") },
        [dataFolder, live](
            TaskContext &context) { return emailReport(context, dataFolder, *live); },
        {}, {} });
    return flow;
}

} // namespace Sluice::DailyReportFlow
