// LineThrottle with an injected clock: lines under the budget pass in order, a flood is cut
// to a count and its tail, the tail always reaches the log (at finish or when the pace drops),
// and nothing is reordered.

#include <QTest>

#include "steps/linethrottle.h"

using namespace Sluice;

class TestLineThrottle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void underTheBudgetEverythingPasses()
    {
        QStringList seen;
        LineThrottle throttle([&](LogLevel, const QString &line) { seen << line; }, 10, 3);
        for (int i = 0; i < 50; ++i)
            throttle.add(LogLevel::Info, QString::number(i), i * 100); // 10 a second
        throttle.finish();
        QCOMPARE(seen.size(), 50);
        QCOMPARE(seen.first(), QStringLiteral("0"));
        QCOMPARE(seen.last(), QStringLiteral("49"));
        QCOMPARE(throttle.suppressedTotal(), 0);
    }

    void aFloodKeepsItsHeadCountAndTail()
    {
        QStringList seen;
        QList<LogLevel> levels;
        LineThrottle throttle(
            [&](LogLevel level, const QString &line) {
                seen << line;
                levels << level;
            },
            10, 3);
        for (int i = 0; i < 1000; ++i)
            throttle.add(i == 999 ? LogLevel::Warning : LogLevel::Info, QString::number(i), 0);
        throttle.finish();
        // The first 10 pass, 990 are held: 987 counted, the last 3 shown.
        QCOMPARE(seen.size(), 10 + 1 + 3);
        QCOMPARE(seen.at(9), QStringLiteral("9"));
        QVERIFY2(seen.at(10).contains(QLatin1String("987")), qPrintable(seen.at(10)));
        QCOMPARE(levels.at(10), LogLevel::Warning);
        QCOMPARE(seen.mid(11), (QStringList{ "997", "998", "999" }));
        QCOMPARE(levels.last(), LogLevel::Warning);
        QCOMPARE(throttle.suppressedTotal(), 990);
    }

    void thePaceDroppingFlushesBeforeTheNextLine()
    {
        QStringList seen;
        LineThrottle throttle([&](LogLevel, const QString &line) { seen << line; }, 10, 2);
        for (int i = 0; i < 30; ++i)
            throttle.add(LogLevel::Info, QStringLiteral("a%1").arg(i), 0);
        throttle.add(LogLevel::Info, QStringLiteral("later"), 5000);
        QCOMPARE(seen.size(), 10 + 1 + 2 + 1);
        QCOMPARE(seen.mid(11), (QStringList{ "a28", "a29", "later" }));
        throttle.finish();
        QCOMPARE(seen.size(), 14); // nothing left to flush
    }
};

QTEST_GUILESS_MAIN(TestLineThrottle)
#include "tst_linethrottle.moc"
