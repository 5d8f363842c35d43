// `sluice schedule`, run as a user would: fire-time previews (`next`), and the flows'
// schedules set, listed, paused, resumed and cleared in the data folder; exit codes, messages.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "sluiceprocess.h"

class TestScheduleCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void next_data();
    void next();
    void nextDefaultsToNowAndFive();
    void errors_data();
    void errors();
    void setListPauseResumeClear();
    void setKeepsPausedAndReplaces();
    void editErrors_data();
    void editErrors();

private:
    using Output = SluiceProcess::Output;
    Output run(const QStringList &args);
    QString schedulesFile() const;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestScheduleCommand::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

TestScheduleCommand::Output TestScheduleCommand::run(const QStringList &args)
{
    // The machine's own zone must not matter: make it one far from UTC.
    return SluiceProcess::run(
        QStringList{ QStringLiteral("--data-dir"), m_dir->filePath(QStringLiteral("data")),
            QStringLiteral("schedule") }
            + args,
        SluiceProcess::environment(
            { { QStringLiteral("TZ"), QStringLiteral("Pacific/Auckland") } }));
}

void TestScheduleCommand::next_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("lines");
    QTest::newRow("issue check") << QStringList{ "next", "*/15 9-17 * * MON-FRI", "--from",
        "2024-03-08T16:50:00Z", "--count", "5" }
                                 << QStringList{ "2024-03-08T17:00:00+00:00",
                                        "2024-03-08T17:15:00+00:00", "2024-03-08T17:30:00+00:00",
                                        "2024-03-08T17:45:00+00:00", "2024-03-11T09:00:00+00:00" };
    QTest::newRow("unquoted fields") << QStringList{
        "next", "0", "0", "29", "2", "*", "--from", "2023-01-01T00:00:00Z", "--count", "2"
    } << QStringList{ "2024-02-29T00:00:00+00:00", "2028-02-29T00:00:00+00:00" };
    QTest::newRow("berlin gap") << QStringList{ "next", "30 2 * * *", "--tz", "Europe/Berlin",
        "--from", "2024-03-30T00:00:00+01:00", "--count", "3" }
                                << QStringList{ "2024-03-30T02:30:00+01:00",
                                       "2024-03-31T03:00:00+02:00", "2024-04-01T02:30:00+02:00" };
    QTest::newRow("from without offset is in the zone")
        << QStringList{ "next", "0 * * * *", "--tz", "America/New_York", "--from",
               "2024-11-03T00:30:00", "--count", "3" }
        << QStringList{ "2024-11-03T01:00:00-04:00", "2024-11-03T02:00:00-05:00",
               "2024-11-03T03:00:00-05:00" };
    QTest::newRow("from in utc, shown in zone") << QStringList{
        "next", "@daily", "--tz", "Asia/Kolkata", "--from", "2024-03-08T00:00:00Z", "--count", "2"
    } << QStringList{ "2024-03-09T00:00:00+05:30", "2024-03-10T00:00:00+05:30" };
    // The test runs with TZ=Pacific/Auckland, whose clocks skip 02:00-03:00 on 2024-09-29:
    // a --from without offset is a wall time of --tz, whatever the machine's zone.
    QTest::newRow("from in the machine's gap") << QStringList{ "next", "0 * * * *", "--from",
        "2024-09-29T02:30:00", "--count", "1" } << QStringList{ "2024-09-29T03:00:00+00:00" };
    QTest::newRow("from in the zone's gap") << QStringList{ "next", "0 3 * * *", "--tz",
        "Pacific/Auckland", "--from", "2024-09-29T02:30:00", "--count", "1" }
                                            << QStringList{ "2024-09-30T03:00:00+13:00" };
    QTest::newRow("from a date") << QStringList{ "next", "@daily", "--tz", "America/New_York",
        "--from", "2024-03-08", "--count", "1" }
                                 << QStringList{ "2024-03-09T00:00:00-05:00" };
    QTest::newRow("interval") << QStringList{ "next", "--every", "90s", "--from",
        "2024-01-01T00:02:59Z", "--count", "3" }
                              << QStringList{ "2024-01-01T00:03:00+00:00",
                                     "2024-01-01T00:04:30+00:00", "2024-01-01T00:06:00+00:00" };
    QTest::newRow("count 1") << QStringList{ "next", "1 0 * * *", "--from", "2024-03-08T16:50:00Z",
        "--count", "1" } << QStringList{ "2024-03-09T00:01:00+00:00" };
}

