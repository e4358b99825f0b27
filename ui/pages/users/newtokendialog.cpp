#include "pages/users/newtokendialog.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Hearth {

NewTokenDialog::NewTokenDialog(QWidget *parent)
    : FormDialog(tr("New API Token"), tr("Create Token"), parent), m_name(new QLineEdit(this)),
      m_expiry(new QComboBox(this)), m_result(new QWidget(this)), m_token(new QLineEdit(m_result)),
      m_copy(new QPushButton(tr("Copy"), m_result))
{
    setObjectName(QStringLiteral("newTokenDialog"));
    setNote(tr("A personal token acts as you (Authorization: Bearer …) in scripts and tools. "
               "Revoke it when it is no longer needed."));
    m_name->setObjectName(QStringLiteral("tokenNameEdit"));
    m_name->setPlaceholderText(tr("e.g. backup script"));
    m_expiry->setObjectName(QStringLiteral("tokenExpiryCombo"));
    m_expiry->addItem(tr("In 7 days"), QStringLiteral("7d"));
    m_expiry->addItem(tr("In 30 days"), QStringLiteral("30d"));
    m_expiry->addItem(tr("In 90 days"), QStringLiteral("90d"));
    m_expiry->addItem(tr("In one year"), QStringLiteral("365d"));
    m_expiry->addItem(tr("Never"), QString());
    m_expiry->setCurrentIndex(1);
    form()->addRow(tr("Name:"), m_name);
    form()->addRow(tr("Expires:"), m_expiry);
    connect(m_name, &QLineEdit::textChanged, this, &NewTokenDialog::updateOk);

    auto *resultLayout = new QVBoxLayout(m_result);
    resultLayout->setContentsMargins(0, 0, 0, 0);
    auto *warning = new QLabel(
        tr("<b>Copy the token now.</b> Only its hash is stored: it cannot be shown again."), m_result);
    warning->setWordWrap(true);
    resultLayout->addWidget(warning);
    auto *row = new QHBoxLayout;
    m_token->setObjectName(QStringLiteral("tokenEdit"));
    m_token->setReadOnly(true);
    m_token->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_copy->setObjectName(QStringLiteral("copyToken"));
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_token->text());
        m_copy->setText(tr("Copied"));
    });
    row->addWidget(m_token, 1);
    row->addWidget(m_copy);
    resultLayout->addLayout(row);
    m_result->hide();
    addBelow(m_result);
    setMinimumWidth(560);
    updateOk();
}

bool NewTokenDialog::isComplete() const
{
    return !m_name->text().trimmed().isEmpty();
}

QJsonObject NewTokenDialog::body() const
{
    QJsonObject body{{QStringLiteral("name"), m_name->text().trimmed()}};
    const QString in = m_expiry->currentData().toString();
    if (!in.isEmpty())
        body.insert(QStringLiteral("expiresIn"), in);
    return body;
}

void NewTokenDialog::showToken(const QString &token)
{
    setBusy(false);
    m_name->setEnabled(false);
    m_expiry->setEnabled(false);
    m_token->setText(token);
    m_result->show();
    okButton()->hide();
    QPushButton *close = buttons()->button(QDialogButtonBox::Cancel);
    close->setText(tr("Done"));
    close->setDefault(true);
    m_token->setSelection(int(token.size()), -int(token.size())); // all selected, the start in view
    m_token->setFocus();
    adjustSize();
}

QString NewTokenDialog::shownToken() const
{
    return m_token->text();
}

} // namespace Hearth
