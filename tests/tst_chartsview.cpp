// ChartsView on a real warehouse (offscreen): the three series for a loaded range, a gap drawn
// as a gap, decimation of a year to the pixels shown, refresh after new rows, Save as PNG.

#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "cleantablefixture.h"
#include "views/chartsview.h"
#include "widgets/emptystate.h"

using namespace Sluice;

namespace {

constexpr int TimeoutMs = 30'000;

} // namespace

class TestChartsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsThreeSeriesWithAGap();
    void decimatesAYearToThePixels();
    void showsTheLastDayOfData();
    void refreshShowsNewRows();
    void savesAPng();
    void emptyWarehouseShowsTheEmptyState();
};

void TestChartsView::showsThreeSeriesWithAGap()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    // A month of 5-minute rows with six hours missing in the middle.
    QCOMPARE(CleanTableFixture::fill(path, 30 * 288, 4000, 4071), QString());
    ChartsView view;
    view.resize(1000, 700);
    view.show();
    QSignalSpy loaded(&view, &ChartsView::loaded);
    view.setRange(ChartsView::All);
    view.setWarehousePath(path);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1, TimeoutMs);
    QVERIFY(!view.emptyState()->isEmptyShown());
    QCOMPARE(view.chartData().rows, qint64(30 * 288 - 72));
    for (int metric = 0; metric < ChartData::Metrics; ++metric)
        QCOMPARE(view.segmentCount(metric), 2);
    QVERIFY(view.pointCount() > 0);
    // The read-out in the gap says so; next to data it gives the three values.
    const double gapMiddle = double(CleanTableFixture::Base + 4035 * 300) * 1000;
    QVERIFY2(view.readOut(gapMiddle).contains(QLatin1String("no data")),
        qPrintable(view.readOut(gapMiddle)));
    const QString atStart = view.readOut(double(CleanTableFixture::Base) * 1000);
    const QString price = QLocale().toString(20000.0, 'f', 2);
    QVERIFY2(atStart.contains(price + QLatin1String(" USD")), qPrintable(atStart));
}

void TestChartsView::decimatesAYearToThePixels()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    const qint64 rows = 365 * 288;
    QCOMPARE(CleanTableFixture::fill(path, rows, 50'000, 51'000), QString());
    ChartsView view;
    view.resize(1000, 700);
    view.show();
    QSignalSpy loaded(&view, &ChartsView::loaded);
    view.setRange(ChartsView::All);
    view.setWarehousePath(path);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1, TimeoutMs);
    QVERIFY(view.chartData().decimated);
    QCOMPARE(view.chartData().rows, rows - 1001);
    // Two points (min, max) a bucket, about one bucket a pixel: far fewer than the rows.
    QVERIFY2(view.pointCount() < 3 * 2 * 2000, qPrintable(QString::number(view.pointCount())));
    for (int metric = 0; metric < ChartData::Metrics; ++metric)
        QCOMPARE(view.segmentCount(metric), 2);
}

void TestChartsView::showsTheLastDayOfData()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 10 * 288), QString());
    ChartsView view;
    view.resize(1000, 700);
    view.show();
    QSignalSpy loaded(&view, &ChartsView::loaded);
    view.setWarehousePath(path);
    view.setRange(ChartsView::Day);
    QTRY_VERIFY_WITH_TIMEOUT(
        !loaded.isEmpty() && view.chartData().to - view.chartData().from == 86400, TimeoutMs);
    QCOMPARE(view.chartData().rows, qint64(288));
    QCOMPARE(view.pointCount(), 3 * 288);
}

void TestChartsView::refreshShowsNewRows()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 100), QString());
    ChartsView view;
    view.resize(1000, 700);
    QSignalSpy loaded(&view, &ChartsView::loaded);
    view.setRange(ChartsView::All);
    view.setWarehousePath(path);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1, TimeoutMs);
    QCOMPARE(view.chartData().rows, qint64(100));
    {
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(
            QStringLiteral("INSERT INTO btc_usd_price_with_net_stat VALUES ('5m', %1, 1, 1, 1)")
                .arg(CleanTableFixture::Base + 100 * 300)));
    }
    loaded.clear();
    view.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1, TimeoutMs);
    QCOMPARE(view.chartData().rows, qint64(101));
}

void TestChartsView::savesAPng()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 500), QString());
    ChartsView view;
    view.resize(900, 600);
    view.show();
    QSignalSpy loaded(&view, &ChartsView::loaded);
    view.setRange(ChartsView::All);
    view.setWarehousePath(path);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1, TimeoutMs);
    const QString png = dir.filePath(QStringLiteral("chart.png"));
    QVERIFY(view.savePng(png));
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 100 && image.height() > 100);
}

void TestChartsView::emptyWarehouseShowsTheEmptyState()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 0), QString());
    ChartsView view;
    QSignalSpy loaded(&view, &ChartsView::loaded);
    view.setWarehousePath(path);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1, TimeoutMs);
    QVERIFY(view.emptyState()->isEmptyShown());
    QCOMPARE(view.pointCount(), 0);
}

QTEST_MAIN(TestChartsView)
#include "tst_chartsview.moc"
