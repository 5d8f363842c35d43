#include "views/chartsview.h"

#include <cmath>

#include <algorithm>
#include <climits>

#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QMouseEvent>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>

#include "engine/displaytext.h"
#include "storage/warehouse.h"
#include "views/axisticks.h"
#include "views/chartcrosshair.h"
#include "views/gappanel.h"
#include "widgets/emptystate.h"
#include "widgets/gapstrip.h"
#include "widgets/noticebar.h"
#include "widgets/openfolder.h"

namespace Sluice {

namespace {

    // Shown values: USD, EH/s and T (10^12) so that the axes stay readable.
    constexpr double Scale[ChartData::Metrics] = { 1.0, 1e-18, 1e-12 };
    constexpr qint64 Spans[] = { 86400, 7 * 86400, 30 * 86400, 0 };

} // namespace

ChartsView::ChartsView(QWidget *parent)
    : QWidget(parent)
    , m_panes(new QWidget)
    , m_range(new QComboBox)
    , m_from(new QDateTimeEdit)
    , m_to(new QDateTimeEdit)
    , m_readOut(new QLabel)
    , m_status(new QLabel)
    , m_notice(new NoticeBar)
    , m_gaps(new GapPanel)
    , m_zoomReload(new QTimer(this))
    , m_align(new QTimer(this))
    , m_thread(startThread(QStringLiteral("chart-reader")))
    , m_latest(std::make_shared<std::atomic_int>(0))
{
    const QString titles[ChartData::Metrics] = { tr("Price (USD)"), tr("Hash rate (EH/s)"),
        tr("Difficulty (T)") };
    const QString names[ChartData::Metrics] = { QStringLiteral("priceChart"),
        QStringLiteral("hashRateChart"), QStringLiteral("difficultyChart") };
    auto *panesLayout = new QVBoxLayout(m_panes);
    panesLayout->setContentsMargins(0, 0, 0, 0);
    panesLayout->setSpacing(0);
    for (int i = 0; i < ChartData::Metrics; ++i) {
        m_charts[i] = new QChart;
        m_charts[i]->setTitle(titles[i]);
        m_charts[i]->legend()->hide();
        m_charts[i]->setLocalizeNumbers(true); // grouped digits of the UI language
        createAxes(i);
        m_charts[i]->addAxis(m_timeAxes[i], Qt::AlignBottom);
        m_charts[i]->addAxis(m_valueAxes[i], Qt::AlignLeft);
        m_views[i] = new QChartView(m_charts[i]);
        m_views[i]->setObjectName(names[i]);
        m_views[i]->setRenderHint(QPainter::Antialiasing);
        m_views[i]->setRubberBand(QChartView::HorizontalRubberBand);
        m_views[i]->setMouseTracking(true);
        m_views[i]->viewport()->setMouseTracking(true);
        m_views[i]->viewport()->installEventFilter(this);
        m_views[i]->installEventFilter(this);
        m_views[i]->setFocusPolicy(Qt::StrongFocus);
        panesLayout->addWidget(m_views[i], 1);
        m_crosshairs[i] = std::make_unique<ChartCrosshair>(m_charts[i]);
        connect(m_charts[i], &QChart::plotAreaChanged, this, [this] {
            if (!m_aligning)
                m_align->start();
        });
    }
    m_baseMargins = QMargins(6, 2, 12, 2); // Qt's 20 px all round leaves short panes no room
    for (QChart *chart : m_charts)
        chart->setMargins(m_baseMargins);
    m_spans.fill({ qInf(), -qInf() });
    m_align->setSingleShot(true);
    m_align->setInterval(0);
    connect(m_align, &QTimer::timeout, this, &ChartsView::alignPanes);
    connect(m_charts[0], &QChart::plotAreaChanged, this, &ChartsView::alignGapStrip);

    m_range->setObjectName(QStringLiteral("chartRange"));
    m_range->addItem(tr("Last day"), Day);
    m_range->addItem(tr("Last week"), Week);
    m_range->addItem(tr("Last month"), Month);
    m_range->addItem(tr("All"), All);
    m_range->addItem(tr("Custom"), Custom);
    m_range->setCurrentIndex(Month);
    for (QDateTimeEdit *edit : { m_from, m_to }) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setCalendarPopup(true);
        edit->setVisible(false);
    }
    m_from->setDateTime(QDateTime::currentDateTime().addDays(-30));
    m_to->setDateTime(QDateTime::currentDateTime());
    auto *resetZoom = new QPushButton(tr("Reset zoom"));
    auto *refreshButton = new QPushButton(tr("Refresh"));
    auto *save = new QPushButton(tr("Save as PNG…"));
    save->setObjectName(QStringLiteral("savePng"));
    m_readOut->setObjectName(QStringLiteral("chartReadOut"));
    m_status->setObjectName(QStringLiteral("chartStatus"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Range:")));
    bar->addWidget(m_range);
    bar->addWidget(m_from);
    bar->addWidget(m_to);
    bar->addWidget(resetZoom);
    bar->addWidget(refreshButton);
    bar->addStretch(1);
    bar->addWidget(m_status);
    bar->addWidget(save);

    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    m_notice->setObjectName(QStringLiteral("chartNotice"));
    contentLayout->addWidget(m_notice);
    contentLayout->addLayout(bar);
    m_gaps->setTimeSpec(Qt::LocalTime);
    m_gaps->setTable(QLatin1String(Warehouse::CleanTable));
    contentLayout->addWidget(m_gaps);
    contentLayout->addWidget(m_panes, 1);
    contentLayout->addWidget(m_readOut);
    m_readOut->setText(tr("Drag to zoom, right-click or Reset zoom to zoom out, wheel to zoom, "
                          "arrow keys to pan."));

    m_empty = new EmptyState(content, tr("Nothing to chart yet"),
        tr("Charts show the clean table once flows have loaded data. Run the btc-backfill "
           "flow to load the last 30 days."));
    m_empty->setAction(tr("Show btc-backfill"));
    connect(m_empty, &EmptyState::actionTriggered, this,
        [this] { Q_EMIT flowRequested(QStringLiteral("btc-backfill")); });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);

    m_reader = new SeriesReader(m_latest);
    m_reader->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_reader, &QObject::deleteLater);
    connect(m_reader, &SeriesReader::loaded, this, &ChartsView::onLoaded);
    connect(m_reader, &SeriesReader::failed, this, [this](int generation, const QString &message) {
        if (generation != m_generation)
            return;
        m_status->setText(escapeControls(message));
        Q_EMIT loadFailed(message);
    });

