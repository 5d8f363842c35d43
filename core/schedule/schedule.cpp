#include "schedule/schedule.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>
#include <QStringList>

namespace Sluice {

namespace {

    const char *const policyNames[] = { "skip", "run-once", "catch-up" };

    // QTimeZone takes more than IANA names: POSIX rules ("CET-1CEST,M3.5.0,M10.5.0/3"), offsets
    // ("UTC+01:00") and even "Europe" (as a rule with no offset). A schedule wants a name of the
    // tz database: listed by Qt, or a TZif file of the system's database (links such as
    // US/Eastern and Etc/UTC are not listed).
    bool isIanaZone(const QString &id)
    {
        static const QRegularExpression pattern(
            QStringLiteral("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"));
        if (!pattern.match(id).hasMatch() || id.startsWith(QLatin1String("posix/"))
            || id.startsWith(QLatin1String("right/")))
            return false;
        const QByteArray bytes = id.toUtf8();
        if (!QTimeZone(bytes).isValid())
            return false;
        if (QTimeZone::isTimeZoneIdAvailable(bytes))
            return true;
        const QString database = qEnvironmentVariableIsSet("TZDIR")
            ? qEnvironmentVariable("TZDIR")
            : QStringLiteral("/usr/share/zoneinfo");
        if (!QFileInfo(database).isDir())
            return true; // no system database to ask: trust QTimeZone
        QFile file(database + QLatin1Char('/') + id);
        return QFileInfo(file).isFile() && file.open(QIODevice::ReadOnly) && file.read(4) == "TZif";
    }

} // namespace

Result<QTimeZone> Schedule::parseTimeZone(const QString &ianaId)
{
    const QString id = ianaId.trimmed();
    if (id.isEmpty() || id == u"UTC")
        return QTimeZone::utc();
    if (isIanaZone(id))
        return QTimeZone(id.toUtf8());
    return Error{ QCoreApplication::translate("Sluice::Schedule",
                      "unknown time zone \"%1\"; use an IANA name such as Europe/Berlin or UTC")
                      .arg(id),
        QStringLiteral("time zone") };
}

Result<Schedule::MisfirePolicy> Schedule::parseMisfirePolicy(const QString &text)
{
    for (int i = 0; i < 3; ++i) {
        if (text == QLatin1String(policyNames[i]))
            return MisfirePolicy(i);
    }
    return Error{ QCoreApplication::translate("Sluice::Schedule",
                      "unknown policy \"%1\"; the policies are skip, run-once and catch-up")
                      .arg(text),
        QStringLiteral("misfire") };
}

QString Schedule::misfirePolicyName(MisfirePolicy policy)
{
    return QLatin1String(policyNames[int(policy)]);
}

QString Schedule::formatTime(const QDateTime &time)
{
    if (!time.isValid())
        return QString();
    const int offset = time.offsetFromUtc();
    const int minutes = qAbs(offset) / 60;
    return time.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
        + (offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        + QStringLiteral("%1:%2")
              .arg(minutes / 60, 2, 10, QLatin1Char('0'))
              .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

Result<Schedule> Schedule::fromCron(const QString &expression, const QString &timeZoneId)
{
    Result<CronExpression> cron = CronExpression::parse(expression);
    if (!cron)
        return cron.error();
    Schedule schedule;
    schedule.m_kind = Kind::Cron;
    schedule.m_cron = *cron;
    if (Result<void> zone = schedule.setTimeZone(timeZoneId); !zone)
        return zone.error();
    return schedule;
}

Result<Schedule> Schedule::fromInterval(
    const QString &interval, const QDateTime &anchor, const QString &timeZoneId)
{
    Result<IntervalSchedule> parsed = IntervalSchedule::parse(interval, anchor);
    if (!parsed)
        return parsed.error();
    Schedule schedule;
    schedule.m_kind = Kind::Interval;
    schedule.m_interval = *parsed;
    if (Result<void> zone = schedule.setTimeZone(timeZoneId); !zone)
        return zone.error();
    return schedule;
}

Result<void> Schedule::setTimeZone(const QString &ianaId)
{
    Result<QTimeZone> zone = parseTimeZone(ianaId);
    if (!zone)
        return zone.error();
    m_zone = *zone;
    return {};
}

Result<QDateTime> Schedule::nextFireTime(const QDateTime &after) const
{
    switch (m_kind) {
    case Kind::Cron:
        return m_cron.nextFireTime(after, m_zone);
    case Kind::Interval:
        if (!after.isValid())
            return Error{ QCoreApplication::translate(
                              "Sluice::Schedule", "the start time is not valid"),
                m_interval.text() };
        return m_interval.nextFireTime(after).toTimeZone(m_zone);
    case Kind::None:
        break;
    }
    return Error{ QCoreApplication::translate("Sluice::Schedule", "no schedule"), QString() };
}

Result<QList<QDateTime>> Schedule::nextFireTimes(const QDateTime &from, int count) const
{
    QList<QDateTime> times;
    times.reserve(qMax(count, 0));
    QDateTime after = from;
    for (int i = 0; i < count; ++i) {
        Result<QDateTime> next = nextFireTime(after);
        if (!next)
            return next.error();
        times.append(*next);
        after = *next;
    }
    return times;
}

QString Schedule::expressionText() const
{
    switch (m_kind) {
    case Kind::Cron:
        return m_cron.text();
    case Kind::Interval:
        return m_interval.text();
    case Kind::None:
        break;
    }
    return QString();
}

QString Schedule::describe() const
{
    QString text;
    switch (m_kind) {
    case Kind::Cron:
        text = m_cron.describe();
        break;
    case Kind::Interval:
        return m_interval.describe(); // the same in every zone
    case Kind::None:
        return QCoreApplication::translate("Sluice::Schedule", "no schedule");
    }
    if (m_zone != QTimeZone::utc())
        return QCoreApplication::translate("Sluice::Schedule", "%1 (%2)").arg(text, timeZoneId());
    return text;
}

QString Schedule::toText() const
{
    QStringList parts;
    switch (m_kind) {
    case Kind::Cron:
        parts << QStringLiteral("cron=") + m_cron.text();
        break;
    case Kind::Interval:
        parts << QStringLiteral("every=") + m_interval.text()
              << QStringLiteral("anchor=") + m_interval.anchor().toString(Qt::ISODateWithMs);
        break;
    case Kind::None:
        return QString();
    }
    parts << QStringLiteral("tz=") + timeZoneId()
          << QStringLiteral("misfire=") + misfirePolicyName(m_misfirePolicy)
          << QStringLiteral("paused=")
            + (m_paused ? QStringLiteral("true") : QStringLiteral("false"));
    return parts.join(QStringLiteral("; "));
}

Result<Schedule> Schedule::fromText(const QString &text)
{
    // Cron expressions, interval texts, zone ids and policy names contain no ';'.
    QMap<QString, QString> values;
    for (const QString &part : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype equals = part.indexOf(QLatin1Char('='));
        const QString key = part.left(equals).trimmed();
        if (equals < 0 || key.isEmpty())
            return Error{ QCoreApplication::translate(
                              "Sluice::Schedule", "\"%1\" is not a key=value pair")
                              .arg(part.trimmed()),
                text };
        static const QStringList known = { QStringLiteral("cron"), QStringLiteral("every"),
            QStringLiteral("anchor"), QStringLiteral("tz"), QStringLiteral("misfire"),
            QStringLiteral("paused") };
        if (!known.contains(key))
            return Error{
                QCoreApplication::translate("Sluice::Schedule", "unknown key \"%1\"").arg(key), text
            };
        if (values.contains(key))
            return Error{
                QCoreApplication::translate("Sluice::Schedule", "\"%1\" is given twice").arg(key),
                text
            };
        values.insert(key, part.mid(equals + 1).trimmed());
    }

    const QString zone = values.value(QStringLiteral("tz"));
    Result<Schedule> schedule =
        Error{ QCoreApplication::translate("Sluice::Schedule", "neither cron= nor every= is given"),
            text };
    if (values.contains(QStringLiteral("cron")) && values.contains(QStringLiteral("every")))
        return Error{
            QCoreApplication::translate("Sluice::Schedule", "both cron= and every= are given"), text
        };
    if (values.contains(QStringLiteral("cron"))) {
        if (values.contains(QStringLiteral("anchor")))
            return Error{ QCoreApplication::translate(
                              "Sluice::Schedule", "anchor= belongs to an every= schedule"),
                text };
        schedule = fromCron(values.value(QStringLiteral("cron")), zone);
    } else if (values.contains(QStringLiteral("every"))) {
        QDateTime anchor;
        if (values.contains(QStringLiteral("anchor"))) {
            const QString anchorText = values.value(QStringLiteral("anchor"));
            anchor = QDateTime::fromString(anchorText, Qt::ISODateWithMs);
            if (!anchor.isValid())
                return Error{ QCoreApplication::translate("Sluice::Schedule",
                                  "anchor \"%1\" is not an ISO 8601 date and time")
                                  .arg(anchorText),
                    text };
        }
        schedule = fromInterval(values.value(QStringLiteral("every")), anchor, zone);
    }
    if (!schedule)
        return schedule.error();

    if (values.contains(QStringLiteral("misfire"))) {
        Result<MisfirePolicy> policy = parseMisfirePolicy(values.value(QStringLiteral("misfire")));
        if (!policy)
            return policy.error();
        schedule->setMisfirePolicy(*policy);
    }
    const QString paused = values.value(QStringLiteral("paused"), QStringLiteral("false"));
    if (paused != u"true" && paused != u"false")
        return Error{ QCoreApplication::translate(
                          "Sluice::Schedule", "paused must be true or false, not \"%1\"")
                          .arg(paused),
            text };
    schedule->setPaused(paused == u"true");
    return schedule;
}

bool Schedule::operator==(const Schedule &other) const
{
    if (m_kind != other.m_kind || m_zone != other.m_zone || m_misfirePolicy != other.m_misfirePolicy
        || m_paused != other.m_paused)
        return false;
    switch (m_kind) {
    case Kind::Cron:
        return m_cron == other.m_cron && m_cron.text() == other.m_cron.text();
    case Kind::Interval:
        return m_interval == other.m_interval;
    case Kind::None:
        break;
    }
    return true;
}

} // namespace Sluice
