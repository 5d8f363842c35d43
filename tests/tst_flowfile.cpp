// Flow files read and checked (core/flowfile): the model read out of the README's example, and
// every check message with its exact FILE:LINE:COLUMN, on real files in a temporary folder.

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "flowfile/flowfilereader.h"
#include "flowfile/flowtemplates.h"

using namespace Sluice;

class TestFlowFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void readsTheSpecExample();
    void sequentialAndGraphDependencies();
    void messages_data();
    void messages();
    void everyProblemIsReported();
    void badFileNeverHidesGoodOnes();
    void hostileFilesAreRefusedCleanly_data();
    void hostileFilesAreRefusedCleanly();
    void templatesPassTheCheck();
    void templateCreationRefusesAndNeverOverwrites();

private:
    QString write(const QString &name, const QByteArray &text);
    CheckedFlowFile check(const QString &name, const QByteArray &text);
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {

const QStringList builtins = { QStringLiteral("demo"), QStringLiteral("daily-report") };

// the README's example, as written there.
const QByteArray specExample = R"(# flows/daily-sales.yaml
description: Load yesterday's sales export, aggregate it, mail the summary
params:
  day: { type: date, default: "${run.date}" }
  region: { type: string, choices: [eu, us, asia], default: eu }
  limit: 1000                       # shorthand: the type comes from the value
schedule: { cron: "30 6 * * MON-FRI", tz: Europe/Berlin, misfire: run-once }
timeout: 30m
overlap: skip                       # skip (default) | allow
max-parallel: 4                     # steps of one run at once (default: the core count)
defaults: { retries: 2, retry-delay: 10s, backoff: exponential, timeout: 5m }
env: { LC_ALL: C.UTF-8 }
steps:
  - id: fetch
    run: curl -fsS -o sales.csv "https://example.test/sales?day=${params.day}"
  - id: load
    needs: fetch
    import: { file: sales.csv, into: sales, key: [order_id],
              columns: { order_id: integer, amount: real, region: text } }
  - id: summary
    needs: load
    sql: |
      insert or replace into daily_summary(day, region, total)
      select :day, region, sum(amount) from sales where day = :day group by region;
  - id: report
    needs: summary
    export: { query: "select * from daily_summary where day = :day", to: "out/summary-${params.day}.csv" }
  - id: mail
    needs: report
    email: { subject: "Sales ${params.day}", body: "Attached.", attach: ["${steps.report.output}"] }
)";

} // namespace

void TestFlowFile::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestFlowFile::write(const QString &name, const QByteArray &text)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

CheckedFlowFile TestFlowFile::check(const QString &name, const QByteArray &text)
{
    return FlowFileReader::read(write(name, text), builtins, name);
}

