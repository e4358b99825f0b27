#include "pages/settingspage.h"

#include "shell/consolesettings.h"
#include "shell/icons.h"
#include "widgets/jsontablemodel.h"
#include "widgets/rowlist.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace Hearth {

SettingsPage::SettingsPage(QWidget *parent)
    : Page(parent), m_scheme(new QComboBox(this)), m_tray(new QCheckBox(this)),
      m_serverView(new QTableView(this)), m_serverSettings(new JsonTableModel(this)), m_key(new QLabel(this)),
      m_description(new QLabel(this)), m_value(new QLineEdit(this)), m_save(new QPushButton(this))
{
    setSubtitle(tr("How the console looks and behaves, and the server's run-time settings."));
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);

    auto *console = new QGroupBox(tr("Console"), content);
    auto *form = new QFormLayout(console);
    form->setLabelAlignment(Qt::AlignRight);
    form->setHorizontalSpacing(16);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_scheme->setObjectName(QStringLiteral("colorScheme"));
    m_scheme->addItem(tr("Follow the system"), int(Theme::ColorScheme::System));
    m_scheme->addItem(tr("Light"), int(Theme::ColorScheme::Light));
    m_scheme->addItem(tr("Dark"), int(Theme::ColorScheme::Dark));
    ConsoleSettings &settings = ConsoleSettings::instance();
    m_scheme->setCurrentIndex(m_scheme->findData(int(settings.colorScheme())));
    connect(m_scheme, &QComboBox::activated, this, [this] {
        ConsoleSettings::instance().setColorScheme(Theme::ColorScheme(m_scheme->currentData().toInt()));
    });
    form->addRow(tr("Appearance:"), m_scheme);
    m_tray->setObjectName(QStringLiteral("keepServingInTray"));
    m_tray->setText(tr("Keep serving in the tray when the window is closed"));
    m_tray->setToolTip(tr("The embedded server keeps answering; quit from the tray icon's menu."));
    m_tray->setChecked(settings.keepServingInTray());
    connect(m_tray, &QCheckBox::toggled, this,
            [](bool on) { ConsoleSettings::instance().setKeepServingInTray(on); });
    form->addRow(QString(), m_tray);
    layout->addWidget(console);

    auto *server = new QGroupBox(tr("Server settings"), content);
    auto *serverLayout = new QVBoxLayout(server);
    auto *note = new QLabel(
        tr("Rows of /hearth_setting; a change applies to the next request on every worker."), server);
    note->setWordWrap(true);
    serverLayout->addWidget(note);
    m_serverSettings->setColumns({{QStringLiteral("key"), tr("Key")},
                                  {QStringLiteral("value"), tr("Value")},
                                  {QStringLiteral("description"), tr("Description")}});
    m_serverView->setObjectName(QStringLiteral("serverSettingsView"));
    m_serverView->setModel(m_serverSettings);
    setUpRowList(m_serverView);
    m_serverView->horizontalHeader()->setStretchLastSection(true);
    serverLayout->addWidget(m_serverView, 1);

    // The selected setting's editor, under the list.
    auto *editor = new QHBoxLayout;
    m_key->setObjectName(QStringLiteral("settingKey"));
    QFont bold = m_key->font();
    bold.setBold(true);
    m_key->setFont(bold);
    m_value->setObjectName(QStringLiteral("settingValueEdit"));
    m_value->setPlaceholderText(tr("Choose a setting above"));
    m_save->setObjectName(QStringLiteral("saveSettingButton"));
    m_save->setText(tr("Save"));
    m_save->setIcon(Icons::themed(QStringLiteral("save")));
    editor->addWidget(m_key);
    editor->addWidget(m_value, 1);
    editor->addWidget(m_save);
    serverLayout->addLayout(editor);
    m_description->setObjectName(QStringLiteral("settingDescription"));
    m_description->setWordWrap(true);
    m_description->setEnabled(false); // muted
    serverLayout->addWidget(m_description);
    connect(m_serverView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showSelected(); });
    connect(m_value, &QLineEdit::returnPressed, this, &SettingsPage::save);
    connect(m_save, &QPushButton::clicked, this, &SettingsPage::save);
    connect(m_value, &QLineEdit::textEdited, this, [this] { m_save->setEnabled(true); });
    showSelected();
    layout->addWidget(server, 1);
    setContentWidget(content);

    connect(&settings, &ConsoleSettings::colorSchemeChanged, this, [this](Theme::ColorScheme scheme) {
        m_scheme->setCurrentIndex(m_scheme->findData(int(scheme)));
    });
    connect(&settings, &ConsoleSettings::keepServingInTrayChanged, m_tray, &QCheckBox::setChecked);
}

