#pragma once

// Fits the columns of a table view to their header and the rows on screen (a sample, never
// all rows), capped at MaxWidth, when its model is reset (a new table, a new filter) and again
// when the first rows arrive. A column the user resized keeps that width, per table and
// column name, kept in the window settings. GUI thread.

#include <QHash>
#include <QObject>
#include <QString>

class QAbstractItemModel;
class QTableView;

namespace Sluice {

class ColumnWidths : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxWidth = 360;
    static constexpr int MinWidth = 48;
    static constexpr int MaxSampleRows = 100;

    // Watches view's horizontal header and its model (set the model first).
    explicit ColumnWidths(QTableView *view);

    // Names the columns' owner (the table shown); the user's widths are kept under it.
    void setTable(const QString &table);
    // Fits every column the user has not sized, to the header and the rows on screen.
    void fit();
    // The width the user gave column, or 0.
    int userWidth(const QString &column) const;

private:
    void onReset();
    void onRowsChanged();
    void onSectionResized(int section, int oldSize, int newSize);
    int contentWidth(int section) const;
    QString columnName(int section) const;
    QString settingsKey(const QString &column) const;

    QTableView *m_view;
    QString m_table;
    bool m_applying = false;
    bool m_waitingForRows = false;
    QHash<QString, int> m_userWidths; // column name -> width the user gave it
};

} // namespace Sluice
