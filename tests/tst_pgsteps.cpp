// `sql`, `import` and `export` steps of flow files on a PostgreSQL `database:` (issue 20 item 5),
// against a real PostgreSQL 15 (PgServer), each flow checked, built and run on an Engine as
// `sluice` runs a file: the checker's view of the URL, one transaction per step with the line
// of a failing statement named, typed tables and conflict rules, the exporter's bytes equal to
// an SQLite export of the same values, and failures that name the redacted URL and never the
// password, written or substituted from the environment.

#include <tuple>

#include <sqlite3.h>

#include <QFile>
#include <QSqlQuery>
#include <QTcpServer>
#include <QtTest>

#include "flowfilefixture.h"
#include "flowsteprunner.h"
#include "pgserver.h"
#include "steps/pgsql.h"
#include "storage/pythonfloat.h"
#include "store/pgconnection.h"
#include "store/storeurl.h"

using namespace Sluice;

namespace {

const QString Password = QStringLiteral("sluice-test"); // PgServer's password of user sluice

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(bytes) == bytes.size();
}

// The rows of a query on PostgreSQL, each as its values' texts ("NULL" for null).
QList<QStringList> pgRows(const QString &url, const QString &sql)
{
    QList<QStringList> rows;
    Result<StoreUrl> parsed = StoreUrl::parse(url);
    if (!parsed)
        return rows;
    Result<PgConnection> connection = PgConnection::open(*parsed, QStringLiteral("test-check"));
    if (!connection) {
        qWarning("%s", qPrintable(connection.error().message()));
        return rows;
    }
    Result<QSqlQuery> query = connection->exec(sql);
    if (!query) {
        qWarning("%s", qPrintable(query.error().message()));
        return rows;
    }
    while (query->next()) {
        QStringList row;
        for (int c = 0; c < query->record().count(); ++c)
            row << (query->isNull(c) ? QStringLiteral("NULL") : query->value(c).toString());
        rows << row;
    }
    return rows;
}

// The diagnostics of a flow file's check, one "LINE:COLUMN: MESSAGE" each.
QStringList checked(const QByteArray &yaml)
{
    const CheckedFlowFile read = FlowFileReader::check(yaml, QStringLiteral("/tmp/f.yaml"), {});
    QStringList problems;
    for (const Diagnostic &diagnostic : read.diagnostics) {
        if (diagnostic.isError())
            problems << QStringLiteral("%1:%2: %3")
                            .arg(diagnostic.line)
                            .arg(diagnostic.column)
                            .arg(diagnostic.message);
    }
    return problems;
}

// One row of the export test: awkward values of every kind the exporter writes.
struct Row
{
    qint64 id;
    std::optional<QByteArray> text;
    std::optional<double> real;
    std::optional<qint64> integer;
    std::optional<QByteArray> blob;
};

QList<Row> awkwardRows()
{
    return {
        { 1, std::nullopt, std::nullopt, std::nullopt, std::nullopt },
        { 2, QByteArray(""), 0.1, std::numeric_limits<qint64>::max(), QByteArray("") },
        { 3, QByteArray("say \"hi\", twice"), 1e300, std::numeric_limits<qint64>::min(),
            QByteArray("\x00\xff\x10", 3) },
        { 4, QByteArray("two\nlines\r\nthree"), -0.0, 0, std::nullopt },
        { 5, QByteArray("ünïcødé ✓ 𝄞"), 1.5, 42, std::nullopt },
        { 6, QByteArray("=formula()"), 7.365750402566894e+20, -1, std::nullopt },
        { 7, QByteArray("tab\there; semi"), 5e-324, 12345678901234, std::nullopt },
        { 8, QByteArray("back\\slash 'single'"), 100.0, 3, std::nullopt },
        { 9, QByteArray(" spaced "), -2.2250738585072014e-308, -9007199254740993, std::nullopt },
    };
}

} // namespace

class TestPgSteps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void splitsWherePostgresDoes();
    void checkerReadsTheUrl();

    void sqlRunsInOneTransaction();
    void sqlOutputRules_data();
    void sqlOutputRules();
    void sqlErrorRollsBackAndNamesTheLine();
    void cancelStopsAStatementOnTheServer();

    void importCreatesATypedTable();
    void importConflictRules_data();
    void importConflictRules();
    void importMisfitNamesFileLineAndColumn();
    void importChecksAnExistingTable_data();
    void importChecksAnExistingTable();

    void exportSameBytesAsSqlite_data();
    void exportSameBytesAsSqlite();
    void exportRefusesAWritingQuery();

    void failuresNameTheRedactedUrl_data();
    void failuresNameTheRedactedUrl();
    void onlyAnUnreachableServerIsRetried();
    void passwordFromTheEnvironmentIsNeverShown();
    void passwordWithUrlCharactersFromTheEnvironment();

private:
    // A fresh database of this test's own and its URL (with the password).
    QString freshUrl();

    std::unique_ptr<PgServer> m_server;
    int m_databases = 0;
};

void TestPgSteps::initTestCase()
{
    m_server = std::make_unique<PgServer>();
}

