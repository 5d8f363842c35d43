// IntervalSchedule and Schedule: interval texts and anchoring, time zones, misfire policies,
// fire-time previews and the text form used for persistence.

#include <QRandomGenerator>
#include <QtTest>

#include "schedule/backfillplan.h"
#include "schedule/intervalschedule.h"
#include "schedule/schedule.h"

using namespace Sluice;

class TestSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void intervalParse_data();
    void intervalParse();
    void intervalInvalid_data();
    void intervalInvalid();
    void intervalAnchoring_data();
    void intervalAnchoring();
    void intervalStaysOnGrid();
    void intervalDescribe_data();
    void intervalDescribe();
    void timeZones_data();
    void timeZones();
    void misfirePolicies_data();
    void misfirePolicies();
    void nextFireTimes_data();
    void nextFireTimes();
    void formatTime_data();
    void formatTime();
    void describe_data();
    void describe();
    void textRoundTrip_data();
    void textRoundTrip();
    void textInvalid_data();
    void textInvalid();
    void backfillPlan();

private:
    static QDateTime time(const QString &iso);
};

QDateTime TestSchedule::time(const QString &iso)
{
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime)
        qFatal("bad test time %s", qPrintable(iso));
    return t;
}

void TestSchedule::intervalParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("90s") << "90s" << qint64(90) << "90s";
    QTest::newRow("5m") << "5m" << qint64(300) << "5m";
    QTest::newRow("2h") << "2h" << qint64(7200) << "2h";
    QTest::newRow("1s") << "1s" << qint64(1) << "1s";
    QTest::newRow("120s is 2m") << "120s" << qint64(120) << "2m";
    QTest::newRow("60m is 1h") << "60m" << qint64(3600) << "1h";
    QTest::newRow("spaces around") << " 5m " << qint64(300) << "5m";
    QTest::newRow("leading zero") << "05m" << qint64(300) << "5m";
    QTest::newRow("366 days") << "8784h" << qint64(8784 * 3600) << "8784h";
}

void TestSchedule::intervalParse()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    QFETCH(QString, canonical);
    Result<IntervalSchedule> interval = IntervalSchedule::parse(text);
    QVERIFY2(interval, qPrintable(interval ? QString() : interval.error().message()));
    QCOMPARE(interval->seconds(), seconds);
    QCOMPARE(interval->text(), canonical);
    QCOMPARE(interval->anchor(), time(QStringLiteral("1970-01-01T00:00:00Z")));
}

void TestSchedule::intervalInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("what");
    QTest::newRow("zero") << "0m"
                          << "\"0m\" is zero; an interval must be at least 1s";
    QTest::newRow("unknown unit") << "5x"
                                  << "\"5x\" has an unknown unit \"x\" (use s, m or h)";
    QTest::newRow("upper case unit") << "5M"
                                     << "\"5M\" has an unknown unit \"M\" (use s, m or h)";
    QTest::newRow("days") << "1d"
                          << "\"1d\" has an unknown unit \"d\" (use s, m or h)";
    QTest::newRow("fraction") << "1.5h"
                              << "\"1.5h\" has an unknown unit \".5h\" (use s, m or h)";
    QTest::newRow("empty") << ""
                           << "no interval given; write a number and a unit, such as 90s, 5m or 2h";
    QTest::newRow("no unit") << "5"
                             << "\"5\" has no unit (use s, m or h)";
    QTest::newRow("no number")
        << "m"
        << "\"m\" does not start with a number; write for example 90s, 5m or 2h";
    QTest::newRow("negative")
        << "-5m"
        << "\"-5m\" does not start with a number; write for example 90s, 5m or 2h";
    QTest::newRow("too long") << "8785h"
                              << "\"8785h\" is longer than 366 days";
    QTest::newRow("huge") << "99999999999999999999999s"
                          << "\"99999999999999999999999s\" is longer than 366 days";
}

void TestSchedule::intervalInvalid()
{
    QFETCH(QString, text);
    QFETCH(QString, what);
    Result<IntervalSchedule> interval = IntervalSchedule::parse(text);
    QVERIFY(!interval);
    QCOMPARE(interval.error().where, QStringLiteral("interval"));
    QCOMPARE(interval.error().what, what);
}

