// Scheduler: fire times on a hand-driven clock (no waiting), no drift, misfire policies after
// downtime, pause and resume, clock changes, DST, and one short run on the real clock.

#include <QSignalSpy>
#include <QtTest>

#include <algorithm>
#include <mutex>

#include <QTemporaryDir>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "engine/taskcontext.h"
#include "schedule/manualclock.h"
#include "schedule/scheduler.h"
#include "schedule/schedulerunner.h"
#include "schedule/schedulestore.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;

class TestScheduler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firesAtEachSlotOnce();
    void intervalDoesNotDrift();
    void misfire_data();
    void misfire();
    void pausedNeverFires();
    void clockSetBack();
    void daylightSavingGap();
    void daylightSavingOverlap();
    void editingKeepsProgress();
    void setSchedulesReplacesAll();
    void realClockFiresOnTime();
    void runsTakeTheirFireTime();

private:
    static QDateTime time(const QString &iso);
    static Schedule schedule(const QString &text);
    static QStringList fired(const QSignalSpy &spy);
};

QDateTime TestScheduler::time(const QString &iso)
{
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime)
        qFatal("bad test time %s", qPrintable(iso));
    return t;
}

Schedule TestScheduler::schedule(const QString &text)
{
    Result<Schedule> parsed = Schedule::fromText(text);
    if (!parsed)
        qFatal("bad test schedule %s", qPrintable(parsed.error().message()));
    return *parsed;
}

// "flow@2024-03-08T17:00:00+00:00" for each fireDue() so far.
QStringList TestScheduler::fired(const QSignalSpy &spy)
{
    QStringList list;
    for (const QList<QVariant> &arguments : spy)
        list << arguments.at(0).toString() + QLatin1Char('@')
                + Schedule::formatTime(arguments.at(1).toDateTime());
    return list;
}

void TestScheduler::firesAtEachSlotOnce()
{
    ManualClock clock(time(QStringLiteral("2024-03-08T16:50:00Z")));
    Scheduler scheduler(&clock);
    QSignalSpy spy(&scheduler, &Scheduler::fireDue);
    QSignalSpy missed(&scheduler, &Scheduler::slotsMissed);
    scheduler.setSchedule(
        QStringLiteral("report"), schedule(QStringLiteral("cron=*/15 9-17 * * MON-FRI")));
    QCOMPARE(scheduler.nextFireTime(QStringLiteral("report")),
        time(QStringLiteral("2024-03-08T17:00:00Z")));

    scheduler.check();
    QCOMPARE(spy.count(), 0);
    clock.advance(9 * 60 + 59); // 16:59:59
    scheduler.check();
    QCOMPARE(spy.count(), 0);
    clock.advance(1); // 17:00:00
    scheduler.check();
    QCOMPARE(fired(spy), QStringList{ "report@2024-03-08T17:00:00+00:00" });
    scheduler.check(); // same instant again
    clock.advance(1);
    scheduler.check();
    QCOMPARE(spy.count(), 1);
    clock.setNow(time(QStringLiteral("2024-03-08T17:15:00.400Z")));
    scheduler.check();
    QCOMPARE(fired(spy).last(), QStringLiteral("report@2024-03-08T17:15:00+00:00"));
    QCOMPARE(scheduler.nextFireTime(QStringLiteral("report")),
        time(QStringLiteral("2024-03-08T17:30:00Z")));
    QCOMPARE(missed.count(), 0);
}

// Checked at irregular moments over six hours, a 90-second interval fires on every grid
// point, once, and never off the grid.
void TestScheduler::intervalDoesNotDrift()
{
    const QDateTime start = time(QStringLiteral("2024-03-08T10:00:05Z"));
    ManualClock clock(start);
    Scheduler scheduler(&clock);
    QSignalSpy spy(&scheduler, &Scheduler::fireDue);
    QSignalSpy missed(&scheduler, &Scheduler::slotsMissed);
    scheduler.setSchedule(
        QStringLiteral("tick"), schedule(QStringLiteral("every=90s; anchor=2024-03-08T09:59:00Z")));
    QRandomGenerator random(7);
    const QDateTime end = start.addSecs(6 * 3600);
    while (clock.now() < end) {
        clock.advance(random.bounded(1, 45));
        scheduler.check();
    }
    // The grid: 09:59:00 + k * 90 s. The first point after 10:00:05 is 10:00:30; 6 hours
    // later the clock stands at or just past 16:00:05, where the last point is 15:59:00 or
    // 16:00:30 depending on where the last step landed.
    const qint64 anchor = time(QStringLiteral("2024-03-08T09:59:00Z")).toSecsSinceEpoch();
    const qint64 last = (clock.now().toSecsSinceEpoch() - anchor) / 90 * 90 + anchor;
    const qint64 firstSlot = time(QStringLiteral("2024-03-08T10:00:30Z")).toSecsSinceEpoch();
    QCOMPARE(qint64(spy.count()), (last - firstSlot) / 90 + 1);
    for (int i = 0; i < spy.count(); ++i)
        QCOMPARE(spy.at(i).at(1).toDateTime().toSecsSinceEpoch(), firstSlot + 90 * i);
    QCOMPARE(missed.count(), 0);
}

