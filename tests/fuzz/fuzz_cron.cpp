// Cron expressions: any text parses or fails cleanly; a parsed expression's next fire times
// are strictly increasing, match the expression, and its own text parses to the same thing.

#include <QTimeZone>

#include "fuzzcheck.h"
#include "schedule/cronexpression.h"

using namespace Sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256)
        return 0;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<CronExpression> parsed = CronExpression::parse(text);
    if (!parsed)
        return 0;
    const Result<CronExpression> again = CronExpression::parse(parsed->text());
    FUZZ_CHECK(again && *again == *parsed);
    (void)parsed->describe();
    static const QTimeZone zones[] = { QTimeZone::utc(), QTimeZone("Europe/Berlin"),
        QTimeZone("America/New_York") };
    for (const QTimeZone &zone : zones) {
        QDateTime after = QDateTime(QDate(2026, 3, 28), QTime(23, 59), zone);
        for (int i = 0; i < 4; ++i) {
            const Result<QDateTime> next = parsed->nextFireTime(after, zone);
            if (!next)
                break;
            FUZZ_CHECK(*next > after);
            const QDateTime wall = next->toTimeZone(zone);
            FUZZ_CHECK(wall.time().second() == 0);
            after = *next;
        }
    }
    return 0;
}
