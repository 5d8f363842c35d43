#include "widgets/emptystate.h"

#include <QAbstractItemModel>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Sluice {

EmptyState::EmptyState(QWidget *content, const QString &title, const QString &hint, QWidget *parent)
    : QStackedWidget(parent)
    , m_title(new QLabel(title))
    , m_hint(new QLabel(hint))
    , m_action(new QPushButton)
{
    auto *placeholder = new QWidget;
    placeholder->setObjectName(QStringLiteral("emptyState"));
    auto *layout = new QVBoxLayout(placeholder);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("emptyStateTitle"));
    m_title->setAlignment(Qt::AlignCenter);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    layout->addStretch(2);
    layout->addWidget(m_title);
    layout->addWidget(m_hint);
    m_action->setObjectName(QStringLiteral("emptyStateAction"));
    m_action->hide();
    layout->addSpacing(8);
    layout->addWidget(m_action, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    connect(m_action, &QPushButton::clicked, this, &EmptyState::actionTriggered);

    addWidget(content);
    addWidget(placeholder);
    update();
}

void EmptyState::setModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (model) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &EmptyState::update);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &EmptyState::update);
        connect(model, &QAbstractItemModel::modelReset, this, &EmptyState::update);
        connect(model, &QAbstractItemModel::layoutChanged, this, &EmptyState::update);
    }
    update();
}

void EmptyState::setTexts(const QString &title, const QString &hint)
{
    m_title->setText(title);
    m_hint->setText(hint);
}

QPushButton *EmptyState::setAction(const QString &text)
{
    m_action->setText(text);
    m_action->setVisible(!text.isEmpty());
    return m_action;
}

QString EmptyState::title() const
{
    return m_title->text();
}

void EmptyState::update()
{
    const bool empty = m_model && m_model->rowCount() == 0;
    setCurrentIndex(empty ? 1 : 0);
}

} // namespace Sluice