void TestFlowFile::readsTheSpecExample()
{
    const CheckedFlowFile file = check(QStringLiteral("daily-sales.yaml"), specExample);
    QVERIFY(file.definition);
    QStringList shown;
    for (const Diagnostic &d : file.diagnostics)
        shown << d.toString();
    // region and limit are declared but never used: warnings only.
    QCOMPARE(shown,
        (QStringList{ "daily-sales.yaml:5:3: warning: param `region` is never used (as "
                      "`${params.region}`, `:region` in SQL or `$SLUICE_PARAM_REGION`)",
            "daily-sales.yaml:6:3: warning: param `limit` is never used (as `${params.limit}`, "
            "`:limit` in SQL or `$SLUICE_PARAM_LIMIT`)" }));
    QVERIFY(file.isValid());

    const FlowDefinition &flow = *file.definition;
    QCOMPARE(flow.name, QStringLiteral("daily-sales"));
    QCOMPARE(flow.description,
        QStringLiteral("Load yesterday's sales export, aggregate it, mail the summary"));
    QCOMPARE(flow.params.size(), 3);
    QCOMPARE(flow.params.at(0).type, FlowParamType::Date);
    QCOMPARE(flow.params.at(0).defaultValue->value, QStringLiteral("${run.date}"));
    QCOMPARE(flow.params.at(1).choices.size(), 3);
    QCOMPARE(flow.params.at(2).type, FlowParamType::Int);
    QCOMPARE(flow.params.at(2).defaultValue->value, QStringLiteral("1000"));
    QVERIFY(!flow.params.at(2).required);
    QVERIFY(flow.schedule);
    QCOMPARE(flow.schedule->schedule.expressionText(), QStringLiteral("30 6 * * MON-FRI"));
    QCOMPARE(flow.schedule->schedule.timeZoneId(), QStringLiteral("Europe/Berlin"));
    QCOMPARE(flow.schedule->schedule.misfirePolicy(), Schedule::MisfirePolicy::RunOnce);
    QCOMPARE(flow.timeoutMs, std::optional<qint64>(30 * 60 * 1000));
    QCOMPARE(flow.overlap, Overlap::Skip);
    QCOMPARE(flow.maxParallel, std::optional<int>(4));
    QCOMPARE(flow.defaults.retries, std::optional<int>(2));
    QCOMPARE(flow.defaults.retryDelayMs, std::optional<qint64>(10000));
    QCOMPARE(flow.defaults.backoff, std::optional<Backoff>(Backoff::Exponential));
    QCOMPARE(flow.defaults.timeoutMs, std::optional<qint64>(300000));
    QCOMPARE(flow.env.size(), 1);
    QCOMPARE(flow.env.first().first, QStringLiteral("LC_ALL"));

    QCOMPARE(flow.steps.size(), 5);
    const StepDefinition &fetch = flow.steps.at(0);
    QCOMPARE(fetch.kind, StepKind::Run);
    QVERIFY(fetch.run.isShell);
    QCOMPARE(fetch.position, (SourcePosition{ 14, 9 }));
    QCOMPARE(fetch.run.shell.position, (SourcePosition{ 15, 10 }));
    const StepDefinition &load = flow.steps.at(1);
    QCOMPARE(load.kind, StepKind::Import);
    QCOMPARE(load.import.into, QStringLiteral("sales"));
    QCOMPARE(load.import.key, QStringList{ QStringLiteral("order_id") });
    QCOMPARE(load.import.columns.size(), 3);
    QCOMPARE(load.import.columns.at(1).type, ColumnType::Real);
    QCOMPARE(flow.steps.at(2).kind, StepKind::Sql);
    QCOMPARE(flow.steps.at(3).kind, StepKind::Export);
    QCOMPARE(flow.steps.at(3).exportSpec.to.value, QStringLiteral("out/summary-${params.day}.csv"));
    const StepDefinition &mail = flow.steps.at(4);
    QCOMPARE(mail.kind, StepKind::Email);
    QCOMPARE(mail.email.attach.size(), 1);
    QVERIFY(flow.isGraph());
    QCOMPARE(flow.dependencies(),
        (QList<QStringList>{ {}, { "fetch" }, { "load" }, { "summary" }, { "report" } }));
}

void TestFlowFile::sequentialAndGraphDependencies()
{
    CheckedFlowFile file = check(QStringLiteral("seq.yaml"),
        "steps:\n  - id: a\n    run: echo a\n  - id: b\n    run: [echo, b]\n  - id: c\n"
        "    run: echo c\n");
    QVERIFY2(file.isValid(), qPrintable(file.diagnostics.value(0).toString()));
    QVERIFY(!file.definition->isGraph());
    QCOMPARE(file.definition->dependencies(), (QList<QStringList>{ {}, { "a" }, { "b" } }));
    QVERIFY(!file.definition->steps.at(1).run.isShell);
    QCOMPARE(file.definition->steps.at(1).run.argv.size(), 2);

    // `needs: []` makes a graph: the steps without needs start at once.
    file = check(QStringLiteral("graph.yaml"),
        "steps:\n  - id: a\n    run: echo a\n  - id: b\n    needs: []\n    run: echo b\n"
        "  - id: c\n    needs: [a, b]\n    run: echo c\n");
    QVERIFY2(file.isValid(), qPrintable(file.diagnostics.value(0).toString()));
    QVERIFY(file.definition->isGraph());
    QCOMPARE(file.definition->dependencies(), (QList<QStringList>{ {}, {}, { "a", "b" } }));
}

