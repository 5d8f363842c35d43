// The spool of the SQL tab on real SQLite files: rows of every type read back by page for 0, 1
// and many rows (pages read while the spool grows), a directory that cannot be made, a file
// that cannot grow (a full disk), the directory removed with the spool; and the QueryReader
// over it: a statement cancelled mid-spool keeps its rows readable, 0 rows end at once; and the
// QueryPageReader reads the pages spooled whole while the statement still runs.

#include <csignal>
#include <optional>
#include <sys/resource.h>

#include <sqlite3.h>

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "data/queryreader.h"
#include "data/queryspool.h"

using namespace Sluice;

namespace {

constexpr int Page = QuerySpool::PageSize;

// A table t of rows rows, row i (from 1) holding an INTEGER, a REAL, a non-ASCII TEXT, a BLOB
// of i % 4 bytes (x'' included) and a NULL every third row.
QString makeTable(const QString &path, qint64 rows)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
        return QStringLiteral("cannot open %1").arg(path);
    const QByteArray sql = QStringLiteral(
        "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n);"
        "INSERT INTO t WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c"
        " WHERE i < %1) SELECT i, i * 0.25, 'é€' || i, substr(x'0a0b0c', 1, i % 4),"
        " CASE WHEN i % 3 = 0 THEN NULL ELSE -i END FROM c WHERE %1 > 0;")
                               .arg(rows)
                               .toUtf8();
    char *message = nullptr;
    const int rc = sqlite3_exec(db, sql.constData(), nullptr, nullptr, &message);
    const QString error = rc == SQLITE_OK ? QString() : QString::fromUtf8(message);
    sqlite3_free(message);
    sqlite3_close(db);
    return error;
}

QVariantList expectedRow(qint64 i)
{
    return { qlonglong(i), double(i) * 0.25, QStringLiteral("é€%1").arg(i),
        QByteArray("\x0a\x0b\x0c", 3).left(int(i % 4)),
        i % 3 == 0 ? QVariant() : QVariant(qlonglong(-i)) };
}

// Compares every value of a page with the rows it should hold (types included).
QString checkPage(const TableRows &rows, int page, qint64 total)
{
    const qint64 first = qint64(page) * Page;
    const qint64 count = std::min<qint64>(Page, total - first);
    if (rows.size() != count)
        return QStringLiteral("page %1: %2 rows, not %3").arg(page).arg(rows.size()).arg(count);
    for (int r = 0; r < rows.size(); ++r) {
        const QVariantList expected = expectedRow(first + r + 1);
        for (int c = 0; c < expected.size(); ++c) {
            const QVariant &value = rows[r].value(c);
            if (value.typeId() != expected[c].typeId() || value != expected[c]
                || value.isNull() != expected[c].isNull())
                return QStringLiteral("row %1, column %2: %3 (%4)")
                    .arg(first + r)
                    .arg(c)
                    .arg(value.toString(), QString::fromLatin1(value.typeName()));
        }
    }
    return QString();
}

} // namespace

class TestQuerySpool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsOfEveryTypeComeBackByPage_data();
    void rowsOfEveryTypeComeBackByPage();
    void directoryThatCannotBeMadeIsSaid();
    void fileThatCannotGrowIsSaid();
    void readerCancelledMidSpoolKeepsItsRows();
    void readerEndsZeroRowsAtOnce();
    void pageReaderReadsWholePagesWhileTheStatementSpools();
};

