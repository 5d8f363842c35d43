// CsvExporter on real warehouse files: formats and options, exact doubles, Python's csv module
// as an independent oracle, ranges, views, errors, atomic replacement, cancellation, progress
// and 1M rows in bounded memory.

#include <atomic>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "devicenodes.h"
#include "storage/csvexporter.h"
#include "storage/sqliteconnection.h"
#include "storage/warehouse.h"

using namespace Sluice;

Q_DECLARE_METATYPE(TableCondition::Operator)

namespace {

const char *const CleanHeader = "timeframe,start_timestamp,price,hash_rate,difficulty\r\n";
const char *const NotesTable = "CREATE TABLE notes (id INTEGER PRIMARY KEY, label TEXT,"
                               " amount REAL, count INTEGER, extra)";

// Peak resident memory of this process in kB (VmHWM), and a reset of that peak.
qint64 peakRssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

ino_t inodeOf(const QString &path)
{
    struct stat status = {};
    ::stat(QFile::encodeName(path).constData(), &status);
    return status.st_ino;
}

// A device that takes at most a few bytes a write, as a filling disk does, and refuses
// everything once its capacity is reached.
class TrickleDevice : public QIODevice
{
public:
    explicit TrickleDevice(qint64 capacity)
        : m_capacity(capacity)
    {
        open(QIODevice::WriteOnly);
    }
    QByteArray data;

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *bytes, qint64 size) override
    {
        const qint64 room = m_capacity - data.size();
        if (room <= 0) {
            setErrorString(QStringLiteral("the trickle device is full"));
            return -1;
        }
        const qint64 taken = std::min({ size, room, qint64(1000) });
        data.append(bytes, taken);
        return taken;
    }

private:
    qint64 m_capacity;
};

bool resetPeakRss()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    return clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
}

} // namespace

class TestCsvExporter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void formats_data();
    void formats();
    void cleanTableDoubles();
    void pythonCsvOracle_data();
    void pythonCsvOracle();
    void rangeEdges_data();
    void rangeEdges();
    void emptyTable();
    void viewConditionsAndOrder_data();
    void viewConditionsAndOrder();
    void badRequests_data();
    void badRequests();
    void replacesExistingTarget();
    void cancelMidwayKeepsTarget();
    void cancelBeforeStartWritesNothing();
    void unwritableFolderIsNamed();
    void missingFolderIsNamed();
    void diskFullIsReported();
    void shortWritesAreRetried();
    void linkToRegularFileReplacesItsTarget();
    void danglingLinkCreatesItsTarget();
    void linkToDeviceIsWrittenInPlace();
    void linkToFolderIsRefused();
    void progressCountsRows();
    void streamsMillionRowsInBoundedMemory();
    void schemaLookups();
    void parseDelimiter_data();
    void parseDelimiter();

private:
    QString warehouse() const { return m_dir->filePath(QStringLiteral("warehouse.sqlite")); }
    QString target() const { return m_dir->filePath(QStringLiteral("out/export.csv")); }
    void exec(const QString &sql, const QVariantList &values = {});
    QVariant scalar(const QString &sql) const;
    void insertClean(
        const QString &timeframe, qint64 start, double price, double hashRate, double difficulty);
    QByteArray exportBytes(const CsvRequest &request);
    static QByteArray readFile(const QString &path);
    QStringList filesIn(const QString &folder) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    SqliteConnection m_db;
};

void TestCsvExporter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("out")));
    QVERIFY(Warehouse::initialize(warehouse()));
    Result<SqliteConnection> db = SqliteConnection::open(warehouse(), QStringLiteral("test"));
    QVERIFY2(db, qPrintable(db ? QString() : db.error().message()));
    m_db = std::move(*db);
}

void TestCsvExporter::cleanup()
{
    m_db = SqliteConnection();
    m_dir.reset();
}

void TestCsvExporter::exec(const QString &sql, const QVariantList &values)
{
    QSqlQuery query(m_db.database());
    QVERIFY2(query.prepare(sql), qPrintable(query.lastError().text()));
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
}

QVariant TestCsvExporter::scalar(const QString &sql) const
{
    QSqlQuery query(m_db.database());
    if (!query.exec(sql) || !query.next())
        return {};
    return query.value(0);
}

void TestCsvExporter::insertClean(
    const QString &timeframe, qint64 start, double price, double hashRate, double difficulty)
{
    exec(QStringLiteral("INSERT INTO btc_usd_price_with_net_stat VALUES (?, ?, ?, ?, ?)"),
        { timeframe, start, price, hashRate, difficulty });
}

QByteArray TestCsvExporter::exportBytes(const CsvRequest &request)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary =
        exporter.exportToDevice(request, &buffer, QStringLiteral("buffer"));
    if (!summary)
        return "ERROR " + summary.error().message().toUtf8();
    // The file path writes the same bytes.
    Result<CsvSummary> toFile = exporter.exportToFile(request, target());
    if (!toFile || readFile(target()) != buffer.data() || toFile->bytes != buffer.size())
        return "ERROR the file differs from the device output";
    return buffer.data();
}

QByteArray TestCsvExporter::readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(missing)");
}

