// The schedule editor offscreen: the expression checked as it is typed (the parser's message
// shown, OK disabled), the next five fire times previewed and checked against the schedule
// itself, presets, intervals, time zones and the misfire policy.

#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTimeEdit>
#include <QtTest>

#include "dialogs/scheduledialog.h"
#include "schedule/cronexpression.h"

using namespace Sluice;

class TestScheduleDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void invalidExpressionShowsMessageAndDisablesOk_data();
    void invalidExpressionShowsMessageAndDisablesOk();
    void recognisesPresets_data();
    void recognisesPresets();
    void kindsKeepWhatWasTyped();
    void previewIsReadable();
    void removesSchedule();
    void previewsNextFiveTimes_data();
    void previewsNextFiveTimes();
    void presetsWriteExpressions_data();
    void presetsWriteExpressions();
    void startsFromCurrentSchedule();
    void unknownTimeZoneIsInvalid();
};

void TestScheduleDialog::invalidExpressionShowsMessageAndDisablesOk_data()
{
    QTest::addColumn<QString>("expression");
    QTest::newRow("minute out of range") << QStringLiteral("61 * * * *");
    QTest::newRow("too few fields") << QStringLiteral("* * *");
    QTest::newRow("bad weekday") << QStringLiteral("0 0 * * FUNDAY");
    QTest::newRow("never fires") << QStringLiteral("0 0 30 2 *");
    QTest::newRow("empty") << QString();
}

void TestScheduleDialog::invalidExpressionShowsMessageAndDisablesOk()
{
    QFETCH(QString, expression);
    ScheduleDialog dialog(QStringLiteral("demo"), Schedule());
    dialog.show();
    QVERIFY(dialog.okButton()->isEnabled()); // the default expression is valid
    QTest::keyClick(dialog.expressionEdit(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(dialog.expressionEdit(), Qt::Key_Delete);
    QTest::keyClicks(dialog.expressionEdit(), expression);
    QCOMPARE(dialog.expressionEdit()->text(), expression);
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(!dialog.isValid());
    QVERIFY(dialog.previewTimes().isEmpty());
    // The parser's own message, as it is.
    const Result<CronExpression> parsed = CronExpression::parse(expression);
    QVERIFY(!parsed);
    QCOMPARE(dialog.message(), parsed.error().message());

    // Fixing it enables OK again.
    dialog.expressionEdit()->setText(QStringLiteral("*/2 * * * *"));
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(dialog.message().isEmpty() == false);
}

void TestScheduleDialog::previewsNextFiveTimes_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("zone");
    QTest::newRow("cron every 2 minutes") << 0 << QStringLiteral("*/2 * * * *") << "UTC";
    QTest::newRow("cron daily in Berlin") << 0 << QStringLiteral("30 6 * * *") << "Europe/Berlin";
    QTest::newRow("interval 2m") << 1 << QStringLiteral("2m") << "UTC";
    QTest::newRow("interval 90s") << 1 << QStringLiteral("90s") << "UTC";
}

void TestScheduleDialog::previewsNextFiveTimes()
{
    QFETCH(int, kind);
    QFETCH(QString, expression);
    QFETCH(QString, zone);
    ScheduleDialog dialog(QStringLiteral("demo"), Schedule());
    dialog.kindBox()->setCurrentIndex(kind);
    dialog.timeZoneBox()->setCurrentText(zone);
    dialog.expressionEdit()->setText(expression);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.message()));
    QVERIFY(dialog.okButton()->isEnabled());
    const QString zoneId = zone == u"UTC" ? QString() : zone;
    const Result<Schedule> expected = kind == 0 ? Schedule::fromCron(expression, zoneId)
                                                : Schedule::fromInterval(expression, {}, zoneId);
    QVERIFY(expected);
    QCOMPARE(dialog.schedule().expressionText(), expected->expressionText());
    QCOMPARE(dialog.message(), expected->describe());

    const QStringList shown = dialog.previewTimes();
    QCOMPARE(shown.size(), 5);
    // Five increasing times, each the schedule's next after the one before.
    QDateTime previous = QDateTime::fromString(shown.first(), Qt::ISODate);
    QVERIFY(previous > QDateTime::currentDateTimeUtc().addSecs(-1));
    for (int i = 1; i < shown.size(); ++i) {
        const QDateTime time = QDateTime::fromString(shown.at(i), Qt::ISODate);
        QVERIFY2(time.isValid(), qPrintable(shown.at(i)));
        const Result<QDateTime> next = expected->nextFireTime(previous);
        QVERIFY(next);
        QCOMPARE(time.toSecsSinceEpoch(), next->toSecsSinceEpoch());
        previous = time;
    }
}