    m_zoomReload->setSingleShot(true);
    m_zoomReload->setInterval(250);
    connect(m_zoomReload, &QTimer::timeout, this, [this] {
        if (m_zoomFrom >= 0)
            load(m_zoomFrom, m_zoomTo, 0);
    });
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        const bool custom = m_range->currentData().toInt() == Custom;
        m_from->setVisible(custom);
        m_to->setVisible(custom);
        loadSelected();
    });
    connect(m_from, &QDateTimeEdit::editingFinished, this, &ChartsView::loadSelected);
    connect(m_to, &QDateTimeEdit::editingFinished, this, &ChartsView::loadSelected);
    connect(resetZoom, &QPushButton::clicked, this, &ChartsView::loadSelected);
    connect(refreshButton, &QPushButton::clicked, this, &ChartsView::refresh);
    connect(save, &QPushButton::clicked, this, &ChartsView::savePngAs);
    updateEmptyState();
}

ChartsView::~ChartsView()
{
    m_latest->store(-1);
    m_thread.reset(); // the reader is deleted on its thread
}

void ChartsView::setWarehousePath(const QString &path)
{
    m_path = path;
    m_gaps->setWarehousePath(path);
    loadSelected();
}

void ChartsView::setRange(Range range)
{
    m_range->setCurrentIndex(m_range->findData(range));
    loadSelected();
}

void ChartsView::setCustomRange(const QDateTime &from, const QDateTime &to)
{
    m_from->setDateTime(from);
    m_to->setDateTime(to);
    setRange(Custom);
}

