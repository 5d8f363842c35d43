#include "sources/binanceclient.h"

#include <QDateTime>
#include <QUrlQuery>

#include "sources/jsonnumber.h"
#include "sources/jsonreader.h"

namespace Sluice {

namespace {

    struct IntervalLength
    {
        const char *name;
        qint64 seconds;
    };

    constexpr IntervalLength intervalLengths[] = {
        { "1s", 1 },
        { "1m", 60 },
        { "3m", 180 },
        { "5m", 300 },
        { "15m", 900 },
        { "30m", 1800 },
        { "1h", 3600 },
        { "2h", 7200 },
        { "4h", 14400 },
        { "6h", 21600 },
        { "8h", 28800 },
        { "12h", 43200 },
        { "1d", 86400 },
    };

    qint64 ceilToMultiple(qint64 value, qint64 step)
    {
        const qint64 floor = value / step * step - (value % step < 0 ? step : 0);
        return floor == value ? value : floor + step;
    }

    QString klinesPath()
    {
        return QStringLiteral("/api/v3/klines");
    }

    QString isoTime(qint64 seconds)
    {
        return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(Qt::ISODate);
    }

} // namespace

BinanceClient::BinanceClient(QNetworkAccessManager *network, SourceOptions options)
    : m_http(network, std::move(options))
{ }

std::optional<qint64> BinanceClient::intervalSeconds(const QString &interval)
{
    for (const IntervalLength &length : intervalLengths) {
        if (interval == QLatin1String(length.name))
            return length.seconds;
    }
    return std::nullopt;
}

Result<void> BinanceClient::setInterval(const QString &interval)
{
    const std::optional<qint64> seconds = intervalSeconds(interval);
    if (!seconds) {
        QStringList names;
        for (const IntervalLength &length : intervalLengths)
            names << QLatin1String(length.name);
        return Error{ tr("unsupported kline interval \"%1\" (one of %2)")
                          .arg(interval, names.join(QLatin1String(", "))),
            m_http.endpoint(klinesPath()).toDisplayString(), ErrorCode::Permanent };
    }
    m_interval = interval;
    m_intervalSeconds = *seconds;
    return {};
}

QList<KlinePage> BinanceClient::pages(qint64 start, qint64 end) const
{
    QList<KlinePage> pages;
    const qint64 step = m_intervalSeconds;
    for (qint64 first = ceilToMultiple(start, step); first < end;) {
        KlinePage page;
        page.start = first;
        page.end = std::min(end, first + step * MaxLimit);
        page.limit = int((page.end - page.start + step - 1) / step);
        const JsonRequest request = pageRequest(page);
        page.url = m_http.endpoint(request.path, request.query);
        pages.append(page);
        first = page.end;
    }
    return pages;
}

JsonRequest BinanceClient::pageRequest(const KlinePage &page) const
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("symbol"), m_symbol);
    query.addQueryItem(QStringLiteral("interval"), m_interval);
    query.addQueryItem(QStringLiteral("startTime"), QString::number(page.start * 1000));
    query.addQueryItem(QStringLiteral("endTime"), QString::number(page.end * 1000 - 1));
    query.addQueryItem(QStringLiteral("limit"), QString::number(page.limit));
    return JsonRequest(klinesPath(), query);
}

Result<QList<Kline>> BinanceClient::fetchKlines(qint64 start, qint64 end)
{
    const QList<KlinePage> requests = pages(start, end);
    if (requests.isEmpty()) {
        return m_http.invalidRequest(m_http.endpoint(klinesPath()),
            tr("no %1 kline starts in [%2, %3)").arg(m_interval, isoTime(start), isoTime(end)));
    }
    QList<Kline> klines;
    klines.reserve(int((requests.last().end - requests.first().start) / m_intervalSeconds + 1));
    for (const KlinePage &page : requests) {
        const Result<JsonResponse> response = m_http.fetchJson(pageRequest(page));
        if (!response)
            return response.error();
        if (const Result<void> read = readPage(response->document, page, klines); !read)
            return read.error();
    }
    if (klines.isEmpty()) {
        QString problem =
            tr("empty response: no klines in [%1, %2)").arg(isoTime(start), isoTime(end));
        if (requests.size() > 1)
            problem =
                tr("%1 (none in any of %n requests)", nullptr, int(requests.size())).arg(problem);
        return m_http.invalidResponse(requests.first().url, problem);
    }
    return klines;
}

