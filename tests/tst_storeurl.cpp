// StoreUrl: what `store.url`, `--store` and SLUICE_STORE accept, what they refuse and how the
// refusal reads, and that the password never shows.

#include <QtTest>

#include "store/storeurl.h"

using namespace Sluice;

class TestStoreUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sqliteIsTheDefault_data();
    void sqliteIsTheDefault();
    void postgresUrls_data();
    void postgresUrls();
    void refused_data();
    void refused();
    void passwordNeverShown_data();
    void passwordNeverShown();
    void connectionParametersCarryValuesAsTheyAre();
};

void TestStoreUrl::sqliteIsTheDefault_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("word") << QStringLiteral("sqlite");
    QTest::newRow("case and spaces") << QStringLiteral("  SQLite ");
}

void TestStoreUrl::sqliteIsTheDefault()
{
    QFETCH(QString, text);
    const Result<StoreUrl> url = StoreUrl::parse(text);
    QVERIFY2(url, qPrintable(url ? QString() : url.error().message()));
    QCOMPARE(url->kind(), StoreUrl::Kind::Sqlite);
    QCOMPARE(url->redacted(), QStringLiteral("sqlite"));
}

void TestStoreUrl::postgresUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("hasPassword");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("sslMode");
    QTest::addColumn<QString>("redacted");

    QTest::newRow("full") << QStringLiteral(
        "postgresql://ann:s%40cr%3At@db.example:6543/sluice?sslmode=require")
                          << QStringLiteral("ann") << QStringLiteral("s@cr:t") << true
                          << QStringLiteral("db.example") << 6543 << QStringLiteral("sluice")
                          << QStringLiteral("require")
                          << QStringLiteral(
                                 "postgresql://ann@db.example:6543/sluice?sslmode=require");
    QTest::newRow("postgres scheme, default port")
        << QStringLiteral("postgres://ann@127.0.0.1/runs") << QStringLiteral("ann") << QString()
        << false << QStringLiteral("127.0.0.1") << 5432 << QStringLiteral("runs") << QString()
        << QStringLiteral("postgresql://ann@127.0.0.1:5432/runs");
    QTest::newRow("empty password")
        << QStringLiteral("postgresql://ann:@h/d") << QStringLiteral("ann") << QString() << false
        << QStringLiteral("h") << 5432 << QStringLiteral("d") << QString()
        << QStringLiteral("postgresql://ann@h:5432/d");
    QTest::newRow("ipv6") << QStringLiteral("postgresql://ann@[::1]:5433/d")
                          << QStringLiteral("ann") << QString() << false << QStringLiteral("::1")
                          << 5433 << QStringLiteral("d") << QString()
                          << QStringLiteral("postgresql://ann@[::1]:5433/d");
    QTest::newRow("socket folder")
        << QStringLiteral("postgresql://ann@/sluice?host=/var/run/postgresql")
        << QStringLiteral("ann") << QString() << false << QStringLiteral("/var/run/postgresql")
        << 5432 << QStringLiteral("sluice") << QString()
        << QStringLiteral("postgresql://ann@localhost:5432/sluice?host=%2Fvar%2Frun%2Fpostgresql");
    QTest::newRow("no user") << QStringLiteral("postgresql://h.example/d") << QString() << QString()
                             << false << QStringLiteral("h.example") << 5432 << QStringLiteral("d")
                             << QString() << QStringLiteral("postgresql://h.example:5432/d");
    QTest::newRow("encoded database name")
        << QStringLiteral("postgresql://ann@h/my%20runs") << QStringLiteral("ann") << QString()
        << false << QStringLiteral("h") << 5432 << QStringLiteral("my runs") << QString()
        << QStringLiteral("postgresql://ann@h:5432/my%20runs");
}

void TestStoreUrl::postgresUrls()
{
    QFETCH(QString, text);
    const Result<StoreUrl> url = StoreUrl::parse(text);
    QVERIFY2(url, qPrintable(url ? QString() : url.error().message()));
    QCOMPARE(url->kind(), StoreUrl::Kind::Postgres);
    QTEST(url->user(), "user");
    QTEST(url->password(), "password");
    QTEST(url->hasPassword(), "hasPassword");
    QTEST(url->host(), "host");
    QTEST(url->port(), "port");
    QTEST(url->database(), "database");
    QTEST(url->sslMode(), "sslMode");
    QTEST(url->redacted(), "redacted");
    // What redacted() prints reads back as the same store, less the password.
    const Result<StoreUrl> again = StoreUrl::parse(url->redacted());
    QVERIFY2(again, qPrintable(again ? QString() : again.error().message()));
    QCOMPARE(again->host(), url->host());
    QCOMPARE(again->port(), url->port());
    QCOMPARE(again->database(), url->database());
    QCOMPARE(again->user(), url->user());
    QVERIFY(!again->hasPassword());
}

