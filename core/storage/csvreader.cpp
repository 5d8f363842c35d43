#include "storage/csvreader.h"

#include <algorithm>
#include <cstring>

#include <QDir>
#include <QFile>

namespace Sluice {

CsvReader::CsvReader(CsvReader &&other) noexcept = default;
CsvReader &CsvReader::operator=(CsvReader &&other) noexcept = default;
CsvReader::~CsvReader() = default;

Result<CsvReader> CsvReader::open(const QString &path, char delimiter)
{
    CsvReader reader;
    reader.m_path = path;
    reader.m_delimiter = delimiter;
    reader.m_file = std::make_unique<QFile>(path);
    const QString where = QDir::toNativeSeparators(path);
    if (!reader.m_file->open(QIODevice::ReadOnly))
        return Error{ tr("cannot open the CSV file: %1").arg(reader.m_file->errorString()), where,
            reader.m_file->error() == QFileDevice::OpenError ? ErrorCode::Permanent
                                                             : ErrorCode::Unspecified };
    const qint64 size = reader.m_file->size();
    uchar *mapped = size > 0 ? reader.m_file->map(0, size) : nullptr;
    if (mapped) {
        reader.m_begin = reinterpret_cast<const char *>(mapped);
        reader.m_end = reader.m_begin + size;
    } else {
        // Not mappable (a pipe, an empty file): read it whole.
        reader.m_whole = reader.m_file->readAll();
        if (reader.m_file->error() != QFileDevice::NoError)
            return Error{ tr("cannot read the CSV file: %1").arg(reader.m_file->errorString()),
                where };
        reader.m_begin = reader.m_whole.constData();
        reader.m_end = reader.m_begin + reader.m_whole.size();
    }
    reader.start();
    return reader;
}

CsvReader CsvReader::fromData(QByteArray data, const QString &name, char delimiter)
{
    CsvReader reader;
    reader.m_path = name;
    reader.m_delimiter = delimiter;
    reader.m_whole = std::move(data);
    reader.m_begin = reader.m_whole.constData();
    reader.m_end = reader.m_begin + reader.m_whole.size();
    reader.start();
    return reader;
}

void CsvReader::start()
{
    m_next = m_begin;
    if (m_end - m_begin >= 3 && std::memcmp(m_begin, "\xEF\xBB\xBF", 3) == 0)
        m_next += 3;
}

Result<bool> CsvReader::next()
{
    m_fields.clear();
    m_unquoted.clear();
    m_unquotedSpans.clear();
    // Empty lines hold no record.
    while (m_next < m_end && (*m_next == '\n' || *m_next == '\r')) {
        if (*m_next == '\n')
            ++m_line;
        ++m_next;
    }
    if (m_next >= m_end)
        return false;
    m_recordLine = m_line;
    const char delimiter = m_delimiter;
    const char *p = m_next;
    while (true) {
        if (p < m_end && *p == '"') {
            // A quoted field: up to the closing quote; "" stands for one quote.
            const char *start = ++p;
            bool doubled = false;
            while (true) {
                const char *quote =
                    static_cast<const char *>(std::memchr(p, '"', std::size_t(m_end - p)));
                if (!quote) {
                    return Error{ tr("line %1: a quoted field is never closed").arg(m_recordLine),
                        QDir::toNativeSeparators(m_path), ErrorCode::Permanent };
                }
                m_line += std::count(p, quote, '\n');
                if (quote + 1 < m_end && quote[1] == '"') {
                    doubled = true;
                    p = quote + 2;
                    continue;
                }
                p = quote + 1;
                if (doubled) {
                    const std::size_t offset = m_unquoted.size();
                    for (const char *c = start; c < quote; ++c) {
                        m_unquoted.push_back(*c);
                        if (*c == '"')
                            ++c; // the second of a pair
                    }
                    m_unquotedSpans.emplace_back(m_fields.size(), offset);
                    m_fields.emplace_back(); // filled in below, once m_unquoted stops moving
                } else {
                    m_fields.emplace_back(start, std::size_t(quote - start));
                }
                break;
            }
            if (p < m_end && *p == '\r' && (p + 1 == m_end || p[1] == '\n'))
                ++p;
            if (p < m_end && *p != delimiter && *p != '\n') {
                return Error{ tr("line %1: text after the closing quote of field %2")
                                  .arg(m_recordLine)
                                  .arg(m_fields.size()),
                    QDir::toNativeSeparators(m_path), ErrorCode::Permanent };
            }
        } else {
            const char *start = p;
            while (p < m_end && *p != delimiter && *p != '\n')
                ++p;
            const char *stop = p;
            if (stop > start && stop[-1] == '\r' && (p == m_end || *p == '\n'))
                --stop;
            m_fields.emplace_back(start, std::size_t(stop - start));
        }
        if (p >= m_end) {
            m_next = p;
            break;
        }
        if (*p == '\n') {
            ++m_line;
            m_next = p + 1;
            break;
        }
        ++p; // the delimiter: another field follows
    }
    for (std::size_t i = 0; i < m_unquotedSpans.size(); ++i) {
        const auto [field, offset] = m_unquotedSpans[i];
        const std::size_t end =
            i + 1 < m_unquotedSpans.size() ? m_unquotedSpans[i + 1].second : m_unquoted.size();
        m_fields[field] = std::string_view(m_unquoted.data() + offset, end - offset);
    }
    return true;
}

} // namespace Sluice
