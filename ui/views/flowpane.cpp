#include "views/flowpane.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSplitter>
#include <QStyle>
#include <QTabBar>
#include <QToolButton>
#include <QVBoxLayout>

#include "dialogs/newflowdialog.h"
#include "editor/floweditor.h"
#include "engine/displaytext.h"
#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "flowfile/flowfilereader.h"
#include "graph/flowgraph.h"
#include "graph/flowgraphview.h"
#include "models/flowtablemodel.h"

namespace Sluice {

namespace {
    QToolButton *toolButton(const QString &tip, const QString &text, const QIcon &icon)
    {
        auto *button = new QToolButton;
        button->setToolTip(tip);
        button->setText(text);
        button->setIcon(icon);
        button->setAutoRaise(true);
        return button;
    }
} // namespace

FlowPane::FlowPane(Engine *engine, FlowTableModel *model, QWidget *parent)
    : QTabWidget(parent)
    , m_engine(engine)
    , m_model(model)
{
    setObjectName(QStringLiteral("flowPane"));
    setDocumentMode(true);
    setTabsClosable(true);
    setMovable(true);
    addTab(createGraphTab(), tr("Graph"));
    // The Graph tab stays.
    tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);
    connect(this, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (auto *editor = widget(index)->findChild<FlowEditor *>())
            closeEditor(editor);
    });
    if (m_engine)
        connect(m_engine, &Engine::taskStateChanged, this, &FlowPane::onTaskState);
}

QWidget *FlowPane::createGraphTab()
{
    m_graph = new FlowGraphView;
    m_graph->setObjectName(QStringLiteral("flowGraph"));
    m_graph->setPlaceholderText(tr("Select a flow to see its steps"));
    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("flowGraphCaption"));
    m_caption->setTextFormat(Qt::PlainText);
    m_caption->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *zoomIn = toolButton(tr("Zoom in (Ctrl+wheel, +)"), tr("Zoom in"),
        QIcon::fromTheme(QStringLiteral("zoom-in"), style()->standardIcon(QStyle::SP_ArrowUp)));
    auto *zoomOut = toolButton(tr("Zoom out (Ctrl+wheel, -)"), tr("Zoom out"),
        QIcon::fromTheme(QStringLiteral("zoom-out"), style()->standardIcon(QStyle::SP_ArrowDown)));
    auto *fit = toolButton(tr("Fit the whole graph (Ctrl+0)"), tr("Fit"),
        QIcon::fromTheme(
            QStringLiteral("zoom-fit-best"), style()->standardIcon(QStyle::SP_TitleBarMaxButton)));
    for (QToolButton *button : { zoomIn, zoomOut, fit })
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    bar->addWidget(m_caption, 1);
    bar->addWidget(zoomIn);
    bar->addWidget(zoomOut);
    bar->addWidget(fit);
    auto *tab = new QWidget;
    auto *layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_graph, 1);
    connect(zoomIn, &QToolButton::clicked, m_graph, &FlowGraphView::zoomIn);
    connect(zoomOut, &QToolButton::clicked, m_graph, &FlowGraphView::zoomOut);
    connect(fit, &QToolButton::clicked, m_graph, &FlowGraphView::fitToView);
    connect(m_graph, &FlowGraphView::taskClicked, this, [this](const QString &task) {
        if (!task.isEmpty() && !m_flow.isEmpty())
            Q_EMIT stepClicked(m_flow, m_stateRun, task);
    });
    return tab;
}

void FlowPane::setRunHistory(RunHistory *history)
{
    if (m_history)
        disconnect(m_history, nullptr, this, nullptr);
    m_history = history;
    if (m_history)
        connect(m_history, &RunHistory::detailsLoaded, this, &FlowPane::onDetailsLoaded);
}

void FlowPane::showFlow(const QString &flow)
{
    m_flow = flow;
    m_stateRun = 0;
    m_detailsToken = 0;
    m_maxAttempts.clear();
    m_startedMs.clear();
    FlowGraph graph;
    QString placeholder = tr("Select a flow to see its steps");
    if (const auto found = flow.isEmpty() ? nullptr : m_model->flow(flow)) {
        graph = FlowGraph::fromFlow(*found);
        for (int i = 0; i < found->taskCount(); ++i)
            m_maxAttempts.insert(found->task(i).name, found->retryPolicyOf(i).retries + 1);
        placeholder = tr("%1 has no steps").arg(flow);
    } else if (const std::optional<BrokenFlow> file = m_model->brokenFlow(flow)) {
        // What can be read of an invalid file, as the editor's preview would draw it.
        const CheckedFlowFile checked = FlowFileReader::read(
            file->path, m_engine ? m_engine->registry().builtinNames() : QStringList());
        if (checked.definition)
            graph = FlowGraph::fromDefinition(*checked.definition);
        placeholder = tr("This flow file has errors: edit it to see its steps");
    }
    m_graph->setPlaceholderText(placeholder);
    m_graph->setGraph(graph);
    m_graph->clearStates();
    const qint64 latest = flow.isEmpty() ? 0 : m_model->latestRun(flow);
    if (latest != 0 && m_history) {
        m_stateRun = latest;
        m_detailsToken = m_history->requestDetails(latest, 1);
    }
    updateCaption();
}

void FlowPane::updateCaption()
{
    if (m_flow.isEmpty()) {
        m_caption->clear();
    } else if (m_stateRun == 0) {
        m_caption->setText(tr("%1: never run").arg(m_flow));
    } else {
        m_caption->setText(tr("%1: run %2, %3 — click a step for its log")
                               .arg(m_flow)
                               .arg(m_stateRun)
                               .arg(stateText(m_runState)));
    }
}

