// The CSV reader of the import step: any bytes read or fail cleanly, record lines only grow,
// and a record written back with full quoting reads again as the same fields.

#include <string>
#include <vector>

#include "fuzzcheck.h"
#include "storage/csvreader.h"

using namespace Sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    // The first byte chooses the delimiter, as the step's `delimiter` would.
    static const char delimiters[] = { ',', ';', '\t', '|' };
    const char delimiter = delimiters[data[0] % 4];
    CsvReader reader = CsvReader::fromData(
        QByteArray(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)),
        QStringLiteral("fuzz.csv"), delimiter);
    qint64 lastLine = 0;
    std::vector<std::vector<std::string>> records;
    while (true) {
        const Result<bool> more = reader.next();
        if (!more || !*more)
            break;
        FUZZ_CHECK(reader.line() > lastLine);
        lastLine = reader.line();
        FUZZ_CHECK(!reader.fields().empty());
        std::vector<std::string> fields;
        for (std::string_view field : reader.fields())
            fields.emplace_back(field);
        records.push_back(std::move(fields));
    }
    // Write what was read with every field quoted; reading it must give it back.
    QByteArray written;
    for (const std::vector<std::string> &fields : records) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i)
                written += delimiter;
            written += '"';
            written += QByteArray::fromStdString(fields[i]).replace("\"", "\"\"");
            written += '"';
        }
        written += '\n';
    }
    CsvReader again = CsvReader::fromData(written, QStringLiteral("again.csv"), delimiter);
    for (const std::vector<std::string> &fields : records) {
        const Result<bool> more = again.next();
        FUZZ_CHECK(more && *more);
        FUZZ_CHECK(again.fields().size() == fields.size());
        for (std::size_t i = 0; i < fields.size(); ++i)
            FUZZ_CHECK(again.fields()[i] == fields[i]);
    }
    return 0;
}
