// DataView on a real warehouse (offscreen): the table list, a million rows filtered through the
// filter bar, SQL characters taken as text, UTC/local display, and "Export CSV…" of a filtered,
// sorted view writing exactly the rows shown, and closed mid-export without waiting; numbers
// grouped in the UI locale and copied exactly; columns fitted to their content, the user's
// widths kept.

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

#include "cleantablefixture.h"
#include "data/indexbuilder.h"
#include "devicenodes.h"
#include "dialogs/exportdialog.h"
#include "dialogs/gotodialog.h"
#include "models/warehousetablemodel.h"
#include "storage/csvexportjob.h"
#include "storage/pythonfloat.h"
#include "storage/sqliteconnection.h"
#include "views/dataview.h"
#include "views/sqlview.h"
#include "widgets/columnwidths.h"
#include "widgets/filterheader.h"
#include "widgets/openfolder.h"
#include "widgets/sortindexbar.h"
#include "widgets/windowscroller.h"
#include "windowsettings.h"

using namespace Sluice;

namespace {

constexpr int TimeoutMs = 60'000;

QString utc(qint64 seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

namespace Sluice {
char *toString(const RowRange &range)
{
    return qstrdup(QStringLiteral("%1..%2").arg(range.first).arg(range.last).toUtf8().constData());
}
} // namespace Sluice

class TestDataView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listsTablesCleanFirst();
    void filtersAMillionRowsByTime();
    void sqlCharactersAreText();
    void showsUtcOrLocalTime();
    void exportsExactlyTheFilteredView();
    void exportsTheSelectedRows();
    void exportsASelectionAcrossTheWindow();
    void selectionThatIsNotABlockExportsTheView();
    void remembersTheExportFolder();
    void openFolderSaysWhenNothingOpensIt();
    void exportsTheRowsTheModelShows_data();
    void exportsTheRowsTheModelShows();
    void exportToDevicesWritesInPlace();
    void closingMidExportLeavesNoFile();
    void closingDoesNotWaitForTheExport();
    void groupsDigitsInTheUiLocale();
    void copiesTheExactDigits();
    void columnsFitTheirContentAfterAFilter();
    void keepsTheUserColumnWidth();
    void filterBoxesUnderTheHeader();
    void filterBoxesAreKeyboardFirst();
    void showsThePositionOfTheViewport();
    void goesToARowWithCtrlG();
    void goesToATime_data();
    void goesToATime();
    void createsTheIndexASortNeeds();
    void saysWhyTheIndexCannotBeCreated();
    void rereadsOnlyWhenItsTableGotRows();
    void hasAnSqlTab();

private:
    QTemporaryDir m_home;
    QTranslator m_english; // English plural forms: "1 row", "10 rows"
    // Types text into the filter box under column's header and presses Return.
    static void addFilter(DataView &view, const QString &column, const QString &text);
    // Shows view at the window's default size on path and waits for its first rows.
    static bool showLoaded(DataView &view, const QString &path);
    // Filters a 2000-row fixture to its 20 rows of price >= 20990 and waits for them.
    static bool filterHighPrices(DataView &view);
};

bool TestDataView::showLoaded(DataView &view, const QString &path)
{
    view.resize(1100, 700);
    view.show();
    view.setWarehousePath(path);
    return QTest::qWaitFor([&] { return view.model()->isRowLoaded(2); }, TimeoutMs);
}

bool TestDataView::filterHighPrices(DataView &view)
{
    addFilter(view, QStringLiteral("price"), QStringLiteral(">=20990"));
    return QTest::qWaitFor(
        [&] { return view.model()->totalRows() == 20 && view.model()->isRowLoaded(0); }, TimeoutMs);
}

void TestDataView::initTestCase()
{
    // The last export folder is kept in the window settings: each test process its own home,
    // never the user's configuration.
    QVERIFY(m_home.isValid());
    qputenv("HOME", QFile::encodeName(m_home.path()));
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_english.load(QStringLiteral(":/i18n/sluice_en.qm")));
    QVERIFY(QCoreApplication::installTranslator(&m_english));
}

void TestDataView::addFilter(DataView &view, const QString &column, const QString &text)
{
    auto *header = view.findChild<FilterHeader *>(QStringLiteral("filterHeader"));
    QVERIFY(header);
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->columnIndex(column) >= 0, TimeoutMs);
    QLineEdit *box = header->filterBox(view.model()->columnIndex(column));
    QVERIFY(box);
    box->clear();
    QTest::keyClicks(box, text);
    QTest::keyClick(box, Qt::Key_Return);
}

void TestDataView::listsTablesCleanFirst()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 1000), QString());
    {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(QStringLiteral("ANALYZE"))); // creates sqlite_stat1
    }
    DataView view;
    view.setWarehousePath(path);
    auto *list = view.findChild<QListWidget *>(QStringLiteral("tableList"));
    QTRY_COMPARE_WITH_TIMEOUT(list->count(), 4, TimeoutMs);
    QCOMPARE(list->item(0)->data(Qt::UserRole).toString(),
        QStringLiteral("btc_usd_price_with_net_stat"));
    QVERIFY(list->item(0)->text().contains(QLocale().toString(1000)));
    for (int i = 0; i < list->count(); ++i)
        QVERIFY(!list->item(i)->data(Qt::UserRole).toString().startsWith(QLatin1String("sqlite_")));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(1000), TimeoutMs);
    list->setCurrentRow(1);
    QTRY_COMPARE_WITH_TIMEOUT(
        view.model()->table(), list->item(1)->data(Qt::UserRole).toString(), TimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(0), TimeoutMs);
}

void TestDataView::filtersAMillionRowsByTime()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 1'000'000), QString());
    DataView view;
    view.resize(1100, 700);
    view.show();
    view.setWarehousePath(path);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(1'000'000), TimeoutMs);
    // The last row is read at once: the row scroll bar reaches it, far past the window.
    QScrollBar *bar = view.tableView()->rowScrollBar();
    bar->setValue(bar->maximum());
    QCOMPARE(view.tableView()->lastVisibleRow(), qint64(999'999));
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->isRowLoaded(999'999), TimeoutMs);
    const qint64 from = CleanTableFixture::Base + 900'000 * 300;
    // A range of minutes includes its last minute: the last row is 5 minutes before a week.
    addFilter(view, QStringLiteral("start_timestamp"),
        utc(from) + QStringLiteral("..") + utc(from + 7 * 86400 - 300));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(7 * 288), TimeoutMs);
    auto *status = view.findChild<QLabel *>(QStringLiteral("rowStatus"));
    QTRY_COMPARE(status->text(), QStringLiteral("%1 rows").arg(QLocale().toString(7 * 288)));
    // Sorting by a header click keeps the filter.
    auto *header = view.tableView()->horizontalHeader();
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
        QPoint(header->sectionViewportPosition(2) + 5, header->viewport()->height() / 2));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->sortColumn(), QStringLiteral("price"), TimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(7 * 288), TimeoutMs);
    QTest::mouseClick(
        view.findChild<QPushButton *>(QStringLiteral("clearFilters")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(1'000'000), TimeoutMs);
}

