// The SQL tab of the Data area, offscreen, on real warehouse files: rows of a SELECT, a large
// result in pages, results of any shape, Ctrl+Enter on the statement under the cursor, writes
// refused with the file untouched, a statement that never ends cancelled with its rows kept, an
// error underlined where SQLite saw it, the history of 50 statements across a restart, a
// warehouse locked before and after the tab's connection opened, the spool removed with its
// result and said plainly when it cannot be made, and an export that writes the bytes of the
// table export.

#include <sqlite3.h>

#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTranslator>
#include <QtTest>

#include "cleantablefixture.h"
#include "data/queryreader.h"
#include "dialogs/exportdialog.h"
#include "editor/codeeditor.h"
#include "mainwindow.h"
#include "models/queryresultmodel.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
#include "storage/csvexporter.h"
#include "storage/sqliteconnection.h"
#include "views/dataview.h"
#include "views/sqlview.h"
#include "widgets/windowscroller.h"
#include "windowsettings.h"

using namespace Sluice;

namespace {

constexpr int TimeoutMs = 30'000;
const char *const Clean = "btc_usd_price_with_net_stat";

// Another program's connection to the warehouse, switched to a rollback journal (where a
// writer's lock keeps readers out), that can take the file to itself; let go when destroyed.
class OtherWriter
{
public:
    explicit OtherWriter(const QString &path)
    {
        m_ok = sqlite3_open(path.toUtf8().constData(), &m_db) == SQLITE_OK
            && sqlite3_exec(m_db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr)
                == SQLITE_OK;
    }
    ~OtherWriter()
    {
        release();
        sqlite3_close(m_db);
    }
    OtherWriter(const OtherWriter &) = delete;
    OtherWriter &operator=(const OtherWriter &) = delete;

    bool isOpen() const { return m_ok; }
    bool lock()
    {
        return sqlite3_exec(m_db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    void release() { sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr); }

private:
    sqlite3 *m_db = nullptr;
    bool m_ok = false;
};

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestSqlView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void selectShowsItsRows();
    void largeResultComesInPages();
    void resultsOfAnyShape_data();
    void resultsOfAnyShape();
    void rowsAreShownWhileTheySpool();
    void statementWithoutRowsIsSaid();
    void statementAt_data();
    void statementAt();
    void ctrlEnterRunsTheStatementUnderTheCursor();
    void writesAreRefused_data();
    void writesAreRefused();
    void cancelStopsAStatementThatNeverEnds_data();
    void cancelStopsAStatementThatNeverEnds();
    void errorIsMarkedAtItsPosition();
    void historyKeepsFiftyAcrossARestart();
    void lockedWarehouseIsSaidPlainly();
    void lockedAtOpenIsSaidPlainly();
    void cancelStopsTheWaitForALock();
    void spoolIsRemovedWithItsResult();
    void unwritableSpoolIsSaidPlainly();
    void exportWritesTheBytesOfTheTableExport();
    void screenshots();

private:
    // Puts sql in the editor, the cursor at its end, and presses Ctrl+Enter.
    static void type(SqlView &view, const QString &sql);
    static bool finished(const SqlView &view)
    {
        return QTest::qWaitFor([&] { return !view.isRunning(); }, TimeoutMs);
    }
    static QString status(const SqlView &view)
    {
        return view.findChild<QLabel *>(QStringLiteral("sqlStatus"))->text();
    }
    static QString error(const SqlView &view)
    {
        auto *label = view.findChild<QLabel *>(QStringLiteral("sqlError"));
        return label->isHidden() ? QString() : label->text();
    }

