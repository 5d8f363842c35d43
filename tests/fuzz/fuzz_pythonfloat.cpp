// Python-float formatting of the CSV export: for any double, the text reads back to the same
// double and no shorter digit string does (Python's repr is the shortest round trip).

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "fuzzcheck.h"
#include "storage/pythonfloat.h"

using namespace Sluice;

namespace {

// The number of significant digits in a repr text: leading and trailing zeros aside ("100.0"
// and "1e-05" have one).
int significantDigits(const char *text)
{
    std::string digits;
    for (const char *c = text; *c && *c != 'e'; ++c) {
        if (*c >= '0' && *c <= '9')
            digits += *c;
    }
    const std::size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos)
        return 0;
    const std::size_t last = digits.find_last_not_of('0');
    return int(last - first + 1);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size != sizeof(double))
        return 0;
    double value;
    std::memcpy(&value, data, sizeof value);
    char buffer[PythonFloat::MaxLength + 1];
    char *end = PythonFloat::write(value, buffer);
    FUZZ_CHECK(end > buffer && end - buffer <= PythonFloat::MaxLength);
    *end = '\0';
    if (std::isnan(value)) {
        FUZZ_CHECK(std::strcmp(buffer, "nan") == 0);
        return 0;
    }
    if (std::isinf(value)) {
        FUZZ_CHECK(std::strcmp(buffer, value > 0 ? "inf" : "-inf") == 0);
        return 0;
    }
    const double back = std::strtod(buffer, nullptr);
    FUZZ_CHECK(std::memcmp(&back, &value, sizeof value) == 0);
    // No shorter form reads back: printing one significant digit fewer loses the value.
    const int digits = significantDigits(buffer);
    if (digits > 1 && value != 0) {
        char shorter[64];
        std::snprintf(shorter, sizeof shorter, "%.*e", digits - 2, value);
        FUZZ_CHECK(std::strtod(shorter, nullptr) != value);
    }
    return 0;
}