void ChartsView::refresh()
{
    m_gaps->refresh();
    if (m_zoomFrom >= 0)
        load(m_zoomFrom, m_zoomTo, 0);
    else
        loadSelected();
}

void ChartsView::onRowsStored(const QMap<QString, qint64> &stored)
{
    if (stored.value(QLatin1String(Warehouse::CleanTable), 0) != 0)
        refresh();
}

void ChartsView::loadSelected()
{
    m_zoomFrom = m_zoomTo = -1;
    const int range = m_range->currentData().toInt();
    if (range == Custom)
        load(m_from->dateTime().toSecsSinceEpoch(), m_to->dateTime().toSecsSinceEpoch(), 0);
    else
        load(-1, -1, Spans[range]);
}

void ChartsView::load(qint64 from, qint64 to, qint64 span)
{
    if (m_path.isEmpty())
        return;
    ++m_generation;
    m_latest->store(m_generation);
    int pixels = int(m_charts[0]->plotArea().width());
    if (pixels < 100)
        pixels = m_views[0]->width() > 300 ? m_views[0]->width() - 100 : 1000;
    m_status->setText(tr("Loading…"));
    QMetaObject::invokeMethod(
        m_reader,
        [reader = m_reader, generation = m_generation, path = m_path, from, to, span, pixels] {
            reader->load(generation, path, from, to, span, pixels);
        },
        Qt::QueuedConnection);
}

void ChartsView::onLoaded(int generation, const ChartData &data)
{
    if (generation != m_generation)
        return;
    m_data = data;
    m_applyingRange = true; // new axes and series move the range: not a zoom by the user
    for (int metric = 0; metric < ChartData::Metrics; ++metric) {
        QChart *chart = m_charts[metric];
        chart->removeAllSeries();
        double low = qInf();
        double high = -qInf();
        for (const QList<QPointF> &segment : data.segments[metric]) {
            for (const QPointF &point : segment) {
                low = std::min(low, point.y() * Scale[metric]);
                high = std::max(high, point.y() * Scale[metric]);
            }
        }
        // Fresh axes with their final ranges: Qt Charts sizes the labels when an axis is added.
        createAxes(metric);
        m_spans[metric] = { qInf(), -qInf() };
        if (data.first >= 0) {
            m_timeAxes[metric]->setRange(double(data.from) * 1000, double(data.to) * 1000);
            updateTimeTicks(metric);
        }
        if (low <= high) {
            // Round ticks; data that is never negative gets no negative axis.
            m_spans[metric] = { low, high };
            m_valueTicks[metric] = 0;
            updateValueTicks(metric);
        }
        chart->addAxis(m_timeAxes[metric], Qt::AlignBottom);
        chart->addAxis(m_valueAxes[metric], Qt::AlignLeft);
        for (const QList<QPointF> &segment : data.segments[metric]) {
            auto *series = new QLineSeries;
            QList<QPointF> points;
            points.reserve(segment.size());
            for (const QPointF &point : segment)
                points << QPointF(point.x(), point.y() * Scale[metric]);
            series->replace(points);
            series->setColor(QColor::fromHsv(210 - metric * 80, 200, 180));
            chart->addSeries(series);
            series->attachAxis(m_timeAxes[metric]);
            series->attachAxis(m_valueAxes[metric]);
        }
    }
    m_applyingRange = false;
    hideCrosshair();
    const QString rows = QLocale().toString(data.rows);
    m_status->setText(data.decimated
            ? tr("%1 row(s), min/max per pixel", nullptr, int(std::min<qint64>(data.rows, INT_MAX)))
                  .arg(rows)
            : tr("%1 row(s)", nullptr, int(std::min<qint64>(data.rows, INT_MAX))).arg(rows));
    updateEmptyState();
    Q_EMIT loaded();
}

