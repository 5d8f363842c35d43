// DataFolder: which folder is used, its creation, and the errors for folders that cannot be used.

#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "settings/datafolder.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;

class TestDataFolder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void resolvePrecedence();
    void resolveExpandsHomeAndMakesAbsolute();
    void createsNestedFolderWithWarehouse();
    void reopenKeepsData();
    void regularFileIsRefused();
    void uncreatableFolderIsNamed();
    void unwritableFolderIsNamed();
    void corruptWarehouseIsNamed();
    void pathBytesMustBeUtf8_data();
    void pathBytesMustBeUtf8();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestDataFolder::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestDataFolder::init()
{
    qunsetenv(DataFolder::EnvironmentVariable);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestDataFolder::resolvePrecedence()
{
    QVERIFY(!DataFolder::defaultPath().isEmpty());
    QCOMPARE(DataFolder::resolve(QString()), QDir::cleanPath(DataFolder::defaultPath()));
    qputenv(DataFolder::EnvironmentVariable, "/tmp/from-env");
    QCOMPARE(DataFolder::resolve(QString()), QStringLiteral("/tmp/from-env"));
    QCOMPARE(DataFolder::resolve(QStringLiteral("/tmp/from-option")),
        QStringLiteral("/tmp/from-option"));
    qunsetenv(DataFolder::EnvironmentVariable);
}

void TestDataFolder::resolveExpandsHomeAndMakesAbsolute()
{
    QCOMPARE(DataFolder::resolve(QStringLiteral("~/sluice-data")),
        QDir::homePath() + QStringLiteral("/sluice-data"));
    QCOMPARE(DataFolder::resolve(QStringLiteral("rel/../data")),
        QDir::currentPath() + QStringLiteral("/data"));
}

void TestDataFolder::createsNestedFolderWithWarehouse()
{
    const QString path = m_dir->filePath(QStringLiteral("a/b/c"));
    const Result<DataFolder> folder = DataFolder::open(path);
    QVERIFY2(folder, folder ? "" : qPrintable(folder.error().message()));
    QCOMPARE(folder->path(), path);
    QVERIFY(QFileInfo(path).isDir());
    QVERIFY(QFile::exists(folder->warehousePath()));
    QCOMPARE(folder->settingsPath(), path + QStringLiteral("/settings.ini"));
    QCOMPARE(folder->runsPath(), path + QStringLiteral("/runs.sqlite"));
    // The write probe leaves nothing behind.
    const QStringList entries = QDir(path).entryList(QDir::Files | QDir::Hidden);
    for (const QString &entry : entries)
        QVERIFY2(!entry.startsWith(QLatin1String(".sluice-write-test")), qPrintable(entry));
}

void TestDataFolder::reopenKeepsData()
{
    const QString path = m_dir->filePath(QStringLiteral("data"));
    Result<DataFolder> folder = DataFolder::open(path);
    QVERIFY(folder);
    {
        Result<SqliteConnection> db =
            SqliteConnection::open(folder->warehousePath(), QStringLiteral("test"));
        QVERIFY(db);
        QVERIFY(db->exec(QStringLiteral(
            "INSERT INTO btc_usd_price_with_net_stat VALUES ('5m', 300, 1.5, 2.5, 3.5)")));
    }
    folder = DataFolder::open(path);
    QVERIFY(folder);
    Result<SqliteConnection> db =
        SqliteConnection::open(folder->warehousePath(), QStringLiteral("test"));
    QVERIFY(db);
    QSqlQuery query(db->database());
    QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM btc_usd_price_with_net_stat")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 1);
}

void TestDataFolder::regularFileIsRefused()
{
    const QString path = m_dir->filePath(QStringLiteral("file"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const Result<DataFolder> folder = DataFolder::open(path);
    QVERIFY(!folder);
    QCOMPARE(folder.error().where, path);
    QVERIFY(folder.error().what.contains(QLatin1String("not a folder")));
}

void TestDataFolder::uncreatableFolderIsNamed()
{
    const QString blocker = m_dir->filePath(QStringLiteral("blocker"));
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const QString path = blocker + QStringLiteral("/data");
    const Result<DataFolder> folder = DataFolder::open(path);
    QVERIFY(!folder);
    QCOMPARE(folder.error().where, path);
    QVERIFY2(folder.error().what.contains(QLatin1String("cannot create the data folder")),
        qPrintable(folder.error().message()));
    QVERIFY2(folder.error().what.contains(QLatin1String("Not a directory")),
        qPrintable(folder.error().message()));
}

void TestDataFolder::unwritableFolderIsNamed()
{
    // /proc is a folder that nobody, root included, can create files in.
    const Result<DataFolder> folder = DataFolder::open(QStringLiteral("/proc"));
    QVERIFY(!folder);
    QCOMPARE(folder.error().where, QStringLiteral("/proc"));
    QVERIFY2(folder.error().what.contains(QLatin1String("cannot write in the data folder")),
        qPrintable(folder.error().message()));
}

void TestDataFolder::corruptWarehouseIsNamed()
{
    const QString path = m_dir->filePath(QStringLiteral("data"));
    QVERIFY(QDir().mkpath(path));
    QFile file(path + QStringLiteral("/warehouse.sqlite"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    const Result<DataFolder> folder = DataFolder::open(path);
    QVERIFY(!folder);
    QCOMPARE(folder.error().where, path + QStringLiteral("/warehouse.sqlite"));
    QVERIFY2(folder.error().what.contains(QLatin1String("not a database")),
        qPrintable(folder.error().message()));
    // The file is left as it was for the user to inspect.
    QCOMPARE(QFileInfo(file.fileName()).size(), 4096);
}

void TestDataFolder::pathBytesMustBeUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("shown"); // empty: accepted
    QTest::newRow("ascii") << QByteArray("/data/sluice") << QString();
    QTest::newRow("utf-8") << QByteArray("/data/caf\xc3\xa9-\xe4\xb8\xad") << QString();
    QTest::newRow("latin-1") << QByteArray("/data/caf\xe9") << QStringLiteral("/data/caf\\xe9");
    QTest::newRow("0xff among utf-8")
        << QByteArray("/caf\xc3\xa9/\xff") << QStringLiteral("/caf\u00e9/\\xff");
    QTest::newRow("cut sequence") << QByteArray("/x\xe4\xb8") << QStringLiteral("/x\\xe4\\xb8");
    QTest::newRow("overlong slash") << QByteArray("/x\xc0\xaf") << QStringLiteral("/x\\xc0\\xaf");
    QTest::newRow("escape and backslash")
        << QByteArray("/x\xff\x1b[2J\\") << QStringLiteral("/x\\xff\\x1b[2J\\x5c");
}

void TestDataFolder::pathBytesMustBeUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, shown);
    const Result<void> ok = DataFolder::checkPathBytes(bytes, QStringLiteral("--data-dir"));
    if (shown.isEmpty()) {
        QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message()));
        return;
    }
    QVERIFY(!ok);
    QCOMPARE(ok.error().where, QStringLiteral("--data-dir"));
    QVERIFY2(
        ok.error().what.startsWith(QLatin1Char('"') + shown + QLatin1String("\" is not UTF-8")),
        qPrintable(ok.error().what));
}

QTEST_GUILESS_MAIN(TestDataFolder)
#include "tst_datafolder.moc"