void TestFlowFile::messages_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("at"); // the text the column points at, on that line
    QTest::addColumn<QString>("message"); // "error: ..." or "warning: ...", a prefix

    const QByteArray step = "steps:\n  - id: a\n    run: echo hi\n";
    QTest::newRow("unknown top-level key")
        << "f.yaml" << QByteArray("descripton: x\n" + step) << 1 << "descripton"
        << "error: unknown key `descripton` in the flow; did you mean `description`?";
    QTest::newRow("unknown step key")
        << "f.yaml" << QByteArray(step + "    retry: 2\n") << 4 << "retry"
        << "error: unknown key `retry` in a step; did you mean `retries`?";
    QTest::newRow("unknown key without suggestion")
        << "f.yaml" << QByteArray(step + "    colour: red\n") << 4 << "colour"
        << "error: unknown key `colour` in a step; the keys are id, needs, description";
    QTest::newRow("unknown http key")
        << "f.yaml"
        << QByteArray(
               "steps:\n  - id: a\n    http: { url: \"https://x.test\", into: t, methd: POST }\n")
        << 3 << "methd"
        << "error: unknown key `methd` in `http`; did you mean `method`?";
    QTest::newRow("duplicate key")
        << "f.yaml" << QByteArray(step + "    run: echo again\n") << 4 << "run"
        << "error: duplicate key `run` (first at line 3)";
    QTest::newRow("duration") << "f.yaml" << QByteArray("timeout: fast\n" + step) << 1 << "fast"
                              << "error: `timeout` must be a duration such as 90s, 5m, 2h or 1d "
                                 "(at most 366d), not the text \"fast\"";
    QTest::newRow("duration without unit")
        << "f.yaml" << QByteArray("defaults: { retry-delay: 5 }\n" + step) << 1 << "5 }"
        << "error: `retry-delay` must be a duration such as 90s";
    QTest::newRow("wrong type: number")
        << "f.yaml" << QByteArray(step + "    retries: many\n") << 4 << "many"
        << "error: `retries` must be a whole number from 0 to 100, not the text \"many\"";
    QTest::newRow("wrong type: map for text")
        << "f.yaml" << QByteArray("description: { a: b }\n" + step) << 1 << "{ a"
        << "error: `description` must be a text, not a map";
    QTest::newRow("wrong type: overlap")
        << "f.yaml" << QByteArray("overlap: sometimes\n" + step) << 1 << "sometimes"
        << "error: `overlap` must be one of skip, allow, not the "
           "text \"sometimes\"";
    QTest::newRow("no kind") << "f.yaml"
                             << QByteArray("steps:\n  - id: a\n    description: nothing\n") << 2
                             << "a"
                             << "error: step `a` has no kind: give one of run, sql, http, "
                                "import, export, email";
    QTest::newRow("two kinds")
        << "f.yaml" << QByteArray(step + "    sql: select 1\n") << 4 << "sql"
        << "error: step `a` has two kinds, `run` and `sql`; a step has exactly one";
    QTest::newRow("no id") << "f.yaml" << QByteArray("steps:\n  - run: echo\n") << 2 << "run"
                           << "error: step 1 has no `id`";
    QTest::newRow("bad id") << "f.yaml" << QByteArray("steps:\n  - id: 1st\n    run: echo\n") << 2
                            << "1st"
                            << "error: bad step id \"1st\": a letter, then letters";
    QTest::newRow("duplicate id") << "f.yaml" << QByteArray(step + "  - id: a\n    run: echo 2\n")
                                  << 4 << "a"
                                  << "error: duplicate step id `a` (first at line 2)";
    QTest::newRow("unknown needs")
        << "f.yaml"
        << QByteArray("steps:\n  - id: load\n    run: echo 1\n  - id: b\n    needs: lod\n"
                      "    run: echo 2\n")
        << 5 << "lod"
        << "error: step `b` needs `lod`, which is not a step of this flow; did you mean `load`?";
    QTest::newRow("cycle")
        << "f.yaml"
        << QByteArray("steps:\n  - id: a\n    needs: c\n    run: echo a\n  - id: b\n    needs: a\n"
                      "    run: echo b\n  - id: c\n    needs: b\n    run: echo c\n")
        << 3 << "c"
        << "error: cycle in `needs`: a -> b -> c -> a";
    QTest::newRow("step needs itself")
        << "f.yaml" << QByteArray("steps:\n  - id: a\n    needs: [a]\n    run: echo a\n") << 3
        << "a]"
        << "error: cycle in `needs`: a -> a";
    QTest::newRow("bad cron") << "f.yaml" << QByteArray("schedule: \"61 * * * *\"\n" + step) << 1
                              << "\"61"
                              << "error: bad cron expression \"61 * * * *\": minute";
    QTest::newRow("bad zone") << "f.yaml"
                              << QByteArray(
                                     "schedule: { cron: \"0 6 * * *\", tz: Mars/Base }\n" + step)
                              << 1 << "Mars"
                              << "error: bad time zone \"Mars/Base\"";
    QTest::newRow("bad cron beside a bad zone")
        << "f.yaml" << QByteArray("schedule: { cron: \"0 25 * * *\", tz: Mars/Base }\n" + step) << 1
        << "\"0 25"
        << "error: bad cron expression \"0 25 * * *\": hour";
    QTest::newRow("bad interval") << "f.yaml" << QByteArray("schedule: { every: 5 weeks }\n" + step)
                                  << 1 << "5 weeks"
                                  << "error: bad interval \"5 weeks\"";
    QTest::newRow("bad misfire") << "f.yaml"
                                 << QByteArray("schedule: { every: 5m, misfire: later }\n" + step)
                                 << 1 << "later"
                                 << "error: `misfire` must be one of skip, run-once, catch-up";
    QTest::newRow("bad table name")
        << "f.yaml"
        << QByteArray("steps:\n  - id: a\n    import: { file: x.csv, into: \"drop table\" }\n") << 3
        << "\"drop"
        << "error: `into` must be a table or column name";
    QTest::newRow("unknown variable with the shell hint")
        << "f.yaml" << QByteArray("steps:\n  - id: a\n    run: echo ${HOME}\n") << 3 << "${HOME}"
        << "error: unknown variable `${HOME}`; write `$${HOME}` for the shell's own";
    QTest::newRow("unknown variable elsewhere")
        << "f.yaml" << QByteArray("steps:\n  - id: a\n    email: { subject: \"Hi ${user}\" }\n")
        << 3 << "${user}"
        << "error: unknown variable `${user}`; the variables are params.NAME";
    QTest::newRow("unknown param in a block scalar")
        << "f.yaml"
        << QByteArray("steps:\n  - id: a\n    run: |\n      echo ok\n      echo ${params.nope}\n")
        << 5 << "${params"
        << "error: unknown param `nope` in `${params.nope}`";
    QTest::newRow("second of two equal variables")
        << "f.yaml"
        << QByteArray("params:\n  x: 1\nsteps:\n  - id: a\n    run: echo ${params.x} ${HOME}\n")
        << 5 << "${HOME"
        << "error: unknown variable `${HOME}`";
    QTest::newRow("unterminated variable")
        << "f.yaml" << QByteArray("steps:\n  - id: a\n    run: echo ${params.x\n") << 3
        << "${params"
        << "error: unterminated `${`";
    QTest::newRow("variable in sql")
        << "f.yaml"
        << QByteArray("steps:\n  - id: a\n    sql: select * from t where d = '${run.date}'\n") << 3
        << "${run"
        << "error: `${run.date}` cannot be used in SQL: bind params as :NAME";
    QTest::newRow("variable in export query")
        << "f.yaml"
        << QByteArray("steps:\n  - id: a\n    export: { query: \"select ${run.id}\", to: x.csv }\n")
        << 3 << "${run"
        << "error: `${run.id}` cannot be used in SQL";
    QTest::newRow("default outside choices")
        << "f.yaml"
        << QByteArray("params:\n  region: { choices: [eu, us], default: asia }\n"
                      "steps:\n  - id: a\n    run: echo ${params.region}\n")
        << 2 << "asia"
        << "error: default \"asia\" of param `region` is not one of its choices: eu, us";
    QTest::newRow("default outside type")
        << "f.yaml"
        << QByteArray("params:\n  limit: { type: int, default: ten }\n"
                      "steps:\n  - id: a\n    run: echo ${params.limit}\n")
        << 2 << "ten"
        << "error: default \"ten\" of param `limit` is not of type int";
    QTest::newRow("bad date default")
        << "f.yaml"
        << QByteArray("params:\n  day: { type: date, default: 2026-02-30 }\n"
                      "steps:\n  - id: a\n    run: echo ${params.day}\n")
        << 2 << "2026-02-30"
        << "error: default \"2026-02-30\" of param `day` is not of type date";
    QTest::newRow("default with a variable other than run")
        << "f.yaml"
        << QByteArray("params:\n  day: { default: \"${flow.name}\" }\n"
                      "steps:\n  - id: a\n    run: echo ${params.day}\n")
        << 2 << "${flow"
        << "error: a param default may only use `${run.*}` variables";
    QTest::newRow("output of a step not upstream")
        << "f.yaml"
        << QByteArray("steps:\n  - id: a\n    needs: []\n    run: echo ${steps.b.output}\n"
                      "  - id: b\n    run: echo b\n")
        << 4 << "${steps"
        << "error: `${steps.b.output}`: step `b` is not upstream of step `a`; add it to `needs`";
    QTest::newRow("output of a later step in sequence")
        << "f.yaml"
        << QByteArray("steps:\n  - id: a\n    run: [echo, \"${steps.b.output}\"]\n"
                      "  - id: b\n    run: echo b\n")
        << 3 << "${steps"
        << "error: `${steps.b.output}`: step `b` is not upstream of step `a`";
    QTest::newRow("output of an unknown step")
        << "f.yaml" << QByteArray("steps:\n  - id: a\n    run: echo ${steps.zz.output}\n") << 3
        << "${steps"
        << "error: `${steps.zz.output}` names `zz`, which is not a step";
    QTest::newRow("output in the flow's env")
        << "f.yaml" << QByteArray("env: { X: \"${steps.a.output}\" }\n" + step) << 1 << "${steps"
        << "error: `${steps.a.output}` can only be used in a step";
    QTest::newRow("name of a built-in flow")
        << "demo.yaml" << step << 1 << "steps"
        << "error: the name `demo` is taken by a built-in flow; rename the file";
    QTest::newRow("file name that is no flow name")
        << "my flow.yaml" << step << 1 << "steps"
        << "error: the file name does not make a flow name";
    QTest::newRow("param never used")
        << "f.yaml" << QByteArray("params:\n  limit: 10\n" + step) << 2 << "limit"
        << "warning: param `limit` is never used";
    QTest::newRow("unterminated quote at the end of the file")
        << "f.yaml" << QByteArray("steps:\n  - id: a\n    run: \"echo hi\n") << 3 << "\"echo"
        << "error: unterminated quoted text: the closing \" is missing";
    QTest::newRow("unterminated single quote at the end of the file")
        << "f.yaml" << QByteArray("steps:\n  - id: a\n    run: 'it''s\n") << 3 << "'it"
        << "error: unterminated quoted text: the closing ' is missing";
    QTest::newRow("yaml syntax") << "f.yaml"
                                 << QByteArray("steps:\n  - id: a\n    run: echo\n   bad: [\n") << 4
                                 << "bad"
                                 << "error: YAML syntax: ";
    QTest::newRow("empty file") << "f.yaml" << QByteArray() << 1 << ""
                                << "error: the file is empty: a flow needs at least `steps`";
    QTest::newRow("no steps") << "f.yaml" << QByteArray("description: x\n") << 1 << "description"
                              << "error: the flow has no `steps`";
    QTest::newRow("empty steps") << "f.yaml" << QByteArray("steps: []\n") << 1 << "[]"
                                 << "error: `steps` must be a non-empty list of steps, not an "
                                    "empty list";
    QTest::newRow("cwd on a sql step")
        << "f.yaml" << QByteArray("steps:\n  - id: a\n    sql: select 1\n    cwd: /tmp\n") << 4
        << "cwd"
        << "error: `cwd` applies only to `run` steps";
    QTest::newRow("variable in backquotes")
        << "f.yaml"
        << QByteArray("params:\n  f: x\nsteps:\n  - id: a\n    run: echo `cat ${params.f}`\n") << 5
        << "${params"
        << "error: a variable inside backquotes cannot be quoted safely";
    QTest::newRow("variable in a here-document")
        << "f.yaml"
        << QByteArray("params:\n  f: x\nsteps:\n  - id: a\n    run: |\n      cat <<EOF\n"
                      "      ${params.f}\n      EOF\n")
        << 7 << "${params"
        << "error: a variable inside a here-document cannot be quoted";
    QTest::newRow("key column not among the columns")
        << "f.yaml"
        << QByteArray("steps:\n  - id: a\n    import: { file: x.csv, into: t, columns: { a: text },"
                      " key: [b] }\n")
        << 3 << "[b]"
        << "error: key column `b` is not among the columns (a)";
}