void ChartsView::createAxes(int metric)
{
    if (m_timeAxes[metric]) {
        m_charts[metric]->removeAxis(m_timeAxes[metric]);
        m_charts[metric]->removeAxis(m_valueAxes[metric]);
        delete m_timeAxes[metric];
        delete m_valueAxes[metric];
    }
    // Milliseconds since the epoch, labelled with round local times (see updateTimeTicks()).
    m_timeAxes[metric] = new QCategoryAxis;
    m_timeAxes[metric]->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    if (metric == ChartData::Metrics - 1)
        m_timeAxes[metric]->setTitleText(tr("Time (local)"));
    m_valueAxes[metric] = new QValueAxis;
    m_valueAxes[metric]->setLabelFormat(QStringLiteral("%.6g"));
    connect(
        m_timeAxes[metric], &QValueAxis::rangeChanged, this, [this, metric](qreal min, qreal max) {
            updateTimeTicks(metric);
            zoomed(qint64(min), qint64(max));
            // The gap map shows the panes' time range (they share it; the first one says).
            if (metric == 0 && max > min)
                m_gaps->strip()->setVisibleRange(qint64(min) / 1000, qint64(max) / 1000);
        });
}

void ChartsView::updateValueTicks(int metric)
{
    const auto [low, high] = m_spans[metric];
    if (!(low <= high))
        return;
    // As many round ticks as the pane's height has room for (a notice bar makes it shorter).
    const qreal height = m_charts[metric]->plotArea().height();
    const int target = height > 0 ? std::clamp(int(height / 28), 2, 5) : 5;
    if (target == m_valueTicks[metric])
        return;
    m_valueTicks[metric] = target;
    const AxisTicks::Values ticks = AxisTicks::values(low, high, target);
    QValueAxis *axis = m_valueAxes[metric];
    axis->setRange(ticks.min, ticks.max);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(ticks.min); // Qt Charts walks from the anchor to the range
    axis->setTickInterval(ticks.step);
    axis->setLabelFormat(QStringLiteral("%.%1f").arg(ticks.decimals));
}

void ChartsView::updateTimeTicks(int metric)
{
    QCategoryAxis *axis = m_timeAxes[metric];
    const AxisTicks::Times ticks = AxisTicks::times(qint64(axis->min()), qint64(axis->max()));
    for (const QString &label : axis->categoriesLabels())
        axis->remove(label);
    axis->setStartValue(axis->min());
    const QLocale locale;
    for (const qint64 tick : ticks.ticks) {
        axis->append(
            locale.toString(QDateTime::fromMSecsSinceEpoch(tick), ticks.format), double(tick));
    }
}

void ChartsView::showRange(qint64 fromMs, qint64 toMs)
{
    m_applyingRange = true;
    for (QCategoryAxis *axis : m_timeAxes)
        axis->setRange(double(fromMs), double(toMs));
    m_applyingRange = false;
}

void ChartsView::zoomed(qint64 minMs, qint64 maxMs)
{
    if (m_applyingRange)
        return;
    // One pane zoomed or panned: the others follow, and the range is read again at the new
    // resolution once the user pauses.
    hideCrosshair();
    showRange(minMs, maxMs);
    m_zoomFrom = minMs / 1000;
    m_zoomTo = maxMs / 1000 + 1;
    m_zoomReload->start();
}

void ChartsView::alignPanes()
{
    // Each pane sizes its plot to its own axis labels ("60,000" is wider than "500"): every pane
    // gets extra margin up to the innermost edges, so that a time is at the same x in all.
    // Margins, not a fixed plot area, so that Qt Charts still lays the panes out on resize.
    std::array<qreal, ChartData::Metrics> lefts{};
    std::array<qreal, ChartData::Metrics> rights{};
    qreal left = 0;
    qreal right = 1e9;
    for (int i = 0; i < ChartData::Metrics; ++i) {
        const QRectF area = m_charts[i]->plotArea();
        if (area.width() <= 0)
            return; // not laid out yet
        const QMargins margins = m_charts[i]->margins();
        lefts[i] = area.left() - (margins.left() - m_baseMargins.left());
        rights[i] = area.right() + (margins.right() - m_baseMargins.right());
        left = std::max(left, lefts[i]);
        right = std::min(right, rights[i]);
    }
    m_aligning = true;
    for (int i = 0; i < ChartData::Metrics; ++i) {
        updateValueTicks(i);
        QMargins margins = m_baseMargins;
        margins.setLeft(margins.left() + qRound(left - lefts[i]));
        margins.setRight(margins.right() + qRound(rights[i] - right));
        if (margins != m_charts[i]->margins())
            m_charts[i]->setMargins(margins);
    }
    m_aligning = false;
    alignGapStrip();
}