    QTemporaryDir m_home;
    QTranslator m_english; // English plural forms: "1 row", "10 rows"
};

void TestSqlView::initTestCase()
{
    // The history is kept in the window settings: this process's own home, never the user's.
    QVERIFY(m_home.isValid());
    qputenv("HOME", QFile::encodeName(m_home.path()));
    QStandardPaths::setTestModeEnabled(true);
    QLocale::setDefault(QLocale(QStringLiteral("en_US"))); // "1,000 rows"
    QVERIFY(m_english.load(QStringLiteral(":/i18n/sluice_en.qm")));
    QVERIFY(QCoreApplication::installTranslator(&m_english));
}

void TestSqlView::init()
{
    windowSettings().remove(QStringLiteral("sql"));
}

void TestSqlView::type(SqlView &view, const QString &sql)
{
    view.editor()->setPlainText(sql);
    view.editor()->moveCursor(QTextCursor::End);
    QTest::keyClick(view.editor(), Qt::Key_Return, Qt::ControlModifier);
}

void TestSqlView::selectShowsItsRows()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 1000), QString());
    SqlView view;
    view.setWarehousePath(path);
    view.show();
    view.editor()->setPlainText(
        QStringLiteral("SELECT timeframe, price FROM %1 WHERE price < 20010 ORDER BY price DESC")
            .arg(QLatin1String(Clean)));
    QTest::mouseClick(view.findChild<QPushButton *>(QStringLiteral("runSql")), Qt::LeftButton);
    QVERIFY(view.isRunning());
    QVERIFY(finished(view));
    QueryResultModel *model = view.model();
    QCOMPARE(model->totalRows(), qint64(10));
    QCOMPARE(model->rowCount(), 10);
    QCOMPARE(model->columnCount(), 2);
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("price"));
    QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(0), TimeoutMs);
    QCOMPARE(model->index(0, 1).data(QueryResultModel::RawRole).toDouble(), 20009.0);
    QCOMPARE(model->index(9, 0).data().toString(), QStringLiteral("5m"));
    QVERIFY2(status(view).startsWith(QLatin1String("10 rows in ")), qPrintable(status(view)));
    QVERIFY(error(view).isEmpty());
}

void TestSqlView::largeResultComesInPages()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    constexpr qint64 Rows = 100'000;
    QCOMPARE(CleanTableFixture::fill(path, Rows), QString());
    SqlView view;
    view.resize(900, 600);
    view.setWarehousePath(path);
    view.show();
    type(view, QStringLiteral("SELECT * FROM %1").arg(QLatin1String(Clean)));
    QVERIFY(finished(view));
    QueryResultModel *model = view.model();
    QCOMPARE(model->totalRows(), Rows);
    QCOMPARE(model->rowCount(), int(Rows));
    QVERIFY(model->cachedPages() <= 2);

    const int start = model->columnIndex(QStringLiteral("start_timestamp"));
    auto timestamp = [&](int row) {
        return model->index(row, start).data(QueryResultModel::RawRole).toLongLong();
    };
    view.resultView()->scrollToRow(Rows - 1);
    QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(int(Rows) - 1), TimeoutMs);
    QCOMPARE(view.resultView()->lastVisibleRow(), Rows - 1);
    QCOMPARE(timestamp(int(Rows) - 1), CleanTableFixture::Base + (Rows - 1) * 300);
    // Back to the middle: one seek in the spool, wherever the page is.
    view.resultView()->scrollToRow(Rows / 2);
    QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(int(Rows / 2)), TimeoutMs);
    QCOMPARE(timestamp(int(Rows / 2)), CleanTableFixture::Base + Rows / 2 * 300);
    QVERIFY(model->cachedPages() <= QueryResultModel::MaxCachedPages);
    QVERIFY2(status(view).startsWith(QLatin1String("100,000 rows in ")), qPrintable(status(view)));
}

void TestSqlView::resultsOfAnyShape_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<QVariantList>("firstRow"); // empty: no rows
    QTest::addColumn<qint64>("rows");
    QTest::addColumn<QString>("statusStart");

    QTest::newRow("one row, duplicate names")
        << QStringLiteral("SELECT 1 AS a, 'x' AS a, 2.5 AS a") << QStringList{ "a", "a", "a" }
        << QVariantList{ 1, QStringLiteral("x"), 2.5 } << qint64(1) << QStringLiteral("1 row in ");
    QTest::newRow("blob and null")
        << QStringLiteral("SELECT x'00ff10' AS b, NULL AS n, x'' AS e")
        << QStringList{ "b", "n", "e" }
        << QVariantList{ QByteArray("\x00\xff\x10", 3), QVariant(), QByteArray() } << qint64(1)
        << QStringLiteral("1 row in ");
    QTest::newRow("no rows")
        << QStringLiteral("SELECT price FROM %1 WHERE price < 0").arg(QLatin1String(Clean))
        << QStringList{ "price" } << QVariantList() << qint64(0) << QStringLiteral("0 rows in ");
    QTest::newRow("a table without a key, over several pages")
        << QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                          "WHERE i < 1000) SELECT i % 7 AS k, 'r' || i AS t FROM n")
        << QStringList{ "k", "t" } << QVariantList{ 1, QStringLiteral("r1") } << qint64(1000)
        << QStringLiteral("1,000 rows in ");
    QTest::newRow("pragma") << QStringLiteral("PRAGMA table_info(%1)").arg(QLatin1String(Clean))
                            << QStringList{ "cid", "name", "type", "notnull", "dflt_value", "pk" }
                            << QVariantList{ 0, QStringLiteral("timeframe"),
                                   QStringLiteral("TEXT") }
                            << qint64(-2) << QString();
}

