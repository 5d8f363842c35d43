// `sluice export` run as a user would: the file, standard output, options, summary line, exit
// codes and messages, and agreement with the sqlite3 command-line tool.

#include <cerrno>
#include <cmath>
#include <cstring>

#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "devicenodes.h"
#include "sluiceprocess.h"
#include "storage/sqliteconnection.h"
#include "storage/warehouse.h"

using namespace Sluice;

namespace {

const QByteArray Header = "timeframe,start_timestamp,price,hash_rate,difficulty\r\n";
// 2024-03-08T00:00:00Z is 1709856000.
const QByteArray Row0 = "5m,1709855700,66995.0,6.999999999999999e+20,83148355189239.0\r\n";
const QByteArray Row1 = "5m,1709856000,67012.53,7.365750402566894e+20,95672703408223.94\r\n";
const QByteArray Row2 = "5m,1709856300,100.0,1e+16,1e-05\r\n";

// The system's own words for an errno, as the command is to print them.
QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

struct stat statusOf(const QString &path)
{
    struct stat status = {};
    ::lstat(QFile::encodeName(path).constData(), &status);
    return status;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(unreadable)");
}

} // namespace

class TestExportCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void writesFileAndSummary();
    void summaryGroupsThousands();
    void standardOutput_data();
    void standardOutput();
    void errors_data();
    void errors();
    void diskFullOnStandardOutput();
    void fifoIsWrittenInPlace();
    void devicesAreWrittenInPlace_data();
    void devicesAreWrittenInPlace();
    void ownDescriptorsAreWrittenInPlace_data();
    void ownDescriptorsAreWrittenInPlace();
    void regularFileIsReplacedAtomically();
    void writeErrorKeepsTheTarget();
    void numericallyEqualsSqlite3();

private:
    struct Output
    {
        int code = -1;
        QByteArray out;
        QString err;
    };
    Output run(const QStringList &args, const QString &stdoutFile = QString(),
        QIODevice::OpenMode stdoutMode = QIODevice::Truncate, const QString &shellPrefix = {});
    QString dataDir() const { return m_dir->filePath(QStringLiteral("data")); }
    QString warehouse() const { return dataDir() + QStringLiteral("/warehouse.sqlite"); }
    void exec(const QString &sql);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestExportCommand::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir().mkdir(dataDir()));
    QVERIFY(Warehouse::initialize(warehouse()));
    exec(QStringLiteral("INSERT INTO btc_usd_price_with_net_stat VALUES"
                        " ('5m', 1709856300, 100.0, 1e16, 1e-5),"
                        " ('5m', 1709856000, 67012.53, 7.365750402566894e+20, 95672703408223.94),"
                        " ('5m', 1709855700, 66995.0, 6.999999999999999e+20, 83148355189239.0)"));
    exec(
        QStringLiteral("INSERT INTO coin_price VALUES ('BTC', 'USD', '5m', 1709856000, 67012.53)"));
}

void TestExportCommand::exec(const QString &sql)
{
    Result<SqliteConnection> db = SqliteConnection::open(warehouse(), QStringLiteral("test"));
    QVERIFY(db);
    QVERIFY2(db->exec(sql), qPrintable(sql));
}

// shellPrefix, when given, runs the command through /bin/sh after that shell code, for limits.
TestExportCommand::Output TestExportCommand::run(const QStringList &args, const QString &stdoutFile,
    QIODevice::OpenMode stdoutMode, const QString &shellPrefix)
{
    QProcess process;
    process.setProcessEnvironment(SluiceProcess::environment(
        { { QStringLiteral("XDG_CONFIG_HOME"), m_dir->filePath(QStringLiteral("xdg-config")) } }));
    process.setWorkingDirectory(m_dir->path());
    if (!stdoutFile.isEmpty())
        process.setStandardOutputFile(stdoutFile, stdoutMode);
    const QStringList arguments =
        QStringList{ QStringLiteral("--data-dir"), dataDir(), QStringLiteral("export") } + args;
    if (shellPrefix.isEmpty()) {
        process.start(QStringLiteral(SLUICE_EXECUTABLE), arguments);
    } else {
        process.start(QStringLiteral("/bin/sh"),
            QStringList{ QStringLiteral("-c"), shellPrefix + QStringLiteral("; exec \"$0\" \"$@\""),
                QStringLiteral(SLUICE_EXECUTABLE) }
                + arguments);
    }
    const SluiceProcess::Output finished = SluiceProcess::finish(process, 60000);
    Output output;
    output.code = finished.code;
    output.out = finished.rawOut;
    output.err = finished.err;
    return output;
}

