// Flow-file durations ("90s", "5m", "2h", "1d", "10ms"; YamlReader::parseDuration): any text
// parses or fails cleanly; a parsed duration lies in [0 or 1 ms, 366 d] and its text in
// milliseconds (and in seconds, when whole) parses to the same duration.

#include "flowfile/yamlreader.h"
#include "fuzzcheck.h"

using namespace Sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64)
        return 0;
    const bool allowZero = data[0] & 1;
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const std::optional<qint64> ms = YamlReader::parseDuration(text, allowZero);
    if (!ms)
        return 0;
    FUZZ_CHECK(*ms >= (allowZero ? 0 : 1) && *ms <= YamlReader::MaximumDurationMs);
    FUZZ_CHECK(
        YamlReader::parseDuration(QString::number(*ms) + QStringLiteral("ms"), allowZero) == ms);
    if (*ms % 1000 == 0)
        FUZZ_CHECK(
            YamlReader::parseDuration(QString::number(*ms / 1000) + QLatin1Char('s'), allowZero)
            == ms);
    return 0;
}
