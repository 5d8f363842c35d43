#include "views/chartsview.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include "widgets/emptystate.h"

namespace Sluice {

ChartsView::ChartsView(QWidget *parent)
    : QWidget(parent)
    , m_chart(new QChart)
{
    m_chart->setTitle(tr("BTC price, hash rate and difficulty"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);

    auto *time = new QDateTimeAxis;
    time->setFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    time->setTitleText(tr("Time (UTC)"));
    auto *price = new QValueAxis;
    price->setTitleText(tr("Price (USD)"));
    m_chart->addAxis(time, Qt::AlignBottom);
    m_chart->addAxis(price, Qt::AlignLeft);

    auto *priceSeries = new QLineSeries;
    priceSeries->setName(tr("Price"));
    m_chart->addSeries(priceSeries);
    priceSeries->attachAxis(time);
    priceSeries->attachAxis(price);

    m_chartView = new QChartView(m_chart);
    m_chartView->setObjectName(QStringLiteral("chartView"));
    m_chartView->setRenderHint(QPainter::Antialiasing);

    m_empty = new EmptyState(m_chartView, tr("Nothing to chart yet"),
        tr("Charts show the clean table once flows have loaded data."));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
    updateEmptyState();
}

int ChartsView::pointCount() const
{
    int points = 0;
    for (QAbstractSeries *series : m_chart->series()) {
        if (auto *xy = qobject_cast<QXYSeries *>(series))
            points += xy->count();
    }
    return points;
}

void ChartsView::updateEmptyState()
{
    m_empty->setCurrentIndex(pointCount() == 0 ? 1 : 0);
}

} // namespace Sluice
