#include "dialogs/backfilldialog.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "engine/displaytext.h"
#include "engine/engine.h"
#include "models/runhistory.h"
#include "models/statestyle.h"

namespace Sluice {

namespace {
    QDateTimeEdit *makeTimeEdit(const QString &name)
    {
        auto *edit = new QDateTimeEdit;
        edit->setObjectName(name);
        edit->setTimeSpec(Qt::UTC);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setCalendarPopup(true);
        return edit;
    }

    QString localText(const QDateTime &time)
    {
        return QLocale().toString(time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm t"));
    }
} // namespace

BackfillDialog::BackfillDialog(Engine &engine, RunHistory *history, const QString &flow,
    const Schedule &schedule, QWidget *parent)
    : QDialog(parent)
    , m_engine(engine)
    , m_history(history)
    , m_flow(flow)
    , m_schedule(schedule)
    , m_from(makeTimeEdit(QStringLiteral("backfillFrom")))
    , m_to(makeTimeEdit(QStringLiteral("backfillTo")))
    , m_fromLocal(new QLabel)
    , m_toLocal(new QLabel)
    , m_parallel(new QSpinBox)
    , m_count(new QLabel)
    , m_error(new QLabel)
    , m_preview(new QTreeWidget)
    , m_progress(new QProgressBar)
    , m_summary(new QLabel)
{
    setObjectName(QStringLiteral("backfillDialog"));
    setWindowTitle(tr("Backfill %1").arg(flow));
    resize(620, 560);

    // Default range: yesterday, UTC.
    const QDate today = QDateTime::currentDateTimeUtc().date();
    m_from->setDateTime(QDateTime(today.addDays(-1), QTime(0, 0), Qt::UTC));
    m_to->setDateTime(QDateTime(today, QTime(0, 0), Qt::UTC));
    m_fromLocal->setEnabled(false);
    m_toLocal->setEnabled(false);
    m_parallel->setObjectName(QStringLiteral("backfillParallel"));
    m_parallel->setRange(1, BackfillPlan::MaximumParallel);
    m_parallel->setToolTip(tr("How many runs of the backfill run at once"));

    auto *fromRow = new QHBoxLayout;
    fromRow->addWidget(m_from);
    fromRow->addWidget(new QLabel(tr("UTC")));
    fromRow->addWidget(m_fromLocal, 1);
    auto *toRow = new QHBoxLayout;
    toRow->addWidget(m_to);
    toRow->addWidget(new QLabel(tr("UTC")));
    toRow->addWidget(m_toLocal, 1);
    auto *parallelRow = new QHBoxLayout;
    parallelRow->addWidget(m_parallel);
    parallelRow->addStretch(1);
    const auto label = [](const QString &text, QWidget *buddy) {
        auto *label = new QLabel(text);
        label->setBuddy(buddy);
        return label;
    };
    auto *form = new QFormLayout;
    form->addRow(tr("Schedule:"),
        new QLabel(m_schedule.isValid() ? escapeControls(m_schedule.describe()) : tr("none")));
    form->addRow(label(tr("&From:"), m_from), fromRow);
    form->addRow(label(tr("&To (not included):"), m_to), toRow);
    form->addRow(label(tr("&Parallel runs:"), m_parallel), parallelRow);

    m_error->setObjectName(QStringLiteral("backfillError"));
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->hide();
    m_count->setObjectName(QStringLiteral("backfillCount"));

    m_preview->setObjectName(QStringLiteral("backfillPreview"));
    m_preview->setRootIsDecorated(false);
    m_preview->setUniformRowHeights(true);
    m_preview->setHeaderLabels({ tr("Fire time (UTC)"), tr("Local time"), tr("State") });
    m_preview->header()->resizeSection(Time, 170);
    m_preview->header()->resizeSection(Local, 170);

    m_progress->setObjectName(QStringLiteral("backfillProgress"));
    m_progress->setFormat(tr("%v of %m runs ended"));
    m_progress->hide();
    m_summary->setObjectName(QStringLiteral("backfillSummary"));
    m_summary->setWordWrap(true);
    m_summary->hide();

    auto *buttons = new QDialogButtonBox;
    m_start = buttons->addButton(tr("&Start"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(QStringLiteral("backfillStart"));
    m_cancel = buttons->addButton(tr("Cancel &backfill"), QDialogButtonBox::ActionRole);
    m_cancel->setObjectName(QStringLiteral("backfillCancel"));
    m_cancel->setToolTip(tr("Start nothing more and cancel the runs in progress"));
    m_close = buttons->addButton(QDialogButtonBox::Close);
    connect(m_start, &QPushButton::clicked, this, &BackfillDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, &BackfillDialog::cancelBackfill);
    connect(m_close, &QPushButton::clicked, this, &BackfillDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_count);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);

    const auto rangeChanged = [this] {
        m_showingResult = false;
        updatePreview();
    };
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, rangeChanged);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, rangeChanged);
    if (m_history) {
        connect(m_history, &RunHistory::runsLoaded, this,
            [this](quint64 token, const QList<FlowRunRecord> &runs) {
                if (token != m_completedToken)
                    return;
                m_completed = BackfillPlan::completedTimes(runs);
                m_completedLoaded = true;
                // After a backfill the preview keeps its states until the range or Start
                // asks for a new plan.
                if (m_showingResult)
                    updateButtons();
                else
                    updatePreview();
            });
        connect(m_history, &RunHistory::failed, this, [this](quint64 token, const QString &m) {
            if (token != m_completedToken)
                return;
            // Without the history nothing is known completed: the preview says so.
            m_completed.clear();
            m_completedLoaded = true;
            updatePreview();
            showError(tr("Could not read the completed runs: %1").arg(m));
        });
    }
    requestCompleted();
}

void BackfillDialog::setRange(const QDateTime &from, const QDateTime &to)
{
    m_from->setDateTime(from.toUTC());
    m_to->setDateTime(to.toUTC());
}

void BackfillDialog::setParallel(int runs)
{
    m_parallel->setValue(runs);
}

QString BackfillDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString BackfillDialog::summaryText() const
{
    return m_summary->isHidden() ? QString() : m_summary->text();
}

void BackfillDialog::requestCompleted()
{
    m_completedLoaded = !m_history;
    if (m_history)
        m_completedToken = m_history->requestRuns(BackfillPlan::completedQuery(m_flow));
    if (m_showingResult)
        updateButtons();
    else
        updatePreview();
}

void BackfillDialog::showError(const QString &message)
{
    m_error->setText(escapeControls(message));
    m_error->setVisible(!message.isEmpty());
}

void BackfillDialog::updatePreview()
{
    updateLocalTimes();
    if (isRunning())
        return;
    m_preview->clear();
    m_planValid = false;
    m_plan = BackfillPlan();
    if (!m_schedule.isValid()) {
        showError(tr("%1 has no schedule to take fire times from; set one with Edit schedule.")
                      .arg(m_flow));
        m_count->clear();
        updateButtons();
        return;
    }
    Result<BackfillPlan> plan =
        BackfillPlan::make(m_schedule, m_from->dateTime(), m_to->dateTime(), m_completed);
    if (!plan) {
        showError(m_to->dateTime() <= m_from->dateTime() ? tr("To must be later than From.")
                                                         : plan.error().message());
        m_count->clear();
        updateButtons();
        return;
    }
    showError({});
    m_plan = std::move(*plan);
    m_planValid = true;
    QList<QTreeWidgetItem *> items;
    items.reserve(m_plan.fires().size());
    const QBrush grey = palette().brush(QPalette::Disabled, QPalette::Text);
    for (const BackfillFire &fire : m_plan.fires()) {
        auto *item = new QTreeWidgetItem;
        item->setText(Time, fire.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        item->setText(Local, localText(fire.time));
        if (fire.completedBefore) {
            item->setText(State, tr("completed before: skipped"));
            for (int column = Time; column <= State; ++column)
                item->setForeground(column, grey);
        } else {
            item->setText(State, tr("to run"));
        }
        items << item;
    }
    m_preview->addTopLevelItems(items);
    const int total = int(m_plan.fires().size());
    const int toRun = total - m_plan.skipped();
    m_count->setText(!m_completedLoaded
            ? tr("%n fire time(s); reading the completed runs…", nullptr, total)
            : tr("%n fire time(s): %1 to run, %2 completed before", nullptr, total)
                  .arg(toRun)
                  .arg(m_plan.skipped()));
    updateButtons();
}

void BackfillDialog::updateLocalTimes()
{
    m_fromLocal->setText(tr("local %1").arg(localText(m_from->dateTime())));
    m_toLocal->setText(tr("local %1").arg(localText(m_to->dateTime())));
}

void BackfillDialog::updateButtons()
{
    const bool running = isRunning();
    m_start->setEnabled(!running && m_planValid && m_completedLoaded
        && (m_showingResult || m_plan.skipped() < m_plan.fires().size()));
    m_cancel->setVisible(running);
    m_from->setEnabled(!running);
    m_to->setEnabled(!running);
    m_parallel->setEnabled(!running);
}

void BackfillDialog::start()
{
    if (isRunning() || !m_completedLoaded)
        return;
    if (m_showingResult) {
        // Again: what completed meanwhile is skipped now.
        m_showingResult = false;
        updatePreview();
    }
    if (!m_planValid)
        return;
    const QList<BackfillFire> todo = m_plan.toRun();
    if (todo.isEmpty())
        return;
    m_runRows.clear();
    for (int row = 0; row < m_plan.fires().size(); ++row) {
        if (!m_plan.fires().at(row).completedBefore) {
            m_runRows << row;
            m_preview->topLevelItem(row)->setText(State, tr("waiting"));
        }
    }
    delete m_runner;
    m_runner = new BackfillRunner(m_engine, m_flow, todo, m_parallel->value(), this);
    connect(m_runner, &BackfillRunner::runStarted, this, &BackfillDialog::onRunStarted);
    connect(m_runner, &BackfillRunner::runEnded, this, &BackfillDialog::onRunEnded);
    connect(m_runner, &BackfillRunner::startRefused, this, [this](int index, const Error &error) {
        if (QTreeWidgetItem *item = itemOfRun(index))
            item->setText(State, tr("not started"));
        showError(error.message());
    });
    connect(m_runner, &BackfillRunner::finished, this, &BackfillDialog::onFinished);
    m_progress->setRange(0, int(todo.size()));
    m_progress->setValue(0);
    m_progress->show();
    m_summary->hide();
    m_runner->start();
    updateButtons();
}

void BackfillDialog::cancelBackfill()
{
    if (!isRunning())
        return;
    m_runner->cancel(tr("backfill cancelled from the window"));
    m_cancel->setEnabled(false);
}

void BackfillDialog::reject()
{
    if (isRunning()) {
        const auto answer = QMessageBox::question(this, tr("Backfill running"),
            tr("The backfill of %1 is still running. Cancel its runs and close?").arg(m_flow),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return;
        m_runner->cancel(tr("backfill cancelled from the window"));
    }
    QDialog::reject();
}

QTreeWidgetItem *BackfillDialog::itemOfRun(int index) const
{
    if (index < 0 || index >= m_runRows.size())
        return nullptr;
    return m_preview->topLevelItem(m_runRows.at(index));
}

void BackfillDialog::onRunStarted(int index, qint64 runId)
{
    if (QTreeWidgetItem *item = itemOfRun(index))
        item->setText(State, tr("run %1: running").arg(runId));
    Q_EMIT runStarted(runId);
}

void BackfillDialog::onRunEnded(const BackfillRunner::RunEnd &end)
{
    if (QTreeWidgetItem *item = itemOfRun(end.index)) {
        if (end.started) {
            item->setText(State, tr("run %1: %2").arg(end.runId).arg(stateText(end.state)));
            item->setForeground(State, StateStyle::color(end.state));
        } else {
            item->setText(State, tr("not started"));
        }
        if (!end.message.isEmpty())
            item->setToolTip(State, escapeControls(end.message));
        m_preview->scrollToItem(item);
    }
    m_progress->setValue(end.finished);
}

void BackfillDialog::onFinished(const BackfillRunner::Summary &summary)
{
    m_summary->setText(tr("%1 completed, %2 did not, %3 not run, %4 skipped.")
                           .arg(summary.completed)
                           .arg(summary.failed)
                           .arg(summary.notRun)
                           .arg(m_plan.skipped())
        + (summary.cancelled ? QLatin1Char(' ') + tr("The backfill was cancelled.") : QString()));
    m_summary->show();
    m_cancel->setEnabled(true);
    m_showingResult = true;
    // Another Start takes up what did not complete, once the completed runs are read again.
    requestCompleted();
    Q_EMIT backfillFinished(summary);
}

} // namespace Sluice