QStringList TestCsvExporter::filesIn(const QString &folder) const
{
    return QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

void TestCsvExporter::formats_data()
{
    QTest::addColumn<QVariant>("label");
    QTest::addColumn<QVariant>("amount");
    QTest::addColumn<QVariant>("count");
    QTest::addColumn<QString>("options"); // d<char>, lf, noheader, unsafe
    QTest::addColumn<QByteArray>("expected");
    const QByteArray header = "id,label,amount,count,extra\r\n";
    const QVariant n; // NULL
    auto row = [](const char *data) { return QByteArray(data); };

    QTest::newRow("plain") << QVariant("hello") << QVariant(1.5) << QVariant(42) << ""
                           << header + row("1,hello,1.5,42,\r\n");
    QTest::newRow("delimiter quoted")
        << QVariant("a,b") << n << n << "" << header + row("1,\"a,b\",,,\r\n");
    QTest::newRow("quotes doubled")
        << QVariant("say \"hi\"") << n << n << "" << header + row("1,\"say \"\"hi\"\"\",,,\r\n");
    QTest::newRow("only a quote") << QVariant("\"") << n << n << ""
                                  << header + row("1,\"\"\"\",,,\r\n");
    QTest::newRow("embedded LF") << QVariant("line1\nline2") << n << n << ""
                                 << header + row("1,\"line1\nline2\",,,\r\n");
    QTest::newRow("embedded CR") << QVariant("a\rb") << n << n << ""
                                 << header + row("1,\"a\rb\",,,\r\n");
    QTest::newRow("embedded CRLF")
        << QVariant("a\r\nb") << n << n << "" << header + row("1,\"a\r\nb\",,,\r\n");
    QTest::newRow("unicode") << QVariant(QStringLiteral("Größe 价格 ₿ 😀")) << n << n << ""
                             << header
            + QStringLiteral("1,Größe 价格 ₿ 😀,,,\r\n").toUtf8();
    QTest::newRow("apostrophe kept")
        << QVariant("5'6\"") << n << n << "" << header + row("1,\"5'6\"\"\",,,\r\n");
    QTest::newRow("spaces kept") << QVariant("  padded  ") << n << n << ""
                                 << header + row("1,  padded  ,,,\r\n");
    QTest::newRow("semicolon") << QVariant("a;b,c") << QVariant(2.5) << n << "d;"
                               << row("id;label;amount;count;extra\r\n1;\"a;b,c\";2.5;;\r\n");
    QTest::newRow("tab") << QVariant("a\tb c") << n << QVariant(7) << "d\t"
                         << row("id\tlabel\tamount\tcount\textra\r\n1\t\"a\tb c\"\t\t7\t\r\n");
    QTest::newRow("pipe") << QVariant("a|b") << n << n << "d|"
                          << row("id|label|amount|count|extra\r\n1|\"a|b\"|||\r\n");
    QTest::newRow("LF") << QVariant("x\ny") << n << n << "lf"
                        << row("id,label,amount,count,extra\n1,\"x\ny\",,,\n");
    QTest::newRow("no header") << QVariant("x") << n << n << "noheader" << row("1,x,,,\r\n");
    QTest::newRow("no header LF") << QVariant("x") << n << n << "noheader lf" << row("1,x,,,\n");
    QTest::newRow("NULLs empty") << n << n << n << "" << header + row("1,,,,\r\n");
    QTest::newRow("empty text") << QVariant("") << n << n << "" << header + row("1,,,,\r\n");
    QTest::newRow("whole real") << n << QVariant(100.0) << QVariant(-7) << ""
                                << header + row("1,,100.0,-7,\r\n");
    QTest::newRow("int in REAL column")
        << n << QVariant(5) << n << "" << header + row("1,,5.0,,\r\n");
    QTest::newRow("int64 extremes")
        << n << QVariant(-1e-5) << QVariant(std::numeric_limits<qint64>::min()) << ""
        << header + row("1,,-1e-05,-9223372036854775808,\r\n");
    QTest::newRow("big int exact")
        << n << QVariant(7.365750402566894e+20) << QVariant(9007199254740993LL) << ""
        << header + row("1,,7.365750402566894e+20,9007199254740993,\r\n");
    QTest::newRow("infinity") << n << QVariant(-std::numeric_limits<double>::infinity()) << n << ""
                              << header + row("1,,-inf,,\r\n");
    // Spreadsheet-safe: text only, numbers stay numbers.
    QTest::newRow("safe =") << QVariant("=SUM(A1:A9)") << n << n << ""
                            << header + row("1,'=SUM(A1:A9),,,\r\n");
    QTest::newRow("unsafe =") << QVariant("=SUM(A1:A9)") << n << n << "unsafe"
                              << header + row("1,=SUM(A1:A9),,,\r\n");
    QTest::newRow("safe +") << QVariant("+1") << n << n << "" << header + row("1,'+1,,,\r\n");
    QTest::newRow("safe - text") << QVariant("-1") << QVariant(-1.5) << QVariant(-3) << ""
                                 << header + row("1,'-1,-1.5,-3,\r\n");
    QTest::newRow("unsafe - text") << QVariant("-1") << QVariant(-1.5) << QVariant(-3) << "unsafe"
                                   << header + row("1,-1,-1.5,-3,\r\n");
    QTest::newRow("safe @") << QVariant("@cmd") << n << n << "" << header + row("1,'@cmd,,,\r\n");
    QTest::newRow("safe tab") << QVariant("\tx") << n << n << "" << header + row("1,'\tx,,,\r\n");
    QTest::newRow("safe CR") << QVariant("\rx") << n << n << ""
                             << header + row("1,\"'\rx\",,,\r\n");
    QTest::newRow("safe quoted") << QVariant("=HYPERLINK(\"http://x\",\"y\")") << n << n << ""
                                 << header
            + row("1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,,\r\n");
    QTest::newRow("safe inner = kept")
        << QVariant("a=b") << n << n << "" << header + row("1,a=b,,,\r\n");
    QTest::newRow("blob as hex") << QVariant(QByteArray("\x01\xff\x10", 3)) << n << n << ""
                                 << header + row("1,01ff10,,,\r\n");
}

void TestCsvExporter::formats()
{
    QFETCH(QVariant, label);
    QFETCH(QVariant, amount);
    QFETCH(QVariant, count);
    QFETCH(QString, options);
    QFETCH(QByteArray, expected);
    exec(QLatin1String(NotesTable));
    exec(QStringLiteral("INSERT INTO notes (id, label, amount, count) VALUES (1, ?, ?, ?)"),
        { label, amount, count });

    CsvRequest request;
    request.table = QStringLiteral("notes");
    for (const QString &option : options.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (option.startsWith(QLatin1Char('d')) && option.size() == 2)
            request.format.delimiter = char(option.at(1).unicode());
        else if (option == u"lf")
            request.format.lineEnding = CsvFormat::LineEnding::Lf;
        else if (option == u"noheader")
            request.format.header = false;
        else if (option == u"unsafe")
            request.format.spreadsheetSafe = false;
        else
            QFAIL("unknown option in the test data");
    }
    QCOMPARE(exportBytes(request), expected);
}

void TestCsvExporter::cleanTableDoubles()
{
    insertClean(
        QStringLiteral("5m"), 1709856300, 67012.53, 7.365750402566894e+20, 95672703408223.94);
    insertClean(QStringLiteral("5m"), 1709856000, 100.0, 1e16, 1e-5);
    insertClean(QStringLiteral("5m"), 1709856600, 0.1 + 0.2, 123456789012345678.0, 1e15);
    insertClean(QStringLiteral("5m"), 1709856900, 30000.01, 6.02214076e+23, 0.0001);
    const QByteArray expected = QByteArray(CleanHeader)
        + "5m,1709856000,100.0,1e+16,1e-05\r\n"
          "5m,1709856300,67012.53,7.365750402566894e+20,95672703408223.94\r\n"
          "5m,1709856600,0.30000000000000004,1.2345678901234568e+17,1000000000000000.0\r\n"
          "5m,1709856900,30000.01,6.02214076e+23,0.0001\r\n";
    QCOMPARE(exportBytes(CsvRequest()), expected);
}

void TestCsvExporter::pythonCsvOracle_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("pythonSql");
    QTest::newRow("clean table")
        << "clean"
        << "SELECT * FROM btc_usd_price_with_net_stat ORDER BY start_timestamp";
    QTest::newRow("clean, two timeframes")
        << "mixed"
        << "SELECT * FROM btc_usd_price_with_net_stat ORDER BY start_timestamp, timeframe";
    QTest::newRow("text and mixed types") << "notes"
                                          << "SELECT * FROM notes ORDER BY id";
}

