#include "dialogs/exportdialog.h"

#include <algorithm>
#include <climits>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

#include "engine/displaytext.h"
#include "storage/csvexportjob.h"
#include "widgets/openfolder.h"
#include "windowsettings.h"

namespace Sluice {

namespace {
    constexpr auto LastFolderKey = "export/last-folder";
}

ExportDialog::ExportDialog(
    const QString &warehousePath, const CsvRequest &request, qint64 expectedRows, QWidget *parent)
    : QDialog(parent)
    , m_warehousePath(warehousePath)
    , m_request(request)
    , m_expectedRows(expectedRows)
    , m_path(new QLineEdit)
    , m_delimiter(new QComboBox)
    , m_header(new QCheckBox(tr("Write a header row")))
    , m_safe(new QCheckBox(tr("Safe for spreadsheets (text starting with = + - @ gets a ')")))
    , m_progress(new QProgressBar)
    , m_message(new QLabel)
    , m_note(new QLabel)
    , m_filterSummary(new QLabel)
    , m_exportButton(new QPushButton(tr("Export")))
    , m_cancelButton(new QPushButton(tr("Close")))
{
    setWindowTitle(tr("Export CSV"));
    m_path->setObjectName(QStringLiteral("exportPath"));
    m_delimiter->setObjectName(QStringLiteral("exportDelimiter"));
    m_header->setObjectName(QStringLiteral("exportHeader"));
    m_safe->setObjectName(QStringLiteral("exportSafe"));
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_message->setObjectName(QStringLiteral("exportMessage"));
    m_exportButton->setObjectName(QStringLiteral("exportStart"));
    m_cancelButton->setObjectName(QStringLiteral("exportCancel"));

    const bool query = !request.query.isEmpty(); // the SQL tab's result
    m_path->setText(
        QDir(defaultFolder())
            .filePath((query ? QStringLiteral("query") : request.table) + QStringLiteral(".csv")));
    m_note->setObjectName(QStringLiteral("exportNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    m_filterSummary->setObjectName(QStringLiteral("exportFilters"));
    m_filterSummary->setWordWrap(true);
    m_filterSummary->setTextFormat(Qt::PlainText);
    m_filterSummary->hide();
    m_delimiter->addItem(tr("Comma (,)"), QStringLiteral(","));
    m_delimiter->addItem(tr("Semicolon (;)"), QStringLiteral(";"));
    m_delimiter->addItem(tr("Tab"), QStringLiteral("\t"));
    m_delimiter->addItem(tr("Pipe (|)"), QStringLiteral("|"));
    m_header->setChecked(request.format.header);
    m_safe->setChecked(request.format.spreadsheetSafe);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_message->setWordWrap(true);

    auto *browse = new QPushButton(tr("Browse…"));
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(tr("File:"), pathRow);
    form->addRow(tr("Delimiter:"), m_delimiter);
    form->addRow(QString(), m_header);
    form->addRow(QString(), m_safe);
    const QString rows = expectedRows < 0
        ? tr("all matching rows")
        : tr("%1 row(s)", nullptr, int(std::min<qint64>(expectedRows, INT_MAX)))
              .arg(QLocale().toString(expectedRows));
    auto *what = new QLabel(query
            ? tr("The result of the SQL statement: %1.").arg(rows)
            : tr("Table %1, as filtered and sorted in the view: %2.").arg(request.table, rows));
    what->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_exportButton);
    buttons->addWidget(m_cancelButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(m_filterSummary);
    layout->addWidget(m_note);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    m_exportButton->setDefault(true);

    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::start);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        if (isRunning())
            cancel();
        else
            close();
    });
    resize(520, sizeHint().height());
}

ExportDialog::~ExportDialog()
{
    // The job removes its temporary file and deletes itself; its signals to us die with us.
    m_cancel.cancel();
}