void TestScheduleDialog::presetsWriteExpressions_data()
{
    QTest::addColumn<int>("preset");
    QTest::addColumn<QTime>("time");
    QTest::addColumn<int>("weekdayIndex");
    QTest::addColumn<QString>("expected");
    QTest::newRow("every minute") << 1 << QTime() << 0 << QStringLiteral("* * * * *");
    QTest::newRow("hourly") << 3 << QTime() << 0 << QStringLiteral("0 * * * *");
    QTest::newRow("daily at 07:45") << 4 << QTime(7, 45) << 0 << QStringLiteral("45 7 * * *");
    QTest::newRow("weekly on Monday 00:01") << 5 << QTime(0, 1) << 0 << QStringLiteral("1 0 * * 1");
    QTest::newRow("weekly on Sunday 23:00")
        << 5 << QTime(23, 0) << 6 << QStringLiteral("0 23 * * 0");
}

void TestScheduleDialog::presetsWriteExpressions()
{
    QFETCH(int, preset);
    QFETCH(QTime, time);
    QFETCH(int, weekdayIndex);
    QFETCH(QString, expected);
    ScheduleDialog dialog(QStringLiteral("demo"), Schedule());
    dialog.kindBox()->setCurrentIndex(1); // a preset switches back to cron
    auto *timeEdit = dialog.findChild<QTimeEdit *>(QStringLiteral("time"));
    QVERIFY(timeEdit);
    QComboBox *preset_ = dialog.presetBox();
    auto *weekday = dialog.findChild<QComboBox *>(QStringLiteral("weekday"));
    QVERIFY(weekday);
    if (time.isValid())
        timeEdit->setTime(time);
    weekday->setCurrentIndex(weekdayIndex);
    preset_->setCurrentIndex(preset);
    Q_EMIT preset_->activated(preset);
    QCOMPARE(dialog.expressionEdit()->text(), expected);
    QCOMPARE(dialog.kindBox()->currentIndex(), 0);
    QVERIFY(dialog.isValid());
}

void TestScheduleDialog::startsFromCurrentSchedule()
{
    Result<Schedule> current =
        Schedule::fromCron(QStringLiteral("15 3 * * MON-FRI"), QStringLiteral("Asia/Tokyo"));
    QVERIFY(current);
    current->setMisfirePolicy(Schedule::MisfirePolicy::CatchUp);
    current->setPaused(true);
    ScheduleDialog dialog(QStringLiteral("demo"), *current);
    QCOMPARE(dialog.expressionEdit()->text(), QStringLiteral("15 3 * * MON-FRI"));
    QCOMPARE(dialog.timeZoneBox()->currentText(), QStringLiteral("Asia/Tokyo"));
    QVERIFY(dialog.isValid());
    QCOMPARE(dialog.schedule(), *current); // paused and misfire policy kept
}

void TestScheduleDialog::unknownTimeZoneIsInvalid()
{
    ScheduleDialog dialog(QStringLiteral("demo"), Schedule());
    dialog.timeZoneBox()->setCurrentText(QStringLiteral("Mars/Olympus"));
    QVERIFY(!dialog.okButton()->isEnabled());
    // The error is under the zone, not under the expression, which is fine.
    QVERIFY2(dialog.zoneMessage().contains(QStringLiteral("Mars/Olympus")),
        qPrintable(dialog.zoneMessage()));
    QVERIFY2(dialog.message().isEmpty(), qPrintable(dialog.message()));
    dialog.timeZoneBox()->setCurrentText(QStringLiteral("Europe/Paris"));
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(dialog.zoneMessage().isEmpty());
}

