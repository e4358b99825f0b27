#include "pages/settingspage.h"

#include "shell/consolesettings.h"
#include "widgets/jsontablemodel.h"
#include "widgets/rowlist.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace Hearth {

SettingsPage::SettingsPage(QWidget *parent)
    : Page(parent), m_scheme(new QComboBox(this)), m_tray(new QCheckBox(this)),
      m_serverView(new QTableView(this)), m_serverSettings(new JsonTableModel(this))
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
            ApiClient::queryString({.fields = QStringLiteral("id,key,value,description"),
                                    .sort = QStringLiteral("key"),
                                    .limit = 0}),
        [this](const ApiResult &result) {
            m_serverSettings->setRows(result.data());
            m_serverView->resizeColumnsToContents();
            m_serverView->setColumnWidth(0, m_serverView->columnWidth(0) + 16);
            m_serverView->setColumnWidth(1, qMin(m_serverView->columnWidth(1) + 16, 240));
        },
        tr("Could not load the server settings"));
}

void SettingsPage::reset()
{
    m_serverSettings->clear();
}

} // namespace Hearth
