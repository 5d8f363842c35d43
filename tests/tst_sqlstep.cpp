// `sql` steps of flow files on the engine, on real SQLite files: binds of the run's values
// (hostile text included), the output rules, one transaction rolled back on error with the
// file line named, `database:` against the flow's folder, the warehouse by default, and a
// cancel that stops a statement in the middle.

#include <sqlite3.h>

#include <QFile>
#include <QtTest>

#include "flowfilefixture.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;
using namespace FlowFileTest;

namespace {

// The first column of the first row of a query on a database file; "" when there is no row.
QString scalar(const QString &path, const QString &query)
{
    Result<SqliteConnection> connection = SqliteConnection::open(path, QStringLiteral("check"));
    if (!connection)
        return QStringLiteral("error: ") + connection.error().message();
    Result<sqlite3 *> db = connection->handle();
    if (!db)
        return QStringLiteral("error: ") + db.error().message();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(*db, query.toUtf8().constData(), -1, &statement, nullptr) != SQLITE_OK)
        return QStringLiteral("error: ") + QString::fromUtf8(sqlite3_errmsg(*db));
    QString value;
    if (sqlite3_step(statement) == SQLITE_ROW)
        value =
            QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(statement, 0)));
    sqlite3_finalize(statement);
    return value;
}

} // namespace

class TestSqlStep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bindsRunValues();
    void outputRules_data();
    void outputRules();
    void errorRollsBackAndNamesTheLine();
    void databaseAgainstTheFlowFolder();
    void outputFeedsARunStep();
    void cancelStopsAStatement();
    void tellsTheTablesItWrote();
};

void TestSqlStep::bindsRunValues()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("binds"), R"(params:
  name: { type: string }
  limit: 1000
  day: { type: date, default: "${run.date}" }
steps:
  - id: s
    sql: |
      create table if not exists t(v, n, kind, day, flow, run);
      insert into t values (:name, :limit, typeof(:limit), :day, :flow, :run_id);
      select count(*) from t;
)"));
    const QString hostile = QStringLiteral("x'); drop table t; -- \"$(touch y)\" ${params.name}");
    RunOptions options;
    options.parameters.insert(QStringLiteral("name"), hostile);
    const RunFinishedEvent *done = f.run(QStringLiteral("binds"), options);
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    const QString warehouse = f.folder().warehousePath();
    QCOMPARE(scalar(warehouse, QStringLiteral("select v from t")), hostile);
    QCOMPARE(scalar(warehouse, QStringLiteral("select kind from t")), QStringLiteral("integer"));
    QCOMPARE(scalar(warehouse, QStringLiteral("select n from t")), QStringLiteral("1000"));
    QCOMPARE(scalar(warehouse, QStringLiteral("select day from t")), QStringLiteral("2026-12-06"));
    QCOMPARE(scalar(warehouse, QStringLiteral("select flow from t")), QStringLiteral("binds"));
    QCOMPARE(scalar(warehouse, QStringLiteral("select run from t")), QString::number(f.lastRun()));
    QCOMPARE(f.task(QStringLiteral("s"))->state, RunState::Completed);
}

void TestSqlStep::outputRules_data()
{
    QTest::addColumn<QByteArray>("sql"); // one line of YAML
    QTest::addColumn<QString>("output");
    QTest::newRow("rows changed") << QByteArray(
        "create table t(a); insert into t values (1), (2), (3); delete from t "
        "where a > 1") << QStringLiteral("5");
    QTest::newRow("last statement with rows") << QByteArray(
        "select 'first'; create table t(a); select 'second', 'x'; insert into t "
        "values (1)") << QStringLiteral("second");
    QTest::newRow("no row") << QByteArray("create table t(a); select a from t")
                            << QStringLiteral("");
}

