#include "views/flowsview.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMenu>
#include <QMessageBox>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "dialogs/backfilldialog.h"
#include "dialogs/parametersdialog.h"
#include "dialogs/scheduledialog.h"
#include "engine/displaytext.h"
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/message.h"
#include "models/flowtablemodel.h"
#include "schedule/defaultschedules.h"
#include "schedule/schedulestore.h"
#include "views/flowpane.h"
#include "widgets/emptystate.h"

namespace Sluice {

namespace {
    QToolButton *makeButton(
        const QString &name, const QString &text, const QString &tip, const QIcon &icon)
    {
        auto *button = new QToolButton;
        button->setObjectName(name);
        button->setText(text);
        button->setToolTip(tip);
        button->setIcon(icon);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        return button;
    }
} // namespace

FlowsView::FlowsView(FlowTableModel *model, Engine *engine, ScheduleStore *store, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_engine(engine)
    , m_store(store)
    , m_table(new QTableView)
{
    m_table->setObjectName(QStringLiteral("flowsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setColumnWidth(FlowTableModel::Name, 120);
    m_table->setColumnWidth(FlowTableModel::Description, 260);
    m_table->setColumnWidth(FlowTableModel::ScheduleWords, 190);
    m_table->setColumnWidth(FlowTableModel::Expression, 110);
    m_table->setColumnWidth(FlowTableModel::NextRun, 150);
    m_table->setColumnWidth(FlowTableModel::LastRun, 110);

    m_run = makeButton(QStringLiteral("runButton"), tr("&Run"), tr("Run the selected flow now"),
        style()->standardIcon(QStyle::SP_MediaPlay));
    m_cancel = makeButton(QStringLiteral("cancelButton"), tr("&Cancel"),
        tr("Cancel the running flow"), style()->standardIcon(QStyle::SP_MediaStop));
    m_pause = makeButton(QStringLiteral("pauseButton"), tr("&Pause schedule"),
        tr("Stop or restart running the flow by its schedule"),
        style()->standardIcon(QStyle::SP_MediaPause));
    m_schedule = makeButton(QStringLiteral("scheduleButton"), tr("&Edit schedule…"),
        tr("Set when the flow runs by itself"),
        style()->standardIcon(QStyle::SP_FileDialogDetailedView));

    m_runWithParameters = new QAction(tr("Run with &parameters…"), this);
    m_runWithParameters->setObjectName(QStringLiteral("runWithParameters"));
    m_runWithParameters->setToolTip(tr("Choose the parameters of a run of the selected flow"));
    m_backfill = new QAction(tr("&Backfill…"), this);
    m_backfill->setObjectName(QStringLiteral("backfill"));
    m_backfill->setToolTip(
        tr("Run the selected flow for each fire time of its schedule in a range"));
    auto *runMenu = new QMenu(m_run);
    runMenu->addAction(m_runWithParameters);
    runMenu->addAction(m_backfill);
    m_run->setMenu(runMenu);
    m_run->setPopupMode(QToolButton::MenuButtonPopup);

    m_newFlow = makeButton(QStringLiteral("newFlowButton"), tr("&New flow…"),
        tr("Write a new flow, starting from a template"),
        style()->standardIcon(QStyle::SP_FileIcon));
    m_editFlow = makeButton(QStringLiteral("editFlowButton"), tr("Ed&it flow"),
        tr("Open the selected flow's file in the editor"),
        style()->standardIcon(QStyle::SP_FileDialogContentsView));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addSpacing(12);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_schedule);
    buttons->addSpacing(12);
    buttons->addWidget(m_newFlow);
    buttons->addWidget(m_editFlow);
    buttons->addStretch();

    m_empty = new EmptyState(m_table, tr("No flows yet"),
        tr("Write a flow file: it appears here with its schedule and runs."));
    m_empty->setModel(m_model);
    m_empty->setAction(tr("New flow…"));
    connect(m_empty, &EmptyState::actionTriggered, this, &FlowsView::newFlow);

    m_pane = new FlowPane(m_engine, m_model);
    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(buttons);
    topLayout->addWidget(m_empty);
    auto *split = new QSplitter(Qt::Vertical);
    split->setObjectName(QStringLiteral("flowsSplitter"));
    split->addWidget(top);
    split->addWidget(m_pane);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({ 240, 420 });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        if (currentFlow() != m_pane->shownFlow())
            m_pane->showFlow(currentFlow());
    });
    // The flow files were reloaded (a save, an outside edit): keep the selected flow selected
    // and draw it again.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        // A new flow waiting to appear keeps its claim until it does.
        if (m_model->rowOf(m_selectedBeforeReset) >= 0 || m_selectedBeforeReset.isEmpty())
            m_selectedBeforeReset = currentFlow();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_model->rowOf(m_selectedBeforeReset) >= 0) {
            selectFlow(m_selectedBeforeReset);
            m_selectedBeforeReset.clear();
        }
        updateActions();
        m_pane->showFlow(currentFlow());
    });
    connect(m_pane, &FlowPane::messageShown, this, &FlowsView::messageShown);
    connect(m_newFlow, &QToolButton::clicked, this, &FlowsView::newFlow);
    connect(m_editFlow, &QToolButton::clicked, this, &FlowsView::editFlow);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &FlowsView::updateActions);
    if (m_engine) {
        connect(m_engine, &Engine::runStarted, this,
            [this](const RunStartedEvent &event) { onRunCreated(event.ticket, event.runId); });
        connect(m_engine, &Engine::runFinished, this,
            [this](const RunFinishedEvent &event) { onRunCreated(event.ticket, event.runId); });
        connect(m_engine, &Engine::runStartFailed, this, [this](const RunStartFailedEvent &event) {
            if (m_starting.remove(event.ticket))
                showError(tr("Cannot run %1").arg(event.flow), event.error.message());
        });
    }
    connect(m_run, &QToolButton::clicked, this, &FlowsView::run);
    connect(m_runWithParameters, &QAction::triggered, this, &FlowsView::runWithParameters);
    connect(m_backfill, &QAction::triggered, this, &FlowsView::backfill);
    connect(m_cancel, &QToolButton::clicked, this, &FlowsView::cancel);
    connect(m_pause, &QToolButton::clicked, this, &FlowsView::togglePause);
    connect(m_schedule, &QToolButton::clicked, this, &FlowsView::editSchedule);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const QString flow = m_model->flowName(index.row());
        // An invalid file opens in the editor at its error; a flow, its latest run.
        if (m_model->brokenFlow(flow))
            editFlow();
        else if (const qint64 id = m_model->latestRun(flow))
            Q_EMIT runOpened(id);
    });
    reloadSchedules();
    if (m_model->rowCount() > 0)
        m_table->selectRow(0);
    updateActions();
}

