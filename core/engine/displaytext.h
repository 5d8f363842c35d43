#pragma once

// Text from servers, steps, files and users made safe to show, on a terminal or in a widget:
// control characters other than tab and newline, DEL, the C1 controls and the Unicode bidi
// overrides are written as escapes, so that shown text can neither move the cursor, recolour
// or retitle a terminal, ring its bell nor reorder what follows it. For the display edges
// only (printing, a model's data()): stored text keeps what was received. Any thread.

#include <QString>
#include <QStringView>

namespace Sluice {

// ESC as the four characters \x1b, CR as \r, DEL as \x7f, U+0085 as \x85, U+202E as \u202e
// (the notation of Python's repr); tab, newline and everything else unchanged.
QString escapeControls(QStringView text);

} // namespace Sluice