void TestFlowFile::messages()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(QString, at);
    QFETCH(QString, message);

    const QList<QByteArray> lines = yaml.split('\n');
    const int column = at.isEmpty() ? 1 : int(lines.value(line - 1).indexOf(at.toUtf8())) + 1;
    QVERIFY2(column > 0, "the row's `at` text is not on its line");
    const QString expected =
        QStringLiteral("%1:%2:%3: %4").arg(file).arg(line).arg(column).arg(message);

    const CheckedFlowFile checked = check(file, yaml);
    QStringList shown;
    bool found = false;
    for (const Diagnostic &diagnostic : checked.diagnostics) {
        shown << diagnostic.toString();
        found = found || diagnostic.toString().startsWith(expected);
    }
    QVERIFY2(found,
        qPrintable(QStringLiteral("expected %1\ngot:\n%2").arg(expected, shown.join(u'\n'))));
    QCOMPARE(checked.isValid(), !message.startsWith(QLatin1String("error")));
}

void TestFlowFile::everyProblemIsReported()
{
    // Three unrelated problems: all three are told, in file order.
    const CheckedFlowFile file = check(QStringLiteral("f.yaml"),
        "timeout: soon\nsteps:\n  - id: a\n    run: echo ${HOME}\n  - id: a\n    run: echo\n");
    QStringList shown;
    for (const Diagnostic &d : file.diagnostics)
        shown << d.toString().section(u':', 0, 3);
    QCOMPARE(
        shown, (QStringList{ "f.yaml:1:10: error", "f.yaml:4:15: error", "f.yaml:5:9: error" }));
}