void TestPgSteps::init()
{
    if (!m_server->isRunning())
        QSKIP(qPrintable(QStringLiteral("no PostgreSQL server: ") + m_server->errorString()));
}

QString TestPgSteps::freshUrl()
{
    return m_server->url(QStringLiteral("steps%1").arg(++m_databases));
}

void TestPgSteps::splitsWherePostgresDoes()
{
    const QList<PgSql::Statement> statements = PgSql::split(QStringLiteral(
        "-- a comment; not a split\n"
        "select 'a;b', E'it\\'s; :no', \"c;d\" from t where x = :day::date and y = :day;\n"
        "/* nested /* ; */ still ; comment */\n"
        "create function f() returns int as $body$ select 1; $body$ language sql;\n"
        "select $$ :not_a_param $$, :flow;\n"
        "create rule r as on insert to t do also (insert into u values (1); delete from v)\n"));
    QCOMPARE(statements.size(), 4);
    QCOMPARE(statements.at(0).text,
        QByteArray("select 'a;b', E'it\\'s; :no', \"c;d\" from t where x = $1::date and y = $1"));
    QCOMPARE(statements.at(0).parameters, QStringList{ QStringLiteral("day") });
    QCOMPARE(statements.at(0).line, 1);
    QCOMPARE(statements.at(1).text,
        QByteArray("create function f() returns int as $body$ select 1; $body$ language sql"));
    QCOMPARE(statements.at(1).line, 3);
    QCOMPARE(statements.at(2).text, QByteArray("select $$ :not_a_param $$, $1"));
    QCOMPARE(statements.at(2).parameters, QStringList{ QStringLiteral("flow") });
    QCOMPARE(statements.at(2).line, 4);
    QCOMPARE(statements.at(3).text,
        QByteArray("create rule r as on insert to t do also (insert into u values (1); delete "
                   "from v)\n"));
    QCOMPARE(statements.at(3).line, 5);
    QVERIFY(PgSql::split(QStringLiteral(" -- nothing\n ; ; /* */")).isEmpty());
}

void TestPgSteps::checkerReadsTheUrl()
{
    // Accepted: a URL, one with variables (the password from the environment, the sslmode
    // from a param), an SQLite path; `import` takes `database:` too.
    const QByteArray accepted = R"(params:
  mode: { type: string, default: require }
steps:
  - id: a
    sql: select 1
    database: postgresql://ann:s3cret@db.example:5433/sales?sslmode=verify-full
  - id: b
    import: { file: x.csv, into: t, database: "postgresql://ann:${env.PGPASS}@db.example/sales" }
  - id: c
    export: { table: t, to: out.csv, database: "postgres://ann@db.example/sales?sslmode=${params.mode}" }
  - id: d
    sql: select 1
    database: ../other.sqlite
)";
    QCOMPARE(checked(accepted), QStringList());

    // Refused at the value's line and column, naming what is wrong and never the password.
    const QStringList problems = checked(R"(steps:
  - id: a
    sql: select 1
    database: postgresql://ann:s3cret@db.example:99999/sales
  - id: b
    import: { file: x.csv, into: t, database: "postgresql://ann:s3cret@db.example/sales?sslmode=maybe" }
  - id: c
    export: { table: t, to: out.csv, database: "postgresql://ann:s3cret@db.example" }
  - id: d
    sql: select 1
    database: postgresql://ann:${params.nope}@db.example/sales
  - id: e
    sql: select 1
    database: postgresql://ann:12/s3cret@db.example/sales
)");
    QVERIFY2(problems.size() == 5, qPrintable(problems.join(u'\n')));
    QVERIFY2(problems.at(0).startsWith(QLatin1String("4:15: ")), qPrintable(problems.at(0)));
    QVERIFY2(problems.at(0).contains(QLatin1String("port")), qPrintable(problems.at(0)));
    QVERIFY2(problems.at(1).startsWith(QLatin1String("6:47: ")), qPrintable(problems.at(1)));
    QVERIFY2(
        problems.at(1).contains(QLatin1String("sslmode \"maybe\"")), qPrintable(problems.at(1)));
    QVERIFY2(problems.at(2).startsWith(QLatin1String("8:48: ")), qPrintable(problems.at(2)));
    QVERIFY2(
        problems.at(2).contains(QLatin1String("names no database")), qPrintable(problems.at(2)));
    // A variable in the URL is checked as anywhere else.
    QVERIFY2(problems.at(3).startsWith(QLatin1String("11:32: "))
            && problems.at(3).contains(QLatin1String("unknown param `nope`")),
        qPrintable(problems.at(3)));
    // An unencoded / in the password moves the rest of it into the path: not quoted either.
    QVERIFY2(problems.at(4).startsWith(QLatin1String("14:15: ")), qPrintable(problems.at(4)));
    for (const QString &problem : problems)
        QVERIFY2(!problem.contains(QLatin1String("s3cret")), qPrintable(problem));
}

