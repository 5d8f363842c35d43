// ScheduleStore: the flows' schedules in schedules.ini, read back by a new store (as after a
// restart), pause and resume, removal, bad entries and bad flow names.

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "schedule/schedulestore.h"
#include "settings/datafolder.h"

using namespace Sluice;

class TestScheduleStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void survivesRestart();
    void pauseAndResume();
    void removeAndMissing();
    void badEntriesAreReported();
    void flowNames_data();
    void flowNames();
    void unwritableFile();
    void defaultPathIsInDataFolder();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("schedules.ini")); }
    static Schedule schedule(const QString &text);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestScheduleStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

Schedule TestScheduleStore::schedule(const QString &text)
{
    Result<Schedule> parsed = Schedule::fromText(text);
    if (!parsed)
        qFatal("bad test schedule %s", qPrintable(parsed.error().message()));
    return *parsed;
}

void TestScheduleStore::survivesRestart()
{
    const Schedule report = schedule(QStringLiteral("cron=1 0 * * *"));
    // Commas, semicolons in the text form, spaces and a zone: all must read back.
    const Schedule office =
        schedule(QStringLiteral("cron=0,30 9-17 * * MON,FRI; tz=Europe/Berlin; misfire=skip"));
    const Schedule update =
        schedule(QStringLiteral("every=90s; anchor=2024-03-08T10:00:00.5Z; misfire=catch-up"));
    {
        ScheduleStore store(path());
        QVERIFY(store.load().isEmpty());
        QVERIFY(store.setSchedule(QStringLiteral("daily-report"), report));
        QVERIFY(store.setSchedule(QStringLiteral("office"), office));
        QVERIFY(store.setSchedule(QStringLiteral("btc-update"), update));
    }
    ScheduleStore again(path());
    QList<Error> problems;
    const QMap<QString, Schedule> all = again.load(&problems);
    QVERIFY(problems.isEmpty());
    QCOMPARE(all.keys(), (QStringList{ "btc-update", "daily-report", "office" }));
    QVERIFY(all.value(QStringLiteral("daily-report")) == report);
    QVERIFY(all.value(QStringLiteral("office")) == office);
    QVERIFY(all.value(QStringLiteral("btc-update")) == update);
    QVERIFY(again.contains(QStringLiteral("office")));
    QVERIFY(!again.contains(QStringLiteral("other")));
    Result<Schedule> one = again.schedule(QStringLiteral("office"));
    QVERIFY(one);
    QCOMPARE(one->toText(), office.toText());

    // A person can read the file.
    QFile file(path());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY2(text.contains(QLatin1String("[schedules]")), qPrintable(text));
    QVERIFY2(
        text.contains(QLatin1String("daily-report=\"cron=1 0 * * *; tz=UTC")), qPrintable(text));
}

void TestScheduleStore::pauseAndResume()
{
    ScheduleStore store(path());
    QVERIFY(store.setSchedule(QStringLiteral("demo"), schedule(QStringLiteral("cron=* * * * *"))));
    QVERIFY(store.setPaused(QStringLiteral("demo"), true));
    QVERIFY(ScheduleStore(path()).schedule(QStringLiteral("demo"))->isPaused());
    QVERIFY(store.setPaused(QStringLiteral("demo"), false));
    Result<Schedule> resumed = ScheduleStore(path()).schedule(QStringLiteral("demo"));
    QVERIFY(resumed);
    QVERIFY(!resumed->isPaused());
    QCOMPARE(resumed->expressionText(), QStringLiteral("* * * * *"));
}