void TestFlowFile::badFileNeverHidesGoodOnes()
{
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("flows")));
    const QString folder = m_dir->filePath(QStringLiteral("flows"));
    write(QStringLiteral("flows/a-good.yaml"), "steps:\n  - id: a\n    run: echo a\n");
    write(QStringLiteral("flows/b-bad.yaml"), "steps: [\n");
    write(QStringLiteral("flows/c-good.yml"), "steps:\n  - id: c\n    run: echo c\n");
    write(QStringLiteral("flows/c-good.yaml"), "steps:\n  - id: c\n    run: echo c\n");
    write(QStringLiteral("flows/notes.txt"), "not a flow");
    const QList<CheckedFlowFile> files = FlowFileReader::readFolder(folder, builtins);
    QCOMPARE(files.size(), 4);
    QVERIFY(files.at(0).isValid());
    QVERIFY(!files.at(1).isValid());
    QVERIFY(files.at(2).isValid()); // c-good.yaml sorts first
    QVERIFY(!files.at(3).isValid());
    QVERIFY2(
        files.at(3).firstError()->message.contains(QLatin1String("already defined by c-good.yaml")),
        qPrintable(files.at(3).firstError()->message));
}

void TestFlowFile::hostileFilesAreRefusedCleanly_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("deep nesting") << QByteArray(100000, '[');
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe steps: \x01", 12);
    QTest::newRow("anchors") << QByteArray("a: &a [1, 2]\nb: *a\nsteps: *a\n");
    QTest::newRow("tabs") << QByteArray("steps:\n\t- id: a\n");
    QTest::newRow("list at top") << QByteArray("- id: a\n  run: echo\n");
    QTest::newRow("map keys") << QByteArray("? [a, b]\n: c\nsteps:\n  - { id: a, run: echo }\n");
}