void TestPgSteps::sqlRunsInOneTransaction()
{
    const QString url = freshUrl();
    FlowStepRunner runner;
    const QString hostile =
        QStringLiteral("x'); drop table t; -- \"$(touch y)\" ${params.name} :flow");
    const FlowStepRunner::Outcome outcome = runner.run(QStringLiteral(R"(params:
  name: { type: string }
  limit: 1000
steps:
  - id: s
    database: %1
    sql: |
      create table t (v text, n bigint, kind text, flow text, run bigint);
      insert into t values (:name, :limit, pg_typeof(:limit)::text, :flow, :run_id);
      insert into t select v || '!', n + 1, kind, flow, run from t;
      select count(*) from t;
)")
                                                           .arg(url)
                                                           .toUtf8(),
        { { QStringLiteral("name"), hostile } });
    QVERIFY2(
        outcome.state == RunState::Completed, qPrintable(outcome.message + outcome.buildError));
    QCOMPARE(outcome.outputs.value(QStringLiteral("s")).toString(), QStringLiteral("2"));
    const QList<QStringList> rows =
        pgRows(url, QStringLiteral("select v, n, kind, flow from t order by n"));
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0),
        (QStringList{
            hostile, QStringLiteral("1000"), QStringLiteral("bigint"), QStringLiteral("steps") }));
    QCOMPARE(rows.at(1).at(0), hostile + u'!');
    // The warehouse was not touched.
    QVERIFY(FlowStepRunner::rows(
        runner.warehousePath(), QStringLiteral("select name from sqlite_master where name = 't'"))
                .isEmpty());
}

void TestPgSteps::sqlOutputRules_data()
{
    QTest::addColumn<QString>("statements");
    QTest::addColumn<QString>("output");
    QTest::newRow("rows changed") << QStringLiteral(
        "create table o (a int); insert into o values (1), (2), (3); update o set a = a + 1 "
        "where a > 1; delete from o where a = 1")
                                  << QStringLiteral("6");
    QTest::newRow("last statement with rows") << QStringLiteral(
        "create table o (a int); insert into o values (7); select a * 6 from o; "
        "insert into o values (8)") << QStringLiteral("42");
    QTest::newRow("last returns none")
        << QStringLiteral("create table o (a int); select 'first'; select a from o") << QString();
    QTest::newRow("null is empty") << QStringLiteral("select null::int, 5") << QString();
    QTest::newRow("double as its digits")
        << QStringLiteral("select 0.1::float8 * 3") << QStringLiteral("0.30000000000000004");
    QTest::newRow("ddl only") << QStringLiteral("create table o (a int)") << QStringLiteral("0");
}

void TestPgSteps::sqlOutputRules()
{
    QFETCH(QString, statements);
    QFETCH(QString, output);
    FlowStepRunner runner;
    const FlowStepRunner::Outcome outcome =
        runner.run(QStringLiteral("steps:\n  - id: s\n    database: %1\n    sql: \"%2\"\n")
                       .arg(freshUrl(), statements)
                       .toUtf8());
    QVERIFY2(
        outcome.state == RunState::Completed, qPrintable(outcome.message + outcome.buildError));
    QCOMPARE(outcome.outputs.value(QStringLiteral("s")).toString(), output);
}

void TestPgSteps::sqlErrorRollsBackAndNamesTheLine()
{
    const QString url = freshUrl();
    FlowStepRunner runner;
    const FlowStepRunner::Outcome outcome = runner.run(QStringLiteral(R"(steps:
  - id: s
    database: %1
    sql: |
      create table kept (a int);
      insert into kept values (1);
      -- the next one fails
      insert into
        no_such_table values (2);
      select 1;
)")
                                                           .arg(url)
                                                           .toUtf8());
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(outcome.message.contains(QLatin1String("line 8:")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("no_such_table")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("42P01")), qPrintable(outcome.message));
    const QString redacted = StoreUrl::parse(url)->redacted();
    QVERIFY2(outcome.message.contains(redacted), qPrintable(outcome.message));
    QVERIFY2(!outcome.message.contains(Password), qPrintable(outcome.message));
    // Nothing of the step is left: the table made before the error is rolled back.
    QCOMPARE(pgRows(url, QStringLiteral("select to_regclass('kept') is null")),
        (QList<QStringList>{ { QStringLiteral("true") } }));
}

void TestPgSteps::cancelStopsAStatementOnTheServer()
{
    const QString url = freshUrl();
    FlowFileTest::Fixture f;
    QVERIFY(f.add(QStringLiteral("sleepy"),
        QStringLiteral("steps:\n  - id: s\n    database: \"%1\"\n    sql: select pg_sleep(120)\n")
            .arg(url)
            .toUtf8()));
    const Result<qint64> id = f.start(QStringLiteral("sleepy"));
    QVERIFY(id);
    const auto state = [&] {
        const TaskStateEvent *last = f.log().last(*id, QStringLiteral("s"));
        return last ? last->state : RunState::Pending;
    };
    QTRY_COMPARE(state(), RunState::Running);
    // Wait until the server runs the statement, so that the cancel has one to stop.
    const QString running = QStringLiteral(
        "select count(*) from pg_stat_activity where query = 'select pg_sleep(120)'");
    QTRY_COMPARE_WITH_TIMEOUT(pgRows(url, running).value(0).value(0), QStringLiteral("1"), 10000);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(f.engine().cancel(*id, QStringLiteral("test cancel")));
    const RunFinishedEvent *done = f.waitFor(*id);
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Cancelled);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    // Stopped by the server on the cancel itself, not abandoned after the engine's grace period.
    const QString message = f.log().last(*id, QStringLiteral("s"))->message;
    QVERIFY2(message.contains(QStringLiteral("57014")), qPrintable(message));
    QTRY_COMPARE(pgRows(url, running).value(0).value(0), QStringLiteral("0"));
}