void TestScheduleCommand::next()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, lines);
    const Output output = run(args);
    QVERIFY2(output.code == 0, qPrintable(output.err));
    QCOMPARE(output.err, QString());
    QCOMPARE(output.out, lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

void TestScheduleCommand::nextDefaultsToNowAndFive()
{
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const Output output = run({ QStringLiteral("next"), QStringLiteral("* * * * *") });
    QCOMPARE(output.code, 0);
    const QStringList lines = output.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5);
    QDateTime previous = before;
    for (const QString &line : lines) {
        QVERIFY2(line.endsWith(QLatin1String("+00:00")), qPrintable(line));
        const QDateTime t = QDateTime::fromString(line, Qt::ISODate);
        QVERIFY(t.isValid());
        QCOMPARE(t.time().second(), 0);
        QVERIFY(t > previous);
        QVERIFY(previous.secsTo(t) <= 60);
        previous = t;
    }
}

void TestScheduleCommand::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad hour") << QStringList{ "next", "0 24 * * *" } << 2
                              << "sluice schedule: hour: \"24\" is out of range 0-23\n";
    QTest::newRow("step 0") << QStringList{ "next", "*/0 * * * *" } << 2
                            << "sluice schedule: minute: step 0 in \"*/0\" (a step must be at "
                               "least 1)\n";
    QTest::newRow("bad weekday") << QStringList{ "next", "0 0 * * FOO" } << 2
                                 << "sluice schedule: day-of-week: unknown name \"FOO\"\n";
    QTest::newRow("six fields") << QStringList{ "next", "* * * * * *" } << 2
                                << "sluice schedule: expected 5 fields, got 6: \"* * * * * *\"\n";
    QTest::newRow("never fires") << QStringList{ "next", "0 0 30 2 *" } << 2
                                 << "sluice schedule: day-of-month: the expression never fires: "
                                    "no month in \"2\" has a day in \"30\"\n";
    QTest::newRow("bad from") << QStringList{ "next", "* * * * *", "--from", "yesterday" } << 2
                              << "sluice schedule: --from: \"yesterday\" is not an ISO 8601 date "
                                 "and time, such as 2024-03-08T16:50:00Z\n";
    QTest::newRow("count 0") << QStringList{ "next", "* * * * *", "--count", "0" } << 2
                             << "sluice schedule: --count: \"0\" is not a whole number from 1 to "
                                "1000\n";
    QTest::newRow("count text") << QStringList{ "next", "* * * * *", "--count", "many" } << 2
                                << "sluice schedule: --count: \"many\" is not a whole number from "
                                   "1 to 1000\n";
    QTest::newRow("count too big") << QStringList{ "next", "* * * * *", "--count", "1001" } << 2
                                   << "sluice schedule: --count: \"1001\" is not a whole number "
                                      "from 1 to 1000\n";
    QTest::newRow("unknown zone") << QStringList{ "next", "* * * * *", "--tz", "Mars/Base" } << 2
                                  << "sluice schedule: time zone: unknown time zone \"Mars/Base\"; "
                                     "use an IANA name such as Europe/Berlin or UTC\n";
    QTest::newRow("bad interval") << QStringList{ "next", "--every", "0m" } << 2
                                  << "sluice schedule: interval: \"0m\" is zero; an interval must "
                                     "be at least 1s\n";
    QTest::newRow("no expression")
        << QStringList{ "next" } << 2
        << "sluice schedule: a cron expression (quoted) or --every is needed\n";
    QTest::newRow("both") << QStringList{ "next", "* * * * *", "--every",
        "5m" } << 2 << "sluice schedule: give either a cron expression or --every, not both\n";
    QTest::newRow("misfire") << QStringList{ "next", "* * * * *", "--misfire", "skip" } << 2
                             << "sluice schedule: the option \"--misfire\" does not apply to "
                                "\"schedule next\"\n";
    QTest::newRow("no subcommand") << QStringList{} << 2
                                   << "sluice schedule: a subcommand is needed: next, list, set, "
                                      "pause, resume or clear\n";
    QTest::newRow("unknown subcommand")
        << QStringList{ "frob" } << 2 << "sluice schedule: unknown subcommand \"frob\"\n";
    QTest::newRow("list arguments")
        << QStringList{ "list", "x" } << 2 << "sluice schedule: \"list\" takes no arguments\n";
    QTest::newRow("list option") << QStringList{ "list", "--tz", "UTC" } << 2
                                 << "sluice schedule: the option \"--tz\" does not apply to "
                                    "\"schedule list\"\n";
}

void TestScheduleCommand::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    const Output output = run(args);
    QCOMPARE(output.code, code);
    QVERIFY2(output.err.startsWith(message), qPrintable(output.err));
    QCOMPARE(output.out, QString());
}