void TestFlowFile::hostileFilesAreRefusedCleanly()
{
    QFETCH(QByteArray, yaml);
    const CheckedFlowFile file = check(QStringLiteral("f.yaml"), yaml);
    QVERIFY(!file.isValid());
    QVERIFY(!file.diagnostics.isEmpty());
    for (const Diagnostic &d : file.diagnostics) {
        QVERIFY(d.line >= 1);
        QVERIFY(d.column >= 1);
    }
}

void TestFlowFile::templatesPassTheCheck()
{
    QCOMPARE(FlowTemplates::names().first(), FlowTemplates::defaultName());
    for (const FlowTemplates::Template &entry : FlowTemplates::templates()) {
        QVERIFY(!entry.description.isEmpty());
        QCOMPARE(FlowTemplates::description(entry.name), entry.description);
        const QByteArray text = FlowTemplates::text(entry.name);
        QVERIFY2(text.startsWith("# "), qPrintable(entry.name));
        const CheckedFlowFile checked =
            FlowFileReader::check(text, m_dir->filePath(entry.name + ".yaml"), builtins);
        QVERIFY2(checked.isValid() && checked.diagnostics.isEmpty(), qPrintable(entry.name));
    }
    QVERIFY(FlowTemplates::text(QStringLiteral("cobol")).isEmpty());
    QVERIFY(FlowTemplates::description(QStringLiteral("cobol")).isEmpty());
}

