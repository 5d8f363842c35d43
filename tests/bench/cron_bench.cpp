// Prints how fast cron expressions parse and find their next fire times, in UTC and in zones
// with DST. Figures only; no pass or fail.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include "schedule/cronexpression.h"

using namespace Sluice;

namespace {

volatile qint64 sink = 0; // keeps the measured calls from being optimised away

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList expressions = {
        QStringLiteral("* * * * *"),
        QStringLiteral("*/15 9-17 * * MON-FRI"),
        QStringLiteral("1 0 * * *"),
        QStringLiteral("0 0 13 * FRI"),
        QStringLiteral("30 2 * * *"),
        QStringLiteral("0 0 29 2 *"),
        QStringLiteral("59 23 31 12 *"),
        QStringLiteral("10-50/7 1-23/6 */3 * *"),
    };

    QElapsedTimer timer;
    timer.start();
    const int parses = 200000;
    for (int i = 0; i < parses; ++i) {
        if (!CronExpression::parse(expressions.at(i % expressions.size())))
            return 1;
    }
    out << QStringLiteral("parse: %1 expressions/s\n")
               .arg(qRound64(parses * 1000.0 / qMax<qint64>(timer.elapsed(), 1)));

    // Each call starts from a different instant between 2024 and 2030 (steps of 3607 s), as a
    // preview or the scheduler asks; then a second run far ahead, past the last transition
    // in the tz database, where Qt computes DST from the zone's rule.
    for (const char *zoneId : { "UTC", "Europe/Berlin", "America/New_York" }) {
        const QTimeZone zone(zoneId);
        out << QStringLiteral("nextFireTime in %1, from 2024-2030 | from 2100-2106:\n")
                   .arg(QLatin1String(zoneId));
        for (const QString &text : expressions) {
            const CronExpression cron = *CronExpression::parse(text);
            const int calls = 50000;
            QString figures;
            for (qint64 start : { qint64(1704067200), qint64(4102444800) }) {
                qint64 checksum = 0;
                timer.restart();
                for (int i = 0; i < calls; ++i) {
                    const QDateTime after =
                        QDateTime::fromSecsSinceEpoch(start + qint64(i) * 3607, Qt::UTC);
                    checksum += cron.nextFireTime(after, zone)->toSecsSinceEpoch();
                }
                const qint64 ns = timer.nsecsElapsed();
                figures += QStringLiteral(" %1 calls/s (%2 us)")
                               .arg(qRound64(calls * 1e9 / double(ns)), 9)
                               .arg(ns / 1000.0 / calls, 6, 'f', 2);
                sink = sink + checksum;
            }
            out << QStringLiteral("  %1%2\n").arg(text, -24).arg(figures);
        }
    }
    return 0;
}
