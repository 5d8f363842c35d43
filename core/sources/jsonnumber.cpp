#include "sources/jsonnumber.h"

#include <charconv>
#include <cmath>

#include <QCoreApplication>
#include <QString>

#include "sources/jsonreader.h"

namespace Sluice::JsonNumber {

namespace {

    bool isDigit(char c)
    {
        return c >= '0' && c <= '9';
    }

    QString quoted(QByteArrayView text)
    {
        const QString shown = QString::fromLatin1(text.first(std::min<qsizetype>(text.size(), 64)));
        return u'"' + shown + (text.size() > 64 ? QStringLiteral("...\"") : QStringLiteral("\""));
    }

    // For a valid JSON number with a nonzero digit: the position of its first nonzero digit
    // relative to the decimal point, exponent included (1 for "5", 0 for "0.5", 21 for
    // "1e20"); saturated far beyond the double range.
    qint64 decimalOrder(QByteArrayView text)
    {
        const char *c = text.data();
        const char *end = c + text.size();
        if (*c == '-')
            ++c;
        qint64 order = 0;
        bool seenNonZero = false;
        for (; c != end && isDigit(*c); ++c) {
            seenNonZero = seenNonZero || *c != '0';
            if (seenNonZero)
                ++order;
        }
        if (c != end && *c == '.') {
            for (++c; c != end && isDigit(*c); ++c) {
                if (seenNonZero)
                    continue;
                if (*c != '0')
                    seenNonZero = true;
                else
                    --order;
            }
        }
        qint64 exponent = 0;
        if (c != end && (*c == 'e' || *c == 'E')) {
            ++c;
            const bool negative = c != end && *c == '-';
            if (c != end && (*c == '+' || *c == '-'))
                ++c;
            for (; c != end && isDigit(*c); ++c)
                exponent = std::min<qint64>(exponent * 10 + (*c - '0'), qint64(1) << 40);
            if (negative)
                exponent = -exponent;
        }
        return order + exponent;
    }

} // namespace

bool isNumber(QByteArrayView text)
{
    const char *c = text.data();
    const char *end = c + text.size();
    if (c != end && *c == '-')
        ++c;
    if (c == end || !isDigit(*c))
        return false;
    if (*c++ != '0') {
        while (c != end && isDigit(*c))
            ++c;
    }
    if (c != end && *c == '.') {
        if (++c == end || !isDigit(*c))
            return false;
        while (c != end && isDigit(*c))
            ++c;
    }
    if (c != end && (*c == 'e' || *c == 'E')) {
        ++c;
        if (c != end && (*c == '+' || *c == '-'))
            ++c;
        if (c == end || !isDigit(*c))
            return false;
        while (c != end && isDigit(*c))
            ++c;
    }
    return c == end;
}

bool isIntegerToken(QByteArrayView token)
{
    for (const char c : token) {
        if (c == '.' || c == 'e' || c == 'E')
            return false;
    }
    return !token.isEmpty();
}

std::optional<qint64> toInt64(QByteArrayView token)
{
    if (!isNumber(token) || !isIntegerToken(token))
        return std::nullopt;
    qint64 value = 0;
    const char *end = token.data() + token.size();
    const auto [ptr, ec] = std::from_chars(token.data(), end, value);
    if (ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

std::optional<double> toDouble(QByteArrayView text)
{
    if (!isNumber(text))
        return std::nullopt;
    double value = 0;
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    // result_out_of_range: beyond the double range, or so small that it underflows. A JSON
    // number that small is zero to every reader; one that large is not a number we can hold.
    if (ec == std::errc::result_out_of_range)
        return decimalOrder(text) > 0 ? std::nullopt : std::optional<double>(0.0);
    if (ec != std::errc() || ptr != end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

Result<Int128> toInt128(QByteArrayView token, bool *viaDouble)
{
    if (!isNumber(token))
        return Error{ QCoreApplication::translate("Sluice::JsonNumber", "not a JSON number: %1")
                          .arg(quoted(token)),
            QString() };
    if (isIntegerToken(token)) {
        if (viaDouble)
            *viaDouble = false;
        return ExactInteger::parse(token);
    }
    if (viaDouble)
        *viaDouble = true;
    const std::optional<double> value = toDouble(token);
    if (!value)
        return Error{ QCoreApplication::translate(
                          "Sluice::JsonNumber", "the number %1 is beyond the 128-bit range")
                          .arg(quoted(token)),
            QString() };
    return ExactInteger::fromDouble(*value);
}

std::optional<QString> readWholeNumber(
    const JsonNode &value, const QString &field, const QString &notWhole, qint64 &out)
{
    if (!value.isNumber())
        return QCoreApplication::translate("Sluice::JsonNumber", "%1 is %2, expected an integer")
            .arg(field, value.typeName());
    const std::optional<qint64> parsed = toInt64(value.text);
    if (!parsed || *parsed < 0)
        return notWhole.arg(field, QString::fromLatin1(value.text));
    out = *parsed;
    return std::nullopt;
}

} // namespace Sluice::JsonNumber
