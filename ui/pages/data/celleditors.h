#pragma once

#include "client/apiclient.h"
#include "pages/data/tableschema.h"

#include <optional>

class QWidget;

namespace Hearth::CellEditors {

// The editors of a field's values, shared by the table's cells and the new-row form.
enum class Mode
{
    Cell, // a value is always given: spin boxes, date editors, a check box's combo
    Form, // may be left empty (the server's default): line edits, "(default)" choices
};

// The editor for field's type: a line edit, spin box, date(-time) editor, choice of
// options, multi-line JSON/text editor, or a RelationPicker of the target's rows.
QWidget *create(const DataField &field, Mode mode, ApiClient *client, QWidget *parent);
// Whether the editor needs more room than a cell (multi-line text and JSON).
bool isMultiLine(const DataField &field);
void setValue(QWidget *editor, const DataField &field, const QJsonValue &value);
// The value in the editor: a JSON value; undefined when left empty in a form; nullopt
// with *error when it cannot be sent (JSON that does not parse).
std::optional<QJsonValue> value(const QWidget *editor, const DataField &field, QString *error);

} // namespace Hearth::CellEditors
