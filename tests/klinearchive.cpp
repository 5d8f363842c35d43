#include "klinearchive.h"

#include <QJsonDocument>

namespace {

QString cents(qint64 value)
{
    return QStringLiteral("%1.%2000000").arg(value / 100).arg(value % 100, 2, 10, QLatin1Char('0'));
}

} // namespace

KlineArchive KlineArchive::fromJson(const QByteArray &json)
{
    KlineArchive archive;
    archive.m_klines = QJsonDocument::fromJson(json).array();
    return archive;
}

KlineArchive KlineArchive::generate(qint64 startSeconds, int count, qint64 intervalSeconds)
{
    KlineArchive archive;
    const auto openCents = [](qint64 i) { return 6000000 + (i * 7919) % 1000000; };
    for (int i = 0; i < count; ++i) {
        const qint64 openMs = (startSeconds + i * intervalSeconds) * 1000;
        const qint64 open = openCents(i);
        const qint64 close = openCents(i + 1);
        const qint64 high = std::max(open, close) + 1234;
        const qint64 low = std::min(open, close) - 567;
        archive.m_klines.append(QJsonArray{ openMs, cents(open), cents(high), cents(low),
            cents(close), QStringLiteral("12.34500000"), openMs + intervalSeconds * 1000 - 1,
            QStringLiteral("780000.00000000"), 1000 + i, QStringLiteral("6.00000000"),
            QStringLiteral("380000.00000000"), QStringLiteral("0") });
    }
    return archive;
}

qint64 KlineArchive::openTimeMs(int index) const
{
    return kline(index).at(0).toInteger();
}

QByteArray KlineArchive::openText(int index) const
{
    return kline(index).at(1).toString().toLatin1();
}

QByteArray KlineArchive::page(qint64 startTimeMs, qint64 endTimeMs, int limit) const
{
    if (limit <= 0)
        limit = 500;
    limit = std::min(limit, 1000);
    // Klines are in ascending order: find the first at or after startTimeMs by bisection, so a
    // year of klines (105,000) answers each page quickly.
    qsizetype low = 0;
    qsizetype high = m_klines.size();
    while (low < high) {
        const qsizetype middle = (low + high) / 2;
        if (m_klines.at(middle).toArray().at(0).toInteger() < startTimeMs)
            low = middle + 1;
        else
            high = middle;
    }
    QJsonArray selected;
    for (qsizetype i = low; i < m_klines.size() && selected.size() < limit; ++i) {
        const QJsonValue value = m_klines.at(i);
        if (value.toArray().at(0).toInteger() > endTimeMs)
            break;
        selected.append(value);
    }
    return QJsonDocument(selected).toJson(QJsonDocument::Compact);
}

HttpFixture::Response KlineArchive::respond(const HttpFixture::Request &request) const
{
    bool ok = true;
    const auto number = [&](const QString &key, qint64 fallback) {
        const QString text = request.queryValue(key);
        if (text.isEmpty())
            return fallback;
        bool parsed = false;
        const qint64 value = text.toLongLong(&parsed);
        ok = ok && parsed;
        return value;
    };
    const qint64 start = number(QStringLiteral("startTime"), 0);
    const qint64 end = number(QStringLiteral("endTime"), std::numeric_limits<qint64>::max());
    const int limit = int(number(QStringLiteral("limit"), 500));
    if (!ok)
        return HttpFixture::Response::json(
            R"({"code":-1100,"msg":"Illegal characters found in a parameter."})", 400);
    return HttpFixture::Response::json(page(start, end, limit));
}

HttpFixture::Handler KlineArchive::handler() const
{
    return
        [archive = *this](const HttpFixture::Request &request) { return archive.respond(request); };
}