void TestPgSteps::importCreatesATypedTable()
{
    const QString url = freshUrl();
    FlowStepRunner runner;
    QVERIFY(writeFile(runner.flowsPath() + QStringLiteral("/prices.csv"),
        "sym,price,volume,note\n"
        "BTC,67012.53,12,\"line one\nline two\"\n"
        "ETH,3000,,\"tab\there \\ back\"\n"
        "\"DOGE\",0.1,9223372036854775807,ünïcødé\n"));
    const FlowStepRunner::Outcome outcome = runner.run(QStringLiteral(R"(steps:
  - id: load
    import:
      file: prices.csv
      into: prices
      database: %1
      columns: { sym: text, price: real, volume: integer, note: text }
      key: sym
)")
                                                           .arg(url)
                                                           .toUtf8());
    QVERIFY2(
        outcome.state == RunState::Completed, qPrintable(outcome.message + outcome.buildError));
    QCOMPARE(outcome.outputs.value(QStringLiteral("load")).toLongLong(), 3);
    QCOMPARE(pgRows(url,
                 QStringLiteral("select column_name, data_type, is_nullable from "
                                "information_schema.columns where table_name = 'prices' "
                                "order by ordinal_position")),
        (QList<QStringList>{
            { QStringLiteral("sym"), QStringLiteral("text"), QStringLiteral("NO") },
            { QStringLiteral("price"), QStringLiteral("double precision"), QStringLiteral("YES") },
            { QStringLiteral("volume"), QStringLiteral("bigint"), QStringLiteral("YES") },
            { QStringLiteral("note"), QStringLiteral("text"), QStringLiteral("YES") } }));
    QCOMPARE(pgRows(url,
                 QStringLiteral("select a.attname from pg_index i join pg_attribute a on "
                                "a.attrelid = i.indrelid and a.attnum = any(i.indkey) where "
                                "i.indrelid = 'prices'::regclass and i.indisprimary")),
        (QList<QStringList>{ { QStringLiteral("sym") } }));
    QCOMPARE(pgRows(url,
                 QStringLiteral("select sym, price::text, coalesce(volume::text, 'NULL'), note "
                                "from prices order by sym")),
        (QList<QStringList>{ { QStringLiteral("BTC"), QStringLiteral("67012.53"),
                                 QStringLiteral("12"), QStringLiteral("line one\nline two") },
            { QStringLiteral("DOGE"), QStringLiteral("0.1"), QStringLiteral("9223372036854775807"),
                QStringLiteral("ünïcødé") },
            { QStringLiteral("ETH"), QStringLiteral("3000"), QStringLiteral("NULL"),
                QStringLiteral("tab\there \\ back") } }));
    QVERIFY2(outcome.log.join(u'\n').contains(QLatin1String("stored 3 row(s) in prices")),
        qPrintable(outcome.log.join(u'\n')));
    // Nothing went to the warehouse.
    QVERIFY(FlowStepRunner::rows(runner.warehousePath(),
        QStringLiteral("select name from sqlite_master where name = 'prices'"))
                .isEmpty());
}

void TestPgSteps::importConflictRules_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<qint64>("stored");
    QTest::addColumn<QString>("rows");
    // The table holds a=old before; the file has a twice, then b, then b again.
    QTest::newRow("ignore") << QStringLiteral("ignore") << qint64(1)
                            << QStringLiteral("a=old b=first-b");
    QTest::newRow("replace") << QStringLiteral("replace") << qint64(2)
                             << QStringLiteral("a=second-a b=second-b");
}

void TestPgSteps::importConflictRules()
{
    QFETCH(QString, rule);
    QFETCH(qint64, stored);
    QFETCH(QString, rows);
    const QString url = freshUrl();
    FlowStepRunner runner;
    QVERIFY(writeFile(runner.flowsPath() + QStringLiteral("/k.csv"),
        "k,v\na,first-a\na,second-a\nb,first-b\nb,second-b\n"));
    const QByteArray flow = QStringLiteral(R"(steps:
  - id: load
    import: { file: k.csv, into: kv, database: "%1", key: k, on-conflict: %2, columns: { k: text, v: text } }
)")
                                .arg(url, rule)
                                .toUtf8();
    // The first run makes the table; then a=old stands for a row stored before.
    FlowStepRunner::Outcome outcome = runner.run(flow);
    QVERIFY2(
        outcome.state == RunState::Completed, qPrintable(outcome.message + outcome.buildError));
    QVERIFY(pgRows(url, QStringLiteral("delete from kv; insert into kv values ('a', 'old')"))
                .isEmpty());
    outcome = runner.run(flow);
    QVERIFY2(
        outcome.state == RunState::Completed, qPrintable(outcome.message + outcome.buildError));
    QCOMPARE(outcome.outputs.value(QStringLiteral("load")).toLongLong(), stored);
    QStringList found;
    for (const QStringList &row : pgRows(url, QStringLiteral("select k, v from kv order by k")))
        found << row.join(u'=');
    QCOMPARE(found.join(u' '), rows);
}

