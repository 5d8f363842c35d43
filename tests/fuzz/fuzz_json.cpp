// The JSON reader, whole and streamed, and the number readers: any bytes parse or fail cleanly
// (depth limited), the streamed read of the root array sees the same elements the tree holds,
// and every number token reads as an int64, a double or an exact integer consistently.

#include <cmath>

#include "fuzzcheck.h"
#include "sources/jsonnumber.h"
#include "sources/jsonpointer.h"
#include "sources/jsonreader.h"

using namespace Sluice;

namespace {

void readNumbers(const JsonNode &node)
{
    if (node.isNumber()) {
        FUZZ_CHECK(JsonNumber::isNumber(node.text));
        const std::optional<qint64> whole = JsonNumber::toInt64(node.text);
        const std::optional<double> real = JsonNumber::toDouble(node.text);
        if (whole) {
            FUZZ_CHECK(JsonNumber::isIntegerToken(node.text));
            const Result<Int128> exact = JsonNumber::toInt128(node.text);
            FUZZ_CHECK(exact);
        }
        if (real)
            FUZZ_CHECK(std::isfinite(*real));
        return;
    }
    for (const JsonNode &item : node.items)
        readNumbers(item);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView document(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<JsonNode> tree = JsonReader::read(document);
    std::size_t streamed = 0;
    const Result<JsonNode> stream = JsonReader::read(
        document, JsonPointer(), [&](qsizetype index, const JsonNode &) -> Result<void> {
            FUZZ_CHECK(std::size_t(index) == streamed);
            ++streamed;
            return {};
        });
    if (!tree) {
        FUZZ_CHECK(!stream);
        return 0;
    }
    readNumbers(*tree);
    if (tree->isArray()) {
        FUZZ_CHECK(stream);
        FUZZ_CHECK(streamed == tree->items.size());
        FUZZ_CHECK(stream->items.empty());
    } else {
        FUZZ_CHECK(!stream);
    }
    const Result<JsonPointer> first = JsonPointer::parse(QStringLiteral("/0"));
    FUZZ_CHECK(first);
    const JsonNode *found = first->find(*tree);
    FUZZ_CHECK(!found || (tree->isArray() && !tree->items.empty()) || tree->isObject());
    return 0;
}