void TestSqlView::resultsOfAnyShape()
{
    QFETCH(QString, sql);
    QFETCH(QStringList, columns);
    QFETCH(QVariantList, firstRow);
    QFETCH(qint64, rows);
    QFETCH(QString, statusStart);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    SqlView view;
    view.setWarehousePath(path);
    view.show();
    type(view, sql);
    QVERIFY(finished(view));
    QVERIFY2(error(view).isEmpty(), qPrintable(error(view)));
    QueryResultModel *model = view.model();
    QCOMPARE(model->columnCount(), int(columns.size()));
    for (int i = 0; i < columns.size(); ++i)
        QCOMPARE(model->headerData(i, Qt::Horizontal, Qt::UserRole).toString(), columns[i]);
    if (rows >= 0) {
        QCOMPARE(model->totalRows(), rows);
        QCOMPARE(model->rowCount(), int(rows));
    } else {
        QVERIFY(model->totalRows() > 0);
    }
    if (!statusStart.isEmpty())
        QVERIFY2(status(view).startsWith(statusStart), qPrintable(status(view)));
    if (firstRow.isEmpty())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(0), TimeoutMs);
    for (int i = 0; i < firstRow.size(); ++i) {
        const QVariant value = model->index(0, i).data(QueryResultModel::RawRole);
        QCOMPARE(value.isNull(), firstRow[i].isNull());
        if (firstRow[i].typeId() == QMetaType::QByteArray)
            QCOMPARE(value.typeId(), int(QMetaType::QByteArray));
        QCOMPARE(value, firstRow[i]);
    }
    if (rows > QueryResultModel::PageSize) {
        // The last row, on a page of its own: read by its row number.
        view.resultView()->scrollToRow(rows - 1);
        QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(int(rows) - 1), TimeoutMs);
        QCOMPARE(model->index(int(rows) - 1, 1).data(QueryResultModel::RawRole).toString(),
            QStringLiteral("r%1").arg(rows));
    }
}

void TestSqlView::statementWithoutRowsIsSaid()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    SqlView view;
    view.setWarehousePath(path);
    QSignalSpy failures(view.model(), &QueryResultModel::queryFailed);
    type(view, QStringLiteral("BEGIN"));
    QVERIFY(finished(view));
    QCOMPARE(failures.size(), 1);
    QVERIFY2(error(view).startsWith(QLatin1String("The statement returns no rows")),
        qPrintable(error(view)));
    QCOMPARE(view.model()->columnCount(), 0);
    // The tab goes on: no transaction was left open.
    type(view, QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(Clean)));
    QVERIFY(finished(view));
    QVERIFY2(error(view).isEmpty(), qPrintable(error(view)));
    QTRY_COMPARE_WITH_TIMEOUT(
        view.model()->index(0, 0).data(QueryResultModel::RawRole).toInt(), 10, TimeoutMs);
}

void TestSqlView::rowsAreShownWhileTheySpool()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    SqlView view;
    view.resize(900, 600);
    view.setWarehousePath(path);
    view.show();
    // Rows for ever: the row count grows while the statement runs, and the rows read so far
    // can be scrolled to before it ends.
    type(view,
        QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                       "SELECT x, printf('%08d', x) AS padded FROM c"));
    QueryResultModel *model = view.model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 4 * QueryResultModel::PageSize, TimeoutMs);
    QVERIFY(view.isRunning());
    QCOMPARE(model->totalRows(), qint64(-1));
    QVERIFY2(status(view).contains(QStringLiteral(" rows read…")), qPrintable(status(view)));
    const int shown = model->rowCount();
    view.resultView()->scrollToRow(shown - 1);
    QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(shown - 1), TimeoutMs);
    QCOMPARE(
        model->index(shown - 1, 0).data(QueryResultModel::RawRole).toLongLong(), qint64(shown));
    QVERIFY(view.isRunning());

    view.cancel();
    QVERIFY(!view.isRunning());
    QVERIFY2(status(view).startsWith(QLatin1String("Cancelled after ")), qPrintable(status(view)));
    // The rows read before the Cancel stay, all of them readable.
    QTest::qWait(100);
    const int kept = model->rowCount();
    QVERIFY(kept >= shown);
    QCOMPARE(model->spooledRows(), qint64(kept));
    view.resultView()->scrollToRow(kept - 1);
    QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(kept - 1), TimeoutMs);
    QCOMPARE(model->index(kept - 1, 1).data(QueryResultModel::RawRole).toString(),
        QStringLiteral("%1").arg(kept, 8, 10, QLatin1Char('0')));
    QTest::qWait(100);
    QCOMPARE(model->rowCount(), kept); // nothing ran on behind
}