// Python's csv.writer (repr floats, QUOTE_MINIMAL, CRLF) reading the same SQLite file through
// its sqlite3 module must write the same bytes.
void TestCsvExporter::pythonCsvOracle()
{
    QFETCH(QString, kind);
    QFETCH(QString, pythonSql);
    QRandomGenerator random(7 + kind.size());
    CsvRequest request;
    exec(QStringLiteral("BEGIN"));
    if (kind != u"notes") {
        for (int i = 0; i < 20000; ++i) {
            const qint64 start = 1709856000 + qint64(i) * 300;
            const double price = (3000000 + random.bounded(4000000)) / 100.0;
            const double hashRate = 6e20 + random.generateDouble() * 2e20;
            const double difficulty =
                std::round((8e13 + random.generateDouble() * 2e13) * 100) / 100;
            insertClean(QStringLiteral("5m"), start, price, hashRate, difficulty);
            if (kind == u"mixed" && i % 3 == 0)
                insertClean(QStringLiteral("1h"), start, price + 1, hashRate / 3, difficulty);
        }
    } else {
        exec(QLatin1String(NotesTable));
        const QStringList pieces = { "a", "Z", " ", ",", ";", "\"", "'", "\r", "\n", "\t", "=", "-",
            "+", "@", "é", "价", "₿", "😀", "x y", "\"\"" };
        for (int i = 0; i < 5000; ++i) {
            QString label;
            for (int k = random.bounded(8); k > 0; --k)
                label += pieces.at(random.bounded(pieces.size()));
            double amount = std::bit_cast<double>(random.generate64());
            if (std::isnan(amount))
                amount = std::numeric_limits<double>::infinity();
            const QVariantList extras = { QVariant(), QVariant(qint64(random.generate64())),
                QVariant(random.generateDouble() * 1e6),
                QVariant(QStringLiteral("t\"%1\"").arg(i)) };
            exec(QStringLiteral("INSERT INTO notes VALUES (?, ?, ?, ?, ?)"),
                { i, i % 11 == 0 ? QVariant() : QVariant(label),
                    i % 13 == 0 ? QVariant() : QVariant(amount),
                    QVariant(qint64(random.generate64()) >> random.bounded(64)),
                    extras.at(i % 4) });
        }
        request.table = QStringLiteral("notes");
        request.format.spreadsheetSafe = false; // Python's csv does not neutralise
    }
    exec(QStringLiteral("COMMIT"));

    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary = exporter.exportToFile(request, target());
    QVERIFY2(summary, qPrintable(summary ? QString() : summary.error().message()));

    const QString expectedPath = m_dir->filePath(QStringLiteral("python.csv"));
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral("-c"),
            QStringLiteral("import csv, sqlite3, sys\n"
                           "db, sql, out = sys.argv[1:4]\n"
                           "cursor = sqlite3.connect(db).execute(sql)\n"
                           "with open(out, 'w', newline='', encoding='utf-8') as f:\n"
                           "    writer = csv.writer(f, lineterminator='\\r\\n')\n"
                           "    writer.writerow([d[0] for d in cursor.description])\n"
                           "    writer.writerows(cursor)\n"),
            warehouse(), pythonSql, expectedPath });
    QVERIFY(python.waitForFinished(60000));
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());

    const QByteArray ours = readFile(target());
    const QByteArray theirs = readFile(expectedPath);
    if (ours != theirs) {
        qsizetype at = 0;
        while (at < ours.size() && at < theirs.size() && ours.at(at) == theirs.at(at))
            ++at;
        QFAIL(qPrintable(
            QStringLiteral("differs at byte %1 (sizes %2, %3):\nours:   %4\npython: %5")
                .arg(at)
                .arg(ours.size())
                .arg(theirs.size())
                .arg(QString::fromUtf8(
                         ours.mid(std::max<qsizetype>(0, at - 40), 100).toPercentEncoding(" ,.")),
                    QString::fromUtf8(theirs.mid(std::max<qsizetype>(0, at - 40), 100)
                                          .toPercentEncoding(" ,.")))));
    }
    QCOMPARE(summary->rows,
        scalar(QStringLiteral("SELECT COUNT(*) FROM ") + request.table).toLongLong());
    QVERIFY(ours.size() > 100000);
}

