#pragma once

// The line above the Data table that says a sort reads the whole table ("Sorting by price reads
// the whole table; an index would make it fast [Create index]"), builds the index off the GUI
// thread with a busy indicator and Cancel, and says plainly why it could not (read-only or
// locked warehouse). Hidden while the sort needs no index. GUI thread.

#include <QFrame>

class QLabel;
class QProgressBar;
class QPushButton;

namespace Sluice {

class IndexBuilder;

class SortIndexBar : public QFrame
{
    Q_OBJECT

public:
    explicit SortIndexBar(QWidget *parent = nullptr);

    // The view's sort: shown when scansTable (a sort by column no index gives), else hidden,
    // unless a build or its failure is on show.
    void setSort(const QString &path, const QString &table, const QString &column, bool scansTable);
    IndexBuilder *builder() const { return m_builder; }

public Q_SLOTS:
    void createIndex();
    void cancel();

Q_SIGNALS:
    // The index exists now: sort again to use it.
    void indexCreated(const QString &table, const QString &column);

private:
    void onFailed(const QString &message, bool cancelled);
    void showState(const QString &text, bool busy, bool error);

    IndexBuilder *m_builder;
    QLabel *m_text;
    QProgressBar *m_busy;
    QPushButton *m_create;
    QPushButton *m_cancel;
    QString m_path;
    QString m_table;
    QString m_column;
};

} // namespace Sluice
