#pragma once

class QTableView;

namespace Hearth {

// The console's look for a list of rows (tables, users, keys, requests…):
// whole rows selected one at a time, read-only cells, alternating rows, no
// grid and no row numbers, one line per row at a comfortable height, headers
// aligned with the text. One place, so every list looks and behaves alike.
void setUpRowList(QTableView *view);

} // namespace Hearth
