// ChartsView on a real warehouse (offscreen): the three series for a loaded range, a gap drawn
// as a gap, decimation of a year to the pixels shown, refresh after new rows, Save as PNG saying
// where; round ticks, no negative axis for positive data, aligned panes, the crosshair.

#include <QChart>
#include <QChartView>
#include <QImage>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QtTest>

#include "cleantablefixture.h"
#include "views/axisticks.h"
#include "views/chartsview.h"
#include "widgets/emptystate.h"
#include "widgets/noticebar.h"

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
    void valueTicksAreRound_data();
    void valueTicksAreRound();
    void timeTicksAreRound_data();
    void timeTicksAreRound();
    void positiveDataHasNoNegativeAxis();
    void panesShareThePlotEdges();
    void crosshairShowsTheNearestPoint();
    void savePngSaysWhereOrWhyNot();

private:
    // Loads rows of the fixture into a shown view, range All.
    static bool load(ChartsView &view, const QString &path);
};

bool TestChartsView::load(ChartsView &view, const QString &path)
{
    view.resize(1000, 700);
    view.show();
    QSignalSpy loaded(&view, &ChartsView::loaded);
    view.setRange(ChartsView::All);
    view.setWarehousePath(path);
    return QTest::qWaitFor([&] { return !loaded.isEmpty(); }, TimeoutMs);
}

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

void TestChartsView::valueTicksAreRound_data()
{
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::newRow("0.3..9.7") << 0.3 << 9.7;
    QTest::newRow("price") << 19'800.0 << 20'999.0;
    QTest::newRow("EH/s") << 500.0 << 620.4;
    QTest::newRow("T") << 70.0 << 70.0000001;
    QTest::newRow("small") << 0.0012 << 0.0047;
    QTest::newRow("across zero") << -3.2 << 7.1;
    QTest::newRow("flat") << 42.0 << 42.0;
    QTest::newRow("zero") << 0.0 << 0.0;
    QTest::newRow("huge") << 6.1e20 << 6.4e20;
    QTest::newRow("within rounding") << 500.0 << 500.00000000000011;
}

void TestChartsView::valueTicksAreRound()
{
    QFETCH(double, low);
    QFETCH(double, high);
    const AxisTicks::Values ticks = AxisTicks::values(low, high);
    QVERIFY(ticks.min <= low && ticks.max >= high);
    if (low >= 0)
        QVERIFY(ticks.min >= 0);
    const int exponent = int(std::floor(std::log10(ticks.step)));
    const double mantissa = ticks.step / std::pow(10.0, exponent);
    bool round = false;
    for (const double m : { 1.0, 2.0, 2.5, 5.0, 10.0 })
        round = round || std::abs(mantissa - m) < 1e-9;
    QVERIFY2(round, qPrintable(QString::number(ticks.step)));
    for (const double end : { ticks.min, ticks.max }) {
        const double steps = end / ticks.step;
        QVERIFY2(std::abs(steps - std::round(steps)) < 1e-6, qPrintable(QString::number(end)));
    }
    const double intervals = (ticks.max - ticks.min) / ticks.step;
    QVERIFY2(intervals >= 2 && intervals <= 10, qPrintable(QString::number(intervals)));
    // The labels' decimals write each tick exactly.
    const QString label = QString::number(ticks.min + ticks.step, 'f', ticks.decimals);
    QVERIFY(std::abs(label.toDouble() - (ticks.min + ticks.step)) < ticks.step * 1e-6);
}

void TestChartsView::timeTicksAreRound_data()
{
    QTest::addColumn<qint64>("span");
    QTest::addColumn<qint64>("unit"); // every tick is a whole number of these, local time
    const qint64 minute = 60'000;
    QTest::newRow("ten minutes") << 10 * minute << minute;
    QTest::newRow("hour") << 60 * minute << 5 * minute;
    QTest::newRow("day") << 1440 * minute << 60 * minute;
    QTest::newRow("week") << 7 * 1440 * minute << 1440 * minute;
    QTest::newRow("month") << 30 * 1440 * minute << 1440 * minute;
    QTest::newRow("year") << 365 * 1440 * minute << 1440 * minute;
}

void TestChartsView::timeTicksAreRound()
{
    QFETCH(qint64, span);
    QFETCH(qint64, unit);
    const qint64 from = 1'700'000'123'456; // not round
    const AxisTicks::Times ticks = AxisTicks::times(from, from + span);
    QVERIFY2(ticks.ticks.size() >= 3 && ticks.ticks.size() <= 12,
        qPrintable(QString::number(ticks.ticks.size())));
    for (const qint64 tick : ticks.ticks) {
        QVERIFY(tick >= from && tick <= from + span);
        const QDateTime local = QDateTime::fromMSecsSinceEpoch(tick);
        const qint64 sinceMidnight = local.time().msecsSinceStartOfDay();
        QVERIFY2(sinceMidnight % unit == 0, qPrintable(local.toString(Qt::ISODateWithMs)));
    }
}