// Expected times worked out by hand: the grid is anchor + k * interval for whole k.
void TestSchedule::intervalAnchoring_data()
{
    QTest::addColumn<QString>("interval");
    QTest::addColumn<QString>("anchor");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("5m on the clock")
        << "5m"
        << ""
        << "2024-03-08T16:52:13Z"
        << QStringList{ "2024-03-08T16:55:00Z", "2024-03-08T17:00:00Z", "2024-03-08T17:05:00Z" };
    QTest::newRow("strictly after")
        << "5m"
        << ""
        << "2024-03-08T17:00:00Z" << QStringList{ "2024-03-08T17:05:00Z" };
    QTest::newRow("a millisecond before")
        << "5m"
        << ""
        << "2024-03-08T16:59:59.999Z" << QStringList{ "2024-03-08T17:00:00Z" };
    QTest::newRow("90s from anchor")
        << "90s"
        << "2024-01-01T00:00:00Z"
        << "2024-01-01T00:02:59Z"
        << QStringList{ "2024-01-01T00:03:00Z", "2024-01-01T00:04:30Z", "2024-01-01T00:06:00Z" };
    QTest::newRow("2h odd anchor")
        << "2h"
        << "2024-03-08T01:30:00Z"
        << "2024-03-08T00:00:00Z" << QStringList{ "2024-03-08T01:30:00Z", "2024-03-08T03:30:00Z" };
    QTest::newRow("grid before anchor")
        << "2h"
        << "2024-03-08T01:30:00Z"
        << "2024-03-07T22:00:00Z" << QStringList{ "2024-03-07T23:30:00Z", "2024-03-08T01:30:00Z" };
    QTest::newRow("anchor with offset")
        << "1h"
        << "2024-03-08T10:20:00+01:00"
        << "2024-03-08T12:00:00Z" << QStringList{ "2024-03-08T12:20:00Z", "2024-03-08T13:20:00Z" };
    // 1709917200 s is 2024-03-08T17:00Z; 7 minutes is 420 s; 1709917200 / 420 = 4071231.43,
    // so the next slot is 4071232 * 420 = 1709917440 = 17:04:00.
    QTest::newRow("7m from the epoch")
        << "7m"
        << ""
        << "2024-03-08T17:00:00Z" << QStringList{ "2024-03-08T17:04:00Z", "2024-03-08T17:11:00Z" };
    QTest::newRow("before the epoch")
        << "1h"
        << ""
        << "1969-12-31T22:30:00Z" << QStringList{ "1969-12-31T23:00:00Z", "1970-01-01T00:00:00Z" };
}

void TestSchedule::intervalAnchoring()
{
    QFETCH(QString, interval);
    QFETCH(QString, anchor);
    QFETCH(QString, after);
    QFETCH(QStringList, expected);
    Result<IntervalSchedule> schedule =
        IntervalSchedule::parse(interval, anchor.isEmpty() ? QDateTime() : time(anchor));
    QVERIFY(schedule);
    QDateTime t = time(after);
    for (const QString &iso : expected) {
        const QDateTime next = schedule->nextFireTime(t);
        QCOMPARE(next, time(iso));
        t = next;
    }
}

// Asked at any moment, the answer lies on the grid and within one interval: nothing is
// accumulated, so nothing drifts however often or irregularly it is asked.
void TestSchedule::intervalStaysOnGrid()
{
    QRandomGenerator random(42);
    const QDateTime anchor = time(QStringLiteral("2024-01-01T00:00:07.250Z"));
    for (const char *text : { "1s", "90s", "7m", "2h", "8784h" }) {
        Result<IntervalSchedule> schedule = IntervalSchedule::parse(QLatin1String(text), anchor);
        QVERIFY(schedule);
        const qint64 period = schedule->seconds() * 1000;
        for (int i = 0; i < 2000; ++i) {
            const QDateTime after = QDateTime::fromMSecsSinceEpoch(
                random.bounded(qint64(0), qint64(4102444800000)), Qt::UTC);
            const QDateTime next = schedule->nextFireTime(after);
            const qint64 gap = after.msecsTo(next);
            QVERIFY2(gap > 0 && gap <= period, text);
            const qint64 fromAnchor = anchor.msecsTo(next);
            QCOMPARE(((fromAnchor % period) + period) % period, qint64(0));
        }
    }
}

void TestSchedule::intervalDescribe_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("words");
    QTest::newRow("90s") << "90s"
                         << "every 90 seconds";
    QTest::newRow("1s") << "1s"
                        << "every second";
    QTest::newRow("1m") << "60s"
                        << "every minute";
    QTest::newRow("5m") << "5m"
                        << "every 5 minutes";
    QTest::newRow("1h") << "1h"
                        << "every hour";
    QTest::newRow("2h") << "120m"
                        << "every 2 hours";
}

