#include "dialogs/scheduledialog.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QTimeEdit>
#include <QTimeZone>
#include <QVBoxLayout>

namespace Sluice {

namespace {
    enum Kind { CronKind, IntervalKind };
}

ScheduleDialog::ScheduleDialog(const QString &flow, const Schedule &current, QWidget *parent)
    : QDialog(parent)
    , m_kind(new QComboBox)
    , m_preset(new QComboBox)
    , m_time(new QTimeEdit(QTime(0, 1)))
    , m_weekday(new QComboBox)
    , m_expression(new QLineEdit)
    , m_zone(new QComboBox)
    , m_misfire(new QComboBox)
    , m_message(new QLabel)
    , m_preview(new QListWidget)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
    , m_paused(current.isPaused())
{
    setObjectName(QStringLiteral("scheduleDialog"));
    setWindowTitle(tr("Schedule of %1").arg(flow));

    m_kind->setObjectName(QStringLiteral("kind"));
    m_kind->addItem(tr("Cron expression"), CronKind);
    m_kind->addItem(tr("Fixed interval"), IntervalKind);

    m_preset->setObjectName(QStringLiteral("preset"));
    m_preset->addItem(tr("Custom"), Custom);
    m_preset->addItem(tr("Every minute"), EveryMinute);
    m_preset->addItem(tr("Every 5 minutes"), Every5Minutes);
    m_preset->addItem(tr("Hourly"), Hourly);
    m_preset->addItem(tr("Daily at…"), Daily);
    m_preset->addItem(tr("Weekly on…"), Weekly);
    m_time->setObjectName(QStringLiteral("time"));
    m_time->setDisplayFormat(QStringLiteral("HH:mm"));
    m_weekday->setObjectName(QStringLiteral("weekday"));
    const QLocale locale;
    for (int day = 1; day <= 7; ++day) // Qt: 1 = Monday; cron: 0 = Sunday
        m_weekday->addItem(locale.dayName(day), day % 7);

    m_expression->setObjectName(QStringLiteral("expression"));
    m_expression->setMinimumWidth(fontMetrics().averageCharWidth() * 32);

    m_zone->setObjectName(QStringLiteral("timeZone"));
    m_zone->setEditable(true);
    m_zone->setInsertPolicy(QComboBox::NoInsert);
    m_zone->addItem(QStringLiteral("UTC"));
    const QByteArray systemZone = QTimeZone::systemTimeZoneId();
    if (!systemZone.isEmpty() && systemZone != "UTC")
        m_zone->addItem(QString::fromUtf8(systemZone));
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds()) {
        if (id != "UTC" && id != systemZone)
            m_zone->addItem(QString::fromUtf8(id));
    }
    m_zone->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_zone->completer()->setFilterMode(Qt::MatchContains);
    m_zone->completer()->setCaseSensitivity(Qt::CaseInsensitive);

    m_misfire->setObjectName(QStringLiteral("misfire"));
    m_misfire->addItem(
        tr("Run the latest missed time once"), int(Schedule::MisfirePolicy::RunOnce));
    m_misfire->addItem(tr("Skip missed times"), int(Schedule::MisfirePolicy::Skip));
    m_misfire->addItem(tr("Catch up every missed time"), int(Schedule::MisfirePolicy::CatchUp));

    m_message->setObjectName(QStringLiteral("scheduleMessage"));
    m_message->setWordWrap(true);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setMaximumHeight(fontMetrics().height() * 7);
    m_preview->setFocusPolicy(Qt::NoFocus);

    // The current schedule.
    if (current.isValid()) {
        m_kind->setCurrentIndex(current.kind() == Schedule::Kind::Interval ? 1 : 0);
        m_expression->setText(current.expressionText());
        const QString zone = current.timeZoneId();
        m_zone->setCurrentText(zone.isEmpty() ? QStringLiteral("UTC") : zone);
        m_misfire->setCurrentIndex(m_misfire->findData(int(current.misfirePolicy())));
    } else {
        m_expression->setText(QStringLiteral("*/5 * * * *"));
    }

    auto *presetRow = new QHBoxLayout;
    presetRow->addWidget(m_preset, 1);
    presetRow->addWidget(m_weekday);
    presetRow->addWidget(m_time);

