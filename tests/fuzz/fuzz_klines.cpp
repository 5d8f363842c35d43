// Binance klines pages (BinanceClient::readPage over the JSON reader): any bytes are read or
// refused cleanly; every kline kept is sane (open time on the interval inside the page, strictly
// increasing, low <= open, close <= high, prices > 0, volume >= 0, close time after open), and
// reading the same page again after it is refused (a duplicate or out-of-order open time).

#include <cmath>

#include "fuzzcheck.h"
#include "sources/binanceclient.h"
#include "sources/jsonreader.h"

using namespace Sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    static const char *const intervals[] = { "1s", "1m", "5m", "1h", "1d" };
    const QString interval = QString::fromLatin1(intervals[data[0] % 5]);
    const Result<JsonNode> json = JsonReader::read(
        QByteArrayView(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));
    if (!json)
        return 0;
    BinanceClient client(nullptr, SourceOptions{});
    FUZZ_CHECK(client.setInterval(interval));
    const qint64 step = client.intervalSeconds();
    KlinePage page;
    page.start = 1764979200; // 2025-12-06 00:00 UTC: on every interval
    page.end = page.start + 1000 * step;
    page.limit = 1000;
    page.url = QUrl(QStringLiteral("http://127.0.0.1/api/v3/klines"));
    QList<Kline> klines;
    const Result<void> read = client.readPage(*json, page, klines);
    if (!read) {
        FUZZ_CHECK(!read.error().what.isEmpty());
        return 0;
    }
    for (qsizetype i = 0; i < klines.size(); ++i) {
        const Kline &kline = klines[i];
        FUZZ_CHECK(kline.openTime >= page.start && kline.openTime < page.end);
        FUZZ_CHECK(kline.openTime % step == 0);
        FUZZ_CHECK(i == 0 || kline.openTime > klines[i - 1].openTime);
        FUZZ_CHECK(std::isfinite(kline.open) && std::isfinite(kline.high)
            && std::isfinite(kline.low) && std::isfinite(kline.close)
            && std::isfinite(kline.volume));
        FUZZ_CHECK(kline.open > 0 && kline.low > 0 && kline.volume >= 0);
        FUZZ_CHECK(kline.low <= kline.open && kline.low <= kline.close);
        FUZZ_CHECK(kline.high >= kline.open && kline.high >= kline.close);
        FUZZ_CHECK(kline.closeTimeMs > kline.openTime * 1000);
    }
    if (!klines.isEmpty()) {
        const qsizetype kept = klines.size();
        FUZZ_CHECK(!client.readPage(*json, page, klines));
        FUZZ_CHECK(klines.size() == kept);
    }
    return 0;
}