void TestSchedule::intervalDescribe()
{
    QFETCH(QString, text);
    QFETCH(QString, words);
    Result<IntervalSchedule> interval = IntervalSchedule::parse(text);
    QVERIFY(interval);
    QCOMPARE(interval->describe(), words);
}

void TestSchedule::timeZones_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("id");
    QTest::newRow("berlin") << "Europe/Berlin" << true << "Europe/Berlin";
    QTest::newRow("new york") << "America/New_York" << true << "America/New_York";
    QTest::newRow("utc") << "UTC" << true << "UTC";
    QTest::newRow("empty is utc") << "" << true << "UTC";
    QTest::newRow("link") << "US/Eastern" << true << "US/Eastern";
    QTest::newRow("etc") << "Etc/UTC" << true << "Etc/UTC";
    QTest::newRow("unknown") << "Mars/Base" << false << "";
    QTest::newRow("region only") << "Europe" << false << "";
    QTest::newRow("wrong case") << "europe/berlin" << false << "";
    QTest::newRow("qt offset id") << "UTC+01:00" << false << "";
    QTest::newRow("posix rule") << "CET-1CEST,M3.5.0,M10.5.0/3" << false << "";
    QTest::newRow("path") << "../../etc/passwd" << false << "";
    QTest::newRow("posix folder") << "posix/Europe/Berlin" << false << "";
    QTest::newRow("garbage") << QString::fromUtf8("Europe/B\xc3\xa9rlin") << false << "";
}

void TestSchedule::timeZones()
{
    QFETCH(QString, zone);
    QFETCH(bool, valid);
    QFETCH(QString, id);
    Result<Schedule> schedule = Schedule::fromCron(QStringLiteral("0 0 * * *"), zone);
    QCOMPARE(bool(schedule), valid);
    if (valid) {
        QCOMPARE(schedule->timeZoneId(), id);
        QVERIFY(schedule->timeZone().isValid());
    } else {
        QCOMPARE(schedule.error().where, QStringLiteral("time zone"));
        QCOMPARE(schedule.error().what,
            QStringLiteral("unknown time zone \"%1\"; use an IANA name such as "
                           "Europe/Berlin or UTC")
                .arg(zone));
        Schedule plain = *Schedule::fromCron(QStringLiteral("0 0 * * *"));
        QVERIFY(!plain.setTimeZone(zone));
        QCOMPARE(plain.timeZoneId(), QStringLiteral("UTC")); // unchanged
    }
}

void TestSchedule::misfirePolicies_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("policy"); // -1: refused
    QTest::newRow("skip") << "skip" << int(Schedule::MisfirePolicy::Skip);
    QTest::newRow("run-once") << "run-once" << int(Schedule::MisfirePolicy::RunOnce);
    QTest::newRow("catch-up") << "catch-up" << int(Schedule::MisfirePolicy::CatchUp);
    QTest::newRow("unknown") << "never" << -1;
    QTest::newRow("case") << "Skip" << -1;
    QTest::newRow("empty") << "" << -1;
}

void TestSchedule::misfirePolicies()
{
    QFETCH(QString, text);
    QFETCH(int, policy);
    Result<Schedule::MisfirePolicy> parsed = Schedule::parseMisfirePolicy(text);
    if (policy < 0) {
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().message(),
            QStringLiteral("misfire: unknown policy \"%1\"; the policies are skip, "
                           "run-once and catch-up")
                .arg(text));
        return;
    }
    QVERIFY(parsed);
    QCOMPARE(int(*parsed), policy);
    QCOMPARE(Schedule::misfirePolicyName(*parsed), text);
    QCOMPARE(Schedule().misfirePolicy(), Schedule::MisfirePolicy::RunOnce); // the default
}

void TestSchedule::nextFireTimes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("cron utc") << "cron=*/15 9-17 * * MON-FRI"
                              << "2024-03-08T16:50:00Z"
                              << QStringList{ "2024-03-08T17:00:00Z", "2024-03-08T17:15:00Z",
                                     "2024-03-08T17:30:00Z", "2024-03-08T17:45:00Z",
                                     "2024-03-11T09:00:00Z" };
    QTest::newRow("cron berlin") << "cron=30 2 * * *; tz=Europe/Berlin"
                                 << "2024-03-30T00:00:00Z"
                                 << QStringList{ "2024-03-30T02:30:00+01:00",
                                        "2024-03-31T03:00:00+02:00", "2024-04-01T02:30:00+02:00" };
    // An interval counts real time: across the Berlin gap it fires every hour as usual.
    QTest::newRow("interval across gap")
        << "every=1h; tz=Europe/Berlin"
        << "2024-03-30T23:30:00Z"
        << QStringList{ "2024-03-31T01:00:00+01:00", "2024-03-31T03:00:00+02:00",
               "2024-03-31T04:00:00+02:00" };
    QTest::newRow("none") << "cron=0 0 * * *"
                          << "2024-03-08T00:00:00Z" << QStringList{};
}