// Hourly at minute 0; the process last checked at 10:00:30 and comes back at `now`.
void TestScheduler::misfire_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QString>("now");
    QTest::addColumn<qint64>("grace");
    QTest::addColumn<int>("catchUpLimit");
    QTest::addColumn<qint64>("catchUpSeconds");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("missedUntil"); // empty: no slotsMissed()

    const qint64 day = 24 * 3600;
    const qint64 week = 7 * day;
    QTest::newRow("skip") << "skip"
                          << "2024-03-08T15:20:00Z" << day << 100 << week << QStringList{}
                          << "2024-03-08T15:20:00Z";
    QTest::newRow("skip, latest on time")
        << "skip"
        << "2024-03-08T15:00:20Z" << day << 100 << week
        << QStringList{ "2024-03-08T15:00:00+00:00" } << "2024-03-08T15:00:00Z";
    QTest::newRow("run-once") << "run-once"
                              << "2024-03-08T15:20:00Z" << day << 100 << week
                              << QStringList{ "2024-03-08T15:00:00+00:00" }
                              << "2024-03-08T15:00:00Z";
    QTest::newRow("run-once within grace")
        << "run-once"
        << "2024-03-08T15:59:00Z" << qint64(3600) << 100 << week
        << QStringList{ "2024-03-08T15:00:00+00:00" } << "2024-03-08T15:00:00Z";
    QTest::newRow("run-once past grace") << "run-once"
                                         << "2024-03-08T15:59:00Z" << qint64(1800) << 100 << week
                                         << QStringList{} << "2024-03-08T15:59:00Z";
    QTest::newRow("run-once, one slot late") << "run-once"
                                             << "2024-03-08T11:05:00Z" << day << 100 << week
                                             << QStringList{ "2024-03-08T11:00:00+00:00" } << "";
    QTest::newRow("catch-up") << "catch-up"
                              << "2024-03-08T15:20:00Z" << day << 100 << week
                              << QStringList{ "2024-03-08T11:00:00+00:00",
                                     "2024-03-08T12:00:00+00:00", "2024-03-08T13:00:00+00:00",
                                     "2024-03-08T14:00:00+00:00", "2024-03-08T15:00:00+00:00" }
                              << "";
    QTest::newRow("catch-up limited")
        << "catch-up"
        << "2024-03-08T15:20:00Z" << day << 3 << week
        << QStringList{ "2024-03-08T13:00:00+00:00", "2024-03-08T14:00:00+00:00",
               "2024-03-08T15:00:00+00:00" }
        << "2024-03-08T13:00:00Z";
    QTest::newRow("catch-up horizon")
        << "catch-up"
        << "2024-03-08T15:20:00Z" << day << 100 << qint64(2 * 3600 + 1800)
        << QStringList{ "2024-03-08T13:00:00+00:00", "2024-03-08T14:00:00+00:00",
               "2024-03-08T15:00:00+00:00" }
        << "2024-03-08T13:00:00Z";
    QTest::newRow("catch-up after a week")
        << "catch-up"
        << "2024-03-15T10:30:00Z" << day << 2 << week
        << QStringList{ "2024-03-15T09:00:00+00:00", "2024-03-15T10:00:00+00:00" }
        << "2024-03-15T09:00:00Z";
    QTest::newRow("run-once after a year")
        << "run-once"
        << "2025-03-08T10:30:00Z" << day << 100 << week
        << QStringList{ "2025-03-08T10:00:00+00:00" } << "2025-03-08T10:00:00Z";
    QTest::newRow("nothing missed")
        << "skip"
        << "2024-03-08T10:59:59Z" << day << 100 << week << QStringList{} << "";
}

