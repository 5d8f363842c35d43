#pragma once

// Reads Binance spot klines (GET /api/v3/klines) for a half-open range of time, paging past
// 1000 klines a request, and validates every kline. Runs on the calling thread, which it blocks
// while it waits: a flow task's pool thread with its own QNetworkAccessManager, never the GUI
// thread.

#include <optional>

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QUrl>

#include "engine/result.h"
#include "sources/httpfetcher.h"

class QNetworkAccessManager;

namespace Sluice {

// One kline as Binance sends it, prices read from their decimal strings.
struct Kline
{
    qint64 openTime = 0; // seconds since the epoch (UTC): the start of the kline's slot
    double open = 0; // the price stored for the slot
    double high = 0;
    double low = 0;
    double close = 0;
    double volume = 0; // in the base asset (BTC); may be 0
    qint64 closeTimeMs = 0; // as sent: openTime * 1000 + interval - 1 for a closed kline

    friend bool operator==(const Kline &, const Kline &) = default;
};

// One request of a range: klines with open time in [start, end), at most limit of them.
struct KlinePage
{
    qint64 start = 0; // seconds; aligned to the interval
    qint64 end = 0; // seconds; exclusive
    int limit = 0;
    QUrl url;
};

class BinanceClient
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::BinanceClient)

public:
    static constexpr int MaxLimit = 1000; // klines per request, the API's maximum

    // network: the calling thread's manager. options.baseUrl is the API root
    // (https://api.binance.com, or SLUICE_BINANCE_URL through Settings::binanceUrl()).
    BinanceClient(QNetworkAccessManager *network, SourceOptions options);

    QString symbol() const { return m_symbol; }
    void setSymbol(const QString &symbol) { m_symbol = symbol; } // "BTCUSDT" by default
    QString interval() const { return m_interval; }
    qint64 intervalSeconds() const { return m_intervalSeconds; }
    // "5m" by default. Intervals that start at multiples of their length only: 1s 1m 3m 5m 15m
    // 30m 1h 2h 4h 6h 8h 12h 1d (not 3d, 1w, 1M).
    Result<void> setInterval(const QString &interval);
    static std::optional<qint64> intervalSeconds(const QString &interval);

    // The requests fetchKlines() makes for [start, end) (seconds): the slots whose start lies
    // in the range, MaxLimit a request, each asking startTime = its first slot (ms), endTime =
    // its end (ms) - 1, limit = its slot count. Empty when no slot starts in the range.
    QList<KlinePage> pages(qint64 start, qint64 end) const;

    // Every kline whose open time lies in [start, end) (seconds), ascending. All or nothing:
    // the first failing page fails the call and nothing of the earlier pages is returned.
    // Validated: an array of arrays of at least 7 fields; open and close times integers;
    // prices and volume decimal strings, prices > 0, volume >= 0, low <= open, close <= high;
    // open times multiples of the interval, strictly increasing (no duplicates), not before the
    // page's start. Klines at or after the end (the kline in progress) are dropped. No kline in
    // the whole range is an error ("empty response"), and so is a range where no slot starts.
    // A gap (a page or part of one without klines) is not an error: it stays a gap. Errors name
    // the page's URL and a kline by its index in that page's array ("kline 17: ...").
    // Blocks the calling thread (see HttpFetcher::fetchJson) for each page in turn.
    Result<QList<Kline>> fetchKlines(qint64 start, qint64 end);

    // Why the last fetchKlines() failed: its kind, HTTP status and Retry-After.
    const FetchFailure &lastFailure() const { return m_http.lastFailure(); }

    // The checks of fetchKlines() on one page's document already read: appends the page's
    // klines to klines (which holds the earlier pages'). Public for tests and the fuzz target.
    Result<void> readPage(const JsonNode &json, const KlinePage &page, QList<Kline> &klines);

private:
    // The request of one page; its URL is page.url.
    JsonRequest pageRequest(const KlinePage &page) const;
    std::optional<QString> readKline(const JsonNode &node, Kline &kline) const;

    HttpFetcher m_http;
    QString m_symbol = QStringLiteral("BTCUSDT");
    QString m_interval = QStringLiteral("5m");
    qint64 m_intervalSeconds = 300;
};

} // namespace Sluice