void TestDataView::sqlCharactersAreText()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 5000), QString());
    DataView view;
    view.setWarehousePath(path);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(5000), TimeoutMs);
    addFilter(view, QStringLiteral("timeframe"), QStringLiteral("' OR 1=1; --"));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(0), TimeoutMs);
    QTest::mouseClick(
        view.findChild<QPushButton *>(QStringLiteral("clearFilters")), Qt::LeftButton);
    addFilter(view, QStringLiteral("timeframe"), QStringLiteral("=5m' OR '1'='1"));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(0), TimeoutMs);
    // A number filter that is not a number is marked in its box, not sent; the others apply.
    addFilter(view, QStringLiteral("price"), QStringLiteral("<1; DROP TABLE x"));
    auto *header = view.findChild<FilterHeader *>(QStringLiteral("filterHeader"));
    const int price = view.model()->columnIndex(QStringLiteral("price"));
    QTRY_VERIFY(header->problem(price).contains(QLatin1String("not a number")));
    QVERIFY(header->filterBox(price)->toolTip().contains(QLatin1String("not a number")));
    QCOMPARE(view.model()->conditions().size(), 1);
    QCOMPARE(view.model()->totalRows(), qint64(0));
    QTest::mouseClick(
        view.findChild<QPushButton *>(QStringLiteral("clearFilters")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(5000), TimeoutMs);
}

void TestDataView::showsUtcOrLocalTime()
{
    qputenv("TZ", "Asia/Shanghai");
    tzset();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    DataView view;
    view.setWarehousePath(path);
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->isRowLoaded(0), TimeoutMs);
    const QModelIndex start = view.model()->index(0, 1);
    QCOMPARE(start.data().toString(), utc(CleanTableFixture::Base) + QStringLiteral(":00"));
    QCOMPARE(start.data(Qt::ToolTipRole).toString(), QString::number(CleanTableFixture::Base));
    view.findChild<QCheckBox *>(QStringLiteral("localTime"))->setChecked(true);
    QCOMPARE(start.data().toString(),
        QDateTime::fromSecsSinceEpoch(CleanTableFixture::Base + 8 * 3600, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    // Hash rate in EH/s, the exact value on hover.
    const QModelIndex hashRate = view.model()->index(0, 3);
    QVERIFY2(hashRate.data().toString().endsWith(QLatin1String("EH/s")),
        qPrintable(hashRate.data().toString()));
    QCOMPARE(hashRate.data(Qt::ToolTipRole).toString(), QStringLiteral("5e+20"));
}

void TestDataView::exportsExactlyTheFilteredView()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 20'000), QString());
    DataView view;
    view.setWarehousePath(path);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(20'000), TimeoutMs);
    const qint64 from = CleanTableFixture::Base + 10'000 * 300;
    addFilter(view, QStringLiteral("start_timestamp"),
        utc(from) + QStringLiteral("..") + utc(from + 86400 - 300));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(288), TimeoutMs);
    view.tableView()->sortByColumn(1, Qt::DescendingOrder);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(288), TimeoutMs);

    QSignalSpy opened(&view, &DataView::exportDialogOpened);
    QTest::mouseClick(view.findChild<QPushButton *>(QStringLiteral("exportCsv")), Qt::LeftButton);
    QCOMPARE(opened.size(), 1);
    auto *dialog = qobject_cast<ExportDialog *>(opened.first().first().value<QWidget *>());
    QVERIFY(dialog);
    const QString csv = dir.filePath(QStringLiteral("out.csv"));
    dialog->setOutputPath(csv);
    dialog->setConfirmSuccess(false);
    dialog->findChild<QComboBox *>(QStringLiteral("exportDelimiter"))->setCurrentIndex(1);
    QSignalSpy exported(dialog, &ExportDialog::exported);
    QTest::mouseClick(
        dialog->findChild<QPushButton *>(QStringLiteral("exportStart")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, TimeoutMs);
    QCOMPARE(exported.first().first().toLongLong(), qint64(288));

    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 1 + 288 + 1); // header, rows, the empty piece after the last CRLF
    QCOMPARE(lines[0], QByteArray("timeframe;start_timestamp;price;hash_rate;difficulty\r"));
    for (int i = 0; i < 288; ++i) {
        const qint64 row = 10'000 + 287 - i; // newest first
        const QByteArray expected = "5m;" + QByteArray::number(CleanTableFixture::Base + row * 300)
            + ';' + QByteArray::number(20000 + row % 1000) + ".0;";
        QVERIFY2(lines[1 + i].startsWith(expected), lines[1 + i].constData());
    }
}

void TestDataView::exportsTheSelectedRows()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 1000), QString());
    DataView view;
    view.resize(1000, 600);
    view.show();
    view.setWarehousePath(path);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(1000), TimeoutMs);
    view.tableView()->sortByColumn(1, Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(
        view.model()->totalRows() == 1000 && view.model()->isRowLoaded(0), TimeoutMs);
    QItemSelectionModel *selection = view.tableView()->selectionModel();
    RowWindowModel *window = view.tableView()->windowModel();
    selection->select(QItemSelection(window->index(5, 0), window->index(14, 4)),
        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QSignalSpy opened(&view, &DataView::exportDialogOpened);
    view.exportCsv();
    QCOMPARE(opened.size(), 1);
    auto *dialog = qobject_cast<ExportDialog *>(opened.first().first().value<QWidget *>());
    QVERIFY(dialog);
    const QString csv = dir.filePath(QStringLiteral("selected.csv"));
    dialog->setOutputPath(csv);
    dialog->setConfirmSuccess(false);
    dialog->findChild<QCheckBox *>(QStringLiteral("exportHeader"))->setChecked(false);
    QSignalSpy exported(dialog, &ExportDialog::exported);
    dialog->start();
    QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, TimeoutMs);
    QCOMPARE(exported.first().first().toLongLong(), qint64(10));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 11);
    for (int i = 0; i < 10; ++i) {
        const qint64 row = 999 - 5 - i; // rows 5..14 of the newest-first view
        QVERIFY2(
            lines[i].startsWith("5m," + QByteArray::number(CleanTableFixture::Base + row * 300)),
            lines[i].constData());
    }
}