void TestScheduler::misfire()
{
    QFETCH(QString, policy);
    QFETCH(QString, now);
    QFETCH(qint64, grace);
    QFETCH(int, catchUpLimit);
    QFETCH(qint64, catchUpSeconds);
    QFETCH(QStringList, expected);
    QFETCH(QString, missedUntil);

    const QDateTime lastCheck = time(QStringLiteral("2024-03-08T10:00:30Z"));
    ManualClock clock(time(now));
    Scheduler scheduler(&clock);
    scheduler.setGraceSeconds(grace);
    scheduler.setCatchUpLimit(catchUpLimit);
    scheduler.setCatchUpSeconds(catchUpSeconds);
    QSignalSpy spy(&scheduler, &Scheduler::fireDue);
    QSignalSpy missed(&scheduler, &Scheduler::slotsMissed);
    scheduler.setSchedule(QStringLiteral("hourly"),
        schedule(QStringLiteral("cron=0 * * * *; misfire=") + policy), lastCheck);
    scheduler.check();

    QStringList want;
    for (const QString &slot : expected)
        want << QStringLiteral("hourly@") + slot;
    QCOMPARE(fired(spy), want);
    if (missedUntil.isEmpty()) {
        QCOMPARE(missed.count(), 0);
    } else {
        QCOMPARE(missed.count(), 1);
        QCOMPARE(missed.at(0).at(0).toString(), QStringLiteral("hourly"));
        QCOMPARE(missed.at(0).at(1).toDateTime(), lastCheck);
        QCOMPARE(missed.at(0).at(2).toDateTime(), time(missedUntil));
    }
    // Handled now: checking again fires nothing more.
    scheduler.check();
    QCOMPARE(spy.count(), int(expected.size()));
    QCOMPARE(scheduler.handledUntil(QStringLiteral("hourly")), time(now));
}

void TestScheduler::pausedNeverFires()
{
    ManualClock clock(time(QStringLiteral("2024-03-08T10:00:30Z")));
    Scheduler scheduler(&clock);
    QSignalSpy spy(&scheduler, &Scheduler::fireDue);
    QSignalSpy missed(&scheduler, &Scheduler::slotsMissed);
    Schedule minutely = schedule(QStringLiteral("cron=* * * * *; misfire=catch-up; paused=true"));
    scheduler.setSchedule(QStringLiteral("demo"), minutely);
    QVERIFY(!scheduler.nextFireTime(QStringLiteral("demo")).isValid());
    for (int i = 0; i < 180; ++i) {
        clock.advance(20);
        scheduler.check();
    }
    clock.advance(3600); // and a long sleep while paused
    scheduler.check();
    QCOMPARE(spy.count(), 0);

    // Resumed at 12:01:30: the paused two hours are not caught up, the next minute fires.
    clock.setNow(time(QStringLiteral("2024-03-08T12:01:30Z")));
    minutely.setPaused(false);
    scheduler.setSchedule(QStringLiteral("demo"), minutely);
    scheduler.check();
    QCOMPARE(spy.count(), 0);
    QCOMPARE(scheduler.nextFireTime(QStringLiteral("demo")),
        time(QStringLiteral("2024-03-08T12:02:00Z")));
    clock.advance(30);
    scheduler.check();
    QCOMPARE(fired(spy), QStringList{ "demo@2024-03-08T12:02:00+00:00" });
    QCOMPARE(missed.count(), 0);
}

void TestScheduler::clockSetBack()
{
    ManualClock clock(time(QStringLiteral("2024-03-08T16:59:50Z")));
    Scheduler scheduler(&clock);
    QSignalSpy spy(&scheduler, &Scheduler::fireDue);
    scheduler.setSchedule(QStringLiteral("q"), schedule(QStringLiteral("cron=*/15 * * * *")));
    clock.advance(10);
    scheduler.check();
    QCOMPARE(spy.count(), 1);
    clock.setNow(time(QStringLiteral("2024-03-08T16:30:00Z"))); // half an hour's correction back
    scheduler.check();
    clock.setNow(time(QStringLiteral("2024-03-08T16:45:00Z")));
    scheduler.check();
    clock.setNow(time(QStringLiteral("2024-03-08T17:00:00Z")));
    scheduler.check();
    QCOMPARE(spy.count(), 1); // nothing up to 17:00 runs (again)
    clock.setNow(time(QStringLiteral("2024-03-08T17:15:00Z")));
    scheduler.check();
    QCOMPARE(
        fired(spy), (QStringList{ "q@2024-03-08T17:00:00+00:00", "q@2024-03-08T17:15:00+00:00" }));

    // Set back by a day (a wrong clock corrected): the schedule goes on from the new time
    // rather than staying silent for a day.
    clock.setNow(time(QStringLiteral("2024-03-07T17:20:00Z")));
    scheduler.check();
    QCOMPARE(spy.count(), 2);
    QCOMPARE(
        scheduler.nextFireTime(QStringLiteral("q")), time(QStringLiteral("2024-03-07T17:30:00Z")));
    clock.advance(600);
    scheduler.check();
    QCOMPARE(fired(spy).last(), QStringLiteral("q@2024-03-07T17:30:00+00:00"));
}

