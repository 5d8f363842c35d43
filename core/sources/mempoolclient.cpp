#include "sources/mempoolclient.h"

#include <algorithm>

#include "sources/jsonnumber.h"
#include "sources/jsonreader.h"

namespace Sluice {

namespace {

    struct PeriodInfo
    {
        MiningPeriod period;
        const char *text;
        qint64 days; // the shortest reach: calendar months and years vary
    };

    constexpr PeriodInfo periodInfos[] = {
        { MiningPeriod::OneMonth, "1m", 28 },
        { MiningPeriod::ThreeMonths, "3m", 89 },
        { MiningPeriod::SixMonths, "6m", 181 },
        { MiningPeriod::OneYear, "1y", 365 },
        { MiningPeriod::TwoYears, "2y", 730 },
        { MiningPeriod::ThreeYears, "3y", 1095 },
    };

    const PeriodInfo &info(MiningPeriod period)
    {
        for (const PeriodInfo &entry : periodInfos) {
            if (entry.period == period)
                return entry;
        }
        return periodInfos[0];
    }

    QString isoTime(qint64 seconds)
    {
        return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(Qt::ISODate);
    }

    // "1727913600 (2024-10-03T00:00:00Z)", or just the number past the ISO years.
    QString describedTime(qint64 seconds)
    {
        const QString iso = isoTime(seconds);
        if (iso.isEmpty() || seconds > 253402300799) // 9999-12-31T23:59:59Z
            return QString::number(seconds);
        return QStringLiteral("%1 (%2)").arg(seconds).arg(iso);
    }

    // Whether keys (timestamps) are strictly monotonic, either way, and which way.
    struct OrderCheck
    {
        std::optional<QString> problem; // about the first entry that breaks the order
        bool descending = false;
    };