void TestExportCommand::writesFileAndSummary()
{
    // A relative path, as typed, lands in the working directory and is named as typed.
    const Output output = run({ QStringLiteral("-o"), QStringLiteral("out.csv") });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out, QByteArray());
    QCOMPARE(output.err, QStringLiteral("Wrote 3 rows to out.csv\n"));
    QFile file(m_dir->filePath(QStringLiteral("out.csv")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), Header + Row0 + Row1 + Row2);
    QCOMPARE(
        QDir(m_dir->path()).entryList({ QStringLiteral("out.csv*") }, QDir::Files | QDir::Hidden),
        QStringList{ "out.csv" });
}

void TestExportCommand::summaryGroupsThousands()
{
    exec(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12342)"
        " INSERT INTO btc_usd_price_with_net_stat"
        " SELECT '5m', 1709856300 + i * 300, 1.5, 2.5, 3.5 FROM n"));
    const QString path = m_dir->filePath(QStringLiteral("big.csv"));
    const Output output = run({ QStringLiteral("--output"), path });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.err, QStringLiteral("Wrote 12,345 rows to %1\n").arg(path));
    QCOMPARE(QFileInfo(path).size(),
        qint64(Header.size() + Row0.size() + Row1.size() + Row2.size())
            + 12342 * qint64(QByteArrayLiteral("5m,1709859900,1.5,2.5,3.5\r\n").size()));
}

void TestExportCommand::standardOutput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("all") << QStringList{} << Header + Row0 + Row1 + Row2;
    QTest::newRow("unix range") << QStringList{ "--start", "1709856000", "--end", "1709856300" }
                                << Header + Row1;
    QTest::newRow("ISO Z range") << QStringList{ "--start", "2024-03-08T00:00:00Z", "--end",
        "2024-03-08T00:05:01Z" } << Header + Row1 + Row2;
    QTest::newRow("ISO offset") << QStringList{ "--end", "2024-03-08T01:00:00+01:00" }
                                << Header + Row0;
    QTest::newRow("ISO without zone is UTC")
        << QStringList{ "--start", "2024-03-08T00:05:00" } << Header + Row2;
    QTest::newRow("date only") << QStringList{ "--end", "2024-03-08" } << Header + Row0;
    QTest::newRow("only start") << QStringList{ "--start", "1709856000" } << Header + Row1 + Row2;
    QTest::newRow("empty range") << QStringList{ "--start", "1809856000" } << Header;
    QTest::newRow("no header") << QStringList{ "--no-header", "--end", "1709856000" } << Row0;
    QTest::newRow("semicolon") << QStringList{ "--delimiter", ";", "--start", "1709856300" }
                               << QByteArray(
                                      "timeframe;start_timestamp;price;hash_rate;difficulty\r\n"
                                      "5m;1709856300;100.0;1e+16;1e-05\r\n");
    QTest::newRow("tab") << QStringList{ "--delimiter", "tab", "--no-header", "--start",
        "1709856300" } << QByteArray("5m\t1709856300\t100.0\t1e+16\t1e-05\r\n");
    QTest::newRow("tab escape") << QStringList{ "--delimiter", "\\t", "--no-header", "--start",
        "1709856300" } << QByteArray("5m\t1709856300\t100.0\t1e+16\t1e-05\r\n");
    QTest::newRow("tab character") << QStringList{ "--delimiter", "\t", "--no-header", "--start",
        "1709856300" } << QByteArray("5m\t1709856300\t100.0\t1e+16\t1e-05\r\n");
    QTest::newRow("pipe") << QStringList{ "--delimiter", "|", "--no-header", "--start",
        "1709856300" } << QByteArray("5m|1709856300|100.0|1e+16|1e-05\r\n");
    QTest::newRow("colon") << QStringList{ "--delimiter", ":", "--no-header", "--start",
        "1709856300" } << QByteArray("5m:1709856300:100.0:1e+16:1e-05\r\n");
    QTest::newRow("other table") << QStringList{ "--table", "coin_price" }
                                 << QByteArray("coin,currency,timeframe,start_timestamp,price\r\n"
                                               "BTC,USD,5m,1709856000,67012.53\r\n");
}

void TestExportCommand::standardOutput()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, expected);
    const Output output = run(QStringList{ QStringLiteral("-o"), QStringLiteral("-") } + args);
    QCOMPARE(output.code, 0);
    QCOMPARE(output.err, QString()); // no summary: stdout may be a pipe into another tool
    QCOMPARE(output.out, expected);
}

