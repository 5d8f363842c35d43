#pragma once

// The Charts area: price, hash rate and difficulty over time from the clean table, in three
// stacked panes sharing the time axis and the plot's left edge, round ticks, a range selector,
// zoom and pan, a crosshair on the nearest point, gaps drawn as gaps and Save as PNG. GUI thread;
// points are loaded and decimated by a SeriesReader on the "sluice-chart-reader" thread.

#include <array>
#include <atomic>
#include <memory>
#include <utility>

#include <QMargins>
#include <QRectF>
#include <QWidget>

#include "data/seriesreader.h"
#include "engine/ownedthread.h"

class QCategoryAxis;
class QChart;
class QChartView;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;
class QTimer;
class QValueAxis;

namespace Sluice {

class ChartCrosshair;
class EmptyState;
class GapPanel;
class NoticeBar;

class ChartsView : public QWidget
{
    Q_OBJECT

public:
    enum Range { Day, Week, Month, All, Custom };
    Q_ENUM(Range)

    explicit ChartsView(QWidget *parent = nullptr);
    ~ChartsView() override;

    // The warehouse.sqlite whose clean table is charted; loads the selected range.
    void setWarehousePath(const QString &path);
    void setRange(Range range);
    // A custom range, [from, to).
    void setCustomRange(const QDateTime &from, const QDateTime &to);

    EmptyState *emptyState() const { return m_empty; }
    // Number of points across all series; the empty state shows while the table is empty.
    int pointCount() const;
    // Series drawn for metric 0 price, 1 hash rate, 2 difficulty: one a stretch without gaps.
    int segmentCount(int metric) const;
    const ChartData &chartData() const { return m_data; }
    // What the hover read-out says about the time x (milliseconds since the epoch).
    QString readOut(double x) const;
    // Saves the panes as a PNG and says where (with "Open folder") or why not, in the notice.
    bool savePng(const QString &path);
    NoticeBar *notice() const { return m_notice; }
    // The gap map of the clean table above the panes; follows their time range.
    GapPanel *gapPanel() const { return m_gaps; }
    // The crosshair at a position of metric's pane (viewport coordinates): the nearest point of
    // that metric; returns the label it shows ("" when no point is near).
    QString showCrosshair(int metric, const QPointF &position);
    QString crosshairText() const;
    // The plot areas of the panes, in their views' coordinates (for checking their alignment).
    QRectF plotArea(int metric) const;

public Q_SLOTS:
    // Reads the range again, e.g. when a flow has stored new data.
    void refresh();
    // A run stored rows (table -> rows, RunFinishedEvent::storedRows): reads the range again
    // only when the clean table, which the charts show, got some.
    void onRowsStored(const QMap<QString, qint64> &stored);
    void savePngAs();

Q_SIGNALS:
    // The user asked to see a flow in the Flows area (the empty state's button).
    void flowRequested(const QString &flow);
    void loaded();
    void loadFailed(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void loadSelected();
    void load(qint64 from, qint64 to, qint64 span);
    void onLoaded(int generation, const Sluice::ChartData &data);
    void createAxes(int metric);
    void showRange(qint64 fromMs, qint64 toMs);
    void zoomed(qint64 minMs, qint64 maxMs);
    void updateTimeTicks(int metric);
    void updateValueTicks(int metric);
    // Gives every pane the plot left and right edges of the widest axis labels.
    void alignPanes();
    // The gap strip's bars over the panes' plot area, so that a time is at the same x.
    void alignGapStrip();
    void hideCrosshair();
    void updateEmptyState();

    QWidget *m_panes;
    std::array<QChart *, ChartData::Metrics> m_charts{};
    std::array<QChartView *, ChartData::Metrics> m_views{};
    std::array<QCategoryAxis *, ChartData::Metrics> m_timeAxes{};
    std::array<QValueAxis *, ChartData::Metrics> m_valueAxes{};
    std::array<std::unique_ptr<ChartCrosshair>, ChartData::Metrics> m_crosshairs;
    QComboBox *m_range;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QLabel *m_readOut;
    QLabel *m_status;
    NoticeBar *m_notice;
    GapPanel *m_gaps;
    EmptyState *m_empty;
    QTimer *m_zoomReload;
    QTimer *m_align;
    OwnedThread m_thread;
    SeriesReader *m_reader;
    std::shared_ptr<std::atomic_int> m_latest;
    int m_generation = 0;
    QString m_path;
    QString m_lastFolder; // where the last PNG was saved
    ChartData m_data;
    bool m_applyingRange = false;
    bool m_aligning = false;
    QMargins m_baseMargins;
    // Each pane's lowest and highest shown value, and the ticks its axis was made for.
    std::array<std::pair<double, double>, ChartData::Metrics> m_spans{};
    std::array<int, ChartData::Metrics> m_valueTicks{};
    qint64 m_zoomFrom = -1;
    qint64 m_zoomTo = -1;
};

} // namespace Sluice
