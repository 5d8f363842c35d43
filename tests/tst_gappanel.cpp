// The gap map in the window (offscreen): the strip's tooltip for a mouse position, the panel's
// map of a real warehouse file with planted holes (and hiding for a table without slots), and
// Fill gaps starting one btc-backfill run per missing range with its from and to, after the
// confirmation, with progress and Cancel.

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "data/gapfiller.h"
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/runevents.h"
#include "engine/taskcontext.h"
#include "storage/sqliteconnection.h"
#include "storage/warehouse.h"
#include "views/dataview.h"
#include "views/gappanel.h"
#include "widgets/gapstrip.h"

using namespace Sluice;

namespace {

// 2024-03-08T00:00:00Z
constexpr qint64 Base = 1709856000;

// A stand-in for btc-backfill: same name and parameters; its one task waits until released
// (or cancelled) when hold is set.
Flow fakeBackfill(std::atomic_bool *hold)
{
    Flow flow(GapFiller::flowName(), {});
    flow.addParameter({ QStringLiteral("days"), ParameterType::Int, 0, {} });
    flow.addParameter({ QStringLiteral("from"), ParameterType::String, QString(), {} });
    flow.addParameter({ QStringLiteral("to"), ParameterType::String, QString(), {} });
    flow.addTask({ QStringLiteral("plan"), {},
        [hold](TaskContext &context) -> Result<QVariant> {
            while (hold->load() && !context.isCancelled())
                context.sleep(5);
            return QVariant();
        },
        {}, {} });
    return flow;
}

} // namespace

class TestGapPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void tooltipNamesTheGapUnderTheMouse();
    void panelMapsTheTable();
    void fillGapsOnlyWhatBackfillFills();
    void fillGapsStartsOneRunPerRange();
    void cancelStopsFilling();

private:
    void exec(const QString &sql);
    // The clean table with slots 0-99, less slot 10 and slots 20-31; coin_price BTC/USD 5m with
    // slots 0-99 less 50-59.
    void plantHoles();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestGapPanel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("warehouse.sqlite"));
    QVERIFY(Warehouse::initialize(m_path));
}

void TestGapPanel::exec(const QString &sql)
{
    Result<SqliteConnection> db = SqliteConnection::open(m_path, QStringLiteral("test"));
    QVERIFY(db);
    QVERIFY2(db->exec(sql), qPrintable(sql));
}

void TestGapPanel::plantHoles()
{
    exec(QStringLiteral("INSERT INTO btc_usd_price_with_net_stat WITH RECURSIVE n(i) AS ("
                        "SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99)"
                        " SELECT '5m', %1 + i * 300, 1.0, 2.0, 3.0 FROM n"
                        " WHERE i <> 10 AND NOT i BETWEEN 20 AND 31")
             .arg(Base));
    exec(QStringLiteral("INSERT INTO coin_price WITH RECURSIVE n(i) AS ("
                        "SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99)"
                        " SELECT 'BTC', 'USD', '5m', %1 + i * 300, 1.0 FROM n"
                        " WHERE NOT i BETWEEN 50 AND 59")
             .arg(Base));
}

