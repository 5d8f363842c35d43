#pragma once

// Reads mempool.space's mining API: the daily network hash rate (GET
// /api/v1/mining/hashrate/{period}) with hash rates as exact 128-bit integers, and the difficulty
// adjustments (GET /api/v1/mining/difficulty-adjustments/{period}). Runs on the calling thread,
// which it blocks while it waits: a flow task's pool thread with its own
// QNetworkAccessManager, never the GUI thread.

#include <optional>

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include "engine/result.h"
#include "sources/httpfetcher.h"
#include "transform/exactinteger.h"

class QNetworkAccessManager;

namespace Sluice {

// How far back a mining request reaches; mempool.space subtracts calendar months and years
// from its clock (MySQL DATE_SUB), so 1m reaches back 28 to 31 days.
enum class MiningPeriod { OneMonth, ThreeMonths, SixMonths, OneYear, TwoYears, ThreeYears };

// One daily sample of the network hash rate (hashes per second).
struct HashrateSample
{
    qint64 timestamp = 0; // seconds since the epoch (UTC); mempool.space sends 00:00 of each day
    Int128 hashrate = 0; // exact; see JsonNumber::toInt128 for numbers in exponent form
    QByteArray text; // the number as the response wrote it

    friend bool operator==(const HashrateSample &, const HashrateSample &) = default;
};

struct HashrateHistory
{
    QList<HashrateSample> samples; // ascending timestamps, at least one
    // The network's hash rate and difficulty now, from mempool.space's node. It sends 0 for
    // both when that node is unavailable: hasCurrent() is then false.
    Int128 currentHashrate = 0;
    QByteArray currentHashrateText;
    double currentDifficulty = 0;

    bool hasCurrent() const { return currentHashrate > 0 && currentDifficulty > 0; }
};

// One difficulty adjustment: the difficulty in effect from timestamp (the block of height)
// until the next adjustment.
struct DifficultyAdjustment
{
    qint64 timestamp = 0; // seconds since the epoch (UTC)
    qint64 height = 0; // block height
    double difficulty = 0;
    double changeRatio = 0; // new difficulty / previous one

    friend bool operator==(const DifficultyAdjustment &, const DifficultyAdjustment &) = default;
};

class MempoolClient
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::MempoolClient)

public:
    // Margins for periodReaching(): a range's first slot needs the daily sample before it (so a
    // day, plus a day for mempool.space's clock and time of day), and the difficulty
    // adjustment in effect there, which is one epoch back: two weeks, longer when blocks come
    // slowly (the longest epochs since 2012 took about three weeks).
    static constexpr qint64 HashrateMarginSeconds = 2 * 86400;
    static constexpr qint64 DifficultyMarginSeconds = 35 * 86400;
    // The first sane timestamp: 2009-01-03 00:00 UTC, the day of the genesis block.
    static constexpr qint64 EarliestTimestamp = 1230940800;
    // How far past our clock a timestamp may lie (clock skew, block time rules).
    static constexpr qint64 FutureToleranceSeconds = 86400;

    // network: the calling thread's manager. options.baseUrl is the site root
    // (https://mempool.space, or SLUICE_MEMPOOL_URL through Settings::mempoolUrl()).
    MempoolClient(QNetworkAccessManager *network, SourceOptions options);

    // Daily hash rates of the period, ascending (the API sends them oldest first; newest first
    // is accepted as well), and the current values. Validated: an object with "hashrates", an
    // array of objects {"timestamp": integer, "avgHashrate": number > 0}, strictly ordered,
    // timestamps from EarliestTimestamp to now + FutureToleranceSeconds; "currentHashrate" and
    // "currentDifficulty" numbers >= 0. "difficulty", if present, must be an array and is
    // otherwise not read: fetchDifficultyAdjustments() is the source of difficulties.
    // No sample is an error ("empty response").
    Result<HashrateHistory> fetchHashrates(MiningPeriod period);

    // The adjustments of the period, ascending (the API sends them newest first; oldest first
    // is accepted as well). Validated: an array of arrays [timestamp, height, difficulty,
    // changeRatio, ...] with integer timestamp and height, difficulty and ratio finite and
    // > 0; timestamps and heights strictly ordered the same way, timestamps sane as above.
    // No adjustment is an error ("empty response").
    Result<QList<DifficultyAdjustment>> fetchDifficultyAdjustments(MiningPeriod period);

    // The checks of fetchHashrates() and fetchDifficultyAdjustments() on a document already
    // read (url: the request's, for errors); public for tests and the fuzz targets.
    Result<HashrateHistory> readHashrates(
        const JsonNode &json, const QUrl &url, MiningPeriod period);
    Result<QList<DifficultyAdjustment>> readDifficultyAdjustments(
        const JsonNode &json, const QUrl &url, MiningPeriod period);

    // Why the last fetch failed: its kind, HTTP status and Retry-After.
    const FetchFailure &lastFailure() const { return m_http.lastFailure(); }

    // "1m", "3m", "6m", "1y", "2y", "3y"
    static QString periodText(MiningPeriod period);
    static std::optional<MiningPeriod> periodFromText(const QString &text);
    // How far back a period surely reaches, whatever the date: 28, 89, 181, 365, 730, 1095 days.
    static qint64 periodSeconds(MiningPeriod period);
    // The smallest period that reaches back to start - margin from now (seconds), e.g.
    // periodReaching(rangeStart, DifficultyMarginSeconds). An Error when even 3y does not.
    static Result<MiningPeriod> periodReaching(
        qint64 start, qint64 margin, qint64 now = QDateTime::currentSecsSinceEpoch());

private:
    std::optional<QString> checkTimestamp(qint64 timestamp) const;

    HttpFetcher m_http;
};

} // namespace Sluice
