#include "editor/floweditor.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTextBlock>
#include <QTimer>
#include <QToolBar>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "editor/codeeditor.h"
#include "editor/comparedialog.h"
#include "editor/diskchangebar.h"
#include "editor/yamlhighlighter.h"
#include "flowfile/flowfilewriter.h"
#include "flowfile/flowtemplates.h"

namespace Sluice {

namespace {

    constexpr int LineRole = Qt::UserRole;
    constexpr int ColumnRole = Qt::UserRole + 1;
    constexpr int DiskCheckDelayMs = 100; // a burst of notifications of one save

} // namespace

FlowEditor::FlowEditor(QWidget *parent)
    : QWidget(parent)
    , m_editor(new CodeEditor(this))
    , m_highlighter(new YamlHighlighter(m_editor->document()))
    , m_problems(new QTreeWidget(this))
    , m_status(new QLabel(this))
    , m_pathLabel(new QLabel(this))
    , m_diskBar(new DiskChangeBar(this))
    , m_checkTimer(new QTimer(this))
    , m_diskTimer(new QTimer(this))
{
    // Focusing the pane (a new tab, a click on its tab) puts the keys in the text.
    setFocusProxy(m_editor);
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(16, 16));
    m_saveAction = toolbar->addAction(
        style()->standardIcon(QStyle::SP_DialogSaveButton), tr("Save"), this, [this] { save(); });
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_saveAction->setToolTip(
        tr("Save the file (%1)").arg(m_saveAction->shortcut().toString(QKeySequence::NativeText)));
    m_revertAction = toolbar->addAction(
        style()->standardIcon(QStyle::SP_BrowserReload), tr("Revert"), this, [this] { revert(); });
    m_revertAction->setToolTip(tr("Go back to the file on disk"));
    m_externalAction = toolbar->addAction(style()->standardIcon(QStyle::SP_DirOpenIcon),
        tr("Open in external editor"), this, [this] { openExternally(); });
    addAction(m_saveAction);
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_pathLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pathLabel->setContentsMargins(8, 0, 8, 0);
    toolbar->addWidget(m_pathLabel);

    m_problems->setColumnCount(2);
    m_problems->setHeaderLabels({ tr("Line:column"), tr("Problem") });
    m_problems->setRootIsDecorated(false);
    m_problems->setUniformRowHeights(true);
    m_problems->setAlternatingRowColors(true);
    m_problems->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_problems->header()->setStretchLastSection(true);
    m_problems->setAccessibleName(tr("Problems"));
    connect(m_problems, &QTreeWidget::itemActivated, this, &FlowEditor::onProblemActivated);
    connect(m_problems, &QTreeWidget::itemClicked, this, &FlowEditor::onProblemActivated);

    auto *problemsPane = new QWidget(this);
    auto *problemsLayout = new QVBoxLayout(problemsPane);
    problemsLayout->setContentsMargins(0, 0, 0, 0);
    problemsLayout->setSpacing(2);
    m_status->setContentsMargins(4, 2, 4, 2);
    problemsLayout->addWidget(m_status);
    problemsLayout->addWidget(m_problems);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_editor);
    splitter->addWidget(problemsPane);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({ 400, 120 });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolbar);
    layout->addWidget(m_diskBar);
    layout->addWidget(splitter, 1);

    m_checkTimer->setSingleShot(true);
    m_checkTimer->setInterval(DefaultCheckDelayMs);
    connect(m_checkTimer, &QTimer::timeout, this, &FlowEditor::checkNow);
    connect(m_editor->document(), &QTextDocument::contentsChanged, m_checkTimer,
        qOverload<>(&QTimer::start));
    connect(m_editor->document(), &QTextDocument::modificationChanged, this,
        &FlowEditor::onModificationChanged);

    m_diskTimer->setSingleShot(true);
    m_diskTimer->setInterval(DiskCheckDelayMs);
    connect(m_diskTimer, &QTimer::timeout, this, &FlowEditor::checkDisk);

    connect(m_diskBar, &DiskChangeBar::reloadRequested, this, &FlowEditor::reloadFromDisk);
    connect(m_diskBar, &DiskChangeBar::keepRequested, this, &FlowEditor::keepMine);
    connect(m_diskBar, &DiskChangeBar::compareRequested, this, &FlowEditor::compare);
    m_editor->installEventFilter(this);

    m_editor->setEnabled(false);
    m_saveAction->setEnabled(false);
    m_revertAction->setEnabled(false);
    m_externalAction->setEnabled(false);
    m_status->setText(tr("No file open"));
}

