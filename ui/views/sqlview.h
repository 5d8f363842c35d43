#pragma once

// The SQL tab of the Data area: an editor with SQL highlighting, Ctrl+Enter (or Run) runs the
// statement under the cursor or the selection on a read-only connection, the result spooled
// and shown while it is read (QueryResultModel, any size), Cancel (or Esc) interrupts it, an error
// is underlined where SQLite saw it, the last 50 statements are kept in the window settings, and
// "Export results…" exports the statement through the CSV exporter. GUI thread; the statement runs
// on the model's "sluice-sql-reader" thread.

#include <QElapsedTimer>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace Sluice {

class CodeEditor;
class ColumnWidths;
class QueryResultModel;
class WindowedTableView;
struct QueryFailure;

class SqlView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int HistorySize = 50;

    explicit SqlView(QWidget *parent = nullptr);

    void setWarehousePath(const QString &path);
    QString warehousePath() const { return m_path; }

    CodeEditor *editor() const { return m_editor; }
    QueryResultModel *model() const { return m_model; }
    WindowedTableView *resultView() const { return m_view; }
    // Newest first.
    QStringList history() const { return m_history; }
    bool isRunning() const { return m_running; }

    // The statement of text at position (characters), between the semicolons around it and
    // without the blanks around it: its first character and its length (0 when there is none).
    // Semicolons in strings, quoted names and comments do not count.
    static QPair<int, int> statementAt(const QString &text, int position);

public Q_SLOTS:
    // Runs the selection, or else the statement under the cursor.
    void run();
    void cancel();
    // Opens the export dialog for the statement that gave the result shown.
    void exportResults();

Q_SIGNALS:
    void exportDialogOpened(QWidget *dialog);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onFailed(const Sluice::QueryFailure &failure);
    void finish();
    void updateStatus();
    void remember(const QString &statement);
    void showHistory(int index);
    void loadHistory();
    void fillHistoryBox();

    QString m_path;
    QueryResultModel *m_model;
    CodeEditor *m_editor;
    QComboBox *m_historyBox;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QPushButton *m_export;
    QLabel *m_error;
    WindowedTableView *m_view;
    QLabel *m_status;
    ColumnWidths *m_widths;
    QStringList m_history;
    int m_historyIndex = -1; // where Ctrl+Up/Down are in the history; -1: the editor's own text
    QString m_draft; // the editor's text before Ctrl+Up first left it
    bool m_running = false;
    int m_runStart = 0; // where the running statement starts in the editor
    QString m_ran; // the statement whose rows are shown
    QElapsedTimer m_clock;
    qint64 m_firstRowsMs = -1;
    qint64 m_doneMs = -1;
    QString m_outcome; // "Cancelled", "Refused", "Failed", or empty
    bool m_cancelled = false;
};

} // namespace Sluice