void TestScheduleStore::removeAndMissing()
{
    ScheduleStore store(path());
    QVERIFY(store.setSchedule(QStringLiteral("a"), schedule(QStringLiteral("every=5m"))));
    QVERIFY(store.setSchedule(QStringLiteral("b"), schedule(QStringLiteral("every=2h"))));
    QVERIFY(store.remove(QStringLiteral("a")));
    QCOMPARE(ScheduleStore(path()).load().keys(), QStringList{ "b" });

    const QString expected = QStringLiteral("the flow \"a\" has no schedule");
    Result<void> removed = store.remove(QStringLiteral("a"));
    QVERIFY(!removed);
    QCOMPARE(removed.error().what, expected);
    QCOMPARE(removed.error().where, QDir::toNativeSeparators(path()));
    Result<void> paused = store.setPaused(QStringLiteral("a"), true);
    QVERIFY(!paused);
    QCOMPARE(paused.error().what, expected);
    QVERIFY(!store.schedule(QStringLiteral("a")));
    QVERIFY(!store.setSchedule(QStringLiteral("c"), Schedule())); // nothing to store
}

void TestScheduleStore::badEntriesAreReported()
{
    QFile file(path());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[schedules]\n"
               "good=\"cron=0 * * * *; tz=UTC; misfire=run-once; paused=false\"\n"
               "typo=\"cron=0 25 * * *\"\n"
               "zone=\"every=5m; tz=Mars/Base\"\n");
    file.close();
    ScheduleStore store(path());
    QList<Error> problems;
    const QMap<QString, Schedule> all = store.load(&problems);
    QCOMPARE(all.keys(), QStringList{ "good" });
    QCOMPARE(problems.size(), 2);
    QCOMPARE(problems.at(0).where,
        QDir::toNativeSeparators(path()) + QStringLiteral(" [schedules] typo"));
    QCOMPARE(problems.at(0).what, QStringLiteral("hour: \"25\" is out of range 0-23"));
    QVERIFY(problems.at(1).what.contains(QLatin1String("Mars/Base")));
    Result<Schedule> typo = store.schedule(QStringLiteral("typo"));
    QVERIFY(!typo);
    QVERIFY(typo.error().message().contains(QLatin1String("[schedules] typo: hour:")));
}

void TestScheduleStore::flowNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << "btc-update" << true;
    QTest::newRow("dots and digits") << "flow.v2_3" << true;
    QTest::newRow("space inside") << "my flow" << true;
    QTest::newRow("unicode") << QString::fromUtf8("b\xc3\xa9ton") << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("slash") << "a/b" << false;
    QTest::newRow("backslash") << "a\\b" << false;
    QTest::newRow("leading space") << " a" << false;
    QTest::newRow("newline") << "a\nb" << false;
    QTest::newRow("too long") << QString(201, QLatin1Char('x')) << false;
}

void TestScheduleStore::flowNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(bool(ScheduleStore::checkFlowName(name)), valid);
    ScheduleStore store(path());
    const Schedule minutely = schedule(QStringLiteral("cron=* * * * *"));
    Result<void> stored = store.setSchedule(name, minutely);
    QCOMPARE(bool(stored), valid);
    if (valid) {
        QCOMPARE(ScheduleStore(path()).load().keys(), QStringList{ name });
        QVERIFY(ScheduleStore(path()).schedule(name));
    } else {
        QCOMPARE(stored.error().where, QStringLiteral("flow"));
        QVERIFY(!QFile::exists(path()));
    }
}

void TestScheduleStore::unwritableFile()
{
    // A folder where the file should be: QSettings cannot write it.
    QVERIFY(QDir().mkpath(path()));
    ScheduleStore store(path());
    Result<void> stored =
        store.setSchedule(QStringLiteral("a"), schedule(QStringLiteral("every=5m")));
    QVERIFY(!stored);
    QCOMPARE(stored.error().where, QDir::toNativeSeparators(path()));
    QVERIFY(stored.error().what.contains(QLatin1String("could not write")));
}

void TestScheduleStore::defaultPathIsInDataFolder()
{
    Result<DataFolder> folder = DataFolder::open(m_dir->filePath(QStringLiteral("data")));
    QVERIFY(folder);
    QCOMPARE(
        ScheduleStore::defaultPath(*folder), m_dir->filePath(QStringLiteral("data/schedules.ini")));
}

QTEST_GUILESS_MAIN(TestScheduleStore)
#include "tst_schedulestore.moc"
