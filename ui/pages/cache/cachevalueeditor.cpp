#include "pages/cache/cachevalueeditor.h"

#include "shell/icons.h"
#include "shell/theme.h"
#include "widgets/monitorformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace Hearth {

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

} // namespace

CacheValueEditor::CacheValueEditor(QWidget *parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)), m_emptyNote(new QLabel(this)),
      m_keyLabel(new QLabel(this)), m_newKey(new QLineEdit(this)), m_details(new QLabel(this)),
      m_readOnlyNote(new QLabel(this)), m_value(new QPlainTextEdit(this)),
      m_never(new QCheckBox(tr("Never expires"), this)), m_ttlAmount(new QSpinBox(this)),
      m_ttlUnit(new QComboBox(this)), m_applyTtl(new QPushButton(tr("Set time to live"), this)),
      m_save(new QPushButton(tr("Save"), this)), m_delete(new QPushButton(tr("Delete…"), this))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    m_emptyNote->setObjectName(QStringLiteral("cacheValueNote"));
    m_emptyNote->setAlignment(Qt::AlignCenter);
    m_emptyNote->setWordWrap(true);
    QPalette muted = m_emptyNote->palette();
    muted.setColor(QPalette::WindowText, Theme::muted());
    m_emptyNote->setPalette(muted);
    m_stack->addWidget(m_emptyNote);

    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    m_keyLabel->setObjectName(QStringLiteral("cacheValueKey"));
    m_keyLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_keyLabel->setWordWrap(true);
    QFont bold = m_keyLabel->font();
    bold.setWeight(QFont::DemiBold);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_keyLabel->setFont(bold);
    layout->addWidget(m_keyLabel);
    m_newKey->setObjectName(QStringLiteral("newKeyEdit"));
    m_newKey->setPlaceholderText(tr("Key, e.g. settings:theme"));
    m_newKey->setAccessibleName(tr("New key"));
    m_newKey->hide();
    connect(m_newKey, &QLineEdit::textChanged, this, [this] { updateButtons(); });
    layout->addWidget(m_newKey);
    m_details->setObjectName(QStringLiteral("cacheValueDetails"));
    m_details->setPalette(muted);
    layout->addWidget(m_details);
    m_readOnlyNote->setText(tr("A system key, kept by the server (rate limits, locks): read only."));
    m_readOnlyNote->setWordWrap(true);
    m_readOnlyNote->setPalette(muted);
    layout->addWidget(m_readOnlyNote);

    m_value->setObjectName(QStringLiteral("cacheValueEdit"));
    m_value->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_value->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_value->setTabChangesFocus(true);
    m_value->setAccessibleName(tr("Value (JSON)"));
    layout->addWidget(m_value, 1);

    auto *ttl = new QHBoxLayout;
    ttl->setSpacing(6);
    ttl->addWidget(new QLabel(tr("Expires in:"), page));
    m_ttlAmount->setObjectName(QStringLiteral("ttlAmount"));
    m_ttlAmount->setRange(1, 99'999);
    m_ttlAmount->setAccessibleName(tr("Time to live"));
    ttl->addWidget(m_ttlAmount);
    m_ttlUnit->setObjectName(QStringLiteral("ttlUnit"));
    m_ttlUnit->addItem(tr("seconds"), kSecond);
    m_ttlUnit->addItem(tr("minutes"), kMinute);
    m_ttlUnit->addItem(tr("hours"), kHour);
    m_ttlUnit->addItem(tr("days"), kDay);
    ttl->addWidget(m_ttlUnit);
    m_never->setObjectName(QStringLiteral("ttlNever"));
    ttl->addWidget(m_never);
    ttl->addStretch(1);
    m_applyTtl->setObjectName(QStringLiteral("applyTtl"));
    m_applyTtl->setToolTip(tr("Change only the time to live (PATCH /admin/cache/key/ttl)"));
    ttl->addWidget(m_applyTtl);
    layout->addLayout(ttl);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    m_delete->setObjectName(QStringLiteral("deleteKey"));
    m_delete->setIcon(Icons::themed(QStringLiteral("close")));
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    m_save->setObjectName(QStringLiteral("saveValue"));
    m_save->setIcon(Icons::themed(QStringLiteral("save")));
    m_save->setToolTip(tr("Store the value and the time to live (Ctrl+S)"));
    m_save->setDefault(true);
    buttons->addWidget(m_save);
    layout->addLayout(buttons);
    m_stack->addWidget(page);

    auto ttlChanged = [this] {
        if (!m_settingUp)
            m_ttlEdited = true;
        m_ttlAmount->setEnabled(!m_never->isChecked() && isEditable());
        m_ttlUnit->setEnabled(!m_never->isChecked() && isEditable());
        updateButtons();
    };
    connect(m_never, &QCheckBox::toggled, this, ttlChanged);
    connect(m_ttlAmount, &QSpinBox::valueChanged, this, ttlChanged);
    connect(m_ttlUnit, &QComboBox::currentIndexChanged, this, ttlChanged);
    connect(m_value->document(), &QTextDocument::modificationChanged, this, [this] { updateButtons(); });
    connect(m_save, &QPushButton::clicked, this, &CacheValueEditor::save);
    connect(m_applyTtl, &QPushButton::clicked, this, &CacheValueEditor::applyTtl);
    connect(m_delete, &QPushButton::clicked, this, &CacheValueEditor::requestDelete);
    setEntry({});
}