void TestSqlStep::outputRules()
{
    QFETCH(QByteArray, sql);
    QFETCH(QString, output);
    Fixture f;
    QVERIFY(f.add(QStringLiteral("out"),
        "steps:\n  - id: s\n    database: mine.sqlite\n    sql: \"" + sql
            + "\"\n  - id: r\n    run: printf '[%s]' \"${steps.s.output}\" > r.out\n"));
    const RunFinishedEvent *done = f.run(QStringLiteral("out"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    QCOMPARE(f.read(QStringLiteral("r.out")), QStringLiteral("[%1]").arg(output).toUtf8());
}

void TestSqlStep::errorRollsBackAndNamesTheLine()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("broken"), R"(description: line 1
steps:
  - id: s
    database: broken.sqlite
    sql: |
      create table kept(a);
      insert into kept values (1);

      -- the next statement fails
      insert into
        nowhere values (2);
      insert into kept values (3);
  - id: after
    run: touch after-ran
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("broken"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Failed);
    QCOMPARE(done->failedTask, QStringLiteral("s"));
    QVERIFY2(done->message.contains(QStringLiteral("line 10: no such table: nowhere")),
        qPrintable(done->message));
    QVERIFY2(
        done->message.contains(f.path(QStringLiteral("broken.sqlite"))), qPrintable(done->message));
    QCOMPARE(scalar(f.path(QStringLiteral("broken.sqlite")),
                 QStringLiteral("select count(*) from sqlite_master where name = 'kept'")),
        QStringLiteral("0"));
    QCOMPARE(f.task(QStringLiteral("after"))->state, RunState::Skipped);
}

void TestSqlStep::databaseAgainstTheFlowFolder()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("where"), R"(steps:
  - id: local
    database: "${flow.name}.sqlite"
    sql: create table here(a)
  - id: absolute
    database: "${data-dir}/other.sqlite"
    sql: create table there(a)
  - id: warehouse
    sql: create table home(a)
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("where"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    const QString exists = QStringLiteral("select count(*) from sqlite_master where name = '%1'");
    QCOMPARE(scalar(f.path(QStringLiteral("where.sqlite")), exists.arg(QStringLiteral("here"))),
        QStringLiteral("1"));
    QCOMPARE(scalar(f.folder().path() + QStringLiteral("/other.sqlite"),
                 exists.arg(QStringLiteral("there"))),
        QStringLiteral("1"));
    QCOMPARE(scalar(f.folder().warehousePath(), exists.arg(QStringLiteral("home"))),
        QStringLiteral("1"));
}

void TestSqlStep::outputFeedsARunStep()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("feed"), R"(steps:
  - id: s
    sql: select 'it''s $(touch z) `touch z`'
  - id: r
    run: printf %s ${steps.s.output} > r.out
)"));
    const RunFinishedEvent *done = f.run(QStringLiteral("feed"));
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Completed);
    QCOMPARE(f.read(QStringLiteral("r.out")), QByteArray("it's $(touch z) `touch z`"));
    QVERIFY(!QFile::exists(f.path(QStringLiteral("z"))));
}

void TestSqlStep::cancelStopsAStatement()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("endless"), R"(steps:
  - id: s
    sql: |
      with recursive c(x) as (select 1 union all select x + 1 from c)
      select count(*) from c;
)"));
    const Result<qint64> id = f.start(QStringLiteral("endless"));
    QVERIFY(id);
    const auto state = [&] {
        const TaskStateEvent *last = f.log().last(*id, QStringLiteral("s"));
        return last ? last->state : RunState::Pending;
    };
    QTRY_COMPARE(state(), RunState::Running);
    QVERIFY(f.engine().cancel(*id, QStringLiteral("test cancel")));
    const RunFinishedEvent *done = f.waitFor(*id);
    QVERIFY(done);
    QCOMPARE(done->state, RunState::Cancelled);
    // Stopped by the cancel itself, not given up on after the engine's grace period.
    const QString message = f.log().last(*id, QStringLiteral("s"))->message;
    QVERIFY2(message.contains(QStringLiteral("interrupted")), qPrintable(message));
}

void TestSqlStep::tellsTheTablesItWrote()
{
    Fixture f;
    QVERIFY(f.add(QStringLiteral("writes"), R"(steps:
  - id: s
    sql: |
      create table if not exists t(v primary key) without rowid;
      create table if not exists u(w);
      insert into t values (1);
      select count(*) from u;
)"));
    QVERIFY(f.add(QStringLiteral("reads"), R"(steps:
  - id: s
    sql: select count(*) from t
)"));
    const RunFinishedEvent *wrote = f.run(QStringLiteral("writes"));
    QVERIFY(wrote);
    QCOMPARE(wrote->state, RunState::Completed);
    // How many rows a script changed in each table is not known: -1, "changed".
    const QMap<QString, qint64> written{ { QStringLiteral("t"), -1 }, { QStringLiteral("u"), -1 } };
    QCOMPARE(wrote->storedRows, written);
    const RunFinishedEvent *read = f.run(QStringLiteral("reads"));
    QVERIFY(read);
    QCOMPARE(read->state, RunState::Completed);
    QVERIFY(read->storedRows.isEmpty());
}

QTEST_GUILESS_MAIN(TestSqlStep)
#include "tst_sqlstep.moc"
