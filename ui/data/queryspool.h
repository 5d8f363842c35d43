#pragma once

// The rows of one statement of the SQL tab, written once as the statement steps and read back
// by row number: a flat file in a temporary directory of its own, pages of PageSize rows one
// after another, and the offset of each page kept in memory, so that reading any page is one
// seek and one read whatever the statement was (no key, duplicate names, any values). Values
// keep SQLite's types: NULL, INTEGER, REAL, TEXT and BLOB. The directory is removed with the
// spool. The thread that writes it owns it; readWholePage() may be called from any thread.

#include <memory>

#include <QCoreApplication>
#include <QFile>
#include <QList>
#include <QMutex>
#include <QString>
#include <QTemporaryDir>

#include "data/tablequery.h"

struct sqlite3_stmt;

namespace Sluice {

class QuerySpool
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::QuerySpool)

public:
    static constexpr int PageSize = 256;

    explicit QuerySpool(int columns);
    ~QuerySpool();
    QuerySpool(const QuerySpool &) = delete;
    QuerySpool &operator=(const QuerySpool &) = delete;

    // Creates the spool's directory in parent (the system's temporary directory when empty)
    // and its file; false, with error(), when it cannot.
    bool open(const QString &parent = QString());
    // Appends the row statement stands on (after an sqlite3_step that gave SQLITE_ROW); false,
    // with error(), when the file cannot be written (disk full).
    bool append(sqlite3_stmt *statement);

    qint64 rows() const { return m_rows; }
    int columns() const { return m_columns; }
    // Pages 0..pages()-1 hold rows; the last may hold fewer than PageSize.
    int pages() const { return int((m_rows + PageSize - 1) / PageSize); }
    // The rows of page (whole pages read from the file, the last one from memory); false, with
    // error(), when the file cannot be read.
    bool readPage(int page, TableRows *rows);
    // Any thread: the pages written whole to the file so far, and the rows of one of them
    // (false, with *error, when it cannot be read).
    int wholePages() const;
    bool readWholePage(int page, TableRows *rows, QString *error) const;

    // What went wrong, naming the spool's file or directory; empty when nothing did.
    QString error() const { return m_error; }
    QString directory() const;
    QString filePath() const;
    // The bytes written to the file so far.
    qint64 fileSize() const;

private:
    bool writePage();
    static TableRows decode(const QByteArray &bytes, int columns, int rows);

    const int m_columns;
    std::unique_ptr<QTemporaryDir> m_dir;
    QFile m_writer;
    QFile m_reader;
    mutable QMutex m_mutex; // guards m_offsets and m_written, read by readWholePage()
    QList<qint64> m_offsets; // where each whole page written starts in the file
    qint64 m_written = 0;
    QByteArray m_page; // the rows after the last whole page, encoded
    int m_pageRows = 0;
    qint64 m_rows = 0;
    QString m_error;
};

} // namespace Sluice