QString TestScheduleCommand::schedulesFile() const
{
    QFile file(m_dir->filePath(QStringLiteral("data/schedules.ini")));
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(file.readAll());
}

void TestScheduleCommand::setListPauseResumeClear()
{
    // A new folder lists the built-in defaults (README, "Schedules"): btc-update every minute,
    // daily-report at 00:01 UTC.
    Output output = run({ QStringLiteral("list") });
    QCOMPARE(output.code, 0);
    const QStringList defaults = output.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(defaults.size(), 3);
    QVERIFY2(QRegularExpression(QStringLiteral("^btc-update +active +\\* \\* \\* \\* \\* +UTC "
                                               "+run-once +\\S+:00\\+00:00$"))
                 .match(defaults.at(1))
                 .hasMatch(),
        qPrintable(output.out));
    QVERIFY2(QRegularExpression(QStringLiteral("^daily-report +active +1 0 \\* \\* \\* +UTC "
                                               "+run-once +\\S+T00:01:00\\+00:00$"))
                 .match(defaults.at(2))
                 .hasMatch(),
        qPrintable(output.out));

    output = run({ QStringLiteral("set"), QStringLiteral("demo"), QStringLiteral("* * * * *") });
    QVERIFY2(output.code == 0, qPrintable(output.err));
    QVERIFY2(output.out.startsWith(QLatin1String("demo: * * * * * (every minute), UTC, misfire "
                                                 "run-once, next ")),
        qPrintable(output.out));
    output = run({ QStringLiteral("set"), QStringLiteral("daily-report"),
        QStringLiteral("1 0 * * *"), QStringLiteral("--tz"), QStringLiteral("Europe/Berlin"),
        QStringLiteral("--misfire"), QStringLiteral("catch-up") });
    QVERIFY2(output.code == 0, qPrintable(output.err));
    QVERIFY2(output.out.startsWith(QLatin1String("daily-report: 1 0 * * * (at 00:01 every day), "
                                                 "Europe/Berlin, misfire catch-up, next ")),
        qPrintable(output.out));
    QVERIFY2(output.out.endsWith(QLatin1String("T00:01:00+01:00\n"))
            || output.out.endsWith(QLatin1String("T00:01:00+02:00\n")),
        qPrintable(output.out));
    output = run({ QStringLiteral("set"), QStringLiteral("btc-update"), QStringLiteral("--every"),
        QStringLiteral("1m") });
    QVERIFY2(output.code == 0, qPrintable(output.err));
    QVERIFY(output.out.startsWith(QLatin1String("btc-update: 1m (every minute), UTC, misfire "
                                                "run-once, next ")));
    QVERIFY(schedulesFile().contains(QLatin1String("demo=\"cron=* * * * *; tz=UTC")));

    output = run({ QStringLiteral("pause"), QStringLiteral("demo") });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out,
        QStringLiteral("demo: * * * * * (every minute), UTC, misfire run-once, "
                       "paused\n"));

    output = run({ QStringLiteral("list") });
    QCOMPARE(output.code, 0);
    const QStringList lines = output.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines.at(0).startsWith(QLatin1String("FLOW")));
    const QRegularExpression btc(QStringLiteral(
        "^btc-update +active +1m +UTC +run-once +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00\\+00:00$"));
    QVERIFY2(btc.match(lines.at(1)).hasMatch(), qPrintable(lines.at(1)));
    const QRegularExpression report(
        QStringLiteral("^daily-report +active +1 0 \\* \\* \\* +Europe/Berlin +catch-up "
                       "+\\S+T00:01:00\\+0[12]:00$"));
    QVERIFY2(report.match(lines.at(2)).hasMatch(), qPrintable(lines.at(2)));
    const QRegularExpression demo(
        QStringLiteral("^demo +paused +\\* \\* \\* \\* \\* +UTC +run-once +-$"));
    QVERIFY2(demo.match(lines.at(3)).hasMatch(), qPrintable(lines.at(3)));
    // The columns line up.
    const qsizetype state = lines.at(0).indexOf(QLatin1String("STATE"));
    for (const QString &line : lines)
        QVERIFY2(line.at(state - 1) == QLatin1Char(' ') && line.at(state) != QLatin1Char(' '),
            qPrintable(line));

    output = run({ QStringLiteral("resume"), QStringLiteral("demo") });
    QCOMPARE(output.code, 0);
    QVERIFY(output.out.startsWith(QLatin1String("demo: * * * * * (every minute), UTC, misfire "
                                                "run-once, next ")));

    output = run({ QStringLiteral("clear"), QStringLiteral("demo") });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out, QStringLiteral("demo: schedule cleared\n"));
    output = run({ QStringLiteral("list") });
    QCOMPARE(output.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), 3);
    QVERIFY(!output.out.contains(QLatin1String("demo")));
}