void TestPgSteps::importMisfitNamesFileLineAndColumn()
{
    const QString url = freshUrl();
    FlowStepRunner runner;
    QVERIFY(writeFile(runner.flowsPath() + QStringLiteral("/bad.csv"),
        "name,price\nfine,1.5\n\"two\nlines\",2\nbroken,abc\n"));
    const FlowStepRunner::Outcome outcome = runner.run(QStringLiteral(R"(steps:
  - id: load
    import: { file: bad.csv, into: goods, database: "%1", columns: { name: text, price: real } }
)")
                                                           .arg(url)
                                                           .toUtf8());
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(outcome.message.contains(QLatin1String("bad.csv:5")), qPrintable(outcome.message));
    QVERIFY2(
        outcome.message.contains(QLatin1String("\"abc\" does not fit the column price (real)")),
        qPrintable(outcome.message));
    QVERIFY2(!outcome.message.contains(Password), qPrintable(outcome.message));
    // All or nothing: not even the table is left.
    QCOMPARE(pgRows(url, QStringLiteral("select to_regclass('goods') is null")),
        (QList<QStringList>{ { QStringLiteral("true") } }));
}

void TestPgSteps::importChecksAnExistingTable_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("expected"); // empty: the rows go in
    QTest::newRow("same types, more columns")
        << QStringLiteral("create table g (id bigint primary key, price numeric, note text, "
                          "extra int default 7, since timestamptz)")
        << QString();
    QTest::newRow("other type") << QStringLiteral("create table g (id bigint primary key, price "
                                                  "text)")
                                << QStringLiteral("the column price of the table g is declared "
                                                  "text, not real as described");
    QTest::newRow("other key") << QStringLiteral("create table g (id bigint, price float8)")
                               << QStringLiteral("the table g has the key (), not (id)");
    QTest::newRow("missing column") << QStringLiteral("create table g (id bigint primary key)")
                                    << QStringLiteral("the table g has no column price");
    QTest::newRow("must be set") << QStringLiteral(
        "create table g (id bigint primary key, price float8, owner text not null)")
                                 << QStringLiteral("the table g has a column owner that must be "
                                                   "set and is not described");
    QTest::newRow("a view") << QStringLiteral("create view g as select 1::bigint as id")
                            << QStringLiteral("g is not a table");
}

void TestPgSteps::importChecksAnExistingTable()
{
    QFETCH(QString, table);
    QFETCH(QString, expected);
    const QString url = freshUrl();
    QVERIFY(pgRows(url, table).isEmpty());
    FlowStepRunner runner;
    QVERIFY(writeFile(runner.flowsPath() + QStringLiteral("/g.csv"), "id,price\n1,2.5\n2,\n"));
    const FlowStepRunner::Outcome outcome = runner.run(QStringLiteral(R"(steps:
  - id: load
    import: { file: g.csv, into: g, key: id, database: "%1", columns: { id: integer, price: real } }
)")
                                                           .arg(url)
                                                           .toUtf8());
    if (expected.isEmpty()) {
        QVERIFY2(outcome.state == RunState::Completed, qPrintable(outcome.message));
        QCOMPARE(pgRows(url,
                     QStringLiteral(
                         "select id, coalesce(price::text, 'NULL'), extra from g order by id")),
            (QList<QStringList>{
                { QStringLiteral("1"), QStringLiteral("2.5"), QStringLiteral("7") },
                { QStringLiteral("2"), QStringLiteral("NULL"), QStringLiteral("7") } }));
        return;
    }
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(outcome.message.contains(expected), qPrintable(outcome.message));
}

void TestPgSteps::exportSameBytesAsSqlite_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("options");
    QTest::newRow("table") << QByteArray("table: things") << QByteArray();
    QTest::newRow("query, crlf, safe") << QByteArray(
        "query: \"select id, t, r, n, b, length(t) as len from things where id >= :min "
        "order by id desc\"") << QByteArray("line-ends: crlf, spreadsheet-safe: true, ");
    QTest::newRow("no header, semicolons")
        << QByteArray("table: things") << QByteArray("header: false, delimiter: \";\", ");
}

