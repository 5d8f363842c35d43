#include "dialogs/gotodialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include "engine/displaytext.h"

namespace Sluice {

GoToDialog::GoToDialog(QWidget *parent)
    : QDialog(parent)
    , m_row(new QLineEdit)
    , m_time(new QLineEdit)
    , m_timeLabel(new QLabel)
    , m_goToTime(new QPushButton(tr("Go to time")))
    , m_message(new QLabel)
{
    setWindowTitle(tr("Go to"));
    m_row->setObjectName(QStringLiteral("goToRow"));
    m_time->setObjectName(QStringLiteral("goToTime"));
    m_message->setObjectName(QStringLiteral("goToMessage"));
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    auto *goToRow = new QPushButton(tr("Go to row"));
    goToRow->setObjectName(QStringLiteral("goToRowButton"));
    goToRow->setAutoDefault(false);
    m_goToTime->setObjectName(QStringLiteral("goToTimeButton"));
    m_goToTime->setAutoDefault(false);

    auto *grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("Row:")), 0, 0);
    grid->addWidget(m_row, 0, 1);
    grid->addWidget(goToRow, 0, 2);
    grid->addWidget(m_timeLabel, 1, 0);
    grid->addWidget(m_time, 1, 1);
    grid->addWidget(m_goToTime, 1, 2);
    grid->setColumnStretch(1, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    m_row->setMinimumWidth(m_row->fontMetrics().horizontalAdvance(QStringLiteral("0")) * 24);

    connect(goToRow, &QPushButton::clicked, this, &GoToDialog::goToRow);
    connect(m_row, &QLineEdit::returnPressed, this, &GoToDialog::goToRow);
    connect(m_goToTime, &QPushButton::clicked, this, &GoToDialog::goToTime);
    connect(m_time, &QLineEdit::returnPressed, this, &GoToDialog::goToTime);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_row, &QLineEdit::textEdited, m_message, &QLabel::clear);
    connect(m_time, &QLineEdit::textEdited, m_message, &QLabel::clear);
}

void GoToDialog::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        event->accept(); // the line edits have acted on it already
        return;
    }
    QDialog::keyPressEvent(event);
}

void GoToDialog::setTarget(qint64 rows, const QString &timeColumn, Qt::TimeSpec spec)
{
    m_rows = rows;
    m_timeColumn = timeColumn;
    m_spec = spec;
    const QLocale locale;
    m_row->setPlaceholderText(
        rows > 0 ? tr("1 to %1").arg(locale.toString(rows)) : tr("a row number"));
    const bool time = !timeColumn.isEmpty();
    m_timeLabel->setText(
        spec == Qt::UTC ? tr("%1 (UTC):").arg(timeColumn) : tr("%1 (local):").arg(timeColumn));
    m_time->setPlaceholderText(tr("yyyy-MM-dd HH:mm"));
    m_timeLabel->setVisible(time);
    m_time->setVisible(time);
    m_goToTime->setVisible(time);
}

void GoToDialog::showMessage(const QString &message)
{
    m_message->setText(escapeControls(message));
}

QString GoToDialog::message() const
{
    return m_message->text();
}

qint64 GoToDialog::parseRow(const QString &text)
{
    const QString trimmed = text.trimmed();
    bool ok = false;
    qint64 row = QLocale().toLongLong(trimmed, &ok);
    if (!ok)
        row = QLocale::c().toLongLong(trimmed, &ok);
    return ok ? row : 0;
}

std::optional<qint64> GoToDialog::parseTime(const QString &text, Qt::TimeSpec spec)
{
    QString trimmed = text.trimmed();
    trimmed.replace(QLatin1Char('T'), QLatin1Char(' '));
    for (const QString &format : { QStringLiteral("yyyy-MM-dd HH:mm:ss"),
             QStringLiteral("yyyy-MM-dd HH:mm"), QStringLiteral("yyyy-MM-dd") }) {
        QDateTime time = QDateTime::fromString(trimmed, format);
        if (time.isValid()) {
            time.setTimeSpec(spec);
            return time.toSecsSinceEpoch();
        }
    }
    return std::nullopt;
}

void GoToDialog::goToRow()
{
    const qint64 row = parseRow(m_row->text());
    if (row <= 0) {
        showMessage(tr("“%1” is not a row number.").arg(m_row->text().trimmed()));
        return;
    }
    if (m_rows >= 0 && row > m_rows) {
        showMessage(m_rows == 0 ? tr("The view has no rows.")
                                : tr("Row %1 is out of range: the view has rows 1 to %2.")
                                      .arg(QLocale().toString(row), QLocale().toString(m_rows)));
        return;
    }
    m_message->clear();
    Q_EMIT rowRequested(row - 1);
}

void GoToDialog::goToTime()
{
    const std::optional<qint64> seconds = parseTime(m_time->text(), m_spec);
    if (!seconds) {
        showMessage(
            tr("“%1” is not a date and time (yyyy-MM-dd HH:mm).").arg(m_time->text().trimmed()));
        return;
    }
    m_message->clear();
    Q_EMIT timeRequested(m_timeColumn, *seconds);
}

} // namespace Sluice