void TestQuerySpool::rowsOfEveryTypeComeBackByPage_data()
{
    QTest::addColumn<qint64>("rows");
    QTest::newRow("0") << qint64(0);
    QTest::newRow("1") << qint64(1);
    QTest::newRow("a page less one") << qint64(Page - 1);
    QTest::newRow("a page") << qint64(Page);
    QTest::newRow("a page and one") << qint64(Page + 1);
    QTest::newRow("many") << qint64(20'000);
}

void TestQuerySpool::rowsOfEveryTypeComeBackByPage()
{
    QFETCH(qint64, rows);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rows.sqlite"));
    QCOMPARE(makeTable(path, rows), QString());
    sqlite3 *db = nullptr;
    QCOMPARE(
        sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt *statement = nullptr;
    QCOMPARE(
        sqlite3_prepare_v2(db, "SELECT * FROM t ORDER BY i", -1, &statement, nullptr), SQLITE_OK);

    QString directory;
    {
        QuerySpool spool(sqlite3_column_count(statement));
        QVERIFY2(spool.open(dir.path()), qPrintable(spool.error()));
        directory = spool.directory();
        QVERIFY(directory.startsWith(dir.path()));
        QVERIFY(QFileInfo(directory).isDir());
        int rc;
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
            QVERIFY2(spool.append(statement), qPrintable(spool.error()));
            // Pages are read while the spool grows: the whole ones from the file, the last one
            // from memory.
            if (spool.rows() % Page == 0 || spool.rows() % 997 == 0) {
                TableRows last;
                const int page = spool.pages() - 1;
                QVERIFY2(spool.readPage(page, &last), qPrintable(spool.error()));
                const QString problem = checkPage(last, page, spool.rows());
                QVERIFY2(problem.isEmpty(), qPrintable(problem));
            }
        }
        QCOMPARE(rc, SQLITE_DONE);
        sqlite3_finalize(statement);
        sqlite3_close(db);

        QCOMPARE(spool.rows(), rows);
        QCOMPARE(spool.pages(), int((rows + Page - 1) / Page));
        QCOMPARE(spool.fileSize() > 0, rows >= Page);
        // Every page, in an order that jumps back and forth.
        for (int k = 0; k < spool.pages(); ++k) {
            const int page = k % 2 ? spool.pages() - 1 - k / 2 : k / 2;
            TableRows read;
            QVERIFY2(spool.readPage(page, &read), qPrintable(spool.error()));
            const QString problem = checkPage(read, page, rows);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
        TableRows past;
        QVERIFY(spool.readPage(spool.pages(), &past));
        QVERIFY(past.isEmpty());
        QVERIFY(spool.error().isEmpty());
    }
    QVERIFY(!QFileInfo::exists(directory)); // removed with the spool
}

void TestQuerySpool::directoryThatCannotBeMadeIsSaid()
{
    QTemporaryDir dir;
    // Under a plain file no directory can be made, whoever runs the test.
    const QString file = dir.filePath(QStringLiteral("plain-file"));
    QFile plain(file);
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    QuerySpool spool(2);
    QVERIFY(!spool.open(file));
    QVERIFY2(spool.error().startsWith(QLatin1String("Cannot make a directory for the query's rows "
                                                    "in ")),
        qPrintable(spool.error()));
    QVERIFY2(spool.error().contains(QDir::toNativeSeparators(file)), qPrintable(spool.error()));
}

void TestQuerySpool::fileThatCannotGrowIsSaid()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rows.sqlite"));
    QCOMPARE(makeTable(path, 5000), QString());
    sqlite3 *db = nullptr;
    QCOMPARE(
        sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt *statement = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db, "SELECT * FROM t", -1, &statement, nullptr), SQLITE_OK);
    QuerySpool spool(sqlite3_column_count(statement));
    QVERIFY2(spool.open(dir.path()), qPrintable(spool.error()));

    // Files of this process cannot grow past 32 KiB: the spool meets a full disk.
    rlimit before{};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &before), 0);
    const auto previous = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = before;
    small.rlim_cur = 32 * 1024;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
    bool appended = true;
    while (appended && sqlite3_step(statement) == SQLITE_ROW)
        appended = spool.append(statement);
    setrlimit(RLIMIT_FSIZE, &before);
    std::signal(SIGXFSZ, previous);
    sqlite3_finalize(statement);
    sqlite3_close(db);

    QVERIFY(!appended);
    QVERIFY(spool.rows() < 5000);
    QVERIFY2(spool.error().startsWith(QLatin1String("Cannot write the query's rows to ")),
        qPrintable(spool.error()));
    QVERIFY2(spool.error().contains(QLatin1String("is the disk full?")), qPrintable(spool.error()));
    QVERIFY2(spool.error().contains(QDir::toNativeSeparators(spool.filePath())),
        qPrintable(spool.error()));
    // The pages written before are still read whole.
    TableRows first;
    QVERIFY(spool.readPage(0, &first));
    QCOMPARE(checkPage(first, 0, 5000), QString());
}