// 02:30 does not exist in Berlin on 31 March 2024: it fires at 03:00 CEST (01:00 UTC).
void TestScheduler::daylightSavingGap()
{
    ManualClock clock(time(QStringLiteral("2024-03-31T00:50:00Z")));
    Scheduler scheduler(&clock);
    QSignalSpy spy(&scheduler, &Scheduler::fireDue);
    scheduler.setSchedule(
        QStringLiteral("night"), schedule(QStringLiteral("cron=30 2 * * *; tz=Europe/Berlin")));
    for (int i = 0; i < 30; ++i) {
        clock.advance(60);
        scheduler.check();
    }
    QCOMPARE(fired(spy), QStringList{ "night@2024-03-31T03:00:00+02:00" });
    QCOMPARE(spy.at(0).at(1).toDateTime(), time(QStringLiteral("2024-03-31T01:00:00Z")));
}

// 02:30 occurs twice in Berlin on 27 October 2024: it fires at the first (00:30 UTC) only.
void TestScheduler::daylightSavingOverlap()
{
    ManualClock clock(time(QStringLiteral("2024-10-27T00:00:00Z")));
    Scheduler scheduler(&clock);
    QSignalSpy spy(&scheduler, &Scheduler::fireDue);
    scheduler.setSchedule(
        QStringLiteral("night"), schedule(QStringLiteral("cron=30 2 * * *; tz=Europe/Berlin")));
    for (int i = 0; i < 3 * 60; ++i) {
        clock.advance(60);
        scheduler.check();
    }
    QCOMPARE(fired(spy), QStringList{ "night@2024-10-27T02:30:00+02:00" });
}

// Editing a schedule keeps what was handled; slots already run are not run again.
void TestScheduler::editingKeepsProgress()
{
    ManualClock clock(time(QStringLiteral("2024-03-08T10:00:00Z")));
    Scheduler scheduler(&clock);
    QSignalSpy spy(&scheduler, &Scheduler::fireDue);
    scheduler.setSchedule(QStringLiteral("a"), schedule(QStringLiteral("cron=*/5 * * * *")));
    clock.advance(300);
    scheduler.check();
    QCOMPARE(spy.count(), 1);
    scheduler.setSchedule(
        QStringLiteral("a"), schedule(QStringLiteral("cron=*/5 * * * *; misfire=catch-up")));
    scheduler.check();
    QCOMPARE(spy.count(), 1);
    scheduler.setSchedule(QStringLiteral("a"), schedule(QStringLiteral("every=1m")));
    clock.advance(60);
    scheduler.check();
    QCOMPARE(fired(spy).last(), QStringLiteral("a@2024-03-08T10:06:00+00:00"));
    QCOMPARE(spy.count(), 2);
}

void TestScheduler::setSchedulesReplacesAll()
{
    ManualClock clock(time(QStringLiteral("2024-03-08T10:00:00Z")));
    Scheduler scheduler(&clock);
    scheduler.setSchedule(QStringLiteral("old"), schedule(QStringLiteral("cron=* * * * *")));
    scheduler.setSchedule(QStringLiteral("kept"), schedule(QStringLiteral("cron=0 * * * *")));
    clock.advance(30);
    scheduler.check();
    const QDateTime keptHandled = scheduler.handledUntil(QStringLiteral("kept"));
    clock.advance(10);
    QMap<QString, Schedule> all;
    all.insert(QStringLiteral("kept"), schedule(QStringLiteral("cron=0 * * * *")));
    all.insert(QStringLiteral("new"), schedule(QStringLiteral("every=5m")));
    scheduler.setSchedules(all);
    QCOMPARE(scheduler.flowNames(), (QStringList{ "kept", "new" }));
    QCOMPARE(scheduler.handledUntil(QStringLiteral("kept")), keptHandled);
    QCOMPARE(scheduler.handledUntil(QStringLiteral("new")), clock.now());
    QVERIFY(!scheduler.nextFireTime(QStringLiteral("old")).isValid());
}

