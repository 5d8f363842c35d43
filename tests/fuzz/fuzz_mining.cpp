// mempool.space mining documents (MempoolClient::readHashrates and readDifficultyAdjustments
// over the JSON reader): any bytes are read or refused cleanly; what is read is ascending,
// strictly, with sane timestamps, positive hash rates and finite positive difficulties.

#include <cmath>

#include "fuzzcheck.h"
#include "sources/jsonreader.h"
#include "sources/mempoolclient.h"

using namespace Sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const Result<JsonNode> json =
        JsonReader::read(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!json)
        return 0;
    static const QUrl url(QStringLiteral("http://127.0.0.1/api/v1/mining"));
    MempoolClient client(nullptr, SourceOptions{});
    const qint64 latest =
        QDateTime::currentSecsSinceEpoch() + MempoolClient::FutureToleranceSeconds;

    const Result<HashrateHistory> history =
        client.readHashrates(*json, url, MiningPeriod::ThreeMonths);
    if (history) {
        const QList<HashrateSample> &samples = history->samples;
        FUZZ_CHECK(!samples.isEmpty());
        for (qsizetype i = 0; i < samples.size(); ++i) {
            FUZZ_CHECK(samples[i].timestamp >= MempoolClient::EarliestTimestamp);
            FUZZ_CHECK(samples[i].timestamp <= latest);
            FUZZ_CHECK(i == 0 || samples[i].timestamp > samples[i - 1].timestamp);
            FUZZ_CHECK(samples[i].hashrate > 0);
            FUZZ_CHECK(!samples[i].text.isEmpty());
        }
        FUZZ_CHECK(history->currentHashrate >= 0);
        FUZZ_CHECK(std::isfinite(history->currentDifficulty) && history->currentDifficulty >= 0);
    } else {
        FUZZ_CHECK(!history.error().what.isEmpty());
    }

    const Result<QList<DifficultyAdjustment>> adjustments =
        client.readDifficultyAdjustments(*json, url, MiningPeriod::OneYear);
    if (adjustments) {
        FUZZ_CHECK(!adjustments->isEmpty());
        for (qsizetype i = 0; i < adjustments->size(); ++i) {
            const DifficultyAdjustment &adjustment = (*adjustments)[i];
            FUZZ_CHECK(adjustment.timestamp >= MempoolClient::EarliestTimestamp);
            FUZZ_CHECK(adjustment.timestamp <= latest);
            FUZZ_CHECK(adjustment.height >= 0);
            FUZZ_CHECK(std::isfinite(adjustment.difficulty) && adjustment.difficulty > 0);
            FUZZ_CHECK(std::isfinite(adjustment.changeRatio) && adjustment.changeRatio > 0);
            if (i > 0) {
                FUZZ_CHECK(adjustment.timestamp > (*adjustments)[i - 1].timestamp);
                FUZZ_CHECK(adjustment.height > (*adjustments)[i - 1].height);
            }
        }
    } else {
        FUZZ_CHECK(!adjustments.error().what.isEmpty());
    }
    return 0;
}