void FlowPane::onDetailsLoaded(quint64 token, const RunHistory::Details &details)
{
    if (token != m_detailsToken || details.runId != m_stateRun)
        return;
    m_detailsToken = 0;
    if (details.run)
        m_runState = details.run->state;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const TaskRunRecord &task : details.tasks) {
        qint64 duration = -1;
        if (task.startedMs > 0)
            duration =
                (isFinal(task.state) && task.finishedMs >= task.startedMs ? task.finishedMs : now)
                - task.startedMs;
        if (task.startedMs > 0 && !isFinal(task.state))
            m_startedMs.insert(task.task, task.startedMs);
        setState(task.task, task.state, task.attempts, duration);
    }
    updateCaption();
}

void FlowPane::onTaskState(const TaskStateEvent &event)
{
    if (event.flow != m_flow)
        return;
    if (event.runId != m_stateRun) {
        // A newer run of the shown flow: its states replace the last run's.
        m_stateRun = event.runId;
        m_detailsToken = 0;
        m_startedMs.clear();
        m_graph->clearStates();
    }
    m_runState = RunState::Running;
    qint64 duration = -1;
    if (event.state == RunState::Running)
        m_startedMs.insert(event.task, event.atMs);
    if (const auto started = m_startedMs.constFind(event.task); started != m_startedMs.cend())
        duration = event.atMs - *started;
    setState(event.task, event.state, event.attempt, duration);
    updateCaption();
}

void FlowPane::setState(const QString &task, RunState state, int attempt, qint64 durationMs)
{
    m_graph->setTaskState(task, state, attempt, m_maxAttempts.value(task), durationMs);
}

FlowEditor *FlowPane::editor(const QString &path) const
{
    const QString wanted = QFileInfo(path).absoluteFilePath();
    for (FlowEditor *editor : editors()) {
        if (QFileInfo(editor->path()).absoluteFilePath() == wanted)
            return editor;
    }
    return nullptr;
}

QList<FlowEditor *> FlowPane::editors() const
{
    QList<FlowEditor *> found;
    for (int i = 0; i < count(); ++i) {
        if (auto *editor = widget(i)->findChild<FlowEditor *>())
            found << editor;
    }
    return found;
}

FlowGraphView *FlowPane::preview(FlowEditor *editor) const
{
    return editor && editor->parentWidget()
        ? editor->parentWidget()->findChild<FlowGraphView *>(QStringLiteral("previewGraph"))
        : nullptr;
}

FlowEditor *FlowPane::openEditor(const QString &path, int line, int column)
{
    FlowEditor *editor = this->editor(path);
    if (!editor) {
        editor = new FlowEditor;
        editor->setBuiltinNames(m_engine ? m_engine->registry().builtinNames() : QStringList());
        if (Result<void> opened = editor->openFile(path); !opened) {
            delete editor;
            QMessageBox box(QMessageBox::Warning, tr("Cannot open the flow file"),
                escapeControls(opened.error().message()), QMessageBox::Ok, this);
            box.setTextFormat(Qt::PlainText);
            box.exec();
            return nullptr;
        }
        auto *preview = new FlowGraphView;
        preview->setObjectName(QStringLiteral("previewGraph"));
        preview->setPlaceholderText(tr("The steps appear here as you write them"));
        preview->setToolTip(tr("The steps as written, updated as you type"));
        auto *split = new QSplitter(Qt::Horizontal);
        split->setObjectName(QStringLiteral("editorSplit"));
        split->addWidget(editor);
        split->addWidget(preview);
        split->setStretchFactor(0, 3);
        split->setStretchFactor(1, 2);
        // While the text does not read as YAML (mid-typing), the last steps drawn stay.
        const auto showPreview = [preview](const CheckedFlowFile &file) {
            if (file.definition)
                preview->setGraph(FlowGraph::fromDefinition(*file.definition));
        };
        connect(editor, &FlowEditor::checked, preview, showPreview);
        showPreview(editor->lastCheck());
        const int index = addTab(split, editor->title());
        setTabToolTip(index, QDir::toNativeSeparators(path));
        connect(editor, &FlowEditor::titleChanged, this, [this, split](const QString &title) {
            if (const int at = indexOf(split); at >= 0)
                setTabText(at, title);
        });
        connect(editor, &FlowEditor::saved, this, [this](const QString &saved) {
            Q_EMIT messageShown(tr("Saved %1").arg(QDir::toNativeSeparators(saved)));
        });
    }
    setCurrentWidget(editor->parentWidget());
    if (line > 0)
        editor->goTo(line, std::max(column, 1));
    else
        editor->setFocus();
    return editor;
}

QString FlowPane::newFlow()
{
    QStringList taken;
    if (m_model) {
        for (int row = 0; row < m_model->rowCount(); ++row)
            taken << m_model->flowName(row);
    }
    NewFlowDialog dialog(
        m_dataFolder, m_engine ? m_engine->registry().builtinNames() : QStringList(), taken, this);
    const bool created = dialog.exec() == QDialog::Accepted;
    // The keys go back to this window (and to the new editor), not to nowhere.
    window()->activateWindow();
    if (!created)
        return {};
    const QString path = dialog.createdPath();
    Q_EMIT messageShown(tr("Created %1").arg(path));
    openEditor(path);
    return path;
}

bool FlowPane::closeEditor(FlowEditor *editor)
{
    if (!editor || !editor->maybeClose())
        return false;
    QWidget *tab = editor->parentWidget();
    removeTab(indexOf(tab));
    tab->deleteLater();
    return true;
}

bool FlowPane::maybeCloseAll()
{
    for (FlowEditor *editor : editors()) {
        if (editor->isModified()) {
            setCurrentWidget(editor->parentWidget());
            if (!editor->maybeClose())
                return false;
        }
    }
    return true;
}

} // namespace Sluice
