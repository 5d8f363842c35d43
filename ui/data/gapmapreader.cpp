#include "data/gapmapreader.h"

#include <QMetaObject>

namespace Sluice {

GapMapReader::GapMapReader(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setObjectName(QStringLiteral("sluice-gap-reader"));
}

GapMapReader::~GapMapReader()
{
    if (m_cancel)
        m_cancel->store(true);
    m_pool.waitForDone();
}

void GapMapReader::read(const QString &path, const QString &table)
{
    if (m_cancel)
        m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const quint64 generation = ++m_generation;
    ++m_pending;
    m_pool.start([this, path, table, generation, cancel = m_cancel] {
        bool slotted = false;
        Result<QList<GapSeries>> series = QList<GapSeries>();
        const Result<QStringList> tables = GapMap::slottedTables(path);
        if (!tables) {
            series = tables.error();
        } else if (tables->contains(table)) {
            slotted = true;
            GapRequest request{ path, table };
            request.cancelled = cancel.get();
            series = GapMap::compute(request);
        }
        // The destructor waits for this task, so this object outlives the call; the queued
        // answer is dropped with it if it dies first.
        QMetaObject::invokeMethod(
            this,
            [this, table, slotted, series, generation] {
                --m_pending;
                if (generation != m_generation)
                    return;
                if (series)
                    Q_EMIT gapsRead(table, slotted, *series);
                else if (series.error().code != ErrorCode::Cancelled)
                    Q_EMIT readFailed(table, series.error().message());
            },
            Qt::QueuedConnection);
    });
}

} // namespace Sluice