void TestStoreUrl::refused_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("other scheme") << QStringLiteral("mysql://ann@h/d") << QStringLiteral("mysql:");
    QTest::newRow("a path") << QStringLiteral("/var/lib/runs.sqlite")
                            << QStringLiteral("/var/lib/runs.sqlite");
    QTest::newRow("no database") << QStringLiteral("postgresql://ann@h")
                                 << QStringLiteral("/DATABASE");
    QTest::newRow("no database, slash")
        << QStringLiteral("postgresql://ann@h:5432/") << QStringLiteral("/DATABASE");
    QTest::newRow("no host") << QStringLiteral("postgresql:///d") << QStringLiteral("HOST");
    QTest::newRow("port 0") << QStringLiteral("postgresql://ann@h:0/d") << QStringLiteral("port 0");
    QTest::newRow("port too big") << QStringLiteral("postgresql://ann@h:70000/d")
                                  << QStringLiteral("port");
    QTest::newRow("port not a number")
        << QStringLiteral("postgresql://ann@h:abc/d") << QStringLiteral("port");
    QTest::newRow("sslmode") << QStringLiteral("postgresql://ann@h/d?sslmode=maybe")
                             << QStringLiteral("maybe");
    QTest::newRow("unknown parameter")
        << QStringLiteral("postgresql://ann@h/d?options=-c%20x") << QStringLiteral("options");
    QTest::newRow("timeout") << QStringLiteral("postgresql://ann@h/d?connect_timeout=0")
                             << QStringLiteral("connect_timeout");
    QTest::newRow("relative socket")
        << QStringLiteral("postgresql://ann@/d?host=tmp") << QStringLiteral("socket");
    QTest::newRow("fragment") << QStringLiteral("postgresql://ann@h/d#x") << QStringLiteral("#");
    QTest::newRow("sub path") << QStringLiteral("postgresql://ann@h/d/e") << QStringLiteral("d/e");
    QTest::newRow("space") << QStringLiteral("postgresql://ann@h/my runs") << QStringLiteral("%20");
    QTest::newRow("control character")
        << QStringLiteral("postgresql://ann@h/d\x01") << QStringLiteral("control");
}

void TestStoreUrl::refused()
{
    QFETCH(QString, text);
    QFETCH(QString, mentions);
    const Result<StoreUrl> url = StoreUrl::parse(text, QStringLiteral("--store"));
    QVERIFY2(!url, qPrintable(text));
    QCOMPARE(url.error().where, QStringLiteral("--store"));
    QCOMPARE(url.error().code, ErrorCode::Permanent);
    QVERIFY2(url.error().what.contains(mentions), qPrintable(url.error().what));
    QVERIFY(!url.error().what.contains(QLatin1Char('\x01')));
}

void TestStoreUrl::passwordNeverShown_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("valid") << QStringLiteral("postgresql://ann:hunter2@h/d");
    QTest::newRow("bad port") << QStringLiteral("postgresql://ann:hunter2@h:99999/d");
    QTest::newRow("bad scheme") << QStringLiteral("pg://ann:hunter2@h/d");
    QTest::newRow("bad parameter") << QStringLiteral("postgresql://ann:hunter2@h/d?x=1");
    QTest::newRow("no database") << QStringLiteral("postgresql://ann:hunter2@h");
    QTest::newRow("bad host") << QStringLiteral("postgresql://ann:hunter2@h%20x/d");
    // The / ends the authority: "ann:12" reads as a host and port, the rest as a path.
    QTest::newRow("slash in password") << QStringLiteral("postgresql://ann:12/hunter2@h/d");
}

void TestStoreUrl::passwordNeverShown()
{
    QFETCH(QString, text);
    const Result<StoreUrl> url = StoreUrl::parse(text);
    const QString shown = url ? url->redacted() : url.error().message();
    QVERIFY2(!shown.contains(QLatin1String("hunter2")), qPrintable(shown));
    if (url)
        QCOMPARE(url->password(), QStringLiteral("hunter2"));
}

void TestStoreUrl::connectionParametersCarryValuesAsTheyAre()
{
    // A password with libpq's own syntax in it (spaces, quotes, '=') reaches libpq as one value.
    Result<StoreUrl> url =
        StoreUrl::parse(QStringLiteral("postgresql://ann@h:5433/d?sslmode=disable"));
    QVERIFY(url);
    url->setPassword(QStringLiteral("a b' c=d\\"));
    const auto params = url->connectionParameters();
    QHash<QByteArray, QByteArray> byKey;
    for (const auto &[key, value] : params)
        byKey.insert(key, value);
    QCOMPARE(byKey.value("password"), QByteArray("a b' c=d\\"));
    QCOMPARE(byKey.value("host"), QByteArray("h"));
    QCOMPARE(byKey.value("port"), QByteArray("5433"));
    QCOMPARE(byKey.value("dbname"), QByteArray("d"));
    QCOMPARE(byKey.value("user"), QByteArray("ann"));
    QCOMPARE(byKey.value("sslmode"), QByteArray("disable"));
    QVERIFY(!url->redacted().contains(QLatin1String("a b")));
}

QTEST_GUILESS_MAIN(TestStoreUrl)
#include "tst_storeurl.moc"