    // duplicate and broken are the problems of an entry equal to the one before it and of one
    // out of order, with %1 the entry's index and %2 its key.
    OrderCheck checkOrder(
        const QList<qint64> &keys, const QString &duplicate, const QString &broken)
    {
        OrderCheck check;
        if (keys.size() < 2)
            return check;
        check.descending = keys[1] < keys[0];
        for (qsizetype i = 1; i < keys.size(); ++i) {
            const bool ok = check.descending ? keys[i] < keys[i - 1] : keys[i] > keys[i - 1];
            if (!ok) {
                check.problem = (keys[i] == keys[i - 1] ? duplicate : broken).arg(i).arg(keys[i]);
                return check;
            }
        }
        return check;
    }

} // namespace

MempoolClient::MempoolClient(QNetworkAccessManager *network, SourceOptions options)
    : m_http(network, std::move(options))
{ }

QString MempoolClient::periodText(MiningPeriod period)
{
    return QLatin1String(info(period).text);
}

std::optional<MiningPeriod> MempoolClient::periodFromText(const QString &text)
{
    for (const PeriodInfo &entry : periodInfos) {
        if (text == QLatin1String(entry.text))
            return entry.period;
    }
    return std::nullopt;
}

qint64 MempoolClient::periodSeconds(MiningPeriod period)
{
    return info(period).days * 86400;
}

Result<MiningPeriod> MempoolClient::periodReaching(qint64 start, qint64 margin, qint64 now)
{
    const qint64 needed = now - (start - margin);
    for (const PeriodInfo &entry : periodInfos) {
        if (entry.days * 86400 >= needed)
            return entry.period;
    }
    return Error{ tr("%1 is further back than the 3y period of the mining API reaches (%n day(s) "
                     "of margin included)",
                      nullptr, int(margin / 86400))
                      .arg(isoTime(start)),
        tr("mempool.space mining API"), ErrorCode::Permanent };
}

std::optional<QString> MempoolClient::checkTimestamp(qint64 timestamp) const
{
    const qint64 latest = QDateTime::currentSecsSinceEpoch() + FutureToleranceSeconds;
    if (timestamp < EarliestTimestamp)
        return tr("timestamp %1 is before Bitcoin's first block").arg(describedTime(timestamp));
    if (timestamp > latest)
        return tr("timestamp %1 is in the future").arg(describedTime(timestamp));
    return std::nullopt;
}

Result<HashrateHistory> MempoolClient::fetchHashrates(MiningPeriod period)
{
    const Result<JsonResponse> response = m_http.fetchJson(
        JsonRequest(QStringLiteral("/api/v1/mining/hashrate/") + periodText(period)));
    if (!response)
        return response.error();
    return readHashrates(response->document, response->url, period);
}

Result<HashrateHistory> MempoolClient::readHashrates(
    const JsonNode &json, const QUrl &url, MiningPeriod period)
{
    const auto invalid = [&](const QString &problem) {
        return m_http.invalidResponse(url, problem);
    };
    if (!json.isObject())
        return invalid(tr("expected a JSON object, got %1").arg(json.typeName()));
    const JsonNode *hashrates = json.member("hashrates");
    if (!hashrates)
        return invalid(tr("no \"hashrates\" member"));
    if (!hashrates->isArray())
        return invalid(tr("\"hashrates\" is %1, expected an array").arg(hashrates->typeName()));
    if (const JsonNode *difficulty = json.member("difficulty");
        difficulty && !difficulty->isArray())
        return invalid(tr("\"difficulty\" is %1, expected an array").arg(difficulty->typeName()));

    HashrateHistory history;
    QList<qint64> timestamps;
    for (size_t i = 0; i < hashrates->items.size(); ++i) {
        const JsonNode &entry = hashrates->items[i];
        const auto invalidSample = [&](const QString &problem) {
            return invalid(tr("hash rate sample %1: %2").arg(i).arg(problem));
        };
        if (!entry.isObject())
            return invalidSample(tr("expected an object, got %1").arg(entry.typeName()));
        const JsonNode *timestamp = entry.member("timestamp");
        const JsonNode *average = entry.member("avgHashrate");
        if (!timestamp)
            return invalidSample(tr("no \"timestamp\" member"));
        if (!average)
            return invalidSample(tr("no \"avgHashrate\" member"));
        if (!timestamp->isNumber())
            return invalidSample(
                tr("timestamp is %1, expected an integer").arg(timestamp->typeName()));
        const std::optional<qint64> seconds = JsonNumber::toInt64(timestamp->text);
        if (!seconds)
            return invalidSample(tr("timestamp %1 is not a whole number of seconds")
                                     .arg(QString::fromLatin1(timestamp->text)));
        if (const std::optional<QString> problem = checkTimestamp(*seconds))
            return invalidSample(*problem);
        if (!average->isNumber())
            return invalidSample(
                tr("avgHashrate is %1, expected a number").arg(average->typeName()));
        const Result<Int128> value = JsonNumber::toInt128(average->text);
        if (!value)
            return invalidSample(tr("avgHashrate: %1").arg(value.error().what));
        if (*value <= 0)
            return invalidSample(
                tr("avgHashrate %1 is not positive").arg(QString::fromLatin1(average->text)));
        history.samples.append(HashrateSample{ *seconds, *value, average->text });
        timestamps.append(*seconds);
    }
    if (history.samples.isEmpty())
        return invalid(
            tr("empty response: no hash rate samples for period %1").arg(periodText(period)));
    const OrderCheck order = checkOrder(timestamps,
        tr("hash rate sample %1: duplicate timestamp %2"),
        tr("hash rate sample %1: timestamp %2 breaks the order of the list (neither oldest first "
           "nor newest first)"));
    if (order.problem)
        return invalid(*order.problem);
    if (order.descending)
        std::reverse(history.samples.begin(), history.samples.end());

    const JsonNode *currentHashrate = json.member("currentHashrate");
    const JsonNode *currentDifficulty = json.member("currentDifficulty");
    if (!currentHashrate)
        return invalid(tr("no \"currentHashrate\" member"));
    if (!currentHashrate->isNumber())
        return invalid(
            tr("currentHashrate is %1, expected a number").arg(currentHashrate->typeName()));
    const Result<Int128> current = JsonNumber::toInt128(currentHashrate->text);
    if (!current)
        return invalid(tr("currentHashrate: %1").arg(current.error().what));
    if (*current < 0)
        return invalid(
            tr("currentHashrate %1 is negative").arg(QString::fromLatin1(currentHashrate->text)));
    if (!currentDifficulty)
        return invalid(tr("no \"currentDifficulty\" member"));
    if (!currentDifficulty->isNumber())
        return invalid(
            tr("currentDifficulty is %1, expected a number").arg(currentDifficulty->typeName()));
    const std::optional<double> difficulty = JsonNumber::toDouble(currentDifficulty->text);
    if (!difficulty || *difficulty < 0)
        return invalid(tr("currentDifficulty %1 is not a finite number >= 0")
                           .arg(QString::fromLatin1(currentDifficulty->text)));
    history.currentHashrate = *current;
    history.currentHashrateText = currentHashrate->text;
    history.currentDifficulty = *difficulty;
    return history;
}

Result<QList<DifficultyAdjustment>> MempoolClient::fetchDifficultyAdjustments(MiningPeriod period)
{
    const Result<JsonResponse> response = m_http.fetchJson(
        JsonRequest(QStringLiteral("/api/v1/mining/difficulty-adjustments/") + periodText(period)));
    if (!response)
        return response.error();
    return readDifficultyAdjustments(response->document, response->url, period);
}

Result<QList<DifficultyAdjustment>> MempoolClient::readDifficultyAdjustments(
    const JsonNode &json, const QUrl &url, MiningPeriod period)
{
    const auto invalid = [&](const QString &problem) {
        return m_http.invalidResponse(url, problem);
    };
    if (!json.isArray())
        return invalid(tr("expected a JSON array of adjustments, got %1").arg(json.typeName()));

    QList<DifficultyAdjustment> adjustments;
    QList<qint64> timestamps;
    for (size_t i = 0; i < json.items.size(); ++i) {
        const JsonNode &entry = json.items[i];
        const auto invalidEntry = [&](const QString &problem) {
            return invalid(tr("adjustment %1: %2").arg(i).arg(problem));
        };
        if (!entry.isArray())
            return invalidEntry(tr("expected an array, got %1").arg(entry.typeName()));
        if (entry.items.size() < 4)
            return invalidEntry(tr("expected at least 4 fields, got %1").arg(entry.items.size()));
        DifficultyAdjustment adjustment;
        const auto readInteger = [&](size_t index, const QString &field, qint64 &out) {
            return JsonNumber::readWholeNumber(
                entry.items[index], field, tr("%1 %2 is not a whole number >= 0"), out);
        };
        const auto readPositive = [&](size_t index, const QString &field,
                                      double &out) -> std::optional<QString> {
            const JsonNode &value = entry.items[index];
            if (!value.isNumber())
                return tr("%1 is %2, expected a number").arg(field, value.typeName());
            const std::optional<double> parsed = JsonNumber::toDouble(value.text);
            if (!parsed || *parsed <= 0)
                return tr("%1 %2 is not a finite number > 0")
                    .arg(field, QString::fromLatin1(value.text));
            out = *parsed;
            return std::nullopt;
        };
        if (auto problem = readInteger(0, tr("timestamp"), adjustment.timestamp))
            return invalidEntry(*problem);
        if (auto problem = checkTimestamp(adjustment.timestamp))
            return invalidEntry(*problem);
        if (auto problem = readInteger(1, tr("height"), adjustment.height))
            return invalidEntry(*problem);
        if (auto problem = readPositive(2, tr("difficulty"), adjustment.difficulty))
            return invalidEntry(*problem);
        if (auto problem = readPositive(3, tr("change ratio"), adjustment.changeRatio))
            return invalidEntry(*problem);
        adjustments.append(adjustment);
        timestamps.append(adjustment.timestamp);
    }
    if (adjustments.isEmpty())
        return invalid(
            tr("empty response: no difficulty adjustments for period %1").arg(periodText(period)));
    const OrderCheck order = checkOrder(timestamps, tr("adjustment %1: duplicate timestamp %2"),
        tr("adjustment %1: timestamp %2 breaks the order of the list (neither newest first nor "
           "oldest first)"));
    if (order.problem)
        return invalid(*order.problem);
    for (qsizetype i = 1; i < adjustments.size(); ++i) {
        const qint64 previous = adjustments[i - 1].height;
        const qint64 height = adjustments[i].height;
        if (order.descending ? height >= previous : height <= previous)
            return invalid(tr("adjustment %1: height %2 does not follow the order of the "
                              "timestamps (previous height %3)")
                               .arg(i)
                               .arg(height)
                               .arg(previous));
    }
    if (order.descending)
        std::reverse(adjustments.begin(), adjustments.end());
    return adjustments;
}

} // namespace Sluice
