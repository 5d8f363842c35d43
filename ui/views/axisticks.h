#pragma once

// Round tick marks for the chart axes: values on 1, 2, 2.5 or 5 x 10^n, never below zero for
// data that is not, and times on whole minutes, hours or days of the local clock. Pure
// functions; any thread.

#include <QList>
#include <QString>
#include <QtGlobal>

namespace Sluice {

class AxisTicks
{
public:
    struct Values
    {
        double min = 0;
        double max = 1;
        double step = 1;
        int decimals = 0; // enough to write every tick exactly
    };
    struct Times
    {
        QList<qint64> ticks; // milliseconds since the epoch, inside the range
        qint64 step = 0; // milliseconds
        QString format; // QDateTime format of the labels
    };

    // A range holding low..high whose ends and ticks are round, about targetTicks intervals.
    static Values values(double low, double high, int targetTicks = 5);
    // Round times within fromMs..toMs, about targetTicks of them.
    static Times times(qint64 fromMs, qint64 toMs, int targetTicks = 6);
};

} // namespace Sluice
