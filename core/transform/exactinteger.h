#pragma once

// Exact 128-bit integers for hash rates (about 7e20, beyond 64 bits): parsing from the decimal
// or scientific text of a JSON number, printing, and conversion to double. Pure functions,
// callable from any thread.

#include <bit>

#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include "engine/result.h"

namespace Sluice {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

namespace ExactInteger {

    // The largest magnitude Int128 holds: 2^127 - 1.
    inline constexpr Int128 Max = Int128(~UInt128(0) >> 1);

    // Reads a number in the notation of JSON numbers and decimal strings: an optional sign,
    // digits with an optional fraction, an optional exponent ("736575040256689000000",
    // "7.36575040256689e+20", "-12", "1.5E3"; also "+5", "5." and ".5"). No spaces, no
    // hexadecimal, no "inf"/"nan". Pass the number's text from the JSON document, not a
    // double QJsonValue made of it: that double is already rounded.
    // The value is exact: "7.36575040256689e+20" is 736575040256689000000, not the nearest double.
    // A value that is not a whole number keeps its floor, like the interpolation's floor
    // division ("1.9" is 1, "-1.5" is -2); *exact (when given) tells whether nothing was dropped.
    // A magnitude beyond 2^127 - 1 or malformed text is an Error quoting the text.
    Result<Int128> parse(QStringView text, bool *exact = nullptr);
    Result<Int128> parse(QByteArrayView text, bool *exact = nullptr);

    // The exact value of a finite double's floor (a JSON number read as a double: exact for
    // whole doubles, which every double beyond 2^53 is). NaN, infinities and magnitudes beyond
    // 2^127 - 1 are an Error.
    Result<Int128> fromDouble(double value);

    // The nearest double (round half to even), as static_cast<double> gives, but inline and
    // without a library call: the fill loops convert every slot.
    inline double toDouble(Int128 value)
    {
        if (value == Int128(qint64(value)))
            return double(qint64(value));
        // Here the magnitude is at least 2^63. Keep its top 63 bits and fold the dropped ones
        // into a sticky lowest bit: rounding 63 bits to 53 then sees what it would see in the
        // whole value, and a signed 64-bit conversion (one instruction) does the rounding.
        const bool negative = value < 0;
        const UInt128 magnitude = negative ? UInt128(0) - UInt128(value) : UInt128(value);
        const quint64 high = quint64(magnitude >> 64);
        const int bits = high != 0 ? 128 - __builtin_clzll(high) : 64;
        const int shift = bits - 63; // 1..65
        const bool sticky = (magnitude & ((UInt128(1) << shift) - 1)) != 0;
        const qint64 top = qint64(magnitude >> shift) | qint64(sticky);
        const double scale = std::bit_cast<double>(quint64(1023 + shift) << 52); // 2^shift
        const double result = double(top) * scale;
        return negative ? -result : result;
    }

    // Decimal digits with a leading '-' when negative.
    QString toString(Int128 value);

    // floor(numerator / denominator) for denominator > 0 (C++ division truncates instead).
    inline Int128 floorDiv(Int128 numerator, Int128 denominator)
    {
        Int128 quotient = numerator / denominator;
        if ((numerator % denominator) < 0)
            --quotient;
        return quotient;
    }

} // namespace ExactInteger
} // namespace Sluice
