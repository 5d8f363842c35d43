#pragma once

// Encodes rows as CSV (RFC 4180 quoting, Python repr doubles) into a large buffer in front of
// a QIODevice: numbers are formatted straight into the buffer. Lives on the thread that writes.

#include <cstddef>
#include <vector>

#include <QString>
#include <QtGlobal>

class QIODevice;

namespace Sluice {

// How the text is laid out: RFC 4180 quoting always (a field holding the delimiter, a quote,
// CR or LF is quoted, quotes doubled); the rest is chosen here.
struct CsvFormat
{
    enum class LineEnding { CrLf, Lf };

    char delimiter = ','; // CsvExporter::parseDelimiter() says which characters may be one
    bool header = true;
    LineEnding lineEnding = LineEnding::CrLf;
    // Text cells starting with = + - @ tab or CR get a leading ' so that a spreadsheet does not
    // run them as formulas. Numbers (INTEGER and REAL values) are never changed.
    bool spreadsheetSafe = true;
};

class CsvWriter
{
public:
    static constexpr std::size_t DefaultBufferSize = 1 << 20;

    CsvWriter(
        QIODevice *device, const CsvFormat &format, std::size_t bufferSize = DefaultBufferSize);

    // One field each; the delimiter goes in between by itself.
    void writeInteger(qint64 value);
    void writeDouble(double value); // as Python's repr: 67012.53, 7.365750402566894e+20
    void writeText(const char *utf8, std::size_t size); // quoted and neutralised as needed
    void writeText(const QString &text);
    void writeBlob(const unsigned char *data, std::size_t size); // lowercase hex
    void writeNull(); // an empty field
    void endRow();

    // Hands the buffer to the device. After a failed write everything else is dropped and
    // failed() stays true; errorString() is the device's reason.
    bool flush();
    bool failed() const { return m_failed; }
    QString errorString() const { return m_error; }
    qint64 bytes() const { return m_written + (m_pos - m_buffer.data()); }

private:
    char *reserve(std::size_t n);
    void put(char c);
    void append(const char *data, std::size_t n);
    void startField();
    void writeOut(const char *data, std::size_t n);

    QIODevice *m_device;
    CsvFormat m_format;
    std::vector<char> m_buffer;
    char *m_pos;
    qint64 m_written = 0;
    qint64 m_rowStart = 0;
    int m_fields = 0; // in the current row
    bool m_failed = false;
    QString m_error;
};

} // namespace Sluice