    auto *form = new QFormLayout;
    form->addRow(tr("Kind:"), m_kind);
    form->addRow(tr("Preset:"), presetRow);
    form->addRow(tr("Expression:"), m_expression);
    form->addRow(QString(), m_message);
    form->addRow(tr("Time zone:"), m_zone);
    form->addRow(tr("Missed runs:"), m_misfire);
    form->addRow(tr("Next runs:"), m_preview);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_preset, &QComboBox::activated, this, &ScheduleDialog::applyPreset);
    connect(m_time, &QTimeEdit::timeChanged, this, &ScheduleDialog::applyPreset);
    connect(m_weekday, &QComboBox::activated, this, &ScheduleDialog::applyPreset);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        m_expression->setText(m_kind->currentData().toInt() == IntervalKind
                ? QStringLiteral("5m")
                : QStringLiteral("*/5 * * * *"));
        m_preset->setCurrentIndex(0);
        validate();
    });
    connect(m_expression, &QLineEdit::textEdited, this, [this] { m_preset->setCurrentIndex(0); });
    connect(m_expression, &QLineEdit::textChanged, this, &ScheduleDialog::validate);
    connect(m_zone, &QComboBox::currentTextChanged, this, &ScheduleDialog::validate);
    connect(m_misfire, &QComboBox::currentIndexChanged, this, &ScheduleDialog::validate);
    validate();
    resize(560, 440);
}

QPushButton *ScheduleDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QString ScheduleDialog::message() const
{
    return m_message->text();
}

QStringList ScheduleDialog::previewTimes() const
{
    QStringList times;
    for (int i = 0; i < m_preview->count(); ++i)
        times << m_preview->item(i)->text();
    return times;
}

void ScheduleDialog::applyPreset()
{
    const int preset = m_preset->currentData().toInt();
    const QTime time = m_time->time();
    QString text;
    switch (preset) {
    case EveryMinute:
        text = QStringLiteral("* * * * *");
        break;
    case Every5Minutes:
        text = QStringLiteral("*/5 * * * *");
        break;
    case Hourly:
        text = QStringLiteral("0 * * * *");
        break;
    case Daily:
        text = QStringLiteral("%1 %2 * * *").arg(time.minute()).arg(time.hour());
        break;
    case Weekly:
        text = QStringLiteral("%1 %2 * * %3")
                   .arg(time.minute())
                   .arg(time.hour())
                   .arg(m_weekday->currentData().toInt());
        break;
    default:
        validate();
        return;
    }
    if (m_kind->currentData().toInt() != CronKind) {
        const QSignalBlocker blocker(m_kind);
        m_kind->setCurrentIndex(0);
    }
    m_expression->setText(text);
    validate(); // the preset's own fields show even when the text stays the same
}

void ScheduleDialog::validate()
{
    const int preset = m_preset->currentData().toInt();
    m_time->setVisible(preset == Daily || preset == Weekly);
    m_weekday->setVisible(preset == Weekly);
    m_preset->setEnabled(m_kind->currentData().toInt() == CronKind);

    QString zone = m_zone->currentText().trimmed();
    if (zone == QLatin1String("UTC"))
        zone.clear();
    const QString text = m_expression->text().trimmed();
    Result<Schedule> parsed = m_kind->currentData().toInt() == IntervalKind
        ? Schedule::fromInterval(text, {}, zone)
        : Schedule::fromCron(text, zone);
    m_preview->clear();
    if (!parsed) {
        m_schedule = Schedule();
        m_message->setText(parsed.error().message());
        m_message->setStyleSheet(QStringLiteral("color: #b3261e;"));
        m_expression->setStyleSheet(QStringLiteral("border: 1px solid #b3261e;"));
        okButton()->setEnabled(false);
        return;
    }
    m_schedule = *parsed;
    m_schedule.setMisfirePolicy(Schedule::MisfirePolicy(m_misfire->currentData().toInt()));
    m_schedule.setPaused(m_paused);
    m_message->setText(m_schedule.describe());
    m_message->setStyleSheet(QString());
    m_expression->setStyleSheet(QString());
    const Result<QList<QDateTime>> times =
        m_schedule.nextFireTimes(QDateTime::currentDateTimeUtc(), 5);
    if (times) {
        for (const QDateTime &time : *times)
            m_preview->addItem(Schedule::formatTime(time));
    }
    okButton()->setEnabled(true);
}

} // namespace Sluice
