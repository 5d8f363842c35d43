#include "widgets/sortindexbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "data/indexbuilder.h"
#include "engine/displaytext.h"

namespace Sluice {

SortIndexBar::SortIndexBar(QWidget *parent)
    : QFrame(parent)
    , m_builder(new IndexBuilder(this))
    , m_text(new QLabel)
    , m_busy(new QProgressBar)
    , m_create(new QPushButton(tr("Create index")))
    , m_cancel(new QPushButton(tr("Cancel")))
{
    setObjectName(QStringLiteral("sortIndexBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);
    m_text->setObjectName(QStringLiteral("sortIndexText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_busy->setObjectName(QStringLiteral("sortIndexBusy"));
    m_busy->setRange(0, 0); // busy: SQLite says nothing of how far CREATE INDEX has come
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(120);
    m_create->setObjectName(QStringLiteral("createIndex"));
    m_cancel->setObjectName(QStringLiteral("cancelIndex"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 4, 2);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_busy);
    layout->addWidget(m_create);
    layout->addWidget(m_cancel);
    connect(m_create, &QPushButton::clicked, this, &SortIndexBar::createIndex);
    connect(m_cancel, &QPushButton::clicked, this, &SortIndexBar::cancel);
    connect(m_builder, &IndexBuilder::finished, this,
        [this](const QString &table, const QString &column) {
            hide();
            Q_EMIT indexCreated(table, column);
        });
    connect(m_builder, &IndexBuilder::failed, this, &SortIndexBar::onFailed);
    hide();
}

void SortIndexBar::setSort(
    const QString &path, const QString &table, const QString &column, bool scansTable)
{
    if (m_builder->isRunning())
        return; // its outcome is what the bar says next
    m_path = path;
    m_table = table;
    m_column = column;
    if (!scansTable || column.isEmpty()) {
        hide();
        return;
    }
    showState(tr("Sorting by %1 reads the whole table; an index would make it fast.")
                  .arg(escapeControls(column)),
        false, false);
}

void SortIndexBar::createIndex()
{
    if (m_table.isEmpty() || m_column.isEmpty() || !m_builder->start(m_path, m_table, m_column))
        return;
    showState(tr("Creating an index on %1 (this reads the whole table once)…")
                  .arg(escapeControls(m_column)),
        true, false);
}

void SortIndexBar::cancel()
{
    m_builder->cancel();
}

void SortIndexBar::onFailed(const QString &message, bool cancelled)
{
    if (cancelled) {
        showState(tr("Sorting by %1 reads the whole table; the index was not created.")
                      .arg(escapeControls(m_column)),
            false, false);
        return;
    }
    showState(escapeControls(message), false, true);
}

void SortIndexBar::showState(const QString &text, bool busy, bool error)
{
    m_text->setText(text);
    m_text->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
    m_busy->setVisible(busy);
    m_cancel->setVisible(busy);
    m_create->setVisible(!busy);
    m_create->setText(error ? tr("Try again") : tr("Create index"));
    show();
}

} // namespace Sluice