void TestExportCommand::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("no -o") << QStringList{} << 2 << "an output file is needed: -o FILE";
    QTest::newRow("extra argument")
        << QStringList{ "-o", "-", "table" } << 2 << "unexpected argument \"table\"";
    QTest::newRow("unknown table")
        << QStringList{ "-o", "x.csv", "--table", "prices" } << 2
        << "unknown table \"prices\"; the tables are btc_usd_price_with_net_stat, "
           "coin_price, network_difficulty, network_hash_rate";
    QTest::newRow("start = end") << QStringList{
        "-o", "x.csv", "--start", "1709856000", "--end", "2024-03-08T00:00:00Z"
    } << 2 << "the range is empty: the start 1709856000 is not before the end 1709856000";
    QTest::newRow("start > end") << QStringList{ "-o", "-", "--start", "2024-03-09", "--end",
        "2024-03-08" } << 2 << "the range is empty";
    QTest::newRow("bad start") << QStringList{ "-o", "x.csv", "--start",
        "yesterday" } << 2 << "--start \"yesterday\" is not a time: give unix seconds or ISO 8601";
    QTest::newRow("bad end") << QStringList{ "-o", "x.csv", "--end", "2024-13-01" } << 2
                             << "--end \"2024-13-01\" is not a time";
    // Refused delimiters: the message names the option, the value (control characters
    // escaped) and what is allowed.
    const QString allowed =
        QStringLiteral("is refused: a delimiter is one ASCII character other "
                       "than a letter, a digit, \".\", \"+\", \"-\", a quote "
                       "(\" or '), CR, LF or NUL; \"tab\" or \"\\t\" stands for a tab");
    const QList<QPair<const char *, QString>> refused = {
        { ";;", QStringLiteral(";;") },
        { "", QString() },
        { ".", QStringLiteral(".") },
        { "0", QStringLiteral("0") },
        { "e", QStringLiteral("e") },
        { "E", QStringLiteral("E") },
        { "-", QStringLiteral("-") },
        { "+", QStringLiteral("+") },
        { "\"", QStringLiteral("\"") },
        { "'", QStringLiteral("'") },
        { "tabs", QStringLiteral("tabs") },
        { "\\x01\\x1b", QString(QChar(0x01)) + QChar(0x1b) },
        { "\\n", QStringLiteral("\n") },
        { "\\r", QStringLiteral("\r") },
        { "\u00a7", QStringLiteral("\u00a7") },
    };
    for (const auto &[shown, value] : refused) {
        QTest::addRow("delimiter \"%s\"", shown)
            << QStringList{ "-o", "x.csv", "--delimiter", value } << 2
            << QStringLiteral("sluice export: --delimiter \"%1\" %2")
                   .arg(QString::fromUtf8(shown), allowed);
    }
    QTest::newRow("foreign option") << QStringList{ "-o", "x.csv", "--count", "3" } << 2
                                    << "\"--count\" does not apply to \"export\"";
    QTest::newRow("missing folder")
        << QStringList{ "-o", "nowhere/x.csv" } << 1 << "cannot write the CSV file: the folder";
    QTest::newRow("folder is a file") << QStringList{ "-o", "data/warehouse.sqlite/x.csv" } << 1
                                      << "data/warehouse.sqlite/x.csv: cannot write the CSV file";
    QTest::newRow("target is a folder") << QStringList{ "-o", "data" } << 1 << "it is a folder";
}

void TestExportCommand::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    const Output output = run(args);
    QCOMPARE(output.code, code);
    QVERIFY2(output.err.startsWith(QLatin1String("sluice")), qPrintable(output.err));
    QVERIFY2(output.err.contains(message), qPrintable(output.err));
    QCOMPARE(output.err.contains(QLatin1String("Usage: sluice")), code == 2);
    QCOMPARE(output.out, QByteArray());
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("x.csv"))));
}

void TestExportCommand::diskFullOnStandardOutput()
{
    const Output output =
        run({ QStringLiteral("-o"), QStringLiteral("-") }, QStringLiteral("/dev/full"));
    QCOMPARE(output.code, 1);
    QVERIFY2(output.err.contains(
                 QLatin1String("standard output: cannot write the CSV: No space left on device")),
        qPrintable(output.err));
}

