// The `export` step of flow files (README, "Your own flows"): the exact CSV exporter of
// `sluice export`, written atomically to a regular file, built from YAML and run on an Engine.

#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include "flowsteprunner.h"
#include "storage/csvexporter.h"

using namespace Sluice;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void fillTable(const QString &warehouse)
{
    Result<SqliteConnection> connection =
        SqliteConnection::open(warehouse, QStringLiteral("test-fill"));
    QVERIFY(connection);
    for (const char *sql :
        { "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT, price REAL, note TEXT)",
            "INSERT INTO things VALUES (1, 'plain', 1.5, NULL)",
            "INSERT INTO things VALUES (2, 'with, comma', 67012.53, '=cmd()')",
            "INSERT INTO things VALUES (3, 'quote \"q\"', 7.365750402566894e+20, 'two\nlines')",
            "INSERT INTO things VALUES (4, '-neg', -0.1, '@at')" }) {
        QVERIFY2(connection->exec(QString::fromUtf8(sql)), sql);
    }
}

} // namespace

class TestExportStep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameBytesAsExporter_data();
    void sameBytesAsExporter();
    void refusesWhatIsNotARegularFile();
};

void TestExportStep::sameBytesAsExporter_data()
{
    QTest::addColumn<QByteArray>("options");
    QTest::addColumn<char>("delimiter");
    QTest::addColumn<bool>("crlf");
    QTest::addColumn<bool>("header");
    QTest::addColumn<bool>("safe");
    QTest::newRow("defaults") << QByteArray() << ',' << false << true << false;
    QTest::newRow("as sluice export")
        << QByteArray("      line-ends: crlf\n      spreadsheet-safe: true\n") << ',' << true
        << true << true;
    QTest::newRow("semicolon, no header")
        << QByteArray("      delimiter: \";\"\n      header: false\n") << ';' << false << false
        << false;
}

void TestExportStep::sameBytesAsExporter()
{
    QFETCH(QByteArray, options);
    QFETCH(char, delimiter);
    QFETCH(bool, crlf);
    QFETCH(bool, header);
    QFETCH(bool, safe);
    FlowStepRunner runner;
    fillTable(runner.warehousePath());
    const FlowStepRunner::Outcome outcome =
        runner.run("params:\n  min: 2\n"
                   "steps:\n"
                   "  - id: query\n"
                   "    export:\n"
                   "      query: select id, name, price, note, :flow as flow from things where id "
                   ">= :min order by id\n"
                   "      to: \"out/${params.min}/q.csv\"\n"
            + options
            + "  - id: table\n"
              "    export:\n"
              "      table: things\n"
              "      to: table.csv\n"
            + options);
    QVERIFY2(outcome.buildError.isEmpty(), qPrintable(outcome.buildError));
    QVERIFY2(outcome.state == RunState::Completed, qPrintable(outcome.message));
    const QString queryPath = runner.flowsPath() + QStringLiteral("/out/2/q.csv");
    const QString tablePath = runner.flowsPath() + QStringLiteral("/table.csv");
    QCOMPARE(outcome.outputs.value(QStringLiteral("query")).toString(), queryPath);
    QCOMPARE(outcome.outputs.value(QStringLiteral("table")).toString(), tablePath);

    CsvRequest request;
    request.format.delimiter = delimiter;
    request.format.lineEnding = crlf ? CsvFormat::LineEnding::CrLf : CsvFormat::LineEnding::Lf;
    request.format.header = header;
    request.format.spreadsheetSafe = safe;
    const QString expected = runner.flowsPath() + QStringLiteral("/expected.csv");
    CsvRequest table = request;
    table.table = QStringLiteral("things");
    QVERIFY(CsvExporter(runner.warehousePath()).exportToFile(table, expected));
    QCOMPARE(readAll(tablePath), readAll(expected));

    request.query = QStringLiteral(
        "select id, name, price, note, :flow as flow from things where id >= :min order by id");
    request.binds = { { QStringLiteral("min"), 2 },
        { QStringLiteral("flow"), QStringLiteral("steps") } };
    QVERIFY(CsvExporter(runner.warehousePath()).exportToFile(request, expected));
    const QByteArray bytes = readAll(queryPath);
    QCOMPARE(bytes, readAll(expected));
    QVERIFY(bytes.contains("with, comma") || bytes.contains("\"with, comma\""));
    QVERIFY(!bytes.contains("plain"));
    QCOMPARE(bytes.startsWith("id"), header);
}

void TestExportStep::refusesWhatIsNotARegularFile()
{
    FlowStepRunner runner;
    fillTable(runner.warehousePath());
    QVERIFY(QDir().mkpath(runner.flowsPath() + QStringLiteral("/folder")));
    const QString fifo = runner.flowsPath() + QStringLiteral("/pipe");
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    for (const char *to : { "folder", "pipe" }) {
        const FlowStepRunner::Outcome outcome = runner.run(
            QByteArray("steps:\n  - id: out\n    export: { table: things, to: ") + to + " }\n");
        QCOMPARE(outcome.state, RunState::Failed);
        QVERIFY2(outcome.message.contains(QLatin1String("not a regular file")),
            qPrintable(outcome.message));
    }
    QVERIFY(QFileInfo(runner.flowsPath() + QStringLiteral("/folder")).isDir());
    QVERIFY(!QFileInfo(fifo).isFile());
    // No temporary file left behind.
    QCOMPARE(QDir(runner.flowsPath()).entryList(QDir::Files | QDir::Hidden),
        QStringList{ QStringLiteral("steps.yaml") });
}

QTEST_GUILESS_MAIN(TestExportStep)
#include "tst_exportstep.moc"
