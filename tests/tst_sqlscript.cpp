// SqlScript on real SQLite files: several statements in one transaction, named binds (never
// spliced), the output rule, a failing statement rolling everything back and naming its line,
// a missing parameter, a cancelled long statement, and a database locked by another connection.

#include <atomic>
#include <thread>

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "steps/sqlscript.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;

namespace {

qint64 count(SqliteConnection &connection, const QString &table)
{
    QSqlQuery query(connection.database());
    if (!query.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

} // namespace

class TestSqlScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        Result<SqliteConnection> opened =
            SqliteConnection::open(m_dir.filePath(QStringLiteral("w.sqlite")), QStringLiteral("t"));
        QVERIFY(opened);
        m_connection = std::move(*opened);
        QVERIFY(m_connection.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS sales(day TEXT, "
                                                 "region TEXT, amount REAL)")));
        QVERIFY(m_connection.exec(QStringLiteral("DELETE FROM sales")));
    }

    void statementsRunInOrderWithBinds()
    {
        const QString script = QStringLiteral(
            "insert into sales values (:day, :region, 10.5);\n"
            "insert into sales values (:day, :region, 2);\n"
            "-- a comment\n"
            "create table if not exists summary(day text, total real);\n"
            "insert into summary select :day, sum(amount) from sales where day = :day;");
        const QVariantMap binds{ { QStringLiteral("day"), QStringLiteral("2026-12-05") },
            { QStringLiteral("region"), QStringLiteral("eu'); drop table sales; --") } };
        Result<SqlScript::Outcome> outcome = SqlScript::run(m_connection, script, binds, {});
        QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message()));
        QCOMPARE(outcome->statements, 4);
        QCOMPARE(outcome->rowsChanged, 3);
        QCOMPARE(outcome->output, QStringLiteral("3")); // no statement returned rows
        QSqlQuery query(m_connection.database());
        QVERIFY(query.exec(QStringLiteral("SELECT DISTINCT region FROM sales")) && query.next());
        QCOMPARE(query.value(0).toString(), binds.value(QStringLiteral("region")).toString());
        QVERIFY(query.exec(QStringLiteral("SELECT total FROM summary")) && query.next());
        QCOMPARE(query.value(0).toDouble(), 12.5);
    }

    void outputIsTheLastRowReturningStatement()
    {
        Result<SqlScript::Outcome> outcome = SqlScript::run(m_connection,
            QStringLiteral("insert into sales values ('d', 'eu', 1), ('d', 'us', 2);"
                           "select region from sales order by amount desc;"
                           "insert into sales values ('e', 'eu', 3);"),
            {}, {});
        QVERIFY(outcome);
        QCOMPARE(outcome->output, QStringLiteral("us"));

        outcome = SqlScript::run(
            m_connection, QStringLiteral("select 1; select region from sales where 0"), {}, {});
        QVERIFY(outcome);
        QCOMPARE(outcome->output, QString()); // the last one returned no row
    }

    void aFailureRollsEverythingBackAndNamesTheLine()
    {
        QVERIFY(m_connection.exec(QStringLiteral("INSERT INTO sales VALUES ('k', 'eu', 1)")));
        const QString script = QStringLiteral("insert into sales values ('a', 'eu', 1);\n"
                                              "\n"
                                              "  -- next is wrong\n"
                                              "  insert into nowhere values (1);\n");
        Result<SqlScript::Outcome> outcome = SqlScript::run(m_connection, script, {}, {}, 10);
        QVERIFY(!outcome);
        QVERIFY2(outcome.error().what.startsWith(QLatin1String("line 13: no such table: nowhere")),
            qPrintable(outcome.error().what));
        QCOMPARE(outcome.error().where, m_connection.path());
        QCOMPARE(count(m_connection, QStringLiteral("sales")), 1);

        outcome = SqlScript::run(m_connection, QStringLiteral("selec 1"), {}, {});
        QVERIFY(!outcome);
        QVERIFY(outcome.error().what.startsWith(QLatin1String("line 1: ")));
        QCOMPARE(outcome.error().code, ErrorCode::Permanent);
    }

    void aMissingParameterIsNamed()
    {
        Result<SqlScript::Outcome> outcome =
            SqlScript::run(m_connection, QStringLiteral("insert into sales values (:day, :x, 1)"),
                { { QStringLiteral("day"), QStringLiteral("d") } }, {});
        QVERIFY(!outcome);
        QVERIFY2(
            outcome.error().what.contains(QLatin1String(":x")), qPrintable(outcome.error().what));
        QCOMPARE(count(m_connection, QStringLiteral("sales")), 0);

        outcome = SqlScript::run(m_connection, QStringLiteral("select ?"), {}, {});
        QVERIFY(!outcome);
    }

    void cancelInterruptsALongStatement()
    {
        CancellationToken token(std::make_shared<std::atomic<bool>>(false));
        std::thread canceller([&] {
            QThread::msleep(100);
            token.cancel();
        });
        Result<SqlScript::Outcome> outcome = SqlScript::run(m_connection,
            QStringLiteral("insert into sales values ('x', 'eu', 1);"
                           "with recursive n(i) as (select 1 union all select i + 1 from n) "
                           "select count(*) from n;"),
            {}, token);
        canceller.join();
        QVERIFY(!outcome);
        QCOMPARE(outcome.error().code, ErrorCode::Cancelled);
        QCOMPARE(count(m_connection, QStringLiteral("sales")), 0);
    }

    void aLockedDatabaseIsTransient()
    {
        Result<SqliteConnection> other =
            SqliteConnection::open(m_connection.path(), QStringLiteral("other"));
        QVERIFY(other);
        QVERIFY(other->exec(QStringLiteral("BEGIN IMMEDIATE")));
        QVERIFY(other->exec(QStringLiteral("INSERT INTO sales VALUES ('o', 'eu', 1)")));
        QVERIFY(m_connection.exec(QStringLiteral("PRAGMA busy_timeout = 50")));
        Result<SqlScript::Outcome> outcome = SqlScript::run(
            m_connection, QStringLiteral("insert into sales values (1, 2, 3)"), {}, {});
        QVERIFY(!outcome);
        QCOMPARE(outcome.error().code, ErrorCode::Transient);
        QVERIFY(other->exec(QStringLiteral("ROLLBACK")));
        QVERIFY(m_connection.exec(QStringLiteral("PRAGMA busy_timeout = 5000")));
        QVERIFY(SqlScript::run(
            m_connection, QStringLiteral("insert into sales values (1, 2, 3)"), {}, {}));
    }

private:
    QTemporaryDir m_dir;
    SqliteConnection m_connection;
};

QTEST_GUILESS_MAIN(TestSqlScript)
#include "tst_sqlscript.moc"