// A Shift+click far from the first click (the window of rows the table holds has moved in
// between) selects every row between them: copied as far as loaded, exported whole.
void TestDataView::exportsASelectionAcrossTheWindow()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 30'000), QString());
    DataView view;
    QVERIFY(showLoaded(view, path));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(30'000), TimeoutMs);
    WindowedTableView *table = view.tableView();
    auto centre = [&](qint64 row) {
        return table->visualRect(table->windowIndex(row, 1)).center();
    };
    table->rowScrollBar()->setValue(100);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, centre(102));
    table->rowScrollBar()->setValue(25'000);
    QVERIFY(!table->windowIndex(102).isValid()); // the window holds far fewer rows
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->isRowLoaded(25'003), TimeoutMs);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::ShiftModifier, centre(25'003));
    QCOMPARE(table->selectedRanges(), (QList<RowRange>{ { 102, 25'003 } }));
    // Row numbers, position and copy speak of the same rows.
    const int top = table->rowAt(0);
    QCOMPARE(table->model()->headerData(top, Qt::Vertical).toString(),
        QLocale().toString(table->windowStart() + top + 1));
    QVERIFY(
        view.positionText().startsWith(QStringLiteral("Rows %1–").arg(QLocale().toString(25'001))));
    QGuiApplication::clipboard()->clear();
    QTest::keySequence(table, QKeySequence::Copy);
    const QStringList copied = QGuiApplication::clipboard()->text().split(QLatin1Char('\n'));
    QVERIFY(copied.size() > 1 && copied.size() < 25'003 - 102 + 1);
    QVERIFY(copied.first().startsWith(
        QStringLiteral("5m\t%1\t").arg(CleanTableFixture::Base + 102 * CleanTableFixture::Step)));
    QVERIFY(copied.last().startsWith(
        QStringLiteral("5m\t%1\t")
            .arg(CleanTableFixture::Base + 25'003 * CleanTableFixture::Step)));
    const QString note = view.findChild<QLabel *>(QStringLiteral("rowStatus"))->text();
    QVERIFY2(note.contains(QLocale().toString(25'003 - 102 + 1 - copied.size())), qPrintable(note));
    // The export writes every selected row.
    QSignalSpy opened(&view, &DataView::exportDialogOpened);
    view.exportCsv();
    QCOMPARE(opened.size(), 1);
    auto *dialog = qobject_cast<ExportDialog *>(opened.first().first().value<QWidget *>());
    QVERIFY(dialog);
    const QString csv = dir.filePath(QStringLiteral("selected.csv"));
    dialog->setOutputPath(csv);
    dialog->setConfirmSuccess(false);
    dialog->findChild<QCheckBox *>(QStringLiteral("exportHeader"))->setChecked(false);
    QSignalSpy exported(dialog, &ExportDialog::exported);
    dialog->start();
    QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, TimeoutMs);
    QCOMPARE(exported.first().first().toLongLong(), qint64(25'003 - 102 + 1));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 25'003 - 102 + 1 + 1);
    QVERIFY(lines.first().startsWith(
        "5m," + QByteArray::number(CleanTableFixture::Base + 102 * CleanTableFixture::Step)));
    QVERIFY(lines[lines.size() - 2].startsWith(
        "5m," + QByteArray::number(CleanTableFixture::Base + 25'003 * CleanTableFixture::Step)));
}

// Rows that are not one block cannot be exported alone: the dialog says the whole view is
// exported, and the Data view shows no error for it.
void TestDataView::selectionThatIsNotABlockExportsTheView()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 100), QString());
    DataView view;
    view.resize(1000, 600);
    view.show();
    view.setWarehousePath(path);
    QTRY_VERIFY_WITH_TIMEOUT(
        view.model()->totalRows() == 100 && view.model()->isRowLoaded(0), TimeoutMs);
    const QString status = view.findChild<QLabel *>(QStringLiteral("rowStatus"))->text();
    QItemSelectionModel *selection = view.tableView()->selectionModel();
    for (const int row : { 2, 7 })
        selection->select(view.tableView()->windowModel()->index(row, 0),
            QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QSignalSpy opened(&view, &DataView::exportDialogOpened);
    view.exportCsv();
    QCOMPARE(opened.size(), 1);
    auto *dialog = qobject_cast<ExportDialog *>(opened.first().first().value<QWidget *>());
    QVERIFY(dialog);
    auto *note = dialog->findChild<QLabel *>(QStringLiteral("exportNote"));
    QVERIFY(note && note->isVisible());
    QVERIFY2(note->text().contains(QLatin1String("whole view")), qPrintable(note->text()));
    QCOMPARE(view.findChild<QLabel *>(QStringLiteral("rowStatus"))->text(), status);
    dialog->close();
}

// The next export starts in the folder of the last one; a missing Documents folder is not
// offered.
void TestDataView::remembersTheExportFolder()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (!QFileInfo(documents).isDir())
        QCOMPARE(ExportDialog::defaultFolder(), QDir::homePath());
    DataView view;
    view.show();
    view.setWarehousePath(path);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(10), TimeoutMs);
    QSignalSpy opened(&view, &DataView::exportDialogOpened);
    view.exportCsv();
    auto *dialog = qobject_cast<ExportDialog *>(opened.last().first().value<QWidget *>());
    QVERIFY(dialog);
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("out"))));
    dialog->setOutputPath(dir.filePath(QStringLiteral("out/first.csv")));
    dialog->setConfirmSuccess(false);
    QSignalSpy exported(dialog, &ExportDialog::exported);
    dialog->start();
    QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, TimeoutMs);
    dialog->close();

    QCOMPARE(ExportDialog::defaultFolder(), dir.filePath(QStringLiteral("out")));
    view.exportCsv();
    dialog = qobject_cast<ExportDialog *>(opened.last().first().value<QWidget *>());
    QVERIFY(dialog);
    QCOMPARE(QFileInfo(dialog->outputPath()).absolutePath(), dir.filePath(QStringLiteral("out")));
    dialog->close();
    // A folder that went away is not offered.
    QVERIFY(QDir(dir.filePath(QStringLiteral("out"))).removeRecursively());
    QVERIFY(ExportDialog::defaultFolder() != dir.filePath(QStringLiteral("out")));
}

// With no file manager to answer, "Open folder" says so and shows the path.
void TestDataView::openFolderSaysWhenNothingOpensIt()
{
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", "/nonexistent");
    QWidget parent;
    const bool opened = openFolder(m_home.path(), &parent);
    qputenv("PATH", path);
    QVERIFY(!opened);
    auto *box = parent.findChild<QMessageBox *>(QStringLiteral("openFolderFailed"));
    QVERIFY(box);
    QVERIFY2(box->text().contains(m_home.path()), qPrintable(box->text()));
    box->close();
}

void TestDataView::exportsTheRowsTheModelShows_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("sortColumn"); // empty: not sorted
    QTest::addColumn<bool>("descending");
    const QString from = utc(CleanTableFixture::Base + 100 * 300);
    const QString to = utc(CleanTableFixture::Base + 400 * 300);
    QTest::newRow("price at least, by price descending, ties by the key") << "price"
                                                                          << ">=20900"
                                                                          << "price" << true;
    QTest::newRow("time between, by start_timestamp: key order")
        << "start_timestamp" << from + ".." + to << "start_timestamp" << false;
    QTest::newRow("time between, by start_timestamp descending")
        << "start_timestamp" << from + ".." + to << "start_timestamp" << true;
    QTest::newRow("contains, by hash rate descending") << "timeframe"
                                                       << "h"
                                                       << "hash_rate" << true;
    QTest::newRow("price less than, not sorted") << "price"
                                                 << "<20050"
                                                 << "" << false;
    QTest::newRow("is not, by timeframe") << "timeframe"
                                          << "!=1m"
                                          << "timeframe" << true;
    QTest::newRow("price range, by difficulty") << "price"
                                                << "20100..20200"
                                                << "difficulty" << false;
    QTest::newRow("a day, by price")
        << "start_timestamp"
        << QDateTime::fromSecsSinceEpoch(CleanTableFixture::Base + 86400, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-dd"))
        << "price" << false;
}

// Whatever the filter and the sort, the CSV rows are the model's rows in the model's order:
// both come from one TableFilter. Two timeframes make ties and a key of two columns.
void TestDataView::exportsTheRowsTheModelShows()
{
    QFETCH(QString, column);
    QFETCH(QString, text);
    QFETCH(QString, sortColumn);
    QFETCH(bool, descending);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 2000), QString());
    {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        // An hourly twin of every twelfth row: same time, same price.
        QVERIFY(connection->exec(QStringLiteral(
            "INSERT INTO btc_usd_price_with_net_stat SELECT '1h', start_timestamp, price,"
            " hash_rate, difficulty FROM btc_usd_price_with_net_stat"
            " WHERE (start_timestamp / 300) % 12 = 0")));
    }
    DataView view;
    view.setWarehousePath(path);
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->totalRows() > 2000, TimeoutMs);
    addFilter(view, column, text);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->conditions().isEmpty(), false, TimeoutMs);
    if (!sortColumn.isEmpty()) {
        view.tableView()->sortByColumn(view.model()->columnIndex(sortColumn),
            descending ? Qt::DescendingOrder : Qt::AscendingOrder);
        QCOMPARE(view.model()->sortColumn(), sortColumn);
    }
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->totalRows() >= 0, TimeoutMs);
    const int rows = view.model()->rowCount();
    QVERIFY(rows > 10);

    // What the model shows, row by row: the stored values, as the CSV writes them.
    QList<QByteArray> shown;
    const QStringList columns = { QStringLiteral("timeframe"), QStringLiteral("start_timestamp"),
        QStringLiteral("price"), QStringLiteral("hash_rate"), QStringLiteral("difficulty") };
    for (int row = 0; row < rows; ++row) {
        view.model()->data(view.model()->index(row, 0)); // asks for the page
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->isRowLoaded(row), TimeoutMs);
        QStringList fields;
        for (const QString &name : columns) {
            const QVariant raw = view.model()
                                     ->index(row, view.model()->columnIndex(name))
                                     .data(WarehouseTableModel::RawRole);
            fields << (raw.typeId() == QMetaType::Double ? PythonFloat::toString(raw.toDouble())
                                                         : raw.toString());
        }
        shown << fields.join(QLatin1Char(',')).toUtf8() + '\r';
    }

    QSignalSpy opened(&view, &DataView::exportDialogOpened);
    view.exportCsv();
    QCOMPARE(opened.size(), 1);
    auto *dialog = qobject_cast<ExportDialog *>(opened.first().first().value<QWidget *>());
    QVERIFY(dialog);
    const QString csv = dir.filePath(QStringLiteral("view.csv"));
    dialog->setOutputPath(csv);
    dialog->setConfirmSuccess(false);
    dialog->findChild<QCheckBox *>(QStringLiteral("exportHeader"))->setChecked(false);
    QSignalSpy exported(dialog, &ExportDialog::exported);
    dialog->start();
    QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, TimeoutMs);
    QCOMPARE(exported.first().first().toLongLong(), qint64(rows));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> written = file.readAll().split('\n');
    QCOMPARE(written.takeLast(), QByteArray()); // after the last CRLF
    QCOMPARE(written, shown);
}

// The dialog exports through the same code as `sluice export`: a device is written in place,
// a full one fails with the system's reason, and both stay devices.
void TestDataView::exportToDevicesWritesInPlace()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 1000), QString());
    DataView view;
    view.setWarehousePath(path);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(1000), TimeoutMs);
    QSignalSpy opened(&view, &DataView::exportDialogOpened);
    view.exportCsv();
    QCOMPARE(opened.size(), 1);
    auto *dialog = qobject_cast<ExportDialog *>(opened.first().first().value<QWidget *>());
    QVERIFY(dialog);
    dialog->setConfirmSuccess(false);
    QSignalSpy exported(dialog, &ExportDialog::exported);
    QSignalSpy failed(dialog, &ExportDialog::exportFailed);

    const QString full = DeviceNodes::full(dir.path());
    dialog->setOutputPath(full);
    dialog->start();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), TimeoutMs);
    QCOMPARE(exported.size(), 0);
    QCOMPARE(failed.size(), 1);
    const QString reason = QStringLiteral("%1: cannot write the CSV: %2")
                               .arg(full, QString::fromLocal8Bit(std::strerror(ENOSPC)));
    QCOMPARE(failed.first().first().toString(), reason);
    QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("exportMessage"))->text(),
        QStringLiteral("Export failed: %1").arg(reason));
    QVERIFY(DeviceNodes::isCharDevice(full, 7));

    const QString null = DeviceNodes::null(dir.path());
    dialog->setOutputPath(null);
    dialog->start();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), TimeoutMs);
    QCOMPARE(exported.size(), 1);
    QCOMPARE(exported.first().first().toLongLong(), qint64(1000));
    QVERIFY(DeviceNodes::isCharDevice(null, 3));
    QCOMPARE(failed.size(), 1);
}

