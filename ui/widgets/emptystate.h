#pragma once

// Shows a view, or in its place a centred title, a hint and, when set, a button that does what
// the hint says ("No runs yet" ... [Go to Flows]) while the view's model has no rows. GUI thread.

#include <QPointer>
#include <QStackedWidget>

class QAbstractItemModel;
class QLabel;
class QPushButton;

namespace Sluice {

class EmptyState : public QStackedWidget
{
    Q_OBJECT

public:
    EmptyState(
        QWidget *content, const QString &title, const QString &hint, QWidget *parent = nullptr);

    // Follows the model's row count; without a model the content is always shown.
    void setModel(QAbstractItemModel *model);
    void setTexts(const QString &title, const QString &hint);
    // Shows a button under the hint; clicking it emits actionTriggered.
    QPushButton *setAction(const QString &text);
    bool isEmptyShown() const { return currentIndex() == 1; }
    QString title() const;

Q_SIGNALS:
    void actionTriggered();

private:
    void update();

    QPointer<QAbstractItemModel> m_model;
    QLabel *m_title;
    QLabel *m_hint;
    QPushButton *m_action;
};

} // namespace Sluice
