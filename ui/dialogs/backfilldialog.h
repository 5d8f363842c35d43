#pragma once

// The backfill of a flow from the window: a range (From, To, in UTC with the local time
// beside), how many runs at once, and a live preview of the fire times of the schedule in
// force in that range, those that already have a Completed run greyed and skipped. Start runs
// the rest through a BackfillRunner, showing each fire's state and the progress; Cancel
// cancels the runs in progress. The completed runs are read off the GUI thread (RunHistory).
// GUI thread.

#include <QDateTime>
#include <QDialog>
#include <QList>
#include <QSet>

#include "engine/backfillrunner.h"
#include "engine/runrecords.h"
#include "schedule/backfillplan.h"
#include "schedule/schedule.h"

class QDateTimeEdit;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTreeWidget;
class QTreeWidgetItem;

namespace Sluice {

class Engine;
class RunHistory;

class BackfillDialog : public QDialog
{
    Q_OBJECT

public:
    enum Column { Time, Local, State };

    // engine must outlive the dialog; history may be null (no fire is skipped then); an
    // invalid schedule: the flow has none, which the dialog says.
    BackfillDialog(Engine &engine, RunHistory *history, const QString &flow,
        const Schedule &schedule, QWidget *parent = nullptr);

    void setRange(const QDateTime &from, const QDateTime &to);
    void setParallel(int runs);

    bool isRunning() const { return m_runner && m_runner->isRunning(); }
    // Whether the completed runs have been read and the preview is up to date.
    bool isReady() const { return m_completedLoaded; }
    // The plan of the preview; empty while it is in error.
    const QList<BackfillFire> &fires() const { return m_plan.fires(); }
    QString errorText() const;
    QString summaryText() const;

    QDateTimeEdit *fromEdit() const { return m_from; }
    QDateTimeEdit *toEdit() const { return m_to; }
    QSpinBox *parallelBox() const { return m_parallel; }
    QTreeWidget *previewList() const { return m_preview; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *cancelButton() const { return m_cancel; }

public Q_SLOTS:
    void start();
    void cancelBackfill();
    void reject() override;

Q_SIGNALS:
    void runStarted(qint64 runId);
    void backfillFinished(const Sluice::BackfillRunner::Summary &summary);

private:
    void requestCompleted();
    void updatePreview();
    void updateLocalTimes();
    void updateButtons();
    void showError(const QString &message);
    void onRunStarted(int index, qint64 runId);
    void onRunEnded(const BackfillRunner::RunEnd &end);
    void onFinished(const BackfillRunner::Summary &summary);
    QTreeWidgetItem *itemOfRun(int index) const;

    Engine &m_engine;
    RunHistory *m_history;
    QString m_flow;
    Schedule m_schedule;

    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QLabel *m_fromLocal;
    QLabel *m_toLocal;
    QSpinBox *m_parallel;
    QLabel *m_count;
    QLabel *m_error;
    QTreeWidget *m_preview;
    QProgressBar *m_progress;
    QLabel *m_summary;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QPushButton *m_close;

    quint64 m_completedToken = 0;
    bool m_completedLoaded = false;
    QSet<qint64> m_completed;
    BackfillPlan m_plan;
    bool m_planValid = false;
    bool m_showingResult = false; // the preview shows how the last backfill went
    QList<int> m_runRows; // preview row of each fire the runner runs
    BackfillRunner *m_runner = nullptr;
};

} // namespace Sluice
