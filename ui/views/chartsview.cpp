#include "views/chartsview.h"

#include <cmath>

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QMouseEvent>
#include <QPushButton>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>

#include "engine/displaytext.h"
#include "widgets/emptystate.h"

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
    , m_zoomReload(new QTimer(this))
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
    }

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
    contentLayout->addLayout(bar);
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
    if (m_zoomFrom >= 0)
        load(m_zoomFrom, m_zoomTo, 0);
    else
        loadSelected();
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
        if (data.first >= 0) {
            m_timeAxes[metric]->setRange(QDateTime::fromMSecsSinceEpoch(data.from * 1000),
                QDateTime::fromMSecsSinceEpoch(data.to * 1000));
        }
        if (low <= high) {
            const double margin = std::max((high - low) * 0.05, std::abs(high) * 1e-6);
            m_valueAxes[metric]->setRange(low - margin, high + margin);
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
    const QString rows = QLocale().toString(data.rows);
    m_status->setText(
        data.decimated ? tr("%1 rows, min/max per pixel").arg(rows) : tr("%1 rows").arg(rows));
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
    m_timeAxes[metric] = new QDateTimeAxis;
    m_timeAxes[metric]->setFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_timeAxes[metric]->setTickCount(6);
    if (metric == ChartData::Metrics - 1)
        m_timeAxes[metric]->setTitleText(tr("Time (local)"));
    m_valueAxes[metric] = new QValueAxis;
    m_valueAxes[metric]->setLabelFormat(QStringLiteral("%.6g"));
    connect(m_timeAxes[metric], &QDateTimeAxis::rangeChanged, this, &ChartsView::zoomed);
}

void ChartsView::showRange(qint64 fromMs, qint64 toMs)
{
    m_applyingRange = true;
    for (QDateTimeAxis *axis : m_timeAxes)
        axis->setRange(
            QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    m_applyingRange = false;
}

void ChartsView::zoomed(const QDateTime &min, const QDateTime &max)
{
    if (m_applyingRange)
        return;
    // One pane zoomed or panned: the others follow, and the range is read again at the new
    // resolution once the user pauses.
    showRange(min.toMSecsSinceEpoch(), max.toMSecsSinceEpoch());
    m_zoomFrom = min.toSecsSinceEpoch();
    m_zoomTo = max.toSecsSinceEpoch() + 1;
    m_zoomReload->start();
}

bool ChartsView::eventFilter(QObject *watched, QEvent *event)
{
    QDateTimeAxis *axis = m_timeAxes[0];
    const qint64 min = axis->min().toMSecsSinceEpoch();
    const qint64 max = axis->max().toMSecsSinceEpoch();
    const qint64 width = std::max<qint64>(1, max - min);
    if (event->type() == QEvent::MouseMove) {
        for (int i = 0; i < ChartData::Metrics; ++i) {
            if (watched == m_views[i]->viewport()) {
                const QPointF position = static_cast<QMouseEvent *>(event)->position();
                const QPointF scene = m_views[i]->mapToScene(position.toPoint());
                const QPointF value = m_charts[i]->mapToValue(m_charts[i]->mapFromScene(scene));
                if (m_charts[i]->plotArea().contains(m_charts[i]->mapFromScene(scene)))
                    m_readOut->setText(readOut(value.x()));
            }
        }
    } else if (event->type() == QEvent::Wheel) {
        const auto *wheel = static_cast<QWheelEvent *>(event);
        const double factor = wheel->angleDelta().y() > 0 ? 0.8 : 1.25;
        const qint64 middle = min + width / 2;
        const qint64 half = qint64(double(width) * factor / 2);
        zoomed(QDateTime::fromMSecsSinceEpoch(middle - half),
            QDateTime::fromMSecsSinceEpoch(middle + half));
        return true;
    } else if (event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Left || key == Qt::Key_Right) {
            const qint64 shift = (key == Qt::Key_Left ? -width : width) / 5;
            zoomed(QDateTime::fromMSecsSinceEpoch(min + shift),
                QDateTime::fromMSecsSinceEpoch(max + shift));
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

bool ChartsView::savePng(const QString &path) const
{
    return m_panes->grab().save(path, "PNG");
}

void ChartsView::savePngAs()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save chart as PNG"),
        QStringLiteral("sluice-chart.png"), tr("PNG images (*.png)"));
    if (!path.isEmpty() && !savePng(path))
        m_status->setText(tr("cannot save the chart to %1").arg(path));
}

void ChartsView::updateEmptyState()
{
    m_empty->setCurrentIndex(m_data.first < 0 ? 1 : 0);
}

} // namespace Sluice