void TestCsvExporter::rangeEdges_data()
{
    QTest::addColumn<QVariant>("start");
    QTest::addColumn<QVariant>("end");
    QTest::addColumn<QString>("timestamps");
    const QVariant none;
    QTest::newRow("everything") << none << none << "0 300 600 900 1200";
    QTest::newRow("[300, 900)") << QVariant(300) << QVariant(900) << "300 600";
    QTest::newRow("start inclusive") << QVariant(300) << none << "300 600 900 1200";
    QTest::newRow("end exclusive") << none << QVariant(900) << "0 300 600";
    QTest::newRow("just after a slot") << QVariant(301) << QVariant(901) << "600 900";
    QTest::newRow("one slot") << QVariant(600) << QVariant(601) << "600";
    QTest::newRow("one second before") << QVariant(599) << QVariant(600) << "";
    QTest::newRow("past the end") << QVariant(1500) << QVariant(1800) << "";
    QTest::newRow("negative start") << QVariant(-300) << QVariant(1) << "0";
}

void TestCsvExporter::rangeEdges()
{
    QFETCH(QVariant, start);
    QFETCH(QVariant, end);
    QFETCH(QString, timestamps);
    for (qint64 t : { 900, 0, 1200, 300, 600 })
        insertClean(QStringLiteral("5m"), t, double(t) + 0.5, 7e20, 9e13);
    CsvRequest request;
    if (start.isValid())
        request.start = start.toLongLong();
    if (end.isValid())
        request.end = end.toLongLong();
    QByteArray expected = CleanHeader;
    for (const QString &t : timestamps.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        expected += "5m," + t.toLatin1() + ',' + t.toLatin1() + ".5,7e+20,90000000000000.0\r\n";
    QCOMPARE(exportBytes(request), expected);
}

void TestCsvExporter::emptyTable()
{
    QCOMPARE(exportBytes(CsvRequest()), QByteArray(CleanHeader));
    CsvRequest request;
    request.table = QStringLiteral("coin_price");
    QCOMPARE(exportBytes(request), QByteArray("coin,currency,timeframe,start_timestamp,price\r\n"));
    request.format.header = false;
    QCOMPARE(exportBytes(request), QByteArray());
    QVERIFY(QFileInfo(target()).isFile());
    QCOMPARE(QFileInfo(target()).size(), 0);
}

void TestCsvExporter::viewConditionsAndOrder_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<TableCondition::Operator>("op");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("orderBy");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QString>("timestamps");
    using Op = TableCondition::Operator;
    // Prices: 0 -> 50000.5, 300 -> 40000.25, 600 -> 60000.0, 900 -> 40000.25 (1h row at 300).
    QTest::newRow("no condition, by price")
        << "" << Op::Equal << QVariant() << "price" << false << "300 300 900 0 600";
    QTest::newRow("price > 45000, by price desc")
        << "price" << Op::Greater << QVariant(45000) << "price" << true << "600 0";
    QTest::newRow("price <= 40000.25")
        << "price" << Op::LessOrEqual << QVariant(40000.25) << "" << false << "300 300 900";
    QTest::newRow("timeframe = 1h")
        << "timeframe" << Op::Equal << QVariant("1h") << "" << false << "300";
    QTest::newRow("timeframe <> 1h, desc") << "timeframe" << Op::NotEqual << QVariant("1h")
                                           << "start_timestamp" << true << "900 600 300 0";
    QTest::newRow("timeframe LIKE 5%")
        << "timeframe" << Op::Like << QVariant("5%") << "" << false << "0 300 600 900";
    QTest::newRow("value is bound, not SQL")
        << "timeframe" << Op::Equal << QVariant("5m' OR '1'='1") << "" << false << "";
    QTest::newRow("difficulty IS NOT NULL")
        << "difficulty" << Op::IsNotNull << QVariant() << "" << false << "0 300 300 600 900";
    QTest::newRow("difficulty IS NULL")
        << "difficulty" << Op::IsNull << QVariant() << "" << false << "";
    QTest::newRow("start >= 600") << "start_timestamp" << Op::GreaterOrEqual << QVariant(600) << ""
                                  << false << "600 900";
    QTest::newRow("start < 600") << "start_timestamp" << Op::Less << QVariant(600) << "" << false
                                 << "0 300 300";
}

void TestCsvExporter::viewConditionsAndOrder()
{
    QFETCH(QString, column);
    QFETCH(TableCondition::Operator, op);
    QFETCH(QVariant, value);
    QFETCH(QString, orderBy);
    QFETCH(bool, descending);
    QFETCH(QString, timestamps);
    insertClean(QStringLiteral("5m"), 0, 50000.5, 7e20, 9e13);
    insertClean(QStringLiteral("5m"), 300, 40000.25, 7e20, 9e13);
    insertClean(QStringLiteral("1h"), 300, 40000.25, 7e20, 9e13);
    insertClean(QStringLiteral("5m"), 600, 60000.0, 7e20, 9e13);
    insertClean(QStringLiteral("5m"), 900, 40000.25, 7e20, 9e13);
    CsvRequest request;
    if (!column.isEmpty())
        request.conditions.append({ column, op, value });
    request.orderBy = orderBy;
    request.order = descending ? Qt::DescendingOrder : Qt::AscendingOrder;
    request.format.header = false;
    const QByteArray csv = exportBytes(request);
    QVERIFY2(!csv.startsWith("ERROR"), csv.constData());
    QStringList got;
    for (const QByteArray &line : csv.split('\n')) {
        if (!line.isEmpty())
            got << QString::fromLatin1(line.split(',').value(1));
    }
    QCOMPARE(got.join(QLatin1Char(' ')), timestamps);
}