void TestSqlView::statementAt_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("statement");

    const QString two = QStringLiteral("SELECT 1;\n  SELECT 2 ;\n\n");
    QTest::newRow("first") << two << 3 << QStringLiteral("SELECT 1");
    QTest::newRow("second") << two << 14 << QStringLiteral("SELECT 2");
    QTest::newRow("just after its semicolon") << two << 9 << QStringLiteral("SELECT 1");
    QTest::newRow("on the next line") << two << 10 << QStringLiteral("SELECT 2");
    QTest::newRow("blanks after the last") << two << int(two.size()) << QStringLiteral("SELECT 2");
    QTest::newRow("quoted semicolons")
        << QStringLiteral("SELECT ';' AS \"a;b\" -- c;d\n FROM t; SELECT 3") << 5
        << QStringLiteral("SELECT ';' AS \"a;b\" -- c;d\n FROM t");
    QTest::newRow("comment with a semicolon") << QStringLiteral("SELECT 1 /* x; y */ + 2; SELECT 3")
                                              << 0 << QStringLiteral("SELECT 1 /* x; y */ + 2");
    QTest::newRow("nothing") << QStringLiteral(" ;\n ") << 1 << QString();
}

void TestSqlView::statementAt()
{
    QFETCH(QString, text);
    QFETCH(int, position);
    QFETCH(QString, statement);
    const QPair<int, int> found = SqlView::statementAt(text, position);
    QCOMPARE(text.mid(found.first, found.second), statement);
}

void TestSqlView::ctrlEnterRunsTheStatementUnderTheCursor()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    SqlView view;
    view.setWarehousePath(path);
    view.editor()->setPlainText(
        QStringLiteral("SELECT 1 AS a;\nSELECT 2 AS b, 'x;y' AS c;\nSELECT 4 AS d;"));
    QTextCursor cursor(view.editor()->document()->findBlockByNumber(1));
    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, 3);
    view.editor()->setTextCursor(cursor);
    QTest::keyClick(view.editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(finished(view));
    QCOMPARE(view.model()->columnCount(), 2);
    QCOMPARE(view.model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("b"));
    QTRY_COMPARE_WITH_TIMEOUT(
        view.model()->index(0, 1).data().toString(), QStringLiteral("x;y"), TimeoutMs);
    // The editor's text is unchanged: Ctrl+Enter inserted no line.
    QCOMPARE(view.editor()->document()->blockCount(), 3);

    // A selection runs as it is.
    cursor = QTextCursor(view.editor()->document()->findBlockByNumber(2));
    cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
    view.editor()->setTextCursor(cursor);
    QTest::keyClick(view.editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(finished(view));
    QCOMPARE(view.model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("d"));
}

void TestSqlView::writesAreRefused_data()
{
    QTest::addColumn<QString>("sql");
    QTest::newRow("insert") << QStringLiteral(
        "INSERT INTO btc_usd_price_with_net_stat VALUES ('1h', 1, 2, 3, 4)");
    QTest::newRow("insert returning")
        << QStringLiteral("INSERT INTO btc_usd_price_with_net_stat (timeframe, start_timestamp)"
                          " VALUES ('1h', 1) RETURNING *");
    QTest::newRow("delete") << QStringLiteral("DELETE FROM btc_usd_price_with_net_stat");
    QTest::newRow("drop") << QStringLiteral("DROP TABLE btc_usd_price_with_net_stat");
    QTest::newRow("create") << QStringLiteral("CREATE TABLE t AS SELECT 1");
    QTest::newRow("attach") << QStringLiteral("ATTACH DATABASE 'other.sqlite' AS other");
}

void TestSqlView::writesAreRefused()
{
    QFETCH(QString, sql);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 100), QString());
    {
        // Everything in the main file: the test compares its bytes.
        auto connection = SqliteConnection::open(path, QStringLiteral("checkpoint"));
        QVERIFY(connection);
        QVERIFY(connection->exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
    }
    const QByteArray before = fileHash(path);
    QVERIFY(!before.isEmpty());
    QDir::setCurrent(dir.path()); // where an ATTACH of a relative name would create its file

    SqlView view;
    view.setWarehousePath(path);
    QSignalSpy failures(view.model(), &QueryResultModel::queryFailed);
    type(view, sql);
    QVERIFY(finished(view));
    QCOMPARE(failures.size(), 1);
    const QueryFailure failure = failures.first().first().value<QueryFailure>();
    QVERIFY2(failure.kind == QueryFailure::Kind::ReadOnly, qPrintable(failure.message));
    QVERIFY2(error(view).startsWith(QLatin1String("The SQL tab is read-only:")),
        qPrintable(error(view)));
    QVERIFY(error(view).contains(QLatin1String("writes to the warehouse")));
    QVERIFY2(status(view).startsWith(QLatin1String("Refused")), qPrintable(status(view)));

    auto check = SqliteConnection::open(path, QStringLiteral("check"));
    QVERIFY(check);
    QSqlQuery count(check->database());
    QVERIFY(count.exec(QStringLiteral("SELECT COUNT(*) FROM btc_usd_price_with_net_stat")));
    QVERIFY(count.next());
    QCOMPARE(count.value(0).toLongLong(), qint64(100));
    QSqlQuery tables(check->database());
    QVERIFY(tables.exec(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name = 't'")));
    QVERIFY(tables.next());
    QCOMPARE(tables.value(0).toInt(), 0);
    QCOMPARE(fileHash(path), before);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("other.sqlite"))));
}

