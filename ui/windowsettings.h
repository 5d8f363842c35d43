#pragma once

// The per-user settings of the window (geometry, the last area, the last export folder): the
// platform's per-user settings file "sluice/window", apart from the data folder's settings,
// which are the engine's. GUI thread.

#include <QSettings>

namespace Sluice {

QSettings windowSettings();

} // namespace Sluice
