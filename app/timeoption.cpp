#include "timeoption.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QTimeZone>

#include "flowfile/variabletemplate.h"

namespace Sluice::Cli::TimeOption {

Result<QDateTime> parse(const QString &text, const QString &option)
{
    // Seconds are required and the zone must be explicit: a time without one would depend on
    // the machine's zone.
    static const QRegularExpression pattern(QStringLiteral(
        "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:\\d{2}))?$"));
    QDateTime time;
    if (pattern.match(text).hasMatch()) {
        if (text.size() == 10) {
            const QDate date = QDate::fromString(text, Qt::ISODate);
            if (date.isValid())
                time = QDateTime(date, QTime(0, 0), QTimeZone::utc());
        } else {
            time = QDateTime::fromString(text, Qt::ISODateWithMs);
        }
    }
    if (!time.isValid())
        return Error{ QCoreApplication::translate("Sluice::CommandLine",
                          "%1: \"%2\" is not a time such as 2026-12-06T06:30:00Z, "
                          "2026-12-06T08:30:00+02:00 or 2026-12-06")
                          .arg(option, text),
            {} };
    return time.toUTC();
}

QString format(qint64 ms)
{
    return FlowVariable::timeText(QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()));
}

} // namespace Sluice::Cli::TimeOption
