// `sluice export`: write CSV of a warehouse table to a file or to standard output.

#include <cstdio>

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QLocale>
#include <QRegularExpression>
#include <QTextStream>
#include <QTimeZone>

#include "commandline.h"
#include "engine/displaytext.h"
#include "settings/datafolder.h"
#include "storage/csvexporter.h"

namespace Sluice::Cli {

namespace {

    int complain(int code, const QString &message)
    {
        err() << QCoreApplication::applicationName() << " export: " << message << '\n';
        if (code == ExitUsage) {
            err() << QCoreApplication::translate("Sluice::CommandLine",
                "Usage: sluice export -o FILE [--start TS] [--end TS] [--table NAME] "
                "[--delimiter C] [--no-header]")
                  << '\n';
        }
        return code;
    }

    // A value as typed, every control character escaped, tab and newline too: a delimiter.
    QString shown(const QString &text)
    {
        QString visible = text;
        visible.replace(QLatin1Char('\t'), QLatin1String("\\t"))
            .replace(QLatin1Char('\n'), QLatin1String("\\n"));
        return escapeControls(visible);
    }

    // Unix seconds ("1709856000") or ISO 8601 ("2024-03-08T00:00:00Z", "2024-03-08"); a time
    // without an offset is UTC, like the warehouse's timestamps.
    std::optional<qint64> parseTimestamp(const QString &text)
    {
        static const QRegularExpression seconds(QStringLiteral("^-?[0-9]{1,15}$"));
        if (seconds.match(text).hasMatch())
            return text.toLongLong();
        static const QRegularExpression offset(QStringLiteral("(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"));
        QDateTime time = QDateTime::fromString(text, Qt::ISODate);
        if (!time.isValid())
            return std::nullopt;
        const qsizetype clock = text.indexOf(QLatin1Char('T'));
        if (clock < 0 || !offset.match(text.mid(clock)).hasMatch())
            time = QDateTime(time.date(), time.time(), QTimeZone::utc());
        return time.toSecsSinceEpoch();
    }

} // namespace

int runExport(Context &context)
{
    const QCommandLineParser &parser = context.parser;
    if (!context.arguments.isEmpty())
        return complain(ExitUsage,
            QCoreApplication::translate("Sluice::CommandLine", "unexpected argument \"%1\"")
                .arg(context.arguments.first()));
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty())
        return complain(ExitUsage,
            QCoreApplication::translate("Sluice::CommandLine",
                "an output file is needed: -o FILE, or -o - for standard output"));

    CsvRequest request;
    if (parser.isSet(QStringLiteral("table")))
        request.table = parser.value(QStringLiteral("table"));
    for (const char *name : { "start", "end" }) {
        const QString option = QLatin1String(name);
        if (!parser.isSet(option))
            continue;
        const std::optional<qint64> time = parseTimestamp(parser.value(option));
        if (!time) {
            return complain(ExitUsage,
                QCoreApplication::translate("Sluice::CommandLine",
                    "--%1 \"%2\" is not a time: give unix seconds or ISO 8601 such as "
                    "2024-03-08T00:00:00Z")
                    .arg(option, parser.value(option)));
        }
        (option == u"start" ? request.start : request.end) = *time;
    }
    if (parser.isSet(QStringLiteral("delimiter"))) {
        Result<char> delimiter =
            CsvExporter::parseDelimiter(parser.value(QStringLiteral("delimiter")));
        if (!delimiter) {
            return complain(ExitUsage,
                QCoreApplication::translate(
                    "Sluice::CommandLine", "--delimiter \"%1\" is refused: %2")
                    .arg(shown(parser.value(QStringLiteral("delimiter"))), delimiter.error().what));
        }
        request.format.delimiter = *delimiter;
    }
    request.format.header = !parser.isSet(QStringLiteral("no-header"));

    CsvExporter exporter(context.folder.warehousePath());
    const bool toStdout = output == u"-";
    Result<CsvSummary> summary = Error{};
    if (toStdout) {
        out().flush();
        QFile file;
        // Straight to the descriptor: no stdio buffer that could hide a write error.
        if (!file.open(fileno(stdout), QIODevice::WriteOnly | QIODevice::Unbuffered))
            return complain(ExitFailure,
                QCoreApplication::translate(
                    "Sluice::CommandLine", "cannot write to standard output: %1")
                    .arg(file.errorString()));
        summary = exporter.exportToDevice(
            request, &file, QCoreApplication::translate("Sluice::CommandLine", "standard output"));
    } else {
        summary = exporter.exportToFile(request, output);
    }
    if (!summary) {
        const bool usage = exporter.failure() == CsvExporter::Failure::BadRequest;
        return complain(usage ? ExitUsage : ExitFailure, summary.error().message());
    }
    if (!toStdout) {
        // The English grouping "12,345" whatever the locale, so that logs read the same.
        const QString rows =
            QLocale(QLocale::English, QLocale::UnitedStates).toString(summary->rows);
        err() << (summary->rows == 1
                ? QCoreApplication::translate("Sluice::CommandLine", "Wrote 1 row to %1")
                      .arg(output)
                : QCoreApplication::translate("Sluice::CommandLine", "Wrote %1 rows to %2")
                      .arg(rows, output))
              << '\n';
    }
    return ExitSuccess;
}

} // namespace Sluice::Cli