// Closing the dialog mid-export cancels the job without waiting for it: the job ends on its
// own afterwards and leaves neither the file nor its temporary file behind.
void TestDataView::closingMidExportLeavesNoFile()
{
    QTemporaryDir dir;
    const QString warehouse = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(warehouse, 300'000), QString());
    CsvRequest request;
    request.table = QStringLiteral("btc_usd_price_with_net_stat");
    auto *dialog = new ExportDialog(warehouse, request, 300'000);
    dialog->setConfirmSuccess(false);
    dialog->setOutputPath(dir.filePath(QStringLiteral("out.csv")));
    QObject watcher;
    bool jobGone = false;
    connect(dialog, &ExportDialog::exportStarted, &watcher, [&](CsvExportJob *job) {
        connect(job, &QObject::destroyed, &watcher, [&] { jobGone = true; });
    });
    dialog->start();
    QVERIFY(dialog->isRunning());
    delete dialog;
    QTRY_VERIFY_WITH_TIMEOUT(jobGone, TimeoutMs);
    // Neither out.csv nor QSaveFile's out.csv.XXXXXX.
    QCOMPARE(QDir(dir.path()).entryList({ QStringLiteral("out.csv*") }, QDir::Files | QDir::Hidden),
        QStringList());
}

// The export writes into a FIFO that is read only later: once the pipe is full the job cannot
// move, so closing the dialog must return without waiting for it (a wait would never end),
// and the job ends on its own once the pipe is drained.
void TestDataView::closingDoesNotWaitForTheExport()
{
    QTemporaryDir dir;
    const QString warehouse = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(warehouse, 300'000), QString());
    const QString fifo = dir.filePath(QStringLiteral("out.csv"));
    const QByteArray native = QFile::encodeName(fifo);
    QCOMPARE(::mkfifo(native.constData(), 0600), 0);
    const int reader = ::open(native.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    QVERIFY(reader >= 0);
    const auto closeReader = qScopeGuard([reader] { ::close(reader); });
    CsvRequest request;
    request.table = QStringLiteral("btc_usd_price_with_net_stat");
    auto *dialog = new ExportDialog(warehouse, request, 300'000);
    dialog->setConfirmSuccess(false);
    dialog->setOutputPath(fifo);
    QObject watcher;
    bool jobGone = false;
    connect(dialog, &ExportDialog::exportStarted, &watcher, [&](CsvExportJob *job) {
        connect(job, &QObject::destroyed, &watcher, [&] { jobGone = true; });
    });
    dialog->start();
    const auto pending = [reader] {
        int bytes = 0;
        return ::ioctl(reader, FIONREAD, &bytes) == 0 ? bytes : -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(pending() > 0, TimeoutMs); // writing: it will fill the pipe
    delete dialog; // returns although the job cannot move
    QVERIFY(!jobGone);
    QVERIFY(::fcntl(reader, F_SETFL, ::fcntl(reader, F_GETFL) & ~O_NONBLOCK) == 0);
    char buffer[65536];
    while (::read(reader, buffer, sizeof buffer) > 0) { } // until the cancelled job closes it
    QTRY_VERIFY_WITH_TIMEOUT(jobGone, TimeoutMs);
}

void TestDataView::groupsDigitsInTheUiLocale()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 600), QString());
    const QLocale previous;
    QLocale::setDefault(QLocale(QStringLiteral("en_US")));
    DataView view;
    view.setWarehousePath(path);
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->isRowLoaded(0), TimeoutMs);
    WarehouseTableModel *model = view.model();
    const int difficulty = model->columnIndex(QStringLiteral("difficulty"));
    const int price = model->columnIndex(QStringLiteral("price"));
    QCOMPARE(model->index(1, difficulty).data().toString(), QStringLiteral("70,000,000,000,001"));
    QCOMPARE(model->index(1, price).data().toString(), QStringLiteral("20,001"));
    // Large values never in scientific notation, and every row of the column alike.
    for (int row = 0; row < 200; ++row) {
        const QString shown = model->index(row, difficulty).data().toString();
        QVERIFY2(!shown.contains(QLatin1Char('e')) && shown.startsWith(QLatin1String("70,000,")),
            qPrintable(shown));
    }
    QLocale::setDefault(QLocale(QStringLiteral("de_DE")));
    QCOMPARE(model->index(1, difficulty).data().toString(), QStringLiteral("70.000.000.000.001"));
    QLocale::setDefault(previous);
}

void TestDataView::copiesTheExactDigits()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 600), QString());
    DataView view;
    QVERIFY(showLoaded(view, path));
    WindowedTableView *table = view.tableView();
    table->selectionModel()->select(
        QItemSelection(table->windowModel()->index(1, 0),
            table->windowModel()->index(2, view.model()->columnCount() - 1)),
        QItemSelectionModel::ClearAndSelect);
    QGuiApplication::clipboard()->clear();
    QTest::keySequence(table, QKeySequence::Copy);
    const QString expected = QStringLiteral("5m\t%1\t20001.0\t5e+20\t70000000000001.0\n"
                                            "5m\t%2\t20002.0\t5e+20\t70000000000002.0")
                                 .arg(CleanTableFixture::Base + 300)
                                 .arg(CleanTableFixture::Base + 600);
    QCOMPARE(QGuiApplication::clipboard()->text(), expected);
    QVERIFY2(
        view.findChild<QLabel *>(QStringLiteral("rowStatus"))->text().contains(QLatin1String("2")),
        qPrintable(view.findChild<QLabel *>(QStringLiteral("rowStatus"))->text()));
}