void TestSqlView::cancelStopsAStatementThatNeverEnds_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<bool>("rowsFirst");
    const QString endless =
        QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) ");
    // Rows come at once; counting them never ends.
    QTest::newRow("endless rows") << endless + QStringLiteral("SELECT x FROM c") << true;
    // Not even a first row ever comes.
    QTest::newRow("no first row") << endless + QStringLiteral("SELECT max(x) FROM c") << false;
}

void TestSqlView::cancelStopsAStatementThatNeverEnds()
{
    QFETCH(QString, sql);
    QFETCH(bool, rowsFirst);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    SqlView view;
    view.setWarehousePath(path);
    type(view, sql);
    QVERIFY(view.isRunning());
    auto *cancel = view.findChild<QPushButton *>(QStringLiteral("cancelSql"));
    QVERIFY(cancel->isEnabled());
    if (rowsFirst)
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->isRowLoaded(0), TimeoutMs);
    else
        QTest::qWait(100); // let the statement start: it is interrupted, not skipped
    QVERIFY(view.isRunning());
    if (rowsFirst)
        QTest::mouseClick(cancel, Qt::LeftButton);
    else
        QTest::keyClick(view.editor(), Qt::Key_Escape);
    QVERIFY(!view.isRunning());
    QVERIFY2(status(view).startsWith(QLatin1String("Cancelled")), qPrintable(status(view)));
    QVERIFY(!cancel->isEnabled());

    // The reader is free again: the statement stopped rather than running on behind.
    type(view, QStringLiteral("SELECT 42 AS answer"));
    QVERIFY(finished(view));
    QCOMPARE(view.model()->totalRows(), qint64(1));
    QTRY_COMPARE_WITH_TIMEOUT(
        view.model()->index(0, 0).data(QueryResultModel::RawRole).toInt(), 42, TimeoutMs);
}

void TestSqlView::errorIsMarkedAtItsPosition()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    SqlView view;
    view.setWarehousePath(path);
    // The statement starts on the third line, after another one; the bad name on its second
    // line, after a non-ASCII string (SQLite counts bytes).
    type(view,
        QStringLiteral("SELECT 1;\n\nSELECT price, 'é€' AS unit,\n  nosuchcolumn FROM %1")
            .arg(QLatin1String(Clean)));
    QVERIFY(finished(view));
    QVERIFY2(error(view).contains(QLatin1String("no such column: nosuchcolumn")),
        qPrintable(error(view)));
    const QList<QTextEdit::ExtraSelection> marks = view.editor()->diagnosticSelections();
    QCOMPARE(marks.size(), 1);
    QCOMPARE(marks.first().cursor.selectedText(), QStringLiteral("nosuchcolumn"));
    QCOMPARE(marks.first().cursor.blockNumber(), 3);
    QCOMPARE(marks.first().cursor.selectionStart() - marks.first().cursor.block().position(), 2);

    // Running again clears the mark.
    type(view, QStringLiteral("SELECT 1"));
    QVERIFY(finished(view));
    QVERIFY(view.editor()->diagnosticSelections().isEmpty());
    QVERIFY(error(view).isEmpty());
}

