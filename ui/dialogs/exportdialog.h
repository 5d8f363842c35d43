#pragma once

// "Export CSV…": the exporter's options for what a Data view shows, then the export itself as a
// CsvExportJob with a progress bar and Cancel, so that the window stays usable. Closing the
// dialog mid-export cancels the job and does not wait for it. GUI thread.

#include <QDialog>

#include "engine/cancellationtoken.h"
#include "storage/csvexporter.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace Sluice {

class CsvExportJob;

class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    // expectedRows: what the view counted, for the progress bar (-1 when unknown).
    ExportDialog(const QString &warehousePath, const CsvRequest &request, qint64 expectedRows,
        QWidget *parent = nullptr);
    ~ExportDialog() override;

    // Where a new export goes: the folder of the last successful one, else Documents, else
    // home (a Documents folder that does not exist is not created uninvited).
    static QString defaultFolder();

    // A remark shown over the options (e.g. why the whole view is exported).
    void setNote(const QString &note);
    // The view's filters as the user typed them ("price >100; start_timestamp 2024-01"), shown
    // so that it is plain which rows are exported; empty: no filter.
    void setFilterSummary(const QString &summary);
    void setOutputPath(const QString &path);
    QString outputPath() const;
    CsvRequest request() const; // with the options chosen in the dialog
    bool isRunning() const { return m_running; }
    // Whether a success shows the "Open folder" message (tests turn it off).
    void setConfirmSuccess(bool confirm) { m_confirmSuccess = confirm; }

public Q_SLOTS:
    void start();
    void cancel();

Q_SIGNALS:
    // Before the job starts, for watchers (tests); the job deletes itself when it ends.
    void exportStarted(Sluice::CsvExportJob *job);
    void exported(qint64 rows, const QString &path);
    void exportFailed(const QString &message);

protected:
    void reject() override;

private:
    void browse();
    void setProgress(qint64 done, qint64 total);
    void finish(bool ok, qint64 rows, const QString &message, bool cancelled);

    QString m_warehousePath;
    CsvRequest m_request;
    qint64 m_expectedRows;
    QLineEdit *m_path;
    QComboBox *m_delimiter;
    QCheckBox *m_header;
    QCheckBox *m_safe;
    QProgressBar *m_progress;
    QLabel *m_message;
    QLabel *m_note;
    QLabel *m_filterSummary;
    QPushButton *m_exportButton;
    QPushButton *m_cancelButton;
    bool m_running = false;
    CancellationToken m_cancel; // of the running export
    bool m_confirmSuccess = true;
};

} // namespace Sluice
