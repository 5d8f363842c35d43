#include "views/flowsview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QStandardItemModel>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "widgets/emptystate.h"

namespace Sluice {

FlowsView::FlowsView(QWidget *parent)
    : QWidget(parent)
    , m_model(new QStandardItemModel(0, 6, this))
    , m_table(new QTableView)
    , m_run(new QToolButton)
    , m_cancel(new QToolButton)
{
    m_model->setHorizontalHeaderLabels({ tr("Flow"), tr("Description"), tr("Schedule"),
        tr("Next run"), tr("Last run"), tr("Duration") });
    m_table->setObjectName(QStringLiteral("flowsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_run->setText(tr("&Run"));
    m_run->setToolTip(tr("Run the selected flow now"));
    m_run->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_run->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancel->setText(tr("&Cancel"));
    m_cancel->setToolTip(tr("Cancel the running flow"));
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addStretch();

    m_empty = new EmptyState(m_table, tr("No flows yet"),
        tr("Flows appear here once they are registered with the engine."));
    m_empty->setModel(m_model);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_empty);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &FlowsView::updateActions);
    updateActions();
}

void FlowsView::updateActions()
{
    const bool selected = m_table->selectionModel()->hasSelection();
    m_run->setEnabled(selected);
    m_cancel->setEnabled(false);
}

} // namespace Sluice