void TestScheduleCommand::setKeepsPausedAndReplaces()
{
    QCOMPARE(run({ QStringLiteral("set"), QStringLiteral("demo"), QStringLiteral("* * * * *"),
                     QStringLiteral("--misfire"), QStringLiteral("skip") })
                 .code,
        0);
    QCOMPARE(run({ QStringLiteral("pause"), QStringLiteral("demo") }).code, 0);
    const Output output = run({ QStringLiteral("set"), QStringLiteral("demo"),
        QStringLiteral("--every"), QStringLiteral("5m") });
    QCOMPARE(output.code, 0);
    // The new schedule replaces the old one whole (misfire back to its default) but the flow
    // stays paused.
    QCOMPARE(output.out,
        QStringLiteral("demo: 5m (every 5 minutes), UTC, misfire run-once, "
                       "paused\n"));
    QVERIFY(schedulesFile().contains(
        QLatin1String("demo=\"every=5m; anchor=1970-01-01T00:00:00.000Z; tz=UTC; misfire=run-once; "
                      "paused=true\"")));
}

void TestScheduleCommand::editErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("set nothing") << QStringList{
        "set"
    } << 2 << "sluice schedule: \"set\" takes a FLOW and a cron expression or --every\n";
    QTest::newRow("set no schedule") << QStringList{ "set",
        "demo" } << 2 << "sluice schedule: a cron expression (quoted) or --every is needed\n";
    QTest::newRow("set bad cron") << QStringList{ "set", "demo", "0 0 * * FOO" } << 2
                                  << "sluice schedule: day-of-week: unknown name \"FOO\"\n";
    QTest::newRow("set bad interval")
        << QStringList{ "set", "demo", "--every", "5x" } << 2
        << "sluice schedule: interval: \"5x\" has an unknown unit \"x\" (use s, m or h)\n";
    QTest::newRow("set bad zone") << QStringList{ "set", "demo", "@daily", "--tz",
        "Mars/Base" } << 2 << "sluice schedule: time zone: unknown time zone \"Mars/Base\"";
    QTest::newRow("set bad misfire") << QStringList{ "set", "demo", "@daily", "--misfire", "never" }
                                     << 2 << "sluice schedule: misfire: unknown policy \"never\"";
    QTest::newRow("set both") << QStringList{ "set", "demo", "@daily", "--every",
        "5m" } << 2 << "sluice schedule: give either a cron expression or --every, not both\n";
    QTest::newRow("set bad flow") << QStringList{
        "set", "a/b", "@daily"
    } << 2 << "sluice schedule: flow: \"a/b\" contains '/', '\\' or a control character\n";
    QTest::newRow("set with from")
        << QStringList{ "set", "demo", "@daily", "--from", "2024-01-01" } << 2
        << "sluice schedule: the option \"--from\" does not apply to \"schedule set\"\n";
    QTest::newRow("pause unknown") << QStringList{ "pause", "nope" } << 1
                                   << "sluice schedule: the flow \"nope\" has no schedule\n";
    QTest::newRow("resume unknown") << QStringList{ "resume", "nope" } << 1
                                    << "sluice schedule: the flow \"nope\" has no schedule\n";
    QTest::newRow("clear unknown") << QStringList{ "clear", "nope" } << 1
                                   << "sluice schedule: the flow \"nope\" has no schedule\n";
    QTest::newRow("pause nothing")
        << QStringList{ "pause" } << 2 << "sluice schedule: \"pause\" takes one FLOW\n";
    QTest::newRow("clear two") << QStringList{ "clear", "a", "b" } << 2
                               << "sluice schedule: \"clear\" takes one FLOW\n";
}

void TestScheduleCommand::editErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    const Output output = run(args);
    QCOMPARE(output.code, code);
    // The store names its file: compare the message without the data folder's path.
    QString err = output.err;
    err.replace(QDir::toNativeSeparators(m_dir->filePath(QStringLiteral("data/schedules.ini")))
            + QStringLiteral(": "),
        QString());
    QVERIFY2(err.startsWith(message), qPrintable(output.err));
    QCOMPARE(output.out, QString());
    QVERIFY(!schedulesFile().contains(QLatin1String("demo")));
}

QTEST_GUILESS_MAIN(TestScheduleCommand)
#include "tst_schedulecommand.moc"
