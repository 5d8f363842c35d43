#pragma once

// A table model with fixed, titled columns: columnCount() and the horizontal header both come
// from columnTitles(), so a model names its columns in one place. Titles are asked for each
// time, so a change of language shows at the next repaint.

#include <QAbstractTableModel>
#include <QStringList>

namespace Sluice {

class ColumnTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    using QAbstractTableModel::QAbstractTableModel;

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    // One translated title a column, in column order.
    virtual QStringList columnTitles() const = 0;
};

} // namespace Sluice
