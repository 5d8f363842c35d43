#include "schedule/firetimes.h"

#include <QCoreApplication>

namespace Sluice::FireTimes {

QDateTime before(const Schedule &schedule, const QDateTime &time)
{
    // Searched forward from ever earlier points, so that a minutely cron costs a few steps
    // and a yearly one finds its fire too.
    constexpr qint64 Day = 24 * 3600;
    constexpr int StepLimit = 2000;
    for (qint64 span : { qint64(3600), Day, 8 * Day, 32 * Day, 367 * Day, 5 * 366 * Day }) {
        QDateTime from = time.addSecs(-span);
        QDateTime last;
        for (int step = 0; step < StepLimit; ++step) {
            const Result<QDateTime> next = schedule.nextFireTime(from);
            if (!next || !next->isValid() || *next >= time)
                break;
            last = *next;
            from = *next;
        }
        if (last.isValid())
            return last;
    }
    return {};
}

Result<QList<QDateTime>> between(
    const Schedule &schedule, const QDateTime &from, const QDateTime &to, int limit)
{
    QList<QDateTime> times;
    QDateTime after = from.addMSecs(-1); // nextFireTime() is strictly after: from itself counts
    while (true) {
        const Result<QDateTime> next = schedule.nextFireTime(after);
        if (!next)
            return next.error();
        if (!next->isValid() || *next >= to)
            break;
        if (times.size() == limit)
            return Error{ QCoreApplication::translate("Sluice::FireTimes",
                              "more than %1 fire times between %2 and %3; choose a shorter range")
                              .arg(limit)
                              .arg(from.toUTC().toString(Qt::ISODate),
                                  to.toUTC().toString(Qt::ISODate)),
                {}, ErrorCode::Permanent };
        times << next->toUTC();
        after = *next;
    }
    return times;
}

} // namespace Sluice::FireTimes
