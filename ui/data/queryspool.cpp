#include "data/queryspool.h"

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include <QDir>

#include <sqlite3.h>

namespace Sluice {

namespace {

    // One value: a tag byte, then 8 bytes (INTEGER, REAL) or a 4-byte length and the bytes
    // (TEXT, BLOB), in the machine's byte order (the file never leaves this process).
    enum Tag : char { Null, Integer, Real, Text, Blob };

    template <typename T> void put(QByteArray &bytes, T value)
    {
        bytes.append(reinterpret_cast<const char *>(&value), sizeof value);
    }

    template <typename T> T take(const char *&data)
    {
        T value;
        std::memcpy(&value, data, sizeof value);
        data += sizeof value;
        return value;
    }

} // namespace

QuerySpool::QuerySpool(int columns)
    : m_columns(columns)
{ }

QuerySpool::~QuerySpool()
{
    m_reader.close();
    m_writer.close();
    // m_dir removes the directory and the file.
}

bool QuerySpool::open(const QString &parent)
{
    const QString base = parent.isEmpty() ? QDir::tempPath() : parent;
    m_dir = std::make_unique<QTemporaryDir>(base + QStringLiteral("/sluice-sql-XXXXXX"));
    if (!m_dir->isValid()) {
        m_error = tr("Cannot make a directory for the query's rows in %1: %2")
                      .arg(QDir::toNativeSeparators(base), m_dir->errorString());
        return false;
    }
    m_writer.setFileName(m_dir->filePath(QStringLiteral("rows")));
    if (!m_writer.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        m_error = tr("Cannot write the query's rows to %1: %2")
                      .arg(QDir::toNativeSeparators(m_writer.fileName()), m_writer.errorString());
        return false;
    }
    m_reader.setFileName(m_writer.fileName());
    if (!m_reader.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        m_error = tr("Cannot read the query's rows from %1: %2")
                      .arg(QDir::toNativeSeparators(m_reader.fileName()), m_reader.errorString());
        return false;
    }
    m_page.reserve(64 * 1024);
    return true;
}

QString QuerySpool::directory() const
{
    return m_dir ? m_dir->path() : QString();
}

QString QuerySpool::filePath() const
{
    return m_writer.fileName();
}

bool QuerySpool::append(sqlite3_stmt *statement)
{
    for (int i = 0; i < m_columns; ++i) {
        switch (sqlite3_column_type(statement, i)) {
        case SQLITE_INTEGER:
            m_page.append(char(Integer));
            put<qint64>(m_page, sqlite3_column_int64(statement, i));
            break;
        case SQLITE_FLOAT:
            m_page.append(char(Real));
            put<double>(m_page, sqlite3_column_double(statement, i));
            break;
        case SQLITE_TEXT: {
            const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement, i));
            const int size = sqlite3_column_bytes(statement, i);
            m_page.append(char(Text));
            put<qint32>(m_page, size);
            m_page.append(text, size);
            break;
        }
        case SQLITE_BLOB: {
            const auto *blob = static_cast<const char *>(sqlite3_column_blob(statement, i));
            const int size = sqlite3_column_bytes(statement, i);
            m_page.append(char(Blob));
            put<qint32>(m_page, size);
            if (size > 0)
                m_page.append(blob, size);
            break;
        }
        default:
            m_page.append(char(Null));
            break;
        }
    }
    ++m_rows;
    if (++m_pageRows == PageSize)
        return writePage();
    return true;
}

bool QuerySpool::writePage()
{
    const char *data = m_page.constData();
    qint64 left = m_page.size();
    while (left > 0) {
        const qint64 written = m_writer.write(data, left);
        if (written <= 0) {
            m_error =
                tr("Cannot write the query's rows to %1 (is the disk full?): %2")
                    .arg(QDir::toNativeSeparators(m_writer.fileName()), m_writer.errorString());
            return false;
        }
        data += written;
        left -= written;
    }
    {
        const QMutexLocker locker(&m_mutex);
        m_offsets.append(m_written);
        m_written += m_page.size();
    }
    m_page.resize(0); // keeps its capacity (clear() would free it)
    m_pageRows = 0;
    return true;
}

qint64 QuerySpool::fileSize() const
{
    const QMutexLocker locker(&m_mutex);
    return m_written;
}

int QuerySpool::wholePages() const
{
    const QMutexLocker locker(&m_mutex);
    return int(m_offsets.size());
}

bool QuerySpool::readPage(int page, TableRows *rows)
{
    rows->clear();
    if (page < 0 || page >= pages())
        return true;
    if (page < wholePages())
        return readWholePage(page, rows, &m_error);
    // The rows after the last whole page, still in memory.
    *rows = decode(m_page, m_columns, m_pageRows);
    return true;
}

bool QuerySpool::readWholePage(int page, TableRows *rows, QString *error) const
{
    rows->clear();
    qint64 start = 0;
    qint64 end = 0;
    {
        const QMutexLocker locker(&m_mutex);
        if (page < 0 || page >= m_offsets.size())
            return true;
        start = m_offsets[page];
        end = page + 1 < m_offsets.size() ? m_offsets[page + 1] : m_written;
    }
    // pread: no file position shared between the threads that read.
    QByteArray bytes(end - start, Qt::Uninitialized);
    qint64 done = 0;
    while (done < bytes.size()) {
        const ssize_t got = ::pread(
            m_reader.handle(), bytes.data() + done, size_t(bytes.size() - done), start + done);
        if (got <= 0) {
            *error = tr("Cannot read the query's rows from %1: %2")
                         .arg(QDir::toNativeSeparators(m_reader.fileName()),
                             got < 0 ? QString::fromLocal8Bit(std::strerror(errno))
                                     : tr("the file is shorter than written"));
            return false;
        }
        done += got;
    }
    *rows = decode(bytes, m_columns, PageSize);
    return true;
}

TableRows QuerySpool::decode(const QByteArray &bytes, int columns, int count)
{
    TableRows rows;
    rows.reserve(count);
    const char *data = bytes.constData();
    const char *const end = data + bytes.size();
    for (int r = 0; r < count && data < end; ++r) {
        QVariantList row;
        row.reserve(columns);
        for (int i = 0; i < columns; ++i) {
            switch (*data++) {
            case Integer:
                row << qlonglong(take<qint64>(data));
                break;
            case Real:
                row << take<double>(data);
                break;
            case Text: {
                const qint32 size = take<qint32>(data);
                row << QString::fromUtf8(data, size);
                data += size;
                break;
            }
            case Blob: {
                const qint32 size = take<qint32>(data);
                row << QByteArray(data, size);
                data += size;
                break;
            }
            default:
                row << QVariant();
                break;
            }
        }
        rows << row;
    }
    return rows;
}

} // namespace Sluice
