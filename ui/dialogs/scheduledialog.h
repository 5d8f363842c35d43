#pragma once

// Edits a flow's schedule: a cron expression (with presets, recognised in what is typed) or an
// interval, its time zone and misfire policy. The expression is checked as it is typed, the
// parser's message shown under it (a time zone's under the zone) and the next five fire times
// previewed in local time and UTC; OK stays disabled while it is invalid. "Remove schedule"
// ends the dialog with Removed. Each kind keeps what was typed for it. GUI thread.

#include <QDialog>

#include "schedule/schedule.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTimeEdit;

namespace Sluice {

class ScheduleDialog : public QDialog
{
    Q_OBJECT

public:
    // exec()'s result when the user asked to remove the schedule.
    static constexpr int Removed = 2;

    ScheduleDialog(const QString &flow, const Schedule &current, QWidget *parent = nullptr);

    // The schedule as edited; valid only while isValid().
    Schedule schedule() const { return m_schedule; }
    bool isValid() const { return m_schedule.isValid(); }
    QString message() const;
    // The time zone's error, empty when the zone is known.
    QString zoneMessage() const;
    // The previewed fire times, ISO 8601 with their offset (the list shows them readably).
    QStringList previewTimes() const;

    QLineEdit *expressionEdit() const { return m_expression; }
    QComboBox *kindBox() const { return m_kind; }
    QComboBox *presetBox() const { return m_preset; }
    QComboBox *timeZoneBox() const { return m_zone; }
    QPushButton *okButton() const;
    QPushButton *removeButton() const { return m_remove; }

private:
    enum Preset { Custom, EveryMinute, Every5Minutes, Hourly, Daily, Weekly };
    void applyPreset();
    void recognisePreset();
    void validate();

    QComboBox *m_kind;
    QComboBox *m_preset;
    QTimeEdit *m_time;
    QComboBox *m_weekday;
    QLineEdit *m_expression;
    QComboBox *m_zone;
    QComboBox *m_misfire;
    QLabel *m_message;
    QLabel *m_zoneMessage;
    QPushButton *m_remove = nullptr;
    QString m_typed[2]; // the text of each kind, kept while the other is shown
    int m_shownKind = 0;
    QListWidget *m_preview;
    QDialogButtonBox *m_buttons;
    Schedule m_schedule;
    bool m_paused = false;
};

} // namespace Sluice