void TestDataView::columnsFitTheirContentAfterAFilter()
{
    windowSettings().remove(QStringLiteral("columnWidths"));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 2000), QString());
    DataView view;
    QVERIFY(showLoaded(view, path));
    QTableView *table = view.tableView();
    QHeaderView *header = table->horizontalHeader();
    const int price = view.model()->columnIndex(QStringLiteral("price"));
    const int time = view.model()->columnIndex(QStringLiteral("start_timestamp"));
    auto fits = [&](int column) {
        const int top = table->rowAt(0);
        const QString shown = table->model()->index(top, column).data().toString();
        const int text = table->fontMetrics().horizontalAdvance(shown);
        const int width = header->sectionSize(column);
        return !shown.isEmpty() && width >= text && width >= header->sectionSizeHint(column)
            && width <= std::max(text, header->sectionSizeHint(column)) + 40;
    };
    QTRY_VERIFY_WITH_TIMEOUT(fits(price) && fits(time), TimeoutMs);
    QVERIFY(filterHighPrices(view));
    QTRY_VERIFY_WITH_TIMEOUT(fits(price) && fits(time), TimeoutMs);
    QVERIFY(header->sectionSize(price) <= ColumnWidths::MaxWidth);
}

void TestDataView::keepsTheUserColumnWidth()
{
    windowSettings().remove(QStringLiteral("columnWidths"));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 2000), QString());
    {
        DataView view;
        QVERIFY(showLoaded(view, path));
        QHeaderView *header = view.tableView()->horizontalHeader();
        const int price = view.model()->columnIndex(QStringLiteral("price"));
        header->resizeSection(price, 263); // as a drag of the section's edge does
        QVERIFY(filterHighPrices(view));
        QCOMPARE(header->sectionSize(price), 263);
        QSignalSpy reread(view.model(), &WarehouseTableModel::pageLoaded);
        view.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!reread.isEmpty(), TimeoutMs);
        QCOMPARE(header->sectionSize(price), 263);
    }
    // Kept per table and column for the next time.
    DataView again;
    QVERIFY(showLoaded(again, path));
    QTRY_COMPARE_WITH_TIMEOUT(again.tableView()->horizontalHeader()->sectionSize(
                                  again.model()->columnIndex(QStringLiteral("price"))),
        263, TimeoutMs);
    windowSettings().remove(QStringLiteral("columnWidths"));
}

