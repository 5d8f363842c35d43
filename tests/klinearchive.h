#pragma once

// The klines of a period, recorded (a Binance response in tests/fixtures) or generated, that
// answers GET /api/v3/klines the way Binance does: open times from startTime to endTime (ms,
// both inclusive), the first `limit` of them (default 500, at most 1000), ascending. A value;
// its handler() is used on the thread of the HttpFixture it is routed on.

#include <QByteArray>
#include <QJsonArray>
#include <QList>

#include "httpfixture.h"

class KlineArchive
{
public:
    // The klines of a Binance klines response (an array of arrays).
    static KlineArchive fromJson(const QByteArray &json);
    // count klines from startSeconds (aligned to the interval), prices between 60000.00 and
    // 69999.99 from an integer formula, so tests can state them without the client's parser.
    static KlineArchive generate(qint64 startSeconds, int count, qint64 intervalSeconds = 300);

    int size() const { return int(m_klines.size()); }
    qint64 openTimeMs(int index) const;
    QByteArray openText(int index) const; // the open price string, "63328.01000000"
    QJsonArray kline(int index) const { return m_klines.at(index).toArray(); }

    // The JSON array Binance would answer (limit <= 0: the default of 500).
    QByteArray page(qint64 startTimeMs, qint64 endTimeMs, int limit) const;
    HttpFixture::Response respond(const HttpFixture::Request &request) const;
    HttpFixture::Handler handler() const;

private:
    QJsonArray m_klines;
};