FlowEditor::~FlowEditor() = default;

void FlowEditor::setBuiltinNames(const QStringList &names)
{
    m_builtinNames = names;
    if (!m_path.isEmpty())
        checkNow();
}

void FlowEditor::setCheckDelay(int milliseconds)
{
    m_checkTimer->setInterval(milliseconds);
}

Result<QByteArray> FlowEditor::readDisk() const
{
    const QString shown = QDir::toNativeSeparators(m_path);
    const QFileInfo info(m_path);
    if (!info.exists())
        return Error{ tr("the file does not exist"), shown, ErrorCode::Permanent };
    if (!info.isFile())
        return Error{ tr("not a regular file"), shown, ErrorCode::Permanent };
    if (info.size() > FlowFileReader::MaximumFileSize) {
        return Error{
            tr("the file is larger than %1 KiB").arg(FlowFileReader::MaximumFileSize / 1024), shown,
            ErrorCode::Permanent
        };
    }
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{ tr("cannot read the file: %1").arg(file.errorString()), shown };
    return file.read(FlowFileReader::MaximumFileSize + 1);
}

Result<void> FlowEditor::openFile(const QString &path)
{
    const QString previous = m_path;
    m_path = QFileInfo(path).absoluteFilePath();
    Result<QByteArray> bytes = readDisk();
    if (!bytes) {
        m_path = previous;
        return bytes.error();
    }
    m_diskBytes = *bytes;
    m_diskMissing = false;
    m_diskBar->hide();
    m_editor->setEnabled(true);
    m_saveAction->setEnabled(true);
    m_revertAction->setEnabled(true);
    m_externalAction->setEnabled(true);
    m_pathLabel->setText(QDir::toNativeSeparators(m_path));
    m_pathLabel->setToolTip(QDir::toNativeSeparators(m_path));
    m_editor->setPlainText(QString::fromUtf8(m_diskBytes));
    m_editor->document()->setModified(false);
    m_editor->moveCursor(QTextCursor::Start);
    watchFile();
    checkNow();
    Q_EMIT titleChanged(title());
    return {};
}

Result<QString> FlowEditor::openNew(
    const QString &dataFolder, const QString &name, const QString &templateName)
{
    Result<QString> path = FlowTemplates::create(dataFolder, name, templateName, m_builtinNames);
    if (!path)
        return path;
    if (Result<void> opened = openFile(*path); !opened)
        return opened.error();
    return path;
}

void FlowEditor::goTo(int line, int column)
{
    m_editor->goTo(line, column);
    m_editor->setFocus(Qt::OtherFocusReason);
}

bool FlowEditor::isModified() const
{
    return m_editor->document()->isModified();
}

QString FlowEditor::title() const
{
    if (m_path.isEmpty())
        return {};
    return QFileInfo(m_path).fileName() + (isModified() ? QStringLiteral("*") : QString());
}

QString FlowEditor::statusText() const
{
    return m_status->text();
}

void FlowEditor::onModificationChanged(bool modified)
{
    Q_EMIT modificationChanged(modified);
    Q_EMIT titleChanged(title());
}

void FlowEditor::checkNow()
{
    m_checkTimer->stop();
    if (m_path.isEmpty())
        return;
    m_checked = FlowFileReader::check(
        m_editor->toPlainText().toUtf8(), m_path, m_builtinNames, QDir::toNativeSeparators(m_path));
    showDiagnostics();
    Q_EMIT checked(m_checked);
}

