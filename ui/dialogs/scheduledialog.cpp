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
    , m_zoneMessage(new QLabel)
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
    m_zoneMessage->setObjectName(QStringLiteral("zoneMessage"));
    m_zoneMessage->setWordWrap(true);
    m_zoneMessage->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_zoneMessage->hide();
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
    m_shownKind = m_kind->currentIndex();
    m_typed[CronKind] = QStringLiteral("*/5 * * * *");
    m_typed[IntervalKind] = QStringLiteral("5m");
    m_typed[m_shownKind] = m_expression->text();
    recognisePreset();

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
    form->addRow(QString(), m_zoneMessage);
    form->addRow(tr("Missed runs:"), m_misfire);
    form->addRow(tr("Next runs:"), m_preview);

    if (current.isValid()) {
        m_remove = m_buttons->addButton(tr("&Remove schedule"), QDialogButtonBox::DestructiveRole);
        m_remove->setObjectName(QStringLiteral("removeSchedule"));
        m_remove->setToolTip(tr("The flow then runs only when started by hand"));
        connect(m_remove, &QPushButton::clicked, this, [this] { done(Removed); });
    }
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_preset, &QComboBox::activated, this, &ScheduleDialog::applyPreset);
    connect(m_time, &QTimeEdit::timeChanged, this, &ScheduleDialog::applyPreset);
    connect(m_weekday, &QComboBox::activated, this, &ScheduleDialog::applyPreset);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int kind) {
        // What was typed for the other kind comes back when it is chosen again.
        m_typed[m_shownKind] = m_expression->text();
        m_shownKind = kind;
        m_expression->setText(m_typed[kind]);
        recognisePreset();
        validate();
    });
    connect(m_expression, &QLineEdit::textEdited, this, &ScheduleDialog::recognisePreset);
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

QString ScheduleDialog::zoneMessage() const
{
    return m_zoneMessage->text();
}

QStringList ScheduleDialog::previewTimes() const
{
    QStringList times;
    for (int i = 0; i < m_preview->count(); ++i)
        times << m_preview->item(i)->data(Qt::UserRole).toString();
    return times;
}

void ScheduleDialog::recognisePreset()
{
    // The preset whose expression this is, so that "*/5 * * * *" reads "Every 5 minutes".
    int preset = Custom;
    const QStringList fields =
        m_expression->text().simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const auto number = [](const QString &field, int maximum) {
        bool ok = false;
        const int value = field.toInt(&ok);
        return ok && value >= 0 && value <= maximum && field == QString::number(value) ? value : -1;
    };
    if (m_kind->currentData().toInt() == CronKind && fields.size() == 5) {
        const QString text = fields.join(QLatin1Char(' '));
        const int minute = number(fields.at(0), 59);
        const int hour = number(fields.at(1), 23);
        const int weekday = number(fields.at(4), 7);
        if (text == u"* * * * *") {
            preset = EveryMinute;
        } else if (text == u"*/5 * * * *") {
            preset = Every5Minutes;
        } else if (text == u"0 * * * *") {
            preset = Hourly;
        } else if (minute >= 0 && hour >= 0 && fields.at(2) == u"*" && fields.at(3) == u"*") {
            const QSignalBlocker blockTime(m_time);
            m_time->setTime(QTime(hour, minute));
            if (fields.at(4) == u"*") {
                preset = Daily;
            } else if (weekday >= 0) {
                preset = Weekly;
                const QSignalBlocker blockDay(m_weekday);
                m_weekday->setCurrentIndex(m_weekday->findData(weekday % 7));
            }
        }
    }
    m_preset->setCurrentIndex(m_preset->findData(preset));
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
        m_typed[m_shownKind] = m_expression->text();
        m_kind->setCurrentIndex(CronKind);
        m_shownKind = CronKind;
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
    // A zone that is not known is the zone's error, shown under it.
    const bool badZone = !zone.isEmpty() && !QTimeZone(zone.toUtf8()).isValid();
    Result<Schedule> parsed = m_kind->currentData().toInt() == IntervalKind
        ? Schedule::fromInterval(text, {}, zone)
        : Schedule::fromCron(text, zone);
    m_preview->clear();
    m_zoneMessage->setVisible(badZone && !parsed);
    m_zoneMessage->setText(badZone && !parsed ? parsed.error().message() : QString());
    if (!parsed) {
        m_schedule = Schedule();
        m_message->setText(badZone ? QString() : parsed.error().message());
        m_message->setStyleSheet(QStringLiteral("color: #b3261e;"));
        m_expression->setStyleSheet(
            badZone ? QString() : QStringLiteral("border: 1px solid #b3261e;"));
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
        // "Mon 7 Dec 2026 11:05 (10:05 UTC)": local time first, UTC beside it.
        const QLocale locale;
        const QString format = QStringLiteral("ddd ") + locale.dateFormat(QLocale::ShortFormat)
            + QLatin1Char(' ') + locale.timeFormat(QLocale::ShortFormat);
        for (const QDateTime &time : *times) {
            const QDateTime local = time.toLocalTime();
            const QDateTime utc = time.toUTC();
            const QString text = local.offsetFromUtc() == 0
                ? tr("%1 UTC").arg(locale.toString(utc, format))
                : tr("%1 (%2 UTC)")
                      .arg(locale.toString(local, format),
                          locale.toString(utc, locale.timeFormat(QLocale::ShortFormat)));
            auto *item = new QListWidgetItem(text, m_preview);
            item->setData(Qt::UserRole, Schedule::formatTime(time));
            item->setToolTip(Schedule::formatTime(time));
        }
    }
    okButton()->setEnabled(true);
}

} // namespace Sluice
