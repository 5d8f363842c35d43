#include "storage/pythonfloat.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace Sluice::PythonFloat {

namespace {

    char *copy(const char *text, char *out)
    {
        const std::size_t length = std::strlen(text);
        std::memcpy(out, text, length);
        return out + length;
    }

    char *fill(char *out, char c, int count)
    {
        for (int i = 0; i < count; ++i)
            *out++ = c;
        return out;
    }

} // namespace

// std::to_chars in scientific format gives the shortest round-trip digits (libstdc++ uses
// Ryu), the same digits as Python's dtoa in mode 0; only their layout differs. Python's rule
// (PyOS_double_to_string, 'r' mode): with the value written 0.DIGITS x 10^decpt, use an
// exponent when decpt <= -4 or decpt > 16. With to_chars' exponent e = decpt - 1 that is
// plain notation for -4 <= e <= 15.
char *write(double value, char *out)
{
    if (std::isnan(value))
        return copy("nan", out);
    if (std::isinf(value))
        return copy(value < 0 ? "-inf" : "inf", out);

    char text[MaxLength];
    const std::to_chars_result result =
        std::to_chars(text, text + sizeof text, value, std::chars_format::scientific);
    const char *p = text;
    if (*p == '-') {
        *out++ = '-';
        ++p;
    }
    char digits[24]; // at most 17 significant digits
    int count = 0;
    for (; *p != 'e'; ++p) {
        if (*p != '.')
            digits[count++] = *p;
    }
    ++p; // 'e'
    const bool negativeExponent = *p++ == '-';
    int exponent = 0;
    for (; p < result.ptr; ++p)
        exponent = exponent * 10 + (*p - '0');
    if (negativeExponent)
        exponent = -exponent;

    if (exponent < -4 || exponent > 15) {
        // d[.ddd]e±XX with at least two exponent digits: 1e+16, 1e-05, 5e-324.
        *out++ = digits[0];
        if (count > 1) {
            *out++ = '.';
            std::memcpy(out, digits + 1, count - 1);
            out += count - 1;
        }
        *out++ = 'e';
        *out++ = negativeExponent ? '-' : '+';
        const int magnitude = negativeExponent ? -exponent : exponent;
        if (magnitude < 10)
            *out++ = '0';
        return std::to_chars(out, out + 4, magnitude).ptr;
    }
    if (exponent < 0) {
        // 0.000123
        *out++ = '0';
        *out++ = '.';
        out = fill(out, '0', -exponent - 1);
        std::memcpy(out, digits, count);
        return out + count;
    }
    const int integerDigits = exponent + 1;
    if (integerDigits < count) {
        // 67012.53
        std::memcpy(out, digits, integerDigits);
        out += integerDigits;
        *out++ = '.';
        std::memcpy(out, digits + integerDigits, count - integerDigits);
        return out + count - integerDigits;
    }
    // A whole number keeps ".0": 100.0, 0.0, 1000000000000000.0
    std::memcpy(out, digits, count);
    out = fill(out + count, '0', integerDigits - count);
    *out++ = '.';
    *out++ = '0';
    return out;
}

QByteArray toUtf8(double value)
{
    char buffer[MaxLength];
    return QByteArray(buffer, write(value, buffer) - buffer);
}

QString toString(double value)
{
    char buffer[MaxLength];
    return QString::fromLatin1(buffer, write(value, buffer) - buffer);
}

} // namespace Sluice::PythonFloat
