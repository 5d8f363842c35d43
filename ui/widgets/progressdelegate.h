#pragma once

// Paints a progress bar in a cell whose model gives a fraction 0..1 in a role, and the
// cell's text over it; a cell without the fraction is painted as usual. GUI thread.

#include <QStyledItemDelegate>

namespace Sluice {

class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    ProgressDelegate(int fractionRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace Sluice