void TestSqlView::historyKeepsFiftyAcrossARestart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    {
        SqlView view;
        view.setWarehousePath(path);
        for (int i = 0; i < 55; ++i) {
            view.editor()->setPlainText(QStringLiteral("SELECT %1").arg(i));
            view.run();
        }
        view.editor()->setPlainText(QStringLiteral("SELECT 10")); // again: moves to the top
        view.run();
        QVERIFY(finished(view));
        QCOMPARE(view.history().size(), SqlView::HistorySize);
        QCOMPARE(view.history().first(), QStringLiteral("SELECT 10"));
        QCOMPARE(view.history().at(1), QStringLiteral("SELECT 54"));
        QCOMPARE(view.history().count(QStringLiteral("SELECT 10")), 1);
        QVERIFY(!view.history().contains(QStringLiteral("SELECT 4")));
    }
    SqlView view;
    view.setWarehousePath(path);
    QCOMPARE(view.history().size(), SqlView::HistorySize);
    QCOMPARE(view.history().first(), QStringLiteral("SELECT 10"));
    auto *box = view.findChild<QComboBox *>(QStringLiteral("sqlHistory"));
    QCOMPARE(box->count(), SqlView::HistorySize);

    view.editor()->setPlainText(QStringLiteral("draft"));
    QTest::keyClick(view.editor(), Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(view.editor()->toPlainText(), QStringLiteral("SELECT 10"));
    QTest::keyClick(view.editor(), Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(view.editor()->toPlainText(), QStringLiteral("SELECT 54"));
    QTest::keyClick(view.editor(), Qt::Key_Down, Qt::ControlModifier);
    QTest::keyClick(view.editor(), Qt::Key_Down, Qt::ControlModifier);
    QCOMPARE(view.editor()->toPlainText(), QStringLiteral("draft"));

    box->setCurrentIndex(2);
    Q_EMIT box->activated(2);
    QCOMPARE(view.editor()->toPlainText(), QStringLiteral("SELECT 53"));
}

void TestSqlView::lockedWarehouseIsSaidPlainly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    // A warehouse in WAL mode (as Sluice keeps it) is locked for readers only by a program
    // that keeps it to itself; one that another program switched back to a rollback journal
    // is locked by any writer.
    OtherWriter writer(path);
    QVERIFY(writer.isOpen());
    SqlView view;
    view.setWarehousePath(path);
    view.model()->setBusyTimeout(50);
    type(view, QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(Clean)));
    QVERIFY(finished(view));
    QVERIFY(error(view).isEmpty());

    QVERIFY(writer.lock());
    QSignalSpy failures(view.model(), &QueryResultModel::queryFailed);
    type(view, QStringLiteral("SELECT * FROM %1").arg(QLatin1String(Clean)));
    QVERIFY(finished(view));
    writer.release();
    QCOMPARE(failures.size(), 1);
    const QueryFailure failure = failures.first().first().value<QueryFailure>();
    QVERIFY2(failure.kind == QueryFailure::Kind::Busy, qPrintable(failure.message));
    QVERIFY2(
        error(view).startsWith(QLatin1String("The warehouse is locked")), qPrintable(error(view)));
}

