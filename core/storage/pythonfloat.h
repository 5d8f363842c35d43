#pragma once

// Formats a double exactly as Python's repr(float) does: the shortest digits that read back to
// the same double, plain notation for decimal exponents -4..15, scientific otherwise. Pure
// functions; call them from any thread.

#include <QByteArray>
#include <QString>

namespace Sluice::PythonFloat {

// Longest repr is "-2.2250738585072014e-308" (24 characters); this leaves room to spare.
inline constexpr int MaxLength = 32;

// Writes repr(value) at out, which must have room for MaxLength characters, and returns the end.
// Writes no terminating NUL. Examples: 67012.53, 100.0, -0.0, 1e+16, 1e-05, inf, nan.
char *write(double value, char *out);

QByteArray toUtf8(double value);
QString toString(double value);

} // namespace Sluice::PythonFloat