void TestSchedule::nextFireTimes()
{
    QFETCH(QString, text);
    QFETCH(QString, from);
    QFETCH(QStringList, expected);
    Result<Schedule> schedule = Schedule::fromText(text);
    QVERIFY2(schedule, qPrintable(schedule ? QString() : schedule.error().message()));
    Result<QList<QDateTime>> times = schedule->nextFireTimes(time(from), int(expected.size()));
    QVERIFY(times);
    QCOMPARE(times->size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const QDateTime want = time(expected.at(i));
        QCOMPARE(times->at(i), want);
        QCOMPARE(times->at(i).offsetFromUtc(), want.offsetFromUtc());
    }
    QVERIFY(!Schedule().nextFireTime(time(from)));
}

void TestSchedule::formatTime_data()
{
    QTest::addColumn<QString>("instant");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("text");
    QTest::newRow("utc") << "2024-03-08T17:00:00Z"
                         << "UTC"
                         << "2024-03-08T17:00:00+00:00";
    QTest::newRow("berlin summer") << "2024-03-31T01:00:00Z"
                                   << "Europe/Berlin"
                                   << "2024-03-31T03:00:00+02:00";
    QTest::newRow("new york") << "2024-11-03T06:00:00Z"
                              << "America/New_York"
                              << "2024-11-03T01:00:00-05:00";
    QTest::newRow("kolkata") << "2024-03-08T03:30:00Z"
                             << "Asia/Kolkata"
                             << "2024-03-08T09:00:00+05:30";
    QTest::newRow("st johns") << "2024-01-15T12:00:00Z"
                              << "America/St_Johns"
                              << "2024-01-15T08:30:00-03:30";
}

void TestSchedule::formatTime()
{
    QFETCH(QString, instant);
    QFETCH(QString, zone);
    QFETCH(QString, text);
    const QDateTime t = time(instant).toTimeZone(QTimeZone(zone.toUtf8()));
    QCOMPARE(Schedule::formatTime(t), text);
    QCOMPARE(Schedule::formatTime(QDateTime()), QString());
}

void TestSchedule::describe_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("words");
    QTest::newRow("daily report") << "cron=1 0 * * *"
                                  << "at 00:01 every day";
    QTest::newRow("berlin") << "cron=1 0 * * *; tz=Europe/Berlin"
                            << "at 00:01 every day (Europe/Berlin)";
    QTest::newRow("interval") << "every=15m; tz=Europe/Berlin"
                              << "every 15 minutes";
    QTest::newRow("raw") << "cron=*/15 9-17 * * MON-FRI"
                         << "*/15 9-17 * * MON-FRI";
}

void TestSchedule::describe()
{
    QFETCH(QString, text);
    QFETCH(QString, words);
    Result<Schedule> schedule = Schedule::fromText(text);
    QVERIFY(schedule);
    QCOMPARE(schedule->describe(), words);
}

void TestSchedule::textRoundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("cron defaults")
        << "cron=*/15 9-17 * * MON-FRI"
        << "cron=*/15 9-17 * * MON-FRI; tz=UTC; misfire=run-once; paused=false";
    QTest::newRow("cron all set")
        << "paused=true;misfire=catch-up; tz=Europe/Berlin;cron= 1  0 * * * "
        << "cron=1 0 * * *; tz=Europe/Berlin; misfire=catch-up; paused=true";
    QTest::newRow("macro") << "cron=@daily; misfire=skip"
                           << "cron=@daily; tz=UTC; misfire=skip; paused=false";
    QTest::newRow("interval")
        << "every=90s"
        << "every=90s; anchor=1970-01-01T00:00:00.000Z; tz=UTC; misfire=run-once; paused=false";
    QTest::newRow("interval anchor")
        << "every=120s; anchor=2024-03-08T10:20:00.250+01:00; tz=America/New_York"
        << "every=2m; anchor=2024-03-08T09:20:00.250Z; tz=America/New_York; misfire=run-once; "
           "paused=false";
}

