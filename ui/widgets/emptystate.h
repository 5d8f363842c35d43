#pragma once

// Shows a view, or in its place a centred title and hint while the view's model has no rows
// ("No runs yet"). GUI thread.

#include <QPointer>
#include <QStackedWidget>

class QAbstractItemModel;
class QLabel;

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
    bool isEmptyShown() const { return currentIndex() == 1; }
    QString title() const;

private:
    void update();

    QPointer<QAbstractItemModel> m_model;
    QLabel *m_title;
    QLabel *m_hint;
};

} // namespace Sluice