void TestGapPanel::tooltipNamesTheGapUnderTheMouse()
{
    GapSeries price;
    price.keyColumns = QStringList{ QStringLiteral("coin"), QStringLiteral("currency") };
    price.keyValues = QVariantList{ QStringLiteral("BTC"), QStringLiteral("USD") };
    price.timeframe = QStringLiteral("5m");
    price.step = 300;
    price.from = Base;
    price.to = Base + 1000 * 300;
    // Twelve slots from 2024-03-08 05:00 UTC, and one slot much narrower than a pixel.
    price.gaps = { { Base + 60 * 300, Base + 72 * 300 }, { Base + 500 * 300, Base + 501 * 300 } };
    GapSeries clean = price;
    clean.keyColumns.clear();
    clean.keyValues.clear();
    clean.gaps.clear();

    GapStrip strip;
    strip.resize(800, strip.sizeHint().height());
    strip.setSeries({ price, clean });
    QCOMPARE(strip.visibleFrom(), Base);
    QCOMPARE(strip.visibleTo(), Base + 1000 * 300);

    const int y = strip.barRect(0).center().y();
    const QString tip = strip.toolTipAt(QPoint(strip.xOf(Base + 66 * 300), y));
    QVERIFY2(tip.startsWith(QStringLiteral("BTC/USD 5m: missing 2024-03-08 05:00 UTC to "
                                           "2024-03-08 06:00 UTC (end exclusive)\n12 slot")),
        qPrintable(tip));
    QVERIFY2(tip.endsWith(QStringLiteral(", 1 h")), qPrintable(tip));
    const QString narrow = strip.toolTipAt(QPoint(strip.xOf(Base + 500 * 300), y));
    QVERIFY2(
        narrow.contains(QStringLiteral("missing 2024-03-09 17:40 UTC to 2024-03-09 17:45 UTC")),
        qPrintable(narrow));
    QCOMPARE(strip.toolTipAt(QPoint(strip.xOf(Base + 300 * 300), y)),
        QStringLiteral("BTC/USD 5m: no gap here"));
    QCOMPARE(strip.toolTipAt(QPoint(strip.xOf(Base + 66 * 300), strip.barRect(1).center().y())),
        QStringLiteral("5m: no gap here"));

    // Zoomed in by the wheel, the gap takes many pixels; Home shows all again.
    QWheelEvent wheel(QPointF(strip.xOf(Base + 66 * 300), y), strip.mapToGlobal(QPointF(0, 0)),
        QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&strip, &wheel);
    QVERIFY(strip.isZoomed());
    QVERIFY(strip.visibleTo() - strip.visibleFrom() < 1000 * 300);
    QTest::keyClick(&strip, Qt::Key_Home);
    QVERIFY(!strip.isZoomed());

    // A dragged selection zooms to it.
    const int a = strip.xOf(Base + 100 * 300);
    const int b = strip.xOf(Base + 200 * 300);
    QTest::mousePress(&strip, Qt::LeftButton, {}, QPoint(a, y));
    QMouseEvent move(QEvent::MouseMove, QPointF(b, y), strip.mapToGlobal(QPointF(b, y)),
        Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&strip, &move);
    QTest::mouseRelease(&strip, Qt::LeftButton, {}, QPoint(b, y));
    QVERIFY(qAbs(strip.visibleFrom() - (Base + 100 * 300)) < 2 * 300);
    QVERIFY(qAbs(strip.visibleTo() - (Base + 200 * 300)) < 2 * 300);

    strip.setTimeSpec(Qt::LocalTime);
    strip.showAll();
    QVERIFY(
        strip.toolTipAt(QPoint(strip.xOf(Base + 66 * 300), y)).contains(QStringLiteral("(local)")));
}

void TestGapPanel::panelMapsTheTable()
{
    plantHoles();
    exec(QStringLiteral("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"));
    exec(QStringLiteral("INSERT INTO notes (text) VALUES ('a')"));
    GapPanel panel;
    QSignalSpy read(&panel, &GapPanel::mapRead);
    panel.setTable(QLatin1String(Warehouse::CleanTable));
    panel.setWarehousePath(m_path);
    QTRY_COMPARE(read.size(), 1);
    QVERIFY(!panel.isHidden());
    QCOMPARE(panel.strip()->series().size(), 1);
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("gapSummary"))->text().right(16),
        QStringLiteral("13 slots missing"));
    QCOMPARE(panel.missingRanges(),
        QList<SlotGap>(
            { { Base + 10 * 300, Base + 11 * 300 }, { Base + 20 * 300, Base + 32 * 300 } }));

    panel.setTable(QStringLiteral("notes"));
    QTRY_COMPARE(read.size(), 2);
    QVERIFY(panel.isHidden());

    // In the Data area: shown above the table for the clean table.
    DataView view;
    view.resize(1000, 600);
    QSignalSpy dataRead(view.gapPanel(), &GapPanel::mapRead);
    view.setWarehousePath(m_path);
    QTRY_VERIFY(dataRead.size() >= 1);
    QCOMPARE(view.gapPanel()->table(), QLatin1String(Warehouse::CleanTable));
    QVERIFY(!view.gapPanel()->isHidden());
}

// coin_price holds series btc-backfill never stores (another coin, another timeframe): their
// gaps are on the strip, but Fill gaps hands the flow those of BTC/USD 5m alone.
void TestGapPanel::fillGapsOnlyWhatBackfillFills()
{
    plantHoles();
    exec(QStringLiteral("INSERT INTO coin_price WITH RECURSIVE n(i) AS ("
                        "SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99)"
                        " SELECT 'ETH', 'USD', '5m', %1 + i * 300, 1.0 FROM n"
                        " WHERE NOT i BETWEEN 5 AND 7")
             .arg(Base));
    exec(QStringLiteral("INSERT INTO coin_price WITH RECURSIVE n(i) AS ("
                        "SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)"
                        " SELECT 'BTC', 'USD', '1h', %1 + i * 3600, 1.0 FROM n WHERE i <> 4")
             .arg(Base));
    GapPanel panel;
    QSignalSpy read(&panel, &GapPanel::mapRead);
    panel.setTable(QLatin1String(Warehouse::PriceTable));
    panel.setWarehousePath(m_path);
    QTRY_COMPARE(read.size(), 1);
    QCOMPARE(panel.strip()->series().size(), 3);
    qint64 gaps = 0;
    for (const GapSeries &series : panel.strip()->series())
        gaps += series.gaps.size();
    QCOMPARE(gaps, qint64(3));
    QCOMPARE(panel.missingRanges(), QList<SlotGap>({ { Base + 50 * 300, Base + 60 * 300 } }));

    // A table of the user's own, slotted like the warehouse's: none of its gaps are the flow's.
    exec(QStringLiteral("CREATE TABLE readings (station TEXT, timeframe TEXT,"
                        " start_timestamp INTEGER, value REAL,"
                        " PRIMARY KEY (station, timeframe, start_timestamp))"));
    exec(QStringLiteral("INSERT INTO readings VALUES ('a', '5m', %1, 1), ('a', '5m', %2, 1)")
             .arg(Base)
             .arg(Base + 900));
    panel.setTable(QStringLiteral("readings"));
    QTRY_COMPARE(read.size(), 2);
    QCOMPARE(panel.strip()->series().size(), 1);
    QCOMPARE(panel.strip()->series().first().gaps.size(), 1);
    QVERIFY(panel.missingRanges().isEmpty());
}