void TestChartsView::positiveDataHasNoNegativeAxis()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 2000), QString());
    {
        // Prices from 0 to 9: a margin below the lowest would go under zero.
        auto connection = SqliteConnection::open(path, QStringLiteral("test"));
        QVERIFY(connection);
        QVERIFY(connection->exec(QStringLiteral(
            "UPDATE btc_usd_price_with_net_stat SET price = (start_timestamp / 300) % 10")));
    }
    ChartsView view;
    QVERIFY(load(view, path));
    auto *chart = view.findChild<QChartView *>(QStringLiteral("priceChart"))->chart();
    auto *axis = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0));
    QVERIFY(axis);
    QCOMPARE(axis->min(), 0.0);
    QVERIFY(axis->max() >= 9);
}

void TestChartsView::panesShareThePlotEdges()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    // Labels of different widths: "20,900" for the price, "500" for the hash rate.
    QCOMPARE(CleanTableFixture::fill(path, 30 * 288), QString());
    ChartsView view;
    QVERIFY(load(view, path));
    auto aligned = [&] {
        for (int metric = 1; metric < ChartData::Metrics; ++metric) {
            if (std::abs(view.plotArea(metric).left() - view.plotArea(0).left()) > 1
                || std::abs(view.plotArea(metric).right() - view.plotArea(0).right()) > 1)
                return false;
        }
        return view.plotArea(0).width() > 100;
    };
    QTRY_VERIFY_WITH_TIMEOUT(aligned(), TimeoutMs);
    view.resize(1300, 800);
    QTRY_VERIFY_WITH_TIMEOUT(aligned() && view.plotArea(0).width() > 1000, TimeoutMs);
}

void TestChartsView::crosshairShowsTheNearestPoint()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 100), QString());
    ChartsView view;
    QVERIFY(load(view, path));
    auto *chartView = view.findChild<QChartView *>(QStringLiteral("priceChart"));
    QChart *chart = chartView->chart();
    const qint64 time = CleanTableFixture::Base + 10 * CleanTableFixture::Step;
    const QPointF at = chart->mapToPosition(QPointF(double(time) * 1000, 20010));
    // A pixel beside the point: the crosshair takes the nearest point.
    const QPoint position = chartView->mapFromScene(chart->mapToScene(at)) + QPoint(1, 0);
    QMouseEvent move(QEvent::MouseMove, position, chartView->viewport()->mapToGlobal(position),
        Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(chartView->viewport(), &move);
    const QString text = view.crosshairText();
    QVERIFY2(text.contains(QLocale().toString(20010.0, 'f', QLocale::FloatingPointShortest)
                 + QLatin1String(" USD")),
        qPrintable(text));
    QVERIFY2(text.contains(QDateTime::fromSecsSinceEpoch(time, Qt::UTC)
                               .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                 + QLatin1String(" UTC")),
        qPrintable(text));
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(chartView->viewport(), &leave);
    QCOMPARE(view.crosshairText(), QString());
}

void TestChartsView::savePngSaysWhereOrWhyNot()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("warehouse.sqlite"));
    QCOMPARE(CleanTableFixture::fill(path, 100), QString());
    ChartsView view;
    QVERIFY(load(view, path));
    const QString png = dir.filePath(QStringLiteral("chart.png"));
    QVERIFY(view.savePng(png));
    QVERIFY(view.notice()->isVisible());
    QVERIFY2(view.notice()->text().contains(QDir::toNativeSeparators(png)),
        qPrintable(view.notice()->text()));
    bool openFolder = false;
    for (QPushButton *button : view.notice()->findChildren<QPushButton *>())
        openFolder = openFolder || button->text() == QLatin1String("Open folder");
    QVERIFY(openFolder);
    // A folder that cannot exist (its parent is a file): said plainly, with the path.
    const QString bad = dir.filePath(QStringLiteral("warehouse.sqlite/chart.png"));
    QVERIFY(!view.savePng(bad));
    QVERIFY2(view.notice()->text().startsWith(QLatin1String("Could not save the chart to "))
            && view.notice()->text().contains(QDir::toNativeSeparators(bad)),
        qPrintable(view.notice()->text()));
    QVERIFY(!QFile::exists(bad));
}

QTEST_MAIN(TestChartsView)
#include "tst_chartsview.moc"