void TestQuerySpool::readerCancelledMidSpoolKeepsItsRows()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rows.sqlite"));
    QCOMPARE(makeTable(path, 10), QString());
    auto latest = std::make_shared<std::atomic_int>(1);
    std::optional<QueryReader> reader;
    reader.emplace(latest, SqliteInterrupter());
    reader->setSpoolDirectory(dir.path());
    QSignalSpy spooled(&*reader, &QueryReader::spooled);
    QSignalSpy pages(&*reader, &QueryReader::pageFetched);
    QSignalSpy failures(&*reader, &QueryReader::queryFailed);
    QSignalSpy counted(&*reader, &QueryReader::counted);
    TableQuery query;
    query.path = path;
    // Rows for ever, the same as the table's would be.
    query.sql = QStringLiteral(
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT i, i * 0.25,"
        " 'é€' || i, substr(x'0a0b0c', 1, i % 4), CASE WHEN i % 3 = 0 THEN NULL ELSE -i END"
        " FROM c");
    reader->open(1, query); // spools its first slice, then goes on queued
    QVERIFY(failures.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(
        !spooled.isEmpty() && spooled.last().at(1).toLongLong() > 3 * Page, 30'000);
    QVERIFY(!pages.isEmpty()); // page 0, sent when it had rows
    QCOMPARE(pages.first().at(1).toInt(), 0);
    pages.clear();
    reader->fetchPage(1, 0); // spooled whole: read at once
    QCOMPARE(pages.size(), 1);
    QCOMPARE(checkPage(pages.first().at(2).value<TableRows>(), 0, 1'000'000), QString());
    QCOMPARE(QDir(dir.path()).entryList({ QStringLiteral("sluice-sql-*") }, QDir::Dirs).size(), 1);

    reader->cancel(1);
    QTRY_COMPARE_WITH_TIMEOUT(failures.size(), 1, 30'000);
    QVERIFY(failures.first().at(1).value<QueryFailure>().kind == QueryFailure::Kind::Cancelled);
    QVERIFY(counted.isEmpty());
    const qint64 kept = spooled.last().at(1).toLongLong();
    QTest::qWait(100);
    QCOMPARE(spooled.last().at(1).toLongLong(), kept); // nothing spools on behind

    // Every row spooled before the Cancel is read, the last page whole to its last row.
    const int lastPage = int((kept - 1) / Page);
    pages.clear();
    reader->fetchPage(1, lastPage);
    reader->fetchPage(1, 1);
    QCOMPARE(pages.size(), 2);
    QCOMPARE(checkPage(pages.at(0).at(2).value<TableRows>(), lastPage, kept), QString());
    QCOMPARE(checkPage(pages.at(1).at(2).value<TableRows>(), 1, kept), QString());

    reader.reset(); // the spool goes with its reader
    QCOMPARE(QDir(dir.path()).entryList({ QStringLiteral("sluice-sql-*") }, QDir::Dirs).size(), 0);
}

void TestQuerySpool::readerEndsZeroRowsAtOnce()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rows.sqlite"));
    QCOMPARE(makeTable(path, 0), QString());
    QueryReader reader(std::make_shared<std::atomic_int>(1), SqliteInterrupter());
    QSignalSpy opened(&reader, &QueryReader::opened);
    QSignalSpy pages(&reader, &QueryReader::pageFetched);
    QSignalSpy counted(&reader, &QueryReader::counted);
    TableQuery query;
    query.path = path;
    query.sql = QStringLiteral("SELECT * FROM t");
    reader.open(1, query);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.first().at(1).value<QList<TableColumn>>().size(), 5);
    QCOMPARE(counted.size(), 1);
    QCOMPARE(counted.first().at(1).toLongLong(), qint64(0));
    QCOMPARE(pages.size(), 1); // page 0, empty
    QVERIFY(pages.first().at(2).value<TableRows>().isEmpty());
}

void TestQuerySpool::pageReaderReadsWholePagesWhileTheStatementSpools()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rows.sqlite"));
    QCOMPARE(makeTable(path, 10), QString());
    auto latest = std::make_shared<std::atomic_int>(1);
    auto slot = std::make_shared<QuerySpoolSlot>();
    QueryReader reader(latest, SqliteInterrupter());
    reader.setSpoolSlot(slot);
    reader.setSpoolDirectory(dir.path());
    QueryPageReader pages(latest, slot);
    QSignalSpy fetched(&pages, &QueryPageReader::pageFetched);
    QSignalSpy wanted(&pages, &QueryPageReader::pageWanted);
    QSignalSpy spooled(&reader, &QueryReader::spooled);
    TableQuery query;
    query.path = path;
    query.sql = QStringLiteral(
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT i, i * 0.25,"
        " 'é€' || i, substr(x'0a0b0c', 1, i % 4), CASE WHEN i % 3 = 0 THEN NULL ELSE -i END"
        " FROM c");
    // Its first slice, then more from the event loop until two pages are in the file (a slice
    // is a few ms: on a loaded machine it may hold less than that).
    reader.open(1, query);
    QTRY_VERIFY_WITH_TIMEOUT(
        !spooled.isEmpty() && spooled.last().at(1).toLongLong() >= 2 * Page, 10000);
    const qint64 rows = spooled.last().at(1).toLongLong();

    // A page in the file: read here, while the statement is still open on the other reader.
    pages.fetchPage(1, 1);
    QCOMPARE(fetched.size(), 1);
    QCOMPARE(checkPage(fetched.first().at(2).value<TableRows>(), 1, 1'000'000), QString());
    QVERIFY(wanted.isEmpty());
    // Past the file, or another statement's: left to the QueryReader.
    pages.fetchPage(1, int(rows / Page) + 1000); // far past what a slice adds
    pages.fetchPage(2, 0);
    QCOMPARE(fetched.size(), 1);
    QCOMPARE(wanted.size(), 1); // generation 2 is not the newest: dropped
    QCOMPARE(wanted.first().at(1).toInt(), int(rows / Page) + 1000);

    // The next statement lets go of the spool: its directory goes at once.
    latest->store(2);
    query.sql = QStringLiteral("SELECT 1");
    reader.open(2, query);
    QCOMPARE(QDir(dir.path()).entryList({ QStringLiteral("sluice-sql-*") }, QDir::Dirs).size(), 1);
    pages.fetchPage(1, 1);
    QCOMPARE(fetched.size(), 1);
}

QTEST_MAIN(TestQuerySpool)
#include "tst_queryspool.moc"