void ChartsView::alignGapStrip()
{
    const QRectF area = plotArea(0);
    if (area.width() <= 0)
        return;
    GapStrip *strip = m_gaps->strip();
    QWidget *viewport = m_views[0]->viewport();
    const int left = strip->mapFrom(this, viewport->mapTo(this, area.topLeft().toPoint())).x();
    const int right = strip->mapFrom(this, viewport->mapTo(this, area.bottomRight().toPoint())).x();
    strip->setBarSpan(left, right);
}

QRectF ChartsView::plotArea(int metric) const
{
    const QRectF area = m_charts[metric]->plotArea();
    return QRectF(m_views[metric]->mapFromScene(m_charts[metric]->mapToScene(area.topLeft())),
        m_views[metric]->mapFromScene(m_charts[metric]->mapToScene(area.bottomRight())));
}

bool ChartsView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_views[0] && (event->type() == QEvent::Resize || event->type() == QEvent::Show))
        QTimer::singleShot(0, this, &ChartsView::alignGapStrip);
    QCategoryAxis *axis = m_timeAxes[0];
    const qint64 min = qint64(axis->min());
    const qint64 max = qint64(axis->max());
    const qint64 width = std::max<qint64>(1, max - min);
    if (event->type() == QEvent::MouseMove) {
        for (int i = 0; i < ChartData::Metrics; ++i) {
            if (watched == m_views[i]->viewport()) {
                const QPointF position = static_cast<QMouseEvent *>(event)->position();
                const QPointF scene = m_views[i]->mapToScene(position.toPoint());
                const QPointF value = m_charts[i]->mapToValue(m_charts[i]->mapFromScene(scene));
                if (m_charts[i]->plotArea().contains(m_charts[i]->mapFromScene(scene))) {
                    m_readOut->setText(readOut(value.x()));
                    showCrosshair(i, position);
                } else {
                    hideCrosshair();
                }
            }
        }
    } else if (event->type() == QEvent::Leave) {
        hideCrosshair();
    } else if (event->type() == QEvent::Wheel) {
        const auto *wheel = static_cast<QWheelEvent *>(event);
        const double factor = wheel->angleDelta().y() > 0 ? 0.8 : 1.25;
        const qint64 middle = min + width / 2;
        const qint64 half = qint64(double(width) * factor / 2);
        zoomed(middle - half, middle + half);
        return true;
    } else if (event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Left || key == Qt::Key_Right) {
            const qint64 shift = (key == Qt::Key_Left ? -width : width) / 5;
            zoomed(min + shift, max + shift);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString ChartsView::readOut(double x) const
{
    const QString names[ChartData::Metrics] = { tr("price %1 USD"), tr("hash rate %1 EH/s"),
        tr("difficulty %1 T") };
    QStringList parts;
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(qint64(x));
    parts << tr("%1 (%2 UTC)")
                 .arg(time.toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                     time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    // Nearer than a bucket (or ten minutes of raw rows) counts as "at this time".
    const double slack = double(std::max<qint64>(600, m_data.bucket)) * 1000;
    for (int metric = 0; metric < ChartData::Metrics; ++metric) {
        const QPointF *nearest = nullptr;
        for (const QList<QPointF> &segment : m_data.segments[metric]) {
            for (const QPointF &point : segment) {
                if (!nearest || std::abs(point.x() - x) < std::abs(nearest->x() - x))
                    nearest = &point;
            }
        }
        if (!nearest || std::abs(nearest->x() - x) > slack) {
            parts << tr("no data");
            break;
        }
        parts << names[metric].arg(QLocale().toString(nearest->y() * Scale[metric], 'f', 2));
    }
    return parts.join(QStringLiteral(" · "));
}

int ChartsView::pointCount() const
{
    int points = 0;
    for (QChart *chart : m_charts) {
        for (QAbstractSeries *series : chart->series()) {
            if (auto *xy = qobject_cast<QXYSeries *>(series))
                points += xy->count();
        }
    }
    return points;
}

int ChartsView::segmentCount(int metric) const
{
    return metric >= 0 && metric < ChartData::Metrics ? int(m_charts[metric]->series().size()) : 0;
}

bool ChartsView::savePng(const QString &path)
{
    const QString shown = QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath());
    hideCrosshair();
    QSaveFile file(path);
    QString reason;
    if (!file.open(QIODevice::WriteOnly))
        reason = file.errorString();
    else if (!m_panes->grab().toImage().save(&file, "PNG"))
        reason = tr("the image could not be written");
    else if (!file.commit())
        reason = file.errorString();
    if (!reason.isEmpty()) {
        m_notice->showNotice(tr("Could not save the chart to %1: %2").arg(shown, reason));
        return false;
    }
    m_lastFolder = QFileInfo(path).absolutePath();
    m_notice->showNotice(tr("Chart saved to %1").arg(shown));
    m_notice->addButton(
        tr("Open folder"), [this, folder = m_lastFolder] { openFolder(folder, this); });
    return true;
}

void ChartsView::savePngAs()
{
    QString folder = m_lastFolder;
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QDir::homePath();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save chart as PNG"),
        QDir(folder).filePath(QStringLiteral("sluice-chart.png")), tr("PNG images (*.png)"));
    if (!path.isEmpty())
        savePng(path);
}

