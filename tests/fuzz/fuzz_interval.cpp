// Interval texts ("90s", "5m", "2h"): any text parses or fails cleanly; a parsed interval's
// canonical text parses to the same interval, and its fire times step by the interval.

#include "fuzzcheck.h"
#include "schedule/intervalschedule.h"

using namespace Sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64)
        return 0;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<IntervalSchedule> parsed = IntervalSchedule::parse(text);
    if (!parsed)
        return 0;
    FUZZ_CHECK(parsed->seconds() >= 1 && parsed->seconds() <= IntervalSchedule::MaximumSeconds);
    const Result<IntervalSchedule> again = IntervalSchedule::parse(parsed->text());
    FUZZ_CHECK(again && again->seconds() == parsed->seconds());
    const QDateTime after =
        QDateTime::fromSecsSinceEpoch(1764979200 + qint64(size) * 7919, Qt::UTC);
    const QDateTime first = parsed->nextFireTime(after);
    FUZZ_CHECK(first > after && first.secsTo(after) > -parsed->seconds() - 1);
    FUZZ_CHECK(parsed->nextFireTime(first).toSecsSinceEpoch() - first.toSecsSinceEpoch()
        == parsed->seconds());
    return 0;
}