// A box under every column header: boxes follow their sections, boxes combine with AND, a box
// that cannot be read is red with the reason as its tooltip (no dialog) while the others still
// apply, a reload keeps what is typed, and the export dialog names the filters it exports by.
void TestDataView::filterBoxesUnderTheHeader()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 2000), QString());
    DataView view;
    QVERIFY(showLoaded(view, path));
    auto *header = view.findChild<FilterHeader *>(QStringLiteral("filterHeader"));
    QVERIFY(header);
    QCOMPARE(header->filterBoxCount(), view.model()->columnCount());
    const int price = view.model()->columnIndex(QStringLiteral("price"));
    const int start = view.model()->columnIndex(QStringLiteral("start_timestamp"));
    QLineEdit *priceBox = header->filterBox(price);
    QTRY_COMPARE(priceBox->geometry().left(), header->sectionViewportPosition(price));
    QCOMPARE(priceBox->width(), header->sectionSize(price));
    QVERIFY(priceBox->geometry().top() >= header->height() - priceBox->height());
    header->resizeSection(start, header->sectionSize(start) + 40);
    QCOMPARE(priceBox->geometry().left(), header->sectionViewportPosition(price));

    // Prices run 20000 + row % 1000: >=20990 keeps 20 rows; the first day of them, fewer.
    addFilter(view, QStringLiteral("price"), QStringLiteral(">=20990"));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(20), TimeoutMs);
    // The day of row 995, one of the 20.
    const qint64 row995 = CleanTableFixture::Base + 995 * 300;
    const QString day =
        QDateTime::fromSecsSinceEpoch(row995, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd"));
    addFilter(view, QStringLiteral("start_timestamp"), day);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->conditions().size(), 3, TimeoutMs);
    const qint64 dayStart = row995 - row995 % 86400;
    qint64 expected = 0;
    for (qint64 row = 0; row < 2000; ++row) {
        const qint64 time = CleanTableFixture::Base + row * 300;
        if (20000 + row % 1000 >= 20990 && time >= dayStart && time < dayStart + 86400)
            ++expected;
    }
    QVERIFY(expected > 0 && expected < 20);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), expected, TimeoutMs);
    auto *summary = view.findChild<QLabel *>(QStringLiteral("activeFilters"));
    QVERIFY2(summary->text().contains(QLatin1String("price >=20990")), qPrintable(summary->text()));

    // Unreadable: marked, explained, the model keeps the other box's filter.
    addFilter(view, QStringLiteral("price"), QStringLiteral(">=lots"));
    QTRY_VERIFY(!header->problem(price).isEmpty());
    QVERIFY(priceBox->toolTip().contains(QLatin1String("lots")));
    QVERIFY(!priceBox->styleSheet().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->conditions().size(), 2, TimeoutMs);
    QVERIFY(!summary->text().contains(QLatin1String("lots")));
    QVERIFY(QApplication::activeModalWidget() == nullptr);

    // Fixed: normal again. A reload keeps the boxes and their text.
    addFilter(view, QStringLiteral("price"), QStringLiteral("20990..20995"));
    QTRY_VERIFY(header->problem(price).isEmpty());
    QVERIFY(priceBox->styleSheet().isEmpty());
    view.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->totalRows() >= 0, TimeoutMs);
    QCOMPARE(header->filterBox(price), priceBox);
    QCOMPARE(priceBox->text(), QStringLiteral("20990..20995"));

    QSignalSpy opened(&view, &DataView::exportDialogOpened);
    view.exportCsv();
    QCOMPARE(opened.size(), 1);
    auto *dialog = qobject_cast<ExportDialog *>(opened.first().first().value<QWidget *>());
    auto *filters = dialog->findChild<QLabel *>(QStringLiteral("exportFilters"));
    QVERIFY(filters && filters->isVisible());
    QVERIFY2(filters->text().contains(QLatin1String("price 20990..20995"))
            && filters->text().contains(QStringLiteral("start_timestamp ") + day),
        qPrintable(filters->text()));
    QCOMPARE(dialog->request().conditions.size(), view.model()->conditions().size());
    dialog->close();

    QTest::mouseClick(
        view.findChild<QPushButton *>(QStringLiteral("clearFilters")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(2000), TimeoutMs);
    QVERIFY(priceBox->text().isEmpty());
    QVERIFY(summary->text().isEmpty());
}

// Ctrl+F puts the keyboard in the current column's box; Escape empties a box and its filter
// goes at once; the pause in typing applies a filter without Return.
void TestDataView::filterBoxesAreKeyboardFirst()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 500), QString());
    DataView view;
    QVERIFY(showLoaded(view, path));
    QApplication::setActiveWindow(&view);
    auto *header = view.findChild<FilterHeader *>(QStringLiteral("filterHeader"));
    const int price = view.model()->columnIndex(QStringLiteral("price"));
    view.tableView()->setCurrentIndex(view.tableView()->windowModel()->index(0, price));
    view.tableView()->setFocus();
    QTest::keyClick(view.tableView(), Qt::Key_F, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), header->filterBox(price));
    QTest::keyClicks(header->filterBox(price), QStringLiteral("<20010"));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(10), TimeoutMs);
    QTest::keyClick(header->filterBox(price), Qt::Key_Escape);
    QVERIFY(header->filterBox(price)->text().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(500), TimeoutMs);
    // Tab goes to the next column's box, Shift+Tab back, and on from the last to the rows.
    QTest::keyClick(header->filterBox(price), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), header->filterBox(price + 1));
    QTest::keyClick(header->filterBox(price + 1), Qt::Key_Backtab);
    QCOMPARE(QApplication::focusWidget(), header->filterBox(price));
    const int last = header->filterBoxCount() - 1;
    header->focusFilter(last);
    QTest::keyClick(header->filterBox(last), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), view.tableView());
}

