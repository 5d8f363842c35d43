#pragma once

// The one look of a table of warehouse rows (the Data table and the SQL tab's results):
// read-only, whole rows selected, no wrapping, columns the user can resize (170 px at first, the
// last one stretched) and fixed row heights, so that millions of rows need no height each.

class QTableView;

namespace Sluice {

void setUpRowTable(QTableView *view);

} // namespace Sluice