// An expression that is a preset's reads as that preset, when typed or opened.
void TestScheduleDialog::recognisesPresets_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QTime>("time");
    QTest::newRow("every minute") << "* * * * *"
                                  << "Every minute" << QTime();
    QTest::newRow("every 5 minutes") << "*/5 * * * *"
                                     << "Every 5 minutes" << QTime();
    QTest::newRow("spaces") << " */5  * * * * "
                            << "Every 5 minutes" << QTime();
    QTest::newRow("hourly") << "0 * * * *"
                            << "Hourly" << QTime();
    QTest::newRow("daily") << "30 6 * * *"
                           << "Daily at…" << QTime(6, 30);
    QTest::newRow("weekly") << "1 0 * * 1"
                            << "Weekly on…" << QTime(0, 1);
    QTest::newRow("weekly sunday 7") << "0 23 * * 7"
                                     << "Weekly on…" << QTime(23, 0);
    QTest::newRow("every 2 minutes") << "*/2 * * * *"
                                     << "Custom" << QTime();
    QTest::newRow("weekdays") << "15 3 * * MON-FRI"
                              << "Custom" << QTime();
    QTest::newRow("leading zero") << "05 6 * * *"
                                  << "Custom" << QTime();
}

void TestScheduleDialog::recognisesPresets()
{
    QFETCH(QString, expression);
    QFETCH(QString, preset);
    QFETCH(QTime, time);
    ScheduleDialog typed(QStringLiteral("demo"), Schedule());
    typed.expressionEdit()->selectAll();
    QTest::keyClicks(typed.expressionEdit(), expression);
    QCOMPARE(typed.presetBox()->currentText(), preset);
    auto *timeEdit = typed.findChild<QTimeEdit *>(QStringLiteral("time"));
    if (time.isValid())
        QCOMPARE(timeEdit->time(), time);
    QCOMPARE(typed.expressionEdit()->text(), expression); // recognising changes nothing typed

    const Result<Schedule> current = Schedule::fromCron(expression.simplified());
    QVERIFY(current);
    ScheduleDialog opened(QStringLiteral("demo"), *current);
    QCOMPARE(opened.presetBox()->currentText(), preset);
}

// Switching between cron and interval keeps what was typed for each.
void TestScheduleDialog::kindsKeepWhatWasTyped()
{
    ScheduleDialog dialog(QStringLiteral("demo"), Schedule());
    dialog.expressionEdit()->selectAll();
    QTest::keyClicks(dialog.expressionEdit(), QStringLiteral("7 4 * * 2-5"));
    dialog.kindBox()->setCurrentIndex(1);
    QCOMPARE(dialog.expressionEdit()->text(), QStringLiteral("5m"));
    dialog.expressionEdit()->selectAll();
    QTest::keyClicks(dialog.expressionEdit(), QStringLiteral("45s"));
    dialog.kindBox()->setCurrentIndex(0);
    QCOMPARE(dialog.expressionEdit()->text(), QStringLiteral("7 4 * * 2-5"));
    QVERIFY(dialog.isValid());
    dialog.kindBox()->setCurrentIndex(1);
    QCOMPARE(dialog.expressionEdit()->text(), QStringLiteral("45s"));
    QCOMPARE(dialog.schedule().expressionText(), QStringLiteral("45s"));
}

// The preview reads as times (local and UTC), not ISO text; the ISO form stays in reach.
void TestScheduleDialog::previewIsReadable()
{
    ScheduleDialog dialog(QStringLiteral("demo"), Schedule());
    dialog.expressionEdit()->setText(QStringLiteral("0 12 * * *"));
    auto *list = dialog.findChild<QListWidget *>(QStringLiteral("preview"));
    QVERIFY(list);
    QCOMPARE(list->count(), 5);
    const QString shown = list->item(0)->text();
    QVERIFY2(shown.contains(QLatin1String("12:00")), qPrintable(shown)); // the UTC time
    QVERIFY2(shown.contains(QLatin1String("UTC")), qPrintable(shown));
    QCOMPARE(list->item(0)->toolTip(), dialog.previewTimes().first());
}

// A schedule can be removed; a flow without one has nothing to remove.
void TestScheduleDialog::removesSchedule()
{
    ScheduleDialog none(QStringLiteral("demo"), Schedule());
    QVERIFY(!none.removeButton());
    const Result<Schedule> current = Schedule::fromCron(QStringLiteral("0 * * * *"));
    QVERIFY(current);
    ScheduleDialog dialog(QStringLiteral("demo"), *current);
    QVERIFY(dialog.removeButton());
    QTimer::singleShot(0, dialog.removeButton(), &QPushButton::click);
    QCOMPARE(dialog.exec(), ScheduleDialog::Removed);
}

QTEST_MAIN(TestScheduleDialog)
#include "tst_scheduledialog.moc"
