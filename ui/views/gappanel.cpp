#include "views/gappanel.h"

#include <algorithm>

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "data/gapfiller.h"
#include "data/gapmapreader.h"
#include "widgets/gapstrip.h"

namespace Sluice {

GapPanel::GapPanel(QWidget *parent)
    : QWidget(parent)
    , m_reader(new GapMapReader(this))
    , m_strip(new GapStrip)
    , m_summary(new QLabel)
    , m_progress(new QLabel)
    , m_showAll(new QPushButton(tr("Whole history")))
    , m_fill(new QPushButton(tr("Fill gaps…")))
    , m_cancel(new QPushButton(tr("Cancel")))
{
    setObjectName(QStringLiteral("gapPanel"));
    m_summary->setObjectName(QStringLiteral("gapSummary"));
    m_progress->setObjectName(QStringLiteral("gapProgress"));
    m_showAll->setObjectName(QStringLiteral("gapShowAll"));
    m_fill->setObjectName(QStringLiteral("fillGaps"));
    m_cancel->setObjectName(QStringLiteral("cancelFillGaps"));
    m_fill->setToolTip(tr("Run btc-backfill once for each missing range"));
    m_showAll->setToolTip(tr("Show the whole history in the gap map (Home)"));
    m_fill->setVisible(false);
    m_cancel->setVisible(false);
    m_progress->setVisible(false);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Gaps:"));
    title->setBuddy(m_strip);
    bar->addWidget(title);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_progress);
    bar->addWidget(m_cancel);
    bar->addWidget(m_showAll);
    bar->addWidget(m_fill);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_strip);
    setVisible(false);

    connect(m_reader, &GapMapReader::gapsRead, this, &GapPanel::onGapsRead);
    connect(m_reader, &GapMapReader::readFailed, this,
        [this](const QString &table, const QString &message) {
            if (table != m_table)
                return;
            m_summary->setText(tr("cannot map the gaps: %1").arg(message));
            Q_EMIT mapRead(table);
        });
    connect(m_showAll, &QPushButton::clicked, m_strip, &GapStrip::showAll);
    connect(m_fill, &QPushButton::clicked, this, &GapPanel::fillGaps);
    connect(m_strip, &GapStrip::visibleRangeChanged, this, &GapPanel::updateControls);
}

void GapPanel::setWarehousePath(const QString &path)
{
    m_path = path;
    refresh();
}

void GapPanel::setTable(const QString &table)
{
    if (table == m_table)
        return;
    m_table = table;
    m_strip->setSeries({});
    refresh();
}

void GapPanel::setFiller(GapFiller *filler)
{
    m_filler = filler;
    if (m_filler) {
        connect(m_filler, &GapFiller::progressed, this, [this](int index, int count) {
            m_progress->setText(tr("Filling gap %1 of %2").arg(index + 1).arg(count));
            updateControls();
        });
        connect(m_filler, &GapFiller::finished, this,
            [this](int completed, int failed, bool cancelled) {
                m_progress->setText(cancelled
                        ? tr("Filling cancelled: %1 filled, %2 failed").arg(completed).arg(failed)
                        : tr("Filled %1 gaps, %2 failed").arg(completed).arg(failed));
                updateControls();
                refresh();
            });
        connect(m_cancel, &QPushButton::clicked, m_filler, &GapFiller::cancel);
    }
    updateControls();
}

void GapPanel::setTimeSpec(Qt::TimeSpec spec)
{
    m_strip->setTimeSpec(spec);
}

bool GapPanel::isReading() const
{
    return m_reader->isReading();
}

void GapPanel::refresh()
{
    if (m_path.isEmpty() || m_table.isEmpty())
        return;
    m_reader->read(m_path, m_table);
}

QList<SlotGap> GapPanel::missingRanges() const
{
    QList<SlotGap> all;
    for (const GapSeries &one : m_strip->series()) {
        if (GapFiller::fills(m_table, one))
            all += one.gaps;
    }
    std::sort(all.begin(), all.end(),
        [](const SlotGap &a, const SlotGap &b) { return a.start < b.start; });
    QList<SlotGap> joined;
    for (const SlotGap &gap : all) {
        if (!joined.isEmpty() && gap.start <= joined.last().end)
            joined.last().end = std::max(joined.last().end, gap.end);
        else
            joined.append(gap);
    }
    return joined;
}

void GapPanel::onGapsRead(const QString &table, bool slotted, const QList<GapSeries> &series)
{
    if (table != m_table)
        return;
    setVisible(slotted);
    m_strip->setSeries(series);
    qint64 missing = 0;
    int gaps = 0;
    for (const GapSeries &one : series) {
        missing += one.missingSlots();
        gaps += int(one.gaps.size());
    }
    m_summary->setText(gaps == 0
            ? tr("no gaps")
            : tr("%n gap(s), %1 slots missing", nullptr, gaps).arg(QLocale().toString(missing)));
    updateControls();
    Q_EMIT mapRead(table);
}

void GapPanel::updateControls()
{
    const bool filling = m_filler && m_filler->isFilling();
    m_fill->setVisible(m_filler != nullptr);
    m_fill->setEnabled(!filling && !missingRanges().isEmpty());
    m_cancel->setVisible(filling);
    m_progress->setVisible(filling || !m_progress->text().isEmpty());
    m_showAll->setEnabled(m_strip->isZoomed());
}

void GapPanel::fillGaps()
{
    const QList<SlotGap> ranges = missingRanges();
    if (!m_filler || m_filler->isFilling() || ranges.isEmpty() || m_confirmation)
        return;
    qint64 slots = 0;
    qint64 step = 0;
    for (const GapSeries &one : m_strip->series())
        step = step == 0 ? one.step : std::min(step, one.step);
    for (const SlotGap &range : ranges)
        slots += (range.end - range.start) / std::max<qint64>(1, step);
    m_confirmation = new QMessageBox(QMessageBox::Question, tr("Fill gaps"),
        tr("Run btc-backfill %n time(s), once for each missing range, to fill %1 slots?", nullptr,
            int(ranges.size()))
            .arg(QLocale().toString(slots)),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    m_confirmation->setObjectName(QStringLiteral("fillGapsConfirmation"));
    m_confirmation->setDefaultButton(QMessageBox::Yes);
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_confirmation, &QMessageBox::finished, this, [this, ranges](int result) {
        m_confirmation = nullptr;
        if (result == QMessageBox::Yes && m_filler)
            m_filler->fill(ranges);
        updateControls();
    });
    m_confirmation->open();
}

} // namespace Sluice
