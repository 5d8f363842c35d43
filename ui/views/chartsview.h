#pragma once

// The Charts area: price, hash rate and difficulty over time from the clean table.
// GUI thread.

#include <QWidget>

class QChart;
class QChartView;

namespace Sluice {

class EmptyState;

class ChartsView : public QWidget
{
    Q_OBJECT

public:
    explicit ChartsView(QWidget *parent = nullptr);

    EmptyState *emptyState() const { return m_empty; }
    // Number of points across all series; the empty state shows while it is zero.
    int pointCount() const;

private:
    void updateEmptyState();

    QChart *m_chart;
    QChartView *m_chartView;
    EmptyState *m_empty;
};

} // namespace Sluice
