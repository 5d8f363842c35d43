#pragma once

// The gap map above the Data table and the Charts panes: a line saying how many slots are
// missing, "Whole history" and "Fill gaps…" (with progress and Cancel while it runs), and the
// gap strip. Shown only for slotted tables. The map is computed by a GapMapReader off the GUI
// thread; Fill gaps asks for confirmation, then hands the missing ranges to a GapFiller.

#include <QList>
#include <QString>
#include <QWidget>

#include "storage/gapmap.h"

class QLabel;
class QMessageBox;
class QPushButton;

namespace Sluice {

class GapFiller;
class GapMapReader;
class GapStrip;

class GapPanel : public QWidget
{
    Q_OBJECT

public:
    explicit GapPanel(QWidget *parent = nullptr);

    void setWarehousePath(const QString &path);
    // The table to map; the panel hides itself when it is not slotted.
    void setTable(const QString &table);
    QString table() const { return m_table; }
    // The runner of Fill gaps, shared by the panels of the window; none: the button is hidden.
    void setFiller(GapFiller *filler);
    void setTimeSpec(Qt::TimeSpec spec);

    GapStrip *strip() const { return m_strip; }
    // The missing ranges of the series btc-backfill fills (GapFiller::fills()), joined where
    // they overlap: what Fill gaps fills.
    QList<SlotGap> missingRanges() const;
    // The confirmation of Fill gaps while it is open, else null.
    QMessageBox *confirmation() const { return m_confirmation; }
    bool isReading() const;

public Q_SLOTS:
    // Computes the map again (rows were stored).
    void refresh();
    // Asks to confirm, then fills every missing range, one btc-backfill run each.
    void fillGaps();

Q_SIGNALS:
    // The map of table was read (for tests and the window's status).
    void mapRead(const QString &table);

private:
    void onGapsRead(const QString &table, bool slotted, const QList<Sluice::GapSeries> &series);
    void updateControls();

    QString m_path;
    QString m_table;
    GapMapReader *m_reader;
    GapStrip *m_strip;
    QLabel *m_summary;
    QLabel *m_progress;
    QPushButton *m_showAll;
    QPushButton *m_fill;
    QPushButton *m_cancel;
    GapFiller *m_filler = nullptr;
    QMessageBox *m_confirmation = nullptr;
};

} // namespace Sluice
