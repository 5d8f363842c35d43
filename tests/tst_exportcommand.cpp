// `sluice export` run as a user would: the file, standard output, options, summary line, exit
// codes and messages, and agreement with the sqlite3 command-line tool.

#include <cmath>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "storage/sqliteconnection.h"
#include "storage/warehouse.h"

using namespace Sluice;

namespace {

const QByteArray Header = "timeframe,start_timestamp,price,hash_rate,difficulty\r\n";
// 2024-03-08T00:00:00Z is 1709856000.
const QByteArray Row0 = "5m,1709855700,66995.0,6.999999999999999e+20,83148355189239.0\r\n";
const QByteArray Row1 = "5m,1709856000,67012.53,7.365750402566894e+20,95672703408223.94\r\n";
const QByteArray Row2 = "5m,1709856300,100.0,1e+16,1e-05\r\n";

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
    void numericallyEqualsSqlite3();

private:
    struct Output
    {
        int code = -1;
        QByteArray out;
        QString err;
    };
    Output run(const QStringList &args, const QString &stdoutFile = QString());
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

TestExportCommand::Output TestExportCommand::run(const QStringList &args, const QString &stdoutFile)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("SLUICE_DATA_DIR"));
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    environment.insert(QStringLiteral("LANGUAGE"), QString());
    environment.insert(
        QStringLiteral("XDG_CONFIG_HOME"), m_dir->filePath(QStringLiteral("xdg-config")));
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(m_dir->path());
    if (!stdoutFile.isEmpty())
        process.setStandardOutputFile(stdoutFile);
    process.start(QStringLiteral(SLUICE_EXECUTABLE),
        QStringList{ QStringLiteral("--data-dir"), dataDir(), QStringLiteral("export") } + args);
    Output output;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return output;
    }
    output.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    output.out = process.readAllStandardOutput();
    output.err = QString::fromUtf8(process.readAllStandardError());
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
    QTest::newRow("long delimiter") << QStringList{ "-o", "x.csv", "--delimiter", ";;" } << 2
                                    << "the delimiter must be one character, not \";;\"";
    QTest::newRow("quote delimiter") << QStringList{ "-o", "x.csv", "--delimiter", "\"" } << 2
                                     << "the delimiter cannot be a quote, CR, LF or NUL";
    QTest::newRow("non-ASCII delimiter") << QStringList{ "-o", "x.csv", "--delimiter", "§" } << 2
                                         << "the delimiter must be an ASCII character";
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

// DESIGN.md: the export is numerically equal to `sqlite3 -csv` of the same query, which prints
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