void TestDataView::showsThePositionOfTheViewport()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 12'345), QString());
    DataView view;
    auto *position = view.findChild<QLabel *>(QStringLiteral("rowPosition"));
    QVERIFY(showLoaded(view, path));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(12'345), TimeoutMs);
    WindowedTableView *table = view.tableView();
    const QLocale locale;
    auto expected = [&] {
        // The window's rows from the top and the bottom of the viewport, where the window starts.
        const qint64 first = table->windowStart() + table->rowAt(0);
        const qint64 last = table->windowStart() + table->rowAt(table->viewport()->height() - 1);
        return QStringLiteral("Rows %1–%2 of %3")
            .arg(locale.toString(first + 1), locale.toString(last + 1), locale.toString(12'345));
    };
    QTRY_COMPARE(position->text(), expected());
    QVERIFY(position->text().startsWith(QStringLiteral("Rows 1–")));
    table->scrollToRow(10'000, QAbstractItemView::PositionAtTop);
    QTRY_VERIFY(
        position->text().startsWith(QStringLiteral("Rows %1–").arg(locale.toString(10'001))));
    QCOMPARE(position->text(), expected());
    const QString tall = position->text();
    view.resize(1100, 400); // fewer rows fit
    QTRY_VERIFY(position->text() != tall);
    QCOMPARE(position->text(), expected());
    // The status line says no more than the position does.
    QVERIFY(!view.findChild<QLabel *>(QStringLiteral("rowStatus"))->isVisible());
}

void TestDataView::goesToARowWithCtrlG()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 20'000), QString());
    DataView view;
    QVERIFY(showLoaded(view, path));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(20'000), TimeoutMs);
    view.activateWindow();
    view.tableView()->setFocus();
    QTest::keyClick(view.tableView(), Qt::Key_G, Qt::ControlModifier);
    auto *dialog = view.findChild<GoToDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    // Out of range: a red line in the dialog, which stays open.
    dialog->rowEdit()->setText(QLocale().toString(20'001));
    QTest::keyClick(dialog->rowEdit(), Qt::Key_Return);
    QVERIFY2(
        dialog->message().contains(QLatin1String("out of range")), qPrintable(dialog->message()));
    QVERIFY(dialog->isVisible());
    QVERIFY(view.tableView()->selectionModel()->selectedRows().isEmpty());
    // Grouped digits of the UI locale, 1-based.
    dialog->rowEdit()->setText(QLocale().toString(15'432));
    QTest::keyClick(dialog->rowEdit(), Qt::Key_Return);
    QTRY_VERIFY(!dialog->isVisible());
    QCOMPARE(view.tableView()->selectedRanges(), (QList<RowRange>{ { 15'431, 15'431 } }));
    const QModelIndexList selected = view.tableView()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(view.tableView()->windowStart() + selected.first().row(), 15'431);
    QCOMPARE(view.tableView()->firstVisibleRow(), 15'431);
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->isRowLoaded(15'431), TimeoutMs);
    QCOMPARE(selected.first().siblingAtColumn(1).data(WarehouseTableModel::RawRole).toLongLong(),
        CleanTableFixture::Base + 15'431 * CleanTableFixture::Step);
    const QRect shown = view.tableView()->visualRect(selected.first());
    QVERIFY(view.tableView()->viewport()->rect().intersects(shown));
    // The last row, far past the window the table held at first.
    view.showGoTo();
    dialog->rowEdit()->setText(QLocale().toString(20'000));
    QTest::keyClick(dialog->rowEdit(), Qt::Key_Return);
    QTRY_VERIFY(!dialog->isVisible());
    QCOMPARE(view.tableView()->selectedRanges(), (QList<RowRange>{ { 19'999, 19'999 } }));
    QCOMPARE(view.tableView()->lastVisibleRow(), qint64(19'999));
    QVERIFY(
        view.positionText().endsWith(QStringLiteral("–%1 of %1").arg(QLocale().toString(20'000))));
}

void TestDataView::goesToATime_data()
{
    QTest::addColumn<bool>("local");
    QTest::newRow("UTC") << false;
    QTest::newRow("local") << true;
}

void TestDataView::goesToATime()
{
    QFETCH(bool, local);
    qputenv("TZ", "Asia/Kolkata"); // UTC+5:30: a local time is never taken for UTC
    tzset();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 20'000), QString());
    DataView view;
    QVERIFY(showLoaded(view, path));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalRows(), qint64(20'000), TimeoutMs);
    view.findChild<QCheckBox *>(QStringLiteral("localTime"))->setChecked(local);
    view.showGoTo();
    auto *dialog = view.findChild<GoToDialog *>();
    QVERIFY(dialog && dialog->timeEdit()->isVisible());
    // Between rows 12,345 and 12,346: the first at or after it is 12,346 (0-based 12,345).
    const qint64 seconds = CleanTableFixture::Base + 12'344 * CleanTableFixture::Step + 60;
    const QString text = QDateTime::fromSecsSinceEpoch(seconds, local ? Qt::LocalTime : Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    dialog->timeEdit()->setText(text);
    QTest::keyClick(dialog->timeEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), TimeoutMs);
    QCOMPARE(view.tableView()->selectedRanges(), (QList<RowRange>{ { 12'345, 12'345 } }));
    const QModelIndexList selected = view.tableView()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(view.tableView()->windowStart() + selected.first().row(), 12'345);
    // After the last row: said in the dialog.
    view.showGoTo();
    dialog->timeEdit()->setText(QStringLiteral("2100-01-01 00:00"));
    QTest::keyClick(dialog->timeEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->message().contains(QLatin1String("last row")), TimeoutMs);
    QVERIFY(dialog->isVisible());
    dialog->timeEdit()->setText(QStringLiteral("yesterday"));
    QTest::keyClick(dialog->timeEdit(), Qt::Key_Return);
    QVERIFY2(
        dialog->message().contains(QLatin1String("not a date")), qPrintable(dialog->message()));
}

void TestDataView::createsTheIndexASortNeeds()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 5'000), QString());
    DataView view;
    QVERIFY(showLoaded(view, path));
    auto *bar = view.sortIndexBar();
    QVERIFY(!bar->isVisible());
    view.model()->sort(view.model()->columnIndex(QStringLiteral("price")), Qt::AscendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), TimeoutMs);
    auto *text = bar->findChild<QLabel *>(QStringLiteral("sortIndexText"));
    QCOMPARE(text->text(),
        QStringLiteral("Sorting by price reads the whole table; an index would make it fast."));
    QTest::mouseClick(bar->findChild<QPushButton *>(QStringLiteral("createIndex")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!bar->isVisible(), TimeoutMs);
    {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QSqlQuery query(connection->database());
        QVERIFY(query.exec(QStringLiteral("SELECT tbl_name, sql FROM sqlite_master WHERE name = "
                                          "'idx_btc_usd_price_with_net_stat_price'")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("btc_usd_price_with_net_stat"));
        QVERIFY(query.value(1).toString().contains(QLatin1String("(\"price\")")));
    }
    // Sorted again through the index: the same order, no longer a scan.
    QTRY_VERIFY_WITH_TIMEOUT(
        !view.model()->sortScansTable() && view.model()->totalRows() == 5'000, TimeoutMs);
    QCOMPARE(view.model()->sortColumn(), QStringLiteral("price"));
    QVERIFY(!bar->isVisible());
}

void TestDataView::saysWhyTheIndexCannotBeCreated()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 2'000), QString());
    const QString readOnlyPath = dir.filePath(QStringLiteral("readonly.sqlite"));
    QCOMPARE(CleanTableFixture::fill(readOnlyPath, 2'000), QString());

    // Read-only before anything opens it: permissions, or for root (whom they do not stop) the
    // immutable flag.
    const QByteArray file = QFile::encodeName(readOnlyPath);
    const bool root = geteuid() == 0;
    int flags = 0;
    if (root) {
        const int fd = ::open(file.constData(), O_RDONLY);
        QVERIFY(fd >= 0);
        QVERIFY(ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0);
        const int immutable = flags | FS_IMMUTABLE_FL;
        const bool set = ioctl(fd, FS_IOC_SETFLAGS, &immutable) == 0;
        ::close(fd);
        if (!set)
            QSKIP("root, and this file system has no immutable flag: a file cannot be read-only");
    } else {
        QVERIFY(QFile::setPermissions(readOnlyPath, QFile::ReadOwner));
    }
    auto restore = qScopeGuard([&] {
        if (root) {
            const int fd = ::open(file.constData(), O_RDONLY);
            ioctl(fd, FS_IOC_SETFLAGS, &flags);
            ::close(fd);
        } else {
            QFile::setPermissions(readOnlyPath, QFile::ReadOwner | QFile::WriteOwner);
        }
    });

    auto sortedByDifficulty = [](DataView &view, const QString &at) {
        if (!showLoaded(view, at))
            return false;
        view.sortIndexBar()->builder()->setBusyTimeout(50);
        view.model()->sort(
            view.model()->columnIndex(QStringLiteral("difficulty")), Qt::AscendingOrder);
        return QTest::qWaitFor([&] { return view.sortIndexBar()->isVisible(); }, TimeoutMs);
    };
    {
        DataView view;
        QVERIFY(sortedByDifficulty(view, readOnlyPath));
        auto *bar = view.sortIndexBar();
        auto *text = bar->findChild<QLabel *>(QStringLiteral("sortIndexText"));
        QSignalSpy failed(bar->builder(), &IndexBuilder::failed);
        QTest::mouseClick(
            bar->findChild<QPushButton *>(QStringLiteral("createIndex")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, TimeoutMs);
        QVERIFY2(text->text().contains(QLatin1String("read-only")), qPrintable(text->text()));
        QVERIFY(text->styleSheet().contains(QLatin1String("#b00020")));
        QVERIFY(bar->isVisible());
    }

    // Locked: another connection holds the write lock.
    DataView view;
    QVERIFY(sortedByDifficulty(view, path));
    auto *bar = view.sortIndexBar();
    auto *text = bar->findChild<QLabel *>(QStringLiteral("sortIndexText"));
    auto writer = SqliteConnection::open(path, QStringLiteral("writer"));
    QVERIFY(writer);
    QVERIFY(writer->exec(QStringLiteral("BEGIN IMMEDIATE")));
    QSignalSpy failed(bar->builder(), &IndexBuilder::failed);
    QTest::mouseClick(bar->findChild<QPushButton *>(QStringLiteral("createIndex")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, TimeoutMs);
    QVERIFY2(text->text().contains(QLatin1String("locked")), qPrintable(text->text()));
    QVERIFY(text->styleSheet().contains(QLatin1String("#b00020")));
    QVERIFY(writer->exec(QStringLiteral("ROLLBACK")));
}

// A run that stored rows elsewhere leaves the view alone; one that stored rows in its table
// reads it again, keeping the sort, the scroll position and the selection.
void TestDataView::rereadsOnlyWhenItsTableGotRows()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 5000), QString());
    DataView view;
    QVERIFY(showLoaded(view, path));
    WarehouseTableModel *model = view.model();
    WindowedTableView *table = view.tableView();
    const int price = model->columnIndex(QStringLiteral("price"));
    table->sortByColumn(price, Qt::DescendingOrder);
    QTRY_COMPARE_WITH_TIMEOUT(model->totalRows(), qint64(5000), TimeoutMs);
    table->scrollToRow(3000, QAbstractItemView::PositionAtTop);
    QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(3000), TimeoutMs);
    table->goToRow(3005);
    const int scroll = table->rowScrollBar()->value();
    QVERIFY(scroll > 0);
    auto *tables = view.findChild<QListWidget *>(QStringLiteral("tableList"));
    QTRY_COMPARE_WITH_TIMEOUT(tables->count(), 4, TimeoutMs);
    auto listed = [&](const QString &name) {
        for (int row = 0; row < tables->count(); ++row) {
            if (tables->item(row)->data(Qt::UserRole).toString() == name)
                return tables->item(row)->text();
        }
        return QString();
    };

    QSignalSpy reloads(model, &WarehouseTableModel::reloaded);
    view.onRowsStored({});
    view.onRowsStored({ { QStringLiteral("coin_price"), 4 } });
    QCOMPARE(reloads.size(), 0);
    // The list adds the rows to its count without counting the tables again.
    QCOMPARE(listed(QStringLiteral("coin_price")),
        QStringLiteral("coin_price\n%1 rows").arg(QLocale().toString(4)));

    {
        auto writer = SqliteConnection::open(path, QStringLiteral("writer"));
        QVERIFY(writer);
        QVERIFY(writer->exec(QStringLiteral(
            "INSERT INTO btc_usd_price_with_net_stat VALUES ('5m', %1, 1.0, 2.0, 3.0)")
                                 .arg(CleanTableFixture::Base + 5000 * 300)));
    }
    view.onRowsStored({ { QLatin1String(CleanTableFixture::CleanTable), 1 } });
    QCOMPARE(reloads.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(model->totalRows(), qint64(5001), TimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(3005), TimeoutMs);
    QCOMPARE(table->rowScrollBar()->value(), scroll);
    QCOMPARE(table->selectedRanges(), (QList<RowRange>{ { 3005, 3005 } }));
    const QModelIndexList selected = table->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(table->windowStart() + selected.first().row(), 3005);
    QCOMPARE(model->sortColumn(), QStringLiteral("price"));
    QCOMPARE(model->sortOrder(), Qt::DescendingOrder);
    QCOMPARE(listed(QLatin1String(CleanTableFixture::CleanTable)),
        QStringLiteral("%1\n%2 rows")
            .arg(QLatin1String(CleanTableFixture::CleanTable), QLocale().toString(5001)));
    // The new row, the cheapest, is last in this order.
    table->rowScrollBar()->setValue(table->rowScrollBar()->maximum());
    QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(5000), TimeoutMs);
    QCOMPARE(model->index(5000, price).data(WarehouseTableModel::RawRole).toDouble(), 1.0);
}

void TestDataView::hasAnSqlTab()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10), QString());
    DataView view;
    QVERIFY(showLoaded(view, path));
    QCOMPARE(view.tabs()->count(), 2);
    QCOMPARE(view.tabs()->tabText(1), QStringLiteral("SQL"));
    QCOMPARE(view.sqlView()->warehousePath(), path);
}

QTEST_MAIN(TestDataView)
#include "tst_dataview.moc"