// On the system clock and its own timer, a 1-second interval fires on the second, promptly.
void TestScheduler::realClockFiresOnTime()
{
    Scheduler scheduler;
    QList<qint64> lateness;
    connect(
        &scheduler, &Scheduler::fireDue, this, [&lateness](const QString &, const QDateTime &slot) {
            lateness << slot.msecsTo(QDateTime::currentDateTimeUtc());
        });
    QSignalSpy spy(&scheduler, &Scheduler::fireDue);
    scheduler.setSchedule(QStringLiteral("fast"), schedule(QStringLiteral("every=1s")));
    scheduler.start();
    QVERIFY(scheduler.isActive());
    QTRY_VERIFY_WITH_TIMEOUT(spy.count() >= 3, 10000);
    scheduler.stop();
    for (int i = 0; i < spy.count(); ++i) {
        const QDateTime slot = spy.at(i).at(1).toDateTime();
        QCOMPARE(slot.toMSecsSinceEpoch() % 1000, 0);
        if (i > 0)
            QCOMPARE(spy.at(i - 1).at(1).toDateTime().msecsTo(slot), qint64(1000));
        QVERIFY2(lateness.at(i) >= 0 && lateness.at(i) < 1000,
            qPrintable(QString::number(lateness.at(i))));
    }
    qInfo("fired %lld ms after the slot at most",
        *std::max_element(lateness.cbegin(), lateness.cend()));
}

// ScheduleRunner starts each fire's run with the fire as its logical time (${run.time}) and
// the fire before it as previousTime: after a downtime under catch-up, each missed fire runs
// for its own slot, not for the time it was caught up at.
void TestScheduler::runsTakeTheirFireTime()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString runsPath = dir.filePath(QStringLiteral("runs.sqlite"));
    const QString schedulesPath = dir.filePath(QStringLiteral("schedules.ini"));
    {
        // The last scheduled run, before the downtime: 2026-12-05T06:30:00Z.
        Result<std::unique_ptr<RunStore>> store = RunStore::open(runsPath);
        QVERIFY(store);
        QVERIFY((*store)->createRun(
            QStringLiteral("probe"), {}, QLatin1String(ScheduleRunner::Trigger), false));
        Result<SqliteConnection> db = SqliteConnection::open(runsPath, QStringLiteral("edit"));
        QVERIFY(db);
        QVERIFY(
            db->exec(QStringLiteral("UPDATE flow_runs SET state = 'Completed', created_ms = %1")
                         .arg(time(QStringLiteral("2026-12-05T06:30:00Z")).toMSecsSinceEpoch())));
    }
    QVERIFY(ScheduleStore(schedulesPath)
                .setSchedule(QStringLiteral("probe"),
                    schedule(QStringLiteral("cron=30 6 * * *; misfire=catch-up"))));

    std::mutex mutex;
    QList<QPair<QDateTime, QDateTime>> seen; // (run time, previous) of each run
    Flow flow(QStringLiteral("probe"), {});
    flow.setOverlap(Overlap::Allow);
    flow.addTask({ QStringLiteral("t"), {},
        [&](TaskContext &context) -> Result<QVariant> {
            std::lock_guard lock(mutex);
            seen << qMakePair(context.runTime(), context.previousRunTime());
            return QVariant();
        },
        {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    ManualClock clock(time(QStringLiteral("2026-12-08T07:00:00Z")));
    ScheduleRunner runner(engine, schedulesPath, runsPath, &clock);
    QSignalSpy finished(&engine, &Engine::runFinished);
    runner.start();
    QTRY_COMPARE(finished.size(), 3);
    runner.stop();
    std::lock_guard lock(mutex);
    std::sort(seen.begin(), seen.end());
    QCOMPARE(seen.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QDateTime fire = time(QStringLiteral("2026-12-06T06:30:00Z")).addDays(i);
        QCOMPARE(seen[i].first, fire);
        QCOMPARE(seen[i].second, fire.addDays(-1));
    }
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