void TestPgSteps::exportSameBytesAsSqlite()
{
    QFETCH(QByteArray, source);
    QFETCH(QByteArray, options);
    const QString url = freshUrl();
    FlowStepRunner runner;
    const QList<Row> rows = awkwardRows();

    // SQLite: r has no declared type, so that it keeps -0.0 as given (a REAL column would store
    // it as 0.0, which is a different value).
    {
        Result<SqliteConnection> connection =
            SqliteConnection::open(runner.warehousePath(), QStringLiteral("test-fill"));
        QVERIFY(connection);
        QVERIFY(connection->exec(QStringLiteral(
            "CREATE TABLE things (id INTEGER PRIMARY KEY, t TEXT, r, n INTEGER, b BLOB)")));
        sqlite3 *db = *connection->handle();
        sqlite3_stmt *insert = nullptr;
        QCOMPARE(sqlite3_prepare_v2(
                     db, "INSERT INTO things VALUES (?, ?, ?, ?, ?)", -1, &insert, nullptr),
            SQLITE_OK);
        for (const Row &row : rows) {
            sqlite3_bind_int64(insert, 1, row.id);
            if (row.text)
                sqlite3_bind_text(
                    insert, 2, row.text->constData(), int(row.text->size()), SQLITE_TRANSIENT);
            if (row.real)
                sqlite3_bind_double(insert, 3, *row.real);
            if (row.integer)
                sqlite3_bind_int64(insert, 4, *row.integer);
            if (row.blob)
                sqlite3_bind_blob(
                    insert, 5, row.blob->constData(), int(row.blob->size()), SQLITE_TRANSIENT);
            QCOMPARE(sqlite3_step(insert), SQLITE_DONE);
            sqlite3_reset(insert);
            sqlite3_clear_bindings(insert);
        }
        sqlite3_finalize(insert);
    }
    // PostgreSQL: the same values, the doubles written as their shortest exact digits.
    {
        QVERIFY(pgRows(url,
            QStringLiteral("create table things (id bigint primary key, t text, r double "
                           "precision, n bigint, b bytea)"))
                    .isEmpty());
        const StoreUrl parsed = *StoreUrl::parse(url);
        Result<PgConnection> connection = PgConnection::open(parsed, QStringLiteral("test-fill"));
        QVERIFY(connection);
        PGconn *conn = PgSql::handle(*connection);
        QVERIFY(conn);
        // In reverse: a table is exported in its key's order, whatever the order stored.
        for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
            const Row &row = *it;
            PgSql::Statement insert;
            insert.text = "INSERT INTO things VALUES ($1, $2, $3::float8, $4, decode($5, 'hex'))";
            insert.parameters = { QStringLiteral("id"), QStringLiteral("t"), QStringLiteral("r"),
                QStringLiteral("n"), QStringLiteral("b") };
            const QVariantMap binds = {
                { QStringLiteral("id"), row.id },
                { QStringLiteral("t"),
                    row.text ? QVariant(QString::fromUtf8(*row.text)) : QVariant() },
                { QStringLiteral("r"),
                    row.real ? QVariant(QString::fromLatin1(PythonFloat::toUtf8(*row.real)))
                             : QVariant() },
                { QStringLiteral("n"), row.integer ? QVariant(*row.integer) : QVariant() },
                { QStringLiteral("b"),
                    row.blob ? QVariant(QString::fromLatin1(row.blob->toHex())) : QVariant() },
            };
            Result<PgSql::ResultPtr> done = PgSql::exec(conn, insert, binds, {});
            QVERIFY2(done, qPrintable(done ? QString() : done.error().what));
        }
    }

    const QByteArray flow = "params:\n  min: 2\nsteps:\n"
                            "  - id: from-sqlite\n    export: { "
        + options + source + ", to: out/sqlite.csv }\n" + "  - id: from-postgres\n    export: { "
        + options + source + ", to: out/postgres.csv, database: \"" + url.toUtf8() + "\" }\n";
    const FlowStepRunner::Outcome outcome = runner.run(flow);
    QVERIFY2(
        outcome.state == RunState::Completed, qPrintable(outcome.message + outcome.buildError));
    const QByteArray fromSqlite = readAll(runner.flowsPath() + QStringLiteral("/out/sqlite.csv"));
    const QByteArray fromPostgres =
        readAll(runner.flowsPath() + QStringLiteral("/out/postgres.csv"));
    QVERIFY(fromSqlite.size() > 100);
    QCOMPARE(fromPostgres, fromSqlite);
    // The awkward values are there as the exporter writes them.
    QVERIFY2(fromPostgres.contains("-0.0") && fromPostgres.contains("1e+300")
            && fromPostgres.contains("7.365750402566894e+20") && fromPostgres.contains("5e-324")
            && fromPostgres.contains("-9223372036854775808") && fromPostgres.contains("00ff10")
            && fromPostgres.contains("\"say \"\"hi\"\", twice\""),
        fromPostgres.constData());
    QCOMPARE(outcome.outputs.value(QStringLiteral("from-postgres")).toString(),
        runner.flowsPath() + QStringLiteral("/out/postgres.csv"));
}

