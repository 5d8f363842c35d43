#include "widgets/filterheader.h"

#include <utility>

#include <QAbstractScrollArea>
#include <QEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QScrollBar>
#include <QTimer>

namespace Sluice {

FilterHeader::FilterHeader(QWidget *parent)
    : QHeaderView(Qt::Horizontal, parent)
    , m_pause(new QTimer(this))
{
    setSectionsClickable(true);
    m_pause->setSingleShot(true);
    m_pause->setInterval(PauseMs);
    connect(m_pause, &QTimer::timeout, this, &FilterHeader::flush);
    connect(this, &QHeaderView::sectionResized, this, &FilterHeader::placeBoxes);
    connect(this, &QHeaderView::sectionMoved, this, &FilterHeader::placeBoxes);
    if (auto *area = qobject_cast<QAbstractScrollArea *>(parent)) {
        connect(area->horizontalScrollBar(), &QScrollBar::valueChanged, this,
            &FilterHeader::placeBoxes);
    }
}

void FilterHeader::flush()
{
    m_pause->stop();
    const int column = std::exchange(m_pending, -1);
    if (column >= 0 && column < m_boxes.size() && m_boxes[column]->text() != m_reported[column]) {
        m_reported[column] = m_boxes[column]->text();
        Q_EMIT filterEdited(column, m_reported[column]);
    }
}

void FilterHeader::setFilterBoxes(const QStringList &hints)
{
    m_pause->stop();
    m_pending = -1;
    qDeleteAll(m_boxes);
    m_boxes.clear();
    m_problems.clear();
    m_reported.clear();
    m_hints = hints;
    for (int column = 0; column < hints.size(); ++column) {
        auto *box = new QLineEdit(this);
        box->setObjectName(QStringLiteral("filterBox%1").arg(column));
        box->setPlaceholderText(tr("Filter"));
        box->setToolTip(hints[column]);
        box->setAccessibleName(
            tr("Filter of column %1")
                .arg(model() ? model()->headerData(column, Qt::Horizontal).toString()
                             : QString::number(column + 1)));
        box->setClearButtonEnabled(true);
        box->installEventFilter(this);
        connect(box, &QLineEdit::textEdited, this, [this, column] {
            // A pause in another box reports that one first.
            if (m_pending >= 0 && m_pending != column)
                flush();
            m_pending = column;
            m_pause->start();
        });
        connect(box, &QLineEdit::textChanged, this, [this, column](const QString &text) {
            // The clear button changes the text without an edit.
            if (text.isEmpty() && m_reported.value(column) != text) {
                m_pending = column;
                flush();
            }
        });
        connect(box, &QLineEdit::returnPressed, this, [this, column] {
            m_pending = column;
            flush();
        });
        box->show();
        m_boxes << box;
        m_problems << QString();
        m_reported << QString();
    }
    updateGeometries();
    updateGeometry();
}

bool FilterHeader::eventFilter(QObject *watched, QEvent *event)
{
    const int column = int(m_boxes.indexOf(qobject_cast<QLineEdit *>(watched)));
    if (column < 0 || event->type() != QEvent::KeyPress)
        return QHeaderView::eventFilter(watched, event);
    const int key = static_cast<QKeyEvent *>(event)->key();
    // Escape in a box empties it, and its filter goes at once.
    if (key == Qt::Key_Escape && !m_boxes[column]->text().isEmpty()) {
        m_boxes[column]->clear();
        m_pending = column;
        flush();
        return true;
    }
    // Tab walks the boxes in the order shown (the table would take it to move its current
    // cell); past the last one it goes on to the rows.
    if (key == Qt::Key_Tab || key == Qt::Key_Backtab) {
        const int step = key == Qt::Key_Tab ? 1 : -1;
        for (int visual = visualIndex(column) + step; visual >= 0 && visual < count();
             visual += step) {
            const int next = logicalIndex(visual);
            if (next < m_boxes.size() && !isSectionHidden(next)) {
                m_pending = column;
                flush();
                focusFilter(next);
                return true;
            }
        }
        if (key == Qt::Key_Tab && parentWidget()) {
            parentWidget()->setFocus(Qt::TabFocusReason);
            return true;
        }
    }
    return QHeaderView::eventFilter(watched, event);
}

QString FilterHeader::filterText(int column) const
{
    return column >= 0 && column < m_boxes.size() ? m_boxes[column]->text() : QString();
}

void FilterHeader::setFilterText(int column, const QString &text)
{
    if (column < 0 || column >= m_boxes.size())
        return;
    m_reported[column] = text;
    m_boxes[column]->setText(text);
}

void FilterHeader::clearFilters()
{
    m_pause->stop();
    m_pending = -1;
    for (int column = 0; column < m_boxes.size(); ++column) {
        setFilterText(column, QString());
        setProblem(column, QString());
    }
}

void FilterHeader::setProblem(int column, const QString &problem)
{
    if (column < 0 || column >= m_boxes.size())
        return;
    m_problems[column] = problem;
    QLineEdit *box = m_boxes[column];
    box->setStyleSheet(problem.isEmpty()
            ? QString()
            : QStringLiteral("QLineEdit { border: 1px solid #b00020; background: #fde8eb; "
                             "color: #5f0010; }"));
    box->setToolTip(problem.isEmpty() ? m_hints.value(column) : problem);
    box->setAccessibleDescription(problem);
}

QString FilterHeader::problem(int column) const
{
    return m_problems.value(column);
}

void FilterHeader::focusFilter(int column)
{
    if (m_boxes.isEmpty())
        return;
    QLineEdit *box = m_boxes.value(column, m_boxes.first());
    box->setFocus(Qt::ShortcutFocusReason);
    box->selectAll();
}

int FilterHeader::boxHeight() const
{
    return m_boxes.isEmpty() ? 0 : m_boxes.first()->sizeHint().height();
}

QSize FilterHeader::sizeHint() const
{
    QSize size = QHeaderView::sizeHint();
    size.setHeight(size.height() + boxHeight());
    return size;
}

void FilterHeader::updateGeometries()
{
    setViewportMargins(0, 0, 0, boxHeight());
    QHeaderView::updateGeometries();
    placeBoxes();
}

void FilterHeader::placeBoxes()
{
    const int top = height() - boxHeight();
    for (int column = 0; column < m_boxes.size(); ++column) {
        QLineEdit *box = m_boxes[column];
        if (column >= count() || isSectionHidden(column)) {
            box->hide();
            continue;
        }
        box->setGeometry(sectionViewportPosition(column), top, sectionSize(column), boxHeight());
        box->show();
    }
}

} // namespace Sluice
