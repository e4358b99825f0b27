#include "pages/data/datacelldelegate.h"

#include "pages/data/celleditors.h"
#include "pages/data/datatablemodel.h"

#include <QAbstractItemView>
#include <QComboBox>

namespace Hearth {

DataCellDelegate::DataCellDelegate(DataTableModel *model, QObject *parent)
    : QStyledItemDelegate(parent), m_model(model)
{}

QWidget *DataCellDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &,
                                        const QModelIndex &index) const
{
    QWidget *editor =
        CellEditors::create(m_model->field(index.column()), CellEditors::Mode::Cell, m_client, parent);
    editor->setAutoFillBackground(true);
    return editor;
}

namespace {

// What the editor showed when it opened: an empty cell opens on a stand-in (0, today).
constexpr char kOpenedWith[] = "hearthOpenedWith";

} // namespace

void DataCellDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    const DataField &field = m_model->field(index.column());
    CellEditors::setValue(editor, field, index.data(DataTableModel::JsonRole).value<QJsonValue>());
    QString ignored;
    editor->setProperty(
        kOpenedWith, QVariant::fromValue(CellEditors::value(editor, field, &ignored).value_or(QJsonValue())));
}

void DataCellDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                    const QModelIndex &index) const
{
    QString error;
    const std::optional<QJsonValue> value =
        CellEditors::value(editor, m_model->field(index.column()), &error);
    if (!value) {
        emit invalidInput(error);
        return;
    }
    // An empty cell stays empty unless the stand-in it opened on was changed.
    if (index.data(DataTableModel::JsonRole).value<QJsonValue>().isNull() &&
        *value == editor->property(kOpenedWith).value<QJsonValue>())
        return;
    model->setData(index, QVariant::fromValue(*value), Qt::EditRole);
}

void DataCellDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                                            const QModelIndex &index) const
{
    QRect rect = option.rect;
    if (CellEditors::isMultiLine(m_model->field(index.column()))) {
        // Room for a few lines, kept inside the view.
        rect.setWidth(qMax(rect.width(), 380));
        rect.setHeight(qMax(rect.height(), 160));
        if (QWidget *viewport = editor->parentWidget()) {
            if (rect.right() > viewport->width())
                rect.moveRight(viewport->width() - 1);
            if (rect.bottom() > viewport->height())
                rect.moveBottom(viewport->height() - 1);
            rect.moveLeft(qMax(0, rect.left()));
            rect.moveTop(qMax(0, rect.top()));
        }
    }
    editor->setGeometry(rect);
}

} // namespace Hearth