QString ChartsView::showCrosshair(int metric, const QPointF &position)
{
    if (metric < 0 || metric >= ChartData::Metrics)
        return QString();
    QChart *chart = m_charts[metric];
    const QPointF scene = m_views[metric]->mapToScene(position.toPoint());
    const double x = chart->mapToValue(chart->mapFromScene(scene)).x();
    // The nearest stored point in time, by a binary search of each (time-ordered) segment.
    const QPointF *nearest = nullptr;
    for (const QList<QPointF> &segment : m_data.segments[metric]) {
        auto it = std::lower_bound(segment.cbegin(), segment.cend(), x,
            [](const QPointF &point, double value) { return point.x() < value; });
        for (auto candidate : { it, it == segment.cbegin() ? it : it - 1 }) {
            if (candidate != segment.cend()
                && (!nearest || std::abs(candidate->x() - x) < std::abs(nearest->x() - x)))
                nearest = &*candidate;
        }
    }
    const double slack = double(std::max<qint64>(600, m_data.bucket)) * 1000;
    if (!nearest || std::abs(nearest->x() - x) > slack) {
        hideCrosshair();
        return QString();
    }
    const QString names[ChartData::Metrics] = { tr("price %1 USD"), tr("hash rate %1 H/s"),
        tr("difficulty %1") };
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(qint64(nearest->x()));
    const QLocale locale;
    // The value as stored, every digit, grouped; the time of the point, local and UTC.
    const QString value =
        names[metric].arg(locale.toString(nearest->y(), 'f', QLocale::FloatingPointShortest));
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    const QString text = time.offsetFromUtc() == 0
        ? tr("%1\n%2 UTC").arg(value, time.toUTC().toString(format))
        : tr("%1\n%2 (%3 UTC)").arg(value, time.toString(format), time.toUTC().toString(format));
    for (int i = 0; i < ChartData::Metrics; ++i) {
        const QPointF point(nearest->x(), i == metric ? nearest->y() * Scale[metric] : 0);
        m_crosshairs[i]->show(point, i == metric ? text : QString());
    }
    return text;
}

QString ChartsView::crosshairText() const
{
    for (const auto &crosshair : m_crosshairs) {
        if (!crosshair->text().isEmpty())
            return crosshair->text();
    }
    return QString();
}

void ChartsView::hideCrosshair()
{
    for (const auto &crosshair : m_crosshairs)
        crosshair->hide();
}

void ChartsView::updateEmptyState()
{
    m_empty->setCurrentIndex(m_data.first < 0 ? 1 : 0);
}

} // namespace Sluice
