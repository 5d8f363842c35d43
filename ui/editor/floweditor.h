#pragma once

// The flow editor pane: a flow file's YAML in a CodeEditor with highlighting, checked on every
// pause in typing (FlowFileReader::check on the GUI thread: a 200-line, 50-step file takes
// about 0.6 ms, tests/bench/flowcheck_bench.cpp), problems underlined and listed
// below, Save (atomic; asks before saving a file with errors), Revert and "Open in external
// editor", and the file followed on disk: an outside change reloads an unmodified buffer and
// asks about a modified one, which is never lost. GUI thread.
//
// Use: setBuiltinNames() once, then openFile(path); for a new flow, FlowTemplates::create()
// (or openNew(), which does both). Call maybeClose() before replacing or closing the pane.
// Saving only writes the file: the flows folder's watcher (FlowFiles) reloads it like any
// outside edit.

#include <QByteArray>
#include <QStringList>
#include <QWidget>

#include "engine/result.h"
#include "flowfile/flowfilereader.h"

class QAction;
class QFileSystemWatcher;
class QLabel;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace Sluice {

class CodeEditor;
class DiskChangeBar;
class YamlHighlighter;

class FlowEditor : public QWidget
{
    Q_OBJECT

public:
    static constexpr int DefaultCheckDelayMs = 300; // after the last keystroke

    explicit FlowEditor(QWidget *parent = nullptr);
    ~FlowEditor() override;

    // The names of the built-in flows, which a flow file may not take; checks again.
    void setBuiltinNames(const QStringList &names);
    void setCheckDelay(int milliseconds);

    // Shows a flow file; replaces the buffer without asking (call maybeClose() first). Errors:
    // the file cannot be read, is not a regular file or is too large.
    Result<void> openFile(const QString &path);
    // Creates <dataFolder>/flows/NAME.yaml from a template (FlowTemplates::create, whose
    // errors it returns) and opens it; the new file's path.
    Result<QString> openNew(
        const QString &dataFolder, const QString &name, const QString &templateName);

    // Moves the cursor to line:column (1-based, the column in bytes as diagnostics count) and
    // focuses the editor.
    void goTo(int line, int column);

    QString path() const { return m_path; }
    bool isModified() const;
    // The file name, with "*" when modified.
    QString title() const;
    // The result of the last check.
    const CheckedFlowFile &lastCheck() const { return m_checked; }

    // Whether the pane may be closed: true when unmodified, or the user chose Save (and it
    // worked) or Discard; false on Cancel.
    bool maybeClose();
    // Saves the buffer; asks first when it has errors. Whether it was saved.
    bool save();
    // Back to the file on disk (asks when modified). Whether it was reloaded.
    bool revert();
    // Checks the buffer now (the pause timer does it after typing).
    void checkNow();
    // Opens the file in the desktop's editor; says so, with the path, when that fails.
    void openExternally();

    // For tests and the lead's layout.
    CodeEditor *editor() const { return m_editor; }
    QTreeWidget *problemsList() const { return m_problems; }
    DiskChangeBar *diskChangeBar() const { return m_diskBar; }
    QString statusText() const;

Q_SIGNALS:
    // After every check, with the buffer's text as source.
    void checked(const Sluice::CheckedFlowFile &file);
    void saved(const QString &path);
    void modificationChanged(bool modified);
    void titleChanged(const QString &title);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Asks a warning question before a save: acceptText or Cancel (the default).
    bool confirmSave(const QString &question, const QString &details, const QString &acceptText);
    void showDiagnostics();
    void onProblemActivated(QTreeWidgetItem *item);
    void onModificationChanged(bool modified);
    void scheduleDiskCheck();
    void checkDisk();
    void watchFile();
    void loadText(const QByteArray &bytes, bool keepCursor);
    void reloadFromDisk();
    void keepMine();
    void compare();
    Result<QByteArray> readDisk() const;

    QString m_path;
    QStringList m_builtinNames;
    QByteArray m_diskBytes; // what the file held when last read or saved: outside changes differ
    bool m_diskMissing = false;
    CheckedFlowFile m_checked;

    CodeEditor *m_editor;
    YamlHighlighter *m_highlighter;
    QTreeWidget *m_problems;
    QLabel *m_status;
    QLabel *m_pathLabel;
    DiskChangeBar *m_diskBar;
    QAction *m_saveAction;
    QAction *m_revertAction;
    QAction *m_externalAction;
    QTimer *m_checkTimer;
    QTimer *m_diskTimer;
    QFileSystemWatcher *m_watcher = nullptr;
};

} // namespace Sluice