Result<void> BinanceClient::readPage(
    const JsonNode &json, const KlinePage &page, QList<Kline> &klines)
{
    if (!json.isArray())
        return m_http.invalidResponse(
            page.url, tr("expected a JSON array of klines, got %1").arg(json.typeName()));

    std::optional<qint64> previousMs;
    if (!klines.isEmpty())
        previousMs = klines.last().openTime * 1000;
    for (size_t i = 0; i < json.items.size(); ++i) {
        const JsonNode &node = json.items[i];
        const auto invalid = [&](const QString &problem) {
            return m_http.invalidResponse(page.url, tr("kline %1: %2").arg(i).arg(problem));
        };
        Kline kline;
        if (const std::optional<QString> problem = readKline(node, kline))
            return invalid(*problem);
        const qint64 openMs = kline.openTime * 1000;
        if (openMs < page.start * 1000)
            return invalid(tr("open time %1 is before the requested start %2")
                               .arg(openMs)
                               .arg(page.start * 1000));
        if (previousMs && openMs == *previousMs)
            return invalid(tr("duplicate open time %1").arg(openMs));
        if (previousMs && openMs < *previousMs)
            return invalid(tr("open time %1 comes before the previous kline's %2 (out of order)")
                               .arg(openMs)
                               .arg(*previousMs));
        previousMs = openMs;
        // The kline in progress, or anything past the page: not part of this range.
        if (openMs >= page.end * 1000)
            continue;
        klines.append(kline);
    }
    return {};
}

// Reads and checks one kline on its own; nullopt when it is fine, else the problem.
std::optional<QString> BinanceClient::readKline(const JsonNode &node, Kline &kline) const
{
    if (!node.isArray())
        return tr("expected an array, got %1").arg(node.typeName());
    if (node.items.size() < 7)
        return tr("expected at least 7 fields, got %1").arg(node.items.size());

    const auto readTime = [&](size_t index, const QString &field, qint64 &ms) {
        return JsonNumber::readWholeNumber(
            node.items[index], field, tr("%1 %2 is not a whole number of milliseconds"), ms);
    };
    const auto readDecimal = [&](size_t index, const QString &field, bool allowZero,
                                 double &number) -> std::optional<QString> {
        const JsonNode &value = node.items[index];
        // Binance sends prices as strings, exactly as they are stored; a number here means the
        // API changed, which we want to hear about rather than guess.
        if (!value.isString())
            return tr("%1 is %2, expected a decimal string").arg(field, value.typeName());
        const std::optional<double> parsed = JsonNumber::toDouble(value.text);
        if (!parsed)
            return tr("%1 \"%2\" is not a decimal number")
                .arg(field, QString::fromUtf8(value.text.left(64)));
        if (*parsed < 0 || (*parsed == 0 && !allowZero))
            return tr("%1 \"%2\" is not positive").arg(field, QString::fromUtf8(value.text));
        number = *parsed;
        return std::nullopt;
    };

    qint64 openMs = 0;
    if (auto problem = readTime(0, tr("open time"), openMs))
        return problem;
    if (auto problem = readDecimal(1, tr("open price"), false, kline.open))
        return problem;
    if (auto problem = readDecimal(2, tr("high price"), false, kline.high))
        return problem;
    if (auto problem = readDecimal(3, tr("low price"), false, kline.low))
        return problem;
    if (auto problem = readDecimal(4, tr("close price"), false, kline.close))
        return problem;
    if (auto problem = readDecimal(5, tr("volume"), true, kline.volume))
        return problem;
    if (auto problem = readTime(6, tr("close time"), kline.closeTimeMs))
        return problem;

    const qint64 stepMs = m_intervalSeconds * 1000;
    if (openMs % stepMs != 0)
        return tr("open time %1 is not a multiple of %2 ms").arg(openMs).arg(stepMs);
    if (kline.closeTimeMs <= openMs)
        return tr("close time %1 is not after open time %2").arg(kline.closeTimeMs).arg(openMs);
    if (kline.low > kline.open || kline.low > kline.close || kline.high < kline.open
        || kline.high < kline.close)
        return tr("prices are inconsistent: open %1, high %2, low %3, close %4")
            .arg(QString::fromUtf8(node.items[1].text), QString::fromUtf8(node.items[2].text),
                QString::fromUtf8(node.items[3].text), QString::fromUtf8(node.items[4].text));
    kline.openTime = openMs / 1000;
    return std::nullopt;
}

} // namespace Sluice
