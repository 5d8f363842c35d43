#pragma once

// Opens a folder in the desktop's file manager; when none answers, says so in a message box
// that shows the path, selectable, so that the user can go there by hand. GUI thread.

#include <QString>

class QWidget;

namespace Sluice {

// Returns whether a file manager took it.
bool openFolder(const QString &folder, QWidget *parent);

} // namespace Sluice
