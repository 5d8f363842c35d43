#include "transform/timegrid.h"

#include <QCoreApplication>

namespace Sluice::TimeGrid {

namespace {

    struct Unit
    {
        char16_t letter;
        qint64 seconds;
    };
    // Largest first: a label uses the largest unit that divides the step.
    constexpr Unit units[] = { { u'w', 604800 }, { u'd', 86400 }, { u'h', 3600 }, { u'm', 60 },
        { u's', 1 } };

} // namespace

SlotRange range(qint64 start, qint64 end, qint64 step)
{
    Q_ASSERT(step > 0);
    SlotRange result;
    result.step = step;
    result.first = slotCeil(start, step);
    // Timestamps lie within +-2^62, so end - 1 cannot overflow.
    result.last = slotStart(end - 1, step);
    result.count = result.first <= result.last ? (result.last - result.first) / step + 1 : 0;
    return result;
}

SlotRange countedRange(qint64 timestamp, qint64 count, qint64 step)
{
    Q_ASSERT(step > 0);
    SlotRange result;
    result.step = step;
    result.first = slotStart(timestamp, step);
    result.count = std::max<qint64>(count, 0);
    result.last = result.first + (result.count - 1) * step;
    return result;
}

QString timeframeLabel(qint64 step)
{
    Q_ASSERT(step > 0);
    for (const Unit &unit : units) {
        if (step % unit.seconds == 0)
            return QString::number(step / unit.seconds) + QChar(unit.letter);
    }
    return QString::number(step) + u's'; // not reached: every step is a whole number of seconds
}

Result<qint64> timeframeSeconds(const QString &label)
{
    const auto refused = [&] {
        return Error{ QCoreApplication::translate("Sluice::TimeGrid",
                          "not a timeframe: \"%1\" (expected a count and one of s, m, h, d, w, "
                          "such as 5m)")
                          .arg(label),
            QString() };
    };
    if (label.size() < 2)
        return refused();
    const QChar letter = label.back();
    const QStringView digits = QStringView(label).chopped(1);
    for (const QChar c : digits) {
        if (c < u'0' || c > u'9')
            return refused();
    }
    bool ok = false;
    const qint64 count = digits.toLongLong(&ok);
    if (!ok || count <= 0)
        return refused();
    for (const Unit &unit : units) {
        if (letter == QChar(unit.letter)) {
            if (count > (qint64(1) << 40) / unit.seconds)
                return refused();
            return count * unit.seconds;
        }
    }
    return refused();
}

} // namespace Sluice::TimeGrid