void TestGapPanel::fillGapsStartsOneRunPerRange()
{
    plantHoles();
    std::atomic_bool hold = false;
    FlowRegistry registry;
    QVERIFY(registry.add(fakeBackfill(&hold)));
    Engine engine(registry);
    QList<QVariantMap> started;
    connect(&engine, &Engine::runStarted, this,
        [&started](const RunStartedEvent &event) { started << event.parameters; });
    GapFiller filler(&engine);
    QSignalSpy progressed(&filler, &GapFiller::progressed);
    QSignalSpy finished(&filler, &GapFiller::finished);

    GapPanel panel;
    panel.setFiller(&filler);
    QSignalSpy read(&panel, &GapPanel::mapRead);
    panel.setTable(QStringLiteral("coin_price"));
    panel.setWarehousePath(m_path);
    QTRY_COMPARE(read.size(), 1);
    // Three ranges over both tables? This panel maps coin_price only: one range.
    QCOMPARE(panel.missingRanges().size(), 1);
    panel.setTable(QLatin1String(Warehouse::CleanTable));
    QTRY_COMPARE(read.size(), 2);
    auto *fill = panel.findChild<QPushButton *>(QStringLiteral("fillGaps"));
    QVERIFY(fill->isEnabled());
    fill->click();
    QMessageBox *confirmation = panel.confirmation();
    QVERIFY(confirmation);
    QVERIFY2(confirmation->text().contains(QStringLiteral("13 slots")),
        qPrintable(confirmation->text()));
    QVERIFY(started.isEmpty());
    confirmation->button(QMessageBox::Yes)->click();

    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first(), QVariantList({ 2, 0, false }));
    QCOMPARE(progressed.size(), 2);
    QCOMPARE(progressed.at(1), QVariantList({ 1, 2 }));
    QCOMPARE(started.size(), 2);
    QCOMPARE(started.at(0).value(QStringLiteral("from")).toString(),
        QStringLiteral("2024-03-08T00:50:00Z"));
    QCOMPARE(started.at(0).value(QStringLiteral("to")).toString(),
        QStringLiteral("2024-03-08T00:55:00Z"));
    QCOMPARE(started.at(1).value(QStringLiteral("from")).toString(),
        QStringLiteral("2024-03-08T01:40:00Z"));
    QCOMPARE(started.at(1).value(QStringLiteral("to")).toString(),
        QStringLiteral("2024-03-08T02:40:00Z"));
    QCOMPARE(started.at(1).value(QStringLiteral("days")).toInt(), 0);
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("gapProgress"))->text(),
        QStringLiteral("Filled 2 gaps, 0 failed"));

    // Cancel in the confirmation starts nothing.
    fill->click();
    QTRY_VERIFY(panel.confirmation());
    panel.confirmation()->button(QMessageBox::Cancel)->click();
    QCOMPARE(started.size(), 2);
    QVERIFY(!filler.isFilling());
}

void TestGapPanel::cancelStopsFilling()
{
    std::atomic_bool hold = true;
    FlowRegistry registry;
    QVERIFY(registry.add(fakeBackfill(&hold)));
    Engine engine(registry);
    QList<qint64> started;
    connect(&engine, &Engine::runStarted, this,
        [&started](const RunStartedEvent &event) { started << event.runId; });
    GapFiller filler(&engine);
    QSignalSpy finished(&filler, &GapFiller::finished);
    GapPanel panel;
    panel.setFiller(&filler);
    QVERIFY(filler.fill(
        { { Base, Base + 300 }, { Base + 600, Base + 900 }, { Base + 1200, Base + 1500 } }));
    QTRY_COMPARE(started.size(), 1);
    auto *progress = panel.findChild<QLabel *>(QStringLiteral("gapProgress"));
    QCOMPARE(progress->text(), QStringLiteral("Filling gap 1 of 3"));
    auto *cancel = panel.findChild<QPushButton *>(QStringLiteral("cancelFillGaps"));
    QVERIFY(!cancel->isHidden());
    cancel->click();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first(), QVariantList({ 0, 1, true }));
    QCOMPARE(started.size(), 1);
    QVERIFY(cancel->isHidden());
}

QTEST_MAIN(TestGapPanel)
#include "tst_gappanel.moc"
