#pragma once

// A bar across the top of the window that says one thing in plain words, with up to a few
// buttons and a close button ("btc-update failed: ... [Pause schedule] [Show run] [x]"). Hidden
// until show(); each button hides it after running its action. GUI thread.

#include <functional>

#include <QFrame>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace Sluice {

class NoticeBar : public QFrame
{
    Q_OBJECT

public:
    explicit NoticeBar(QWidget *parent = nullptr);

    // Replaces what the bar says and its buttons, and shows it.
    void showNotice(const QString &text);
    QPushButton *addButton(const QString &text, std::function<void()> action);
    QString text() const;

private:
    QLabel *m_text;
    QHBoxLayout *m_buttons;
};

} // namespace Sluice
