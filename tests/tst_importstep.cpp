// The `import` step of flow files (README, "Your own flows"): CSV files into warehouse tables,
// built from YAML and run on an Engine; or into the SQLite file `database:` names.

#include <QFile>
#include <QTest>

#include "flowsteprunner.h"

using namespace Sluice;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray importYaml(const QByteArray &spec)
{
    return "steps:\n  - id: load\n    import:\n" + spec;
}

} // namespace

class TestImportStep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headerMapsColumnsByName();
    void withoutHeaderByPosition();
    void quotedFieldsWithLineBreaks();
    void misfitNamesPhysicalLine();
    void missingFileNamed();
    void databaseAgainstTheFlowFolder();
};

void TestImportStep::headerMapsColumnsByName()
{
    FlowStepRunner runner;
    writeFile(runner.flowsPath() + QStringLiteral("/sales.csv"),
        "order_id,region,amount,ignored\r\n1,eu,2.5,x\r\n2,us,,y\r\n1,asia,9,z\r\n");
    const FlowStepRunner::Outcome outcome = runner.run(
        importYaml("      file: sales.csv\n"
                   "      into: sales\n"
                   "      key: [order_id]\n"
                   "      columns: { amount: real, order_id: integer, region: text }\n"));
    QVERIFY2(outcome.buildError.isEmpty(), qPrintable(outcome.buildError));
    QCOMPARE(outcome.state, RunState::Completed);
    QCOMPARE(outcome.outputs.value(QStringLiteral("load")).toLongLong(), 2); // 1 again: ignored
    // The finished run names the table and the rows stored in it (calm refresh).
    QCOMPARE(outcome.storedRows, (QMap<QString, qint64>{ { QStringLiteral("sales"), 2 } }));
    QCOMPARE(FlowStepRunner::rows(runner.warehousePath(),
                 QStringLiteral("SELECT order_id, region, amount FROM sales ORDER BY order_id")),
        (QList<QVariantList>{ { 1, "eu", 2.5 }, { 2, "us", QVariant() } }));
}

void TestImportStep::withoutHeaderByPosition()
{
    FlowStepRunner runner;
    writeFile(runner.flowsPath() + QStringLiteral("/data.txt"), "1;a\n2;b\n");
    const FlowStepRunner::Outcome outcome =
        runner.run(importYaml("      file: \"${flow.dir}/data.txt\"\n"
                              "      into: plain\n"
                              "      delimiter: \";\"\n"
                              "      header: false\n"
                              "      columns: { n: integer, t: text }\n"));
    QCOMPARE(outcome.state, RunState::Completed);
    QCOMPARE(FlowStepRunner::rows(
                 runner.warehousePath(), QStringLiteral("SELECT n, t FROM plain ORDER BY n")),
        (QList<QVariantList>{ { 1, "a" }, { 2, "b" } }));
}

void TestImportStep::quotedFieldsWithLineBreaks()
{
    FlowStepRunner runner;
    writeFile(runner.flowsPath() + QStringLiteral("/notes.csv"),
        "id,note\n1,\"two\nlines, \"\"quoted\"\"\"\n2,plain\n");
    const FlowStepRunner::Outcome outcome = runner.run(importYaml(
        "      file: notes.csv\n      into: notes\n      columns: { id: integer, note: text }\n"));
    QCOMPARE(outcome.state, RunState::Completed);
    QCOMPARE(FlowStepRunner::rows(
                 runner.warehousePath(), QStringLiteral("SELECT note FROM notes ORDER BY id")),
        (QList<QVariantList>{ { "two\nlines, \"quoted\"" }, { "plain" } }));
}

void TestImportStep::misfitNamesPhysicalLine()
{
    FlowStepRunner runner;
    const QString path = runner.flowsPath() + QStringLiteral("/bad.csv");
    const QByteArray yaml =
        importYaml("      file: bad.csv\n      into: amounts\n"
                   "      columns: { id: integer, note: text, amount: real }\n");
    // The record after a multi-line one: record 3 spans lines 3-4, record 4 starts on line 5.
    writeFile(path, "id,note,amount\n1,x,1.5\n2,\"two\nlines\",2\n3,y,abc\n4,z,5\n");
    FlowStepRunner::Outcome outcome = runner.run(yaml);
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(outcome.message.contains(QLatin1String("bad.csv:5")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("amount")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("abc")), qPrintable(outcome.message));
    QVERIFY(FlowStepRunner::rows(runner.warehousePath(),
        QStringLiteral("SELECT name FROM sqlite_master WHERE name = 'amounts'"))
                .isEmpty());

    // A table filled before keeps what it held.
    writeFile(path, "id,note,amount\n1,x,1.5\n");
    QCOMPARE(runner.run(yaml).state, RunState::Completed);
    writeFile(path, "id,note,amount\n7,\"a\n\nb\",1\n8,y,2\n9,z,1e999\n");
    outcome = runner.run(yaml);
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(outcome.message.contains(QLatin1String("bad.csv:6")), qPrintable(outcome.message));
    QCOMPARE(FlowStepRunner::rows(runner.warehousePath(), QStringLiteral("SELECT id FROM amounts")),
        (QList<QVariantList>{ { 1 } }));
}

void TestImportStep::missingFileNamed()
{
    FlowStepRunner runner;
    const FlowStepRunner::Outcome outcome = runner.run(
        importYaml("      file: nowhere.csv\n      into: t\n      columns: { a: text }\n"));
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(outcome.message.contains(QLatin1String("nowhere.csv")), qPrintable(outcome.message));
}

void TestImportStep::databaseAgainstTheFlowFolder()
{
    FlowStepRunner runner;
    writeFile(runner.flowsPath() + QStringLiteral("/n.csv"), "n\n1\n2\n");
    const FlowStepRunner::Outcome outcome =
        runner.run(importYaml("      file: n.csv\n"
                              "      into: numbers\n"
                              "      database: ../other.sqlite\n"
                              "      columns: { n: integer }\n"));
    QVERIFY2(
        outcome.state == RunState::Completed, qPrintable(outcome.message + outcome.buildError));
    QCOMPARE(outcome.outputs.value(QStringLiteral("load")).toLongLong(), 2);
    QCOMPARE(FlowStepRunner::rows(runner.flowsPath() + QStringLiteral("/../other.sqlite"),
                 QStringLiteral("SELECT n FROM numbers ORDER BY n")),
        (QList<QVariantList>{ { 1 }, { 2 } }));
    // The warehouse has no such table, and its views are not told of one.
    QVERIFY(FlowStepRunner::rows(runner.warehousePath(),
        QStringLiteral("SELECT name FROM sqlite_master WHERE name = 'numbers'"))
                .isEmpty());
    QVERIFY(outcome.storedRows.isEmpty());
}

QTEST_GUILESS_MAIN(TestImportStep)
#include "tst_importstep.moc"
