#include "transform/exactinteger.h"

#include <cmath>

#include <QCoreApplication>

namespace Sluice::ExactInteger {

namespace {

    // The text for a message: quoted, and cut short when someone feeds a megabyte of digits.
    template <typename Char> QString quoted(const Char *begin, const Char *end)
    {
        QString text;
        for (const Char *c = begin; c != end && text.size() < 64; ++c)
            text += QChar(char16_t(*c));
        if (end - begin > 64)
            text += QStringLiteral("...");
        return u'"' + text + u'"';
    }

    template <typename Char> bool isDigit(Char c)
    {
        return c >= Char('0') && c <= Char('9');
    }

    // The grammar of a JSON number, relaxed to allow a leading '+', "5." and ".5".
    template <typename Char>
    Result<Int128> parseText(const Char *begin, const Char *end, bool *exact)
    {
        const auto malformed = [&] {
            return Error{ QCoreApplication::translate(
                              "Sluice::ExactInteger", "not a decimal number: %1")
                              .arg(quoted(begin, end)),
                QString() };
        };
        const Char *c = begin;
        bool negative = false;
        if (c != end && (*c == Char('-') || *c == Char('+')))
            negative = *c++ == Char('-');

        const Char *integerBegin = c;
        while (c != end && isDigit(*c))
            ++c;
        const Char *integerEnd = c;
        const Char *fractionBegin = c;
        const Char *fractionEnd = c;
        if (c != end && *c == Char('.')) {
            fractionBegin = ++c;
            while (c != end && isDigit(*c))
                ++c;
            fractionEnd = c;
        }
        if (integerBegin == integerEnd && fractionBegin == fractionEnd)
            return malformed();

        qint64 exponent = 0;
        if (c != end && (*c == Char('e') || *c == Char('E'))) {
            ++c;
            bool negativeExponent = false;
            if (c != end && (*c == Char('-') || *c == Char('+')))
                negativeExponent = *c++ == Char('-');
            if (c == end || !isDigit(*c))
                return malformed();
            // Saturate: no text is long enough for an exponent past 10^15 to matter.
            for (; c != end && isDigit(*c); ++c)
                exponent = std::min<qint64>(exponent * 10 + (*c - Char('0')), qint64(1e15));
            if (negativeExponent)
                exponent = -exponent;
        }
        if (c != end)
            return malformed();

        // The value is digits * 10^(exponent - fraction length), digits being the integer and
        // fraction digits in a row. Position p of that row has weight 10^(wholeDigits - 1 - p).
        const qint64 fractionLength = fractionEnd - fractionBegin;
        const qint64 digitCount = (integerEnd - integerBegin) + fractionLength;
        const auto digitAt = [&](qint64 p) {
            const qint64 integerLength = integerEnd - integerBegin;
            return p < integerLength ? int(integerBegin[p] - Char('0'))
                                     : int(fractionBegin[p - integerLength] - Char('0'));
        };
        const qint64 wholeDigits = (integerEnd - integerBegin) + exponent;

        const UInt128 limit = UInt128(Max);
        UInt128 magnitude = 0;
        bool dropped = false;
        for (qint64 p = 0; p < digitCount; ++p) {
            const int digit = digitAt(p);
            if (p >= wholeDigits) {
                dropped = dropped || digit != 0;
                continue;
            }
            if (magnitude > (limit - UInt128(digit)) / 10)
                return Error{ QCoreApplication::translate("Sluice::ExactInteger",
                                  "the number %1 is beyond the 128-bit range")
                                  .arg(quoted(begin, end)),
                    QString() };
            magnitude = magnitude * 10 + UInt128(digit);
        }
        // Trailing zeros the exponent adds past the written digits.
        for (qint64 zeros = wholeDigits - digitCount; zeros > 0 && magnitude != 0; --zeros) {
            if (magnitude > limit / 10)
                return Error{ QCoreApplication::translate("Sluice::ExactInteger",
                                  "the number %1 is beyond the 128-bit range")
                                  .arg(quoted(begin, end)),
                    QString() };
            magnitude *= 10;
        }
        if (exact)
            *exact = !dropped;
        if (!negative)
            return Int128(magnitude);
        // Floor: a dropped fraction of a negative number moves it one further down.
        if (dropped) {
            if (magnitude == limit)
                return Error{ QCoreApplication::translate("Sluice::ExactInteger",
                                  "the number %1 is beyond the 128-bit range")
                                  .arg(quoted(begin, end)),
                    QString() };
            ++magnitude;
        }
        return -Int128(magnitude);
    }

} // namespace

Result<Int128> parse(QStringView text, bool *exact)
{
    return parseText(text.utf16(), text.utf16() + text.size(), exact);
}

Result<Int128> parse(QByteArrayView text, bool *exact)
{
    return parseText(text.data(), text.data() + text.size(), exact);
}

Result<Int128> fromDouble(double value)
{
    if (!std::isfinite(value))
        return Error{ QCoreApplication::translate("Sluice::ExactInteger", "not a finite number: %1")
                          .arg(value),
            QString() };
    const double whole = std::floor(value);
    // 2^127 is the first double beyond the range; -2^127 is kept out for symmetry.
    if (std::fabs(whole) >= 0x1p127)
        return Error{ QCoreApplication::translate(
                          "Sluice::ExactInteger", "the number %1 is beyond the 128-bit range")
                          .arg(value, 0, 'g', 17),
            QString() };
    return static_cast<Int128>(whole);
}

QString toString(Int128 value)
{
    UInt128 magnitude = value < 0 ? UInt128(0) - UInt128(value) : UInt128(value);
    char digits[41];
    char *p = digits + sizeof digits;
    do {
        *--p = char('0' + int(magnitude % 10));
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0)
        *--p = '-';
    return QString::fromLatin1(p, digits + sizeof digits - p);
}

} // namespace Sluice::ExactInteger