// A FIFO is written as `> fifo` would: its reader gets the CSV and it stays a FIFO.
void TestExportCommand::fifoIsWrittenInPlace()
{
    const QString fifo = m_dir->filePath(QStringLiteral("pipe"));
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    QProcess reader;
    reader.start(QStringLiteral("cat"), { fifo });
    QVERIFY(reader.waitForStarted());
    const Output output = run({ QStringLiteral("-o"), fifo });
    QVERIFY2(S_ISFIFO(statusOf(fifo).st_mode), "the FIFO was replaced");
    QCOMPARE(output.code, 0);
    QCOMPARE(output.err, QStringLiteral("Wrote 3 rows to %1\n").arg(fifo));
    // The wait for sluice ran the event loop: cat may be reaped already.
    QVERIFY(reader.state() == QProcess::NotRunning || reader.waitForFinished());
    QCOMPARE(reader.readAllStandardOutput(), Header + Row0 + Row1 + Row2);
    QCOMPARE(QDir(m_dir->path()).entryList({ QStringLiteral("pipe*") }, QDir::System | QDir::Files),
        QStringList{ "pipe" });
}

void TestExportCommand::devicesAreWrittenInPlace_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("code");
    QTest::newRow("null") << "null" << 0;
    QTest::newRow("full") << "full" << 1;
}

// -o /dev/full once replaced the machine's /dev/full with a regular file (as root). A device is
// opened and written in place; a full one fails with the system's reason and stays a device.
void TestExportCommand::devicesAreWrittenInPlace()
{
    QFETCH(QString, name);
    QFETCH(int, code);
    const unsigned minorNumber = name == u"null" ? 3 : 7;
    const QString device =
        name == u"null" ? DeviceNodes::null(m_dir->path()) : DeviceNodes::full(m_dir->path());
    const Output output = run({ QStringLiteral("-o"), device });
    QVERIFY2(DeviceNodes::isCharDevice(device, minorNumber), "the device was replaced");
    const QString folder = QFileInfo(device).absolutePath();
    QCOMPARE(QDir(folder).entryList({ name + QStringLiteral(".*") }, QDir::Files | QDir::Hidden),
        QStringList());
    QCOMPARE(output.code, code);
    QCOMPARE(output.out, QByteArray());
    if (code == 0) {
        QCOMPARE(output.err, QStringLiteral("Wrote 3 rows to %1\n").arg(device));
    } else {
        const QString expected =
            QStringLiteral("%1: cannot write the CSV: %2").arg(device, systemError(ENOSPC));
        QVERIFY2(output.err.contains(expected), qPrintable(output.err));
        QVERIFY2(!output.err.contains(QLatin1String("Unknown error")), qPrintable(output.err));
    }
}

void TestExportCommand::ownDescriptorsAreWrittenInPlace_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("toFile"); // standard output appends to a file, else it is a pipe
    QTest::newRow("/dev/stdout, a pipe") << "/dev/stdout" << false;
    QTest::newRow("/dev/stdout, a file") << "/dev/stdout" << true;
    QTest::newRow("/dev/fd/1, a file") << "/dev/fd/1" << true;
    QTest::newRow("/proc/self/fd/1, a pipe") << "/proc/self/fd/1" << false;
}

// `sluice export -o /dev/stdout >> log` appends to log as any tool would: the descriptor is
// written, and the file behind it is neither replaced nor truncated.
void TestExportCommand::ownDescriptorsAreWrittenInPlace()
{
    QFETCH(QString, path);
    QFETCH(bool, toFile);
    const QString log = m_dir->filePath(QStringLiteral("log"));
    QFile before(log);
    QVERIFY(before.open(QIODevice::WriteOnly));
    before.write("earlier lines\n");
    before.close();
    const ino_t inode = statusOf(log).st_ino;
    const Output output = run({ QStringLiteral("-o"), path, QStringLiteral("--no-header") },
        toFile ? log : QString(), QIODevice::Append);
    QCOMPARE(output.code, 0);
    QCOMPARE(output.err, QStringLiteral("Wrote 3 rows to %1\n").arg(path));
    if (toFile) {
        QCOMPARE(statusOf(log).st_ino, inode);
        QCOMPARE(readAll(log), QByteArray("earlier lines\n") + Row0 + Row1 + Row2);
    } else {
        QCOMPARE(output.out, Row0 + Row1 + Row2);
        QCOMPARE(readAll(log), QByteArray("earlier lines\n"));
    }
}

