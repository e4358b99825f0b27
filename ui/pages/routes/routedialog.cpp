#include "pages/routes/routedialog.h"

#include "pages/routes/methodchecks.h"
#include "shell/theme.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Hearth {

RouteDialog::RouteDialog(const QJsonObject &route, QWidget *parent)
    : QDialog(parent), m_id(route.value(u"id").toInteger()), m_path(new QLineEdit(this)),
      m_description(new QLineEdit(this)), m_enabled(new QCheckBox(tr("Enabled"), this)),
      m_methods(new MethodChecks(this)), m_public(new MethodChecks(this)), m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("routeDialog"));
    setWindowTitle(m_id ? tr("Edit Route") : tr("New Route"));
    setModal(true);

    m_path->setObjectName(QStringLiteral("routePath"));
    m_path->setPlaceholderText(tr("/reports/:year/summary"));
    m_path->setText(route.value(u"path").toString());
    m_path->setMinimumWidth(360);
    m_description->setObjectName(QStringLiteral("routeDescription"));
    m_description->setText(route.value(u"description").toString());
    m_enabled->setObjectName(QStringLiteral("routeEnabled"));
    m_enabled->setChecked(route.value(u"isEnabled").toBool(true));
    m_methods->setObjectName(QStringLiteral("routeMethods"));
    m_public->setObjectName(QStringLiteral("routePublicMethods"));
    auto methodList = [](const QJsonValue &v) {
        QStringList out;
        for (const QJsonValue &m : v.toArray())
            out << m.toString();
        return out;
    };
    m_methods->setMethods(m_id ? methodList(route.value(u"availableMethods"))
                               : QStringList{QStringLiteral("GET"), QStringLiteral("POST"),
                                             QStringLiteral("PATCH"), QStringLiteral("DELETE")});
    m_public->setMethods(methodList(route.value(u"publicMethods")));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->setSpacing(10);
    form->addRow(tr("&Path:"), m_path);
    auto *hint = new QLabel(tr("Segments written :name arrive in $ctx.$params."), this);
    QPalette muted = hint->palette();
    muted.setColor(QPalette::WindowText, Theme::muted());
    hint->setPalette(muted);
    form->addRow(QString(), hint);
    form->addRow(tr("&Methods:"), m_methods);
    form->addRow(tr("P&ublic:"), m_public);
    form->addRow(QString(), m_enabled);
    form->addRow(tr("&Description:"), m_description);

    m_error->setObjectName(QStringLiteral("routeDialogError"));
    m_error->setWordWrap(true);
    QPalette bad = m_error->palette();
    bad.setColor(QPalette::WindowText, Theme::negative());
    m_error->setPalette(bad);
    m_error->hide();

    m_buttons->button(QDialogButtonBox::Ok)->setText(m_id ? tr("Save") : tr("Create"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        m_error->hide();
        emit submitted(row());
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this, &RouteDialog::updateOk);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 18, 20, 14);
    layout->setSpacing(12);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    updateOk();
}

QJsonObject RouteDialog::row() const
{
    QJsonObject out{{QStringLiteral("path"), m_path->text().trimmed()},
                    {QStringLiteral("availableMethods"), QJsonArray::fromStringList(m_methods->methods())},
                    {QStringLiteral("publicMethods"), QJsonArray::fromStringList(m_public->methods())},
                    {QStringLiteral("isEnabled"), m_enabled->isChecked()}};
    const QString description = m_description->text().trimmed();
    out.insert(QStringLiteral("description"), description.isEmpty() ? QJsonValue() : QJsonValue(description));
    return out;
}

void RouteDialog::setError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void RouteDialog::setBusy(bool busy)
{
    m_buttons->setEnabled(!busy);
    if (!busy)
        updateOk();
}

void RouteDialog::updateOk()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_path->text().trimmed().startsWith(u'/'));
}

} // namespace Hearth
