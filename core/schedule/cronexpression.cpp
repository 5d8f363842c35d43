#include "schedule/cronexpression.h"

#include <bit>

#include <QCoreApplication>
#include <QStringList>

#include "schedule/wallclock.h"

namespace Sluice {

namespace {

    const char *const monthNames[] = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
        "SEP", "OCT", "NOV", "DEC" };
    const char *const weekdayNames[] = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };

    // What a field accepts. Day-of-week accepts 7 for Sunday; its bits keep Sunday at 0.
    struct FieldSpec
    {
        const char *name;
        int minimum;
        int maximum;
        const char *const *names; // three-letter names of minimum, minimum + 1, ...
        int nameCount;
    };

    const FieldSpec fieldSpecs[] = {
        // Named in messages ("hour: "24" is out of range 0-23"), translated there.
        { QT_TRANSLATE_NOOP("Sluice::CronExpression", "minute"), 0, 59, nullptr, 0 },
        { QT_TRANSLATE_NOOP("Sluice::CronExpression", "hour"), 0, 23, nullptr, 0 },
        { QT_TRANSLATE_NOOP("Sluice::CronExpression", "day-of-month"), 1, 31, nullptr, 0 },
        { QT_TRANSLATE_NOOP("Sluice::CronExpression", "month"), 1, 12, monthNames, 12 },
        { QT_TRANSLATE_NOOP("Sluice::CronExpression", "day-of-week"), 0, 7, weekdayNames, 7 },
    };

    struct Macro
    {
        const char *name;
        const char *expression;
    };

    const Macro macros[] = {
        { "@yearly", "0 0 1 1 *" },
        { "@annually", "0 0 1 1 *" },
        { "@monthly", "0 0 1 * *" },
        { "@weekly", "0 0 * * 0" },
        { "@daily", "0 0 * * *" },
        { "@midnight", "0 0 * * *" },
        { "@hourly", "0 * * * *" },
    };

    // How many years nextFireTime() looks ahead before it gives up: the longest wait for a
    // day that must match both day fields is 29 February on one weekday (`0 0 29 2 */7`),
    // 40 years apart where a century year is not a leap year (2088, then 2128).
    constexpr int LookAheadYears = 40;

    bool isAsciiDigits(QStringView text)
    {
        if (text.isEmpty())
            return false;
        for (QChar c : text) {
            if (c < u'0' || c > u'9')
                return false;
        }
        return true;
    }

    bool isAsciiLetters(QStringView text)
    {
        if (text.isEmpty())
            return false;
        for (QChar c : text) {
            if (!((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')))
                return false;
        }
        return true;
    }

    // Digits to a number, saturating instead of overflowing: "99999999999" stays out of range.
    int saturatedNumber(QStringView digits)
    {
        qint64 value = 0;
        for (QChar c : digits) {
            value = value * 10 + (c.unicode() - u'0');
            if (value > 1000000)
                return 1000000;
        }
        return int(value);
    }

    class FieldParser
    {
    public:
        FieldParser(const FieldSpec &spec, const QString &text)
            : m_spec(spec)
            , m_text(text)
        { }

        Result<quint64> parse() const
        {
            quint64 bits = 0;
            const QStringList items = m_text.split(QLatin1Char(','));
            for (const QString &item : items) {
                if (item.isEmpty())
                    return fail(QCoreApplication::translate(
                        "Sluice::CronExpression", "empty list item in \"%1\"")
                                    .arg(m_text));
                Result<quint64> itemBits = parseItem(item);
                if (!itemBits)
                    return itemBits.error();
                bits |= *itemBits;
            }
            return bits;
        }

    private:
        Error fail(const QString &what) const
        {
            return Error{ what,
                QCoreApplication::translate("Sluice::CronExpression", m_spec.name) };
        }

        Result<quint64> parseItem(const QString &item) const
        {
            const QStringList parts = item.split(QLatin1Char('/'));
            if (parts.size() > 2)
                return fail(QCoreApplication::translate(
                    "Sluice::CronExpression", "\"%1\" has more than one \"/\"")
                                .arg(item));
            const QString base = parts.at(0);
            int step = 1;
            if (parts.size() == 2) {
                const QString &stepText = parts.at(1);
                if (base.isEmpty())
                    return fail(QCoreApplication::translate(
                        "Sluice::CronExpression", "\"%1\" has nothing before \"/\"")
                                    .arg(item));
                if (stepText.isEmpty())
                    return fail(QCoreApplication::translate(
                        "Sluice::CronExpression", "\"%1\" has no step after \"/\"")
                                    .arg(item));
                if (!isAsciiDigits(stepText))
                    return fail(QCoreApplication::translate(
                        "Sluice::CronExpression", "step \"%1\" in \"%2\" is not a number")
                                    .arg(stepText, item));
                step = saturatedNumber(stepText);
                if (step == 0)
                    return fail(QCoreApplication::translate(
                        "Sluice::CronExpression", "step 0 in \"%1\" (a step must be at least 1)")
                                    .arg(item));
                if (step > m_spec.maximum)
                    return fail(QCoreApplication::translate(
                        "Sluice::CronExpression", "step %1 in \"%2\" is larger than %3")
                                    .arg(stepText, item)
                                    .arg(m_spec.maximum));
            }

            int low = 0;
            int high = 0;
            if (base == u"*") {
                low = m_spec.minimum;
                high = m_spec.maximum;
            } else if (base.contains(QLatin1Char('-'))) {
                const QStringList ends = base.split(QLatin1Char('-'));
                if (ends.size() != 2 || ends.at(0).isEmpty() || ends.at(1).isEmpty())
                    return fail(QCoreApplication::translate(
                        "Sluice::CronExpression", "\"%1\" is not a valid range")
                                    .arg(base));
                Result<int> first = value(ends.at(0));
                if (!first)
                    return first.error();
                Result<int> last = value(ends.at(1));
                if (!last)
                    return last.error();
                low = *first;
                high = *last;
                // Day-of-week: a range may end on Sunday written as 0 or SUN ("FRI-SUN").
                if (m_spec.names == weekdayNames && high == 0 && low > 0)
                    high = 7;
                if (low > high)
                    return fail(QCoreApplication::translate(
                        "Sluice::CronExpression", "range \"%1\" is backwards")
                                    .arg(base));
            } else {
                Result<int> single = value(base);
                if (!single)
                    return single.error();
                low = *single;
                // "5/15" means 5-max/15.
                high = parts.size() == 2 ? m_spec.maximum : low;
            }

            quint64 bits = 0;
            for (int v = low; v <= high; v += step)
                bits |= quint64(1) << v;
            return bits;
        }

        Result<int> value(const QString &token) const
        {
            if (isAsciiDigits(token)) {
                const int number = saturatedNumber(token);
                if (number < m_spec.minimum || number > m_spec.maximum)
                    return fail(QCoreApplication::translate(
                        "Sluice::CronExpression", "\"%1\" is out of range %2-%3")
                                    .arg(token)
                                    .arg(m_spec.minimum)
                                    .arg(m_spec.maximum));
                return number;
            }
            if (m_spec.names && isAsciiLetters(token)) {
                for (int i = 0; i < m_spec.nameCount; ++i) {
                    if (token.compare(QLatin1String(m_spec.names[i]), Qt::CaseInsensitive) == 0)
                        return m_spec.minimum + i;
                }
                return fail(
                    QCoreApplication::translate("Sluice::CronExpression", "unknown name \"%1\"")
                        .arg(token));
            }
            if (m_spec.names)
                return fail(QCoreApplication::translate(
                    "Sluice::CronExpression", "\"%1\" is not a number or a name")
                                .arg(token));
            return fail(
                QCoreApplication::translate("Sluice::CronExpression", "\"%1\" is not a number")
                    .arg(token));
        }

        const FieldSpec &m_spec;
        const QString &m_text;
    };

    // The lowest set bit at or above `from`, or -1.
    int nextBit(quint64 bits, int from)
    {
        if (from >= 64)
            return -1;
        const quint64 rest = bits & (~quint64(0) << from);
        return rest ? std::countr_zero(rest) : -1;
    }

    quint64 fullMask(int low, int high)
    {
        quint64 bits = 0;
        for (int v = low; v <= high; ++v)
            bits |= quint64(1) << v;
        return bits;
    }

    int daysInMonth(int year, int month)
    {
        static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        if (month == 2 && QDate::isLeapYear(year))
            return 29;
        return days[month - 1];
    }

    // 0 = Sunday .. 6 = Saturday, proleptic Gregorian.
    int weekday(int year, int month, int day)
    {
        return QDate(year, month, day).dayOfWeek() % 7;
    }

} // namespace

QString CronExpression::fieldName(Field field)
{
    return QCoreApplication::translate("Sluice::CronExpression", fieldSpecs[int(field)].name);
}

Result<CronExpression> CronExpression::parse(const QString &text)
{
    QStringList fields = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    CronExpression cron;
    cron.m_text = fields.join(QLatin1Char(' '));
    if (fields.isEmpty())
        return Error{ QCoreApplication::translate(
                          "Sluice::CronExpression", "the cron expression is empty"),
            QString() };

    if (fields.size() == 1 && fields.at(0).startsWith(QLatin1Char('@'))) {
        const Macro *found = nullptr;
        for (const Macro &macro : macros) {
            if (fields.at(0).compare(QLatin1String(macro.name), Qt::CaseInsensitive) == 0)
                found = &macro;
        }
        if (!found) {
            QStringList names;
            for (const Macro &macro : macros)
                names << QLatin1String(macro.name);
            return Error{ QCoreApplication::translate(
                              "Sluice::CronExpression", "unknown macro \"%1\"; the macros are %2")
                              .arg(fields.at(0), names.join(QStringLiteral(", "))),
                QString() };
        }
        fields = QString::fromLatin1(found->expression).split(QLatin1Char(' '));
    }
    if (fields.size() != 5)
        return Error{ QCoreApplication::translate(
                          "Sluice::CronExpression", "expected 5 fields, got %1: \"%2\"")
                          .arg(fields.size())
                          .arg(cron.m_text),
            QString() };

    quint64 bits[5];
    for (int i = 0; i < 5; ++i) {
        Result<quint64> parsed = FieldParser(fieldSpecs[i], fields.at(i)).parse();
        if (!parsed)
            return parsed.error();
        bits[i] = *parsed;
    }
    // Sunday written as 7 is Sunday.
    if (bits[4] & (quint64(1) << 7))
        bits[4] = (bits[4] & ~(quint64(1) << 7)) | 1;

    cron.m_minutes = bits[0];
    cron.m_hours = quint32(bits[1]);
    cron.m_days = quint32(bits[2]);
    cron.m_months = quint32(bits[3]);
    cron.m_weekdays = quint32(bits[4]);
    // crontab(5), as cronie and Vixie cron do it: a day field is restricted unless its text
    // starts with `*`, whatever values it holds. When both are restricted a day matches if
    // either matches (`0 0 13 * 0-7` fires every day); otherwise both must match
    // (`0 0 */2 * MON`: Mondays that fall on an odd day). croniter instead calls a field
    // restricted when it leaves out some value.
    cron.m_eitherDay =
        !fields.at(2).startsWith(QLatin1Char('*')) && !fields.at(4).startsWith(QLatin1Char('*'));
    if (cron.m_eitherDay && (cron.m_days == fullMask(1, 31) || cron.m_weekdays == fullMask(0, 6))) {
        cron.m_days = quint32(fullMask(1, 31));
        cron.m_weekdays = quint32(fullMask(0, 6));
        cron.m_eitherDay = false;
    }

    // Only day-of-month against month can make an expression that never fires: any date
    // falls on every weekday in time, and with either day field enough some day matches.
    if (!cron.m_eitherDay) {
        bool fires = false;
        for (int month = 1; month <= 12 && !fires; ++month) {
            if (cron.m_months & (1u << month))
                fires = nextBit(cron.m_days, 1) <= daysInMonth(2000, month); // 2000: leap
        }
        if (!fires)
            return Error{ QCoreApplication::translate("Sluice::CronExpression",
                              "the expression never fires: no month in \"%1\" has a day in \"%2\"")
                              .arg(fields.at(3), fields.at(2)),
                fieldName(Field::DayOfMonth) };
    }
    return cron;
}

bool CronExpression::operator==(const CronExpression &other) const
{
    return m_minutes == other.m_minutes && m_hours == other.m_hours && m_days == other.m_days
        && m_months == other.m_months && m_weekdays == other.m_weekdays
        && m_eitherDay == other.m_eitherDay;
}

bool CronExpression::dayMatches(int year, int month, int day) const
{
    const bool dayOfMonth = m_days & (1u << day);
    const bool dayOfWeek = m_weekdays & (1u << weekday(year, month, day));
    return m_eitherDay ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
}

bool CronExpression::matches(const QDate &date, const QTime &time) const
{
    if (!isValid() || !date.isValid() || !time.isValid())
        return false;
    return (m_minutes & (quint64(1) << time.minute())) && (m_hours & (1u << time.hour()))
        && (m_months & (1u << date.month())) && dayMatches(date.year(), date.month(), date.day());
}

bool CronExpression::nextWallTime(WallTime &t, int lastYear) const
{
    // Each step skips a whole month, day or hour that cannot match; minutes are found by bit
    // search. So a search over years takes a few hundred steps at most.
    auto nextMonth = [&t] {
        t.day = 1;
        t.hour = 0;
        t.minute = 0;
        if (++t.month > 12) {
            t.month = 1;
            ++t.year;
        }
    };
    auto nextDay = [&] {
        t.hour = 0;
        t.minute = 0;
        if (++t.day > daysInMonth(t.year, t.month))
            nextMonth();
    };
    while (t.year <= lastYear) {
        if (!(m_months & (1u << t.month))) {
            const int month = nextBit(m_months, t.month + 1);
            t.day = 1;
            t.hour = 0;
            t.minute = 0;
            if (month < 0) {
                ++t.year;
                t.month = nextBit(m_months, 1);
            } else {
                t.month = month;
            }
            continue;
        }
        if (!dayMatches(t.year, t.month, t.day)) {
            nextDay();
            continue;
        }
        const int hour = nextBit(m_hours, t.hour);
        if (hour < 0) {
            nextDay();
            continue;
        }
        if (hour != t.hour) {
            t.hour = hour;
            t.minute = 0;
        }
        const int minute = nextBit(m_minutes, t.minute);
        if (minute < 0) {
            t.minute = 0;
            if (++t.hour > 23)
                nextDay();
            continue;
        }
        t.minute = minute;
        return true;
    }
    return false;
}

Result<QDateTime> CronExpression::nextFireTime(const QDateTime &after, const QTimeZone &zone) const
{
    if (!isValid())
        return Error{ QCoreApplication::translate(
                          "Sluice::CronExpression", "the cron expression is not valid"),
            m_text };
    if (!after.isValid())
        return Error{ QCoreApplication::translate(
                          "Sluice::CronExpression", "the start time is not valid"),
            m_text };
    if (!zone.isValid())
        return Error{ QCoreApplication::translate(
                          "Sluice::CronExpression", "the time zone is not valid"),
            m_text };

    const qint64 afterMs = after.toMSecsSinceEpoch();
    const qint64 afterSeconds = afterMs >= 0 ? afterMs / 1000 : -((-afterMs + 999) / 1000);
    const qint64 afterWall = afterSeconds + WallClock::offsetAt(zone, afterSeconds);
    // The first whole wall-clock minute after `after`.
    qint64 wall = (afterWall >= 0 ? afterWall / 60 : -((-afterWall + 59) / 60)) * 60 + 60;
    const QDateTime start = QDateTime::fromSecsSinceEpoch(wall, Qt::UTC);
    WallTime t{ start.date().year(), start.date().month(), start.date().day(), start.time().hour(),
        start.time().minute() };
    const int lastYear = t.year + LookAheadYears;

    // Wall times whose instant is not after `after` (the second pass of a repeated hour, or
    // gap times that map to an instant already passed) are skipped; that takes at most a few
    // hundred rounds around a transition.
    while (nextWallTime(t, lastYear)) {
        wall = WallClock::wallSeconds(QDate(t.year, t.month, t.day), QTime(t.hour, t.minute));
        const qint64 instant = WallClock::firstInstant(zone, wall);
        if (instant * 1000 > afterMs)
            return QDateTime::fromSecsSinceEpoch(instant, zone);
        const QDateTime next = QDateTime::fromSecsSinceEpoch(wall + 60, Qt::UTC);
        t = WallTime{ next.date().year(), next.date().month(), next.date().day(),
            next.time().hour(), next.time().minute() };
    }
    return Error{ QCoreApplication::translate("Sluice::CronExpression",
                      "the expression never fires in the %1 years after %2")
                      .arg(LookAheadYears)
                      .arg(after.toString(Qt::ISODate)),
        m_text };
}

namespace {

    const char *const weekdayWords[] = {
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "Sunday"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "Monday"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "Tuesday"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "Wednesday"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "Thursday"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "Friday"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "Saturday"),
    };

    const char *const monthWords[] = {
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "January"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "February"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "March"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "April"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "May"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "June"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "July"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "August"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "September"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "October"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "November"),
        QT_TRANSLATE_NOOP("Sluice::CronExpression", "December"),
    };

    // The one value a mask holds, or -1.
    int singleValue(quint64 bits)
    {
        return std::popcount(bits) == 1 ? std::countr_zero(bits) : -1;
    }

    // The first and last value of a mask that is one unbroken run of two or more, or false.
    bool isRun(quint64 bits, int &first, int &last)
    {
        if (std::popcount(bits) < 2)
            return false;
        first = std::countr_zero(bits);
        last = 63 - std::countl_zero(bits);
        return std::popcount(bits) == last - first + 1;
    }

} // namespace