void TestPgSteps::exportRefusesAWritingQuery()
{
    const QString url = freshUrl();
    FlowStepRunner runner;
    QVERIFY(pgRows(url, QStringLiteral("create table t (a int)")).isEmpty());
    const QString target = runner.flowsPath() + QStringLiteral("/out.csv");
    QVERIFY(writeFile(target, "kept\n"));
    for (const char *query :
        { "insert into t values (1) returning a", "select 1; select 2", "delete from t" }) {
        const FlowStepRunner::Outcome outcome = runner.run(
            QStringLiteral("steps:\n  - id: e\n    export: { query: \"%1\", to: out.csv, "
                           "database: \"%2\" }\n")
                .arg(QString::fromLatin1(query), url)
                .toUtf8());
        QCOMPARE(outcome.state, RunState::Failed);
        QVERIFY2(outcome.message.contains(QLatin1String("the query must be")),
            qPrintable(outcome.message));
        // A bad request is not retried and leaves the file as it was.
        QCOMPARE(readAll(target), QByteArray("kept\n"));
    }
    QCOMPARE(pgRows(url, QStringLiteral("select count(*) from t")),
        (QList<QStringList>{ { QStringLiteral("0") } }));
}

void TestPgSteps::failuresNameTheRedactedUrl_data()
{
    QTest::addColumn<QString>("kind"); // unreachable, password, table, statement
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("expected");
    const QString sql = QStringLiteral("sql: \"select 1\"\n    database: \"%1\"");
    QTest::newRow("unreachable sql")
        << QStringLiteral("unreachable") << sql << QStringLiteral("no PostgreSQL server answers");
    QTest::newRow("wrong password sql")
        << QStringLiteral("password") << sql << QStringLiteral("refused user \"sluice\"");
    QTest::newRow("wrong password import")
        << QStringLiteral("password")
        << QStringLiteral("import: { file: one.csv, into: t, database: \"%1\" }")
        << QStringLiteral("refused user \"sluice\"");
    QTest::newRow("unreachable export")
        << QStringLiteral("unreachable")
        << QStringLiteral("export: { table: t, to: o.csv, database: \"%1\" }")
        << QStringLiteral("no PostgreSQL server answers");
    QTest::newRow("missing table export")
        << QStringLiteral("table")
        << QStringLiteral("export: { table: missing, to: o.csv, database: \"%1\" }")
        << QStringLiteral("unknown table \"missing\"");
    QTest::newRow("missing table sql")
        << QStringLiteral("table")
        << QStringLiteral("sql: \"select * from missing\"\n    database: \"%1\"")
        << QStringLiteral("relation \"missing\" does not exist (SQLSTATE 42P01)");
    QTest::newRow("statement error")
        << QStringLiteral("statement")
        << QStringLiteral("sql: \"select 1 / 0\"\n    database: \"%1\"")
        << QStringLiteral("line 3: division by zero (SQLSTATE 22012)");
}

void TestPgSteps::failuresNameTheRedactedUrl()
{
    QFETCH(QString, kind);
    QFETCH(QString, step);
    QFETCH(QString, expected);
    QString url = freshUrl();
    const QString secret = QStringLiteral("N0t-Th1s-0ne");
    if (kind == u"unreachable") {
        // A port nobody listens on: the server's, once it is stopped, is not needed; a closed
        // loopback port answers at once.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        url = QStringLiteral("postgresql://sluice:%1@127.0.0.1:%2/sluice").arg(secret).arg(port);
    } else if (kind == u"password") {
        url.replace(Password, secret);
    }
    FlowStepRunner runner;
    QVERIFY(writeFile(runner.flowsPath() + QStringLiteral("/one.csv"), "a\n1\n"));
    const FlowStepRunner::Outcome outcome =
        runner.run(QStringLiteral("steps:\n  - id: s\n    %1\n").arg(step.arg(url)).toUtf8());
    QCOMPARE(outcome.state, RunState::Failed);
    const QString redacted = StoreUrl::parse(url)->redacted();
    QVERIFY2(outcome.message.contains(expected), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(redacted), qPrintable(outcome.message));
    // Recorded in the run's log, and nowhere with the password.
    const QString log = outcome.log.join(u'\n');
    QVERIFY2(log.contains(expected) && log.contains(redacted), qPrintable(log));
    for (const QString &text : { outcome.message, log }) {
        QVERIFY2(!text.contains(secret), qPrintable(text));
        QVERIFY2(!text.contains(Password), qPrintable(text));
    }
}

void TestPgSteps::onlyAnUnreachableServerIsRetried()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closed = probe.serverPort();
    probe.close();
    const QString unreachable =
        QStringLiteral("postgresql://sluice@127.0.0.1:%1/sluice").arg(closed);
    const QString wrongPassword = QString(freshUrl()).replace(Password, QStringLiteral("nope"));
    const QString failing = freshUrl();
    const auto attempts = [](const FlowStepRunner::Outcome &outcome) {
        return outcome.log.filter(QStringLiteral("Failed after 3 attempts")).size();
    };
    for (const auto &[url, sql, retried] : { std::tuple{ unreachable, "select 1", true },
             std::tuple{ wrongPassword, "select 1", false },
             std::tuple{ failing, "select * from missing", false } }) {
        FlowStepRunner runner;
        const FlowStepRunner::Outcome outcome =
            runner.run(QStringLiteral("steps:\n  - id: s\n    retries: 2\n    retry-delay: 100ms\n"
                                      "    database: \"%1\"\n    sql: %2\n")
                           .arg(url, QLatin1String(sql))
                           .toUtf8());
        QCOMPARE(outcome.state, RunState::Failed);
        QVERIFY2(attempts(outcome) == (retried ? 1 : 0), qPrintable(outcome.log.join(u'\n')));
    }
}