void TestSchedule::textRoundTrip()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    Result<Schedule> schedule = Schedule::fromText(text);
    QVERIFY2(schedule, qPrintable(schedule ? QString() : schedule.error().message()));
    QCOMPARE(schedule->toText(), canonical);
    Result<Schedule> again = Schedule::fromText(schedule->toText());
    QVERIFY(again);
    QVERIFY(*again == *schedule);
    QCOMPARE(again->toText(), canonical);
    // Any change shows in the text.
    Schedule paused = *schedule;
    paused.setPaused(!schedule->isPaused());
    QVERIFY(paused != *schedule);
    QVERIFY(paused.toText() != canonical);
}

void TestSchedule::textInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << ""
                           << "neither cron= nor every= is given";
    QTest::newRow("bad cron") << "cron=0 24 * * *"
                              << "hour: \"24\" is out of range 0-23";
    QTest::newRow("bad interval") << "every=5x"
                                  << "interval: \"5x\" has an unknown unit \"x\" (use s, m or h)";
    QTest::newRow("both") << "cron=* * * * *; every=5m"
                          << "both cron= and every= are given";
    QTest::newRow("twice") << "cron=* * * * *; cron=0 * * * *"
                           << "\"cron\" is given twice";
    QTest::newRow("unknown key") << "cron=* * * * *; colour=red"
                                 << "unknown key \"colour\"";
    QTest::newRow("no pair") << "cron=* * * * *; paused"
                             << "\"paused\" is not a key=value pair";
    QTest::newRow("bad zone") << "cron=* * * * *; tz=Mars/Base"
                              << "time zone: unknown time zone \"Mars/Base\"";
    QTest::newRow("bad policy") << "cron=* * * * *; misfire=never"
                                << "misfire: unknown policy \"never\"";
    QTest::newRow("bad paused") << "cron=* * * * *; paused=maybe"
                                << "paused must be true or false, not \"maybe\"";
    QTest::newRow("bad anchor") << "every=5m; anchor=soon"
                                << "anchor \"soon\" is not an ISO 8601 date and time";
    QTest::newRow("anchor on cron") << "cron=* * * * *; anchor=2024-01-01T00:00:00Z"
                                    << "anchor= belongs to an every= schedule";
}

void TestSchedule::textInvalid()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    Result<Schedule> schedule = Schedule::fromText(text);
    QVERIFY(!schedule);
    QVERIFY2(schedule.error().message().contains(message), qPrintable(schedule.error().message()));
}

// A backfill's plan: the fires in [from, to), each with the one before, those with a Completed
// run marked to skip; an empty range and too many fires are refused.
void TestSchedule::backfillPlan()
{
    const Result<Schedule> hourly = Schedule::fromCron(QStringLiteral("0 * * * *"));
    QVERIFY(hourly);
    const QDateTime from(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
    const QDateTime to = from.addSecs(3 * 3600 + 1);
    const Result<BackfillPlan> plan =
        BackfillPlan::make(*hourly, from, to, { from.addSecs(3600).toMSecsSinceEpoch() });
    QVERIFY(plan);
    QCOMPARE(plan->fires().size(), 4);
    QCOMPARE(plan->fires().at(0).time, from);
    QCOMPARE(plan->fires().at(0).previous, from.addSecs(-3600));
    QCOMPARE(plan->fires().at(3).previous, from.addSecs(2 * 3600));
    QVERIFY(plan->fires().at(1).completedBefore);
    QCOMPARE(plan->skipped(), 1);
    const QList<BackfillFire> todo = plan->toRun();
    QCOMPARE(todo.size(), 3);
    QCOMPARE(todo.at(1).time, from.addSecs(2 * 3600));
    QCOMPARE(todo.at(1).previous, from.addSecs(3600)); // the fire before, skipped or not

    QVERIFY(!BackfillPlan::make(*hourly, from, from, {}));
    const Result<Schedule> minutely = Schedule::fromCron(QStringLiteral("* * * * *"));
    QVERIFY(minutely);
    const Result<BackfillPlan> tooMany = BackfillPlan::make(*minutely, from, from.addDays(7), {});
    QVERIFY(!tooMany);
    QCOMPARE(tooMany.error().code, ErrorCode::Permanent);
    QVERIFY(BackfillPlan::make(
        *minutely, from, from.addSecs(qint64(BackfillPlan::MaximumFireTimes) * 60), {}));
}

QTEST_GUILESS_MAIN(TestSchedule)
#include "tst_schedule.moc"
