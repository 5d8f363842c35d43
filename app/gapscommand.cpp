// `sluice gaps [--table T] [--from TIME] [--to TIME] [--format text|csv|json]`: the slot
// ranges missing from the warehouse's slotted tables (core/storage/gapmap.h), one line each:
// table, series, timeframe, first missing slot, end (the first slot after the gap: half-open),
// slots and duration. "No gaps" and exit 0 when there are none; a table that is not slotted or
// a time that does not read is a usage error (exit 2).

#include <QBuffer>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include "commandline.h"
#include "settings/datafolder.h"
#include "storage/csvwriter.h"
#include "storage/gapmap.h"
#include "texttable.h"
#include "timeoption.h"

namespace Sluice::Cli {

namespace {

    struct TableGaps
    {
        QString table;
        GapSeries series;
    };

    int usage(const QString &message)
    {
        err() << QCoreApplication::applicationName() << " gaps: " << message << '\n'
              << QCoreApplication::translate("Sluice::CommandLine",
                     "Usage: sluice gaps [--table T] [--from ISO8601] [--to ISO8601] "
                     "[--format text|csv|json]")
              << '\n';
        return ExitUsage;
    }

    int failure(const Error &error)
    {
        err() << QCoreApplication::applicationName() << " gaps: " << error.message() << '\n';
        return ExitFailure;
    }

    QString seriesText(const GapSeries &series)
    {
        QStringList parts;
        for (const QVariant &value : series.keyValues)
            parts << value.toString();
        return parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char('/'));
    }

    void printText(const QList<TableGaps> &all)
    {
        TextTable table;
        table.addRow({ QCoreApplication::translate("Sluice::CommandLine", "TABLE"),
            QCoreApplication::translate("Sluice::CommandLine", "SERIES"),
            QCoreApplication::translate("Sluice::CommandLine", "TIMEFRAME"),
            QCoreApplication::translate("Sluice::CommandLine", "FIRST MISSING"),
            QCoreApplication::translate("Sluice::CommandLine", "END (EXCLUSIVE)"),
            QCoreApplication::translate("Sluice::CommandLine", "SLOTS"),
            QCoreApplication::translate("Sluice::CommandLine", "DURATION") });
        for (const TableGaps &entry : all) {
            for (const SlotGap &gap : entry.series.gaps) {
                table.addRow({ entry.table, seriesText(entry.series), entry.series.timeframe,
                    TimeOption::format(gap.start * 1000), TimeOption::format(gap.end * 1000),
                    QString::number((gap.end - gap.start) / entry.series.step),
                    GapMap::durationText(gap.end - gap.start) });
            }
        }
        table.print(out());
    }

    void printCsv(const QList<TableGaps> &all)
    {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        CsvFormat format;
        format.lineEnding = CsvFormat::LineEnding::Lf;
        CsvWriter csv(&buffer, format);
        for (const char *name : { "table", "series", "timeframe", "first_missing", "end_exclusive",
                 "slots", "seconds" })
            csv.writeText(QLatin1String(name));
        csv.endRow();
        for (const TableGaps &entry : all) {
            for (const SlotGap &gap : entry.series.gaps) {
                csv.writeText(entry.table);
                csv.writeText(
                    entry.series.keyValues.isEmpty() ? QString() : seriesText(entry.series));
                csv.writeText(entry.series.timeframe);
                csv.writeText(TimeOption::format(gap.start * 1000));
                csv.writeText(TimeOption::format(gap.end * 1000));
                csv.writeInteger((gap.end - gap.start) / entry.series.step);
                csv.writeInteger(gap.end - gap.start);
                csv.endRow();
            }
        }
        csv.flush();
        out() << QString::fromUtf8(buffer.data());
    }

    void printJson(const QList<TableGaps> &all)
    {
        QJsonArray gaps;
        for (const TableGaps &entry : all) {
            QJsonObject key;
            for (int i = 0; i < entry.series.keyColumns.size(); ++i)
                key.insert(entry.series.keyColumns.at(i),
                    QJsonValue::fromVariant(entry.series.keyValues.value(i)));
            for (const SlotGap &gap : entry.series.gaps) {
                gaps.append(QJsonObject{
                    { QStringLiteral("table"), entry.table },
                    { QStringLiteral("series"), key },
                    { QStringLiteral("timeframe"), entry.series.timeframe },
                    { QStringLiteral("first_missing"), TimeOption::format(gap.start * 1000) },
                    { QStringLiteral("end_exclusive"), TimeOption::format(gap.end * 1000) },
                    { QStringLiteral("slots"), (gap.end - gap.start) / entry.series.step },
                    { QStringLiteral("seconds"), gap.end - gap.start },
                });
            }
        }
        out() << QString::fromUtf8(QJsonDocument(gaps).toJson(QJsonDocument::Indented));
    }

} // namespace

int runGaps(Context &context)
{
    const QCommandLineParser &parser = context.parser;
    if (!context.arguments.isEmpty())
        return usage(
            QCoreApplication::translate("Sluice::CommandLine", "unexpected argument \"%1\"")
                .arg(context.arguments.first()));
    const QString format = parser.isSet(QStringLiteral("format"))
        ? parser.value(QStringLiteral("format"))
        : QStringLiteral("text");
    if (format != u"text" && format != u"csv" && format != u"json")
        return usage(QCoreApplication::translate(
            "Sluice::CommandLine", "--format: \"%1\" is not text, csv or json")
                         .arg(format));

    const QString path = context.folder.warehousePath();
    GapRequest request{ path, QString() };
    for (const char *name : { "from", "to" }) {
        const QString option = QLatin1String(name);
        if (!parser.isSet(option))
            continue;
        Result<QDateTime> time =
            TimeOption::parse(parser.value(option), QStringLiteral("--") + option);
        if (!time)
            return usage(time.error().what);
        (option == u"from" ? request.from : request.to) = time->toSecsSinceEpoch();
    }
    if (request.from && request.to && *request.from >= *request.to)
        return usage(
            QCoreApplication::translate("Sluice::CommandLine", "--from must be before --to"));

    Result<QStringList> slotted = GapMap::slottedTables(path);
    if (!slotted)
        return failure(slotted.error());
    QStringList tables = *slotted;
    if (parser.isSet(QStringLiteral("table"))) {
        const QString table = parser.value(QStringLiteral("table"));
        if (!slotted->contains(table)) {
            return usage(slotted->isEmpty()
                    ? QCoreApplication::translate("Sluice::CommandLine",
                        "--table: \"%1\" is not a slotted table; the warehouse has none")
                          .arg(table)
                    : QCoreApplication::translate("Sluice::CommandLine",
                        "--table: \"%1\" is not a slotted table (one with timeframe and "
                        "start_timestamp columns); they are %2")
                          .arg(table, slotted->join(QStringLiteral(", "))));
        }
        tables = { table };
    }

    QList<TableGaps> all;
    for (const QString &table : tables) {
        request.table = table;
        Result<QList<GapSeries>> series = GapMap::compute(request);
        if (!series)
            return failure(series.error());
        for (const GapSeries &one : *series) {
            if (!one.gaps.isEmpty())
                all.append({ table, one });
        }
    }
    if (all.isEmpty()) {
        if (format == u"text")
            out() << QCoreApplication::translate("Sluice::CommandLine", "No gaps") << '\n';
        else
            err() << QCoreApplication::translate("Sluice::CommandLine", "No gaps") << '\n';
    }
    if (format == u"csv")
        printCsv(all);
    else if (format == u"json")
        printJson(all);
    else if (!all.isEmpty())
        printText(all);
    return ExitSuccess;
}

} // namespace Sluice::Cli