void TestSqlView::lockedAtOpenIsSaidPlainly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    // Locked before the tab's connection opens: said as a lock, within the tab's busy timeout,
    // not as a failure to open the file.
    OtherWriter writer(path);
    QVERIFY(writer.isOpen() && writer.lock());
    SqlView view;
    view.setWarehousePath(path);
    view.model()->setBusyTimeout(50);
    QSignalSpy failures(view.model(), &QueryResultModel::queryFailed);
    QElapsedTimer clock;
    clock.start();
    type(view, QStringLiteral("SELECT * FROM %1").arg(QLatin1String(Clean)));
    QVERIFY(finished(view));
    const qint64 ms = clock.elapsed();
    QCOMPARE(failures.size(), 1);
    const QueryFailure failure = failures.first().first().value<QueryFailure>();
    QVERIFY2(failure.kind == QueryFailure::Kind::Busy, qPrintable(failure.message));
    QVERIFY2(
        error(view).startsWith(QLatin1String("The warehouse is locked")), qPrintable(error(view)));
    QVERIFY2(ms < 3000, qPrintable(QString::number(ms))); // not the 5 s of the default timeout

    // Unlocked, the same tab runs it.
    writer.release();
    type(view, QStringLiteral("SELECT COUNT(*) AS n FROM %1").arg(QLatin1String(Clean)));
    QVERIFY(finished(view));
    QVERIFY2(error(view).isEmpty(), qPrintable(error(view)));
    QTRY_COMPARE_WITH_TIMEOUT(
        view.model()->index(0, 0).data(QueryResultModel::RawRole).toInt(), 10, TimeoutMs);
}

void TestSqlView::cancelStopsTheWaitForALock()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    OtherWriter writer(path);
    QVERIFY(writer.isOpen() && writer.lock());
    SqlView view;
    view.setWarehousePath(path);
    view.model()->setBusyTimeout(20'000);
    type(view, QStringLiteral("SELECT * FROM %1").arg(QLatin1String(Clean)));
    QTest::qWait(200); // waiting for the lock
    QVERIFY(view.isRunning());
    view.cancel();
    QVERIFY(!view.isRunning());

    // The wait stopped with the Cancel: the next statement (over a file without the lock) does
    // not wait behind it for the rest of the 20 s.
    QTemporaryDir other;
    const QString free = other.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(free, 10), QString());
    view.setWarehousePath(free);
    QElapsedTimer clock;
    clock.start();
    type(view, QStringLiteral("SELECT 42 AS answer"));
    QVERIFY(finished(view));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(error(view).isEmpty(), qPrintable(error(view)));
    QCOMPARE(view.model()->totalRows(), qint64(1));
}

void TestSqlView::spoolIsRemovedWithItsResult()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 1000), QString());
    QTemporaryDir spools;
    const auto spoolDirs = [&] {
        return QDir(spools.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    };
    {
        SqlView view;
        view.setWarehousePath(path);
        view.model()->setSpoolDirectory(spools.path());
        type(view, QStringLiteral("SELECT * FROM %1").arg(QLatin1String(Clean)));
        QVERIFY(finished(view));
        QCOMPARE(view.model()->totalRows(), qint64(1000));
        const QStringList first = spoolDirs();
        QCOMPARE(first.size(), 1);
        QVERIFY(QFileInfo(spools.filePath(first.first() + QStringLiteral("/rows"))).size() > 0);

        type(view, QStringLiteral("SELECT price FROM %1").arg(QLatin1String(Clean)));
        QVERIFY(finished(view));
        const QStringList second = spoolDirs();
        QCOMPARE(second.size(), 1);
        QVERIFY(second != first); // the first result's spool is gone
    }
    QCOMPARE(spoolDirs(), QStringList()); // and the last one with the tab
}

void TestSqlView::unwritableSpoolIsSaidPlainly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    // A file where the spool's directory should be made: no directory can be made under it,
    // whoever runs the test.
    const QString notADirectory = dir.filePath(QStringLiteral("plain-file"));
    QFile file(notADirectory);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    SqlView view;
    view.setWarehousePath(path);
    view.model()->setSpoolDirectory(notADirectory);
    QSignalSpy failures(view.model(), &QueryResultModel::queryFailed);
    type(view, QStringLiteral("SELECT * FROM %1").arg(QLatin1String(Clean)));
    QVERIFY(finished(view));
    QCOMPARE(failures.size(), 1);
    const QueryFailure failure = failures.first().first().value<QueryFailure>();
    QVERIFY2(failure.kind == QueryFailure::Kind::Spool, qPrintable(failure.message));
    QVERIFY2(error(view).startsWith(QLatin1String("Cannot make a directory for the query's rows")),
        qPrintable(error(view)));
    QVERIFY2(
        error(view).contains(QDir::toNativeSeparators(notADirectory)), qPrintable(error(view)));
    QVERIFY2(status(view).startsWith(QLatin1String("Failed")), qPrintable(status(view)));
}

