#pragma once

// Edits a flow's schedule: a cron expression (with presets) or an interval, its time zone and
// misfire policy. The expression is checked as it is typed, the parser's message shown under
// it and the next five fire times previewed; OK stays disabled while it is invalid.
// GUI thread.

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
    ScheduleDialog(const QString &flow, const Schedule &current, QWidget *parent = nullptr);

    // The schedule as edited; valid only while isValid().
    Schedule schedule() const { return m_schedule; }
    bool isValid() const { return m_schedule.isValid(); }
    QString message() const;
    QStringList previewTimes() const;

    QLineEdit *expressionEdit() const { return m_expression; }
    QComboBox *kindBox() const { return m_kind; }
    QComboBox *presetBox() const { return m_preset; }
    QComboBox *timeZoneBox() const { return m_zone; }
    QPushButton *okButton() const;

private:
    enum Preset { Custom, EveryMinute, Every5Minutes, Hourly, Daily, Weekly };
    void applyPreset();
    void validate();

    QComboBox *m_kind;
    QComboBox *m_preset;
    QTimeEdit *m_time;
    QComboBox *m_weekday;
    QLineEdit *m_expression;
    QComboBox *m_zone;
    QComboBox *m_misfire;
    QLabel *m_message;
    QListWidget *m_preview;
    QDialogButtonBox *m_buttons;
    Schedule m_schedule;
    bool m_paused = false;
};

} // namespace Sluice