QString CronExpression::describe() const
{
    if (!isValid())
        return QString();
    const bool everyHour = m_hours == fullMask(0, 23);
    // Either-day expressions have neither mask full, so none of the day phrases below fits
    // them; with both masks full every day matches.
    const bool anyDayOfMonth = m_days == fullMask(1, 31);
    const bool anyWeekday = m_weekdays == fullMask(0, 6);
    const bool everyDay = anyDayOfMonth && anyWeekday;
    const bool everyMonth = m_months == fullMask(1, 12);
    const int minute = singleValue(m_minutes);
    const int hour = singleValue(m_hours);

    if (everyHour && everyDay && everyMonth) {
        if (m_minutes == fullMask(0, 59))
            return QCoreApplication::translate("Sluice::CronExpression", "every minute");
        // "*/15": the minutes 0, 15, 30, 45.
        for (int step = 2; step <= 30; ++step) {
            quint64 bits = 0;
            for (int v = 0; v < 60; v += step)
                bits |= quint64(1) << v;
            if (m_minutes == bits && 60 % step == 0)
                return QCoreApplication::translate(
                    "Sluice::CronExpression", "every %n minutes", nullptr, step);
        }
        if (minute == 0)
            return QCoreApplication::translate("Sluice::CronExpression", "every hour");
        if (minute > 0)
            return QCoreApplication::translate("Sluice::CronExpression", "every hour at minute %1")
                .arg(minute);
        return m_text;
    }
    if (minute < 0 || hour < 0)
        return m_text;

    const QString time = QStringLiteral("%1:%2")
                             .arg(hour, 2, 10, QLatin1Char('0'))
                             .arg(minute, 2, 10, QLatin1Char('0'));
    const int day = singleValue(m_days);
    const int month = singleValue(m_months);
    const int weekdayValue = singleValue(m_weekdays);
    int firstWeekday = 0;
    int lastWeekday = 0;

    if (everyMonth && everyDay)
        return QCoreApplication::translate("Sluice::CronExpression", "at %1 every day").arg(time);
    if (everyMonth && anyDayOfMonth && weekdayValue >= 0)
        return QCoreApplication::translate("Sluice::CronExpression", "at %1 every %2")
            .arg(time,
                QCoreApplication::translate("Sluice::CronExpression", weekdayWords[weekdayValue]));
    if (everyMonth && anyDayOfMonth && isRun(m_weekdays, firstWeekday, lastWeekday))
        return QCoreApplication::translate("Sluice::CronExpression", "at %1, %2 to %3")
            .arg(time,
                QCoreApplication::translate("Sluice::CronExpression", weekdayWords[firstWeekday]),
                QCoreApplication::translate("Sluice::CronExpression", weekdayWords[lastWeekday]));
    if (everyMonth && anyWeekday && day > 0)
        return QCoreApplication::translate(
            "Sluice::CronExpression", "at %1 on day %2 of every month")
            .arg(time)
            .arg(day);
    if (month > 0 && anyWeekday && day > 0)
        return QCoreApplication::translate("Sluice::CronExpression", "at %1 on %2 %3")
            .arg(time, QCoreApplication::translate("Sluice::CronExpression", monthWords[month - 1]))
            .arg(day);
    return m_text;
}

} // namespace Sluice
