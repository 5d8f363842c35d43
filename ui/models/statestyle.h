#pragma once

// How run and task states look in the views: a colour and a round icon for each state, the
// same in every table. Plain functions; GUI thread (icons are pixmaps).

#include <QColor>
#include <QIcon>

#include "engine/runstate.h"

namespace Sluice::StateStyle {

QColor color(RunState state);
QIcon icon(RunState state);
QColor levelColor(LogLevel level);
// "1.2 s", "3 min 04 s", "2 h 05 min": a duration for a table cell.
QString duration(qint64 ms);
// Local date and time of an instant in ms, "" for 0.
QString time(qint64 ms);

} // namespace Sluice::StateStyle