void TestCsvExporter::badRequests_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QVariant>("start");
    QTest::addColumn<QVariant>("end");
    QTest::addColumn<QString>("column"); // a condition's column
    QTest::addColumn<QString>("orderBy");
    QTest::addColumn<QString>("delimiter");
    QTest::addColumn<QString>("message");
    const QString clean = QLatin1String(Warehouse::CleanTable);
    const QVariant none;
    QTest::newRow("unknown table")
        << "nope" << none << none << ""
        << ""
        << ","
        << "unknown table \"nope\"; the tables are btc_usd_price_with_net_stat, "
           "coin_price, network_difficulty, network_hash_rate, notes";
    QTest::newRow("injected table") << "notes; DROP TABLE notes" << none << none << ""
                                    << ""
                                    << ","
                                    << "unknown table \"notes; DROP TABLE notes\"";
    QTest::newRow("quoted table") << "notes\" --" << none << none << ""
                                  << ""
                                  << ","
                                  << "unknown table";
    QTest::newRow("internal table") << "sqlite_schema" << none << none << ""
                                    << ""
                                    << ","
                                    << "unknown table";
    QTest::newRow("start = end") << clean << QVariant(600) << QVariant(600) << ""
                                 << ""
                                 << ","
                                 << "the range is empty: the start 600 is not before the end 600";
    QTest::newRow("start > end") << clean << QVariant(900) << QVariant(600) << ""
                                 << ""
                                 << ","
                                 << "the range is empty: the start 900 is not before the end 600";
    QTest::newRow("range without timestamps") << "notes" << QVariant(0) << none << ""
                                              << ""
                                              << ","
                                              << "table notes has no start_timestamp column";
    QTest::newRow("unknown condition column")
        << clean << none << none << "price; --"
        << ""
        << ","
        << "table btc_usd_price_with_net_stat has no column \"price; --\"; its columns are "
           "timeframe, start_timestamp, price, hash_rate, difficulty";
    QTest::newRow("unknown order column") << "notes" << none << none << ""
                                          << "rowid"
                                          << ","
                                          << "table notes has no column \"rowid\"";
    QTest::newRow("quote delimiter") << clean << none << none << ""
                                     << ""
                                     << "\""
                                     << "other than a letter, a digit";
    QTest::newRow("LF delimiter") << clean << none << none << ""
                                  << ""
                                  << "\n"
                                  << "a quote (\" or '), CR, LF or NUL";
    QTest::newRow("CR delimiter") << clean << none << none << ""
                                  << ""
                                  << "\r"
                                  << "a quote (\" or '), CR, LF or NUL";
    QTest::newRow("NUL delimiter") << clean << none << none << ""
                                   << "" << QString(QChar(0)) << "NUL";
    QTest::newRow("digit delimiter") << clean << none << none << ""
                                     << ""
                                     << "5"
                                     << "other than a letter, a digit";
}

void TestCsvExporter::badRequests()
{
    QFETCH(QString, table);
    QFETCH(QVariant, start);
    QFETCH(QVariant, end);
    QFETCH(QString, column);
    QFETCH(QString, orderBy);
    QFETCH(QString, delimiter);
    QFETCH(QString, message);
    exec(QLatin1String(NotesTable));
    exec(QStringLiteral("INSERT INTO notes (id, label) VALUES (1, 'kept')"));
    CsvRequest request;
    request.table = table;
    if (start.isValid())
        request.start = start.toLongLong();
    if (end.isValid())
        request.end = end.toLongLong();
    if (!column.isEmpty())
        request.conditions.append({ column, TableCondition::Operator::Equal, 1 });
    request.orderBy = orderBy;
    request.format.delimiter = delimiter.at(0).toLatin1();

    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary = exporter.exportToFile(request, target());
    QVERIFY(!summary);
    QVERIFY2(summary.error().message().contains(message), qPrintable(summary.error().message()));
    QCOMPARE(exporter.failure(), CsvExporter::Failure::BadRequest);
    QVERIFY(filesIn(m_dir->filePath(QStringLiteral("out"))).isEmpty());
    // Nothing was run: the table is still there.
    QCOMPARE(exportBytes([] {
        CsvRequest notes;
        notes.table = QStringLiteral("notes");
        return notes;
    }()),
        QByteArray("id,label,amount,count,extra\r\n1,kept,,,\r\n"));
}

void TestCsvExporter::replacesExistingTarget()
{
    insertClean(QStringLiteral("5m"), 300, 1.25, 2.5, 5.0);
    QFile old(target());
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write(QByteArray(100000, 'x'));
    old.close();
    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary = exporter.exportToFile(CsvRequest(), target());
    QVERIFY(summary);
    QCOMPARE(summary->rows, 1);
    QCOMPARE(readFile(target()), QByteArray(CleanHeader) + "5m,300,1.25,2.5,5.0\r\n");
    QCOMPARE(summary->bytes, QFileInfo(target()).size());
    QCOMPARE(filesIn(m_dir->filePath(QStringLiteral("out"))), QStringList{ "export.csv" });
    QCOMPARE(exporter.failure(), CsvExporter::Failure::None);
    const ino_t before = inodeOf(target());
    QVERIFY(exporter.exportToFile(CsvRequest(), target()));
    QVERIFY2(inodeOf(target()) != before, "a regular file is replaced by a rename");
}

