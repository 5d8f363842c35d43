#include "views/dataview.h"

#include <QHeaderView>
#include <QListView>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include "widgets/emptystate.h"

namespace Sluice {

DataView::DataView(QWidget *parent)
    : QWidget(parent)
    , m_rows(new QStandardItemModel(0, 5, this))
    , m_tables(new QListView)
    , m_view(new QTableView)
{
    m_rows->setHorizontalHeaderLabels({ tr("Timeframe"), tr("Start (UTC)"), tr("Price (USD)"),
        tr("Hash rate"), tr("Difficulty") });
    m_view->setObjectName(QStringLiteral("dataTable"));
    m_view->setModel(m_rows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_tables->setObjectName(QStringLiteral("tableList"));
    m_tables->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_tables);
    splitter->addWidget(m_view);
    splitter->setStretchFactor(1, 4);

    m_empty = new EmptyState(splitter, tr("No data yet"),
        tr("The warehouse is empty. Run the btc-backfill flow to load the "
           "last 30 days of price, hash rate and difficulty."));
    m_empty->setModel(m_rows);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
}

} // namespace Sluice