QString CacheValueEditor::key() const
{
    return m_creating ? m_newKey->text().trimmed() : m_entry.value(u"key").toString();
}

void CacheValueEditor::startNewKey()
{
    setEntry(QJsonObject{{QStringLiteral("key"), QString()},
                         {QStringLiteral("kind"), QStringLiteral("user")},
                         {QStringLiteral("value"), QString()}});
    m_creating = true;
    m_keyLabel->hide();
    m_newKey->clear();
    m_newKey->show();
    m_details->setText(tr("New user key: write its value as JSON (a text in quotes, a number, an object…)."));
    m_settingUp = true;
    m_never->setChecked(false);
    m_ttlUnit->setCurrentIndex(m_ttlUnit->findData(kHour));
    m_ttlAmount->setValue(1);
    m_settingUp = false;
    m_ttlEdited = true; // the fields say it: there is no time left to keep
    updateButtons();
    m_newKey->setFocus();
}

void CacheValueEditor::setEntry(const QJsonObject &entry)
{
    m_creating = false;
    m_newKey->hide();
    m_keyLabel->show();
    m_entry = entry;
    if (entry.isEmpty()) {
        showNote(tr("Select a key to see its value."));
        return;
    }
    m_settingUp = true;
    m_loadedAt.start();
    m_ttlEdited = false;
    const bool system = entry.value(u"kind").toString() == u"system";
    m_keyLabel->setText(key());
    QStringList details{system ? tr("System key") : tr("User key"), entry.value(u"type").toString(),
                        MonitorFormat::bytes(entry.value(u"bytes").toDouble())};
    if (entry.contains(u"idleMs"))
        details << tr("last used %1 ago").arg(MonitorFormat::duration(entry.value(u"idleMs").toDouble()));
    m_details->setText(details.join(QStringLiteral(" · ")));
    m_readOnlyNote->setVisible(system);
    m_value->setPlainText(prettyJson(entry.value(u"value")));
    m_value->document()->setModified(false);
    m_value->setReadOnly(system);
    m_never->setEnabled(!system);
    setTtlFields(entry.value(u"ttlMs"));
    m_settingUp = false;
    m_stack->setCurrentIndex(1);
    updateButtons();
}

void CacheValueEditor::updateEntry(const QJsonObject &entry)
{
    const bool modified = m_value->document()->isModified() && entry.value(u"key") == m_entry.value(u"key");
    const QString text = m_value->toPlainText();
    setEntry(entry);
    if (modified) {
        m_value->setPlainText(text);
        m_value->document()->setModified(true);
    }
}