void FlowsView::setRunHistory(RunHistory *history)
{
    m_history = history;
    m_pane->setRunHistory(history);
    m_pane->showFlow(currentFlow());
}

void FlowsView::setDataFolder(const QString &path)
{
    m_dataFolder = path;
    m_pane->setDataFolder(path);
    updateActions();
}

void FlowsView::newFlow()
{
    if (m_dataFolder.isEmpty())
        return;
    // Selected once the flows folder's watcher has loaded it.
    const QString path = m_pane->newFlow();
    if (!path.isEmpty())
        m_selectedBeforeReset = QFileInfo(path).completeBaseName();
}

void FlowsView::editFlow()
{
    const QString flow = currentFlow();
    const QString path = m_model->sourcePath(flow);
    if (path.isEmpty())
        return;
    const std::optional<BrokenFlow> broken = m_model->brokenFlow(flow);
    m_pane->openEditor(path, broken ? broken->line : 0, broken ? broken->column : 0);
}

QString FlowsView::currentFlow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model->flowName(rows.first().row());
}

void FlowsView::selectFlow(const QString &flow)
{
    const int row = m_model->rowOf(flow);
    if (row < 0)
        return;
    // Through the selection model: QTableView::selectRow() picks nothing in a view not laid
    // out yet (hidden, or before the first show).
    const QModelIndex index = m_model->index(row, FlowTableModel::Name);
    m_table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void FlowsView::reloadSchedules()
{
    if (!m_store)
        return;
    QStringList flows;
    for (int row = 0; row < m_model->rowCount(); ++row)
        flows << m_model->flowName(row);
    m_model->setSchedules(DefaultSchedules::effective(*m_store, flows, m_fileSchedules));
}

void FlowsView::setFileSchedules(const QMap<QString, Schedule> &schedules)
{
    m_fileSchedules = schedules;
    reloadSchedules();
}

void FlowsView::updateActions()
{
    const QString flow = currentFlow();
    const bool selected = !flow.isEmpty();
    const bool running = selected && m_model->activeRun(flow) != 0;
    const bool queued = selected && m_model->isQueued(flow);
    m_run->setEnabled(selected && m_engine && !running && !queued);
    const auto definition = m_engine && selected ? m_engine->registry().flow(flow) : nullptr;
    m_runWithParameters->setEnabled(
        m_run->isEnabled() && definition && !definition->parameters().isEmpty());
    // A backfill runs beside a run in progress (it allows the overlap).
    m_backfill->setEnabled(selected && m_engine && m_store && definition);
    m_cancel->setEnabled(running && m_engine);
    const Schedule schedule = m_model->schedule(flow);
    m_pause->setEnabled(selected && m_store && schedule.isValid());
    if (schedule.isValid() && schedule.isPaused()) {
        m_pause->setText(tr("Res&ume schedule"));
        m_pause->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    } else {
        m_pause->setText(tr("&Pause schedule"));
        m_pause->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    }
    m_schedule->setEnabled(selected && m_store);
    m_newFlow->setEnabled(!m_dataFolder.isEmpty());
    const bool file = selected && !m_model->sourcePath(flow).isEmpty();
    m_editFlow->setEnabled(file);
    m_editFlow->setToolTip(selected && !file
            ? tr("%1 is built into Sluice; write a new flow to change what it does").arg(flow)
            : tr("Open the selected flow's file in the editor"));
}

qint64 FlowsView::startRun(const QString &flow, const QVariantMap &parameters)
{
    if (!m_engine)
        return 0;
    const Result<qint64> ticket = m_engine->start(flow, parameters);
    if (!ticket) {
        showError(tr("Cannot run %1").arg(flow), ticket.error().message());
        return 0;
    }
    m_starting.insert(*ticket, flow);
    Q_EMIT messageShown(tr("Starting %1…").arg(flow));
    return *ticket;
}

void FlowsView::onRunCreated(qint64 ticket, qint64 runId)
{
    const QString flow = m_starting.take(ticket);
    if (flow.isEmpty())
        return;
    Q_EMIT messageShown(tr("Started run %1 of %2").arg(runId).arg(flow));
    Q_EMIT runStarted(runId);
}

void FlowsView::run()
{
    const QString flow = currentFlow();
    if (flow.isEmpty() || !m_engine)
        return;
    // One click runs with the defaults; a parameter without one needs the form.
    const auto definition = m_engine->registry().flow(flow);
    if (definition && ParametersDialog::needsForm(definition->parameters())) {
        runWithParameters();
        return;
    }
    startRun(flow, {});
}

void FlowsView::runWithParameters()
{
    const QString flow = currentFlow();
    if (flow.isEmpty() || !m_engine)
        return;
    const auto definition = m_engine->registry().flow(flow);
    QVariantMap parameters;
    if (definition && !definition->parameters().isEmpty()) {
        ParametersDialog dialog(flow, definition->parameters(), {}, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        parameters = dialog.values();
    }
    startRun(flow, parameters);
}

void FlowsView::backfill()
{
    const QString flow = currentFlow();
    if (flow.isEmpty() || !m_engine)
        return;
    const auto schedule = m_model->schedule(flow);
    auto *dialog = new BackfillDialog(*m_engine, m_history, flow, schedule, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BackfillDialog::runStarted, this,
        [this](qint64 runId) { Q_EMIT messageShown(tr("Backfill started run %1").arg(runId)); });
    dialog->open();
}

void FlowsView::cancel()
{
    const QString flow = currentFlow();
    const qint64 runId = m_model->activeRun(flow);
    // Stored language-neutral: the run's history shows it in the language of the moment.
    const Message reason(
        "Sluice::FlowsView", QT_TRANSLATE_NOOP("Sluice::FlowsView", "cancelled from the window"));
    if (m_engine && runId != 0 && m_engine->cancel(runId, reason))
        Q_EMIT messageShown(tr("Cancelling run %1 of %2…").arg(runId).arg(flow));
}

void FlowsView::togglePause()
{
    const QString flow = currentFlow();
    setSchedulePaused(flow, !m_model->schedule(flow).isPaused());
}

bool FlowsView::setSchedulePaused(const QString &flow, bool paused)
{
    const Schedule schedule = m_model->schedule(flow);
    if (!m_store || !schedule.isValid())
        return false;
    // A built-in default is not in the store yet: pausing writes it there.
    Schedule changed = schedule;
    changed.setPaused(paused);
    if (Result<void> ok = m_store->setSchedule(flow, changed); !ok) {
        showError(tr("Cannot change the schedule of %1").arg(flow), ok.error().message());
        return false;
    }
    reloadSchedules();
    updateActions();
    Q_EMIT scheduleChanged(flow);
    return true;
}

void FlowsView::editSchedule()
{
    const QString flow = currentFlow();
    if (!m_store || flow.isEmpty())
        return;
    ScheduleDialog dialog(flow, m_model->schedule(flow), this);
    const int result = dialog.exec();
    if (result == ScheduleDialog::Removed) {
        if (Result<void> ok = DefaultSchedules::clear(*m_store, flow, m_fileSchedules); !ok) {
            showError(tr("Cannot remove the schedule of %1").arg(flow), ok.error().message());
            return;
        }
        reloadSchedules();
        updateActions();
        Q_EMIT messageShown(tr("%1 has no schedule now: it runs when you start it").arg(flow));
        Q_EMIT scheduleChanged(flow);
        return;
    }
    if (result != QDialog::Accepted || !dialog.isValid())
        return;
    if (Result<void> ok = m_store->setSchedule(flow, dialog.schedule()); !ok) {
        showError(tr("Cannot save the schedule of %1").arg(flow), ok.error().message());
        return;
    }
    reloadSchedules();
    updateActions();
    Q_EMIT messageShown(tr("Schedule of %1: %2").arg(flow, dialog.schedule().describe()));
    Q_EMIT scheduleChanged(flow);
}

void FlowsView::showError(const QString &title, const QString &message)
{
    QMessageBox box(QMessageBox::Warning, title, escapeControls(message), QMessageBox::Ok, this);
    box.setTextFormat(Qt::PlainText); // an error may quote a server or a file
    box.exec();
}

} // namespace Sluice