void TestCsvExporter::cancelMidwayKeepsTarget()
{
    exec(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49999)"
        " INSERT INTO btc_usd_price_with_net_stat"
        " SELECT '5m', i * 300, 30000 + i / 100.0, 7e20 + i, 9e13 FROM n"));
    QFile old(target());
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("previous export\r\n");
    old.close();

    std::atomic_bool cancel{ false };
    qint64 doneWhenCancelled = -1;
    CsvExporter exporter(warehouse());
    exporter.setCancelFlag(&cancel);
    exporter.setProgressHandler([&](qint64 done, qint64 total) {
        QCOMPARE(total, 50000);
        if (done > 0 && !cancel) {
            doneWhenCancelled = done;
            cancel = true;
        }
    });
    Result<CsvSummary> summary = exporter.exportToFile(CsvRequest(), target());
    QVERIFY(!summary);
    QCOMPARE(exporter.failure(), CsvExporter::Failure::Cancelled);
    QVERIFY2(summary.error().message().contains(target()), qPrintable(summary.error().message()));
    QVERIFY(doneWhenCancelled > 0 && doneWhenCancelled < 50000);
    QCOMPARE(readFile(target()), QByteArray("previous export\r\n"));
    QCOMPARE(filesIn(m_dir->filePath(QStringLiteral("out"))), QStringList{ "export.csv" });
}

void TestCsvExporter::cancelBeforeStartWritesNothing()
{
    insertClean(QStringLiteral("5m"), 300, 1.25, 2.5, 5.0);
    std::atomic_bool cancel{ true };
    CsvExporter exporter(warehouse());
    exporter.setCancelFlag(&cancel);
    QVERIFY(!exporter.exportToFile(CsvRequest(), target()));
    QCOMPARE(exporter.failure(), CsvExporter::Failure::Cancelled);
    QVERIFY(filesIn(m_dir->filePath(QStringLiteral("out"))).isEmpty());
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(!exporter.exportToDevice(CsvRequest(), &buffer, QStringLiteral("buffer")));
    QCOMPARE(exporter.failure(), CsvExporter::Failure::Cancelled);
    QCOMPARE(buffer.size(), 0);
}

void TestCsvExporter::unwritableFolderIsNamed()
{
    insertClean(QStringLiteral("5m"), 300, 1.25, 2.5, 5.0);
    QString folder = m_dir->filePath(QStringLiteral("locked"));
    QVERIFY(QDir().mkdir(folder));
    QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
    {
        // Root writes anywhere it has permission bits against it; sysfs refuses even root.
        QFile probe(folder + QStringLiteral("/probe"));
        if (probe.open(QIODevice::WriteOnly)) {
            probe.remove();
            folder = QStringLiteral("/sys");
        }
    }
    const QString path = folder + QStringLiteral("/export.csv");
    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary = exporter.exportToFile(CsvRequest(), path);
    QFile::setPermissions(m_dir->filePath(QStringLiteral("locked")),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(!summary);
    QCOMPARE(exporter.failure(), CsvExporter::Failure::Io);
    const QString message = summary.error().message();
    QVERIFY2(message.contains(path) && message.contains(QStringLiteral("folder ") + folder),
        qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("ermission denied")), qPrintable(message));
    QVERIFY(!QFileInfo::exists(path));
}

void TestCsvExporter::missingFolderIsNamed()
{
    const QString folder = m_dir->filePath(QStringLiteral("missing"));
    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary =
        exporter.exportToFile(CsvRequest(), folder + QStringLiteral("/x.csv"));
    QVERIFY(!summary);
    QCOMPARE(exporter.failure(), CsvExporter::Failure::Io);
    QVERIFY2(summary.error().message().contains(
                 QStringLiteral("the folder %1 does not exist").arg(folder)),
        qPrintable(summary.error().message()));
    summary = exporter.exportToFile(CsvRequest(), m_dir->filePath(QStringLiteral("out")));
    QVERIFY(!summary);
    QVERIFY2(summary.error().message().contains(QLatin1String("it is a folder")),
        qPrintable(summary.error().message()));
    QVERIFY(QFileInfo(m_dir->filePath(QStringLiteral("out"))).isDir());
}

void TestCsvExporter::diskFullIsReported()
{
    exec(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 29999)"
        " INSERT INTO btc_usd_price_with_net_stat"
        " SELECT '5m', i * 300, 30000 + i / 100.0, 7e20 + i, 9e13 FROM n"));
    QFile full(QStringLiteral("/dev/full"));
    QVERIFY(full.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary =
        exporter.exportToDevice(CsvRequest(), &full, QStringLiteral("/dev/full"));
    QVERIFY(!summary);
    QCOMPARE(exporter.failure(), CsvExporter::Failure::Io);
    QVERIFY2(summary.error().message().startsWith(
                 QLatin1String("/dev/full: cannot write the CSV: No space left")),
        qPrintable(summary.error().message()));
}

// A short write is not an error: the rest is written again, and the refusal that follows
// carries the device's reason (QFile's is the system's: "No space left on device").
void TestCsvExporter::shortWritesAreRetried()
{
    exec(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)"
        " INSERT INTO btc_usd_price_with_net_stat"
        " SELECT '5m', i * 300, 30000 + i / 100.0, 7e20 + i, 9e13 FROM n"));
    const QByteArray expected = exportBytes(CsvRequest());
    QVERIFY(expected.size() > 20000);
    CsvExporter exporter(warehouse());
    TrickleDevice roomy(expected.size());
    QVERIFY(exporter.exportToDevice(CsvRequest(), &roomy, QStringLiteral("roomy")));
    QCOMPARE(roomy.data, expected);

    TrickleDevice small(expected.size() / 2);
    Result<CsvSummary> summary =
        exporter.exportToDevice(CsvRequest(), &small, QStringLiteral("small"));
    QVERIFY(!summary);
    QCOMPARE(exporter.failure(), CsvExporter::Failure::Io);
    QCOMPARE(summary.error().message(),
        QStringLiteral("small: cannot write the CSV: the trickle device is full"));
    QCOMPARE(small.data, expected.left(expected.size() / 2));
}