bool CacheValueEditor::hasUnsavedChanges() const
{
    return isEditable() && (m_value->document()->isModified() || (m_creating && !key().isEmpty()));
}

void CacheValueEditor::discardEdits()
{
    m_value->document()->setModified(false);
    if (m_creating)
        m_newKey->clear();
}

bool CacheValueEditor::isEditable() const
{
    return hasEntry() && m_entry.value(u"kind").toString() != u"system";
}

void CacheValueEditor::showNote(const QString &text)
{
    m_emptyNote->setText(text);
    m_stack->setCurrentIndex(0);
    updateButtons();
}

void CacheValueEditor::setTtlFields(const QJsonValue &ttlMs)
{
    m_never->setChecked(ttlMs.isNull() || ttlMs.isUndefined());
    const qint64 ms = ttlMs.isDouble() ? qint64(ttlMs.toDouble()) : kHour;
    const qint64 unit = ms >= 2 * kDay      ? kDay
                        : ms >= 2 * kHour   ? kHour
                        : ms >= 2 * kMinute ? kMinute
                                            : kSecond;
    m_ttlUnit->setCurrentIndex(m_ttlUnit->findData(unit));
    m_ttlAmount->setValue(int(qMax<qint64>(1, (ms + unit / 2) / unit)));
    m_ttlAmount->setEnabled(!m_never->isChecked() && isEditable());
    m_ttlUnit->setEnabled(!m_never->isChecked() && isEditable());
}

QJsonValue CacheValueEditor::editedTtl() const
{
    if (m_never->isChecked())
        return QJsonValue::Null;
    if (!m_ttlEdited && m_entry.value(u"ttlMs").isDouble())
        return double(qMax<qint64>(1, qint64(m_entry.value(u"ttlMs").toDouble()) - m_loadedAt.elapsed()));
    return double(qint64(m_ttlAmount->value()) * m_ttlUnit->currentData().toLongLong());
}

bool CacheValueEditor::editedValue(QJsonValue *value, QString *error) const
{
    return parseJson(m_value->toPlainText(), value, error);
}

void CacheValueEditor::save()
{
    if (!isEditable() || key().isEmpty())
        return;
    QJsonValue value;
    QString error;
    if (!editedValue(&value, &error)) {
        emit problem(tr("The value is not JSON: %1").arg(error));
        return;
    }
    emit saveRequested(key(), value, editedTtl());
}

void CacheValueEditor::applyTtl()
{
    if (isEditable())
        emit ttlRequested(key(), editedTtl());
}

void CacheValueEditor::requestDelete()
{
    if (isEditable())
        emit deleteRequested(key());
}

void CacheValueEditor::updateButtons()
{
    const bool editable = isEditable() && m_stack->currentIndex() == 1;
    m_save->setEnabled(editable && !key().isEmpty());
    m_applyTtl->setEnabled(editable && !m_creating); // a key not stored yet has no time to live to change
    m_delete->setEnabled(editable && !m_creating);
    m_save->setText(editable && m_value->document()->isModified() ? tr("Save*") : tr("Save"));
}

QString CacheValueEditor::prettyJson(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    // A scalar: QJsonDocument holds only objects and arrays, so write it inside one and unwrap.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

bool CacheValueEditor::parseJson(const QString &text, QJsonValue *value, QString *error)
{
    if (text.trimmed().isEmpty()) {
        *error = tr("it is empty (write null for no value)");
        return false;
    }
    // Wrapped in an array, so a lone string or number parses too.
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "\n]", &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = tr("%1 at character %2").arg(parseError.errorString()).arg(qMax(1, parseError.offset));
        return false;
    }
    if (doc.array().size() != 1) {
        *error = tr("write one value (an object, a list, a text in quotes, a number, true, false or null)");
        return false;
    }
    *value = doc.array().first();
    return true;
}

} // namespace Hearth
