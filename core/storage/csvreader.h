#pragma once
// Reads a CSV file record by record, fast enough to load millions of rows: RFC 4180 quoting
// (delimiters, quotes and line breaks inside "..."; "" for a quote), LF or CRLF line ends, a
// UTF-8 byte order mark skipped, empty lines skipped. Each record knows the physical line it
// starts on, for messages. The file is mapped into memory (or read whole when it cannot be).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <QCoreApplication>
#include <QString>

#include "engine/result.h"

class QFile;

namespace Sluice {

class CsvReader
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::CsvReader)

public:
    CsvReader(CsvReader &&other) noexcept;
    CsvReader &operator=(CsvReader &&other) noexcept;
    CsvReader(const CsvReader &) = delete;
    CsvReader &operator=(const CsvReader &) = delete;
    ~CsvReader();

    // The error names the file and the cause.
    static Result<CsvReader> open(const QString &path, char delimiter = ',');
    // The same over bytes in memory; name stands for the path in messages.
    static CsvReader fromData(QByteArray data, const QString &name, char delimiter = ',');

    // Moves to the next record: true when there is one, false at the end of the file, an
    // error (naming file and line) for a quote that is never closed or text after a closing
    // quote.
    Result<bool> next();

    // The fields of the current record: valid until the next call of next().
    const std::vector<std::string_view> &fields() const { return m_fields; }
    // The 1-based physical line the current record starts on.
    qint64 line() const { return m_recordLine; }
    QString path() const { return m_path; }
    // How far through the file, in bytes.
    qint64 position() const { return qint64(m_next - m_begin); }
    qint64 size() const { return qint64(m_end - m_begin); }

private:
    CsvReader() = default;
    void start();

    QString m_path;
    char m_delimiter = ',';
    std::unique_ptr<QFile> m_file;
    QByteArray m_whole; // the file's bytes when it could not be mapped
    const char *m_begin = nullptr;
    const char *m_end = nullptr;
    const char *m_next = nullptr;
    qint64 m_line = 1; // the line m_next is on
    qint64 m_recordLine = 0;
    std::vector<std::string_view> m_fields;
    std::string m_unquoted; // fields that held "" live here
    std::vector<std::pair<std::size_t, std::size_t>> m_unquotedSpans; // field index -> offset
};

} // namespace Sluice