// A symbolic link is never replaced by a file: the regular file it leads to is, atomically.
void TestCsvExporter::linkToRegularFileReplacesItsTarget()
{
    insertClean(QStringLiteral("5m"), 300, 1.25, 2.5, 5.0);
    const QString real = m_dir->filePath(QStringLiteral("out/real.csv"));
    const QString link = m_dir->filePath(QStringLiteral("link.csv"));
    QFile old(real);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("previous export\r\n");
    old.close();
    QVERIFY(QFile::link(QStringLiteral("out/real.csv"), link)); // relative, as ln -s makes it
    const ino_t before = inodeOf(real);
    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary = exporter.exportToFile(CsvRequest(), link);
    QVERIFY2(summary, qPrintable(summary ? QString() : summary.error().message()));
    QVERIFY(QFileInfo(link).isSymLink());
    QCOMPARE(QFileInfo(link).symLinkTarget(), real);
    QVERIFY(inodeOf(real) != before);
    QCOMPARE(readFile(real), QByteArray(CleanHeader) + "5m,300,1.25,2.5,5.0\r\n");
    QCOMPARE(filesIn(m_dir->filePath(QStringLiteral("out"))), QStringList{ "real.csv" });
}

void TestCsvExporter::danglingLinkCreatesItsTarget()
{
    insertClean(QStringLiteral("5m"), 300, 1.25, 2.5, 5.0);
    const QString link = m_dir->filePath(QStringLiteral("link.csv"));
    QVERIFY(QFile::link(target(), link));
    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary = exporter.exportToFile(CsvRequest(), link);
    QVERIFY2(summary, qPrintable(summary ? QString() : summary.error().message()));
    QVERIFY(QFileInfo(link).isSymLink());
    QCOMPARE(readFile(target()), QByteArray(CleanHeader) + "5m,300,1.25,2.5,5.0\r\n");
    QCOMPARE(filesIn(m_dir->filePath(QStringLiteral("out"))), QStringList{ "export.csv" });
}

// stat, not lstat: a link to a device is a device, written in place; both stay what they were.
void TestCsvExporter::linkToDeviceIsWrittenInPlace()
{
    insertClean(QStringLiteral("5m"), 300, 1.25, 2.5, 5.0);
    const QString full = DeviceNodes::full(m_dir->filePath(QStringLiteral("out")));
    const QString link = m_dir->filePath(QStringLiteral("full.csv"));
    QVERIFY(QFile::link(full, link));
    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary = exporter.exportToFile(CsvRequest(), link);
    QVERIFY(!summary);
    QCOMPARE(exporter.failure(), CsvExporter::Failure::Io);
    QCOMPARE(summary.error().message(),
        link + QStringLiteral(": cannot write the CSV: ")
            + QString::fromLocal8Bit(std::strerror(ENOSPC)));
    QVERIFY(QFileInfo(link).isSymLink());
    QVERIFY(DeviceNodes::isCharDevice(full, 7));
    QCOMPARE(
        QDir(m_dir->path())
            .entryList({ QStringLiteral("full.csv*") }, QDir::Files | QDir::System | QDir::Hidden),
        QStringList{ "full.csv" });
}

void TestCsvExporter::linkToFolderIsRefused()
{
    const QString link = m_dir->filePath(QStringLiteral("folder.csv"));
    QVERIFY(QFile::link(m_dir->filePath(QStringLiteral("out")), link));
    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary = exporter.exportToFile(CsvRequest(), link);
    QVERIFY(!summary);
    QCOMPARE(exporter.failure(), CsvExporter::Failure::Io);
    QCOMPARE(summary.error().message(),
        link + QStringLiteral(": cannot write the CSV file: it is a folder"));
    QVERIFY(QFileInfo(link).isSymLink());
    QVERIFY(filesIn(m_dir->filePath(QStringLiteral("out"))).isEmpty());
}

void TestCsvExporter::progressCountsRows()
{
    exec(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)"
        " INSERT INTO btc_usd_price_with_net_stat"
        " SELECT '5m', i * 300, 30000 + i / 100.0, 7e20 + i, 9e13 FROM n"));
    QList<QPair<qint64, qint64>> calls;
    CsvExporter exporter(warehouse());
    exporter.setProgressHandler([&](qint64 done, qint64 total) { calls.append({ done, total }); });
    CsvRequest request;
    request.start = 300 * 5000;
    Result<CsvSummary> summary = exporter.exportToFile(request, target());
    QVERIFY(summary);
    QCOMPARE(summary->rows, 15000);
    QVERIFY(calls.size() >= 3);
    QCOMPARE(calls.first(), qMakePair(qint64(0), qint64(15000)));
    QCOMPARE(calls.last(), qMakePair(qint64(15000), qint64(15000)));
    for (qsizetype i = 1; i < calls.size(); ++i) {
        QVERIFY(calls.at(i).first >= calls.at(i - 1).first);
        QCOMPARE(calls.at(i).second, 15000);
    }
}

