#pragma once

#include <QStringList>

namespace Hearth::CtxCompletions {

// The words the script editor offers (API.md "Scripts: hooks and handlers"):
// every $ctx member and helper, the macros (@BODY …, @THROW404) and, for each
// of tables, $ctx.$repos.<table>.find/create/update/delete/exists and #<table>.
// Entries use "." between levels, the way QsciAPIs reads them; a call ends in
// "(arguments)" so the tooltip shows what to pass.
QStringList entries(const QStringList &tables);

} // namespace Hearth::CtxCompletions
