#pragma once

// Reading the number tokens JsonReader keeps as text, and decimal strings such as Binance's
// prices: 64-bit integers, correctly rounded doubles and exact 128-bit integers. Pure functions,
// callable from any thread.

#include <optional>

#include <QByteArrayView>
#include <QString>

#include "engine/result.h"
#include "transform/exactinteger.h"

namespace Sluice {
struct JsonNode;
}

namespace Sluice::JsonNumber {

// Whether the text is a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool isNumber(QByteArrayView text);
// Whether a JSON number token is written as a whole number: no fraction, no exponent.
bool isIntegerToken(QByteArrayView token);

// A token written as a whole number that fits in 64 bits; nothing otherwise ("1.0", "1e3",
// 2^63 are refused: a timestamp is written as a plain integer).
std::optional<qint64> toInt64(QByteArrayView token);

// The double nearest to the text's decimal value (round half to even), as JavaScript, Python's
// float() and strtod read it; nothing when the text is not a JSON number or the value is not
// finite (beyond the double range).
std::optional<double> toDouble(QByteArrayView text);

// An exact integer from a JSON number token, read the way Python's json module reads it:
// - a token written as a whole number ("736575040256689400000") is that integer, exactly,
//   whatever its size up to 2^127 - 1;
// - a token with a fraction or an exponent ("7.365750402566894e+20", "1.5") is a float to
//   JSON readers: it is read as the nearest double, and the result is that double's floor,
//   exactly (7.365750402566894e+20 becomes 736575040256689438720, the integer the double
//   denotes, not 736575040256689400000; "1.5" becomes 1). Going through the double is
//   unavoidable there: the sender (JavaScript) held a double and printed its shortest digits.
// *viaDouble (when given) tells which of the two happened. Malformed tokens and values beyond
// 2^127 - 1 are an Error quoting the token.
Result<Int128> toInt128(QByteArrayView token, bool *viaDouble = nullptr);

// A field of a response that must be a whole number >= 0 (toInt64): nothing when it is, and
// out holds it; else the problem, naming field: "open time is a string, expected an integer",
// or notWhole with %1 the field and %2 the token ("%1 %2 is not a whole number of seconds").
std::optional<QString> readWholeNumber(
    const JsonNode &value, const QString &field, const QString &notWhole, qint64 &out);

} // namespace Sluice::JsonNumber
