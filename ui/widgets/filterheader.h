#pragma once

// A table's horizontal header with a filter box under every column, as DB Browser for SQLite
// has: the boxes follow their sections when columns are resized, moved or scrolled, Tab walks
// through them, Escape clears one. What a box means is not this widget's business: it reports
// the text (filterEdited, after a short pause in typing, or at once on Return) and shows what
// its owner says of it (setProblem: red, with the reason as tooltip). GUI thread.

#include <QHeaderView>
#include <QList>

class QLineEdit;
class QTimer;

namespace Sluice {

class FilterHeader : public QHeaderView
{
    Q_OBJECT

public:
    // How long typing pauses before filterEdited.
    static constexpr int PauseMs = 300;

    explicit FilterHeader(QWidget *parent = nullptr);

    // One empty box for each column; hints say what each column's box takes (its tooltip,
    // while the box has no problem).
    void setFilterBoxes(const QStringList &hints);
    int filterBoxCount() const { return int(m_boxes.size()); }
    QString filterText(int column) const;
    void setFilterText(int column, const QString &text);
    void clearFilters();
    // An empty problem makes the box normal again.
    void setProblem(int column, const QString &problem);
    QString problem(int column) const;
    QLineEdit *filterBox(int column) const { return m_boxes.value(column); }
    // Puts the keyboard in the box of column (or the first).
    void focusFilter(int column);

    QSize sizeHint() const override;

Q_SIGNALS:
    void filterEdited(int column, const QString &text);

protected:
    void updateGeometries() override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // Reports the box whose edit waits, if its text changed since it was last reported.
    void flush();
    void placeBoxes();
    int boxHeight() const;

    QList<QLineEdit *> m_boxes;
    QStringList m_hints;
    QList<QString> m_problems;
    QList<QString> m_reported; // the text last reported, to skip repeats
    QTimer *m_pause;
    int m_pending = -1; // the box whose edit waits for the pause
};

} // namespace Sluice
