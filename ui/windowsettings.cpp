#include "windowsettings.h"

namespace Sluice {

QSettings windowSettings()
{
    return QSettings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("sluice"),
        QStringLiteral("window"));
}

} // namespace Sluice
