#pragma once

#include "shell/page.h"

#include <QJsonObject>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace Hearth {

class JsonTableModel;

// The console's own preferences (appearance, tray) and the server's run-time
// settings (/hearth_setting): pick one, change its value, Save (Ctrl+S or Enter).
class SettingsPage : public Page
{
    Q_OBJECT
public:
    explicit SettingsPage(QWidget *parent = nullptr);

    Actions actions() const override { return RefreshAction | SaveAction; }
    QStringList unsavedChanges() const override;

    QTableView *serverSettingsView() const { return m_serverView; }
    QLineEdit *valueEdit() const { return m_value; }

    // The value as the setting stores it: a number stays a number, true/false a
    // boolean, JSON objects and arrays are parsed; other text is a string.
    // Empty optional (and *error set) when the text does not fit a number setting.
    static std::optional<QJsonValue> parseValue(const QString &text, const QJsonValue &current,
                                                QString *error);

public slots:
    void refresh() override;
    void save() override;

protected:
    void reset() override;

private:
    void showSelected();
    QJsonObject selectedSetting() const;

    QComboBox *m_scheme;
    QCheckBox *m_tray;
    QTableView *m_serverView;
    JsonTableModel *m_serverSettings;
    QLabel *m_key;
    QLabel *m_description;
    QLineEdit *m_value;
    QPushButton *m_save;
    QString m_selectedKey; // kept across reloads
};

} // namespace Hearth