// A regular file is replaced by a rename: a new inode, complete content, no temporary left.
void TestExportCommand::regularFileIsReplacedAtomically()
{
    const QString path = m_dir->filePath(QStringLiteral("out.csv"));
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("previous export\r\n");
    old.close();
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
    const ino_t inode = statusOf(path).st_ino;
    const Output output = run({ QStringLiteral("-o"), path });
    QCOMPARE(output.code, 0);
    QVERIFY(S_ISREG(statusOf(path).st_mode));
    QVERIFY(statusOf(path).st_ino != inode);
    QCOMPARE(statusOf(path).st_mode & 0777, mode_t(0640));
    QCOMPARE(readAll(path), Header + Row0 + Row1 + Row2);
    QCOMPARE(
        QDir(m_dir->path()).entryList({ QStringLiteral("out.csv*") }, QDir::Files | QDir::Hidden),
        QStringList{ "out.csv" });
}

// A write that fails halfway (here a file size limit; a full disk fails the same way: one
// short write, then an error) names the system's reason, exits 1 and leaves the old file.
void TestExportCommand::writeErrorKeepsTheTarget()
{
    exec(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
        " INSERT INTO btc_usd_price_with_net_stat"
        " SELECT '5m', 1709856300 + i * 300, 30000.25, 7.5e20, 8.5e13 FROM n"));
    const QString path = m_dir->filePath(QStringLiteral("out.csv"));
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("previous export\r\n");
    old.close();
    // 256 blocks of 512 bytes: room for SQLite's 32 KiB shared-memory files, not for the CSV.
    // SIGXFSZ is ignored so that the write fails with EFBIG instead of killing the process.
    const Output output =
        run({ QStringLiteral("-o"), path }, {}, {}, QStringLiteral("trap '' XFSZ; ulimit -f 256"));
    QCOMPARE(output.code, 1);
    const QString expected =
        QStringLiteral("%1: cannot write the CSV: %2").arg(path, systemError(EFBIG));
    QVERIFY2(output.err.contains(expected), qPrintable(output.err));
    QCOMPARE(readAll(path), QByteArray("previous export\r\n"));
    QCOMPARE(
        QDir(m_dir->path()).entryList({ QStringLiteral("out.csv*") }, QDir::Files | QDir::Hidden),
        QStringList{ "out.csv" });
}

// The export is numerically equal to `sqlite3 -csv` of the same query, which prints
// only 15 significant digits; ours are exact, so they agree to 15 digits and round-trip.
void TestExportCommand::numericallyEqualsSqlite3()
{
    const QString sqlite3 = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
    if (sqlite3.isEmpty())
        QSKIP("the sqlite3 command-line tool is not installed (Debian package sqlite3)");
    exec(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
        " INSERT INTO btc_usd_price_with_net_stat"
        " SELECT '5m', 1709856300 + i * 300, 30000 + (abs(random()) % 4000000) / 100.0,"
        " 6e20 + (abs(random()) % 200000000000000000) * 1000.0,"
        " 8e13 + (abs(random()) % 2000000000000000) / 100.0 FROM n"));
    const Output ours = run({ QStringLiteral("-o"), QStringLiteral("-") });
    QCOMPARE(ours.code, 0);
    QProcess process;
    process.start(sqlite3,
        { QStringLiteral("-csv"), QStringLiteral("-header"), warehouse(),
            QStringLiteral("SELECT * FROM btc_usd_price_with_net_stat ORDER BY start_timestamp") });
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    const QList<QByteArray> theirs = process.readAllStandardOutput().split('\n');
    const QList<QByteArray> mine = ours.out.split('\n');
    QCOMPARE(mine.size(), theirs.size());
    QCOMPARE(mine.size(), 2003 + 2);
    for (qsizetype i = 0; i < mine.size(); ++i) {
        const QList<QByteArray> a = mine.at(i).trimmed().split(',');
        const QList<QByteArray> b = theirs.at(i).trimmed().split(',');
        QCOMPARE(a.size(), b.size());
        for (qsizetype k = 0; k < a.size(); ++k) {
            bool numberA = false;
            bool numberB = false;
            const double x = a.at(k).toDouble(&numberA);
            const double y = b.at(k).toDouble(&numberB);
            QCOMPARE(numberA, numberB);
            if (!numberA) {
                QCOMPARE(a.at(k), b.at(k));
                continue;
            }
            if (std::abs(x - y) > std::abs(y) * 1e-14)
                QFAIL(qPrintable(QStringLiteral("line %1: %2 vs sqlite3's %3")
                                     .arg(i)
                                     .arg(QLatin1String(a.at(k)), QLatin1String(b.at(k)))));
        }
    }
}

QTEST_GUILESS_MAIN(TestExportCommand)
#include "tst_exportcommand.moc"