QString ExportDialog::defaultFolder()
{
    const QString last = windowSettings().value(QLatin1String(LastFolderKey)).toString();
    if (!last.isEmpty() && QFileInfo(last).isDir())
        return last;
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (!documents.isEmpty() && QFileInfo(documents).isDir())
        return documents;
    return QDir::homePath();
}

void ExportDialog::setNote(const QString &note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

void ExportDialog::setFilterSummary(const QString &summary)
{
    m_filterSummary->setText(
        summary.isEmpty() ? QString() : tr("Only rows where: %1").arg(summary));
    m_filterSummary->setVisible(!summary.isEmpty());
}

void ExportDialog::setOutputPath(const QString &path)
{
    m_path->setText(path);
}

QString ExportDialog::outputPath() const
{
    return m_path->text().trimmed();
}

CsvRequest ExportDialog::request() const
{
    CsvRequest request = m_request;
    request.format.delimiter = m_delimiter->currentData().toString().at(0).toLatin1();
    request.format.header = m_header->isChecked();
    request.format.spreadsheetSafe = m_safe->isChecked();
    return request;
}

void ExportDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export CSV"), outputPath(), tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void ExportDialog::start()
{
    if (isRunning())
        return;
    const QString path = outputPath();
    if (path.isEmpty()) {
        m_message->setText(tr("Choose a file to export to."));
        return;
    }
    m_progress->setValue(0);
    m_message->setText(tr("Exporting…"));
    m_exportButton->setEnabled(false);
    m_cancelButton->setText(tr("Cancel"));
    auto *job = new CsvExportJob(m_warehousePath, request(), path);
    m_cancel = job->cancellationToken();
    connect(job, &CsvExportJob::progressed, this, &ExportDialog::setProgress);
    connect(job, &CsvExportJob::finished, this, &ExportDialog::finish);
    m_running = true;
    Q_EMIT exportStarted(job);
    job->start();
}

void ExportDialog::cancel()
{
    m_cancel.cancel();
    m_message->setText(tr("Cancelling…"));
}

void ExportDialog::reject()
{
    if (isRunning()) {
        cancel();
        return;
    }
    QDialog::reject();
}

void ExportDialog::setProgress(qint64 done, qint64 total)
{
    if (total < 0)
        total = m_expectedRows;
    if (total > 0)
        m_progress->setValue(int(std::min<qint64>(1000, done * 1000 / total)));
    m_message->setText(tr("%1 row(s) written", nullptr, int(std::min<qint64>(done, INT_MAX)))
                           .arg(QLocale().toString(done)));
}

void ExportDialog::finish(bool ok, qint64 rows, const QString &message, bool cancelled)
{
    m_running = false;
    m_cancel = CancellationToken();
    m_exportButton->setEnabled(true);
    m_cancelButton->setText(tr("Close"));
    if (!ok) {
        m_progress->setValue(0);
        m_message->setText(cancelled ? tr("Cancelled; no file was written.")
                                     : tr("Export failed: %1").arg(escapeControls(message)));
        Q_EMIT exportFailed(message);
        return;
    }
    m_progress->setValue(1000);
    const QString path = outputPath();
    const QFileInfo written(path);
    if (written.isFile()) // not a device or a FIFO: its folder is where the next one goes
        windowSettings().setValue(QLatin1String(LastFolderKey), written.absolutePath());
    const QString summary =
        tr("%1 row(s) written to %2", nullptr, int(std::min<qint64>(rows, INT_MAX)))
            .arg(QLocale().toString(rows), QDir::toNativeSeparators(path));
    m_message->setText(summary);
    Q_EMIT exported(rows, path);
    if (!m_confirmSuccess)
        return;
    auto *box = new QMessageBox(QMessageBox::Information, tr("Export finished"), summary,
        QMessageBox::Close, parentWidget());
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *open = box->addButton(tr("Open folder"), QMessageBox::ActionRole);
    const QString folder = QFileInfo(path).absolutePath();
    connect(open, &QPushButton::clicked, box,
        [folder, parent = parentWidget()] { openFolder(folder, parent); });
    box->open();
    accept();
}

} // namespace Sluice