void FlowEditor::showDiagnostics()
{
    const QList<Diagnostic> &diagnostics = m_checked.diagnostics;
    m_editor->setDiagnostics(diagnostics);
    m_problems->clear();
    int errors = 0;
    int warnings = 0;
    QList<QTreeWidgetItem *> items;
    for (const Diagnostic &diagnostic : diagnostics) {
        (diagnostic.isError() ? errors : warnings)++;
        auto *item = new QTreeWidgetItem(
            { QStringLiteral("%1:%2").arg(diagnostic.line).arg(diagnostic.column),
                diagnostic.message });
        item->setIcon(0,
            style()->standardIcon(diagnostic.isError() ? QStyle::SP_MessageBoxCritical
                                                       : QStyle::SP_MessageBoxWarning));
        item->setData(0, LineRole, diagnostic.line);
        item->setData(0, ColumnRole, diagnostic.column);
        item->setToolTip(1, diagnostic.message);
        items << item;
    }
    m_problems->addTopLevelItems(items);
    if (errors == 0 && warnings == 0)
        m_status->setText(tr("No problems"));
    else if (warnings == 0)
        m_status->setText(tr("%n error(s)", nullptr, errors));
    else if (errors == 0)
        m_status->setText(tr("%n warning(s)", nullptr, warnings));
    else
        m_status->setText(tr("Errors: %1, warnings: %2").arg(errors).arg(warnings));
}

void FlowEditor::onProblemActivated(QTreeWidgetItem *item)
{
    if (item)
        goTo(item->data(0, LineRole).toInt(), item->data(0, ColumnRole).toInt());
}

bool FlowEditor::confirmSave(
    const QString &question, const QString &details, const QString &acceptText)
{
    QMessageBox box(
        QMessageBox::Warning, tr("Save flow file"), question, QMessageBox::NoButton, this);
    box.setInformativeText(details);
    QPushButton *accept = box.addButton(acceptText, QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == accept;
}

bool FlowEditor::save()
{
    if (m_path.isEmpty())
        return false;
    checkNow();
    int errors = 0;
    for (const Diagnostic &diagnostic : m_checked.diagnostics)
        errors += diagnostic.isError() ? 1 : 0;
    if (errors > 0
        && !confirmSave(tr("Save with %n problem(s)?", nullptr, errors),
            tr("The flow cannot run until they are fixed; it is listed with its first error."),
            tr("Save anyway")))
        return false;
    // The bar still asks about a change on disk: saving now replaces it.
    if (!m_diskBar->isHidden() && !m_diskMissing
        && !confirmSave(
            tr("%1 changed on disk. Replace it with your text?").arg(QFileInfo(m_path).fileName()),
            tr("Compare shows both versions."), tr("Replace")))
        return false;
    const QByteArray bytes = m_editor->toPlainText().toUtf8();
    // Known before the write, so that the watcher's notification of our own save finds
    // nothing new.
    const QByteArray previous = m_diskBytes;
    m_diskBytes = bytes;
    if (Result<void> written = FlowFileWriter::write(m_path, bytes); !written) {
        m_diskBytes = previous;
        QMessageBox::warning(this, tr("Save flow file"), written.error().what);
        return false;
    }
    m_diskMissing = false;
    m_diskBar->hide();
    m_editor->document()->setModified(false);
    watchFile();
    Q_EMIT saved(m_path);
    return true;
}

bool FlowEditor::revert()
{
    if (m_path.isEmpty())
        return false;
    if (isModified()) {
        const QMessageBox::StandardButton answer = QMessageBox::question(this, tr("Revert"),
            tr("Discard your changes and load %1 from disk again?")
                .arg(QFileInfo(m_path).fileName()),
            QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Discard)
            return false;
    }
    Result<QByteArray> bytes = readDisk();
    if (!bytes) {
        QMessageBox::warning(this, tr("Revert"), bytes.error().message());
        return false;
    }
    m_diskBytes = *bytes;
    m_diskMissing = false;
    loadText(m_diskBytes, true);
    m_diskBar->hide();
    return true;
}

bool FlowEditor::maybeClose()
{
    if (m_path.isEmpty() || !isModified())
        return true;
    const QMessageBox::StandardButton answer = QMessageBox::question(this, tr("Unsaved changes"),
        tr("%1 has unsaved changes. Save them?").arg(QFileInfo(m_path).fileName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void FlowEditor::openExternally()
{
    if (m_path.isEmpty())
        return;
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(m_path))) {
        QMessageBox box(QMessageBox::Information, tr("Open in external editor"),
            tr("No external editor could be opened. The file is at:\n%1")
                .arg(QDir::toNativeSeparators(m_path)),
            QMessageBox::Ok, this);
        box.setTextInteractionFlags(Qt::TextSelectableByMouse);
        box.exec();
    }
}

// --- the file on disk

void FlowEditor::watchFile()
{
    delete m_watcher;
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &FlowEditor::scheduleDiskCheck);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &FlowEditor::scheduleDiskCheck);
    if (QFileInfo::exists(m_path))
        m_watcher->addPath(m_path);
    // The folder too: an editor or our own save replaces the file by renaming, which ends the
    // watch of the old file; a deleted file may come back.
    m_watcher->addPath(QFileInfo(m_path).absolutePath());
    const QString target = FlowFileWriter::resolvedPath(m_path);
    if (target != m_path && QFileInfo::exists(target))
        m_watcher->addPath(target);
}