void TestCsvExporter::streamsMillionRowsInBoundedMemory()
{
    constexpr qint64 Rows = 1000000;
    exec(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %1)"
        " INSERT INTO btc_usd_price_with_net_stat"
        " SELECT '5m', 1600000000 + i * 300, 30000 + (i % 4000000) / 100.0,"
        " 7.0e20 + i * 123456789012.0, 9.0e13 + i * 0.37 FROM n")
             .arg(Rows - 1));
    if (!resetPeakRss())
        QSKIP("/proc/self/clear_refs is not available to reset the peak RSS");
    const qint64 before = peakRssKb();
    QVERIFY(before > 0);

    CsvExporter exporter(warehouse());
    Result<CsvSummary> summary = exporter.exportToFile(CsvRequest(), target());
    QVERIFY2(summary, qPrintable(summary ? QString() : summary.error().message()));
    const qint64 growthKb = peakRssKb() - before;
    qInfo("1M rows, %lld bytes: peak RSS grew by %lld kB", summary->bytes, growthKb);
    QCOMPARE(summary->rows, Rows);
    QVERIFY(summary->bytes > 60 * 1000 * 1000); // a file far larger than the allowed growth
    QVERIFY2(growthKb < 50 * 1024, qPrintable(QString::number(growthKb)));

    QFile file(target());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.size(), summary->bytes);
    QCOMPARE(file.readLine(), QByteArray(CleanHeader));
    QCOMPARE(file.readLine(), QByteArray("5m,1600000000,30000.0,7e+20,90000000000000.0\r\n"));
    qint64 lines = 2;
    QByteArray last;
    while (!file.atEnd()) {
        last = file.readLine();
        ++lines;
    }
    QCOMPARE(lines, Rows + 1);
    QVERIFY2(last.startsWith("5m,1899999700,"), last.constData());
}

void TestCsvExporter::schemaLookups()
{
    exec(QLatin1String(NotesTable));
    Result<QStringList> tables = CsvExporter::tables(warehouse());
    QVERIFY(tables);
    QCOMPARE(*tables,
        (QStringList{ "btc_usd_price_with_net_stat", "coin_price", "network_difficulty",
            "network_hash_rate", "notes" }));
    Result<QStringList> columns = CsvExporter::columns(warehouse(), QStringLiteral("coin_price"));
    QVERIFY(columns);
    QCOMPARE(columns->join(u','), QStringLiteral("coin,currency,timeframe,start_timestamp,price"));
    columns = CsvExporter::columns(warehouse(), QStringLiteral("nope"));
    QVERIFY(!columns);
    QVERIFY(columns.error().message().contains(QLatin1String("unknown table \"nope\"")));

    const QString missing = m_dir->filePath(QStringLiteral("missing.sqlite"));
    QVERIFY(!CsvExporter::tables(missing));
    CsvExporter exporter(missing);
    Result<CsvSummary> summary = exporter.exportToFile(CsvRequest(), target());
    QVERIFY(!summary);
    QCOMPARE(exporter.failure(), CsvExporter::Failure::Io);
    QCOMPARE(summary.error().message(), missing + QStringLiteral(": the warehouse does not exist"));
    QVERIFY(!QFileInfo::exists(missing));
    QVERIFY(!QFileInfo::exists(target()));
}

void TestCsvExporter::parseDelimiter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("delimiter"); // -1: refused
    QTest::newRow("comma") << "," << int(',');
    QTest::newRow("semicolon") << ";" << int(';');
    QTest::newRow("pipe") << "|" << int('|');
    QTest::newRow("colon") << ":" << int(':');
    QTest::newRow("hash") << "#" << int('#');
    QTest::newRow("caret") << "^" << int('^');
    QTest::newRow("tilde") << "~" << int('~');
    QTest::newRow("slash") << "/" << int('/');
    QTest::newRow("backslash") << "\\" << int('\\');
    QTest::newRow("space") << " " << int(' ');
    QTest::newRow("SOH, Hive's delimiter") << "\x01" << 1;
    QTest::newRow("tab character") << "\t" << int('\t');
    QTest::newRow("tab word") << "tab" << int('\t');
    QTest::newRow("tab word, capitals") << "TAB" << int('\t');
    QTest::newRow("tab escape") << "\\t" << int('\t');
    QTest::newRow("empty") << "" << -1;
    QTest::newRow("two") << ",," << -1;
    QTest::newRow("tabs") << "tabs" << -1;
    QTest::newRow("quote") << "\"" << -1;
    QTest::newRow("apostrophe") << "'" << -1;
    QTest::newRow("CR") << "\r" << -1;
    QTest::newRow("LF") << "\n" << -1;
    QTest::newRow("NUL") << QString(QChar(0)) << -1;
    QTest::newRow("dot") << "." << -1;
    QTest::newRow("plus") << "+" << -1;
    QTest::newRow("minus") << "-" << -1;
    QTest::newRow("zero") << "0" << -1;
    QTest::newRow("nine") << "9" << -1;
    QTest::newRow("e") << "e" << -1;
    QTest::newRow("E") << "E" << -1;
    QTest::newRow("n of nan") << "n" << -1;
    QTest::newRow("non-ASCII") << "§" << -1;
}

void TestCsvExporter::parseDelimiter()
{
    QFETCH(QString, text);
    QFETCH(int, delimiter);
    Result<char> parsed = CsvExporter::parseDelimiter(text);
    QCOMPARE(parsed.hasValue(), delimiter >= 0);
    if (parsed) {
        QCOMPARE(int(*parsed), delimiter);
        return;
    }
    QVERIFY2(parsed.error().message().contains(QLatin1String("a delimiter is one ASCII character")),
        qPrintable(parsed.error().message()));
    // A request that sets the delimiter directly is checked by the same rule, before any output.
    if (text.size() == 1 && text.at(0).unicode() < 128) {
        CsvRequest request;
        request.format.delimiter = char(text.at(0).unicode());
        CsvExporter exporter(warehouse());
        QVERIFY(!exporter.exportToFile(request, target()));
        QCOMPARE(exporter.failure(), CsvExporter::Failure::BadRequest);
        QVERIFY(!QFileInfo::exists(target()));
    }
}

QTEST_GUILESS_MAIN(TestCsvExporter)
#include "tst_csvexporter.moc"
