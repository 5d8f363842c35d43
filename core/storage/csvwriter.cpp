#include "storage/csvwriter.h"

#include <charconv>
#include <cstring>

#include <QCoreApplication>
#include <QFileDevice>
#include <QIODevice>

#include "storage/pythonfloat.h"

namespace Sluice {

namespace {

    bool startsFormula(char c)
    {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

} // namespace

CsvWriter::CsvWriter(QIODevice *device, const CsvFormat &format, std::size_t bufferSize)
    : m_device(device)
    , m_format(format)
    , m_buffer(std::max<std::size_t>(bufferSize, 256))
{
    m_pos = m_buffer.data();
}

char *CsvWriter::reserve(std::size_t n)
{
    if (std::size_t(m_buffer.data() + m_buffer.size() - m_pos) < n)
        flush();
    return m_pos;
}

void CsvWriter::put(char c)
{
    reserve(1);
    *m_pos++ = c;
}

void CsvWriter::append(const char *data, std::size_t n)
{
    if (std::size_t(m_buffer.data() + m_buffer.size() - m_pos) < n) {
        flush();
        if (n > m_buffer.size()) {
            writeOut(data, n);
            return;
        }
    }
    std::memcpy(m_pos, data, n);
    m_pos += n;
}

void CsvWriter::startField()
{
    if (m_fields++ > 0)
        put(m_format.delimiter);
}

void CsvWriter::writeInteger(qint64 value)
{
    startField();
    char *p = reserve(24);
    m_pos = std::to_chars(p, p + 24, value).ptr;
}

void CsvWriter::writeDouble(double value)
{
    startField();
    m_pos = PythonFloat::write(value, reserve(PythonFloat::MaxLength));
}

// RFC 4180: quote a field holding the delimiter, a quote, CR or LF, and double its quotes.
void CsvWriter::writeText(const char *text, std::size_t size)
{
    startField();
    const bool neutralise = m_format.spreadsheetSafe && size > 0 && startsFormula(text[0]);
    bool quote = false;
    for (std::size_t i = 0; i < size && !quote; ++i) {
        const char c = text[i];
        quote = c == m_format.delimiter || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote && !neutralise) {
        append(text, size);
        return;
    }
    if (quote)
        put('"');
    if (neutralise)
        put('\'');
    const char *p = text;
    const char *end = text + size;
    while (p < end) {
        const char *q = static_cast<const char *>(std::memchr(p, '"', std::size_t(end - p)));
        if (!q) {
            append(p, std::size_t(end - p));
            break;
        }
        append(p, std::size_t(q - p) + 1);
        put('"');
        p = q + 1;
    }
    if (quote)
        put('"');
}

void CsvWriter::writeText(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    writeText(utf8.constData(), std::size_t(utf8.size()));
}

void CsvWriter::writeBlob(const unsigned char *data, std::size_t size)
{
    static const char hex[] = "0123456789abcdef";
    startField();
    for (std::size_t i = 0; i < size; ++i) {
        char *p = reserve(2);
        p[0] = hex[data[i] >> 4];
        p[1] = hex[data[i] & 15];
        m_pos = p + 2;
    }
}

void CsvWriter::writeNull()
{
    startField();
}

void CsvWriter::endRow()
{
    // As Python's csv module does: a row of one empty field is written "" so that it is not
    // read back as a blank line.
    if (m_fields == 1 && bytes() == m_rowStart)
        append("\"\"", 2);
    if (m_format.lineEnding == CsvFormat::LineEnding::CrLf)
        put('\r');
    put('\n');
    m_fields = 0;
    m_rowStart = bytes();
}

bool CsvWriter::flush()
{
    writeOut(m_buffer.data(), std::size_t(m_pos - m_buffer.data()));
    m_pos = m_buffer.data();
    return !m_failed;
}

// A device may take part of a write (a disk that fills up, a size limit): the rest is written
// again, so that the refusal comes with the system's reason ("No space left on device") rather
// than a short count with none.
void CsvWriter::writeOut(const char *data, std::size_t n)
{
    while (!m_failed && n > 0) {
        const qint64 written = m_device->write(data, qint64(n));
        if (written <= 0) {
            m_failed = true;
            const auto *file = qobject_cast<const QFileDevice *>(m_device);
            m_error = file && file->error() == QFileDevice::NoError
                ? QCoreApplication::translate("Sluice::CsvWriter", "the output took no more data")
                : m_device->errorString();
            return;
        }
        m_written += written;
        data += written;
        n -= std::size_t(written);
    }
}

} // namespace Sluice