void TestFlowFile::templateCreationRefusesAndNeverOverwrites()
{
    const QString data = m_dir->path();
    const QString flows = FlowFileReader::flowsFolder(data);
    Result<QString> made =
        FlowTemplates::create(data, QStringLiteral("mine"), QStringLiteral("sql"), builtins);
    QVERIFY(made);
    QCOMPARE(*made, QDir(flows).filePath(QStringLiteral("mine.yaml")));
    QFile file(*made);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), FlowTemplates::text(QStringLiteral("sql")));
    file.close();

    // What the caller gave is refused (Permanent), and nothing is written.
    const struct
    {
        const char *name;
        const char *templateName;
        const char *message;
    } refusals[] = {
        { "mine", "shell", "already exists" },
        { "../escape", "shell", "bad flow name" },
        { "demo", "shell", "is taken by a built-in flow" },
        { "other", "cobol", "unknown template \"cobol\"" },
    };
    for (const auto &refusal : refusals) {
        made = FlowTemplates::create(data, QString::fromLatin1(refusal.name),
            QString::fromLatin1(refusal.templateName), builtins);
        QVERIFY(!made);
        QCOMPARE(made.error().code, ErrorCode::Permanent);
        QVERIFY2(made.error().what.contains(QLatin1String(refusal.message)),
            qPrintable(made.error().what));
    }
    QCOMPARE(QDir(flows).entryList(QDir::Files), QStringList{ QStringLiteral("mine.yaml") });
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), FlowTemplates::text(QStringLiteral("sql")));

    // A .yml of the same name, or a dangling link, counts as taken.
    QVERIFY(QFile::link(m_dir->filePath(QStringLiteral("nowhere")),
        QDir(flows).filePath(QStringLiteral("linked.yml"))));
    made = FlowTemplates::create(data, QStringLiteral("linked"), QStringLiteral("shell"), builtins);
    QVERIFY(!made);
    QCOMPARE(made.error().code, ErrorCode::Permanent);
    QVERIFY(!QFileInfo::exists(QDir(flows).filePath(QStringLiteral("linked.yaml"))));
}

QTEST_GUILESS_MAIN(TestFlowFile)
#include "tst_flowfile.moc"