void FlowEditor::scheduleDiskCheck()
{
    m_diskTimer->start();
}

bool FlowEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::FocusIn && !m_path.isEmpty())
        checkDisk();
    return QWidget::eventFilter(watched, event);
}

void FlowEditor::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setPalette(palette());
}

void FlowEditor::checkDisk()
{
    if (m_path.isEmpty())
        return;
    // A replaced file is a new one to watch.
    if (m_watcher && QFileInfo::exists(m_path) && !m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
    if (!QFileInfo::exists(m_path)) {
        if (!m_diskMissing) {
            m_diskMissing = true;
            m_diskBar->showDeleted();
        }
        return;
    }
    Result<QByteArray> bytes = readDisk();
    if (!bytes)
        return; // unreadable for now: the next notification looks again
    const bool wasMissing = m_diskMissing;
    m_diskMissing = false;
    if (*bytes == m_diskBytes) {
        if (wasMissing)
            m_diskBar->hide();
        return; // our own save, or a touch
    }
    if (!isModified()) {
        m_diskBytes = *bytes;
        loadText(m_diskBytes, true);
        m_diskBar->hide();
        return;
    }
    m_diskBar->showChanged();
}

void FlowEditor::loadText(const QByteArray &bytes, bool keepCursor)
{
    const int line = m_editor->textCursor().blockNumber();
    const int column = m_editor->textCursor().positionInBlock();
    const int scroll = m_editor->verticalScrollBar()->value();
    m_editor->setPlainText(QString::fromUtf8(bytes));
    m_editor->document()->setModified(false);
    if (keepCursor) {
        const QTextBlock block = m_editor->document()->findBlockByNumber(
            qMin(line, m_editor->document()->blockCount() - 1));
        QTextCursor cursor(block);
        cursor.setPosition(block.position() + qMin(column, block.length() - 1));
        m_editor->setTextCursor(cursor);
        m_editor->verticalScrollBar()->setValue(scroll);
    }
    checkNow();
}

void FlowEditor::reloadFromDisk()
{
    Result<QByteArray> bytes = readDisk();
    if (!bytes) {
        QMessageBox::warning(this, tr("Reload"), bytes.error().message());
        return;
    }
    m_diskBytes = *bytes;
    loadText(m_diskBytes, true);
    m_diskBar->hide();
}

void FlowEditor::keepMine()
{
    // The disk's text is acknowledged: only a further change asks again. The buffer stays
    // modified, so Save writes it over the other version.
    if (Result<QByteArray> bytes = readDisk())
        m_diskBytes = *bytes;
    m_diskBar->hide();
}

void FlowEditor::compare()
{
    Result<QByteArray> bytes = readDisk();
    const QString onDisk = bytes ? QString::fromUtf8(*bytes) : bytes.error().message();
    auto *dialog =
        new CompareDialog(QFileInfo(m_path).fileName(), onDisk, m_editor->toPlainText(), this);
    dialog->show();
}

} // namespace Sluice
