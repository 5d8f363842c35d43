#include "schedule/intervalschedule.h"

#include <QCoreApplication>

namespace Sluice {

namespace {

    QString trn(const char *text, qint64 n)
    {
        return QCoreApplication::translate("Sluice::IntervalSchedule", text, nullptr, int(n));
    }

    qint64 floorDivide(qint64 a, qint64 b)
    {
        const qint64 quotient = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }

} // namespace

QDateTime IntervalSchedule::defaultAnchor()
{
    return QDateTime::fromSecsSinceEpoch(0, Qt::UTC);
}

Result<IntervalSchedule> IntervalSchedule::parse(const QString &text, const QDateTime &anchor)
{
    const QString where = QStringLiteral("interval");
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Error{ QCoreApplication::translate("Sluice::IntervalSchedule",
                          "no interval given; write a number and a unit, such as 90s, 5m or 2h"),
            where };
    qsizetype digits = 0;
    while (digits < trimmed.size() && trimmed.at(digits) >= u'0' && trimmed.at(digits) <= u'9')
        ++digits;
    if (digits == 0)
        return Error{ QCoreApplication::translate("Sluice::IntervalSchedule",
                          "\"%1\" does not start with a number; write for example 90s, 5m or 2h")
                          .arg(trimmed),
            where };
    const QString unit = trimmed.mid(digits);
    qint64 unitSeconds = 0;
    if (unit == u"s")
        unitSeconds = 1;
    else if (unit == u"m")
        unitSeconds = 60;
    else if (unit == u"h")
        unitSeconds = 3600;
    else if (unit.isEmpty())
        return Error{ QCoreApplication::translate(
                          "Sluice::IntervalSchedule", "\"%1\" has no unit (use s, m or h)")
                          .arg(trimmed),
            where };
    else
        return Error{ QCoreApplication::translate("Sluice::IntervalSchedule",
                          "\"%1\" has an unknown unit \"%2\" (use s, m or h)")
                          .arg(trimmed, unit),
            where };

    qint64 number = 0;
    for (qsizetype i = 0; i < digits && number <= MaximumSeconds; ++i)
        number = number * 10 + (trimmed.at(i).unicode() - u'0');
    if (number == 0)
        return Error{ QCoreApplication::translate("Sluice::IntervalSchedule",
                          "\"%1\" is zero; an interval must be at least 1s")
                          .arg(trimmed),
            where };
    if (number > MaximumSeconds || number * unitSeconds > MaximumSeconds)
        return Error{ QCoreApplication::translate(
                          "Sluice::IntervalSchedule", "\"%1\" is longer than 366 days")
                          .arg(trimmed),
            where };
    if (!anchor.isNull() && !anchor.isValid())
        return Error{ QCoreApplication::translate(
                          "Sluice::IntervalSchedule", "the anchor time is not valid"),
            where };

    IntervalSchedule schedule;
    schedule.m_seconds = number * unitSeconds;
    schedule.m_anchor = anchor.isValid() ? anchor.toUTC() : defaultAnchor();
    return schedule;
}

QString IntervalSchedule::text() const
{
    if (m_seconds % 3600 == 0)
        return QString::number(m_seconds / 3600) + QLatin1Char('h');
    if (m_seconds % 60 == 0)
        return QString::number(m_seconds / 60) + QLatin1Char('m');
    return QString::number(m_seconds) + QLatin1Char('s');
}

QString IntervalSchedule::describe() const
{
    // English has no translation file: "every 1 hours" is avoided here, not by %n.
    if (m_seconds == 3600)
        return QCoreApplication::translate("Sluice::IntervalSchedule", "every hour");
    if (m_seconds == 60)
        return QCoreApplication::translate("Sluice::IntervalSchedule", "every minute");
    if (m_seconds == 1)
        return QCoreApplication::translate("Sluice::IntervalSchedule", "every second");
    if (m_seconds % 3600 == 0)
        return trn("every %n hours", m_seconds / 3600);
    if (m_seconds % 60 == 0)
        return trn("every %n minutes", m_seconds / 60);
    return trn("every %n seconds", m_seconds);
}

QDateTime IntervalSchedule::nextFireTime(const QDateTime &after) const
{
    if (!isValid() || !after.isValid())
        return QDateTime();
    const qint64 period = m_seconds * 1000;
    const qint64 anchor = m_anchor.toMSecsSinceEpoch();
    const qint64 k = floorDivide(after.toMSecsSinceEpoch() - anchor, period) + 1;
    return QDateTime::fromMSecsSinceEpoch(anchor + k * period, Qt::UTC);
}

} // namespace Sluice