void SettingsPage::refresh()
{
    load(
        QStringLiteral("/hearth_setting") +
            ApiClient::queryString({.fields = QStringLiteral("id,key,value,description,isSystem"),
                                    .sort = QStringLiteral("key"),
                                    .limit = 0}),
        [this](const ApiResult &result) {
            const QString keep = m_selectedKey;
            m_serverSettings->setRows(result.data());
            for (int i = 0; i < m_serverSettings->rowCount(); ++i)
                if (m_serverSettings->row(i).value(u"key").toString() == keep)
                    m_serverView->selectRow(i);
            showSelected();
            m_serverView->resizeColumnsToContents();
            m_serverView->setColumnWidth(0, m_serverView->columnWidth(0) + 16);
            m_serverView->setColumnWidth(1, qMin(m_serverView->columnWidth(1) + 16, 240));
        },
        tr("Could not load the server settings"));
}

void SettingsPage::reset()
{
    m_serverSettings->clear();
    m_selectedKey.clear();
    showSelected();
}

QJsonObject SettingsPage::selectedSetting() const
{
    const QModelIndex current = m_serverView->currentIndex();
    return current.isValid() ? m_serverSettings->row(current.row()) : QJsonObject();
}

void SettingsPage::showSelected()
{
    const QJsonObject setting = selectedSetting();
    const bool system = setting.value(u"isSystem").toBool();
    m_selectedKey = setting.value(u"key").toString();
    m_key->setText(setting.isEmpty() ? tr("Value:") : m_selectedKey + QLatin1Char(':'));
    const QJsonValue value = setting.value(u"value");
    if (setting.isEmpty())
        m_value->clear();
    else if (value.isString())
        m_value->setText(value.toString());
    else
        m_value->setText(QString::fromUtf8(
            QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1)));
    m_value->setEnabled(!setting.isEmpty() && !system);
    m_save->setEnabled(false);
    m_description->setText(
        system ? tr("%1 — maintained by the server, read-only.").arg(setting.value(u"description").toString())
               : setting.value(u"description").toString());
}

QStringList SettingsPage::unsavedChanges() const
{
    return m_save->isEnabled() ? QStringList{tr("setting “%1”").arg(m_selectedKey)} : QStringList();
}

std::optional<QJsonValue> SettingsPage::parseValue(const QString &text, const QJsonValue &current,
                                                   QString *error)
{
    const QString trimmed = text.trimmed();
    if (current.isDouble()) {
        bool ok = false;
        const double number = trimmed.toDouble(&ok);
        if (!ok) {
            *error = tr("a number is expected, not “%1”").arg(text);
            return std::nullopt;
        }
        return QJsonValue(number);
    }
    if (current.isBool() && (trimmed == u"true" || trimmed == u"false"))
        return QJsonValue(trimmed == u"true");
    if (current.isObject() || current.isArray() || trimmed.startsWith(u'{') || trimmed.startsWith(u'[')) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(trimmed.toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            *error = tr("not valid JSON: %1").arg(parseError.errorString());
            return std::nullopt;
        }
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
    return QJsonValue(text);
}

void SettingsPage::save()
{
    const QJsonObject setting = selectedSetting();
    if (setting.isEmpty() || !m_value->isEnabled())
        return;
    const QString key = setting.value(u"key").toString();
    QString error;
    const std::optional<QJsonValue> value = parseValue(m_value->text(), setting.value(u"value"), &error);
    if (!value) {
        showMessage(tr("%1: %2").arg(key, error), MessageBar::Error);
        return;
    }
    const QString path = QStringLiteral("/hearth_setting/%1").arg(setting.value(u"id").toInteger());
    call(
        "PATCH", path, QJsonObject{{QStringLiteral("value"), *value}},
        [this, key](const ApiResult &) {
            showMessage(tr("Saved %1.").arg(key), MessageBar::Positive);
            m_save->setEnabled(false);
            refresh();
        },
        tr("Could not save %1").arg(key));
}

} // namespace Hearth