void TestPgSteps::passwordFromTheEnvironmentIsNeverShown()
{
    const QString url = freshUrl();
    const QString withVariable =
        QString(url).replace(Password, QStringLiteral("${env.SLUICE_TEST_PGPASS}"));
    QVERIFY(withVariable != url);
    FlowStepRunner runner;
    const QByteArray flow = QStringLiteral(R"(steps:
  - id: make
    database: "%1"
    sql: "create table if not exists e (a int); insert into e values (1); select current_user"
  - id: show
    run: echo "made by ${steps.make.output}"
  - id: fail
    database: "%1"
    sql: "select no_such_column from e"
)")
                                .arg(withVariable)
                                .toUtf8();

    qputenv("SLUICE_TEST_PGPASS", Password.toUtf8());
    FlowStepRunner::Outcome outcome = runner.run(flow);
    QCOMPARE(outcome.state, RunState::Failed);
    QCOMPARE(outcome.outputs.value(QStringLiteral("make")).toString(), QStringLiteral("sluice"));
    QVERIFY(!outcome.outputs.contains(QStringLiteral("fail")));
    QVERIFY2(
        outcome.message.contains(QLatin1String("no_such_column")), qPrintable(outcome.message));
    QString everything = outcome.message + u'\n' + outcome.log.join(u'\n');
    for (const QVariant &output : std::as_const(outcome.outputs))
        everything += u'\n' + output.toString();
    QVERIFY2(everything.contains(QLatin1String("made by sluice")), qPrintable(everything));
    QVERIFY2(!everything.contains(Password), qPrintable(everything));

    // A wrong password from the environment fails the first step, naming the user only.
    const QString wrong = QStringLiteral("Env-Wr0ng-Pass");
    qputenv("SLUICE_TEST_PGPASS", wrong.toUtf8());
    outcome = runner.run(flow);
    qunsetenv("SLUICE_TEST_PGPASS");
    QCOMPARE(outcome.state, RunState::Failed);
    everything = outcome.message + u'\n' + outcome.log.join(u'\n');
    QVERIFY2(everything.contains(QLatin1String("refused user \"sluice\"")), qPrintable(everything));
    QVERIFY2(!everything.contains(wrong), qPrintable(everything));
}

void TestPgSteps::passwordWithUrlCharactersFromTheEnvironment()
{
    // Substituted into a URL written in the file, the value is percent-encoded: a password
    // from the environment works as it is, whatever it holds.
    const QString odd = QStringLiteral("p@ss/w:rd#?&=%41 '\"x");
    QVERIFY(m_server->createUser(QStringLiteral("odd"), odd));
    QVERIFY(m_server->createDatabase(QStringLiteral("odddb"), QStringLiteral("odd")));
    FlowStepRunner runner;
    const QByteArray flow =
        QStringLiteral("steps:\n  - id: s\n    database: "
                       "\"postgresql://odd:${env.SLUICE_TEST_ODD}@127.0.0.1:%1/odddb\"\n"
                       "    sql: select current_user || '@' || current_database()\n")
            .arg(m_server->port())
            .toUtf8();
    qputenv("SLUICE_TEST_ODD", odd.toUtf8());
    FlowStepRunner::Outcome outcome = runner.run(flow);
    QVERIFY2(outcome.state == RunState::Completed, qPrintable(outcome.message));
    QCOMPARE(outcome.outputs.value(QStringLiteral("s")).toString(), QStringLiteral("odd@odddb"));

    // A URL that comes whole from a variable is taken as it is (encoded by whoever wrote it).
    const QByteArray whole = "steps:\n  - id: s\n    database: \"${env.SLUICE_TEST_URL}\"\n"
                             "    sql: select current_user\n";
    qputenv("SLUICE_TEST_URL",
        "postgresql://odd:" + QUrl::toPercentEncoding(odd)
            + QStringLiteral("@127.0.0.1:%1/odddb").arg(m_server->port()).toUtf8());
    outcome = runner.run(whole);
    QVERIFY2(outcome.state == RunState::Completed, qPrintable(outcome.message));
    QCOMPARE(outcome.outputs.value(QStringLiteral("s")).toString(), QStringLiteral("odd"));

    // Wrong, it is named by the user alone.
    qputenv("SLUICE_TEST_ODD", QByteArray("p@ss/N0pe"));
    outcome = runner.run(flow);
    qunsetenv("SLUICE_TEST_ODD");
    qunsetenv("SLUICE_TEST_URL");
    QCOMPARE(outcome.state, RunState::Failed);
    const QString everything = outcome.message + u'\n' + outcome.log.join(u'\n');
    QVERIFY2(everything.contains(QLatin1String("refused user \"odd\"")), qPrintable(everything));
    QVERIFY2(!everything.contains(QLatin1String("N0pe")), qPrintable(everything));
}

QTEST_GUILESS_MAIN(TestPgSteps)
#include "tst_pgsteps.moc"