void TestSqlView::exportWritesTheBytesOfTheTableExport()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 2000), QString());
    SqlView view;
    view.setWarehousePath(path);
    type(view,
        QStringLiteral("SELECT timeframe, start_timestamp, price, hash_rate, difficulty FROM %1"
                       " ORDER BY start_timestamp;")
            .arg(QLatin1String(Clean)));
    QVERIFY(finished(view));
    QCOMPARE(view.model()->totalRows(), qint64(2000));

    QSignalSpy opened(&view, &SqlView::exportDialogOpened);
    QTest::mouseClick(
        view.findChild<QPushButton *>(QStringLiteral("exportResults")), Qt::LeftButton);
    QCOMPARE(opened.size(), 1);
    auto *dialog = qobject_cast<ExportDialog *>(opened.first().first().value<QWidget *>());
    QVERIFY(dialog);
    const QString fromQuery = dir.filePath(QStringLiteral("query.csv"));
    dialog->setOutputPath(fromQuery);
    dialog->setConfirmSuccess(false);
    QSignalSpy exported(dialog, &ExportDialog::exported);
    QTest::mouseClick(
        dialog->findChild<QPushButton *>(QStringLiteral("exportStart")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, TimeoutMs);
    QCOMPARE(exported.first().first().toLongLong(), qint64(2000));

    const QString fromTable = dir.filePath(QStringLiteral("table.csv"));
    CsvExporter exporter(path);
    QVERIFY(exporter.exportToFile(CsvRequest(), fromTable));
    const QByteArray expected = readAll(fromTable);
    QVERIFY(expected.count('\n') == 2001);
    QCOMPARE(readAll(fromQuery), expected);
}

// Saves the window at its default size, with the SQL tab showing a result and then an error,
// into $SLUICE_SCREENSHOT_DIR (run under Xvfb to see real fonts); skipped without it.
void TestSqlView::screenshots()
{
    const QString out = qEnvironmentVariable("SLUICE_SCREENSHOT_DIR");
    if (out.isEmpty())
        QSKIP("set SLUICE_SCREENSHOT_DIR to save screenshots of the SQL tab");
    QTemporaryDir dir;
    Result<DataFolder> folder = DataFolder::open(dir.filePath(QStringLiteral("data")));
    QVERIFY(folder);
    QCOMPARE(CleanTableFixture::fill(folder->warehousePath(), 20'000), QString());
    Settings settings(folder->settingsPath(), QMap<QString, QString>());
    MainWindow window(&settings, *folder);
    window.show();
    window.setCurrentArea(MainWindow::Area::Data);
    auto *data = qobject_cast<DataView *>(window.areaWidget(MainWindow::Area::Data));
    QVERIFY(data);
    data->tabs()->setCurrentIndex(1);
    SqlView &view = *data->sqlView();
    type(view,
        QStringLiteral("-- The dearest slots\nSELECT start_timestamp, price, hash_rate\n"
                       "FROM btc_usd_price_with_net_stat\nWHERE price > 20990 AND "
                       "timeframe = '5m'\nORDER BY start_timestamp DESC;"));
    QVERIFY(finished(view));
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->isRowLoaded(0), TimeoutMs);
    QTest::qWait(200); // columns fitted, painted
    QVERIFY(window.grab().save(out + QStringLiteral("/sql-result.png")));
    type(view,
        QStringLiteral("SELECT start_timestamp, price,\n       hash_rat\n"
                       "FROM btc_usd_price_with_net_stat\nLIMIT 10;"));
    QVERIFY(finished(view));
    QTest::qWait(200);
    QVERIFY(window.grab().save(out + QStringLiteral("/sql-error.png")));
    type(view, QStringLiteral("DELETE FROM btc_usd_price_with_net_stat"));
    QVERIFY(finished(view));
    QTest::qWait(200);
    QVERIFY(window.grab().save(out + QStringLiteral("/sql-refused.png")));
    // The Data table through its row window, far down, five rows selected.
    data->tabs()->setCurrentIndex(0);
    auto *table = data->findChild<WindowedTableView *>(QStringLiteral("dataTable"));
    QVERIFY(table);
    QTRY_COMPARE_WITH_TIMEOUT(table->totalRows(), qint64(20'000), TimeoutMs);
    table->goToRow(15'000);
    table->selectRows(15'000, 15'004);
    QTest::qWait(400);
    QVERIFY(window.grab().save(out + QStringLiteral("/data-table.png")));
}

QTEST_MAIN(TestSqlView)
#include "tst_sqlview.moc"
