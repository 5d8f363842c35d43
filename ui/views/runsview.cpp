#include "views/runsview.h"

#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include "widgets/emptystate.h"

namespace Sluice {

RunsView::RunsView(QWidget *parent)
    : QWidget(parent)
    , m_runs(new QStandardItemModel(0, 5, this))
    , m_tasks(new QStandardItemModel(0, 5, this))
    , m_runTable(new QTableView)
    , m_taskTree(new QTreeView)
    , m_log(new QPlainTextEdit)
{
    m_runs->setHorizontalHeaderLabels(
        { tr("Flow"), tr("State"), tr("Started"), tr("Duration"), tr("Trigger") });
    m_tasks->setHorizontalHeaderLabels(
        { tr("Task"), tr("State"), tr("Attempt"), tr("Started"), tr("Duration") });

    m_runTable->setObjectName(QStringLiteral("runsTable"));
    m_runTable->setModel(m_runs);
    m_runTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runTable->verticalHeader()->hide();
    m_runTable->horizontalHeader()->setStretchLastSection(true);

    m_taskTree->setModel(m_tasks);
    m_taskTree->setRootIsDecorated(false);
    m_log->setReadOnly(true);
    m_log->setPlaceholderText(tr("Log lines of the selected run appear here."));
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);

    auto *details = new QSplitter(Qt::Horizontal);
    details->addWidget(m_taskTree);
    details->addWidget(m_log);
    details->setStretchFactor(1, 2);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_runTable);
    splitter->addWidget(details);

    m_empty = new EmptyState(
        splitter, tr("No runs yet"), tr("Run a flow from the Flows area and watch it here, live."));
    m_empty->setModel(m_runs);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
}

} // namespace Sluice
