#include "pages/data/rowformdialog.h"

#include "pages/data/celleditors.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace Hearth {

RowFormDialog::RowFormDialog(ApiClient *client, const TableSchema &schema, QWidget *parent)
    : QDialog(parent), m_client(client), m_schema(schema), m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("rowFormDialog"));
    setWindowTitle(tr("New row in %1").arg(schema.name));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Fields left empty take the column's default."), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *form = new QWidget(scroll);
    auto *fields = new QFormLayout(form);
    fields->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (const DataField &f : schema.fields) {
        if (f.system || f.kind == DataField::ToMany)
            continue;
        QWidget *editor = CellEditors::create(f, CellEditors::Mode::Form, client, form);
        if (CellEditors::isMultiLine(f))
            editor->setMaximumHeight(editor->fontMetrics().height() * 5);
        m_editors.insert(f.key, editor);
        auto *label = new QLabel(f.nullable ? f.key : tr("%1 *").arg(f.key), form);
        label->setToolTip(f.isRelation() ? tr("%1 → %2").arg(f.type, f.targetTable) : f.type);
        fields->addRow(label, editor);
    }
    scroll->setWidget(form);
    layout->addWidget(scroll, 1);

    m_problem->setObjectName(QStringLiteral("formProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette red = m_problem->palette();
    red.setColor(QPalette::WindowText, QColor(0xc0, 0x39, 0x2b));
    m_problem->setPalette(red);
    m_problem->hide();
    layout->addWidget(m_problem);

    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RowFormDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &RowFormDialog::reject);
    layout->addWidget(m_buttons);
    resize(460, qMin(640, 140 + int(m_editors.size()) * 36));
    if (QLayoutItem *first = fields->itemAt(0, QFormLayout::FieldRole))
        first->widget()->setFocus();
}

std::optional<QJsonObject> RowFormDialog::body(QString *error) const
{
    QJsonObject body;
    for (const DataField &f : m_schema.fields) {
        QWidget *editor = m_editors.value(f.key);
        if (!editor)
            continue;
        const std::optional<QJsonValue> value = CellEditors::value(editor, f, error);
        if (!value)
            return std::nullopt;
        if (value->isUndefined())
            continue;
        body.insert(f.key, f.kind == DataField::ToOne && value->isObject() ? value->toObject().value(u"id")
                                                                           : *value);
    }
    return body;
}

void RowFormDialog::accept()
{
    QString error;
    const std::optional<QJsonObject> row = body(&error);
    if (!row)
        return showProblem(error);
    if (!m_client)
        return;
    m_buttons->setEnabled(false);
    m_client->post(
        QLatin1Char('/') + m_schema.name, *row,
        [this](const ApiResult &result) {
            m_buttons->setEnabled(true);
            if (!result.ok())
                return showProblem(result.failure().message);
            emit created(result.first());
            QDialog::accept();
        },
        this);
}

void RowFormDialog::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->show();
}

} // namespace Hearth
