// Retry-After values (delay seconds or an HTTP-date in three forms): any bytes give a delay
// that is never negative, or nothing.

#include "fuzzcheck.h"
#include "sources/httpfetcher.h"

using namespace Sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 128)
        return 0;
    const QByteArray value(reinterpret_cast<const char *>(data), qsizetype(size));
    static const QDateTime now = QDateTime(QDate(2026, 12, 6), QTime(12, 0), Qt::UTC);
    const std::optional<std::chrono::seconds> delay = HttpFetcher::parseRetryAfter(value, now);
    if (delay)
        FUZZ_CHECK(delay->count() >= 0);
    return 0;
}
