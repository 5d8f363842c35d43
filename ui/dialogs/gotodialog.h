#pragma once

// Go to (Ctrl+G in the Data area): a 1-based row number (digits of the UI locale, grouped or
// not) or, for a table with a timestamp column, a date and time in the view's UTC/local
// setting. Asks; the Data area answers: a row out of range or a time after the last row is a red
// line in the dialog, never another dialog. GUI thread.

#include <optional>

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace Sluice {

class GoToDialog : public QDialog
{
    Q_OBJECT

public:
    explicit GoToDialog(QWidget *parent = nullptr);

    // rows: the rows of the view (-1 while counted); timeColumn: empty hides the time field.
    void setTarget(qint64 rows, const QString &timeColumn, Qt::TimeSpec spec);
    void showMessage(const QString &message);
    QString message() const;

    QLineEdit *rowEdit() const { return m_row; }
    QLineEdit *timeEdit() const { return m_time; }

    // Reads "1,200,001", "1200001" (or the UI locale's own digits) as a row number; 0 when it
    // is none.
    static qint64 parseRow(const QString &text);
    // Reads yyyy-MM-dd[ HH:mm[:ss]] in spec; nullopt when it is none.
    static std::optional<qint64> parseTime(const QString &text, Qt::TimeSpec spec);

public Q_SLOTS:
    void goToRow();
    void goToTime();

Q_SIGNALS:
    void rowRequested(qint64 row); // 0-based
    void timeRequested(const QString &column, qint64 seconds);

protected:
    // Return goes to the field it was typed in, never to Close.
    void keyPressEvent(QKeyEvent *event) override;

private:
    QLineEdit *m_row;
    QLineEdit *m_time;
    QLabel *m_timeLabel;
    QPushButton *m_goToTime;
    QLabel *m_message;
    qint64 m_rows = -1;
    QString m_timeColumn;
    Qt::TimeSpec m_spec = Qt::UTC;
};

} // namespace Sluice
